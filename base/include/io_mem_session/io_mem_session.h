/* SPDX-License-Identifier: MIT */
/**
 * \brief IO_MEM session: device memory as a dataspace
 *
 * Session arguments: `base=<physical address>`, `size=<bytes>`,
 * `write_combined=yes|no`. Served on x86_64; the hosted platform denies it.
 */

#ifndef _IO_MEM_SESSION_IO_MEM_SESSION_H_
#define _IO_MEM_SESSION_IO_MEM_SESSION_H_

#include <dataspace/dataspace.h>

enum io_mem_session_result {
	IO_MEM_OK = 0,
	RPC_RESULT_ERRORS(IO_MEM),
};

/* dataspace: the device memory, to attach through an RM session */
#define IO_MEM_SESSION_RPC(M, I) \
	M(I, dataspace, enum io_mem_session_result, (OUT_CAP, dataspace, ds))

RPC_INTERFACE(io_mem_session, IO_MEM_SESSION_RPC)

#endif /* _IO_MEM_SESSION_IO_MEM_SESSION_H_ */
