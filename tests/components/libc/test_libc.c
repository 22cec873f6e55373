/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: a component with main(argc, argv) on the C library that
 *        checks every result (run/libc.run)
 *
 * argv[1] (from the config's `<arg value="..."/>` nodes) picks what runs:
 *   full      the output lines that the run script compares (floats to
 *             stdout and stderr, lines longer than a LOG write, an empty
 *             line, raw writes, argv), then the check suite (test_libc.h)
 *             in the main thread and in a second thread at the same time;
 *             in the middle both meet (test_exchange) to prove that strtok,
 *             errno, rand and sleeps are each thread's own. After the join,
 *             malloc until the quota is spent: NULL with ENOMEM, no crash,
 *             and malloc works again once the blocks are freed.
 *   no-timer  for a component without a Timer route: every clock and sleep
 *             call fails with ENOTSUP (check_time.c)
 *   abort     prints a line and an unfinished one, then calls abort(): the
 *             library logs it, sends the unfinished line and ends the
 *             component with exit code 134 (128 + SIGABRT)
 *   (none)    argc is 1 and argv[0] "component" (a config without <arg>)
 *
 * A failed check prints `FAIL [thread] ...`; the last whole line is
 * `test-libc: N checks, F failed ...`, followed by a line without a newline
 * that the library must send at exit. main returns the number of failures.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <base/semaphore.h>
#include <base/thread.h>
#include <libc/libc.h>

#include "test_libc.h"

enum {
	TEST_STACK = 256 * 1024,        /* of the second thread: printf with floats needs some */
	TEST_LINES = 20,                /* each thread prints at the same time */
	TEST_SLEEP_TOGETHER_US = 50000, /* both threads sleep at once */
	TEST_SLEEP_LATE_US = 40000,     /* how much longer: less than one more sleep */
	TEST_LOG_LINE = 1023,           /* the C library's line piece: a LOG write minus its 0 */
	TEST_QUOTA_BLOCK = 64 * 1024,   /* malloc'd until the quota is spent */
	TEST_QUOTA_BLOCKS_MAX = 4096,   /* 256 MiB: far beyond any quantum of the scenario */
};

struct test_rendezvous
{
	struct semaphore arrived[2]; /* [i]: thread i may go on, the other one has arrived */
};

/* wait until the other thread has come here too (a barrier of two) */
static void test_meet(struct test *t)
{
	semaphore_up(&t->rendezvous->arrived[1 - t->index]);
	semaphore_down(&t->rendezvous->arrived[t->index]);
}

/*
 * Both threads at once, in lock step: each uses the library's per-thread
 * state between two meetings, so state shared by mistake shows as the other
 * thread's value.
 */
static void test_exchange(struct test *t)
{
	static char const *const tokens[2][4] = { { "alpha", "beta", "gamma", "delta" },
		                                      { "one", "two", "three", "four" } };
	static char const *const delimiters[2] = { ",", "; " };
	char texts[2][32] = { "alpha,beta,,gamma,delta,", "; one;two three;;four" };
	unsigned self = t->index;
	if (!t->rendezvous) return;

	/* errno: each thread sets its own, and sees its own after the other set its */
	test_meet(t);
	char byte;
	int result = self == 0 ? (int)read(0, &byte, 1) : (int)lseek(1, 0, SEEK_END);
	test_meet(t);
	test_expect_failure(t, "errno after the other thread's failed call", result, -1, errno,
	                    self == 0 ? EBADF : ESPIPE);

	/* strtok: each thread's own position, while the other cuts its own string */
	for (unsigned i = 0; i < 4; i++) {
		test_meet(t);
		char const *token = strtok(i == 0 ? texts[self] : 0, delimiters[self]);
		test_expect_string(t, "strtok between the other thread's", token, tokens[self][i]);
	}
	test_meet(t);
	EXPECT_PTR(t, strtok(0, delimiters[self]), 0);

	/* rand: the sequence of this thread's seed, drawn in turns with the other */
	srand(11 + self);
	int expected[3] = { rand(), rand(), rand() };
	srand(11 + self);
	for (unsigned i = 0; i < 3; i++) {
		test_meet(t);
		EXPECT_INT(t, rand(), expected[i]);
	}

	/* sleeps at the same time: one Timer session each, so neither waits for the other */
	test_meet(t);
	uint64_t start = test_time_now_us();
	struct timespec request = { 0, TEST_SLEEP_TOGETHER_US * 1000 };
	EXPECT_INT(t, nanosleep(&request, 0), 0);
	uint64_t took = test_time_now_us() - start;
	test_expect(
	    t, took >= TEST_SLEEP_TOGETHER_US && took < TEST_SLEEP_TOGETHER_US + TEST_SLEEP_LATE_US,
	    "nanosleep of %u us beside the other thread's: got %llu us expected below %u",
	    TEST_SLEEP_TOGETHER_US, (unsigned long long)took,
	    TEST_SLEEP_TOGETHER_US + TEST_SLEEP_LATE_US);

	/* lines at the same time: each whole, in order (the run script checks) */
	test_meet(t);
	for (unsigned i = 1; i <= TEST_LINES; i++)
		printf("%s: line %u of %u: %.3f\n", t->name, i, (unsigned)TEST_LINES, i / 7.0);
}

/* the check suite: the same in both threads, at the same time */
static void test_suite_run(struct test *t)
{
	test_format_run(t);
	test_sort_run(t);
	test_exchange(t);
	test_memory_run(t);
	test_string_run(t);
	test_math_run(t);
	test_time_run(t);
	test_system_run(t);
}

static void test_second_entry(void *argument) { test_suite_run(argument); }

/* ---- the output lines ------------------------------------------------------------ */

/* a printf-like call printed `expected` (without the newline) */
static void test_printed(struct test *t, char const *call, int returned, char const *expected)
{
	test_expect(t, returned == (int)strlen(expected) + 1, "%s: returned %d expected %zu", call,
	            returned, strlen(expected) + 1);
}

/* `length` characters of "0000,0001,0002,...": every position tells where it is */
static char *test_numbered_text(size_t length)
{
	char *text = malloc(length + 6);
	if (!text) return 0;
	for (size_t i = 0; i < length; i += 5) snprintf(text + i, 6, "%04zu,", i / 5);
	text[length] = 0;
	return text;
}

static void test_output(struct test *t)
{
	double const pi = 3.14159265358979323846;

	/* floats (and more) to stdout and to stderr */
	test_printed(t, "printf",
	             printf("stdout: pi %.5f e %e big %g tiny %g hex %a\n", pi, exp(1.0), 1.5e300,
	                    1e-300, 0.1),
	             "stdout: pi 3.14159 e 2.718282e+00 big 1.5e+300 tiny 1e-300 hex "
	             "0x1.999999999999ap-4");
	test_printed(t, "fprintf(stderr)",
	             fprintf(stderr, "stderr: %8.3f|%-9.2e|%+.0f|%g|%g|%G\n", -pi, 12345.678, 2.5,
	                     (double)INFINITY, -0.0, (double)NAN),
	             "stderr:   -3.142|1.23e+04 |+2|inf|-0|NAN");
	test_printed(t, "fprintf(stdout)",
	             fprintf(stdout, "stdout: %lld %zu %#x %05.1f%%\n", -9223372036854775807LL - 1,
	                     (size_t)-1, 255, 99.5),
	             "stdout: -9223372036854775808 18446744073709551615 0xff 099.5%");
	errno = ENOSYS;
	perror("stderr: perror");
	EXPECT_TRUE(t, puts("stdout: puts") >= 0);
	EXPECT_TRUE(t, fputs("stderr: fputs\n", stderr) >= 0);
	for (char const *c = "putchar\n"; *c; c++) EXPECT_INT(t, putchar(*c), *c);

	/* raw writes: a line in pieces, two lines in one write */
	EXPECT_INT(t, write(1, "write(1): ", 10), 10);
	EXPECT_INT(t, write(1, "in two pieces\n", 14), 14);
	char const *two_lines = "write(2): first\nwrite(2): second\n";
	EXPECT_INT(t, write(2, two_lines, strlen(two_lines)), (int)strlen(two_lines));

	/* both streams of a thread end up in the thread's one line */
	printf("stdout and ");
	EXPECT_INT(t, fflush(stdout), 0);
	fprintf(stderr, "stderr on one line\n");

	/* an empty line is a line */
	printf("before an empty line\n\nafter an empty line\n");

	/*
	 * Longer than a LOG write: the library sends pieces of TEST_LOG_LINE
	 * characters, in order, nothing lost; exactly one piece long is one write
	 * and no empty line after it.
	 */
	static size_t const lengths[] = { TEST_LOG_LINE, TEST_LOG_LINE + 1, 2500 };
	for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		char *text = test_numbered_text(lengths[i]);
		if (!EXPECT_TRUE(t, text != 0)) continue;
		EXPECT_INT(t, printf("%s\n", text), (int)lengths[i] + 1);
		free(text);
		printf("after %zu characters\n", lengths[i]);
	}
}

