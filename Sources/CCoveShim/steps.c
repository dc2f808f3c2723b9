/* One container set-up step, as planned by CoveRuntime (RuntimeStep). Mount targets before
 * pivot_root are resolved inside the rootfs with openat2(RESOLVE_IN_ROOT), so a symlink in an
 * image cannot send a mount outside it; the mount goes onto /proc/self/fd/N of that result. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

static int open_resolved(int rootfd, const char *path, int flags) {
    struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

/* Opens `path` (inside the root) with O_PATH, creating missing directories and, when `kind` is
 * "file", the last component as an empty file. */
static int open_in_root(int rootfd, const char *path, const char *kind) {
    int fd = open_resolved(rootfd, path, O_PATH);
    if (fd >= 0 || errno != ENOENT || strcmp(kind, "none") == 0) return fd;
    char prefix[4096];
    size_t len = strlen(path);
    if (len >= sizeof prefix) return errno = ENAMETOOLONG, -1;
    for (size_t i = 1; i <= len; i++) {
        if (i < len && path[i] != '/') continue;
        memcpy(prefix, path, i);
        prefix[i] = 0;
        int probe = open_resolved(rootfd, prefix, O_PATH);
        if (probe >= 0) {
            close(probe);
            continue;
        }
        if (errno != ENOENT) return -1;
        char *slash = strrchr(prefix, '/');
        const char *name = slash + 1;
        *slash = 0;
        int parent = open_resolved(rootfd, *prefix ? prefix : "/", O_PATH | O_DIRECTORY);
        if (parent < 0) return -1;
        int made;
        if (i == len && strcmp(kind, "file") == 0) {
            made = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
            if (made >= 0) close(made);
        } else {
            made = mkdirat(parent, name, 0755);
        }
        int saved = errno;
        close(parent);
        if (made < 0 && saved != EEXIST) return errno = saved, -1;
    }
    return open_resolved(rootfd, path, O_PATH);
}

static int mount_on(int rootfd, const char *target, const char *kind, const char *source, const char *fstype,
                    unsigned long flags, const char *data) {
    int fd = open_in_root(rootfd, target, kind);
    if (fd < 0) return -1;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    int result = mount(source, proc, fstype, flags, data);
    int saved = errno;
    close(fd);
    errno = saved;
    return result;
}

/* mount SOURCE TARGET FSTYPE FLAGS DATA CREATE: a bind with extra flags is remounted, and
 * propagation flags are applied by their own call, as the kernel requires; with MS_REMOUNT in
 * FLAGS it changes the flags of the mount already at TARGET. */
static int step_mount(int rootfd, char **a, char *detail, size_t dl) {
    uint64_t flags;
    snprintf(detail, dl, "%s on %s", a[0], a[1]);
    if (cove_parse_u64(a[3], &flags) < 0) return errno = EINVAL, -1;
    unsigned long propagation = flags & (MS_PRIVATE | MS_SLAVE | MS_SHARED | MS_UNBINDABLE);
    unsigned long base = flags & ~propagation;
    const char *data = *a[4] ? a[4] : NULL;
    const char *fstype = *a[2] ? a[2] : NULL;
    if (base & MS_REMOUNT) return mount_on(rootfd, a[1], "none", NULL, NULL, base, data);
    if (base & MS_BIND) {
        /* A bind of a host file needs a file, not a directory, to mount onto. */
        struct stat source;
        int file = strcmp(a[5], "dir") == 0 && stat(a[0], &source) == 0 && !S_ISDIR(source.st_mode);
        const char *kind = file ? "file" : a[5];
        if (mount_on(rootfd, a[1], kind, a[0], NULL, MS_BIND | (base & MS_REC), NULL) < 0) return -1;
        unsigned long extra = base & ~(MS_BIND | MS_REC);
        if (extra && mount_on(rootfd, a[1], "none", NULL, NULL, MS_BIND | MS_REMOUNT | extra, NULL) < 0) return -1;
    } else if (mount_on(rootfd, a[1], a[5], a[0], fstype, base, data) < 0) {
        return -1;
    }
    if (propagation && mount_on(rootfd, a[1], "none", NULL, NULL, propagation | (base & MS_REC), NULL) < 0)
        return -1;
    return 0;
}

static int step_pivot_root(int *rootfd) {
    if (fchdir(*rootfd) < 0) return -1;
    if (syscall(SYS_pivot_root, ".", ".") < 0) return -1;
    if (umount2(".", MNT_DETACH) < 0) return -1;
    if (chdir("/") < 0) return -1;
    close(*rootfd);
    *rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    return *rootfd < 0 ? -1 : 0;
}

static unsigned long kept_flags(const char *path) {
    struct statvfs info;
    if (statvfs(path, &info) < 0) return 0;
    return info.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC);
}

static int step_readonly(const char *path) {
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) return errno == ENOENT ? 0 : -1;
    return mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | kept_flags(path), NULL);
}

static int step_mask(const char *path) {
    struct stat info;
    if (stat(path, &info) < 0) return errno == ENOENT ? 0 : -1;
    if (S_ISDIR(info.st_mode)) return mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL);
    return mount("/dev/null", path, NULL, MS_BIND, NULL);
}

/* A pty in the container's own devpts: the slave becomes stdio and the controlling terminal and
 * (for the container's init, not for an exec) is bound on /dev/console; the master goes to the shim. */
