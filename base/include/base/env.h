/* SPDX-License-Identifier: MIT */
/**
 * \brief env: everything a component has, handed to its entry function
 *
 * A component implements component_construct(). The runtime calls it with
 * the environment: the parent capability, the component's own RAM, RM, PD and
 * CPU sessions, its LOG session (which also receives log_info() and friends),
 * and a heap on RAM dataspaces. There is no other global state of the
 * runtime: whatever needs the environment gets this pointer.
 */

#ifndef _BASE_ENV_H_
#define _BASE_ENV_H_

#include <base/heap.h>
#include <base/lock.h>
#include <base/synced_allocator.h>
#include <base/thread.h>
#include <cpu_session/cpu_session.h>
#include <log_session/log_session.h>
#include <parent/parent.h>
#include <pd_session/pd_session.h>
#include <ram_session/ram_session.h>
#include <rm_session/rm_session.h>
#include <util/bit_allocator.h>

enum {
	ENV_STACK_AREA_START = 0x40000000, /* thread stacks, one slot each */
	ENV_STACK_SLOT_SIZE = 0x100000,    /* a stack and the guard below it */
	ENV_STACK_SLOTS = 256,
	ENV_MAIN_STACK_SIZE = 0x40000, /* the stack a parent gives the main thread */
};

/**
 * What a library of the component (the C library) needs to hear about the
 * ends of threads and of the component. Either function may be 0.
 */
struct env_hooks
{
	/** `thread` (not the main thread) calls it as its last act, on its own stack */
	void (*thread_exit)(struct env *env, struct thread *thread);
	/** env_exit calls it first, on the exiting thread, before the parent hears */
	void (*exit)(struct env *env, int code);
};

struct env
{
	struct parent_cap parent;
	struct ram_session_cap ram;
	struct rm_session_cap rm;
	struct pd_session_cap pd;
	struct cpu_session_cap cpu;
	struct log_session_cap log;
	uint32_t log_id;

	struct heap heap;                    /* on RAM dataspaces; allocate through env_heap() */
	struct synced_allocator heap_synced; /* env_heap(): the heap behind a lock */
	struct env_hooks const *hooks;       /* of a library of the component, or 0 */
	struct thread main_thread;
	struct lock lock; /* guards the stack slots */
	struct bit_allocator stack_slots;
	uint64_t stack_slot_bits[ENV_STACK_SLOTS / 64];
};

/**
 * The component's entry point, implemented by every component.
 *
 * \return the exit code passed to the parent when it returns
 */
int component_construct(struct env *env);

enum env_result {
	ENV_OK = 0,
	ENV_OUT_OF_QUOTA,     /* the RAM session cannot pay */
	ENV_OUT_OF_RANGE,     /* no room in the address space (or the stack area) */
	ENV_INVALID_ARGUMENT, /* a capability the session does not know */
	ENV_PLATFORM_ERROR,   /* the platform refused the mapping (logged) */
	ENV_DENIED,           /* the parent denied the session (see the log) */
};

struct env_attach_result
{
	enum env_result result;
	void *address;
};

/**
 * Attach a dataspace to the component's address space through its RM
 * session and make it accessible at the address chosen.
 *
 * \param args  as for rm_session_attach
 */
struct env_attach_result env_attach(struct env *env, struct dataspace_cap ds,
                                    struct rm_attach_args args)
    __attribute__((warn_unused_result));

/** attach all of `ds`, read-write if `writeable`, at a free address */
struct env_attach_result env_attach_all(struct env *env, struct dataspace_cap ds,
                                        bool writeable) __attribute__((warn_unused_result));

/* exit codes of a component whose environment could not be built (env_init) */
enum { ENV_EXIT_NO_ENV = 120, ENV_EXIT_NO_LOG = 121 };

/**
 * Build the env of a starting component (the runtime's first act, for
 * components and hybrids alike): the parent's RAM, RM, PD and CPU sessions,
 * the heap, the stack slots, the main thread's record (made the caller's),
 * and a LOG session that takes log_info() and friends from then on.
 *
 * \param main_stack_in_slot  whether stack slot 0 holds the main thread's
 *                            stack (a component's; a hybrid's is Linux's)
 * eturn 0, ENV_EXIT_NO_ENV or ENV_EXIT_NO_LOG (the code to exit with)
 */
int env_init(struct env *env, struct parent_cap parent, bool main_stack_in_slot)
    __attribute__((warn_unused_result));

/** set up env->heap on the env's RAM and RM sessions (env_init does it) */
void env_heap_init(struct env *env);

/**
 * The component's heap, safe to use from every thread: every allocation of
 * the runtime, of the C library and of the component comes from it.
 */
static inline struct allocator *env_heap(struct env *env)
{
	return synced_allocator_allocator(&env->heap_synced);
}

/** install `hooks` (static storage): one library of the component may */
void env_hooks_set(struct env *env, struct env_hooks const *hooks);

/** detach the region that starts at `address` (from env_attach) */
void env_detach(struct env *env, void *address);

/**
 * Tell the parent that the component is done, and end the process.
 */
__attribute__((noreturn)) void env_exit(struct env *env, int code);

/** what a session request returns */
struct connection
{
	enum parent_result result;
	struct session_cap cap; /* the caller's, CAP_CAST it to the service's type */
	uint32_t id;
};

/**
 * Open a session at the parent with one call.
 *
 * \param service  e.g. "LOG"
 * \param args     the argument string; `ram_quota=<n>` is transferred from
 *                 the component's RAM session to the parent for the server,
 *                 and `label` is added by the parent
 */
struct connection env_session(struct env *env, char const *service, char const *args)
    __attribute__((warn_unused_result));

/** env_session without the log line on denial: for a parent passing on its child's request */
struct connection env_session_request(struct env *env, char const *service, char const *args)
    __attribute__((warn_unused_result));

/**
 * Close a session opened with env_session: its donated quota comes back.
 *
 * \return the bytes that came back to the env's RAM session (a RAM
 *         session returns all it holds, which may be more than its donation)
 */
uint64_t env_session_close(struct env *env, struct connection *connection);

#endif /* _BASE_ENV_H_ */
