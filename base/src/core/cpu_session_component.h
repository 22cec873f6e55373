/* SPDX-License-Identifier: MIT */
/**
 * \brief core's CPU session: threads, their names, run control and exceptions
 */

#ifndef _CORE_CPU_SESSION_COMPONENT_H_
#define _CORE_CPU_SESSION_COMPONENT_H_

#include <base/signal.h>
#include <cpu_session/cpu_session.h>

#include "core.h"

struct pd_session_component;
struct cpu_session_component;

/** a thread as core knows it */
struct core_thread
{
	struct rpc_object object; /* cpu_thread */
	struct cpu_session_component *session;
	struct pd_session_component *pd; /* NULL once the PD is gone */
	struct list_element session_element;
	struct list_element pd_element;
	char name[CPU_THREAD_NAME_MAX];
	uint64_t id;
	int tid; /* the kernel's, 0 until started or bound */
	bool exited;
	bool single_step;
	bool stopped;
	uint32_t exception; /* enum cpu_exception of the current stop */
	uint64_t ip;        /* of the current stop by an exception, else 0 */
	uint64_t fault_address;
	uint64_t dr6; /* the debug status of the current stop (the kernel's is cleared) */
	struct signal_context_cap handler;
};

struct cpu_session_component
{
	struct rpc_object object;
	struct core *core;
	char label[CORE_LABEL_MAX];
	struct list threads; /* newest first */
	uint32_t thread_count;
	uint64_t next_id;
	uint64_t quota; /* donated for metadata */
	uint64_t used;
	struct signal_context_cap handler;
};

/** create a session; NULL when core is out of memory */
struct cpu_session_component *cpu_session_component_create(struct core *core, char const *label,
                                                           uint64_t quota);

/** the capability of a session, minted anew; the caller owns it */
struct cpu_session_cap cpu_session_component_cap(struct cpu_session_component *session);

/** kill every thread and free the session */
void cpu_session_component_destroy(struct cpu_session_component *session);

/** the thread a capability names, or NULL if it is none of core's threads */
struct core_thread *core_thread_lookup(struct core *core, struct cpu_thread_cap cap);

/** a thread runs again (or ran on with its exception delivered): its stop is over */
void core_thread_stop_over(struct core_thread *thread);

/** a thread stopped with an exception: record why, and where */
void core_thread_stop(struct core_thread *thread, uint32_t exception, uint64_t ip,
                      uint64_t fault_address, uint64_t dr6);

/**
 * Signal the thread's exception handler, or else its session's.
 *
 * \return whether a handler got a signal
 */
bool core_thread_signal(struct core_thread *thread);

/** the thread's kernel thread is gone */
void core_thread_exited(struct core_thread *thread);

#endif /* _CORE_CPU_SESSION_COMPONENT_H_ */
