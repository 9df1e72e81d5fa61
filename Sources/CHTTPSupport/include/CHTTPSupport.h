#ifndef CHTTPSUPPORT_H
#define CHTTPSUPPORT_H
/* Linux calls the HTTP server needs that Swift's Glibc module does not expose (they are
   declared only under _GNU_SOURCE, or use a packed struct): accept4, epoll and eventfd.
   epoll_wait's packed epoll_event array is unpacked here into two plain arrays. */
#include <stdint.h>
#include <stddef.h>

/* Only forward declarations of system types here: including <sys/socket.h> would make
   this module, not Glibc, the owner of SOCK_STREAM and friends in Swift. */
struct sockaddr;

enum {
    CHTTP_EPOLLIN = 0x001,
    CHTTP_EPOLLOUT = 0x004,
    CHTTP_EPOLLERR = 0x008,
    CHTTP_EPOLLHUP = 0x010,
    CHTTP_EPOLLRDHUP = 0x2000,
};

enum { CHTTP_EPOLL_CTL_ADD = 1, CHTTP_EPOLL_CTL_DEL = 2, CHTTP_EPOLL_CTL_MOD = 3 };

/* accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC. */
int chttp_accept_nonblocking(int fd, struct sockaddr *address, unsigned int *length);
/* epoll_create1(EPOLL_CLOEXEC). */
int chttp_epoll_create(void);
int chttp_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/* epoll_wait into `data[i]`/`events[i]`; returns the count, or -1 with errno. */
int chttp_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms);
/* eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), and its signal/drain. */
int chttp_eventfd(void);
void chttp_eventfd_signal(int fd);
void chttp_eventfd_drain(int fd);
/* Adds `increment` to the calling thread's nice value (Linux: setpriority on its thread id);
   returns the nice value now, or -100 when it could not be read or changed. Raising nice
   needs no privilege; lowering it again would, so callers use it on threads of their own. */
int chttp_renice_current_thread(int increment);
/* The calling thread's name (Linux: at most 15 bytes): set it, or copy it into `name`. */
int chttp_set_current_thread_name(const char *name);
int chttp_current_thread_name(char *name, size_t length);
#endif
