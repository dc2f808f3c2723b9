/* The config file: a header line, then records. A record is `NAME ARGC\n` followed by ARGC
 * arguments, each `LENGTH:BYTES\n` (a netstring with a newline). Lengths are decimal, at most
 * 1 MiB; names are [a-z0-9-]; an argument may not contain NUL. Anything else is rejected with
 * the byte offset, so a truncated or corrupted file never runs half a container. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEADER "cove-shim-config 1\n"
#define MAX_CONFIG (8u << 20)
#define MAX_ARG (1u << 20)
#define MAX_ARGS 65536u

struct reader {
    const char *start, *p, *end;
};

/* Every parsed value lives in one anonymous mapping, so the long-lived shim can give it all
 * back (cove_config_release) once the container init holds its own copy. */
static char *arena;
static size_t arena_used, arena_size;

static void *arena_alloc(size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (!arena || size > arena_size - arena_used) return NULL;
    void *p = arena + arena_used;
    arena_used += size;
    return p;
}

static char *arena_strndup(const char *text, size_t len) {
    char *copy = arena_alloc(len + 1);
    if (!copy) return NULL;
    memcpy(copy, text, len);
    copy[len] = 0;
    return copy;
}

void cove_config_release(void) {
    if (arena) munmap(arena, arena_size);
    arena = NULL;
    arena_used = arena_size = 0;
}

int cove_parse_u64(const char *text, uint64_t *out) {
    if (!*text) return -1;
    uint64_t value = 0;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9') return -1;
        unsigned digit = (unsigned)(*c - '0');
        if (value > (UINT64_MAX - digit) / 10) return -1;
        value = value * 10 + digit;
    }
    *out = value;
    return 0;
}

static int read_decimal(struct reader *r, char stop, uint64_t limit, uint64_t *out) {
    uint64_t value = 0;
    const char *begin = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        value = value * 10 + (uint64_t)(*r->p - '0');
        if (value > limit) return -1;
        r->p++;
    }
    if (r->p == begin || r->p - begin > 10 || r->p >= r->end || *r->p != stop) return -1;
    r->p++;
    *out = value;
    return 0;
}

static int read_record(struct reader *r, struct cove_record *rec) {
    const char *begin = r->p;
    while (r->p < r->end && ((*r->p >= 'a' && *r->p <= 'z') || (*r->p >= '0' && *r->p <= '9') || *r->p == '-'))
        r->p++;
    size_t len = (size_t)(r->p - begin);
    if (len == 0 || len > 64 || r->p >= r->end || *r->p != ' ') return -1;
    r->p++;
    uint64_t argc;
    if (read_decimal(r, '\n', MAX_ARGS, &argc) < 0) return -1;
    rec->name = arena_strndup(begin, len);
    rec->argc = (unsigned)argc;
    rec->argv = arena_alloc((argc + 1) * sizeof(char *));
    if (rec->argv) memset(rec->argv, 0, (argc + 1) * sizeof(char *));
    if (!rec->name || !rec->argv) return -1;
    for (unsigned i = 0; i < argc; i++) {
        uint64_t size;
        if (read_decimal(r, ':', MAX_ARG, &size) < 0) return -1;
        if ((uint64_t)(r->end - r->p) < size + 1 || r->p[size] != '\n') return -1;
        if (memchr(r->p, '\0', size)) return -1;
        rec->argv[i] = arena_strndup(r->p, size);
        if (!rec->argv[i]) return -1;
        r->p += size + 1;
    }
    return 0;
}

