/* SPDX-License-Identifier: MIT */
/** \brief unit-test harness: runs each registered case in its own process */

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit_test.h"

/* a failed CHECK exits with this status, distinct from a sanitizer's 1 */
enum { UNIT_TEST_MAX = 512, UNIT_TEST_CHECK_FAILED = 99 };

struct unit_test_case
{
	char const *name;
	unit_test_function function;
	bool expect_death;
};

/* the registry is filled by constructors before main: a process-wide table */
static struct unit_test_registry
{
	struct unit_test_case cases[UNIT_TEST_MAX];
	unsigned count;
} registry;

void unit_test_register(char const *name, unit_test_function function, bool expect_death)
{
	if (registry.count == UNIT_TEST_MAX) {
		fprintf(stderr, "unit_test: more than %d cases\n", UNIT_TEST_MAX);
		abort();
	}
	registry.cases[registry.count++] = (struct unit_test_case){ name, function, expect_death };
}

void unit_test_fail(char const *file, int line, char const *fmt, ...)
{
	va_list args;
	fprintf(stderr, "%s:%d: ", file, line);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
	fflush(stderr);
	_exit(UNIT_TEST_CHECK_FAILED);
}

/* run one case in a child process, report whether it behaved as expected */
static bool unit_test_run(struct unit_test_case const *c)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return false;
	}
	if (pid == 0) {
		if (c->expect_death) {
			/* the expected death reports through stderr: keep the log quiet */
			if (!getenv("UNIT_TEST_VERBOSE")) {
				FILE *null = freopen("/dev/null", "w", stderr);
				(void)null;
			}
		}
		c->function();
		_exit(0);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0) {}

	bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	bool check_failed = WIFEXITED(status) && WEXITSTATUS(status) == UNIT_TEST_CHECK_FAILED;
	if (c->expect_death) {
		/* a test's alarm() ends a hang with SIGALRM: that is no death by the code */
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
			fprintf(stderr, "FAIL %s: expected to die, but timed out\n", c->name);
			return false;
		}
		if (exited_ok || check_failed) {
			fprintf(stderr, "FAIL %s: expected to die, but %s\n", c->name,
			        exited_ok ? "returned" : "a check failed");
			return false;
		}
		return true;
	}
	if (exited_ok) return true;
	if (WIFSIGNALED(status))
		fprintf(stderr, "FAIL %s: killed by signal %d\n", c->name, WTERMSIG(status));
	else
		fprintf(stderr, "FAIL %s: exit status %d\n", c->name, WEXITSTATUS(status));
	return false;
}

int main(int argc, char **argv)
{
	unsigned passed = 0, failed = 0;
	char const *only = argc > 1 ? argv[1] : NULL;

	for (unsigned i = 0; i < registry.count; i++) {
		struct unit_test_case const *c = &registry.cases[i];
		if (only && strcmp(only, c->name) != 0) continue;
		struct timespec start, end;
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (unit_test_run(c))
			passed++;
		else
			failed++;
		clock_gettime(CLOCK_MONOTONIC, &end);
		double seconds =
		    (double)(end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
		if (seconds > 2.0) fprintf(stderr, "# slow case %s: %.1f s\n", c->name, seconds);
	}
	char const *binary = strrchr(argv[0], '/');
	printf("# %s: %u of %u cases passed\n", binary ? binary + 1 : argv[0], passed,
	       passed + failed);
	printf("UNIT-RESULT passed=%u failed=%u\n", passed, failed);
	return failed ? 1 : 0;
}
