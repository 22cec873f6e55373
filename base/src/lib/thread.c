/* SPDX-License-Identifier: MIT */
/** \brief threads: a CPU-session thread, a stack slot with a RAM dataspace, the platform's
 * start */

#include <base/env.h>
#include <base/lock_guard.h>
#include <base/log.h>
#include <base/thread.h>
#include <util/string.h>

enum { THREAD_GUARD_SIZE = PAGE_SIZE };

static bool thread_slot_alloc(struct env *env, uint32_t *slot)
{
	LOCK_GUARD(&env->lock);
	struct bit_allocator_alloc_ret r = bit_allocator_alloc(&env->stack_slots);
	*slot = (uint32_t)r.index;
	return r.result == BIT_ALLOCATOR_OK;
}

static void thread_slot_free(struct env *env, uint32_t slot)
{
	LOCK_GUARD(&env->lock);
	if (bit_allocator_free(&env->stack_slots, slot) != BIT_ALLOCATOR_OK)
		log_error("thread: freed stack slot %u twice", slot);
}

/* the stack sits at the top of its slot; the bottom page stays unmapped as a guard */
static enum thread_result thread_stack_alloc(struct thread *thread)
{
	struct env *env = thread->env;
	if (!thread_slot_alloc(env, &thread->stack_slot)) return THREAD_OUT_OF_SLOTS;

	enum ram_session_result ram =
	    ram_session_alloc(env->ram, thread->stack_size, &thread->stack_ds);
	if (ram != RAM_OK) {
		thread_slot_free(env, thread->stack_slot);
		return ram == RAM_OUT_OF_QUOTA ? THREAD_OUT_OF_QUOTA : THREAD_PLATFORM_ERROR;
	}
	uint64_t slot_end =
	    ENV_STACK_AREA_START + (uint64_t)(thread->stack_slot + 1) * ENV_STACK_SLOT_SIZE;
	struct rm_attach_args args = { .size = thread->stack_size,
		                           .at = slot_end - thread->stack_size,
		                           .use_at = true,
		                           .writeable = true };
	struct env_attach_result a = env_attach(env, thread->stack_ds, args);
	if (a.result != ENV_OK) {
		(void)ram_session_free(env->ram, thread->stack_ds);
		cap_close(thread->stack_ds.cap);
		thread_slot_free(env, thread->stack_slot);
		return a.result == ENV_OUT_OF_QUOTA ? THREAD_OUT_OF_QUOTA : THREAD_PLATFORM_ERROR;
	}
	thread->stack_base = a.address;
	return THREAD_OK;
}

static void thread_stack_free(struct thread *thread)
{
	struct env *env = thread->env;
	env_detach(env, thread->stack_base);
	if (ram_session_free(env->ram, thread->stack_ds) != RAM_OK)
		log_error("thread: the RAM session refused to free the stack of '%s'", thread->name);
	cap_close(thread->stack_ds.cap);
	thread_slot_free(env, thread->stack_slot);
}

enum thread_result thread_prepare(struct thread *thread, struct env *env, char const *name,
                                  thread_entry_function entry, void *argument)
{
	if (!name[0] || string_length(name) >= CPU_THREAD_NAME_MAX) return THREAD_INVALID_ARGUMENT;

	memory_set(thread, 0, sizeof(*thread));
	thread->self = thread;
	thread->env = env;
	thread->entry = entry;
	thread->argument = argument;
	string_copy(thread->name, name, sizeof(thread->name));

	enum cpu_session_result cpu =
	    cpu_session_create_thread(env->cpu, env->pd, name, &thread->cap);
	if (cpu != CPU_OK) {
		log_error("thread: the CPU session refused thread '%s' (%d)", name, (int)cpu);
		return THREAD_CPU_DENIED;
	}
	return THREAD_OK;
}

enum thread_result thread_create(struct thread *thread, struct env *env, char const *name,
                                 thread_entry_function entry, void *argument,
                                 uint64_t stack_size)
{
	stack_size = page_round_up(stack_size);
	if (stack_size == 0 || stack_size > ENV_STACK_SLOT_SIZE - THREAD_GUARD_SIZE)
		return THREAD_INVALID_ARGUMENT;

	enum thread_result r = thread_prepare(thread, env, name, entry, argument);
	if (r != THREAD_OK) return r;
	thread->stack_size = stack_size;
	r = thread_stack_alloc(thread);
	if (r == THREAD_OK) r = platform_thread_start(thread);
	if (r != THREAD_OK) {
		if (thread->stack_base) thread_stack_free(thread);
		thread_unprepare(thread);
	}
	return r;
}

void thread_unprepare(struct thread *thread)
{
	(void)cpu_session_kill_thread(thread->env->cpu, thread->cap);
	cap_close(thread->cap.cap);
}

void thread_join(struct thread *thread)
{
	platform_thread_wait_exit(thread);
	thread_stack_free(thread);
	thread_unprepare(thread);
}

void thread_exit(void)
{
	struct thread *self = thread_self();
	struct env *env = self->env;
	if (env->hooks && env->hooks->thread_exit) env->hooks->thread_exit(env, self);
	platform_thread_exit();
}

void thread_run(struct thread *thread)
{
	thread->entry(thread->argument);
	thread_exit();
}
