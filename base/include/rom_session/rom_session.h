/* SPDX-License-Identifier: MIT */
/**
 * \brief ROM session: a boot module as a read-only dataspace
 *
 * Session arguments: `label` names the module by its last element
 * ("init -> test-log -> test-log" asks for module "test-log"), or
 * `module="name"` names it explicitly. An unknown module denies the session.
 */

#ifndef _ROM_SESSION_ROM_SESSION_H_
#define _ROM_SESSION_ROM_SESSION_H_

#include <dataspace/dataspace.h>

enum rom_session_result {
	ROM_OK = 0,
	ROM_OUT_OF_RESOURCES, /* the capability could not be made */
	RPC_RESULT_ERRORS(ROM),
};

struct rom_size_result
{
	enum rom_session_result result;
	uint64_t size; /* bytes of the module (the dataspace is rounded up to pages) */
};

/*
 * dataspace: the module's content, read-only; the capability is the caller's
 * size:      the module's size in bytes
 */
#define ROM_SESSION_RPC(M, I)                                          \
	M(I, dataspace, enum rom_session_result, (OUT_CAP, dataspace, ds)) \
	M(I, size, struct rom_size_result)

RPC_INTERFACE(rom_session, ROM_SESSION_RPC)

#endif /* _ROM_SESSION_ROM_SESSION_H_ */
