/* SPDX-License-Identifier: MIT */
/**
 * \brief RAM session: allocate RAM dataspaces against a quota
 *
 * Every session has a quota (bytes it may hold) and a use (bytes of its
 * dataspaces, each rounded up to pages). Quota moves between sessions with
 * transfer_quota; a parent funds its child this way. Running out affects only
 * the session that ran out.
 */

#ifndef _RAM_SESSION_RAM_SESSION_H_
#define _RAM_SESSION_RAM_SESSION_H_

#include <dataspace/dataspace.h>

enum ram_session_result {
	RAM_OK = 0,
	RAM_OUT_OF_QUOTA,     /* the allocation or transfer exceeds the unused quota */
	RAM_INVALID_SIZE,     /* zero, or larger than the platform supports */
	RAM_INVALID_ARGUMENT, /* a dataspace or session capability that is not this core's */
	RAM_OUT_OF_MEMORY,    /* the platform could not back the dataspace */
	RPC_RESULT_ERRORS(RAM),
};

struct ram_quota
{
	uint64_t quota; /* bytes this session may hold */
	uint64_t used;  /* bytes of its dataspaces */
};

struct ram_quota_result
{
	enum ram_session_result result;
	struct ram_quota quota;
};

/*
 * alloc:          a new zeroed dataspace of `size` bytes (rounded up to pages),
 *                 owned by this session; the capability is the caller's
 * free:           destroy a dataspace of this session; its quota is free again
 *                 (every capability of it is revoked, attachments stay mapped
 *                 where the platform cannot take them back)
 * transfer_quota: move `amount` unused bytes of quota to the session `to`
 * quota:          the quota and what is used of it
 */
#define RAM_SESSION_RPC(M, I)                                                            \
	M(I, alloc, enum ram_session_result, (IN, uint64_t, size), (OUT_CAP, dataspace, ds)) \
	M(I, free, enum ram_session_result, (IN_CAP, dataspace, ds))                         \
	M(I, transfer_quota, enum ram_session_result, (IN_CAP, ram_session, to),             \
	  (IN, uint64_t, amount))                                                            \
	M(I, quota, struct ram_quota_result)

RPC_INTERFACE(ram_session, RAM_SESSION_RPC)

#endif /* _RAM_SESSION_RAM_SESSION_H_ */
