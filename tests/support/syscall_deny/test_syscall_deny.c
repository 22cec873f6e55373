/* SPDX-License-Identifier: MIT */
/** \brief test support: make chosen system calls fail (a seccomp filter) */

#include <errno.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "test_syscall_deny.h"

bool test_syscall_deny(long const *numbers, unsigned count)
{
	if (count == 0 || count > TEST_SYSCALL_DENY_MAX) return false;

	/* another architecture's calls are killed: their numbers mean other calls */
	struct sock_filter program[4 + 2 * TEST_SYSCALL_DENY_MAX + 1];
	unsigned n = 0;
	program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	                                            offsetof(struct seccomp_data, arch));
	program[n++] =
	    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	                                            offsetof(struct seccomp_data, nr));
	for (unsigned i = 0; i < count; i++) {
		program[n++] =
		    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)numbers[i], 0, 1);
		program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	}
	program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

	struct sock_fprog filter = { (unsigned short)n, program };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
	/* every thread, so that a serving or waiting thread made earlier is covered too */
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &filter) ==
	       0;
}
