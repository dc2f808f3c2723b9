/* Docker's json-file log: one JSON object per line, {"log":"...","stream":"stdout","time":"..."}
 * with the time in RFC 3339 with nanoseconds (trailing zeros trimmed, as Go prints it), and
 * rotation when the file would pass max_size: name.(N-1) -> name.N, ..., name -> name.1. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cove_log_open(struct cove_log *log, const char *path, long long max_size, unsigned max_files) {
    log->path = path;
    log->max_size = max_size;
    log->max_files = max_files;
    log->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (log->fd < 0) return -1;
    struct stat info;
    log->size = fstat(log->fd, &info) == 0 ? info.st_size : 0;
    return 0;
}

static void rotate(struct cove_log *log) {
    char from[4096], to[4096];
    close(log->fd);
    if (log->max_files > 1) {
        for (unsigned i = log->max_files - 1; i >= 2; i--) {
            snprintf(from, sizeof from, "%s.%u", log->path, i - 1);
            snprintf(to, sizeof to, "%s.%u", log->path, i);
            rename(from, to);
        }
        snprintf(to, sizeof to, "%s.1", log->path);
        rename(log->path, to);
    }
    log->fd = open(log->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
    log->size = 0;
}

/* Appends `data` JSON-escaped as Go's encoder does (<, >, & as \u003c, \u003e, \u0026). */
static size_t escape(char *out, const char *data, size_t len) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        switch (c) {
        case '"': out[o++] = '\\'; out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; out[o++] = '\\'; break;
        case '\n': out[o++] = '\\'; out[o++] = 'n'; break;
        case '\r': out[o++] = '\\'; out[o++] = 'r'; break;
        case '\t': out[o++] = '\\'; out[o++] = 't'; break;
        default:
            if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                memcpy(out + o, "\\u00", 4);
                out[o + 4] = hex[c >> 4];
                out[o + 5] = hex[c & 15];
                o += 6;
            } else {
                out[o++] = (char)c;
            }
        }
    }
    return o;
}

void cove_log_write(struct cove_log *log, const char *stream, const char *data, size_t len) {
    static char line[16384 * 6 + 256];
    char now[64];
    if (log->fd < 0 || len > 16384) return;
    cove_now_rfc3339(now, sizeof now);
    size_t o = 0;
    memcpy(line, "{\"log\":\"", 8);
    o = 8;
    o += escape(line + o, data, len);
    o += (size_t)snprintf(line + o, sizeof line - o, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream, now);
    if (log->max_size > 0 && log->size > 0 && log->size + (long long)o > log->max_size) rotate(log);
    if (log->fd < 0) return;
    size_t done = 0;
    while (done < o) {
        ssize_t n = write(log->fd, line + done, o - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += (size_t)n;
    }
    log->size += (long long)o;
}
