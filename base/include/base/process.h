/* SPDX-License-Identifier: MIT */
/**
 * \brief process: load an ELF executable into a new protection domain and
 *        start its main thread
 *
 * Every loadable segment becomes a RAM dataspace of the child's RAM session
 * (text too: a RAM copy of the ROM, so that a debugger can write breakpoints
 * into it), attached through the child's RM session at its link address with
 * the segment's permissions. The main thread gets a stack in slot 0 of the
 * stack area and starts at the ELF entry point.
 *
 * A hybrid component's binary (base/hybrid.h) is not loaded: the platform
 * starts it as the host program it is, in the same PD.
 */

#ifndef _BASE_PROCESS_H_
#define _BASE_PROCESS_H_

#include <base/env.h>
#include <cpu_session/cpu_session.h>
#include <pd_session/pd_session.h>
#include <ram_session/ram_session.h>
#include <rm_session/rm_session.h>

/** how the loading process makes a dataspace accessible to itself */
struct process_local_ops
{
	/** attach all of `ds`; NULL on failure */
	void *(*attach)(void *state, struct dataspace_cap ds, uint64_t size, bool writeable);
	void (*detach)(void *state, void *address, uint64_t size);
};

struct process_args
{
	char const *name;                    /* for messages */
	struct dataspace_cap elf;            /* the executable, e.g. a ROM dataspace */
	struct ram_session_cap ram;          /* pays for segments and stack: the child's */
	struct rm_session_cap rm;            /* the child's address space as loaded through */
	struct rm_session_cap address_space; /* core's RM session the PD runs in (usually rm) */
	struct pd_session_cap pd;
	struct cpu_session_cap cpu;
	struct parent_cap parent; /* what the child receives as its parent */
	struct process_local_ops const *local;
	void *local_state;
};

enum process_result {
	PROCESS_OK = 0,
	PROCESS_INVALID_ELF,   /* not a static x86_64 executable we can load (logged) */
	PROCESS_OUT_OF_QUOTA,  /* the child's RAM session cannot pay */
	PROCESS_REGION_DENIED, /* the RM session refused a segment's or the stack's region */
	PROCESS_START_FAILED,  /* the PD or CPU session refused (logged) */
	PROCESS_LOCAL_ATTACH_FAILED,
};

struct process
{
	struct cpu_thread_cap main_thread; /* the creator's */
	uint64_t entry;
};

/** load and start; on failure everything allocated for the child is freed */
enum process_result process_start(struct process *process, struct process_args const *args)
    __attribute__((warn_unused_result));

/** the process_local_ops of a component: env_attach and env_detach */
extern struct process_local_ops const process_local_env;

#endif /* _BASE_PROCESS_H_ */
