/* SPDX-License-Identifier: MIT */
/**
 * \brief the C library's state, shared by its files (os/src/lib/libc)
 *
 * newlib keeps its per-thread state (errno, the stdio streams, strtok's
 * pointer, ...) in a `struct _reent`; it asks __getreent() for the calling
 * thread's. Here each thread's is part of a `struct libc_thread`, found
 * through the thread's record (thread_self()->user) and made at the
 * thread's first call into the library. The main thread's is static, every
 * other thread's comes from the heap and goes back when the thread ends.
 */

#ifndef _LIBC_PRIVATE_H_
#define _LIBC_PRIVATE_H_

#include <stdbool.h>
#include <sys/reent.h>

#include <base/env.h>
#include <libc/libc.h>
#include <log_session/log_session.h>
#include <timer_session/connection.h>

enum { LIBC_LINE_MAX = LOG_SESSION_WRITE_MAX - 1 };

struct libc_thread
{
	struct _reent reent; /* newlib's state of this thread */
	struct thread *thread;
	struct libc_thread *next; /* in the list of every thread's state */

	/* the unfinished line written to stdout or stderr; the LOG gets whole lines */
	char line[LIBC_LINE_MAX + 1];
	size_t line_used;
	bool line_continued; /* pieces of the line went out: its newline adds no line */

	/* this thread's own Timer session for its sleeps, opened at its first sleep */
	struct timer_connection sleep_timer;
	bool sleep_timer_open;
};

/** the calling thread's state, made at its first call (never 0) */
struct libc_thread *libc_thread_self(void);

/**
 * Run `function(thread, argument)` for the state of every thread, with the
 * library's lock held (so `function` must not take it).
 */
void libc_threads_for_each(void (*function)(struct libc_thread *, void *), void *argument);

/** the library's lock: guards the list of threads and the output */
void libc_lock(void);
void libc_unlock(void);

/** the bytes of a write to stdout or stderr; false if the LOG refused a line */
bool libc_output(char const *data, size_t size);

/** send the unfinished line of `thread` to the LOG (with the lock held) */
void libc_output_flush_locked(struct libc_thread *thread);

/** stdio and the unfinished lines out before the component or a thread ends */
void libc_output_flush_thread(struct libc_thread *thread);

/** close the Timer sessions of `thread` (it ends) */
void libc_time_thread_end(struct libc_thread *thread);

/** end the component with `code`: the exit hook flushes what is left */
__attribute__((noreturn)) void libc_exit(int code);

#endif /* _LIBC_PRIVATE_H_ */
