/* SPDX-License-Identifier: MIT */
/**
 * \brief lwIP's platform hooks (arch/cc.h): diagnostics, assertions, random numbers
 *
 * lwIP calls these without a context argument, so their state is the one
 * process-wide struct `lwip_port`. Only the event loop's thread runs lwIP
 * (NO_SYS), so nothing here locks.
 */

#include <stdarg.h>
#include <stdio.h>

#include <arch/cc.h>
#include <base/log.h>
#include <base/panic.h>

#include "lwip_port.h"

/* a diagnostic line longer than this is logged in pieces */
enum { LWIP_PORT_DIAG_MAX = 256 };

static struct
{
	char diag[LWIP_PORT_DIAG_MAX]; /* the unfinished diagnostic line */
	size_t diag_length;
	uint64_t random; /* xorshift64* state, never 0 */
} lwip_port = { .random = 0x9e3779b97f4a7c15ull };

static void lwip_port_diag_flush(void)
{
	/* lwIP indents with blanks and ends lines with "\n"; the log wants neither at the end */
	while (lwip_port.diag_length > 0 && lwip_port.diag[lwip_port.diag_length - 1] == ' ')
		lwip_port.diag_length--;
	lwip_port.diag[lwip_port.diag_length] = 0;
	if (lwip_port.diag_length > 0) log_info("lwIP: %s", lwip_port.diag);
	lwip_port.diag_length = 0;
}

void lwip_port_diag(char const *fmt, ...)
{
	char text[LWIP_PORT_DIAG_MAX];
	va_list args;
	va_start(args, fmt);
	int length = vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);
	if (length < 0) return;
	if ((size_t)length >= sizeof(text)) length = sizeof(text) - 1; /* cut, like a log line */

	for (int i = 0; i < length; i++) {
		if (text[i] == '\n') {
			lwip_port_diag_flush();
			continue;
		}
		if (lwip_port.diag_length == sizeof(lwip_port.diag) - 1) lwip_port_diag_flush();
		lwip_port.diag[lwip_port.diag_length++] = text[i];
	}
}

void lwip_port_assert(char const *message, char const *file, int line)
{
	panic("lwIP: assertion \"%s\" failed at %s:%d", message, file, line);
}

void lwip_port_random_seed(uint64_t seed)
{
	/* splitmix64 of the seed: neighbouring seeds give unrelated states */
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	lwip_port.random = z ? z : 0x9e3779b97f4a7c15ull;
}

uint32_t lwip_port_random(void)
{
	uint64_t x = lwip_port.random;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	lwip_port.random = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}
