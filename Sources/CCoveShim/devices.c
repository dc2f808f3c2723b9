/* cgroup v2 has no devices.allow file: device access is decided by an eBPF program attached
 * to the cgroup (BPF_CGROUP_DEVICE), as runc does. The shim builds it from the plan's
 * `device-allow TYPE MAJOR MINOR ACCESS` records (TYPE a|b|c, MAJOR/MINOR a number or *,
 * ACCESS a subset of rwm): a device is allowed when a rule matches it, denied otherwise. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_INSNS 1024

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
    struct bpf_insn i = {.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
    return i;
}

/* One rule: conditional jumps past its end when a field does not match, else return 1. */
static int emit_rule(struct bpf_insn *out, const struct cove_device_rule *rule) {
    int n = 0;
    int jumps[4], njumps = 0;
    if (rule->type) {
        jumps[njumps++] = n;
        out[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_3, 0, 0, rule->type);
    }
    if ((rule->access & 7) != 7) {
        out[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_4, 0, 0);
        out[n++] = insn(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_7, 0, 0, (int32_t)(~rule->access & 7));
        jumps[njumps++] = n;
        out[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_7, 0, 0, 0);
    }
    if (rule->major >= 0) {
        jumps[njumps++] = n;
        out[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, rule->major);
    }
    if (rule->minor >= 0) {
        jumps[njumps++] = n;
        out[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_6, 0, 0, rule->minor);
    }
    out[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
    out[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    for (int j = 0; j < njumps; j++) out[jumps[j]].off = (int16_t)(n - jumps[j] - 1);
    return n;
}

int cove_attach_device_filter(const struct cove_config *config, char *err, size_t errlen) {
    static struct bpf_insn program[MAX_INSNS];
    int n = 0;
    /* r2 = access_type; r3 = type (low 16 bits); r4 = access (high 16); r5 = major; r6 = minor */
    program[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
    program[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0);
    program[n++] = insn(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_3, 0, 0, 0xffff);
    program[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_4, BPF_REG_2, 0, 0);
    program[n++] = insn(BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_4, 0, 0, 16);
    program[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 4, 0);
    program[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_6, BPF_REG_1, 8, 0);
    for (unsigned i = 0; i < config->ndevice_rules; i++) {
        if (n + 8 > MAX_INSNS - 2) return snprintf(err, errlen, "too many device rules"), -1;
        n += emit_rule(program + n, &config->device_rules[i]);
    }
    program[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
    program[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

    union bpf_attr load;
    memset(&load, 0, sizeof load);
    load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    load.insns = (uint64_t)(uintptr_t)program;
    load.insn_cnt = (uint32_t)n;
    load.license = (uint64_t)(uintptr_t) "Apache";
    int prog = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load);
    if (prog < 0) {
        /* Again with the verifier's log, for the shim's log. */
        static char log[8192];
        int saved = errno;
        load.log_level = 1;
        load.log_buf = (uint64_t)(uintptr_t)log;
        load.log_size = sizeof log;
        if (syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load) < 0) fprintf(stderr, "cove-shim: verifier: %s\n", log);
        for (char *c = log; *c; c++)
            if (*c == '\n') *c = ' ';
        return snprintf(err, errlen, "device filter: BPF_PROG_LOAD: %s (%.300s)", strerror(saved), log), -1;
    }
    int cgroup = open(config->device_cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgroup < 0) {
        close(prog);
        return snprintf(err, errlen, "device filter: %s: %s", config->device_cgroup, strerror(errno)), -1;
    }
    union bpf_attr attach;
    memset(&attach, 0, sizeof attach);
    attach.target_fd = (uint32_t)cgroup;
    attach.attach_bpf_fd = (uint32_t)prog;
    attach.attach_type = BPF_CGROUP_DEVICE;
    int rc = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof attach);
    int saved = errno;
    close(cgroup);
    close(prog); /* the attachment holds the program */
    if (rc < 0) return snprintf(err, errlen, "device filter: BPF_PROG_ATTACH: %s", strerror(saved)), -1;
    return 0;
}
