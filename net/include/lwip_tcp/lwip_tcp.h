/* SPDX-License-Identifier: MIT */
/**
 * \brief what every TCP connection on lwIP's raw API needs at its end: the
 *        pcb detached from its callbacks and closed, or aborted when lwIP has
 *        no memory for the FIN
 */

#ifndef _LWIP_TCP_LWIP_TCP_H_
#define _LWIP_TCP_LWIP_TCP_H_

#include <lwip/tcp.h>

/**
 * Detach `pcb` (its arg and every callback) and close it; abort it if the
 * close fails. The pcb is the caller's no more either way.
 *
 * \return ERR_OK, or ERR_ABRT after an abort: what a callback of the pcb must
 *         return to lwIP then
 */
err_t lwip_tcp_close(struct tcp_pcb *pcb);

#endif /* _LWIP_TCP_LWIP_TCP_H_ */
