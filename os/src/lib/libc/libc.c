/* SPDX-License-Identifier: MIT */
/**
 * \brief the C library's per-thread state (newlib's reentrancy) and its hooks
 *
 * The library knows its env from the calling thread's record, so it needs no
 * set-up call: whatever the component calls first (printf, malloc, main's
 * entry) finds the env, installs the exit hooks and makes the thread's
 * state.
 */

#include <string.h>

#include <base/lock_guard.h>
#include <base/log.h>
#include <base/thread.h>
#include <libc/libc.h>

#include "libc_private.h"

static struct
{
	struct env *env;
	struct lock lock;
	bool heap_warned;
	struct libc_thread main; /* the main thread's; also the fallback without heap */
	struct libc_thread *threads;
} libc = { .lock = LOCK_INITIALIZER };

void libc_lock(void) { lock_acquire(&libc.lock); }

void libc_unlock(void) { lock_release(&libc.lock); }

static void libc_thread_exit(struct env *env, struct thread *thread);
static void libc_component_exit(struct env *env, int code);

static struct env_hooks const libc_hooks = { libc_thread_exit, libc_component_exit };

struct env *libc_env(void)
{
	struct env *env = __atomic_load_n(&libc.env, __ATOMIC_ACQUIRE);
	if (env) return env;
	env = thread_self()->env;
	libc_lock();
	if (!libc.env) {
		env_hooks_set(env, &libc_hooks);
		__atomic_store_n(&libc.env, env, __ATOMIC_RELEASE);
	}
	libc_unlock();
	return env;
}

static struct libc_thread *libc_thread_make(struct thread *self)
{
	struct env *env = libc_env();
	struct libc_thread *state = &libc.main;
	if (self != &env->main_thread) {
		struct allocator_alloc_ret a = allocator_alloc(env_heap(env), sizeof(*state));
		if (a.result == ALLOCATOR_OK) state = a.ptr;
	}
	libc_lock();
	if (state == &libc.main && self != &env->main_thread && !libc.heap_warned) {
		log_warning("libc: no memory for the state of thread '%s': it shares main's",
		            self->name);
		libc.heap_warned = true;
	}
	/* main's state is made once, for main, whichever thread comes first */
	if (state != &libc.main || !libc.main.thread) {
		memset(state, 0, sizeof(*state));
		_REENT_INIT_PTR(&state->reent);
		state->thread = state == &libc.main ? &env->main_thread : self;
		state->next = libc.threads;
		libc.threads = state;
	}
	libc_unlock();
	self->user = state;
	return state;
}

struct libc_thread *libc_thread_self(void)
{
	struct thread *self = thread_self();
	struct libc_thread *state = self->user;
	return state ? state : libc_thread_make(self);
}

/* newlib's question for the calling thread's state (it is built with __DYNAMIC_REENT__) */
struct _reent *__getreent(void) { return &libc_thread_self()->reent; }

void libc_threads_for_each(void (*function)(struct libc_thread *, void *), void *argument)
{
	LOCK_GUARD(&libc.lock);
	for (struct libc_thread *t = libc.threads; t; t = t->next) function(t, argument);
}

static void libc_thread_exit(struct env *env, struct thread *thread)
{
	struct libc_thread *state = thread->user;
	if (!state) return;
	if (state == &libc.main) { /* a thread that shared main's state */
		thread->user = 0;
		return;
	}
	libc_output_flush_thread(state);
	_reclaim_reent(&state->reent); /* closes its streams, frees their buffers */
	libc_time_thread_end(state);
	libc_lock();
	struct libc_thread **link = &libc.threads;
	while (*link && *link != state) link = &(*link)->next;
	if (*link) *link = state->next;
	libc_unlock();
	thread->user = 0;
	allocator_free(env_heap(env), state, sizeof(*state));
}

static void libc_flush_line(struct libc_thread *thread, void *argument)
{
	(void)argument;
	libc_output_flush_locked(thread);
}

static void libc_component_exit(struct env *env, int code)
{
	(void)env;
	(void)code;
	/* the exiting thread's buffered streams, then every thread's unfinished line */
	struct thread *self = thread_self();
	if (self->user) libc_output_flush_thread(self->user);
	libc_threads_for_each(libc_flush_line, 0);
}
