/* SPDX-License-Identifier: MIT */
/**
 * \brief the tracer's register access: general, FXSAVE and debug registers
 *        of a stopped thread, with ptrace
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include <base/log.h>

#include "tracer_private.h"

_Static_assert(sizeof(struct user_fpregs_struct) == sizeof(struct cpu_fpu_state),
               "PTRACE_GETFPREGS fills the FXSAVE area");

/* the debug registers that exist (4 and 5 are aliases of 6 and 7) */
static unsigned const tracer_debug_registers[] = { 0, 1, 2, 3, 6, 7 };

enum {
	TRACER_DEBUG_COUNT = sizeof(tracer_debug_registers) / sizeof(tracer_debug_registers[0])
};

static void *tracer_debug_offset(unsigned index)
{
	return (void *)(offsetof(struct user, u_debugreg) + index * sizeof(uint64_t));
}

static enum tracer_result tracer_registers_failure(char const *request, pid_t tid)
{
	if (errno == ESRCH) return TRACER_EXITED;
	log_error("tracer: ptrace(%s) of thread %d failed: %s", request, (int)tid, strerror(errno));
	return TRACER_FAILED;
}

/* debug register `index` of thread `tid` */
static enum tracer_result tracer_debug_peek(pid_t tid, unsigned index, uint64_t *value)
{
	errno = 0;
	long word = ptrace(PTRACE_PEEKUSER, tid, tracer_debug_offset(index), 0);
	if (errno != 0) return tracer_registers_failure("PTRACE_PEEKUSER", tid);
	*value = (uint64_t)word;
	return TRACER_OK;
}

bool tracer_registers_debug_read(pid_t tid, unsigned index, uint64_t *value)
{
	return tracer_debug_peek(tid, index, value) == TRACER_OK;
}

bool tracer_registers_debug_write(pid_t tid, unsigned index, uint64_t value)
{
	return ptrace(PTRACE_POKEUSER, tid, tracer_debug_offset(index), (void *)value) == 0;
}

static enum tracer_result tracer_debug_read_all(pid_t tid, uint64_t dr[8])
{
	for (unsigned i = 0; i < 8; i++) dr[i] = 0;
	for (unsigned i = 0; i < TRACER_DEBUG_COUNT; i++) {
		unsigned index = tracer_debug_registers[i];
		enum tracer_result result = tracer_debug_peek(tid, index, &dr[index]);
		if (result != TRACER_OK) return result;
	}
	return TRACER_OK;
}

/* the debug registers: dr0-3 and dr7 from `cache` once it knows them, dr6 always read */
static enum tracer_result tracer_debug_read_cached(pid_t tid, struct tracer_debug_cache *cache,
                                                   uint64_t dr[8])
{
	if (!cache->known) {
		enum tracer_result result = tracer_debug_read_all(tid, dr);
		if (result != TRACER_OK) return result;
		memcpy(cache->dr, dr, sizeof(cache->dr));
		cache->known = true;
		return TRACER_OK;
	}
	memcpy(dr, cache->dr, sizeof(cache->dr));
	return tracer_debug_peek(tid, 6, &dr[6]);
}

/*
 * Move the debug registers from `old` to `new`, touching only what changes.
 * While addresses change, dr7 is 0: the kernel checks an enabled address
 * against its length and type, which may change with it.
 */
static bool tracer_debug_write_all(pid_t tid, uint64_t const old[8], uint64_t const new[8])
{
	bool addresses = false;
	for (unsigned i = 0; i < 4; i++) addresses |= old[i] != new[i];
	uint64_t dr7 = old[7];
	if (dr7 != 0 && (addresses || dr7 != new[7])) {
		if (!tracer_registers_debug_write(tid, 7, 0)) return false;
		dr7 = 0;
	}
	for (unsigned i = 0; i < 4; i++)
		if (old[i] != new[i] && !tracer_registers_debug_write(tid, i, new[i])) return false;
	if (dr7 != new[7] && !tracer_registers_debug_write(tid, 7, new[7])) return false;
	if (old[6] != new[6] && !tracer_registers_debug_write(tid, 6, new[6])) return false;
	return true;
}

enum tracer_result tracer_registers_read(pid_t tid, struct tracer_debug_cache *cache,
                                         struct cpu_state *state)
{
	struct user_regs_struct regs;
	struct user_fpregs_struct fpu;
	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return tracer_registers_failure("PTRACE_GETREGS", tid);
	if (ptrace(PTRACE_GETFPREGS, tid, 0, &fpu) < 0)
		return tracer_registers_failure("PTRACE_GETFPREGS", tid);
	enum tracer_result result = tracer_debug_read_cached(tid, cache, state->dr);
	if (result != TRACER_OK) return result;

