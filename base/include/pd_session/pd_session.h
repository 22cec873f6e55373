/* SPDX-License-Identifier: MIT */
/**
 * \brief PD session: a protection domain
 *
 * The PD is the component's isolated execution context: on Linux its process.
 * Its creator assigns the parent capability (the one capability the new
 * component starts with) and the RM session that is its address space. The
 * PD comes to life when the first thread created for it is started through a
 * CPU session; closing the session ends it.
 */

#ifndef _PD_SESSION_PD_SESSION_H_
#define _PD_SESSION_PD_SESSION_H_

#include <base/rpc.h>
#include <parent/parent.h>
#include <rm_session/rm_session.h>

enum pd_session_result {
	PD_OK = 0,
	PD_INVALID_ARGUMENT, /* not an RM session of this core */
	PD_ALREADY_STARTED,  /* the address space or parent can no longer change */
	RPC_RESULT_ERRORS(PD),
};

/*
 * assign_parent:        the parent capability the component receives
 * bind_address_space:   the RM session (of this core) that lays out the PD's memory
 */
#define PD_SESSION_RPC(M, I)                                              \
	M(I, assign_parent, enum pd_session_result, (IN_CAP, parent, parent)) \
	M(I, bind_address_space, enum pd_session_result, (IN_CAP, rm_session, rm))

RPC_INTERFACE(pd_session, PD_SESSION_RPC)

#endif /* _PD_SESSION_PD_SESSION_H_ */
