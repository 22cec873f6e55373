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

	/* requests that core denies, with its reason in its own log line */
	struct connection denied[] = {
		env_session(env, "IRQ", "ram_quota=4096, irq=1"),
		env_session(env, "LOG", "ram_quota=16"),
		env_session(env, "LOG", "ram_quota=4096, label=\"unterminated"),
		env_session(env, "NONEXISTENT", "ram_quota=4096"),
		env_session(env, "ROM", "ram_quota=4096, module=\"no-such-module\""),
	};
	for (unsigned i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		log_info("request %u: %s", i, denied[i].result == PARENT_OK ? "granted" : "denied");
	log_info("done");
	return 0;
}
