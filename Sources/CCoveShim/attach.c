/* STATE_DIR/attach.sock: what `docker attach` needs from the shim. Every client gets the
 * container's output as it comes (raw with a tty; otherwise Docker's multiplexed frames: a
 * header of stream 1 or 2, three zero bytes and a big-endian 32-bit length, then the bytes),
 * and what a client writes goes to the pty or to the stdin pipe (`-i`). A client that cannot
 * keep up is dropped rather than slowing the container; the log has everything. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int cove_attach_open(struct cove_attach *a, const char *dir) {
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    memset(a->clients, -1, sizeof a->clients);
    a->listen_fd = -1;
    if (snprintf(address.sun_path, sizeof address.sun_path, "%s/attach.sock", dir) >= (int)sizeof address.sun_path)
        return errno = ENAMETOOLONG, -1;
    unlink(address.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0 || chmod(address.sun_path, 0600) < 0 ||
        listen(fd, 8) < 0) {
        close(fd);
        return -1;
    }
    a->listen_fd = fd;
    return 0;
}

void cove_attach_accept(struct cove_attach *a) {
    int fd = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    for (int i = 0; i < COVE_ATTACH_MAX; i++)
        if (a->clients[i] < 0) {
            a->clients[i] = fd;
            return;
        }
    close(fd);
}

static void drop(struct cove_attach *a, int i) {
    close(a->clients[i]);
    a->clients[i] = -1;
}

void cove_attach_broadcast(struct cove_attach *a, int tty, int stream, const char *data, size_t len) {
    unsigned char header[8] = {(unsigned char)stream, 0, 0, 0, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                               (unsigned char)(len >> 8), (unsigned char)len};
    for (int i = 0; i < COVE_ATTACH_MAX; i++) {
        if (a->clients[i] < 0) continue;
        struct iovec parts[2] = {{header, sizeof header}, {(void *)data, len}};
        struct msghdr msg = {.msg_iov = tty ? parts + 1 : parts, .msg_iovlen = tty ? 1 : 2};
        ssize_t want = (ssize_t)len + (tty ? 0 : (ssize_t)sizeof header);
        if (sendmsg(a->clients[i], &msg, MSG_DONTWAIT | MSG_NOSIGNAL) != want) drop(a, i);
    }
}

void cove_attach_input(struct cove_attach *a, int i, int input_fd) {
    char buf[4096];
    ssize_t n = read(a->clients[i], buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        drop(a, i);
        return;
    }
    /* The input is non-blocking: what a container does not read in time is dropped, the shim
     * never waits on it. */
    for (ssize_t done = 0; input_fd >= 0 && done < n;) {
        ssize_t w = write(input_fd, buf + done, (size_t)(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        done += w;
    }
}
