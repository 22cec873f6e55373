/* SPDX-License-Identifier: MIT */
/**
 * \brief core's dataspace object: a memory object with its size and rights
 *
 * A dataspace component is created by the session that owns it (a RAM
 * session for RAM, a ROM session for a module). It holds one memory object
 * of the platform (core_memory.h; on Linux a memfd), which it owns, and
 * serves the platform's dataspace interface (on Linux: linux_dataspace, whose
 * `fd` hands out a descriptor with the dataspace's access mode).
 *
 * Lifetime: a reference count. The owner holds the first reference; every
 * RM region that shows the dataspace holds one more. When the owner is done
 * (RAM free, ROM session closed) it revokes the dataspace (every capability
 * becomes invalid, the object is not callable any more) and drops its
 * reference. Regions that still show it keep the component and its memory
 * object valid until they are detached, because on Linux the memory stays
 * mapped in the component anyway: the RM session keeps telling the truth
 * about the address space. The last reference releases the memory object
 * and the metadata.
 *
 * Threads: everything runs in core's entrypoint thread; no locking.
 */

#ifndef _CORE_DATASPACE_COMPONENT_H_
#define _CORE_DATASPACE_COMPONENT_H_

#include <stdbool.h>
#include <stdint.h>

#include <base/allocator.h>
#include <base/rpc_entrypoint.h>
#include <dataspace/dataspace.h>
#include <util/list.h>

struct dataspace_component
{
	struct rpc_object object;    /* managed at `ep` until revoked */
	struct rpc_entrypoint *ep;   /* where it is served */
	struct allocator *alloc;     /* where this struct came from */
	int handle;                  /* the platform memory object, owned */
	uint64_t size;               /* bytes, a multiple of PAGE_SIZE */
	bool writeable;              /* may be written (RAM) or not (ROM) */
	bool executable;             /* may be attached executable */
	bool revoked;                /* the owner is done with it */
	uint32_t references;         /* the owner's, plus one per RM region */
	void *owner;                 /* the creating session, for its checks */
	struct list_element element; /* for the owner's list of its dataspaces */
};

/** results of dataspace_component_create */
enum dataspace_component_result {
	DATASPACE_COMPONENT_OK = 0,          /* created */
	DATASPACE_COMPONENT_OUT_OF_METADATA, /* `alloc` refused the component */
};

struct dataspace_component_create_ret
{
	enum dataspace_component_result result;
	struct dataspace_component *ds; /* valid only with DATASPACE_COMPONENT_OK */
};

/**
 * Create a dataspace around a memory object and serve it at `ep`. It has no
 * capability yet: mint them with dataspace_component_cap().
 *
 * \param ep          core's entrypoint
 * \param alloc       allocator of the component's metadata; must outlive it
 * \param handle      memory object of at least `size` bytes (core_memory.h).
 *                    On success the dataspace owns it; on failure the caller
 *                    still does.
 * \param size        bytes, a multiple of PAGE_SIZE, not 0
 * \param writeable   whether it may be written and attached writeable
 * \param executable  whether it may be attached executable
 * \param owner       the creating session (compared by the owner's checks,
 *                    never dereferenced here)
 * \return            DATASPACE_COMPONENT_OK with the dataspace, holding one
 *                    reference, the owner's; or _OUT_OF_METADATA and nothing
 *                    changed
 */
struct dataspace_component_create_ret
dataspace_component_create(struct rpc_entrypoint *ep, struct allocator *alloc, int handle,
                           uint64_t size, bool writeable, bool executable, void *owner)
    __attribute__((warn_unused_result));

/**
 * Mint a new capability of the dataspace.
 *
 * \return the capability, owned by the caller (hand it out through an OUT_CAP,
 *         or cap_close() it); invalid when the entrypoint is out of endpoints
 *         or the dataspace is revoked
 */
struct dataspace_cap dataspace_component_cap(struct dataspace_component *ds)
    __attribute__((warn_unused_result));

/**
 * The owner is done: revoke every capability and stop serving the dataspace.
 * Its memory and metadata stay while references remain. Revoking twice is
 * harmless.
 */
void dataspace_component_revoke(struct dataspace_component *ds);

/** Take one more reference (an RM region that shows the dataspace). */
void dataspace_component_ref(struct dataspace_component *ds);

/**
 * Drop one reference. The last one revokes the dataspace (if the owner has
 * not), releases the memory object and frees the component: `ds` is gone.
 */
void dataspace_component_unref(struct dataspace_component *ds);

/**
 * The dataspace that a received capability names, if it is a live dataspace
 * of core served at `ep`.
 *
 * \param cap  any capability; it stays the caller's (not closed here)
 * \return     the dataspace, or NULL for an invalid or revoked capability,
 *             another object of core, or a capability of anybody else
 */
struct dataspace_component *dataspace_component_lookup(struct rpc_entrypoint *ep,
                                                       struct dataspace_cap cap);

/** The platform memory object (Linux: the memfd); core keeps owning it. */
static inline int dataspace_component_handle(struct dataspace_component const *ds)
{
	return ds->handle;
}

/** Bytes of the dataspace, a multiple of PAGE_SIZE. */
static inline uint64_t dataspace_component_size(struct dataspace_component const *ds)
{
	return ds->size;
}

/** Whether the dataspace may be written. */
static inline bool dataspace_component_writeable(struct dataspace_component const *ds)
{
	return ds->writeable;
}

/** Whether the dataspace may be attached executable. */
static inline bool dataspace_component_executable(struct dataspace_component const *ds)
{
	return ds->executable;
}

/**
 * A new descriptor of the memory object for a client (see core_memory_open):
 * this is what the dataspace's `fd` function hands out, and what core gives
 * the loader for a region.
 *
 * \param writeable  read-write access; must be false for a read-only
 *                   dataspace (asserted)
 * \return           the descriptor, owned by the caller, or -1 when out of
 *                   handles
 */
int dataspace_component_open(struct dataspace_component const *ds, bool writeable)
    __attribute__((warn_unused_result));

#endif /* _CORE_DATASPACE_COMPONENT_H_ */
