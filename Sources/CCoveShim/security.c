/* Capabilities (bounding, then the user switch with the permitted set kept, then effective,
 * permitted, inheritable and ambient), rlimits and the seccomp filter (built with libseccomp
 * from the rules CoveRuntime compiled from Docker's profile for this architecture). */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int last_cap(void) {
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    char buf[16] = {0};
    if (fd < 0) return CAP_LAST_CAP;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n > 0 ? atoi(buf) : CAP_LAST_CAP;
}

int cove_step_bounding(uint64_t keep) {
    int last = last_cap();
    for (int cap = 0; cap <= last && cap < 64; cap++)
        if (!(keep & (1ull << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) return -1;
    return 0;
}

/* user UID GID [GROUP...]: supplementary groups, gid, uid; the permitted set survives (KEEPCAPS). */
int cove_step_user(const struct cove_record *step) {
    uint64_t uid, gid, group;
    char **a = step->argv + 1;
    unsigned ngroups = step->argc - 3;
    gid_t groups[64];
    if (cove_parse_u64(a[0], &uid) < 0 || cove_parse_u64(a[1], &gid) < 0 || uid > UINT32_MAX || gid > UINT32_MAX)
        return errno = EINVAL, -1;
    for (unsigned i = 0; i < ngroups; i++) {
        if (cove_parse_u64(a[2 + i], &group) < 0 || group > UINT32_MAX) return errno = EINVAL, -1;
        groups[i] = (gid_t)group;
    }
    if (setgroups(ngroups, groups) < 0) return -1;
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return -1;
    if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0) return -1;
    if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) return -1;
    return prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
}

