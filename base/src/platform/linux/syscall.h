/* SPDX-License-Identifier: MIT */
/**
 * \brief raw Linux system calls for x86_64, without the C library
 *
 * Every function returns the kernel's raw result: a non-negative value, or
 * -errno. Callers translate -errno into their own result enums at once.
 */

#ifndef _PLATFORM_LINUX_SYSCALL_H_
#define _PLATFORM_LINUX_SYSCALL_H_

enum {
	SYS_read = 0,
	SYS_write = 1,
	SYS_close = 3,
	SYS_fstat = 5,
	SYS_mmap = 9,
	SYS_munmap = 11,
	SYS_rt_sigaction = 13,
	SYS_rt_sigprocmask = 14,
	SYS_mprotect = 10,
	SYS_getpid = 39,
	SYS_sched_yield = 24,
	SYS_socketpair = 53,
	SYS_getsockopt = 55,
	SYS_sendmsg = 46,
	SYS_recvmsg = 47,
	SYS_shutdown = 48,
	SYS_clone = 56,
	SYS_exit = 60,
	SYS_kill = 62,
	SYS_fcntl = 72,
	SYS_arch_prctl = 158,
	SYS_gettid = 186,
	SYS_tkill = 200,
	SYS_futex = 202,
	SYS_clock_gettime = 228,
	SYS_exit_group = 231,
	SYS_epoll_wait = 232,
	SYS_epoll_ctl = 233,
	SYS_tgkill = 234,
	SYS_eventfd2 = 290,
	SYS_epoll_create1 = 291,
	SYS_ppoll = 271,
	SYS_memfd_create = 319,
};

static inline long linux_syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

static inline long linux_syscall3(long n, long a1, long a2, long a3)
{
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a1), "S"(a2), "d"(a3)
	                 : "rcx", "r11", "memory");
	return ret;
}

static inline long linux_syscall4(long n, long a1, long a2, long a3, long a4)
{
	return linux_syscall6(n, a1, a2, a3, a4, 0, 0);
}

static inline long linux_syscall1(long n, long a1) { return linux_syscall3(n, a1, 0, 0); }

static inline long linux_syscall2(long n, long a1, long a2)
{
	return linux_syscall3(n, a1, a2, 0);
}

/**
 * a system call that may block for long (a futex wait, a wait for events, a
 * receive): the raw result as above, through the one out-of-line kernel entry
 * where a debugger finds every blocked thread (futex.c)
 */
long linux_syscall_blocking(long n, long a1, long a2, long a3, long a4, long a5, long a6);

#endif /* _PLATFORM_LINUX_SYSCALL_H_ */
