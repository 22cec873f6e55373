/* SPDX-License-Identifier: MIT */
/**
 * \brief how core itself reads and writes a dataspace (to load its child's
 *        ELF): core has no RM session of its own, the platform maps directly
 */

#ifndef _CORE_CORE_LOCAL_H_
#define _CORE_CORE_LOCAL_H_

#include <base/process.h>

/** the process loader's local attach for core (core/<platform>/core_local.c) */
extern struct process_local_ops const core_local_ops;

#endif /* _CORE_CORE_LOCAL_H_ */