	state->rax = regs.rax;
	state->rbx = regs.rbx;
	state->rcx = regs.rcx;
	state->rdx = regs.rdx;
	state->rsi = regs.rsi;
	state->rdi = regs.rdi;
	state->rbp = regs.rbp;
	state->rsp = regs.rsp;
	state->r8 = regs.r8;
	state->r9 = regs.r9;
	state->r10 = regs.r10;
	state->r11 = regs.r11;
	state->r12 = regs.r12;
	state->r13 = regs.r13;
	state->r14 = regs.r14;
	state->r15 = regs.r15;
	state->rip = regs.rip;
	state->rflags = regs.eflags;
	state->cs = regs.cs;
	state->ss = regs.ss;
	state->ds = regs.ds;
	state->es = regs.es;
	state->fs = regs.fs;
	state->gs = regs.gs;
	state->fs_base = regs.fs_base;
	state->gs_base = regs.gs_base;
	memcpy(&state->fpu, &fpu, sizeof(state->fpu));
	return TRACER_OK;
}

enum tracer_result tracer_registers_write(pid_t tid, struct tracer_debug_cache *cache,
                                          struct cpu_state const *state)
{
	struct user_regs_struct old_regs, regs;
	struct user_fpregs_struct old_fpu, fpu;
	uint64_t old_dr[8], new_dr[8];
	if (ptrace(PTRACE_GETREGS, tid, 0, &old_regs) < 0)
		return tracer_registers_failure("PTRACE_GETREGS", tid);
	if (ptrace(PTRACE_GETFPREGS, tid, 0, &old_fpu) < 0)
		return tracer_registers_failure("PTRACE_GETFPREGS", tid);
	enum tracer_result result = tracer_debug_read_cached(tid, cache, old_dr);
	if (result != TRACER_OK) return result;

	regs = old_regs;
	regs.rax = state->rax;
	regs.rbx = state->rbx;
	regs.rcx = state->rcx;
	regs.rdx = state->rdx;
	regs.rsi = state->rsi;
	regs.rdi = state->rdi;
	regs.rbp = state->rbp;
	regs.rsp = state->rsp;
	regs.r8 = state->r8;
	regs.r9 = state->r9;
	regs.r10 = state->r10;
	regs.r11 = state->r11;
	regs.r12 = state->r12;
	regs.r13 = state->r13;
	regs.r14 = state->r14;
	regs.r15 = state->r15;
	regs.rip = state->rip;
	regs.eflags = state->rflags;
	regs.cs = state->cs;
	regs.ss = state->ss;
	regs.ds = state->ds;
	regs.es = state->es;
	regs.fs = state->fs;
	regs.gs = state->gs;
	regs.fs_base = state->fs_base;
	regs.gs_base = state->gs_base;
	/* a stop in an interrupted system call would restart it at rip - 2 */
	if (regs.rip != old_regs.rip) regs.orig_rax = (unsigned long long)-1;
	memcpy(&fpu, &state->fpu, sizeof(fpu));
	for (unsigned i = 0; i < 8; i++) new_dr[i] = old_dr[i];
	for (unsigned i = 0; i < TRACER_DEBUG_COUNT; i++)
		new_dr[tracer_debug_registers[i]] = state->dr[tracer_debug_registers[i]];

	if (ptrace(PTRACE_SETREGS, tid, 0, &regs) < 0) {
		/* the kernel writes register by register up to the one it refuses */
		result = tracer_registers_failure("PTRACE_SETREGS", tid);
		(void)ptrace(PTRACE_SETREGS, tid, 0, &old_regs);
		return result == TRACER_FAILED ? TRACER_INVALID_STATE : result;
	}
	if (ptrace(PTRACE_SETFPREGS, tid, 0, &fpu) < 0) {
		result = tracer_registers_failure("PTRACE_SETFPREGS", tid);
		(void)ptrace(PTRACE_SETREGS, tid, 0, &old_regs);
		return result == TRACER_FAILED ? TRACER_INVALID_STATE : result;
	}
	if (!tracer_debug_write_all(tid, old_dr, new_dr)) {
		result = tracer_registers_failure("PTRACE_POKEUSER of a debug register", tid);
		cache->known = false; /* read anew next time, whatever the undo leaves */
		uint64_t now[8];
		if (tracer_debug_read_all(tid, now) == TRACER_OK)
			(void)tracer_debug_write_all(tid, now, old_dr);
		(void)ptrace(PTRACE_SETFPREGS, tid, 0, &old_fpu);
		(void)ptrace(PTRACE_SETREGS, tid, 0, &old_regs);
		return result == TRACER_FAILED ? TRACER_INVALID_STATE : result;
	}
	memcpy(cache->dr, new_dr, sizeof(cache->dr));
	return TRACER_OK;
}
