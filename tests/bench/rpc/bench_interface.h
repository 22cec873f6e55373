/* SPDX-License-Identifier: MIT */
/**
 * \brief the interface that the RPC benchmark calls: a null call, a 4 KiB
 *        sink, and the switch of the server's one thread to a raw peer
 */

#ifndef _BENCH_INTERFACE_H_
#define _BENCH_INTERFACE_H_

#include <base/rpc.h>

enum bench_result {
	BENCH_OK = 0,
	RPC_RESULT_ERRORS(BENCH),
	BENCH_INVALID_MODE, /* serve_raw: the mode names no raw peer */
};

/** the sink's answer: how many bytes arrived, so the client can check the call */
struct bench_sink_result
{
	enum bench_result result;
	uint32_t size;
};

/** what the server process's one thread serves; the client switches it between batches */
enum bench_mode {
	BENCH_MODE_RPC,           /* the RPC entrypoint */
	BENCH_MODE_PLAIN,         /* the plain raw peer: recvmsg + sendmsg, the reference */
	BENCH_MODE_EPOLL,         /* the epoll raw peer: epoll_wait + recvmsg + sendmsg */
	BENCH_MODE_EPOLL_CONTROL, /* the same on the same socket, recvmsg with a control buffer */
	BENCH_MODE_COUNT,
};

enum { BENCH_SINK_MAX = 4096 };

/*
 * null:   no argument, the result enum back (the smallest call there is)
 * sink:   a buffer of up to 4 KiB in, its size back
 * serve_raw: after this reply, serve the raw peer `mode` instead of RPC
 */
#define BENCH_RPC(M, I)                                                  \
	M(I, null, enum bench_result)                                        \
	M(I, sink, struct bench_sink_result, (IN_BUF, BENCH_SINK_MAX, data)) \
	M(I, serve_raw, enum bench_result, (IN, uint32_t, mode))

RPC_INTERFACE(bench, BENCH_RPC)

#endif /* _BENCH_INTERFACE_H_ */
