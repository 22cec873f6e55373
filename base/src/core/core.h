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
	struct list children;                   /* core's own children (see core_child.c) */
	struct ram_session_component *ram_root; /* all memory core hands out */
	void (*log_sink)(void *context, char const *text, size_t length);
	void *log_sink_context;
};

/** log a line of core's own, e.g. a fault report, as `[core] <text>` */
void core_log(struct core *core, char const *fmt, ...) __attribute__((format(printf, 2, 3)));

/** handle the tracer's queued events (the entrypoint's wakeup handler) */
void core_tracer_events(void *core);

#endif /* _CORE_CORE_H_ */
