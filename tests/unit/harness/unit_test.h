/* SPDX-License-Identifier: MIT */
/**
 * \brief minimal unit-test harness: self-registering cases, one process each
 *
 * A test file defines cases with TEST(name) { ... } and checks with CHECK*().
 * The harness's main() runs every case in a forked child, so a crash, an
 * ASan report or a panic fails that case only. A failed CHECK ends its case.
 * TEST_EXPECT_DEATH(name) marks a case that passes only if it dies (e.g. by
 * an assertion that catches a double free).
 *
 * Output: one line per failed case, then "# <binary>: P of N cases passed"
 * and the machine-readable line "UNIT-RESULT passed=P failed=F" that
 * tool/run_tests adds up.
 */

#ifndef _UNIT_TEST_H_
#define _UNIT_TEST_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*unit_test_function)(void);

void unit_test_register(char const *name, unit_test_function function, bool expect_death);

/** report a failed check of the running case and end the case */
void unit_test_fail(char const *file, int line, char const *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));

#define UNIT_TEST_DEFINE(name, death)                                        \
	static void unit_test_##name(void);                                      \
	__attribute__((constructor)) static void unit_test_register_##name(void) \
	{                                                                        \
		unit_test_register(#name, unit_test_##name, death);                  \
	}                                                                        \
	static void unit_test_##name(void)

#define TEST(name)              UNIT_TEST_DEFINE(name, false)
#define TEST_EXPECT_DEATH(name) UNIT_TEST_DEFINE(name, true)

#define CHECK(cond)                                                          \
	do {                                                                     \
		if (!(cond)) unit_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
	} while (0)

#define CHECK_EQ(a, b)                                                                    \
	do {                                                                                  \
		long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);                     \
		if (unit_a_ != unit_b_)                                                           \
			unit_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, unit_a_, \
			               unit_b_);                                                      \
	} while (0)

#define CHECK_EQ_U(a, b)                                                                      \
	do {                                                                                      \
		unsigned long long unit_a_ = (unsigned long long)(a),                                 \
		                   unit_b_ = (unsigned long long)(b);                                 \
		if (unit_a_ != unit_b_)                                                               \
			unit_test_fail(__FILE__, __LINE__, "%s == %s: 0x%llx != 0x%llx", #a, #b, unit_a_, \
			               unit_b_);                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                                       \
	do {                                                                                      \
		char const *unit_a_ = (a), *unit_b_ = (b);                                            \
		if (strcmp(unit_a_, unit_b_) != 0)                                                    \
			unit_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, unit_a_, \
			               unit_b_);                                                          \
	} while (0)

#define CHECK_MEM(a, b, len)                                                       \
	do {                                                                           \
		if (memcmp((a), (b), (len)) != 0)                                          \
			unit_test_fail(__FILE__, __LINE__, "memory %s == %s differs", #a, #b); \
	} while (0)

#endif /* _UNIT_TEST_H_ */
