/* SPDX-License-Identifier: MIT */
/**
 * \brief stdout and stderr: whole lines to the component's LOG session
 *
 * Both streams go to the LOG session, which prefixes the component's label.
 * The bytes written by a thread are collected in that thread's line buffer
 * and sent a line at a time, so the lines of two threads never mix. A line
 * longer than a LOG write is sent in pieces; a line without its newline goes
 * out when the thread or the component ends. An empty line is sent as "\n"
 * (the LOG shows nothing for an empty write).
 */

#include <stdio.h>

#include "libc_private.h"

/* send the unfinished line of `thread` (an empty one as an empty line); lock held */
static bool libc_output_send_locked(struct libc_thread *thread)
{
	thread->line[thread->line_used] = 0;
	char const *text = thread->line_used ? thread->line : "\n"; /* the LOG drops "" */
	thread->line_used = 0;
	return log_session_write(libc_env()->log, text) == LOG_SESSION_OK;
}

void libc_output_flush_locked(struct libc_thread *thread)
{
	if (thread->line_used == 0) return;
	(void)libc_output_send_locked(thread); /* at an end: nobody to tell */
	thread->line_continued = false;
}

bool libc_output(char const *data, size_t size)
{
	struct libc_thread *thread = libc_thread_self();
	bool ok = true;
	libc_lock();
	for (size_t i = 0; i < size; i++) {
		char c = data[i];
		if (c == '\n') {
			/*
			 * The newline of a line whose last piece went out already adds
			 * nothing; any other one ends a line, an empty one too.
			 */
			if ((thread->line_used > 0 || !thread->line_continued) &&
			    !libc_output_send_locked(thread))
				ok = false;
			thread->line_continued = false;
			continue;
		}
		thread->line[thread->line_used++] = c;
		if (thread->line_used == LIBC_LINE_MAX) {
			if (!libc_output_send_locked(thread)) ok = false;
			thread->line_continued = true;
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