static void test_argv(struct test *t, int argc, char **argv)
{
	printf("argc %d\n", argc);
	for (int i = 0; i < argc; i++) printf("argv[%d] = \"%s\"\n", i, argv[i]);
	EXPECT_PTR(t, argv[argc], 0);
}

/* ---- the quota ------------------------------------------------------------------- */

/* malloc until the quota is spent: NULL and ENOMEM, no crash, and back once freed */
static void test_out_of_quota(struct test *t)
{
	struct env *env = libc_env();
	void **blocks = calloc(TEST_QUOTA_BLOCKS_MAX, sizeof(void *));
	EXPECT_TRUE(t, blocks != 0);
	if (!blocks) return;
	struct ram_quota_result before = ram_session_quota(env->ram);
	unsigned count = 0;
	int error = 0;
	for (; count < TEST_QUOTA_BLOCKS_MAX; count++) {
		errno = 0;
		blocks[count] = malloc(TEST_QUOTA_BLOCK);
		if (!blocks[count]) {
			error = errno;
			break;
		}
		memset(blocks[count], (int)(count & 0xff), TEST_QUOTA_BLOCK);
	}
	struct ram_quota_result full = ram_session_quota(env->ram);

	test_expect(t, count < TEST_QUOTA_BLOCKS_MAX, "malloc of %u blocks of %u bytes: no NULL",
	            count, TEST_QUOTA_BLOCK);
	test_expect(t, error == ENOMEM, "malloc out of quota: errno %d expected %d (ENOMEM)", error,
	            ENOMEM);
	EXPECT_INT(t, before.result, RAM_OK);
	EXPECT_INT(t, full.result, RAM_OK);
	uint64_t available = before.quota.quota - before.quota.used;
	uint64_t left = full.quota.quota - full.quota.used;
	/* the quota was really spent: what is left is less than one block's dataspace */
	test_expect(
	    t, full.quota.used <= full.quota.quota && left < 2 * TEST_QUOTA_BLOCK,
	    "out of quota after %u blocks: got %llu bytes left of %llu expected less than %u",
	    count, (unsigned long long)left, (unsigned long long)full.quota.quota,
	    2 * TEST_QUOTA_BLOCK);
	test_expect(t, (uint64_t)count * TEST_QUOTA_BLOCK <= available,
	            "%u blocks of %u bytes: more than the %llu bytes available", count,
	            TEST_QUOTA_BLOCK, (unsigned long long)available);

	unsigned damaged = 0;
	for (unsigned i = 0; i < count; i++) {
		unsigned char const *bytes = blocks[i];
		for (size_t j = 0; j < TEST_QUOTA_BLOCK; j += 4093)
			if (bytes[j] != (i & 0xff)) damaged++;
		if (bytes[TEST_QUOTA_BLOCK - 1] != (i & 0xff)) damaged++;
		free(blocks[i]);
	}
	EXPECT_UINT(t, damaged, 0);

	/* everything back: the blocks' dataspaces are gone, malloc works again */
	struct ram_quota_result after = ram_session_quota(env->ram);
	test_expect(t, after.quota.used <= before.quota.used,
	            "after free: got %llu bytes used expected at most %llu as before",
	            (unsigned long long)after.quota.used, (unsigned long long)before.quota.used);
	void *again = malloc(TEST_QUOTA_BLOCK);
	EXPECT_TRUE(t, again != 0);
	if (again) memset(again, 1, TEST_QUOTA_BLOCK);
	free(again);
	free(blocks);
}

