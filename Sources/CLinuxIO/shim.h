// Glibc's Swift overlay leaves out epoll, eventfd and accept4 (a GNU extension); the event
// loops need all three.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
