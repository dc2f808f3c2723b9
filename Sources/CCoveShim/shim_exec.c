/* `cove-shim exec EXEC_DIR`: one more process in a running container, as `docker exec` runs it.
 *
 * The exec's config (planned by CoveRuntime's ExecPlanner) names the container's init
 * (`exec-pid`), the cgroups to join, and child steps that begin with `setns NAME` for each of the
 * container's namespaces, mnt last. The supervisor is a container's (supervise.c) with two
 * additions, both here: before it forks the child it opens the init's namespace files while a
 * pidfd proves the init is still the container's (in its cgroup, alive after the opens: a reused
 * pid is refused), and it joins the pid namespace itself, because a process cannot change its own
 * pid namespace, only its children's: the child it forks is born inside the container's. The
 * child joins the others as its first steps with the inherited descriptors (O_CLOEXEC, and
 * closed by close_range before exec anyway); after mnt its root and working directory are the
 * container's, so `chdir` resolves inside it. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct {
    const char *name;
    int flag;
    int fd;
} namespaces[] = {
    {"pid", CLONE_NEWPID, -1}, {"ipc", CLONE_NEWIPC, -1},       {"uts", CLONE_NEWUTS, -1},
    {"net", CLONE_NEWNET, -1}, {"cgroup", CLONE_NEWCGROUP, -1}, {"mnt", CLONE_NEWNS, -1},
};
#define NAMESPACE_COUNT (sizeof namespaces / sizeof namespaces[0])

static int find(const char *name) {
    for (unsigned i = 0; i < NAMESPACE_COUNT; i++)
        if (strcmp(namespaces[i].name, name) == 0) return (int)i;
    return -1;
}

/* Whether `pid` is listed in the container's first cgroup (any of them would do: the init is
 * in all). A container without cgroups cannot be checked this way and is taken as it is. */
static int in_container_cgroup(const struct cove_config *config, pid_t pid) {
    if (config->ncgroups == 0) return 1;
    char path[4200];
    snprintf(path, sizeof path, "%s/cgroup.procs", config->cgroups[0]);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t size = 0, capacity = 1 << 20;
    char *text = malloc(capacity + 1);
    ssize_t n;
    while (text && size < capacity && (n = read(fd, text + size, capacity - size)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        size += (size_t)n;
    }
    close(fd);
    if (!text) return 0;
    text[size] = 0;
    int found = 0;
    for (char *line = strtok(text, "\n"); line && !found; line = strtok(NULL, "\n"))
        found = atoi(line) == (int)pid;
    free(text);
    return found;
}

int cove_exec_prepare(const struct cove_config *config, char *err, size_t errlen) {
    pid_t pid = config->exec_pid;
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) return snprintf(err, errlen, "the container's init (pid %d) is gone: %s", (int)pid, strerror(errno)), -1;
    int ok = in_container_cgroup(config, pid);
    if (!ok) snprintf(err, errlen, "process %d is not the container's init (not in its cgroup)", (int)pid);
    for (unsigned i = 0; ok && i < config->nsteps; i++) {
        const struct cove_record *step = &config->steps[i];
        if (strcmp(step->argv[0], "setns") != 0) continue;
        int index = find(step->argv[1]);
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, step->argv[1]);
        if (index >= 0 && namespaces[index].fd < 0) namespaces[index].fd = open(path, O_RDONLY | O_CLOEXEC);
        if (index < 0 || namespaces[index].fd < 0) {
            snprintf(err, errlen, "exec step %u setns %s: %s", i + 1, step->argv[1],
                     index < 0 ? "unknown namespace" : strerror(errno));
            ok = 0;
        }
    }
    /* Still alive after the opens: the descriptors are the init's, not a newcomer's with its pid. */
    if (ok && syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0) {
        snprintf(err, errlen, "the container's init (pid %d) exited", (int)pid);
        ok = 0;
    }
    close(pidfd);
    int index = find("pid");
    for (unsigned i = 0; ok && i < config->nsteps; i++) {
        const struct cove_record *step = &config->steps[i];
        if (strcmp(step->argv[0], "setns") != 0 || strcmp(step->argv[1], "pid") != 0) continue;
        if (setns(namespaces[index].fd, CLONE_NEWPID) < 0) {
            snprintf(err, errlen, "exec step %u setns pid: %s", i + 1, strerror(errno));
            ok = 0;
        }
    }
    if (!ok) cove_exec_release();
    return ok ? 0 : -1;
}

void cove_exec_release(void) {
    for (unsigned i = 0; i < NAMESPACE_COUNT; i++) {
        if (namespaces[i].fd >= 0) close(namespaces[i].fd);
        namespaces[i].fd = -1;
    }
}

/* In the child, before it closes every other inherited descriptor from the returned number on:
 * the namespace descriptors move to FIRST, FIRST+1, ... (through numbers above any in use, so
 * no move overwrites another). */
int cove_exec_keep_fds(int first) {
    int next = first;
    for (unsigned i = 0; i < NAMESPACE_COUNT; i++)
        if (namespaces[i].fd >= 0) namespaces[i].fd = fcntl(namespaces[i].fd, F_DUPFD_CLOEXEC, 256);
    for (unsigned i = 0; i < NAMESPACE_COUNT; i++) {
        if (namespaces[i].fd < 0) continue;
        namespaces[i].fd = dup3(namespaces[i].fd, next, O_CLOEXEC) < 0 ? -1 : next;
        next++;
    }
    return next;
}

/* In the child: the pid namespace was joined by the supervisor (joining it again is allowed and
 * changes nothing); every other one is entered here. */
int cove_step_setns(const char *name) {
    int index = find(name);
    if (index < 0 || namespaces[index].fd < 0) return errno = EBADF, -1;
    if (setns(namespaces[index].fd, namespaces[index].flag) < 0) return -1;
    close(namespaces[index].fd);
    namespaces[index].fd = -1;
    return 0;
}