static int step_console(int sync_fd, int bind_console, char *detail, size_t dl) {
    int master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return snprintf(detail, dl, "/dev/pts/ptmx"), -1;
    char name[128];
    if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof name) != 0) return -1;
    int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) return snprintf(detail, dl, "%s", name), -1;
    if (cove_sync_send_fd(sync_fd, master) < 0) return -1;
    close(master);
    if (bind_console) {
        int console = open("/dev/console", O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (console >= 0) close(console);
        if (mount(name, "/dev/console", NULL, MS_BIND, NULL) < 0) return snprintf(detail, dl, "/dev/console"), -1;
    }
    if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) return -1;
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0) return -1;
    close(slave);
    return 0;
}

static int step_sysctl(const char *key, const char *value) {
    char path[512];
    if (strstr(key, "..") || strchr(key, '/') || snprintf(path, sizeof path, "/proc/sys/%s", key) >= (int)sizeof path)
        return errno = EINVAL, -1;
    for (char *c = path + 10; *c; c++)
        if (*c == '.') *c = '/';
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    ssize_t n = write(fd, value, strlen(value));
    int saved = errno;
    close(fd);
    errno = saved;
    return n < 0 ? -1 : 0;
}

static int step_mknod(char **a) {
    uint64_t major, minor, mode;
    if (cove_parse_u64(a[2], &major) < 0 || cove_parse_u64(a[3], &minor) < 0 || cove_parse_u64(a[4], &mode) < 0)
        return errno = EINVAL, -1;
    mode_t type = strcmp(a[1], "b") == 0 ? S_IFBLK : S_IFCHR;
    unlink(a[0]);
    if (mknod(a[0], type | (mode_t)(mode & 07777), makedev(major, minor)) < 0) return -1;
    return chmod(a[0], (mode_t)(mode & 07777));
}

int cove_run_step(const struct cove_config *config, const struct cove_record *step, int *rootfd, int sync_fd,
                  char *detail, size_t dl) {
    const char *kind = step->argv[0];
    char **a = step->argv + 1;
    uint64_t value;
    if (strcmp(kind, "cgroupns") == 0) return unshare(CLONE_NEWCGROUP);
    if (strcmp(kind, "propagation") == 0) {
        unsigned long flag = strcmp(a[0], "rslave") == 0 ? MS_SLAVE : MS_PRIVATE;
        return mount(NULL, "/", NULL, MS_REC | flag, NULL);
    }
    if (strcmp(kind, "bind-rootfs") == 0) {
        snprintf(detail, dl, "%s", config->rootfs);
        if (mount(config->rootfs, config->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) return -1;
        *rootfd = open(config->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return *rootfd < 0 ? -1 : 0;
    }
    if (*rootfd < 0 && strcmp(kind, "mount") == 0) return errno = EINVAL, -1;
    if (strcmp(kind, "mount") == 0) return step_mount(*rootfd, a, detail, dl);
    if (strcmp(kind, "pivot-root") == 0) return step_pivot_root(rootfd);
    if (strcmp(kind, "mknod") == 0) return snprintf(detail, dl, "%s", a[0]), step_mknod(a);
    if (strcmp(kind, "symlink") == 0) {
        snprintf(detail, dl, "%s", a[1]);
        return symlink(a[0], a[1]) < 0 && errno != EEXIST ? -1 : 0;
    }
    if (strcmp(kind, "console") == 0) return step_console(sync_fd, 1, detail, dl);
    if (strcmp(kind, "pty") == 0) return step_console(sync_fd, 0, detail, dl);
    if (strcmp(kind, "setns") == 0) return snprintf(detail, dl, "%s", a[0]), cove_step_setns(a[0]);
    if (strcmp(kind, "stdin-null") == 0) {
        int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (fd < 0 || dup2(fd, 0) < 0) return -1;
        return close(fd);
    }
    if (strcmp(kind, "hostname") == 0) return sethostname(a[0], strlen(a[0]));
    if (strcmp(kind, "sysctl") == 0) return snprintf(detail, dl, "%s", a[0]), step_sysctl(a[0], a[1]);
    if (strcmp(kind, "readonly") == 0) return snprintf(detail, dl, "%s", a[0]), step_readonly(a[0]);
    if (strcmp(kind, "mask") == 0) return snprintf(detail, dl, "%s", a[0]), step_mask(a[0]);
    if (strcmp(kind, "readonly-root") == 0)
        return mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags("/"), NULL);
    if (strcmp(kind, "rlimit") == 0) return cove_step_rlimit(step);
    if (strcmp(kind, "bounding") == 0)
        return cove_parse_u64(a[0], &value) < 0 ? (errno = EINVAL, -1) : cove_step_bounding(value);
    if (strcmp(kind, "user") == 0) return cove_step_user(step);
    if (strcmp(kind, "chdir") == 0) {
        char cwd[4096];
        snprintf(detail, dl, "%s", a[0]);
        if (chdir(a[0]) < 0) return -1;
        /* CVE-2024-21626: the working directory must be inside the container's root. */
        if (!getcwd(cwd, sizeof cwd) || cwd[0] != '/') return errno = ENOENT, -1;
        return 0;
    }
    if (strcmp(kind, "caps") == 0) return cove_step_caps(step);
    if (strcmp(kind, "no-new-privs") == 0) return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (strcmp(kind, "seccomp") == 0) return cove_step_seccomp();
    return errno = EINVAL, -1;
}
