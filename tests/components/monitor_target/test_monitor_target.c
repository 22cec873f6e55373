/* SPDX-License-Identifier: MIT */
/**
 * \brief test-monitor-target: the debuggee of run/monitor_core.run
 *
 * Named threads with loops at known labels, globals that the monitor reads
 * and writes, two regions that adjoin, threads that come and go, and a
 * fault. The monitor steers it through target_command and waits for
 * target_state; it finds the labels in the binary's symbol table.
 *
 *   worker-a     calls target_tick and target_twin, counts target_counter
 *   worker-b     stores a count into target_watched (target_store), calls
 *                target_twin
 *   worker-late  started by command 1, ends and is joined on command 2
 *   faulter      started by command 3, reads 0xdead0000 (target_fault)
 *   main         exits with code 7 on command 4
 *   worker-brief started by command 5, ends at once, never joined
 */

#include <base/env.h>
#include <base/log.h>
#include <base/thread.h>

uint64_t volatile target_global = 0x1234567890abcdefull;
uint64_t volatile target_command; /* written by the monitor */
uint64_t volatile target_state;   /* 1 ready, 2 worker-late runs, 3 it is joined, 4 faulter */
uint64_t volatile target_counter;
uint64_t volatile target_ticks;
uint64_t volatile target_twins; /* calls of target_twin, by both workers */
uint64_t volatile target_watched;
uint64_t volatile target_pair; /* two adjoining regions, 'A' then 'B' */
static uint64_t volatile target_late_stop;
static uint32_t target_running; /* workers that run (and are known to core by now) */

/* plain instructions at known labels */
void target_tick(void);
void target_twin(void);
void target_store(uint64_t value);
void target_fault(void);
__asm__(".text\n"
        ".global target_tick, target_tick_end, target_twin, target_store, target_store_end\n"
        ".global target_fault, target_fault_read\n"
        "target_tick:\n"
        "	incq target_ticks(%rip)\n"
        "target_tick_end:\n"
        "	ret\n"
        "target_twin:\n"
        "	lock incq target_twins(%rip)\n"
        "	ret\n"
        "target_store:\n"
        "	mov %rdi, target_watched(%rip)\n"
        "target_store_end:\n"
        "	ret\n"
        "target_fault:\n"
        "	mov $0xdead0000, %ecx\n"
        "target_fault_read:\n"
        "	mov (%rcx), %rax\n"
        "	ret\n");

static void target_worker_a(void *argument)
{
	(void)argument;
	__atomic_add_fetch(&target_running, 1, __ATOMIC_RELEASE);
	for (;;) {
		target_tick();
		target_twin();
		target_counter++;
	}
}

static void target_worker_b(void *argument)
{
	(void)argument;
	__atomic_add_fetch(&target_running, 1, __ATOMIC_RELEASE);
	for (uint64_t i = 0;; i++) {
		target_store(i);
		target_twin();
		for (int volatile delay = 0; delay < 1000; delay++) {}
	}
}

static void target_worker_late(void *argument)
{
	(void)argument;
	target_state = 2; /* from the thread itself: it runs (and is bound to core) */
	while (!target_late_stop) __asm__ volatile("pause");
}

static void target_worker_brief(void *argument) { (void)argument; }

static void target_faulter(void *argument)
{
	(void)argument;
	target_fault();
}

/* two RAM dataspaces attached back to back, filled with 'A' and 'B' */
static bool target_pair_attach(struct env *env)
{
	struct dataspace_cap hole, a, b;
	if (ram_session_alloc(env->ram, 2 * PAGE_SIZE, &hole) != RAM_OK ||
	    ram_session_alloc(env->ram, PAGE_SIZE, &a) != RAM_OK ||
	    ram_session_alloc(env->ram, PAGE_SIZE, &b) != RAM_OK)
		return false;
	/* a free range of two pages: where the hole goes, then the pair in its place */
	struct env_attach_result at = env_attach_all(env, hole, false);
	if (at.result != ENV_OK) return false;
	env_detach(env, at.address);
	(void)ram_session_free(env->ram, hole);
	cap_close(hole.cap);
	uint64_t start = (uint64_t)(uintptr_t)at.address;
	struct rm_attach_args args = { .size = PAGE_SIZE, .use_at = true, .writeable = true };
	args.at = start;
	struct env_attach_result first = env_attach(env, a, args);
	args.at = start + PAGE_SIZE;
	struct env_attach_result second = env_attach(env, b, args);
	if (first.result != ENV_OK || second.result != ENV_OK) return false;
	for (unsigned i = 0; i < PAGE_SIZE; i++) {
		((char *)first.address)[i] = 'A';
		((char *)second.address)[i] = 'B';
	}
	target_pair = start;
	return true;
}

static void target_thread(struct thread *thread, struct env *env, char const *name,
                          thread_entry_function entry)
{
	if (thread_create(thread, env, name, entry, 0, THREAD_STACK_SIZE_DEFAULT) != THREAD_OK) {
		log_error("could not create %s", name);
		env_exit(env, 1);
	}
}

int component_construct(struct env *env)
{
	static struct thread worker_a, worker_b, late, faulter, brief;
	log_info("target_global is 0x%lx", (unsigned long)target_global);
	if (!target_pair_attach(env)) {
		log_error("could not attach the pair of regions");
		return 1;
	}
	target_thread(&worker_a, env, "worker-a", target_worker_a);
	target_thread(&worker_b, env, "worker-b", target_worker_b);
	/* ready when both run: a thread that has not named itself to core yet cannot be paused */
	while (__atomic_load_n(&target_running, __ATOMIC_ACQUIRE) != 2) __asm__ volatile("pause");
	target_state = 1;

	for (uint64_t done = 0;;) {
		while (target_command == done) __asm__ volatile("pause");
		done = target_command;
		switch (done) {
		case 1:
			target_thread(&late, env, "worker-late", target_worker_late);
			break;
		case 2:
			target_late_stop = 1;
			thread_join(&late);
			target_state = 3;
			break;
		case 3:
			target_thread(&faulter, env, "faulter", target_faulter);
			target_state = 4;
			break;
		case 4:
			return 7; /* the exit code the monitor must see */
		case 5:
			target_thread(&brief, env, "worker-brief", target_worker_brief);
			break;
		default:
			log_error("unknown command %lu", (unsigned long)done);
			return 1;
		}
	}
}
