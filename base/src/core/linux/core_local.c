/* SPDX-License-Identifier: MIT */
/** \brief core's own view of a dataspace on Linux: it maps the dataspace's memfd */

#include <sys/mman.h>

#include "core_local.h"
#include "linux_session.h"

static void *core_local_attach(void *state, struct dataspace_cap ds, uint64_t size,
                               bool writeable)
{
	(void)state;
	struct linux_fd_cap fd = CAP_INVALID(linux_fd);
	if (linux_dataspace_fd(CAP_CAST(linux_dataspace, ds), &fd) != DATASPACE_OK) return 0;
	void *local =
	    mmap(0, size, PROT_READ | (writeable ? PROT_WRITE : 0), MAP_SHARED, fd.cap.handle, 0);
	cap_close(fd.cap);
	return local == MAP_FAILED ? 0 : local;
}

static void core_local_detach(void *state, void *address, uint64_t size)
{
	(void)state;
	munmap(address, size);
}

struct process_local_ops const core_local_ops = { core_local_attach, core_local_detach };
