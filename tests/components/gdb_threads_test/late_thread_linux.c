/* SPDX-License-Identifier: MIT */
/**
 * \brief late threads on Linux: a clone, then a wait for the gate before
 *        the thread tells core which cpu_thread it is
 *
 * As the platform's thread start (base/src/platform/linux/component/
 * thread_linux.c), with the wait between the clone and the bind.
 */

#include <base/log.h>
#include <util/string.h>

#include "late_thread.h"
#include "linux_abi.h"
#include "linux_session.h"
#include "syscall.h"

static void late_thread_begin(struct late_thread *late) __attribute__((used));

/*
 * clone(flags, stack, -, -, tls) with the child calling late_thread_begin(late)
 * on `stack`; returns the child's tid or -errno. As the platform's clone,
 * which is local to thread_linux.c: in the child the return address is
 * undefined, so that a debugger's backtrace ends at late_thread_clone.
 */
long late_thread_clone(unsigned long flags, void *stack, void *tls, struct late_thread *late);
__asm__(".text\n"
        ".type late_thread_clone, @function\n"
        "late_thread_clone:\n"
        "	.cfi_startproc\n"
        "	sub $8, %rsi\n" /* late on the child's stack */
        "	mov %rcx, (%rsi)\n"
        "	mov %rdx, %r8\n" /* tls */
        "	xor %edx, %edx\n"
        "	xor %r10d, %r10d\n"
        "	mov $56, %eax\n" /* SYS_clone */
        "	syscall\n"
        "	test %rax, %rax\n"
        "	jnz 1f\n"
        "	.cfi_remember_state\n"
        "	.cfi_undefined %rip\n"
        "	xor %ebp, %ebp\n" /* the child */
        "	pop %rdi\n"
        "	and $-16, %rsp\n"
        "	call late_thread_begin\n"
        "	ud2\n"
        "	.cfi_restore_state\n"
        "1:	ret\n"
        "	.cfi_endproc\n"
        ".size late_thread_clone, .-late_thread_clone\n");

enum { LATE_THREAD_SYS_SCHED_YIELD = 24 };

static void late_thread_begin(struct late_thread *late)
{
	struct thread *thread = &late->thread;
	/* running, unknown to core: an all-stop leaves it alone; it yields the CPU to the
	   debugger, the monitor and core meanwhile */
	while (*late->gate < late->go) linux_syscall1(LATE_THREAD_SYS_SCHED_YIELD, 0);
	long tid = linux_syscall1(SYS_gettid, 0);
	struct linux_pd_cap pd = CAP_CAST(linux_pd, thread->env->pd);
	enum pd_session_result r = linux_pd_bind_thread(pd, thread->cap, (int32_t)tid);
	if (r != PD_OK)
		log_error("late thread: core refused to bind '%s' (%d)", thread->name, (int)r);
	thread_run(thread);
}

bool late_thread_start(struct late_thread *late, struct env *env, char const *name,
                       thread_entry_function entry, void *argument, int volatile const *gate,
                       int go)
{
	memory_set(late, 0, sizeof(*late));
	struct thread *thread = &late->thread;
	thread->self = thread;
	thread->env = env;
	thread->entry = entry;
	thread->argument = argument;
	thread->stack_base = late->stack;
	thread->stack_size = sizeof(late->stack);
	string_copy(thread->name, name, sizeof(thread->name));
	late->gate = gate;
	late->go = go;
	if (cpu_session_create_thread(env->cpu, env->pd, name, &thread->cap) != CPU_OK) {
		log_error("late thread: the CPU session refused '%s'", name);
		return false;
	}
	/* as the platform's threads, but never joined: no tid to clear */
	unsigned long const flags = LINUX_CLONE_VM | LINUX_CLONE_FS | LINUX_CLONE_FILES |
	                            LINUX_CLONE_SIGHAND | LINUX_CLONE_THREAD | LINUX_CLONE_SYSVSEM |
	                            LINUX_CLONE_SETTLS;
	long tid = late_thread_clone(flags, late->stack + sizeof(late->stack), thread, late);
	if (tid < 0) {
		log_error("late thread: clone of '%s' failed (%ld)", name, tid);
		return false;
	}
	return true;
}
