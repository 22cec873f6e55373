/* SPDX-License-Identifier: MIT */
/** \brief env: attaching dataspaces, sessions at the parent, exit */

#include <base/env.h>
#include <base/log.h>
#include <base/platform_env.h>
#include <base/process.h>
#include <util/format.h>
#include <util/string.h>

enum { ENV_LOG_QUOTA = 4096 };

/* log_info() and friends: lines to the LOG session, to the console if it refuses */
static void env_log_sink(void *context, enum log_level level, char const *line, size_t length)
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

static bool env_parent_session(struct env *env, enum parent_env_session which,
                               struct session_cap *cap)
{
	return parent_env_session(env->parent, which, cap) == PARENT_OK;
}

int env_init(struct env *env, struct parent_cap parent, bool main_stack_in_slot)
{
	env->parent = parent;
	struct session_cap ram, rm, pd, cpu;
	if (!env_parent_session(env, PARENT_ENV_RAM, &ram) ||
	    !env_parent_session(env, PARENT_ENV_RM, &rm) ||
	    !env_parent_session(env, PARENT_ENV_PD, &pd) ||
	    !env_parent_session(env, PARENT_ENV_CPU, &cpu))
		return ENV_EXIT_NO_ENV;
	env->ram = CAP_CAST(ram_session, ram);
	env->rm = CAP_CAST(rm_session, rm);
	env->pd = CAP_CAST(pd_session, pd);
	env->cpu = CAP_CAST(cpu_session, cpu);

	env_heap_init(env);
	lock_init(&env->lock);
	bit_allocator_init(&env->stack_slots, env->stack_slot_bits, ENV_STACK_SLOTS);
	if (main_stack_in_slot && bit_allocator_alloc_at(&env->stack_slots, 0) != BIT_ALLOCATOR_OK)
		return ENV_EXIT_NO_ENV;
	env->main_thread.self = &env->main_thread;
	env->main_thread.env = env;
	string_copy(env->main_thread.name, "main", sizeof(env->main_thread.name));
	platform_thread_set_self(&env->main_thread);

	char args[64];
	format_string(args, sizeof(args), "ram_quota=%u", ENV_LOG_QUOTA);
	struct connection log = env_session(env, "LOG", args);
	if (log.result != PARENT_OK) return ENV_EXIT_NO_LOG;
	env->log = CAP_CAST(log_session, log.cap);
	env->log_id = log.id;
	log_set_sink(env_log_sink, env);
	return 0;
}

struct env_attach_result env_attach(struct env *env, struct dataspace_cap ds,
                                    struct rm_attach_args args)
{
	struct env_attach_result r = { ENV_INVALID_ARGUMENT, 0 };
	uint64_t size = args.size;
	if (size == 0) {
		struct dataspace_info_result info = dataspace_info(ds);
		if (info.result != DATASPACE_OK || info.info.size <= args.offset) return r;
		size = info.info.size - args.offset;
	}

	struct rm_attach_result a = rm_session_attach(env->rm, ds, args);
	switch (a.result) {
	case RM_OK:
		break;
	case RM_OUT_OF_METADATA:
		r.result = ENV_OUT_OF_QUOTA;
		return r;
	case RM_OUT_OF_RANGE:
	case RM_NO_SPACE:
	case RM_REGION_CONFLICT:
		r.result = ENV_OUT_OF_RANGE;
		return r;
	default:
		return r;
	}

	r.result = platform_env_map(ds, a.at, size, &args);
	if (r.result != ENV_OK) {
		if (rm_session_detach(env->rm, a.at) != RM_OK)
			log_error("env: could not detach a region that failed to map");
		return r;
	}
	r.address = (void *)(uintptr_t)a.at;
	return r;
}

struct env_attach_result env_attach_all(struct env *env, struct dataspace_cap ds,
                                        bool writeable)
{
	struct rm_attach_args args = { .writeable = writeable };
	return env_attach(env, ds, args);
}