static int namespace_flag(const char *name) {
    static const struct { const char *name; int flag; } table[] = {
        {"pid", CLONE_NEWPID}, {"mount", CLONE_NEWNS}, {"uts", CLONE_NEWUTS},
        {"ipc", CLONE_NEWIPC}, {"network", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0) return table[i].flag;
    return 0;
}

static int compare_op(const char *name) {
    static const char *names[] = {"", "ne", "lt", "le", "eq", "ge", "gt", "masked-eq"};
    for (int i = 1; i < 8; i++)
        if (strcmp(names[i], name) == 0) return i;
    return 0;
}

/* Step names and their argument counts (min, max); the executor reads the arguments. */
static const struct { const char *name; unsigned min, max; } step_table[] = {
    {"cgroupns", 0, 0},      {"propagation", 1, 1}, {"bind-rootfs", 0, 0}, {"mount", 6, 6},
    {"pivot-root", 0, 0},    {"mknod", 5, 5},       {"symlink", 2, 2},     {"console", 0, 0},
    {"stdin-null", 0, 0},    {"hostname", 1, 1},    {"sysctl", 2, 2},      {"readonly", 1, 1},
    {"mask", 1, 1},          {"readonly-root", 0, 0}, {"rlimit", 3, 3},   {"bounding", 1, 1},
    {"user", 2, 66},         {"chdir", 1, 1},       {"caps", 4, 4},        {"no-new-privs", 0, 0},
    {"seccomp", 0, 0},       {"setns", 1, 1},       {"pty", 0, 0},
};

static int check_step(const struct cove_record *step) {
    if (step->argc < 1) return -1;
    for (size_t i = 0; i < sizeof step_table / sizeof step_table[0]; i++)
        if (strcmp(step_table[i].name, step->argv[0]) == 0)
            return step->argc - 1 >= step_table[i].min && step->argc - 1 <= step_table[i].max ? 0 : -1;
    return -1;
}

static int parse_rule(const struct cove_record *rec, struct cove_seccomp_rule *rule) {
    uint64_t errno_ret;
    int ok;
    if (rec->argc < 3 || (rec->argc - 3) % 4 != 0 || (rec->argc - 3) / 4 > 6) return -1;
    if (cove_parse_u64(rec->argv[2], &errno_ret) < 0) return -1;
    rule->name = rec->argv[0];
    rule->action = cove_seccomp_action(rec->argv[1], errno_ret, &ok);
    if (!ok) return -1;
    rule->ncond = (rec->argc - 3) / 4;
    for (unsigned i = 0; i < rule->ncond; i++) {
        uint64_t index;
        char **a = rec->argv + 3 + 4 * i;
        if (cove_parse_u64(a[0], &index) < 0 || index > 5) return -1;
        rule->cond[i].index = (unsigned)index;
        rule->cond[i].op = compare_op(a[1]);
        if (!rule->cond[i].op) return -1;
        if (cove_parse_u64(a[2], &rule->cond[i].value) < 0) return -1;
        if (cove_parse_u64(a[3], &rule->cond[i].value_two) < 0) return -1;
    }
    return 0;
}

/* Appends to an array in the arena, doubling its room at powers of two (counts 1, 2, 4, ...). */
static int append(void **array, unsigned *count, size_t size, const void *item) {
    if ((*count & (*count - 1)) == 0) {
        void *grown = arena_alloc((*count ? *count * 2 : 1) * size);
        if (!grown) return -1;
        if (*count) memcpy(grown, *array, *count * size);
        *array = grown;
    }
    memcpy((char *)*array + *count * size, item, size);
    (*count)++;
    return 0;
}

/* TYPE MAJOR MINOR ACCESS: a|b|c, a number or *, a number or *, letters of rwm. */
static int parse_device_rule(char **a, struct cove_device_rule *rule) {
    uint64_t value;
    if (strcmp(a[0], "a") == 0) rule->type = 0;
    else if (strcmp(a[0], "b") == 0) rule->type = 1;
    else if (strcmp(a[0], "c") == 0) rule->type = 2;
    else return -1;
    int *numbers[2] = {&rule->major, &rule->minor};
    for (int i = 0; i < 2; i++) {
        if (strcmp(a[1 + i], "*") == 0) *numbers[i] = -1;
        else if (cove_parse_u64(a[1 + i], &value) == 0 && value < (1u << 20)) *numbers[i] = (int)value;
        else return -1;
    }
    if (!*a[3]) return -1;
    for (const char *c = a[3]; *c; c++) {
        if (*c == 'm') rule->access |= 1;
        else if (*c == 'r') rule->access |= 2;
        else if (*c == 'w') rule->access |= 4;
        else return -1;
    }
    return 0;
}

static int apply_record(struct cove_config *c, struct cove_record *rec) {
    const char *n = rec->name;
    uint64_t value;
    if (strcmp(n, "rootfs") == 0 && rec->argc == 1 && rec->argv[0][0] == '/') {
        c->rootfs = rec->argv[0];
    } else if (strcmp(n, "args") == 0 && rec->argc >= 1) {
        c->args = rec->argv;
    } else if (strcmp(n, "env") == 0) {
        c->env = rec->argv;
    } else if (strcmp(n, "tty") == 0 && rec->argc == 0) {
        c->tty = 1;
    } else if (strcmp(n, "open-stdin") == 0 && rec->argc == 0) {
        c->open_stdin = 1;
    } else if (strcmp(n, "init") == 0 && rec->argc == 0) {
        c->init = 1;
    } else if (strcmp(n, "namespaces") == 0) {
        for (unsigned i = 0; i < rec->argc; i++) {
            int flag = namespace_flag(rec->argv[i]);
            if (!flag) return -1;
            if (flag == CLONE_NEWCGROUP) c->cgroupns = 1; /* unshared after the cgroups are joined */
            else c->clone_flags |= flag;
        }
    } else if (strcmp(n, "cgroup") == 0 && rec->argc == 1 && rec->argv[0][0] == '/') {
        return append((void **)&c->cgroups, &c->ncgroups, sizeof(char *), &rec->argv[0]);
    } else if (strcmp(n, "log") == 0 && rec->argc == 3 && rec->argv[0][0] == '/') {
        c->log_path = rec->argv[0];
        if (cove_parse_u64(rec->argv[1], &value) < 0 || value > (1ull << 62)) return -1;
        c->log_max_size = (long long)value;
        if (cove_parse_u64(rec->argv[2], &value) < 0 || value < 1 || value > 1000) return -1;
        c->log_max_files = (unsigned)value;
    } else if (strcmp(n, "seccomp-default") == 0 && rec->argc == 2) {
        int ok;
        if (cove_parse_u64(rec->argv[1], &value) < 0) return -1;
        c->seccomp_default = cove_seccomp_action(rec->argv[0], value, &ok);
        if (!ok) return -1;
    } else if (strcmp(n, "seccomp-arch") == 0 && rec->argc == 1) {
        return append((void **)&c->seccomp_arches, &c->nseccomp_arches, sizeof(char *), &rec->argv[0]);
    } else if (strcmp(n, "device-cgroup") == 0 && rec->argc == 1 && rec->argv[0][0] == '/') {
        c->device_cgroup = rec->argv[0];
    } else if (strcmp(n, "device-allow") == 0 && rec->argc == 4) {
        struct cove_device_rule rule = {0};
        if (parse_device_rule(rec->argv, &rule) < 0) return -1;
        return append((void **)&c->device_rules, &c->ndevice_rules, sizeof rule, &rule);
    } else if (strcmp(n, "seccomp-cache") == 0 && rec->argc == 1 && rec->argv[0][0] == '/') {
        c->seccomp_cache = rec->argv[0];
    } else if (strcmp(n, "exec-pid") == 0 && rec->argc == 1) {
        if (cove_parse_u64(rec->argv[0], &value) < 0 || value < 1 || value > (1u << 22)) return -1;
        c->exec_pid = (pid_t)value;
    } else if (strcmp(n, "syscall") == 0) {
        struct cove_seccomp_rule rule = {0};
        if (parse_rule(rec, &rule) < 0) return -1;
        return append((void **)&c->rules, &c->nrules, sizeof rule, &rule);
    } else if (strcmp(n, "step") == 0) {
        if (check_step(rec) < 0) return -1;
        return append((void **)&c->steps, &c->nsteps, sizeof *rec, rec);
    } else {
        return -1;
    }
    return 0;
}

int cove_config_parse(const char *data, size_t size, struct cove_config *out, char *err, size_t errlen) {
    struct reader r = {data, data, data + size};
    memset(out, 0, sizeof *out);
    out->log_max_files = 1;
    out->seccomp_default = SCMP_ACT_ALLOW;
    if (size < strlen(HEADER) || memcmp(data, HEADER, strlen(HEADER)) != 0) {
        snprintf(err, errlen, "not a cove-shim config (bad header)");
        return -1;
    }
    r.p += strlen(HEADER);
    while (r.p < r.end) {
        size_t offset = (size_t)(r.p - r.start);
        struct cove_record rec = {0};
        if (read_record(&r, &rec) < 0) {
            snprintf(err, errlen, "malformed record at byte %zu", offset);
            return -1;
        }
        if (apply_record(out, &rec) < 0) {
            snprintf(err, errlen, "invalid record \"%s\" at byte %zu", rec.name, offset);
            return -1;
        }
    }
    if (!out->rootfs || !out->args || !out->args[0]) {
        snprintf(err, errlen, "the config has no rootfs or no process arguments");
        return -1;
    }
    if (!out->env) {
        out->env = arena_alloc(sizeof(char *));
        if (out->env) out->env[0] = NULL;
    }
    return out->env ? 0 : -1;
}

int cove_config_load(const char *path, struct cove_config *out, char *err, size_t errlen) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char *data = malloc(MAX_CONFIG);
    size_t size = 0;
    ssize_t n;
    while (data && size < MAX_CONFIG && (n = read(fd, data + size, MAX_CONFIG - size)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        size += (size_t)n;
    }
    close(fd);
    if (!data || size >= MAX_CONFIG) {
        snprintf(err, errlen, "cannot read %s (too large or out of memory)", path);
        free(data);
        return -1;
    }
    /* Room for the worst case (every argument empty: 16 bytes each for 3 in the file) and the
     * doubled arrays; only the pages used are ever touched. */
    arena_size = size * 16 + (1u << 20);
    arena = mmap(NULL, arena_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (arena == MAP_FAILED) {
        arena = NULL;
        free(data);
        snprintf(err, errlen, "out of memory for the config");
        return -1;
    }
    int result = cove_config_parse(data, size, out, err, errlen);
    free(data); /* every record holds its own copies */
    return result;
}

/* `cove-shim check FILE`: the parsed config, one line per item (used by tests and fuzzing). */
void cove_config_dump(const struct cove_config *c) {
    if (c->exec_pid) printf("exec-pid %d\n", (int)c->exec_pid);
    printf("rootfs %s\nclone 0x%x cgroupns %d tty %d stdin %d init %d\n", c->rootfs, c->clone_flags, c->cgroupns,
           c->tty, c->open_stdin, c->init);
    for (char **a = c->args; *a; a++) printf("arg %s\n", *a);
    for (char **e = c->env; *e; e++) printf("env %s\n", *e);
    for (unsigned i = 0; i < c->ncgroups; i++) printf("cgroup %s\n", c->cgroups[i]);
    if (c->log_path) printf("log %s %lld %u\n", c->log_path, c->log_max_size, c->log_max_files);
    printf("seccomp-default 0x%x rules %u\n", c->seccomp_default, c->nrules);
    for (unsigned i = 0; i < c->nsteps; i++) {
        printf("step %u", i + 1);
        for (unsigned j = 0; j < c->steps[i].argc; j++) printf(" %s", c->steps[i].argv[j]);
        printf("\n");
    }
}
