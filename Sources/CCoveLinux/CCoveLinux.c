#define _GNU_SOURCE
#include "CCoveLinux.h"

#include <fcntl.h>
#include <errno.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

const uint64_t cove_resolve_beneath = RESOLVE_BENEATH;
const uint64_t cove_resolve_in_root = RESOLVE_IN_ROOT;
const uint64_t cove_resolve_no_magiclinks = RESOLVE_NO_MAGICLINKS;
const uint64_t cove_resolve_no_xdev = RESOLVE_NO_XDEV;
const int cove_o_path = O_PATH;

int cove_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

uint64_t cove_makedev(uint32_t major, uint32_t minor) { return makedev(major, minor); }
uint32_t cove_major(uint64_t device) { return major(device); }
uint32_t cove_minor(uint64_t device) { return minor(device); }

static int fsconfig_string(int fs, const char *key, const char *value) {
    return (int)syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, key, value, 0);
}

int cove_mount_overlay_layers(const char *target, const char *const *lowers, int count, const char *upper,
                              const char *work) {
    int fs = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
    if (fs < 0) return -1;
    int mnt = -1;
    for (int i = 0; i < count; i++) {
        if (fsconfig_string(fs, "lowerdir+", lowers[i]) < 0) goto fail;
    }
    if (upper && fsconfig_string(fs, "upperdir", upper) < 0) goto fail;
    if (work && fsconfig_string(fs, "workdir", work) < 0) goto fail;
    if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) goto fail;
    mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
    if (mnt < 0) goto fail;
    if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) goto fail;
    close(mnt);
    close(fs);
    return 0;
fail:;
    int saved = errno;
    if (mnt >= 0) close(mnt);
    close(fs);
    errno = saved;
    return -1;
}
