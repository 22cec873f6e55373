/* SPDX-License-Identifier: MIT */
/**
 * \brief the Linux x86_64 kernel ABI structures and constants that the
 *        platform uses, declared without the C library
 */

#ifndef _PLATFORM_LINUX_ABI_H_
#define _PLATFORM_LINUX_ABI_H_

#include <stddef.h>
#include <stdint.h>

enum {
	LINUX_EINTR = 4,
	LINUX_EBADF = 9,
	LINUX_EAGAIN = 11,
	LINUX_ENOMEM = 12,
	LINUX_ENFILE = 23,
	LINUX_EMFILE = 24,
	LINUX_EPIPE = 32,
	LINUX_ENOTSOCK = 88,
	LINUX_ECONNRESET = 104,
	LINUX_ETIMEDOUT = 110,
	LINUX_ECONNREFUSED = 111,
};

enum {
	LINUX_AF_UNIX = 1,
	LINUX_SOCK_SEQPACKET = 5,
	LINUX_SOCK_CLOEXEC = 02000000,
	LINUX_SOL_SOCKET = 1,
	LINUX_SO_TYPE = 3,
	LINUX_SCM_RIGHTS = 1,
	LINUX_MSG_CTRUNC = 0x8,
	LINUX_MSG_TRUNC = 0x20,
	LINUX_MSG_DONTWAIT = 0x40,
	LINUX_MSG_NOSIGNAL = 0x4000,
	LINUX_MSG_CMSG_CLOEXEC = 0x40000000,
	LINUX_F_DUPFD_CLOEXEC = 1030,
	LINUX_O_CLOEXEC = 02000000,
	LINUX_O_NONBLOCK = 04000,
};

enum {
	LINUX_EPOLL_CLOEXEC = 02000000,
	LINUX_EPOLL_CTL_ADD = 1,
	LINUX_EPOLL_CTL_DEL = 2,
	LINUX_EPOLLIN = 0x001,
	LINUX_EPOLLERR = 0x008,
	LINUX_EPOLLHUP = 0x010,
	LINUX_EPOLLRDHUP = 0x2000,
};

enum {
	LINUX_PROT_READ = 1,
	LINUX_PROT_WRITE = 2,
	LINUX_PROT_EXEC = 4,
	LINUX_MAP_SHARED = 0x01,
	LINUX_MAP_PRIVATE = 0x02,
	LINUX_MAP_FIXED = 0x10,
	LINUX_ARCH_SET_FS = 0x1002,
	LINUX_CLONE_VM = 0x00000100,
	LINUX_CLONE_FS = 0x00000200,
	LINUX_CLONE_FILES = 0x00000400,
	LINUX_CLONE_SIGHAND = 0x00000800,
	LINUX_CLONE_THREAD = 0x00010000,
	LINUX_CLONE_SYSVSEM = 0x00040000,
	LINUX_CLONE_SETTLS = 0x00080000,
	LINUX_CLONE_PARENT_SETTID = 0x00100000,
	LINUX_CLONE_CHILD_CLEARTID = 0x00200000,
	LINUX_EFD_CLOEXEC = 02000000,
	LINUX_EFD_NONBLOCK = 04000,
};

struct linux_iovec
{
	void *base;
	size_t length;
};

struct linux_msghdr
{
	void *name;
	int name_length;
	struct linux_iovec *iov;
	size_t iov_count;
	void *control;
	size_t control_length;
	int flags;
};

struct linux_cmsghdr
{
	size_t length;
	int level;
	int type;
	/* data follows, aligned to sizeof(size_t) */
};

#define LINUX_CMSG_ALIGN(len) (((len) + sizeof(size_t) - 1) & ~(sizeof(size_t) - 1))
#define LINUX_CMSG_SPACE(len) \
	(LINUX_CMSG_ALIGN(len) + LINUX_CMSG_ALIGN(sizeof(struct linux_cmsghdr)))
#define LINUX_CMSG_LEN(len) (LINUX_CMSG_ALIGN(sizeof(struct linux_cmsghdr)) + (len))
#define LINUX_CMSG_DATA(c) \
	((unsigned char *)(c) + LINUX_CMSG_ALIGN(sizeof(struct linux_cmsghdr)))

struct linux_stat
{
	uint64_t dev;
	uint64_t ino;
	uint64_t nlink;
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
	uint32_t pad0;
	uint64_t rdev;
	int64_t size;
	int64_t blksize;
	int64_t blocks;
	uint64_t times[6];
	int64_t unused[3];
};

struct linux_epoll_event
{
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

/**
 * The calling thread's thread pointer, read without a system call: the
 * x86_64 TLS convention puts at %fs:0 the address of the thread's own
 * record (glibc's thread control block in core, hybrids and host programs;
 * a component thread's struct thread, thread_linux.c), distinct for every
 * live thread.
 */
static inline uintptr_t linux_thread_pointer(void)
{
	uintptr_t self;
	__asm__("mov %%fs:0, %0" : "=r"(self));
	return self;
}

#endif /* _PLATFORM_LINUX_ABI_H_ */
