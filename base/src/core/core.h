/* SPDX-License-Identifier: MIT */
/**
 * \brief core's process-wide state and the interfaces between its modules
 *
 * Core's session objects live in one thread, the entrypoint's: RPC handlers,
 * and the tracer events that the wakeup handler takes in, run there one at a
 * time. Only the tracer (linux/tracer.c) has a thread of its own.
 */

#ifndef _CORE_CORE_H_
#define _CORE_CORE_H_

#include <base/allocator.h>
#include <base/rpc_entrypoint.h>
#include <util/list.h>

#include "tracer.h"

enum {
	CORE_ENDPOINTS = 8192, /* minted capabilities and client channels */
	CORE_LABEL_MAX = 160,
};

struct core
{
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[CORE_ENDPOINTS];
	struct allocator *md_alloc; /* core's own metadata */
	struct tracer tracer;
	char const *boot_directory;
	char loader_path[512];
	uint64_t loader_syscall_gadget;
	struct list pds;                        /* every PD, to route tracer events by process id */
	struct ram_session_component *ram_root; /* all memory core hands out */
	void (*log_sink)(void *context, char const *text, size_t length);
	void *log_sink_context;
};

/** log a line of core's own, e.g. a fault report, as `[core] <text>` */
void core_log(struct core *core, char const *fmt, ...) __attribute__((format(printf, 2, 3)));

struct pd_session_component;

/** a thread's stop as the platform reports it */
struct core_stop
{
	uint32_t exception; /* enum cpu_exception */
	uint64_t ip;
	uint64_t fault_address; /* of a page fault or bus error */
	uint64_t dr6;           /* the debug status of a debug exception */
};

/**
 * A thread of `pd` stopped with an exception: record it and deliver it to
 * the RM session's fault handler (page faults) or the CPU session's
 * exception handler, or else report it in core's log. The thread stays
 * stopped either way, unless the platform hands an unhandled exception to
 * the process (platform_exception_unhandled: a hybrid component's).
 */
void core_exception(struct core *core, struct pd_session_component *pd, int tid,
                    struct core_stop const *stop);

/** the process of `pd` is gone: so are its threads */
void core_pd_exited(struct pd_session_component *pd);

/** handle the platform's queued thread events (the entrypoint's wakeup handler) */
void core_tracer_events(void *core);

#endif /* _CORE_CORE_H_ */
