/* SPDX-License-Identifier: MIT */
/** \brief private to liblwip: what the event loop sets up in the port */

#ifndef _NET_SRC_LWIP_LWIP_PORT_H_
#define _NET_SRC_LWIP_LWIP_PORT_H_

#include <stdint.h>

/** Seed lwip_port_random() (arch/cc.h); lwip_loop_init does, before lwip_init. */
void lwip_port_random_seed(uint64_t seed);

#endif /* _NET_SRC_LWIP_LWIP_PORT_H_ */
