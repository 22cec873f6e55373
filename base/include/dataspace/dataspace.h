/* SPDX-License-Identifier: MIT */
/**
 * \brief dataspace: a memory object (RAM, ROM or device memory) served by core
 *
 * A dataspace becomes visible in an address space by attaching it to an RM
 * session. Its capability is what a component hands to another component to
 * share memory.
 */

#ifndef _DATASPACE_DATASPACE_H_
#define _DATASPACE_DATASPACE_H_

#include <base/rpc.h>

enum dataspace_result {
	DATASPACE_OK = 0,
	RPC_RESULT_ERRORS(DATASPACE),
};

struct dataspace_info
{
	uint64_t size; /* bytes, a multiple of the page size */
	bool writeable;
};

struct dataspace_info_result
{
	enum dataspace_result result;
	struct dataspace_info info;
};

#define DATASPACE_RPC(M, I) M(I, info, struct dataspace_info_result)

RPC_INTERFACE(dataspace, DATASPACE_RPC)

enum { PAGE_SIZE = 4096 };

/** round `value` up to a multiple of the page size */
static inline uint64_t page_round_up(uint64_t value)
{
	return (value + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static inline bool page_aligned(uint64_t value) { return (value & (PAGE_SIZE - 1)) == 0; }

#endif /* _DATASPACE_DATASPACE_H_ */