void env_detach(struct env *env, void *address)
{
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	struct rm_region_result region = rm_session_region(env->rm, (uintptr_t)address, &ds);
	cap_close(ds.cap);
	if (region.result != RM_OK || region.region.start != (uintptr_t)address) {
		log_error("env: detach of %p, which is not the start of a region", address);
		return;
	}
	if (rm_session_detach(env->rm, region.region.start) != RM_OK)
		log_error("env: the RM session refused to detach %p", address);
	platform_env_unmap(region.region.start, region.region.size);
}

/* the heap's chunks: RAM dataspaces attached at a free address */
static struct heap_backing_alloc_ret env_heap_alloc(void *state, size_t size)
{
	struct env *env = state;
	struct heap_backing_alloc_ret r = { ALLOCATOR_OUT_OF_MEMORY, 0, 0 };
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	size = page_round_up(size);
	enum ram_session_result ram = ram_session_alloc(env->ram, size, &ds);
	if (ram != RAM_OK) {
		if (ram == RAM_OUT_OF_QUOTA) r.result = ALLOCATOR_OUT_OF_QUOTA;
		return r;
	}
	struct env_attach_result a = env_attach_all(env, ds, true);
	if (a.result != ENV_OK) {
		(void)ram_session_free(env->ram, ds);
		cap_close(ds.cap);
		return r;
	}
	cap_close(ds.cap); /* the region names it from now on */
	r.result = ALLOCATOR_OK;
	r.addr = a.address;
	r.size = size;
	return r;
}

static void env_heap_free(void *state, void *address, size_t size)
{
	(void)size;
	struct env *env = state;
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	struct rm_region_result region = rm_session_region(env->rm, (uintptr_t)address, &ds);
	env_detach(env, address);
	if (region.result == RM_OK && ram_session_free(env->ram, ds) != RAM_OK)
		log_error("env: the heap's chunk at %p was not freed", address);
	cap_close(ds.cap);
}

static struct heap_backing_ops const env_heap_backing = { env_heap_alloc, env_heap_free };

void env_heap_init(struct env *env)
{
	heap_init(&env->heap, &env_heap_backing, env);
	synced_allocator_init(&env->heap_synced, heap_allocator(&env->heap));
}

void env_hooks_set(struct env *env, struct env_hooks const *hooks)
{
	if (env->hooks && env->hooks != hooks)
		log_error("env: hooks set twice; the first stay");
	else
		env->hooks = hooks;
}

void env_exit(struct env *env, int code)
{
	if (env->hooks && env->hooks->exit) env->hooks->exit(env, code);
	(void)parent_exit(env->parent, code);
	platform_env_exit(code);
}

struct connection env_session_request(struct env *env, char const *service, char const *args)
{
	struct connection c = { PARENT_OK, CAP_INVALID(session), 0 };
	struct parent_session_result r = parent_session(env->parent, service, args, &c.cap);
	c.result = r.result;
	c.id = r.id;
	if (r.result != PARENT_OK) c.cap = CAP_INVALID(session);
	return c;
}

struct connection env_session(struct env *env, char const *service, char const *args)
{
	struct connection c = env_session_request(env, service, args);
	if (c.result != PARENT_OK)
		log_error("env: %s session (%s) denied: %d", service, args, (int)c.result);
	return c;
}

uint64_t env_session_close(struct env *env, struct connection *connection)
{
	if (connection->result != PARENT_OK) return 0;
	cap_close(connection->cap.cap);
	struct parent_close_result r = parent_close(env->parent, connection->id);
	if (r.result != PARENT_OK)
		log_error("env: the parent did not know session %u", connection->id);
	connection->result = PARENT_UNKNOWN_SESSION;
	return r.result == PARENT_OK ? r.quota : 0;
}

/* how a component's process loader reads and writes dataspaces: through its env */
static void *process_env_attach(void *state, struct dataspace_cap ds, uint64_t size,
                                bool writeable)
{
	struct rm_attach_args args = { .size = size, .writeable = writeable };
	struct env_attach_result r = env_attach(state, ds, args);
	return r.result == ENV_OK ? r.address : 0;
}

static void process_env_detach(void *state, void *address, uint64_t size)
{
	(void)size;
	env_detach(state, address);
}

struct process_local_ops const process_local_env = { process_env_attach, process_env_detach };
