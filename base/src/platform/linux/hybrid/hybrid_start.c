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
	HYBRID_SIGNAL_STACK_SIZE = 64 * 1024, /* the fatal-signal handler's, and an RPC */
};

/* the runtime's process-wide state (DESIGN: no other runtime globals) */
static struct hybrid_runtime
{
	struct env env;
	bool exit_reported; /* the parent heard of the end (or is about to): atomic */
	/* where the fatal-signal handler runs, also when the main stack overflowed */
	_Alignas(16) char signal_stack[HYBRID_SIGNAL_STACK_SIZE];
} hybrid_runtime;

/* the parent capability from core's bootstrap object, which is closed afterwards */
static bool hybrid_parent(struct parent_cap *parent)
{
	struct linux_bootstrap_cap bootstrap = { { LINUX_BOOTSTRAP_HANDLE } };
	struct linux_start_info_result start = linux_bootstrap_start_info(bootstrap, parent);
	cap_close(bootstrap.cap);
	return start.result == PD_OK;
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
	struct parent_cap parent;
	if (!hybrid_parent(&parent)) {
		log_error("hybrid: no bootstrap object on descriptor %d: not started by core?",
		          LINUX_BOOTSTRAP_HANDLE);
		return LINUX_LOADER_BOOTSTRAP_FAILED;
	}
	/* from here on, every exit() reports its status to the parent */
	if (on_exit(hybrid_on_exit, NULL) != 0) log_warning("hybrid: exit() not caught");
	if (!hybrid_window_reserve()) return LINUX_LOADER_MAP_FAILED;
	/* every stack slot is free: the main thread runs on the stack Linux gave it */
	int code = env_init(env, parent, false);
	if (code != 0) return code;
	env->main_thread.tid = (int32_t)getpid();
	hybrid_fatal_signals_catch();
	env_exit(env, component_construct(env));
}
