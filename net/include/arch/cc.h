/* SPDX-License-Identifier: MIT */
/**
 * \brief lwIP's compiler and platform abstraction for Vitrine components on newlib
 *
 * lwIP includes this from <lwip/arch.h>. The types come from newlib's
 * <stdint.h> and <inttypes.h> (lwIP's defaults), the byte order from the
 * compiler. Diagnostics go to the component's log, a failed lwIP assertion
 * is a bug and panics with the component's label, and random numbers come
 * from the port's generator (net/src/lwip/lwip_port.c, doc/lwip.md).
 */

#ifndef _ARCH_CC_H_
#define _ARCH_CC_H_

#include <stdint.h>
#include <sys/types.h>

/*
 * newlib's ssize_t: lwIP defines one of its own (int) unless SSIZE_MAX says
 * that the C library has one, and newlib's <limits.h> does not define it.
 */
#ifndef SSIZE_MAX
#define SSIZE_MAX __LONG_MAX__
_Static_assert(sizeof(ssize_t) == sizeof(long), "newlib's ssize_t is a long");
#endif

/*
 * lwIP's BYTE_ORDER: the compiler knows. newlib's <machine/endian.h> defines
 * the same names with the same values (1234, 4321) when it came first.
 */
#ifndef BYTE_ORDER
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BYTE_ORDER LITTLE_ENDIAN
#else
#define BYTE_ORDER BIG_ENDIAN
#endif
#endif

/* one instruction each instead of lwIP's shifts (def.c then defines no functions) */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define lwip_htons(x) ((u16_t)__builtin_bswap16((u16_t)(x)))
#define lwip_htonl(x) ((u32_t)__builtin_bswap32((u32_t)(x)))
#endif

/**
 * Format lwIP's diagnostic output (LWIP_PLATFORM_DIAG, used by LWIP_DEBUGF
 * and the statistics) into the component's log. lwIP prints lines in
 * pieces, so the text is collected until a newline and logged as one line.
 */
void lwip_port_diag(char const *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * A failed lwIP assertion: panics with the message and its place. Never
 * returns.
 */
void lwip_port_assert(char const *message, char const *file, int line)
    __attribute__((noreturn));

/**
 * The next value of the port's pseudo-random generator (xorshift64*),
 * seeded by lwip_loop_init from the timer's clock. Not cryptographic: it
 * varies lwIP's initial local ports, DHCP transaction ids and TCP initial
 * sequence numbers from one start to the next.
 */
uint32_t lwip_port_random(void);

#define LWIP_PLATFORM_DIAG(x) \
	do {                      \
		lwip_port_diag x;     \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x) lwip_port_assert((x), __FILE__, __LINE__)
#define LWIP_RAND()             lwip_port_random()

#endif /* _ARCH_CC_H_ */
