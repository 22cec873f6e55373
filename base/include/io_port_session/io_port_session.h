/* SPDX-License-Identifier: MIT */
/**
 * \brief IO_PORT session: a range of x86 I/O ports
 *
 * Session arguments: `base=<first port>`, `size=<ports>`. Served on x86_64;
 * the hosted platform denies it.
 */

#ifndef _IO_PORT_SESSION_IO_PORT_SESSION_H_
#define _IO_PORT_SESSION_IO_PORT_SESSION_H_

#include <base/rpc.h>

enum io_port_session_result {
	IO_PORT_OK = 0,
	IO_PORT_OUT_OF_RANGE, /* the port (and width) is not within the session's range */
	RPC_RESULT_ERRORS(IO_PORT),
};

struct io_port_value_result
{
	enum io_port_session_result result;
	uint32_t value;
};

/* in, out: access `width` (1, 2 or 4) bytes at `port` */
#define IO_PORT_SESSION_RPC(M, I)                                                      \
	M(I, in, struct io_port_value_result, (IN, uint16_t, port), (IN, uint8_t, width))  \
	M(I, out, enum io_port_session_result, (IN, uint16_t, port), (IN, uint8_t, width), \
	  (IN, uint32_t, value))

RPC_INTERFACE(io_port_session, IO_PORT_SESSION_RPC)

#endif /* _IO_PORT_SESSION_IO_PORT_SESSION_H_ */
