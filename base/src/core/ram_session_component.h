/* SPDX-License-Identifier: MIT */
/**
 * \brief core's RAM session: zeroed RAM dataspaces against a quota
 *
 * A RAM session has a quota (bytes it may hold) and a use (the page-rounded
 * sizes of its dataspaces). Quota moves between sessions of this core by
 * the transfer_quota RPC, and by core itself with _withdraw and _deposit
 * when a session request donates `ram_quota` from the requester's RAM
 * session to the server of the session.
 *
 * alloc creates a memory object (core_memory_alloc: on Linux a memfd named
 * "ram", zeroed by the kernel) and a dataspace component around it, owned by
 * the session. free revokes the dataspace (every capability of it becomes
 * invalid) and gives its quota back; regions that still show it keep its
 * memory until they are detached (see dataspace_component.h).
 *
 * Threads: everything runs in core's entrypoint thread; no locking.
 */

#ifndef _CORE_RAM_SESSION_COMPONENT_H_
#define _CORE_RAM_SESSION_COMPONENT_H_

#include <stdint.h>

#include <base/allocator.h>
#include <base/rpc_entrypoint.h>
#include <ram_session/ram_session.h>

struct ram_session_component;

/** results of ram_session_component_create */
enum ram_session_component_result {
	RAM_SESSION_COMPONENT_OK = 0,          /* created */
	RAM_SESSION_COMPONENT_OUT_OF_METADATA, /* `alloc` refused the session object */
	RAM_SESSION_COMPONENT_NO_RESOURCES,    /* the entrypoint could not mint its
	                                          capability */
};

struct ram_session_component_create_ret
{
	enum ram_session_component_result result;
	struct ram_session_component *ram; /* valid only with _OK */
	struct ram_session_cap cap;        /* the first capability, owned by the caller */
};

/**
 * Create a RAM session, served at `ep`.
 *
 * \param ep     core's entrypoint; also where its dataspaces are served and
 *               where transfer_quota looks up the receiving session
 * \param alloc  allocator of the session object and of its dataspace
 *               components; must outlive the session
 * \param quota  initial quota in bytes
 * \return       _OK with the session and its first capability, or a failure
 *               and nothing to destroy
 */
struct ram_session_component_create_ret
ram_session_component_create(struct rpc_entrypoint *ep, struct allocator *alloc, uint64_t quota)
    __attribute__((warn_unused_result));

/**
 * Destroy a session: revoke and release every dataspace it holds (see
 * dataspace_component.h for regions that still show them), revoke every
 * capability of the session, free it. Its quota vanishes with it: read it
 * first (ram_session_component_quota) to give it back to someone.
 */
void ram_session_component_destroy(struct ram_session_component *ram);

/**
 * Mint another capability of the session.
 *
 * \return the capability, owned by the caller, or an invalid one when the
 *         entrypoint is out of endpoints
 */
struct ram_session_cap ram_session_component_cap(struct ram_session_component *ram)
    __attribute__((warn_unused_result));

/**
 * The RAM session of this core that a received capability names.
 *
 * \param cap  any capability; it stays the caller's
 * \return     the session, or NULL when `cap` names no RAM session of `ep`
 */
struct ram_session_component *ram_session_component_lookup(struct rpc_entrypoint *ep,
                                                           struct ram_session_cap cap);

struct dataspace_component;

struct ram_session_component_alloc_ret
{
	enum ram_session_result result;
	struct dataspace_component *ds; /* valid only with RAM_OK */
};

/**
 * Allocate a dataspace as the alloc RPC does, without a capability (core's
 * own use; the RPC mints one with dataspace_component_cap()).
 *
 * eturn RAM_OK with the dataspace, owned by the session (freed by
 *         ram_session_component_free or with the session); RAM_INVALID_SIZE,
 *         RAM_OUT_OF_QUOTA or RAM_OUT_OF_MEMORY and no change
 */
struct ram_session_component_alloc_ret
ram_session_component_alloc(struct ram_session_component *ram, uint64_t size)
    __attribute__((warn_unused_result));

/**
 * Free a dataspace of the session as the free RPC does.
 *
 * \param ds  a dataspace that ram_session_component_alloc of this session
 *            returned and that was not freed yet (asserted)
 */
void ram_session_component_free(struct ram_session_component *ram,
                                struct dataspace_component *ds);

/** The session's quota and what its dataspaces use of it. */
struct ram_quota ram_session_component_quota(struct ram_session_component const *ram);

/**
 * Take `amount` bytes of unused quota away from the session (core charges a
 * session request's `ram_quota` donation this way).
 *
 * \return RAM_OK, or RAM_OUT_OF_QUOTA when less than `amount` is unused (no
 *         change)
 */
enum ram_session_result ram_session_component_withdraw(struct ram_session_component *ram,
                                                       uint64_t amount)
    __attribute__((warn_unused_result));

/**
 * Give `amount` bytes of quota to the session (a donation returned when the
 * session it paid for is closed, or a parent's funding done by core).
 *
 * \return RAM_OK, or RAM_INVALID_SIZE when the quota would overflow (no change)
 */
enum ram_session_result ram_session_component_deposit(struct ram_session_component *ram,
                                                      uint64_t amount)
    __attribute__((warn_unused_result));

#endif /* _CORE_RAM_SESSION_COMPONENT_H_ */
