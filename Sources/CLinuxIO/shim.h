// Glibc's Swift overlay leaves out epoll, eventfd, accept4, pthread_setname_np and gettid
// (GNU extensions); the event loops and their threads need them.
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/types.h>

extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
extern int pthread_setname_np(pthread_t thread, const char *name);
extern pid_t gettid(void);
