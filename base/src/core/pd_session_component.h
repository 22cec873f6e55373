/* SPDX-License-Identifier: MIT */
/**
 * \brief core's PD session: a protection domain, on Linux a process spawned
 *        from the loader stub when its first thread starts
 */

#ifndef _CORE_PD_SESSION_COMPONENT_H_
#define _CORE_PD_SESSION_COMPONENT_H_

#include <parent/parent.h>
#include <pd_session/pd_session.h>

#include "core.h"

struct core_thread;
struct rm_session_component;

enum pd_state { PD_STATE_NEW, PD_STATE_RUNNING, PD_STATE_EXITED };

struct pd_session_component
{
	struct rpc_object object;    /* the PD session (with the platform's extension) */
	struct rpc_object bootstrap; /* the platform's start-up object, if it needs one */
	struct core *core;
	struct list_element core_element;
	char label[CORE_LABEL_MAX];
	struct parent_cap parent;
	struct rm_session_component *address_space;
	struct list threads; /* core_thread.pd_element */
	enum pd_state state;
	int pid;
	uint64_t start_ip, start_sp;
	/* Linux: a hybrid component (a host program, doc/hybrid.md), and until its
	 * start the descriptor of its program (-1 once started, or for none) */
	bool hybrid;
	int executable;
};

struct pd_session_component *pd_session_component_create(struct core *core, char const *label);
struct pd_session_cap pd_session_component_cap(struct pd_session_component *pd);

/** end the PD's process, if it runs (it may be gone already) */
void pd_session_component_kill(struct pd_session_component *pd);

/** end the PD's process (if running) and free the session */
void pd_session_component_destroy(struct pd_session_component *pd);

/** the PD a capability names, or NULL */
struct pd_session_component *pd_session_component_lookup(struct core *core,
                                                         struct pd_session_cap cap);

/** add a thread (created by a CPU session) to the PD */
void pd_session_component_add_thread(struct pd_session_component *pd,
                                     struct core_thread *thread);
void pd_session_component_remove_thread(struct pd_session_component *pd,
                                        struct core_thread *thread);

/**
 * Start the PD's process with its first thread at ip/sp.
 *
 * \return CPU_OK, CPU_ALREADY_STARTED if the process runs, or
 *         CPU_INVALID_ARGUMENT if the PD lacks its parent or address space
 */
int pd_session_component_start(struct pd_session_component *pd, struct core_thread *thread,
                               uint64_t ip, uint64_t sp);

/** an RM session is going away: forget it where it is a PD's address space */
void pd_session_component_address_space_gone(struct core *core,
                                             struct rm_session_component *rm);

/** the PD whose process has this id, or NULL */
struct pd_session_component *pd_session_component_by_pid(struct core *core, int pid);

/** the thread of the PD with this kernel thread id, or NULL */
struct core_thread *pd_session_component_thread(struct pd_session_component *pd, int tid);

/*
 * Thread control of the platform (linux/platform_thread.c)
 */
enum cpu_session_result platform_thread_pause(struct core_thread *thread);
enum cpu_session_result platform_thread_resume(struct core_thread *thread);
enum cpu_session_result platform_thread_state(struct core_thread *thread,
                                              struct cpu_state *state);
enum cpu_session_result platform_thread_set_state(struct core_thread *thread,
                                                  struct cpu_state const *state);
void platform_thread_kill(struct core_thread *thread);

/**
 * Pause, or resume, `count` threads at once (the CPU session's pause_all and
 * resume_threads); each thread's result in `results`, as of the single calls
 */
void platform_threads_pause(struct core_thread **threads, unsigned count,
                            enum cpu_session_result *results);
void platform_threads_resume(struct core_thread **threads, unsigned count,
                             enum cpu_session_result *results);

/**
 * The states of `count` stopped threads at once (the CPU session's states):
 * states[i] and results[i] as platform_thread_state gives them
 */
void platform_threads_state(struct core_thread **threads, unsigned count,
                            struct cpu_state *states, enum cpu_session_result *results);

/**
 * An exception of thread `tid` of `pd` that no handler took: the platform's
 * last word. Linux: the process of a hybrid component gets the exception's
 * signal (its own handler runs, or the signal's default action), and
 * `thread` (the bound record of `tid`, or NULL) runs again.
 *
 * \return true if the exception went to the process, false if the thread
 *         stays stopped
 */
bool platform_exception_unhandled(struct pd_session_component *pd, struct core_thread *thread,
                                  int tid);

/**
 * Whether thread `tid` of `pd` is gone: a stop of it that core takes in late
 * is of nothing that still exists (the thread was ended through its CPU
 * session after the stop was on its way, or ended with its process). A tid
 * that core does not trace, or that is a thread of another process (never
 * pd's, or its id reused by now), counts as gone.
 */
bool platform_thread_gone(struct pd_session_component *pd, int tid);

#endif /* _CORE_PD_SESSION_COMPONENT_H_ */
