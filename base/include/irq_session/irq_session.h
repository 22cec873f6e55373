/* SPDX-License-Identifier: MIT */
/**
 * \brief IRQ session: an interrupt line as a signal
 *
 * Session arguments: `irq=<number>`. Served on x86_64; the hosted platform
 * denies the session (no device interrupts reach a Linux process).
 */

#ifndef _IRQ_SESSION_IRQ_SESSION_H_
#define _IRQ_SESSION_IRQ_SESSION_H_

#include <base/signal.h>

enum irq_session_result {
	IRQ_OK = 0,
	RPC_RESULT_ERRORS(IRQ),
};

/*
 * sigh: the context that gets a signal per interrupt
 * ack:  the interrupt is handled; the next one may be signalled
 */
#define IRQ_SESSION_RPC(M, I)                                              \
	M(I, sigh, enum irq_session_result, (IN_CAP, signal_context, handler)) \
	M(I, ack, enum irq_session_result)

RPC_INTERFACE(irq_session, IRQ_SESSION_RPC)

#endif /* _IRQ_SESSION_IRQ_SESSION_H_ */
