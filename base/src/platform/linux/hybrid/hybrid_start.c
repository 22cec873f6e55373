/* SPDX-License-Identifier: MIT */
/**
 * \brief the entry of every hybrid component: main() builds the env on the
 *        parent's sessions, calls component_construct, reports the exit
 *
 * Core executes the hybrid's program with the PD's bootstrap object as
 * descriptor LINUX_BOOTSTRAP_HANDLE (linux_session.h), the same start as the
 * loader stub's; the runtime only asks it for the parent capability, since
 * the host's loader has mapped the program. The env is a component's env:
 * the parent's RAM, RM, PD and CPU sessions, a LOG session that takes
 * log_info() and friends, and env_heap() on RAM dataspaces, paid from the
 * component's quota. glibc's own malloc stays the host's and is not paid
 * for (doc/hybrid.md).
 *
 * Every end of the process goes through the parent, once: the return of
 * component_construct and env_exit as in a component; glibc's exit() called
 * by the program or a library (an on_exit handler reports its status); and a
 * fatal signal (a fault that no handler of core took, abort(), ...), whose
 * handler reports exit code 128 + signal, as a shell shows a death by signal,
 * then ends the process with that code. A program may install signal
 * handlers of its own instead.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <base/env.h>
#include <base/hybrid.h>
#include <base/log.h>
#include <base/platform_env.h>
#include <util/format.h>
#include <util/string.h>

#include "hybrid_runtime.h"
#include "linux_loader.h"
#include "linux_session.h"

/* the binary's mark: the process loader starts it as a hybrid (base/hybrid.h) */
HYBRID_NOTE_DEFINE(hybrid_note);

enum {
	HYBRID_LOG_QUOTA = 4096,
	HYBRID_SIGNAL_STACK_SIZE = 64 * 1024, /* the fatal-signal handler's, and an RPC */
	/* exit codes of a hybrid whose environment could not be built (as a component's) */
	HYBRID_EXIT_NO_ENV = 120,
	HYBRID_EXIT_NO_LOG = 121,
};

/* the runtime's process-wide state (DESIGN: no other runtime globals) */
static struct hybrid_runtime
{
	struct env env;
	bool exit_reported; /* the parent heard of the end (or is about to): atomic */
	/* where the fatal-signal handler runs, also when the main stack overflowed */
	_Alignas(16) char signal_stack[HYBRID_SIGNAL_STACK_SIZE];
} hybrid_runtime;

static void hybrid_log_sink(void *context, enum log_level level, char const *line,
                            size_t length)
{
	struct env *env = context;
	char text[LOG_LINE_MAX + 16];
	char const *prefix = log_level_prefix(level);
	size_t used = string_length(prefix);
	memory_copy(text, prefix, used);
	if (length > sizeof(text) - used - 1) length = sizeof(text) - used - 1;
	memory_copy(text + used, line, length);
	text[used + length] = 0;
	if (log_session_write(env->log, text) != LOG_SESSION_OK)
		log_console_sink(0, level, line, length);
}

/* the parent capability from core's bootstrap object, which is closed afterwards */
static bool hybrid_parent(struct parent_cap *parent)
{
	struct linux_bootstrap_cap bootstrap = { { LINUX_BOOTSTRAP_HANDLE } };
	struct linux_start_info_result start = linux_bootstrap_start_info(bootstrap, parent);
	cap_close(bootstrap.cap);
	return start.result == PD_OK;
}

static bool hybrid_env_session(struct env *env, enum parent_env_session which,
                               struct session_cap *cap)
{
	return parent_env_session(env->parent, which, cap) == PARENT_OK;
}

