/* SPDX-License-Identifier: MIT */
/**
 * \brief the C library symbols that gcc may emit calls to in freestanding code
 *
 * Even with -ffreestanding, gcc emits calls to memcpy, memmove, memset and
 * memcmp (struct copies, large initializers) and may emit strlen. This file
 * is linked only into the freestanding libbase and forwards each symbol to
 * its <util/string.h> helper. No libc header is included: the prototypes
 * are declared here.
 */

#include <stddef.h>

#include <util/string.h>

void *memcpy(void *restrict dst, void const *restrict src, size_t n);
void *memmove(void *dst, void const *src, size_t n);
void *memset(void *dst, int value, size_t n);
int memcmp(void const *a, void const *b, size_t n);
size_t strlen(char const *s);

void *memcpy(void *restrict dst, void const *restrict src, size_t n)
{
	return memory_copy(dst, src, n);
}

void *memmove(void *dst, void const *src, size_t n) { return memory_move(dst, src, n); }

void *memset(void *dst, int value, size_t n)
{
	return memory_set(dst, (unsigned char)value, n);
}

int memcmp(void const *a, void const *b, size_t n) { return memory_compare(a, b, n); }

size_t strlen(char const *s) { return string_length(s); }
