/* SPDX-License-Identifier: MIT */
/**
 * \brief the echo of a TCP connection on lwIP's raw API, for test and benchmark
 *        components
 *
 * What a connection received waits in a pbuf chain until its send buffer takes
 * it; only then is the window opened by as much (tcp_recved), so a peer that
 * does not read its echo is held back by its own window, and the chain stays
 * bounded by the receive window.
 */

#ifndef _TEST_LWIP_ECHO_H_
#define _TEST_LWIP_ECHO_H_

#include <stdint.h>

#include <lwip/pbuf.h>
#include <lwip/tcp.h>

/** append `p` (received, owned by the caller until now) to `*pending`; takes p */
void test_lwip_echo_take(struct pbuf **pending, struct pbuf *p);

/**
 * write from `*pending` to `pcb` what its send buffer takes (copied), free it from
 * the chain and open the window by as much; without tcp_output. Returns the bytes
 * written; what is left stays for the next call (from the sent or poll callback)
 */
uint64_t test_lwip_echo_write(struct tcp_pcb *pcb, struct pbuf **pending);

#endif /* _TEST_LWIP_ECHO_H_ */
