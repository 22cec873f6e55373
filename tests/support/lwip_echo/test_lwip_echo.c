/* SPDX-License-Identifier: MIT */
/** \brief the echo of a TCP connection on lwIP's raw API (test_lwip_echo.h) */

#include "test_lwip_echo.h"

void test_lwip_echo_take(struct pbuf **pending, struct pbuf *p)
{
	if (*pending)
		pbuf_cat(*pending, p); /* bounded by our receive window */
	else
		*pending = p;
}

uint64_t test_lwip_echo_write(struct tcp_pcb *pcb, struct pbuf **pending)
{
	uint64_t written = 0;
	while (*pending) {
		u32_t room = tcp_sndbuf(pcb);
		u16_t length = (*pending)->len;
		if (length > room) length = (u16_t)room;
		if (length == 0) break;
		if (tcp_write(pcb, (*pending)->payload, length, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break; /* out of segments or memory: the next sent or poll tries again */
		*pending = pbuf_free_header(*pending, length);
		tcp_recved(pcb, length);
		written += length;
	}
	return written;
}
