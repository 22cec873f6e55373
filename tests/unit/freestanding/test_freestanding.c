/* SPDX-License-Identifier: MIT */
/**
 * \brief libbase as component code: linked without the C library, started
 *        by the kernel at its own `_start`, checked from inside
 *
 * The unit tests of the modules run as host programs. This one proves that
 * the same code links and runs freestanding: the compiler's calls to memcpy
 * and memset resolve to libbase, formatting works without libc, and a lock
 * and a log line work on raw system calls.
 */

#include <stdint.h>

#include <base/lock.h>
#include <base/log.h>
#include <util/avl.h>
#include <util/format.h>
#include <util/string.h>

#include "syscall.h" /* the platform's raw system calls: this test is Linux-hosted */

void freestanding_main(uint64_t *stack);

struct freestanding_tally
{
	unsigned passed;
	unsigned failed;
};

static void check(struct freestanding_tally *t, int ok, char const *what)
{
	if (ok) {
		t->passed++;
		return;
	}
	t->failed++;
	log_error("test_freestanding: failed: %s", what);
}

struct big
{
	char bytes[300];
};

/* copying a large struct makes the compiler emit memcpy; zeroing one, memset */
static __attribute__((noinline)) struct big big_make(char fill)
{
	struct big b = { { 0 } };
	for (unsigned i = 0; i < sizeof(b.bytes); i++) b.bytes[i] ^= fill;
	return b;
}

void freestanding_main(uint64_t *stack)
{
	struct freestanding_tally t = { 0, 0 };

	/* the kernel's initial stack: argc, argv..., NULL */
	check(&t, stack[0] >= 1 && stack[1] != 0, "argc and argv on the initial stack");

	char line[64];
	size_t n =
	    format_string(line, sizeof(line), "%s-%05d-%x-%p", "fs", 42, 0xbeefu, (void *)16);
	check(&t, n == 18 && string_equal(line, "fs-00042-beef-0x10"), "format_string");

	struct big a = big_make('x');
	struct big b = a;
	check(&t, memory_compare(&a, &b, sizeof(a)) == 0 && b.bytes[299] == 'x', "struct copy");

	/* with a run-time size the compiler calls memcpy and memset: libbase's */
	char src[200], dst[200];
	size_t size = stack[0] + 150;
	__builtin_memset(src, 'q', size);
	__builtin_memcpy(dst, src, size);
	check(&t, dst[0] == 'q' && dst[size - 1] == 'q', "memcpy and memset calls");

	struct lock lock;
	lock_init(&lock);
	lock_acquire(&lock);
	check(&t, !lock_try_acquire(&lock), "lock held");
	lock_release(&lock);
	check(&t, lock_try_acquire(&lock), "lock free again");
	lock_release(&lock);

	char result[64];
	size_t length = format_string(result, sizeof(result), "UNIT-RESULT passed=%u failed=%u\n",
	                              t.passed, t.failed);
	linux_syscall3(SYS_write, 1, (long)result, (long)length);
	for (;;) linux_syscall1(SYS_exit_group, t.failed ? 1 : 0);
}

/* the process entry: hand the initial stack pointer to C with an aligned stack */
__asm__(".globl _start\n"
        "_start:\n"
        "  xor %rbp, %rbp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call freestanding_main\n"
        "  hlt\n");
