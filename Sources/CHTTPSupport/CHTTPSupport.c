#define _GNU_SOURCE
#include "CHTTPSupport.h"
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <pthread.h>

int chttp_accept_nonblocking(int fd, struct sockaddr *address, unsigned int *length) {
    return accept4(fd, address, (socklen_t *)length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int chttp_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int chttp_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &event);
}

int chttp_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event buffer[256];
    if (max > 256) max = 256;
    int count = epoll_wait(epfd, buffer, max, timeout_ms);
    for (int i = 0; i < count; i++) {
        data[i] = buffer[i].data.u64;
        events[i] = buffer[i].events;
    }
    return count;
}

int chttp_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

void chttp_eventfd_signal(int fd) {
    uint64_t one = 1;
    (void)!write(fd, &one, sizeof one);
}

void chttp_eventfd_drain(int fd) {
    uint64_t value;
    (void)!read(fd, &value, sizeof value);
}

int chttp_renice_current_thread(int increment) {
    id_t thread = (id_t)syscall(SYS_gettid);
    errno = 0;
    int current = getpriority(PRIO_PROCESS, thread);
    if (current == -1 && errno != 0) return -100;
    if (increment == 0) return current;
    if (setpriority(PRIO_PROCESS, thread, current + increment) != 0) return -100;
    errno = 0;
    int now = getpriority(PRIO_PROCESS, thread);
    return (now == -1 && errno != 0) ? -100 : now;
}

int chttp_set_current_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

int chttp_current_thread_name(char *name, size_t length) {
    return pthread_getname_np(pthread_self(), name, length);
}
