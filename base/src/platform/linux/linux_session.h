/* SPDX-License-Identifier: MIT */
/**
 * \brief the Linux extensions of core's interfaces (known only to the Linux
 *        platform code of components and core)
 *
 * On Linux a dataspace is a memfd in core. A component maps a dataspace
 * itself, MAP_FIXED|MAP_SHARED at the address its RM session chose, with the
 * file descriptor that linux_dataspace_fd hands out: read-write for RAM,
 * read-only for ROM, so the kernel enforces the dataspace's permissions.
 *
 * A new component process starts as the loader stub with one capability, the
 * bootstrap object of its PD (file descriptor LINUX_BOOTSTRAP_HANDLE). The
 * stub maps every region of its address space (linux_bootstrap_region), asks
 * for where to start (linux_bootstrap_start_info), and jumps there with the
 * parent capability's handle in rdx.
 *
 * A hybrid component (a host program, doc/hybrid.md) starts the same way,
 * with the bootstrap object as descriptor LINUX_BOOTSTRAP_HANDLE, but core
 * executes its own binary (linux_pd_bind_executable) instead of the stub: its
 * runtime asks only for the parent capability (linux_bootstrap_start_info).
 *
 * Further threads are cloned by the component itself; the new thread tells
 * core which cpu_thread it is (linux_pd_bind_thread). Core traces every thread
 * of the process from its first instruction, so it checks that the thread
 * belongs to the PD.
 */

#ifndef _LINUX_SESSION_H_
#define _LINUX_SESSION_H_

#include <cpu_session/cpu_session.h>
#include <dataspace/dataspace.h>
#include <parent/parent.h>
#include <pd_session/pd_session.h>
#include <rm_session/rm_session.h>

enum { LINUX_BOOTSTRAP_HANDLE = 3 };

/** `struct linux_fd_cap`: a plain Linux file descriptor passed like a capability */
CAP_TYPE(linux_fd);

/* fd: the memory object's file descriptor, with the dataspace's access mode */
#define LINUX_DATASPACE_RPC(M, I) \
	DATASPACE_RPC(M, I)           \
	M(I, fd, enum dataspace_result, (OUT_CAP, linux_fd, fd))

RPC_INTERFACE(linux_dataspace, LINUX_DATASPACE_RPC)

/*
 * bind_thread:     the calling component's thread `tid` is `thread`
 * bind_executable: before the start: the PD's process runs the host program
 *                  `executable` (a read-only dataspace, e.g. a ROM module)
 *                  instead of the loader stub: a hybrid component (doc/hybrid.md)
 */
#define LINUX_PD_RPC(M, I)                                                  \
	PD_SESSION_RPC(M, I)                                                    \
	M(I, bind_thread, enum pd_session_result, (IN_CAP, cpu_thread, thread), \
	  (IN, int32_t, tid))                                                   \
	M(I, bind_executable, enum pd_session_result, (IN_CAP, dataspace, executable))

RPC_INTERFACE(linux_pd, LINUX_PD_RPC)

struct linux_start_info
{
	uint64_t ip; /* the entry point */
	uint64_t sp; /* the initial stack pointer, inside a region */
};

struct linux_start_info_result
{
	enum pd_session_result result;
	struct linux_start_info info;
};

/*
 * region:     region `index` (0, 1, ...) of the address space with its
 *             dataspace's file descriptor; RM_NOT_ATTACHED past the last
 * start_info: where the main thread starts, and the parent capability
 */
#define LINUX_BOOTSTRAP_RPC(M, I)                                                         \
	M(I, region, struct rm_region_result, (IN, uint32_t, index), (OUT_CAP, linux_fd, fd)) \
	M(I, start_info, struct linux_start_info_result, (OUT_CAP, parent, parent))

RPC_INTERFACE(linux_bootstrap, LINUX_BOOTSTRAP_RPC)

#endif /* _LINUX_SESSION_H_ */
