/* The shim's life: clone the container init, take it through the sync points, then hold it.
 *
 * Sync: the child sends 1 (cloned); the shim writes its pid into each cgroup.procs and
 * sends 2; the child runs its steps and sends 3 (ready), or an error naming the step; the shim
 * records `created` and tells its starter. A `start` line on the control FIFO sends 4; the sync
 * socket closing on exec means `running`. STATE_DIR/state (key=value lines, replaced atomically)
 * holds status, pid, exit_code, signal, started_at, finished_at, error. The control FIFO takes
 * lines `start`, `kill SIGNAL`, `resize ROWS COLS`, `close-stdin`. Output goes to the json-file
 * log and to the clients of STATE_DIR/attach.sock (attach.c). */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 16384

struct stream {
    int fd;
    int number; /* 1 stdout, 2 stderr: Docker's stream ids */
    const char *name;
    size_t len;
    char buf[LINE_MAX_BYTES];
};

struct shim {
    const char *dir;
    const struct cove_config *config; /* NULL once released: the init has its copy */
    int tty;
    struct cove_log log;
    struct cove_attach attach;
    int input_fd; /* the pty master or the stdin pipe; -1 without -i or -t */
    pid_t pid;
    int reaped;
    int status;
    char started[64];
    char error[1024];
};

void cove_now_rfc3339(char *buf, size_t len) {
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    size_t o = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    if (now.tv_nsec) {
        char frac[16];
        snprintf(frac, sizeof frac, ".%09ld", now.tv_nsec);
        size_t end = strlen(frac);
        while (frac[end - 1] == '0') frac[--end] = 0;
        o += (size_t)snprintf(buf + o, len - o, "%s", frac);
    }
    snprintf(buf + o, len - o, "Z");
}

int cove_write_state(const char *dir, const char *name, const char *text, int durable) {
    char path[4096], temp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(temp, sizeof temp, "%s.tmp", path);
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len && (!durable || fsync(fd) == 0);
    close(fd);
    if (!ok || rename(temp, path) < 0) {
        unlink(temp);
        return -1;
    }
    return 0;
}

static void record(struct shim *s, const char *status) {
    char text[2048], finished[64] = "";
    int code = 0, sig = 0;
    if (s->reaped) {
        cove_now_rfc3339(finished, sizeof finished);
        code = WIFEXITED(s->status) ? WEXITSTATUS(s->status) : 128 + WTERMSIG(s->status);
        sig = WIFSIGNALED(s->status) ? WTERMSIG(s->status) : 0;
    }
    snprintf(text, sizeof text, "status=%s\npid=%d\nexit_code=%d\nsignal=%d\nstarted_at=%s\nfinished_at=%s\nerror=%s\n",
             status, (int)s->pid, code, sig, s->started, finished, s->error);
    /* Only the exit record must survive a power loss; the others are rewritten as the container runs. */
    cove_write_state(s->dir, "state", text, s->reaped);
}

static void emit(struct shim *s, struct stream *st, int final) {
    size_t start = 0;
    for (size_t i = 0; i < st->len; i++) {
        if (st->buf[i] != '\n') continue;
        cove_log_write(&s->log, st->name, st->buf + start, i + 1 - start);
        start = i + 1;
    }
    if (start < st->len && (final || st->len == sizeof st->buf)) {
        cove_log_write(&s->log, st->name, st->buf + start, st->len - start);
        start = st->len;
    }
    memmove(st->buf, st->buf + start, st->len - start);
    st->len -= start;
}

static void drain(struct shim *s, struct stream *st) {
    ssize_t n = read(st->fd, st->buf + st->len, sizeof st->buf - st->len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        emit(s, st, 1);
        close(st->fd);
        st->fd = -1;
        return;
    }
    cove_attach_broadcast(&s->attach, s->tty, st->number, st->buf + st->len, (size_t)n);
    st->len += (size_t)n;
    emit(s, st, 0);
}

