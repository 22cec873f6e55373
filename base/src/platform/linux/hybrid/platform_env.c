/* SPDX-License-Identifier: MIT */
/**
 * \brief the hybrid's address space: dataspaces mapped in a reserved window
 *
 * The RM session picks the address of every region, as for any component,
 * but the process also holds glibc's and the host libraries' memory, which
 * the RM session knows nothing about. So the runtime reserves the part of the
 * RM area where regions land (hybrid_runtime.h) and maps dataspaces only
 * there, over the reservation; a region outside it is mapped only where
 * nothing is (MAP_FIXED_NOREPLACE), never over the host's memory. Unmapping
 * puts the reservation back.
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <base/log.h>
#include <base/platform_env.h>

#include "hybrid_runtime.h"
#include "linux_session.h"

static bool hybrid_in_window(uint64_t address, uint64_t size)
{
	return address >= HYBRID_WINDOW_START && size <= HYBRID_WINDOW_SIZE &&
	       address - HYBRID_WINDOW_START <= HYBRID_WINDOW_SIZE - size;
}

/* no access, nothing committed; MAP_FIXED: over what is ours already */
static void *hybrid_reserve(uint64_t address, uint64_t size, int fixed)
{
	return mmap((void *)(uintptr_t)address, size, PROT_NONE,
	            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | fixed, -1, 0);
}

bool hybrid_window_reserve(void)
{
	void *at = hybrid_reserve(HYBRID_WINDOW_START, HYBRID_WINDOW_SIZE, MAP_FIXED_NOREPLACE);
	if (at == (void *)(uintptr_t)HYBRID_WINDOW_START) return true;
	/* a kernel without MAP_FIXED_NOREPLACE takes the address as a hint */
	if (at != MAP_FAILED) munmap(at, HYBRID_WINDOW_SIZE);
	log_error("hybrid: the window [%llx, %llx) for dataspaces is taken (%s); is the "
	          "program position-independent?",
	          HYBRID_WINDOW_START, HYBRID_WINDOW_START + HYBRID_WINDOW_SIZE,
	          at == MAP_FAILED ? strerror(errno) : "another address");
	return false;
}

enum env_result platform_env_map(struct dataspace_cap ds, uint64_t address, uint64_t size,
                                 struct rm_attach_args const *args)
{
	struct linux_fd_cap fd = CAP_INVALID(linux_fd);
	if (linux_dataspace_fd(CAP_CAST(linux_dataspace, ds), &fd) != DATASPACE_OK)
		return ENV_INVALID_ARGUMENT;

	int prot = PROT_READ;
	if (args->writeable) prot |= PROT_WRITE;
	if (args->executable) prot |= PROT_EXEC;
	int fixed = hybrid_in_window(address, size) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	void *at = mmap((void *)(uintptr_t)address, size, prot, MAP_SHARED | fixed, fd.cap.handle,
	                (off_t)args->offset);
	int error = errno;
	cap_close(fd.cap);
	if (at == (void *)(uintptr_t)address) return ENV_OK;
	if (at != MAP_FAILED) munmap(at, size);
	log_error("hybrid: mapping %llx bytes at %llx failed (%s)", (unsigned long long)size,
	          (unsigned long long)address,
	          at == MAP_FAILED ? strerror(error) : "the host's memory is there");
	return ENV_PLATFORM_ERROR;
}

void platform_env_unmap(uint64_t address, uint64_t size)
{
	if (hybrid_in_window(address, size))
		(void)hybrid_reserve(address, size, MAP_FIXED);
	else
		munmap((void *)(uintptr_t)address, size);
}