/* ---- the modes ------------------------------------------------------------------- */

/* the summary line; returns the exit code: the number of failures */
static int test_summary(unsigned checks, unsigned failures, char const *detail)
{
	printf("test-libc: %u checks, %u failed%s\n", checks, failures, detail);
	return (int)failures;
}

static int test_full(int argc, char **argv)
{
	struct test_rendezvous rendezvous;
	semaphore_init(&rendezvous.arrived[0], 0);
	semaphore_init(&rendezvous.arrived[1], 0);
	struct test main_test = { .name = "main", .index = 0, .random = 0x9e3779b9u };
	struct test second = { .name = "second", .index = 1, .random = 0x7f4a7c15u };

	test_argv(&main_test, argc, argv);
	test_output(&main_test);
	unsigned output_checks = main_test.checks;

	/* the suite in two threads at once */
	struct thread thread;
	main_test.rendezvous = second.rendezvous = &rendezvous;
	enum thread_result created =
	    thread_create(&thread, libc_env(), "second", test_second_entry, &second, TEST_STACK);
	if (created != THREAD_OK) main_test.rendezvous = 0; /* nobody to meet */
	test_suite_run(&main_test);
	if (created == THREAD_OK) thread_join(&thread);
	EXPECT_INT(&main_test, created, THREAD_OK);
	unsigned suite_checks = main_test.checks - output_checks - 1;
	test_expect(&main_test, suite_checks == second.checks,
	            "checks of the suite: main %u, second %u", suite_checks, second.checks);

	test_out_of_quota(&main_test);

	char detail[64];
	snprintf(detail, sizeof(detail), " (main %u, second %u)", main_test.checks, second.checks);
	int failures = test_summary(main_test.checks + second.checks,
	                            main_test.failures + second.failures, detail);
	printf("the last line, without a newline");
	return failures;
}

static int test_without_timer(void)
{
	struct test t = { .name = "main" };
	test_time_run_without_timer(&t);
	return test_summary(t.checks, t.failures, " (no Timer)");
}

static int test_fallback(int argc, char **argv)
{
	struct test t = { .name = "main" };
	test_argv(&t, argc, argv);
	EXPECT_INT(&t, argc, 1);
	EXPECT_STR(&t, argv[0], "component");
	return test_summary(t.checks, t.failures, " (no arguments)");
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "full") == 0) return test_full(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "no-timer") == 0) return test_without_timer();
	if (argc >= 2 && strcmp(argv[1], "abort") == 0) {
		printf("a line before abort()\n");
		printf("an unfinished line before abort()");
		abort();
	}
	if (argc == 1) return test_fallback(argc, argv);
	printf("FAIL [main] argv[1]: got \"%s\" expected full, no-timer or abort\n", argv[1]);
	return 1;
}
