/* SPDX-License-Identifier: MIT */
/** \brief hybrid components on Linux: core executes the program in place of the loader stub */

#include <base/hybrid.h>
#include <base/log.h>

#include "linux_session.h"

enum process_result platform_process_hybrid(struct process_args const *args)
{
	struct linux_pd_cap pd = CAP_CAST(linux_pd, args->pd);
	enum pd_session_result r = linux_pd_bind_executable(pd, args->elf);
	if (r == PD_OK) return PROCESS_OK;
	log_error("process %s: the PD session refused the hybrid's program (%d)", args->name,
	          (int)r);
	return PROCESS_START_FAILED;
}
