/* SPDX-License-Identifier: MIT */
/**
 * \brief the monitor's child: the debug target, started with the virtual RM
 *        and CPU sessions, every other session routed to the monitor's parent
 *
 * The child's environment RM and CPU sessions are the monitor's objects
 * (virtual_rm.h, virtual_cpu.h); its RAM and PD sessions and every session
 * it asks for are opened at the monitor's parent (labelled "<child> -> ..."
 * as everywhere). A service the child announces is announced to the
 * monitor's parent with the child's own root capability, so its clients
 * reach the child directly and a server under the debugger keeps serving
 * (the monitor is never in their path, and never calls that root).
 *
 * The child's own `config` ROM is served by the monitor from the text given
 * at the start (monitor_child_args.config), as init serves a <config> node.
 *
 * Start modes: "stopped" puts an int3 at the entry point before the main
 * thread starts; the first run_control_poll reports it as
 * RUN_CONTROL_STOP_INITIAL with the ip at the entry point and every byte as
 * it was. "running" lets the child run; a debugger attaches with
 * run_control_interrupt.
 */

#ifndef _GDB_MONITOR_MONITOR_CHILD_H_
#define _GDB_MONITOR_MONITOR_CHILD_H_

#include <base/child.h>
#include <gdb_monitor/run_control.h>

enum { MONITOR_CHILD_SESSIONS_MAX = CHILD_SESSIONS_MAX };

/** a session the child asked for, as the monitor passed it on */
struct monitor_child_session
{
	uint32_t id; /* the child's name for it */
	char service[SESSION_SERVICE_NAME_MAX];
	char label[SESSION_LABEL_MAX];
	bool local; /* served by the monitor itself (the child's config ROM), not routed */
};

/* a session the monitor opened at its parent for the child */
struct monitor_child_session_record
{
	bool used;
	struct monitor_child_session session;
	struct connection up; /* at the monitor's parent */
	uint64_t quota;       /* moved from the child's RAM session to the monitor's */
};

/* the child's `config` ROM, served by the monitor from the text it was given */
struct monitor_child_config
{
	bool valid;
	struct rpc_object object;
	struct rom_session_cap cap; /* the monitor's; each session gets a copy */
	struct dataspace_cap ds;    /* RAM of the monitor, filled once */
	uint64_t size;
};

struct monitor_child
{
	struct env *env;
	struct rpc_entrypoint *ep;
	struct child child;
	struct virtual_rm rm;
	struct virtual_cpu cpu;
	struct run_control run;
	struct lock lock; /* guards the session records and the announcements */
	struct monitor_child_session_record sessions[MONITOR_CHILD_SESSIONS_MAX];
	unsigned announced;                    /* services passed on */
	struct signal_context_cap exit_signal; /* a copy of the exception handler, ours */
	struct monitor_child_config config;
};

enum monitor_child_start_mode {
	MONITOR_CHILD_STOPPED = 0, /* the main thread stops at its first instruction */
	MONITOR_CHILD_RUNNING,     /* the child runs until the debugger interrupts it */
};

struct monitor_child_args
{
	char const *name;   /* the child's name and label */
	char const *binary; /* its ROM module, default: name */
	uint64_t ram_quota; /* what the child gets (besides its environment sessions) */
	enum monitor_child_start_mode mode;
	/* signalled on the child's exceptions and on its exit; the monitor keeps
	 * its own references, the caller keeps this one */
	struct signal_context_cap handler;
	/* the child's `config` ROM (e.g. the <config> node of the monitor's
	 * <target>), copied at the start; NULL: the child's requests for it go to
	 * the monitor's parent like any other */
	char const *config;
	uint64_t config_length;
};

enum monitor_child_result {
	MONITOR_CHILD_OK = 0,
	MONITOR_CHILD_NO_RESOURCES, /* no capability for a virtual session or the handler */
	MONITOR_CHILD_DENIED,       /* the parent refused an environment session (logged) */
	MONITOR_CHILD_OUT_OF_QUOTA, /* the monitor cannot pay the child's quota */
	MONITOR_CHILD_NO_BINARY,    /* no ROM module of that name */
	MONITOR_CHILD_LOAD_FAILED,  /* the binary could not be loaded (logged) */
};

/**
 * Start the child. `ep` must be served by a thread of the monitor (not the
 * caller) from now until monitor_child_destroy: it serves the child's parent
 * interface and the virtual sessions.
 *
 * \return MONITOR_CHILD_OK and the child runs (or waits at its entry);
 *         anything else and nothing is left to destroy
 */
enum monitor_child_result monitor_child_start(struct monitor_child *mc, struct env *env,
                                              struct rpc_entrypoint *ep,
                                              struct monitor_child_args const *args)
    __attribute__((warn_unused_result));

/** run control of the child, for the debugger's thread */
static inline struct run_control *monitor_child_run(struct monitor_child *mc)
{
	return &mc->run;
}

/** the child's address space record, for region listings */
static inline struct virtual_rm *monitor_child_rm(struct monitor_child *mc) { return &mc->rm; }

/** the child's RAM quota and use (its RAM session at the monitor's parent) */
struct ram_quota_result monitor_child_quota(struct monitor_child *mc)
    __attribute__((warn_unused_result));

/**
 * The child's open session at `index` (0, 1, ...) among those it asked for
 * (its environment sessions are not listed: RAM and PD are at the parent,
 * RM and CPU are the monitor's).
 *
 * \return false past the last one
 */
bool monitor_child_session_at(struct monitor_child *mc, unsigned index,
                              struct monitor_child_session *session)
    __attribute__((warn_unused_result));

/**
 * End the child (kill): its threads (paused first, so that core takes in
 * every exception on its way while the monitor's handler exists), sessions
 * and memory; every quota returns to the monitor. Services it announced stay
 * announced at the parent (their root is gone: clients are refused).
 */
void monitor_child_destroy(struct monitor_child *mc);

#endif /* _GDB_MONITOR_MONITOR_CHILD_H_ */
