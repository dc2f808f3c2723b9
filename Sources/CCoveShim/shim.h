/* cove-shim: the per-container supervisor and container init, in C (no Swift runtime).
 *
 * The daemon writes STATE_DIR/config (the runtime steps CoveRuntime planned, in the
 * length-prefixed format config.c parses) and starts `cove-shim run STATE_DIR`. The shim
 * re-executes itself from a sealed memfd (CVE-2019-5736), daemonizes, clones the container
 * init in new namespaces, walks it through the numbered steps over a sync socket, then holds
 * it as its child: logs, control FIFO, exit status. See supervise.c for the protocol. */
#ifndef COVE_SHIM_H
#define COVE_SHIM_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One record of the config file: a name and its arguments (NUL-terminated copies). */
struct cove_record {
    char *name;
    unsigned argc;
    char **argv;
};

/* A seccomp argument condition: argument index, comparison, value, second value (mask). */
struct cove_seccomp_cond {
    unsigned index;
    int op;
    uint64_t value;
    uint64_t value_two;
};

struct cove_seccomp_rule {
    const char *name;
    uint32_t action;
    unsigned ncond;
    struct cove_seccomp_cond cond[6];
};

/* A device rule for the cgroup v2 filter: type 0 (any), 1 (block) or 2 (char); -1 is any number. */
struct cove_device_rule {
    int type;
    int major;
    int minor;
    int access; /* 1 mknod, 2 read, 4 write */
};

/* The parsed config: the process, the plumbing, and the ordered child steps. */
struct cove_config {
    const char *rootfs;
    char **args;          /* NULL-terminated */
    char **env;           /* NULL-terminated */
    int tty;
    int open_stdin;
    int init;
    int clone_flags;      /* CLONE_NEW* from the namespaces record */
    int cgroupns;         /* unshared by the child after it joins its cgroups */
    char **cgroups;       /* directories whose cgroup.procs the child's pid goes into */
    unsigned ncgroups;
    const char *log_path;
    long long log_max_size;
    unsigned log_max_files;
    uint32_t seccomp_default;
    char **seccomp_arches;
    unsigned nseccomp_arches;
    struct cove_seccomp_rule *rules;
    unsigned nrules;
    const char *seccomp_cache; /* compiled filter file (BPF), keyed by the rules' SHA-256 */
    const char *device_cgroup; /* v2: the cgroup the device filter is attached to */
    struct cove_device_rule *device_rules;
    unsigned ndevice_rules;
    struct cove_record *steps; /* child steps, numbered from 1 in this order */
    unsigned nsteps;
    pid_t exec_pid;            /* exec mode: the running container's init, whose namespaces are joined */
};

/* config.c */
int cove_config_parse(const char *data, size_t size, struct cove_config *out, char *err, size_t errlen);
int cove_config_load(const char *path, struct cove_config *out, char *err, size_t errlen);
void cove_config_dump(const struct cove_config *config);
/* Unmaps every parsed value: the config must not be used afterwards. */
void cove_config_release(void);
int cove_parse_u64(const char *text, uint64_t *out);

/* seal.c */
int cove_ensure_sealed(char **argv);

/* devices.c */
int cove_attach_device_filter(const struct cove_config *config, char *err, size_t errlen);

/* supervise.c */
int cove_supervise(const char *state_dir, const struct cove_config *config, int report_fd);
int cove_write_state(const char *state_dir, const char *name, const char *text, int durable);
void cove_now_rfc3339(char *buf, size_t len);

/* child.c */
void cove_child_main(const struct cove_config *config, int sync_fd) __attribute__((noreturn));

/* steps.c: one step of the container's set-up; on failure sets errno and a detail. */
int cove_run_step(const struct cove_config *config, const struct cove_record *step, int *rootfd, int sync_fd,
                  char *detail, size_t detail_len);

/* security.c */
int cove_step_bounding(uint64_t keep);
int cove_step_user(const struct cove_record *step);
int cove_step_caps(const struct cove_record *step);
int cove_step_rlimit(const struct cove_record *step);
int cove_seccomp_prepare(const struct cove_config *config, char *err, size_t errlen);
int cove_step_seccomp(void);
void cove_seccomp_release(void);
uint32_t cove_seccomp_action(const char *name, uint64_t errno_ret, int *ok);

/* jsonlog.c */
struct cove_log {
    int fd;
    const char *path;
    long long max_size;
    unsigned max_files;
    long long size;
};
int cove_log_open(struct cove_log *log, const char *path, long long max_size, unsigned max_files);
void cove_log_write(struct cove_log *log, const char *stream, const char *data, size_t len);

/* attach.c */
#define COVE_ATTACH_MAX 8
struct cove_attach {
    int listen_fd;
    int clients[COVE_ATTACH_MAX];
};
int cove_attach_open(struct cove_attach *a, const char *dir);
void cove_attach_accept(struct cove_attach *a);
void cove_attach_broadcast(struct cove_attach *a, int tty, int stream, const char *data, size_t len);
void cove_attach_input(struct cove_attach *a, int client, int input_fd);

/* shim_exec.c: `cove-shim exec`, an extra process in a running container. */
int cove_exec_prepare(const struct cove_config *config, char *err, size_t errlen);
void cove_exec_release(void);
int cove_exec_keep_fds(int first);
int cove_step_setns(const char *name);

/* sync.c: the numbered sync points between the shim and the child. */
/* "step" for a container's set-up, "exec step" for an exec's: the first words of an error. */
extern const char *cove_step_word;
enum cove_sync {
    COVE_SYNC_CLONED = 1,   /* child -> shim: cloned, waiting to be placed in its cgroups */
    COVE_SYNC_PLACED = 2,   /* shim -> child: in its cgroups (and id maps); run the steps */
    COVE_SYNC_READY = 3,    /* child -> shim: every step done, waiting to exec */
    COVE_SYNC_EXEC = 4,     /* shim -> child: start: exec the process */
};
int cove_sync_send(int fd, int point);
int cove_sync_send_error(int fd, unsigned step, const char *name, const char *detail, int code);
int cove_sync_send_fd(int fd, int passed);
/* Reads one message: returns the sync point, 0 on EOF, -1 on error; an error message from the
 * child is copied into err and returns -2. A passed descriptor (if any) goes into *passed. */
int cove_sync_recv(int fd, char *err, size_t errlen, int *passed);

#endif
