/* SPDX-License-Identifier: MIT */
/** \brief the end of a TCP connection on lwIP's raw API (lwip_tcp/lwip_tcp.h) */

#include <lwip_tcp/lwip_tcp.h>

err_t lwip_tcp_close(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
	tcp_poll(pcb, NULL, 0);
	if (tcp_close(pcb) == ERR_OK) return ERR_OK;
	tcp_abort(pcb); /* no memory for the FIN: a reset then */
	return ERR_ABRT;
}
