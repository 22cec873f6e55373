/* SPDX-License-Identifier: MIT */
/** \brief mapping dataspaces into the component process: MAP_FIXED|MAP_SHARED of core's memfd
 */

#include <base/log.h>
#include <base/platform_env.h>

#include "linux_abi.h"
#include "linux_session.h"
#include "syscall.h"

enum env_result platform_env_map(struct dataspace_cap ds, uint64_t address, uint64_t size,
                                 struct rm_attach_args const *args)
{
	struct linux_fd_cap fd = CAP_INVALID(linux_fd);
	if (linux_dataspace_fd(CAP_CAST(linux_dataspace, ds), &fd) != DATASPACE_OK)
		return ENV_INVALID_ARGUMENT;

	long prot = LINUX_PROT_READ;
	if (args->writeable) prot |= LINUX_PROT_WRITE;
	if (args->executable) prot |= LINUX_PROT_EXEC;
	long at =
	    linux_syscall6(SYS_mmap, (long)address, (long)size, prot,
	                   LINUX_MAP_SHARED | LINUX_MAP_FIXED, fd.cap.handle, (long)args->offset);
	cap_close(fd.cap);
	if (at != (long)address) {
		log_error("env: mapping %lx bytes at %lx failed (%ld)", (unsigned long)size,
		          (unsigned long)address, at);
		return ENV_PLATFORM_ERROR;
	}
	return ENV_OK;
}

void platform_env_unmap(uint64_t address, uint64_t size)
{
	linux_syscall2(SYS_munmap, (long)address, (long)size);
}

void platform_env_exit(int code)
{
	for (;;) linux_syscall1(SYS_exit_group, code);
}
