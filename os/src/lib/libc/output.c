/* SPDX-License-Identifier: MIT */
/**
 * \brief stdout and stderr: whole lines to the component's LOG session
 *
 * Both streams go to the LOG session, which prefixes the component's label.
 * The bytes written by a thread are collected in that thread's line buffer
 * and sent a line at a time, so the lines of two threads never mix. A line
 * longer than a LOG write is sent in pieces; a line without its newline goes
 * out when the thread or the component ends.
 */

#include <stdio.h>

#include "libc_private.h"

void libc_output_flush_locked(struct libc_thread *thread)
{
	if (thread->line_used == 0) return;
	thread->line[thread->line_used] = 0;
	thread->line_used = 0;
	(void)log_session_write(libc_env()->log, thread->line); /* at an end: nobody to tell */
}

/** the bytes of a write to stdout or stderr; false if the LOG refused a line */
bool libc_output(char const *data, size_t size);
bool libc_output(char const *data, size_t size)
{
	struct libc_thread *thread = libc_thread_self();
	struct env *env = libc_env();
	bool ok = true;
	libc_lock();
	for (size_t i = 0; i < size; i++) {
		char c = data[i];
		bool end = c == '\n';
		if (!end) thread->line[thread->line_used++] = c;
		if (end || thread->line_used == LIBC_LINE_MAX) {
			thread->line[thread->line_used] = 0;
			thread->line_used = 0;
			if (log_session_write(env->log, thread->line) != LOG_SESSION_OK) ok = false;
		}
	}
	libc_unlock();
	return ok;
}

void libc_output_flush_thread(struct libc_thread *thread)
{
	struct _reent *reent = &thread->reent;
	if (reent->__sdidinit) {
		(void)_fflush_r(reent, reent->_stdout);
		(void)_fflush_r(reent, reent->_stderr);
	}
	libc_lock();
	libc_output_flush_locked(thread);
	libc_unlock();
}
