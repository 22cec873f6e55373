/* SPDX-License-Identifier: MIT */
/**
 * \brief futex waits, and linux_syscall_blocking: the one kernel entry of
 *        every system call that may block for long
 *
 * A blocking system call goes through an out-of-line function rather than
 * an inline `syscall`, as a C library's wrappers do, so that a debugger finds
 * a blocked thread's innermost frame there: a function without arguments,
 * whose frame it prints from the registers alone, with the blocking primitive
 * and its arguments one `up` away. Were the `syscall` inline, the innermost
 * frame would be the primitive itself, compiled with optimization: for each
 * argument the debugger evaluates location lists and looks for its entry
 * value at the caller's call site, which reads the caller's stack, once per
 * blocked thread in every `info threads` (doc/bench.md, "What GDB does with
 * the frames").
 *
 * The entry is assembly in this file, whose C functions give the compilation
 * unit an address range that covers it: so the debugger knows the code to be
 * a compiler's, and does not read it to look for an epilogue.
 *
 * The System V argument registers shift by one into the kernel's: the number
 * in rdi to rax, then rsi, rdx, rcx, r8, r9 and the first stack argument to
 * rdi, rsi, rdx, r10, r8, r9. The entry touches no stack, so its frame is the
 * caller's return address at the stack pointer, as its call frame information
 * says.
 */

#include "futex.h"

__asm__(".text\n"
        ".globl linux_syscall_blocking\n"
        ".type linux_syscall_blocking, @function\n"
        "linux_syscall_blocking:\n"
        "\t.cfi_startproc\n"
        "\tmovq %rdi, %rax\n"
        "\tmovq %rsi, %rdi\n"
        "\tmovq %rdx, %rsi\n"
        "\tmovq %rcx, %rdx\n"
        "\tmovq %r8, %r10\n"
        "\tmovq %r9, %r8\n"
        "\tmovq 8(%rsp), %r9\n"
        "\tsyscall\n"
        "\tret\n"
        "\t.cfi_endproc\n"
        ".size linux_syscall_blocking, .-linux_syscall_blocking\n");

long futex_wait(int *word, int expected)
{
	return linux_syscall_blocking(SYS_futex, (long)word, LINUX_FUTEX_WAIT_PRIVATE, expected, 0,
	                              0, 0);
}

long futex_wait_shared(int *word, int expected)
{
	return linux_syscall_blocking(SYS_futex, (long)word, LINUX_FUTEX_WAIT, expected, 0, 0, 0);
}
