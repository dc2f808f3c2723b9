/* The container init before it becomes the container's process: wait to be placed in the
 * cgroups, run the planned steps in order (an error names the step and errno), wait for
 * start, close every descriptor but 0-2 (CVE-2024-21626), exec. With `init`, pid 1 stays this
 * program as a minimal reaper: it forwards signals to the process and exits with its status. */
#include "shim.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void fail(int sync_fd, unsigned step, const char *name, const char *detail, int code) {
    cove_sync_send_error(sync_fd, step, name, detail, code);
    _exit(1);
}

static void wait_for(int sync_fd, int point) {
    char err[256];
    if (cove_sync_recv(sync_fd, err, sizeof err, NULL) != point) _exit(1);
}

/* pid 1 with --init: reap every child, forward signals to the process, exit as it exits. */
static void reap_as_init(pid_t child) __attribute__((noreturn));
static void reap_as_init(pid_t child) {
    sigset_t all;
    sigfillset(&all);
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0) continue;
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != child) continue;
            _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        }
    }
}

void cove_child_main(const struct cove_config *config, int sync_fd) {
    if (cove_sync_send(sync_fd, COVE_SYNC_CLONED) < 0) _exit(1);
    wait_for(sync_fd, COVE_SYNC_PLACED);

    int rootfd = -1;
    for (unsigned i = 0; i < config->nsteps; i++) {
        char detail[512] = "";
        errno = 0;
        if (cove_run_step(config, &config->steps[i], &rootfd, sync_fd, detail, sizeof detail) < 0)
            fail(sync_fd, i + 1, config->steps[i].argv[0], detail, errno ? errno : EINVAL);
    }
    if (cove_sync_send(sync_fd, COVE_SYNC_READY) < 0) _exit(1);
    wait_for(sync_fd, COVE_SYNC_EXEC);

    unsigned exec_step = config->nsteps + 1;
    /* Nothing but 0, 1 and 2 crosses exec; the sync socket closes there, which tells the shim. */
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) fail(sync_fd, exec_step, "close-range", "", errno);

    if (config->init) {
        sigset_t all, old;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        pid_t child = fork();
        if (child < 0) fail(sync_fd, exec_step, "init", "fork", errno);
        if (child > 0) {
            close_range(3, ~0U, 0); /* the reaper never execs: close, not just mark */
            reap_as_init(child);
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    environ = config->env;
    execvp(config->args[0], config->args);
    int code = errno;
    cove_sync_send_error(sync_fd, exec_step, "exec", config->args[0], code);
    _exit(code == ENOENT ? 127 : 126);
}