static void control(struct shim *s, int ctl, int sync_fd, int master, int *started) {
    char buf[512];
    ssize_t n = read(ctl, buf, sizeof buf - 1);
    if (n <= 0) return;
    buf[n] = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        int a, b;
        if (strcmp(line, "start") == 0 && !*started && !s->reaped) {
            *started = 1;
            cove_now_rfc3339(s->started, sizeof s->started);
            cove_sync_send(sync_fd, COVE_SYNC_EXEC);
        } else if (sscanf(line, "kill %d", &a) == 1 && a > 0 && a < 65 && !s->reaped) {
            kill(s->pid, a);
        } else if (strcmp(line, "close-stdin") == 0 && !s->tty && s->input_fd >= 0) {
            close(s->input_fd);
            s->input_fd = -1;
        } else if (sscanf(line, "resize %d %d", &a, &b) == 2 && master >= 0 && a > 0 && b > 0) {
            struct winsize size = {.ws_row = (unsigned short)a, .ws_col = (unsigned short)b};
            ioctl(master, TIOCSWINSZ, &size);
        }
    }
}

static int fail(struct shim *s, int report_fd, const char *message) {
    snprintf(s->error, sizeof s->error, "%s", message);
    if (s->pid > 0 && !s->reaped) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &s->status, 0);
        s->reaped = 1;
    }
    record(s, "failed");
    if (report_fd >= 0) {
        ssize_t ignored = write(report_fd, message, strlen(message));
        (void)ignored;
    }
    return 1;
}

static int join_cgroups(struct shim *s, char *err, size_t errlen) {
    char path[4200], pid[32];
    int len = snprintf(pid, sizeof pid, "%d", (int)s->pid);
    for (unsigned i = 0; i < s->config->ncgroups; i++) {
        snprintf(path, sizeof path, "%s/cgroup.procs", s->config->cgroups[i]);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, pid, (size_t)len) != len) {
            snprintf(err, errlen, "sync %d cgroup %s: %s", COVE_SYNC_PLACED, path, strerror(errno));
            if (fd >= 0) close(fd);
            return -1;
        }
        close(fd);
    }
    return 0;
}

/* Clones the child with its stdio wired; returns its pid in the parent. */
static pid_t clone_child(const struct cove_config *config, int sync_child, int in, int out, int err) {
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)config->clone_flags | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid != 0) return pid;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if ((in >= 0 && dup2(in, 0) < 0) || (out >= 0 && dup2(out, 1) < 0) || (err >= 0 && dup2(err, 2) < 0) ||
        dup2(sync_child, 3) < 0)
        _exit(1);
    close_range((unsigned)cove_exec_keep_fds(4), ~0U, 0); /* only an exec's child keeps any: its namespaces */
    cove_child_main(config, 3);
}

