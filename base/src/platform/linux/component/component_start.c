/* SPDX-License-Identifier: MIT */
/**
 * \brief the entry of every component process: build the env, call
 *        component_construct, report the exit to the parent
 *
 * The loader stub jumps to _start on the main thread's stack (set up by the
 * parent) with the parent capability's handle in rdx.
 */

#include <base/env.h>
#include <base/log.h>
#include <base/platform_env.h>
#include <util/format.h>
#include <util/string.h>

#include "syscall.h"

/* the one environment of the component (DESIGN: no other runtime globals) */
static struct env component_env;

enum { COMPONENT_LOG_QUOTA = 4096 };

/* exit codes of a component whose environment could not be built */
enum { COMPONENT_EXIT_NO_ENV = 120, COMPONENT_EXIT_NO_LOG = 121 };

static void component_log_sink(void *context, enum log_level level, char const *line,
                               size_t length)
{
	struct env *env = context;
	char text[LOG_LINE_MAX + 16];
	char const *p = log_level_prefix(level);
	size_t used = string_length(p);
	memory_copy(text, p, used);
	if (length > sizeof(text) - used - 1) length = sizeof(text) - used - 1;
	memory_copy(text + used, line, length);
	text[used + length] = 0;
	if (log_session_write(env->log, text) != LOG_SESSION_OK)
		log_console_sink(0, level, line, length);
}

static bool component_env_session(struct env *env, enum parent_env_session which,
                                  struct session_cap *cap)
{
	return parent_env_session(env->parent, which, cap) == PARENT_OK;
}

static int component_env_init(struct env *env, int parent_handle)
{
	env->parent = (struct parent_cap){ { parent_handle } };
	struct session_cap ram, rm, pd, cpu;
	if (!component_env_session(env, PARENT_ENV_RAM, &ram) ||
	    !component_env_session(env, PARENT_ENV_RM, &rm) ||
	    !component_env_session(env, PARENT_ENV_PD, &pd) ||
	    !component_env_session(env, PARENT_ENV_CPU, &cpu))
		return COMPONENT_EXIT_NO_ENV;
	env->ram = CAP_CAST(ram_session, ram);
	env->rm = CAP_CAST(rm_session, rm);
	env->pd = CAP_CAST(pd_session, pd);
	env->cpu = CAP_CAST(cpu_session, cpu);

	env_heap_init(env);
	lock_init(&env->lock);
	bit_allocator_init(&env->stack_slots, env->stack_slot_bits, ENV_STACK_SLOTS);
	/* slot 0 holds the main thread's stack, set up by the parent */
	if (bit_allocator_alloc_at(&env->stack_slots, 0) != BIT_ALLOCATOR_OK)
		return COMPONENT_EXIT_NO_ENV;
	env->main_thread.self = &env->main_thread;
	env->main_thread.env = env;
	string_copy(env->main_thread.name, "main", sizeof(env->main_thread.name));
	platform_thread_set_self(&env->main_thread);

	char args[64];
	format_string(args, sizeof(args), "ram_quota=%u", COMPONENT_LOG_QUOTA);
	struct connection log = env_session(env, "LOG", args);
	if (log.result != PARENT_OK) return COMPONENT_EXIT_NO_LOG;
	env->log = CAP_CAST(log_session, log.cap);
	env->log_id = log.id;
	log_set_sink(component_log_sink, env);
	return 0;
}

__attribute__((used, noreturn)) void component_startup(int parent_handle);
void component_startup(int parent_handle)
{
	struct env *env = &component_env;
	int code = component_env_init(env, parent_handle);
	if (code != 0) {
		(void)parent_exit(env->parent, code);
		platform_env_exit(code);
	}
	env_exit(env, component_construct(env));
}

__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "	mov %rdx, %rdi\n"
        "	xor %ebp, %ebp\n"
        "	and $-16, %rsp\n"
        "	call component_startup\n"
        "	ud2\n");
