#define _GNU_SOURCE
#include "CCoveLinux.h"

#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

const uint64_t cove_resolve_beneath = RESOLVE_BENEATH;
const uint64_t cove_resolve_in_root = RESOLVE_IN_ROOT;
const uint64_t cove_resolve_no_magiclinks = RESOLVE_NO_MAGICLINKS;
const uint64_t cove_resolve_no_xdev = RESOLVE_NO_XDEV;

int cove_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

uint64_t cove_makedev(uint32_t major, uint32_t minor) { return makedev(major, minor); }
uint32_t cove_major(uint64_t device) { return major(device); }
uint32_t cove_minor(uint64_t device) { return minor(device); }
