/* CVE-2019-5736: a process inside a container must never reach a writable host binary through
 * /proc/PID/exe. Like runc, the shim copies itself into a memfd, seals it against any write
 * (F_SEAL_WRITE|SHRINK|GROW|SEAL) and re-executes from it; the container init is forked from
 * that image, so its /proc/self/exe (until it execs the container's program) is the sealed
 * copy, and opening it for writing fails with EPERM. The host's cove-shim file is never mapped. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define REQUIRED_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static int is_sealed(void) {
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    int seals = fcntl(fd, F_GET_SEALS);
    close(fd);
    return seals >= 0 && (seals & REQUIRED_SEALS) == REQUIRED_SEALS;
}

int cove_ensure_sealed(char **argv) {
    if (is_sealed()) return 0;
    int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (self < 0) return -1;
    struct stat info;
    if (fstat(self, &info) < 0) {
        close(self);
        return -1;
    }
    int memfd = memfd_create("cove-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (memfd < 0) {
        close(self);
        return -1;
    }
    off_t left = info.st_size;
    while (left > 0) {
        ssize_t n = sendfile(memfd, self, NULL, (size_t)left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            close(self);
            close(memfd);
            return -1;
        }
        left -= n;
    }
    close(self);
    if (fcntl(memfd, F_ADD_SEALS, REQUIRED_SEALS) < 0) {
        close(memfd);
        return -1;
    }
    fexecve(memfd, argv, environ);
    close(memfd);
    return -1;
}
