/* SPDX-License-Identifier: MIT */
/**
 * \brief threads on Linux: clone inside the component, then tell core which
 *        cpu_thread the new kernel thread is
 *
 * The per-thread pointer is the fs base: it points at the thread's record,
 * whose first word points at itself (the x86_64 TLS convention).
 */

#include <base/env.h>
#include <base/log.h>
#include <base/thread.h>

#include "futex.h"
#include "linux_abi.h"
#include "linux_session.h"
#include "syscall.h"
#include "thread_linux.h"

/*
 * clone(flags, stack, parent_tid, child_tid, tls) with the child starting in
 * `function(argument)` on `stack`; returns the child's tid or -errno. A
 * debugger's backtrace of the child ends here.
 */
long thread_linux_clone(unsigned long flags, void *stack, int32_t *parent_tid,
                        int32_t *child_tid, void *tls, void (*function)(struct thread *),
                        struct thread *argument);

/*
 * The call frame information of thread_linux_clone says where each thread's
 * stack ends: in the child, the return address is undefined (the outermost
 * frame), so that a debugger's backtrace stops at thread_linux_clone instead
 * of reading on past the stack's top.
 */
__asm__(".text\n"
        ".type thread_linux_clone, @function\n"
        "thread_linux_clone:\n"
        "	.cfi_startproc\n"
        "	mov 8(%rsp), %rax\n" /* argument */
        "	sub $16, %rsi\n"     /* function and argument on the child's stack */
        "	mov %r9, (%rsi)\n"
        "	mov %rax, 8(%rsi)\n"
        "	mov %rcx, %r10\n"
        "	mov $56, %eax\n" /* SYS_clone */
        "	syscall\n"
        "	test %rax, %rax\n"
        "	jnz 1f\n"
        "	.cfi_remember_state\n"
        "	.cfi_undefined %rip\n"
        "	xor %ebp, %ebp\n" /* the child */
        "	pop %rax\n"
        "	pop %rdi\n"
        "	and $-16, %rsp\n"
        "	call *%rax\n"
        "	ud2\n"
        "	.cfi_restore_state\n"
        "1:	ret\n"
        "	.cfi_endproc\n"
        ".size thread_linux_clone, .-thread_linux_clone\n");

void thread_linux_start(struct thread *thread)
{
	long tid = linux_syscall1(SYS_gettid, 0);
	struct linux_pd_cap pd = CAP_CAST(linux_pd, thread->env->pd);
	enum pd_session_result r = linux_pd_bind_thread(pd, thread->cap, (int32_t)tid);
	if (r != PD_OK) log_error("thread: core refused to bind '%s' (%d)", thread->name, (int)r);
	thread_run(thread);
}

/*
 * Clone `thread` (its record and stack set up) with the flags of every thread
 * of a component; the child's first step is `begin(thread)`. Joinable: the
 * kernel clears thread->tid at the thread's end.
 */
static enum thread_result thread_linux_clone_thread(struct thread *thread,
                                                    void (*begin)(struct thread *))
{
	unsigned long const flags = LINUX_CLONE_VM | LINUX_CLONE_FS | LINUX_CLONE_FILES |
	                            LINUX_CLONE_SIGHAND | LINUX_CLONE_THREAD | LINUX_CLONE_SYSVSEM |
	                            LINUX_CLONE_SETTLS | LINUX_CLONE_PARENT_SETTID |
	                            LINUX_CLONE_CHILD_CLEARTID;
	void *stack_top = (char *)thread->stack_base + thread->stack_size;
	long tid =
	    thread_linux_clone(flags, stack_top, &thread->tid, &thread->tid, thread, begin, thread);
	if (tid < 0) {
		log_error("thread: clone of '%s' failed (%ld)", thread->name, tid);
		return THREAD_PLATFORM_ERROR;
	}
	return THREAD_OK;
}

enum thread_result platform_thread_start(struct thread *thread)
{
	return thread_linux_clone_thread(thread, thread_linux_start);
}

enum thread_result thread_linux_create(struct thread *thread, struct env *env, char const *name,
                                       thread_entry_function entry, void *argument, void *stack,
                                       uint64_t stack_size, void (*begin)(struct thread *))
{
	enum thread_result r = thread_prepare(thread, env, name, entry, argument);
	if (r != THREAD_OK) return r;
	thread->stack_base = stack;
	thread->stack_size = stack_size;
	r = thread_linux_clone_thread(thread, begin);
	if (r != THREAD_OK) thread_unprepare(thread);
	return r;
}

void platform_thread_wait_exit(struct thread *thread)
{
	for (;;) {
		int32_t tid = __atomic_load_n(&thread->tid, __ATOMIC_ACQUIRE);
		if (tid == 0) return;
		futex_wait_shared(&thread->tid, tid);
	}
}

void platform_thread_set_self(struct thread *thread)
{
	linux_syscall2(SYS_arch_prctl, LINUX_ARCH_SET_FS, (long)thread);
}

struct thread *thread_self(void) { return (struct thread *)linux_thread_pointer(); }

void platform_thread_exit(void)
{
	for (;;) linux_syscall1(SYS_exit, 0);
}