/* caps EFFECTIVE PERMITTED INHERITABLE AMBIENT (64-bit masks in decimal). */
int cove_step_caps(const struct cove_record *step) {
    uint64_t set[4];
    for (int i = 0; i < 4; i++)
        if (cove_parse_u64(step->argv[1 + i], &set[i]) < 0) return errno = EINVAL, -1;
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
        data[i].effective = (uint32_t)(set[0] >> (32 * i));
        data[i].permitted = (uint32_t)(set[1] >> (32 * i));
        data[i].inheritable = (uint32_t)(set[2] >> (32 * i));
    }
    if (syscall(SYS_capset, &header, data) < 0) return -1;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) return -1;
    for (int cap = 0; cap < 64; cap++)
        if ((set[3] & (1ull << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) return -1;
    return 0;
}

/* rlimit RESOURCE SOFT HARD (18446744073709551615 is unlimited). */
int cove_step_rlimit(const struct cove_record *step) {
    uint64_t resource, soft, hard;
    if (cove_parse_u64(step->argv[1], &resource) < 0 || cove_parse_u64(step->argv[2], &soft) < 0 ||
        cove_parse_u64(step->argv[3], &hard) < 0 || resource >= RLIM_NLIMITS)
        return errno = EINVAL, -1;
    struct rlimit limit = {(rlim_t)soft, (rlim_t)hard};
    return setrlimit((int)resource, &limit);
}

uint32_t cove_seccomp_action(const char *name, uint64_t errno_ret, int *ok) {
    *ok = 1;
    if (strcmp(name, "allow") == 0) return SCMP_ACT_ALLOW;
    if (strcmp(name, "errno") == 0 && errno_ret < 4096) return SCMP_ACT_ERRNO((uint32_t)errno_ret);
    if (strcmp(name, "kill-thread") == 0) return SCMP_ACT_KILL;
    if (strcmp(name, "kill-process") == 0) return SCMP_ACT_KILL_PROCESS;
    if (strcmp(name, "trap") == 0) return SCMP_ACT_TRAP;
    if (strcmp(name, "trace") == 0 && errno_ret < 65536) return SCMP_ACT_TRACE((uint32_t)errno_ret);
    if (strcmp(name, "log") == 0) return SCMP_ACT_LOG;
    *ok = 0;
    return 0;
}

/* The filter, compiled by the shim before it clones the init (which inherits it): from the
 * cache file when a valid one exists, else with libseccomp, then stored in the cache. */
static struct sock_fprog prepared;

static int read_cached(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    struct stat info;
    /* Only a file this root-owned cache made: root's, not writable by others, whole instructions. */
    if (fstat(fd, &info) < 0 || !S_ISREG(info.st_mode) || info.st_uid != 0 || (info.st_mode & 022) ||
        info.st_size <= 0 || info.st_size % (off_t)sizeof(struct sock_filter) || info.st_size > (1 << 20)) {
        close(fd);
        return -1;
    }
    struct sock_filter *program = malloc((size_t)info.st_size);
    ssize_t n = program ? read(fd, program, (size_t)info.st_size) : -1;
    close(fd);
    if (n != info.st_size) {
        free(program);
        return -1;
    }
    prepared.filter = program;
    prepared.len = (unsigned short)(info.st_size / (off_t)sizeof(struct sock_filter));
    return 0;
}

/* Builds the filter with libseccomp and writes its BPF to `out`; runs in a short-lived child,
 * so libseccomp's memory never stays in the long-lived shim. */
static int export_filter(const struct cove_config *config, int out) {
    scmp_filter_ctx ctx = seccomp_init(config->seccomp_default);
    if (!ctx) return -1;
    int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    for (unsigned i = 0; rc == 0 && i < config->nseccomp_arches; i++) {
        uint32_t arch = seccomp_arch_resolve_name(config->seccomp_arches[i]);
        if (!arch) continue;
        rc = seccomp_arch_add(ctx, arch);
        if (rc == -EEXIST) rc = 0;
    }
    for (unsigned i = 0; rc == 0 && i < config->nrules; i++) {
        const struct cove_seccomp_rule *rule = &config->rules[i];
        int nr = seccomp_syscall_resolve_name(rule->name);
        if (nr == __NR_SCMP_ERROR) continue; /* not a syscall on this kernel's arch, as runc skips it */
        if (rule->action == config->seccomp_default && rule->ncond == 0) continue;
        struct scmp_arg_cmp cmp[6];
        for (unsigned j = 0; j < rule->ncond; j++)
            cmp[j] = (struct scmp_arg_cmp){rule->cond[j].index, (enum scmp_compare)rule->cond[j].op,
                                           rule->cond[j].value, rule->cond[j].value_two};
        rc = seccomp_rule_add_array(ctx, rule->action, nr, rule->ncond, cmp);
        if (rc < 0) fprintf(stderr, "cove-shim: seccomp rule for %s: %s\n", rule->name, strerror(-rc));
    }
    if (rc == 0) rc = seccomp_export_bpf(ctx, out);
    seccomp_release(ctx);
    return rc;
}

static int compile(const struct cove_config *config, char *err, size_t errlen) {
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0) return snprintf(err, errlen, "pipe: %s", strerror(errno)), -1;
    pid_t pid = fork();
    if (pid < 0) return snprintf(err, errlen, "fork: %s", strerror(errno)), -1;
    if (pid == 0) {
        close(pipefd[0]);
        _exit(export_filter(config, pipefd[1]) < 0 ? 1 : 0);
    }
    close(pipefd[1]);
    size_t size = 0, capacity = 64 * 1024;
    char *program = malloc(capacity);
    ssize_t n = 0;
    while (program && size < capacity && (n = read(pipefd[0], program + size, capacity - size)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        size += (size_t)n;
    }
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (!program || n < 0 || size == capacity || size == 0 || size % sizeof(struct sock_filter) ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(program);
        return snprintf(err, errlen, "cannot compile the seccomp filter (see shim.log)"), -1;
    }
    prepared.filter = (struct sock_filter *)program;
    prepared.len = (unsigned short)(size / sizeof(struct sock_filter));
    if (config->seccomp_cache) {
        char temp[4200];
        snprintf(temp, sizeof temp, "%s.%d.tmp", config->seccomp_cache, (int)getpid());
        int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0) {
            int ok = write(fd, program, size) == (ssize_t)size;
            close(fd);
            if (!ok || rename(temp, config->seccomp_cache) < 0) unlink(temp);
        }
    }
    return 0;
}

int cove_seccomp_prepare(const struct cove_config *config, char *err, size_t errlen) {
    if (config->seccomp_cache && read_cached(config->seccomp_cache) == 0) return 0;
    return compile(config, err, errlen);
}

void cove_seccomp_release(void) {
    free(prepared.filter);
    prepared.filter = NULL;
}

/* Loads the prepared filter. Without no_new_privs this needs CAP_SYS_ADMIN, which the plan
 * guarantees by placing the step before the user switch. */
int cove_step_seccomp(void) {
    if (!prepared.filter) return errno = EINVAL, -1;
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prepared);
}
