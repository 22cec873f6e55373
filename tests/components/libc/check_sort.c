/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: qsort and bsearch
 *
 * qsort must give a sorted array that is a permutation of its input: a
 * shuffled 0..N-1 must come back as exactly 0..N-1, and an array of many
 * duplicates must keep every value's count. bsearch must find every element
 * that is there (the element itself, not an equal one elsewhere) and no
 * element that is not.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_libc.h"

enum {
	SORT_COUNT = 5000,     /* the integers sorted */
	SORT_VALUES = 97,      /* distinct values of the array with duplicates */
	SORT_STRINGS = 700,    /* the strings sorted */
	SORT_STRING_SIZE = 12, /* "s" and five digits, ... */
};

static int sort_int_compare(void const *a, void const *b)
{
	int x = *(int const *)a, y = *(int const *)b;
	return (x > y) - (x < y);
}

static int sort_int_compare_descending(void const *a, void const *b)
{
	return sort_int_compare(b, a);
}

static int sort_string_compare(void const *a, void const *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* a random permutation of 0..count-1 (Fisher-Yates) */
static void sort_shuffle(struct test *t, int *array, unsigned count)
{
	for (unsigned i = 0; i < count; i++) array[i] = (int)i;
	for (unsigned i = count - 1; i > 0; i--) {
		unsigned j = test_random(t) % (i + 1);
		int swap = array[i];
		array[i] = array[j];
		array[j] = swap;
	}
}

/* the index of the first element of `array` that is not `i` (count if none) */
static unsigned sort_first_not_identity(int const *array, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		if (array[i] != (int)i) return i;
	return count;
}

static void sort_integers(struct test *t, int *array)
{
	/* distinct values: sorted and a permutation means exactly 0..N-1 */
	sort_shuffle(t, array, SORT_COUNT);
	EXPECT_TRUE(t, sort_first_not_identity(array, SORT_COUNT) < SORT_COUNT);
	qsort(array, SORT_COUNT, sizeof(int), sort_int_compare);
	unsigned wrong = sort_first_not_identity(array, SORT_COUNT);
	test_expect(t, wrong == SORT_COUNT, "qsort of a shuffled 0..%d: element %u is %d",
	            SORT_COUNT - 1, wrong, wrong < SORT_COUNT ? array[wrong] : 0);

	/* sorting again (sorted input), and descending */
	qsort(array, SORT_COUNT, sizeof(int), sort_int_compare);
	EXPECT_UINT(t, sort_first_not_identity(array, SORT_COUNT), SORT_COUNT);
	qsort(array, SORT_COUNT, sizeof(int), sort_int_compare_descending);
	unsigned descending = 0;
	while (descending < SORT_COUNT && array[descending] == SORT_COUNT - 1 - (int)descending)
		descending++;
	EXPECT_UINT(t, descending, SORT_COUNT);

	/* many duplicates, negative values too: sorted, and every value's count kept */
	unsigned before[SORT_VALUES] = { 0 }, after[SORT_VALUES] = { 0 };
	for (unsigned i = 0; i < SORT_COUNT; i++) {
		unsigned v = test_random(t) % SORT_VALUES;
		array[i] = (int)v - SORT_VALUES / 2;
		before[v]++;
	}
	qsort(array, SORT_COUNT, sizeof(int), sort_int_compare);
	unsigned unsorted = 0;
	for (unsigned i = 0; i < SORT_COUNT; i++) {
		if (i > 0 && array[i - 1] > array[i]) unsorted++;
		int v = array[i] + SORT_VALUES / 2;
		if (v >= 0 && v < SORT_VALUES) after[v]++;
	}
	EXPECT_UINT(t, unsorted, 0);
	EXPECT_INT(t, memcmp(before, after, sizeof(before)), 0);

	/* the edge cases: nothing and one element */
	int one = 42;
	qsort(&one, 1, sizeof(int), sort_int_compare);
	qsort(&one, 0, sizeof(int), sort_int_compare_descending);
	EXPECT_INT(t, one, 42);
}

static void sort_search(struct test *t, int *array)
{
	/* even numbers 0, 2, ..., sorted */
	for (unsigned i = 0; i < SORT_COUNT; i++) array[i] = 2 * (int)i;
	unsigned wrong = 0, found_absent = 0;
	for (int key = -3; key < 2 * SORT_COUNT + 3; key++) {
		int const *found = bsearch(&key, array, SORT_COUNT, sizeof(int), sort_int_compare);
		bool present = key >= 0 && key < 2 * SORT_COUNT && key % 2 == 0;
		if (present && found != array + key / 2) wrong++;
		if (!present && found) found_absent++;
	}
	EXPECT_UINT(t, wrong, 0);
	EXPECT_UINT(t, found_absent, 0);
	int key = 4;
	EXPECT_PTR(t, bsearch(&key, array, 0, sizeof(int), sort_int_compare), 0);
	EXPECT_PTR(t, bsearch(&key, array, 3, sizeof(int), sort_int_compare), array + 2);
	key = 0;
	EXPECT_PTR(t, bsearch(&key, array, 1, sizeof(int), sort_int_compare), array);
}

static void sort_strings(struct test *t)
{
	int *order = malloc(SORT_STRINGS * sizeof(int));
	char **strings = malloc(SORT_STRINGS * sizeof(char *));
	char *storage = malloc(SORT_STRINGS * SORT_STRING_SIZE);
	if (!EXPECT_TRUE(t, order && strings && storage)) goto out;

	/* "s00000", "s00007", ... in random order */
	sort_shuffle(t, order, SORT_STRINGS);
	for (unsigned i = 0; i < SORT_STRINGS; i++) {
		strings[i] = storage + i * SORT_STRING_SIZE;
		snprintf(strings[i], SORT_STRING_SIZE, "s%05d", order[i] * 7);
	}
	qsort(strings, SORT_STRINGS, sizeof(char *), sort_string_compare);
	unsigned wrong = 0;
	char expected[SORT_STRING_SIZE];
	for (unsigned i = 0; i < SORT_STRINGS; i++) {
		snprintf(expected, sizeof(expected), "s%05u", i * 7);
		if (strcmp(strings[i], expected) != 0) wrong++;
	}
	EXPECT_UINT(t, wrong, 0);

	/* and found again */
	unsigned missed = 0;
	for (unsigned i = 0; i < SORT_STRINGS; i++) {
		snprintf(expected, sizeof(expected), "s%05u", i * 7);
		char *key = expected;
		char **found =
		    bsearch(&key, strings, SORT_STRINGS, sizeof(char *), sort_string_compare);
		if (found != strings + i) missed++;
	}
	EXPECT_UINT(t, missed, 0);
	char *absent = "s00001";
	EXPECT_PTR(t, bsearch(&absent, strings, SORT_STRINGS, sizeof(char *), sort_string_compare),
	           0);
out:
	free(order);
	free(strings);
	free(storage);
}

void test_sort_run(struct test *t)
{
	int *array = malloc(SORT_COUNT * sizeof(int));
	EXPECT_TRUE(t, array != 0);
	if (!array) return;
	sort_integers(t, array);
	sort_search(t, array);
	free(array);
	sort_strings(t);
}
