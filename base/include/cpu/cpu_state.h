/* SPDX-License-Identifier: MIT */
/**
 * \brief the register state of an x86_64 thread as the CPU session reports it
 */

#ifndef _CPU_CPU_STATE_H_
#define _CPU_CPU_STATE_H_

#include <stdint.h>

/** why a thread stopped */
enum cpu_exception {
	CPU_EXCEPTION_NONE = 0,   /* running, or not started */
	CPU_EXCEPTION_PAUSED,     /* stopped by pause */
	CPU_EXCEPTION_STEP,       /* stopped after a single step */
	CPU_EXCEPTION_BREAKPOINT, /* executed int3; ip is after the int3 */
	CPU_EXCEPTION_WATCHPOINT, /* a debug-register hit; dr6 tells which */
	CPU_EXCEPTION_PAGE_FAULT, /* access to an address no region covers */
	CPU_EXCEPTION_ILLEGAL,    /* invalid instruction */
	CPU_EXCEPTION_ARITHMETIC, /* divide error and friends */
	CPU_EXCEPTION_BUS,        /* misaligned or beyond a backing object */
	CPU_EXCEPTION_EXITED,     /* the thread is gone */
};

/** the FXSAVE layout: x87, MXCSR, ST0-7 and XMM0-15 */
struct cpu_fpu_state
{
	uint16_t fcw, fsw;
	uint8_t ftw, reserved0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm[16][16];
	uint8_t reserved1[96];
} __attribute__((aligned(16)));

_Static_assert(sizeof(struct cpu_fpu_state) == 512, "FXSAVE area is 512 bytes");

struct cpu_state
{
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t cs, ss, ds, es, fs, gs;
	uint64_t fs_base, gs_base;
	uint64_t dr[8];         /* debug registers 0-3, 6 and 7 (4 and 5 are ignored) */
	uint32_t exception;     /* enum cpu_exception, read-only */
	uint32_t stopped;       /* 1 while the thread is stopped, read-only */
	uint64_t fault_address; /* of a page fault or bus error, read-only */
	struct cpu_fpu_state fpu;
};

#endif /* _CPU_CPU_STATE_H_ */
