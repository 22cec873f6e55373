/* SPDX-License-Identifier: MIT */
/**
 * \brief string and memory helpers without the C library
 *
 * Plain byte loops. The freestanding build compiles this file with
 * -fno-tree-loop-distribute-patterns, so gcc does not turn these loops back
 * into calls to memcpy/memset, which freestanding/builtins.c forwards here.
 */

#include <stdint.h>

#include <util/string.h>

size_t string_length(char const *s)
{
	size_t n = 0;
	while (s[n]) n++;
	return n;
}

size_t string_length_bounded(char const *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n]) n++;
	return n;
}

enum string_copy_result string_copy(char *dst, char const *src, size_t dst_size)
{
	if (dst_size == 0) return STRING_COPY_TRUNCATED;

	size_t i = 0;
	for (; i + 1 < dst_size && src[i]; i++) dst[i] = src[i];
	dst[i] = '\0';
	return src[i] ? STRING_COPY_TRUNCATED : STRING_COPY_OK;
}

int string_compare(char const *a, char const *b)
{
	unsigned char const *x = (unsigned char const *)a, *y = (unsigned char const *)b;
	while (*x && *x == *y) x++, y++;
	return (int)*x - (int)*y;
}

int string_compare_n(char const *a, char const *b, size_t n)
{
	unsigned char const *x = (unsigned char const *)a, *y = (unsigned char const *)b;
	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) return (int)x[i] - (int)y[i];
		if (!x[i]) return 0;
	}
	return 0;
}

bool string_equal(char const *a, char const *b) { return string_compare(a, b) == 0; }

bool string_starts_with(char const *s, char const *prefix)
{
	for (; *prefix; s++, prefix++)
		if (*s != *prefix) return false;
	return true;
}

char const *string_find_char(char const *s, char c)
{
	for (;; s++) {
		if (*s == c) return s;
		if (!*s) return NULL;
	}
}

void *memory_copy(void *dst, void const *src, size_t n)
{
	unsigned char *d = dst;
	unsigned char const *s = src;

	/*
	 * Eight bytes at a time: a __builtin_memcpy of a constant size compiles
	 * to one load and one store, never to a call, even freestanding. Front
	 * to back as before, so a copy to a lower, overlapping address still works.
	 */
	for (; n >= sizeof(uint64_t); n -= sizeof(uint64_t)) {
		uint64_t word;
		__builtin_memcpy(&word, s, sizeof(word));
		__builtin_memcpy(d, &word, sizeof(word));
		d += sizeof(word);
		s += sizeof(word);
	}
	while (n--) *d++ = *s++;
	return dst;
}

void *memory_move(void *dst, void const *src, size_t n)
{
	unsigned char *d = dst;
	unsigned char const *s = src;

	/* compare as integers: the ranges may belong to different objects */
	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n) {
		for (size_t i = 0; i < n; i++) d[i] = s[i];
	} else {
		for (size_t i = n; i > 0; i--) d[i - 1] = s[i - 1];
	}
	return dst;
}

void *memory_set(void *dst, unsigned char value, size_t n)
{
	unsigned char *d = dst;
	for (size_t i = 0; i < n; i++) d[i] = value;
	return dst;
}

int memory_compare(void const *a, void const *b, size_t n)
{
	unsigned char const *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i]) return (int)x[i] - (int)y[i];
	return 0;
}
