/* SPDX-License-Identifier: MIT */
/**
 * \brief RM session: the layout of an address space
 *
 * An RM session records which dataspace is visible where. Attaching checks
 * the range (inside the session's area, page aligned, within the dataspace),
 * overlaps with earlier regions, and the permissions (no writeable attachment
 * of a read-only dataspace). A thread of the address space that touches an
 * address no region covers is stopped and, when a fault handler is set, the
 * handler gets a signal and can read the fault with fault_state.
 */

#ifndef _RM_SESSION_RM_SESSION_H_
#define _RM_SESSION_RM_SESSION_H_

#include <base/signal.h>
#include <dataspace/dataspace.h>

enum rm_session_result {
	RM_OK = 0,
	RM_INVALID_DATASPACE, /* not a dataspace of this core */
	RM_INVALID_ARGUMENT,  /* unaligned, zero size, or offset/size beyond the dataspace */
	RM_OUT_OF_RANGE,      /* the region leaves the session's area */
	RM_REGION_CONFLICT,   /* the region overlaps an attached one */
	RM_NO_SPACE,          /* no free range of that size is left */
	RM_PERMISSION_DENIED, /* writeable or executable beyond what the dataspace allows */
	RM_NOT_ATTACHED,      /* no region there */
	RM_OUT_OF_METADATA,   /* the session's donated quota is used up */
	RPC_RESULT_ERRORS(RM),
};

struct rm_attach_args
{
	uint64_t size;   /* bytes to attach, 0: from offset to the end of the dataspace */
	uint64_t offset; /* into the dataspace, page aligned */
	uint64_t at;     /* the address, if use_at */
	bool use_at;     /* attach at `at`, otherwise at a free address of core's choice */
	bool executable;
	bool writeable;
};

struct rm_attach_result
{
	enum rm_session_result result;
	uint64_t at; /* where the region starts */
};

/** a region of the address space */
struct rm_region
{
	uint64_t start;
	uint64_t size;
	uint64_t offset; /* into its dataspace */
	bool writeable;
	bool executable;
};

struct rm_region_result
{
	enum rm_session_result result;
	struct rm_region region;
};

enum rm_fault_kind {
	RM_FAULT_NONE = 0, /* no thread of the address space is stopped at a fault */
	RM_FAULT_READ,
	RM_FAULT_WRITE,
	RM_FAULT_EXEC,
	RM_FAULT_UNKNOWN, /* an access whose kind the platform does not report */
};

enum { RM_THREAD_NAME_MAX = 32 };

/** the oldest unresolved page fault of the address space */
struct rm_fault
{
	uint32_t kind; /* enum rm_fault_kind */
	uint64_t address;
	uint64_t ip;
	char thread[RM_THREAD_NAME_MAX]; /* the name of the faulting thread */
};

struct rm_fault_result
{
	enum rm_session_result result;
	struct rm_fault fault;
};

/*
 * attach:        make `ds` visible as `args` says; returns the start
 * detach:        remove the region that starts at `at`
 * region:        the region that contains `addr`, or else the first one above
 *                it (RM_NOT_ATTACHED: none), with its dataspace; iterate with
 *                addr = start + size
 * fault_handler: the signal context that learns of page faults (replaces the
 *                previous one)
 * fault_state:   the oldest fault that is still unresolved, or RM_FAULT_NONE
 */
#define RM_SESSION_RPC(M, I)                                                              \
	M(I, attach, struct rm_attach_result, (IN_CAP, dataspace, ds),                        \
	  (IN, struct rm_attach_args, args))                                                  \
	M(I, detach, enum rm_session_result, (IN, uint64_t, at))                              \
	M(I, region, struct rm_region_result, (IN, uint64_t, addr), (OUT_CAP, dataspace, ds)) \
	M(I, fault_handler, enum rm_session_result, (IN_CAP, signal_context, handler))        \
	M(I, fault_state, struct rm_fault_result)

RPC_INTERFACE(rm_session, RM_SESSION_RPC)

#endif /* _RM_SESSION_RM_SESSION_H_ */
