/* SPDX-License-Identifier: MIT */
/**
 * \brief child: a parent's side of a child component
 *
 * The parent opens the child's environment sessions (RAM funded with the
 * child's quota, RM, PD, CPU) at its own parent, loads the ELF from a ROM
 * module with the process loader, and serves the child's parent interface on
 * an entrypoint of its own. For every session request of the child the
 * policy decides: serve it (policy->session returns a capability) or route
 * it on to the parent's own parent. A routed request's ram_quota is paid
 * from the child's RAM session; its label is prefixed with the child's name.
 * Destroying the child closes every session and returns all quota.
 */

#ifndef _BASE_CHILD_H_
#define _BASE_CHILD_H_

#include <base/env.h>
#include <base/rpc_entrypoint.h>
#include <base/process.h>
#include <rom_session/rom_session.h>

enum {
	CHILD_NAME_MAX = 64,
	CHILD_SESSIONS_MAX = 32,
	/* what the parent donates for a child's environment sessions, beyond the
	 * child's quota: RAM-session metadata, RM, PD, CPU, and the binary's ROM */
	CHILD_RAM_SESSION_QUOTA = 4096,
	CHILD_ENV_SESSION_QUOTA = 65536,
	CHILD_ROM_SESSION_QUOTA = 4096,
	CHILD_ENVIRONMENT_QUOTA =
	    CHILD_RAM_SESSION_QUOTA + 3 * CHILD_ENV_SESSION_QUOTA + CHILD_ROM_SESSION_QUOTA,
};

struct child;

struct child_policy
{
	/**
	 * Serve or route a session request of the child (optional).
	 *
	 * \param args  the request's arguments, label already prefixed, in a
	 *              buffer of SESSION_ARGS_MAX bytes that a policy routing
	 *              the request on may rewrite (e.g. its label)
	 * \param id    the child's name for the session if it is served here
	 * \return PARENT_OK with *cap set (the child receives it) to serve it
	 *         here (close() is called with `id` when it ends), any other
	 *         parent_result to refuse it, or -1 to route it on to our parent
	 */
	int (*session)(void *state, struct child *child, char const *service, char *args,
	               uint32_t id, struct session_cap *cap);
	/**
	 * A session served by `session` ends: the child closed it, or is
	 * destroyed. \return the quota given back to the child's RAM session
	 */
	uint64_t (*close)(void *state, struct child *child, uint32_t id);
	/**
	 * The child's environment sessions exist, its binary is not loaded yet
	 * (optional): e.g. register exception handlers at its CPU session
	 */
	void (*prepare)(void *state, struct child *child);
	/** the child said it is done (optional) */
	void (*exited)(void *state, struct child *child, int code);
	/** the child announced a service (optional; denied without) */
	enum parent_result (*announce)(void *state, struct child *child, char const *service,
	                               struct root_cap root);
	void *state;
};

struct child_session
{
	bool used;
	uint32_t id;          /* the child's name for it */
	struct connection up; /* at our parent, if routed */
	uint64_t quota;       /* moved from the child's RAM session to ours */
};

struct child
{
	struct rpc_object parent_object; /* what the child calls its parent */
	struct env *env;
	struct rpc_entrypoint *ep;
	char name[CHILD_NAME_MAX];
	struct child_policy policy;
	struct connection ram, rm, pd, cpu, rom;
	/* what the child gets as its env sessions; the RM and CPU may be the policy's own */
	struct session_cap env_session[PARENT_ENV_COUNT];
	struct process process;
	struct child_session sessions[CHILD_SESSIONS_MAX];
	uint32_t next_id;
	bool exited;
	int exit_code;
};

enum child_result {
	CHILD_OK = 0,
	CHILD_DENIED,       /* our parent refused one of the child's sessions (logged) */
	CHILD_OUT_OF_QUOTA, /* we cannot pay the child's quota */
	CHILD_NO_BINARY,    /* our parent has no ROM module of the binary's name */
	CHILD_LOAD_FAILED,  /* the binary could not be loaded (logged) */
};

struct child_args
{
	char const *name;   /* the child's name, also its label */
	char const *binary; /* the ROM module, defaults to name */
	uint64_t ram_quota; /* what the child gets */
	struct child_policy policy;
	/* replace the child's RM or CPU session (e.g. a debugger's virtual ones);
	 * invalid: the real ones */
	struct session_cap rm_override, cpu_override;
};

/**
 * Create and start a child. `ep` must serve (in another thread) while this
 * runs, and afterwards for as long as the child lives.
 */
enum child_result child_start(struct child *child, struct env *env, struct rpc_entrypoint *ep,
                              struct child_args const *args)
    __attribute__((warn_unused_result));

/**
 * The label of a request of the child as it goes on: "<child> -> <own>",
 * or the child's name for an empty `own`. False if it does not fit `size`.
 */
bool child_label_compose(struct child const *child, char const *own, char *label, size_t size)
    __attribute__((warn_unused_result));

/**
 * The part of a composed `label` that the child gave itself ("" for none);
 * `label` itself if it is not one of the child's.
 */
char const *child_label_own(struct child const *child, char const *label);

/** end the child: close its sessions and environment; every quota returns */
void child_destroy(struct child *child);

/** the child's CPU, RM and RAM sessions as its parent holds them */
static inline struct cpu_session_cap child_cpu(struct child *child)
{
	return CAP_CAST(cpu_session, child->cpu.cap);
}
static inline struct rm_session_cap child_rm(struct child *child)
{
	return CAP_CAST(rm_session, child->rm.cap);
}
static inline struct ram_session_cap child_ram(struct child *child)
{
	return CAP_CAST(ram_session, child->ram.cap);
}

#endif /* _BASE_CHILD_H_ */
