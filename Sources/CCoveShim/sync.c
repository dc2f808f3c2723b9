/* The sync socket (AF_UNIX, SOCK_SEQPACKET) between the shim and the child: one message per
 * sync point ("1".."4"), or an error from the child ("E 7 pivot-root: Operation not permitted"),
 * or a descriptor (the pty master) passed with SCM_RIGHTS. */
#include "shim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

const char *cove_step_word = "step";

int cove_sync_send(int fd, int point) {
    char message[2] = {(char)('0' + point), 0};
    ssize_t n;
    do n = send(fd, message, 1, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == 1 ? 0 : -1;
}

int cove_sync_send_error(int fd, unsigned step, const char *name, const char *detail, int code) {
    char message[1024];
    int len = snprintf(message, sizeof message, "E %s %u %s%s%s: %s", cove_step_word, step, name, *detail ? " " : "", detail,
                       strerror(code));
    if (len < 0) return -1;
    if ((size_t)len >= sizeof message) len = sizeof message - 1;
    return send(fd, message, (size_t)len, MSG_NOSIGNAL) == len ? 0 : -1;
}

int cove_sync_send_fd(int fd, int passed) {
    char byte = 'F';
    struct iovec iov = {&byte, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &passed, sizeof(int));
    return sendmsg(fd, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int cove_sync_recv(int fd, char *err, size_t errlen, int *passed) {
    char message[1024];
    struct iovec iov = {message, sizeof message - 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    ssize_t n;
    do n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    if (n == 0) return 0;
    message[n] = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && passed)
            memcpy(passed, CMSG_DATA(c), sizeof(int));
    if (message[0] == 'F') return 'F';
    if (message[0] == 'E') {
        snprintf(err, errlen, "%s", message + 2);
        return -2;
    }
    if (n == 1 && message[0] >= '1' && message[0] <= '9') return message[0] - '0';
    snprintf(err, errlen, "unexpected sync message");
    return -1;
}
