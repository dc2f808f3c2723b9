/* cove-shim run STATE_DIR   start the container STATE_DIR/config describes and supervise it
 * cove-shim exec EXEC_DIR   start an extra process in a running container (shim_exec.c)
 * cove-shim check FILE      parse a config and print it (tests and fuzzing)
 *
 * `run` and `exec` return once the process is created, waiting for `start` (exit 0), or failed
 * (exit 1, the error on stderr); the supervisor they leave behind runs in its own session, a
 * child of nobody that cares. An exec's supervisor is the container's, in exec mode. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char err[1024], path[4096];
    struct cove_config config;
    if (argc == 3 && strcmp(argv[1], "check") == 0) {
        if (cove_config_load(argv[2], &config, err, sizeof err) < 0) {
            fprintf(stderr, "cove-shim: %s\n", err);
            return 2;
        }
        cove_config_dump(&config);
        return 0;
    }
    int exec = argc == 3 && strcmp(argv[1], "exec") == 0;
    if (argc != 3 || (strcmp(argv[1], "run") != 0 && !exec) || argv[2][0] != '/') {
        fprintf(stderr, "usage: cove-shim run STATE_DIR | cove-shim exec EXEC_DIR (absolute) | cove-shim check CONFIG\n");
        return 2;
    }
    if (exec) cove_step_word = "exec step";
    if (cove_ensure_sealed(argv) < 0) {
        fprintf(stderr, "cove-shim: cannot re-execute from a sealed copy: %s\n", strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/config", argv[2]);
    if (cove_config_load(path, &config, err, sizeof err) < 0) {
        fprintf(stderr, "cove-shim: %s\n", err);
        return 1;
    }
    if (exec != (config.exec_pid != 0)) {
        fprintf(stderr, "cove-shim: %s\n", exec ? "an exec config needs exec-pid" : "exec-pid outside exec mode");
        return 1;
    }
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) return 1;
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid > 0) {
        close(report[1]);
        size_t len = 0;
        ssize_t n;
        while (len < sizeof err - 1 && (n = read(report[0], err + len, sizeof err - 1 - len)) != 0) {
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) break;
            len += (size_t)n;
        }
        err[len] = 0;
        if (strcmp(err, "ok") == 0) return 0;
        /* A failed supervisor is ending: reap it, so that nothing of it outlives the create. */
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        fprintf(stderr, "%s\n", len ? err : "the shim died before the container was created");
        return 1;
    }
    close(report[0]);
    setsid();
    /* Hold no directory of the daemon's: every path the shim uses is absolute. */
    if (chdir("/") < 0) _exit(1);
    signal(SIGPIPE, SIG_IGN);
    char pidtext[32];
    snprintf(pidtext, sizeof pidtext, "%d\n", (int)getpid());
    if (cove_write_state(argv[2], "shim.pid", pidtext, 0) < 0) {
        dprintf(report[1], "cannot write %s/shim.pid: %s", argv[2], strerror(errno));
        _exit(1);
    }
    _exit(cove_supervise(argv[2], &config, report[1]));
}
