/* SPDX-License-Identifier: MIT */
/**
 * \brief test-cpu: three named threads whose loops the parent inspects
 *
 * worker-a spins incrementing r12; worker-b stores an incrementing r13 into
 * cpu_watched (the watchpoint's target); worker-c executes int3 at
 * cpu_breakpoint, then spins like worker-a. The parent finds these labels in
 * the binary's symbol table.
 */

#include <base/env.h>
#include <base/log.h>
#include <base/thread.h>

uint64_t volatile cpu_watched;

/* the loops: plain instructions at known labels, no calls, no stack use */
void cpu_spin(void);
void cpu_write(void);
void cpu_trap(void);
__asm__(".text\n"
        ".global cpu_spin, cpu_spin_inc_end, cpu_write, cpu_write_store_end\n"
        ".global cpu_trap, cpu_breakpoint\n"
        "cpu_spin:\n"
        "	inc %r12\n"
        "cpu_spin_inc_end:\n"
        "	jmp cpu_spin\n"
        "cpu_write:\n"
        "	inc %r13\n"
        "	mov %r13, cpu_watched(%rip)\n"
        "cpu_write_store_end:\n"
        "	jmp cpu_write\n"
        "cpu_trap:\n"
        "cpu_breakpoint:\n"
        "	int3\n"
        "	jmp cpu_spin\n");

static void cpu_worker(void *argument) { ((void (*)(void))argument)(); }

int component_construct(struct env *env)
{
	static struct thread workers[3];
	static void (*const loops[3])(void) = { cpu_spin, cpu_write, cpu_trap };
	static char const *const names[3] = { "worker-a", "worker-b", "worker-c" };
	for (int i = 0; i < 3; i++) {
		enum thread_result r = thread_create(&workers[i], env, names[i], cpu_worker,
		                                     (void *)loops[i], THREAD_STACK_SIZE_DEFAULT);
		if (r != THREAD_OK) {
			log_error("could not create %s (%d)", names[i], (int)r);
			return 1;
		}
	}
	log_info("three workers started");
	cpu_spin(); /* the main thread spins too: the parent ends the child */
	return 0;
}
