/* SPDX-License-Identifier: MIT */
/**
 * \brief the RPC benchmark's server process: one thread that serves, one mode
 *        at a time, the benchmark's RPC object or a raw socket peer
 *
 * One thread for every path, so that RPC and raw round trips are measured
 * between the same two threads, whatever the scheduler does with them.
 */

#ifndef _BENCH_SERVER_H_
#define _BENCH_SERVER_H_

#include <sys/types.h>

#include "bench_interface.h"

enum {
	BENCH_RAW_REPLY = 64, /* a raw peer answers with the first 64 bytes it got */
	BENCH_RAW_REQUEST_MAX = RPC_MSG_MAX,
	/* room for descriptors in a receive with a control buffer, as in the transport */
	BENCH_CONTROL_SPACE = 64,
};

/** the client's view of a running server process */
struct bench_server
{
	pid_t pid;
	struct bench_cap cap;        /* of the benchmark's RPC object */
	int peers[BENCH_MODE_COUNT]; /* client ends of the raw sockets, by mode (-1 for RPC) */
	enum bench_mode mode;        /* what the server serves now */
};

enum bench_server_result {
	BENCH_SERVER_OK = 0,
	BENCH_SERVER_FAILED, /* no process, it did not report, or it did not switch */
};

/**
 * Fork the server process and receive its capability and raw sockets.
 *
 * \param server  filled on success; the caller owns the capability, the
 *                sockets and the process, and ends them with bench_server_stop()
 * \return BENCH_SERVER_OK with the server in BENCH_MODE_RPC, or
 *         BENCH_SERVER_FAILED (nothing to stop then)
 *
 * The server process is single-threaded and dies with its parent. A raw
 * peer answers every message with its first min(size, BENCH_RAW_REPLY) bytes.
 */
enum bench_server_result bench_server_spawn(struct bench_server *server)
    __attribute__((warn_unused_result));

/**
 * Make the server serve `mode` from now on (nothing if it already does).
 * Round trips of another mode must not be in flight.
 *
 * \return BENCH_SERVER_OK, or BENCH_SERVER_FAILED if the server did not confirm
 */
enum bench_server_result bench_server_switch(struct bench_server *server, enum bench_mode mode)
    __attribute__((warn_unused_result));

/** close the capability and sockets, kill the server process and wait for it */
void bench_server_stop(struct bench_server *server);

#endif /* _BENCH_SERVER_H_ */
