/* SPDX-License-Identifier: MIT */
/** \brief test-log: lines through the LOG session, for run/log.run */

#include <base/env.h>
#include <base/log.h>
#include <log_session/log_session.h>

int component_construct(struct env *env)
{
	log_info("hello from test-log");
	log_info("a number: %d, a string: %s", 42, "text");
	log_warning("a warning");
	log_error("an error");
	(void)log_session_write(env->log, "two\nlines");
	(void)log_session_write(env->log, "tab\there, bell\a, byte \xff");
	char long_line[301];
	for (int i = 0; i < 300; i++) long_line[i] = (char)('a' + i % 26);
	long_line[300] = 0;
	(void)log_session_write(env->log, long_line);
	log_info("done");
	return 0;
}