static int hybrid_env_init(struct env *env)
{
	struct session_cap ram, rm, pd, cpu;
	if (!hybrid_env_session(env, PARENT_ENV_RAM, &ram) ||
	    !hybrid_env_session(env, PARENT_ENV_RM, &rm) ||
	    !hybrid_env_session(env, PARENT_ENV_PD, &pd) ||
	    !hybrid_env_session(env, PARENT_ENV_CPU, &cpu))
		return HYBRID_EXIT_NO_ENV;
	env->ram = CAP_CAST(ram_session, ram);
	env->rm = CAP_CAST(rm_session, rm);
	env->pd = CAP_CAST(pd_session, pd);
	env->cpu = CAP_CAST(cpu_session, cpu);

	env_heap_init(env);
	lock_init(&env->lock);
	/* every stack slot is free: the main thread runs on the stack Linux gave it */
	bit_allocator_init(&env->stack_slots, env->stack_slot_bits, ENV_STACK_SLOTS);
	env->main_thread.self = &env->main_thread;
	env->main_thread.env = env;
	env->main_thread.tid = (int32_t)getpid();
	string_copy(env->main_thread.name, "main", sizeof(env->main_thread.name));
	platform_thread_set_self(&env->main_thread);

	char args[64];
	format_string(args, sizeof(args), "ram_quota=%u", HYBRID_LOG_QUOTA);
	struct connection log = env_session(env, "LOG", args);
	if (log.result != PARENT_OK) return HYBRID_EXIT_NO_LOG;
	env->log = CAP_CAST(log_session, log.cap);
	env->log_id = log.id;
	log_set_sink(hybrid_log_sink, env);
	return 0;
}

/* whether the caller is the first to report the end to the parent */
static bool hybrid_exit_first(void)
{
	return !__atomic_exchange_n(&hybrid_runtime.exit_reported, true, __ATOMIC_ACQ_REL);
}

/* env_exit's end, after it reported the code: a host program's exit (atexit, stdio) */
void platform_env_exit(int code)
{
	(void)hybrid_exit_first();
	exit(code);
}

/* glibc's exit() (also from platform_env_exit): report the status unless reported */
static void hybrid_on_exit(int status, void *argument)
{
	(void)argument;
	if (hybrid_exit_first()) (void)parent_exit(hybrid_runtime.env.parent, status);
}

/*
 * Async-signal-safe: parent_exit is one RPC, a sendmsg and a recvmsg on a
 * channel taken from the lock-free pool or made anew; nothing else.
 */
static void hybrid_fatal_signal(int signal)
{
	int code = 128 + signal;
	if (hybrid_exit_first()) (void)parent_exit(hybrid_runtime.env.parent, code);
	_exit(code);
}

static void hybrid_fatal_signals_catch(void)
{
	static int const fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS };
	stack_t stack = { .ss_sp = hybrid_runtime.signal_stack,
		              .ss_size = sizeof(hybrid_runtime.signal_stack) };
	if (sigaltstack(&stack, NULL) != 0) log_warning("hybrid: no signal stack for main");
	struct sigaction action;
	memset(&action, 0, sizeof(action));
	action.sa_handler = hybrid_fatal_signal;
	action.sa_flags = SA_ONSTACK;
	sigfillset(&action.sa_mask);
	for (unsigned i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (sigaction(fatal[i], &action, NULL) != 0)
			log_warning("hybrid: signal %d not caught", fatal[i]);
}

/* the process's name for ps and top: the last element of its label (argv[0]) */
static void hybrid_name(char const *label)
{
	char const *name = label;
	for (char const *p = label; (p = strstr(p, " -> ")); p += 4) name = p + 4;
	(void)prctl(PR_SET_NAME, name);
}

int main(int argc, char **argv)
{
	struct env *env = &hybrid_runtime.env;
	if (argc > 0) hybrid_name(argv[0]);
	if (!hybrid_parent(&env->parent)) {
		log_error("hybrid: no bootstrap object on descriptor %d: not started by core?",
		          LINUX_BOOTSTRAP_HANDLE);
		return LINUX_LOADER_BOOTSTRAP_FAILED;
	}
	/* from here on, every exit() reports its status to the parent */
	if (on_exit(hybrid_on_exit, NULL) != 0) log_warning("hybrid: exit() not caught");
	if (!hybrid_window_reserve()) return LINUX_LOADER_MAP_FAILED;
	int code = hybrid_env_init(env);
	if (code != 0) return code;
	hybrid_fatal_signals_catch();
	env_exit(env, component_construct(env));
}