int cove_supervise(const char *dir, const struct cove_config *config, int report_fd) {
    struct shim s = {.dir = dir, .config = config, .tty = config->tty, .log = {.fd = -1}, .input_fd = -1};
    char message[1200], path[4200];
    if (config->log_path && cove_log_open(&s.log, config->log_path, config->log_max_size, config->log_max_files) < 0)
        return fail(&s, report_fd, "cannot open the log");
    snprintf(path, sizeof path, "%s/control", dir);
    unlink(path);
    int ctl = mkfifo(path, 0600) == 0 ? open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC) : -1;
    if (ctl < 0) return fail(&s, report_fd, "cannot create the control FIFO");
    /* Without the socket (a state path too long for sun_path) the container still runs and logs. */
    if (cove_attach_open(&s.attach, dir) < 0) fprintf(stderr, "cove-shim: no attach socket: %s\n", strerror(errno));

    int sv[2], out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1};
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return fail(&s, report_fd, "socketpair");
    if (!config->tty && (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0))
        return fail(&s, report_fd, "cannot create the output pipes");
    if (!config->tty && config->open_stdin && pipe2(in, O_CLOEXEC) < 0)
        return fail(&s, report_fd, "cannot create the input pipe");
    for (unsigned i = 0; i < config->nsteps; i++)
        if (strcmp(config->steps[i].argv[0], "seccomp") == 0 && cove_seccomp_prepare(config, message, sizeof message) < 0)
            return fail(&s, report_fd, message);
    if (config->device_cgroup && cove_attach_device_filter(config, message, sizeof message) < 0)
        return fail(&s, report_fd, message);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);

    if (config->exec_pid && cove_exec_prepare(config, message, sizeof message) < 0)
        return fail(&s, report_fd, message);
    s.pid = clone_child(config, sv[1], in[0], out[1], err[1]);
    cove_exec_release();
    if (s.pid < 0) return fail(&s, report_fd, "clone failed");
    close(sv[1]);
    if (out[1] >= 0) close(out[1]);
    if (err[1] >= 0) close(err[1]);
    if (in[0] >= 0) close(in[0]);
    s.input_fd = in[1];
    if (s.input_fd >= 0) fcntl(s.input_fd, F_SETFL, O_NONBLOCK);

    int master = -1, point;
    point = cove_sync_recv(sv[0], message, sizeof message, NULL);
    if (point != COVE_SYNC_CLONED) return fail(&s, report_fd, "the container init died before its first sync");
    if (join_cgroups(&s, message, sizeof message) < 0) return fail(&s, report_fd, message);
    if (cove_sync_send(sv[0], COVE_SYNC_PLACED) < 0) return fail(&s, report_fd, "sync 2 lost");
    while ((point = cove_sync_recv(sv[0], message, sizeof message, &master)) == 'F') {}
    if (point == -2) return fail(&s, report_fd, message);
    if (point != COVE_SYNC_READY) return fail(&s, report_fd, "the container init died during set-up");
    record(&s, "created");
    ssize_t ignored = write(report_fd, "ok", 2);
    (void)ignored;
    close(report_fd);

    struct stream streams[2] = {{.fd = config->tty ? master : out[0], .number = 1, .name = "stdout"},
                                {.fd = config->tty ? -1 : err[0], .number = 2, .name = "stderr"}};
    if (config->tty) {
        fcntl(master, F_SETFL, O_NONBLOCK);
        s.input_fd = config->open_stdin ? master : -1;
    }
    /* The init holds its own copy of the config and the filter: give the shim's back. */
    static char log_path[4096];
    if (s.log.path) {
        snprintf(log_path, sizeof log_path, "%s", s.log.path);
        s.log.path = log_path;
    }
    s.config = NULL;
    config = NULL;
    cove_config_release();
    cove_seccomp_release();
    malloc_trim(0);
    int started = 0, sync_open = 1;
    struct timespec deadline = {0};
    for (;;) {
        struct pollfd fds[6 + COVE_ATTACH_MAX] = {{sv[0], POLLIN, 0}, {ctl, POLLIN, 0}, {sfd, POLLIN, 0},
                                                  {streams[0].fd, POLLIN, 0}, {streams[1].fd, POLLIN, 0},
                                                  {s.attach.listen_fd, POLLIN, 0}};
        for (int i = 0; i < COVE_ATTACH_MAX; i++) fds[6 + i] = (struct pollfd){s.attach.clients[i], POLLIN, 0};
        if (!sync_open) fds[0].fd = -1;
        if (s.reaped) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            /* Output still buffered in the pipes is read; a grandchild that keeps them open
             * outside the pid namespace cannot hold the exit record back for more than 2 s. */
            if ((streams[0].fd < 0 && streams[1].fd < 0) || now.tv_sec > deadline.tv_sec) break;
        }
        if (poll(fds, 6 + COVE_ATTACH_MAX, s.reaped ? 100 : -1) < 0 && errno != EINTR) break;
        if (fds[0].revents) {
            int r = cove_sync_recv(sv[0], message, sizeof message, NULL);
            if (r == -2) snprintf(s.error, sizeof s.error, "%s", message);
            if (r <= 0) {
                sync_open = 0;
                close(sv[0]);
                if (r == 0 && started && !s.reaped && !s.error[0]) record(&s, "running");
            }
        }
        if (fds[1].revents) control(&s, ctl, sv[0], master, &started);
        if (fds[5].revents) cove_attach_accept(&s.attach);
        for (int i = 0; i < COVE_ATTACH_MAX; i++)
            if (fds[6 + i].revents && s.attach.clients[i] >= 0) cove_attach_input(&s.attach, i, s.input_fd);
        for (int i = 0; i < 2; i++)
            if (fds[3 + i].revents && streams[i].fd >= 0) drain(&s, &streams[i]);
        if (fds[2].revents) {
            struct signalfd_siginfo info;
            while (read(sfd, &info, sizeof info) > 0) {}
            if (!s.reaped && waitpid(s.pid, &s.status, WNOHANG) == s.pid) {
                s.reaped = 1;
                clock_gettime(CLOCK_MONOTONIC, &deadline);
                deadline.tv_sec += 2;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (streams[i].fd >= 0) emit(&s, &streams[i], 1);
    record(&s, "exited");
    return 0;
}
