/* SPDX-License-Identifier: MIT */
/**
 * \brief core's memory objects on Linux: one memfd per dataspace
 *
 * RAM is a memfd of the dataspace's size: the kernel fills it with zero
 * pages on demand. A ROM module is copied into a memfd that is then sealed
 * (F_SEAL_WRITE, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_SEAL), so that no
 * descriptor whatsoever can change it. Clients get descriptors reopened
 * through /proc/self/fd: a read-only one cannot be mapped MAP_SHARED with
 * PROT_WRITE, and each has a file offset of its own.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dataspace/dataspace.h>

#include "core_memory.h"

enum {
	CORE_MEMORY_COPY_CHUNK = 16 * 1024, /* bytes per read, on the stack */
	CORE_MEMORY_SEALS = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL,
};

/* the largest object: what a file offset can address, in whole pages */
static uint64_t const core_memory_size_max = (uint64_t)INT64_MAX & ~(uint64_t)(PAGE_SIZE - 1);

static enum core_memory_result core_memory_errno_result(int error)
{
	return error == ENOMEM || error == EMFILE || error == ENFILE || error == ENOSPC
	           ? CORE_MEMORY_OUT_OF_MEMORY
	           : CORE_MEMORY_IO_ERROR;
}

static void core_memory_close(int fd)
{
	int saved = errno;
	close(fd);
	errno = saved;
}

struct core_memory_ret core_memory_alloc(char const *name, uint64_t size)
{
	struct core_memory_ret r = { CORE_MEMORY_INVALID_SIZE, -1, 0 };
	if (size == 0 || !page_aligned(size) || size > core_memory_size_max) return r;

	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0) {
		r.result = CORE_MEMORY_OUT_OF_MEMORY;
		return r;
	}
	if (ftruncate(fd, (off_t)size) < 0) {
		r.result = errno == EFBIG || errno == EINVAL ? CORE_MEMORY_INVALID_SIZE
		                                             : CORE_MEMORY_OUT_OF_MEMORY;
		core_memory_close(fd);
		return r;
	}
	r.result = CORE_MEMORY_OK;
	r.handle = fd;
	r.size = size;
	return r;
}

/* copy up to `size` bytes of `from` to the start of `to`; the bytes copied or -errno */
static int64_t core_memory_copy(int from, int to, uint64_t size)
{
	char buffer[CORE_MEMORY_COPY_CHUNK];
	uint64_t done = 0;
	while (done < size) {
		size_t want = size - done < sizeof(buffer) ? (size_t)(size - done) : sizeof(buffer);
		ssize_t got = read(from, buffer, want);
		if (got < 0 && errno == EINTR) continue;
		if (got < 0) return -errno;
		if (got == 0) break; /* the file shrank meanwhile: take what is there */
		for (ssize_t written = 0; written < got;) {
			ssize_t n = pwrite(to, buffer + written, (size_t)(got - written),
			                   (off_t)(done + (uint64_t)written));
			if (n < 0 && errno == EINTR) continue;
			if (n <= 0) return n < 0 ? -errno : -EIO;
			written += n;
		}
		done += (uint64_t)got;
	}
	return (int64_t)done;
}

struct core_memory_ret core_memory_load_file(char const *directory, char const *name)
{
	struct core_memory_ret r = { CORE_MEMORY_NOT_FOUND, -1, 0 };
	char path[PATH_MAX];
	int length = snprintf(path, sizeof(path), "%s/%s", directory, name);
	if (length < 0 || (size_t)length >= sizeof(path)) return r;

	int file = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (file < 0) {
		if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP && errno != ENAMETOOLONG)
			r.result = core_memory_errno_result(errno);
		return r;
	}
	struct stat st;
	if (fstat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
		core_memory_close(file);
		return r;
	}
	uint64_t file_size = (uint64_t)st.st_size;
	uint64_t backing = page_round_up(file_size ? file_size : 1);
	if (file_size > core_memory_size_max) {
		r.result = CORE_MEMORY_INVALID_SIZE;
		core_memory_close(file);
		return r;
	}

	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		r.result = CORE_MEMORY_OUT_OF_MEMORY;
		core_memory_close(file);
		return r;
	}
	int64_t copied = -EIO;
	if (ftruncate(fd, (off_t)backing) == 0)
		copied = core_memory_copy(file, fd, file_size);
	else
		copied = -errno;
	core_memory_close(file);
	if (copied < 0 || fcntl(fd, F_ADD_SEALS, CORE_MEMORY_SEALS) < 0) {
		r.result = core_memory_errno_result(copied < 0 ? (int)-copied : errno);
		core_memory_close(fd);
		return r;
	}
	r.result = CORE_MEMORY_OK;
	r.handle = fd;
	r.size = (uint64_t)copied;
	return r;
}

int core_memory_open(int handle, bool writeable)
{
	char path[32];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", handle);
	return open(path, (writeable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
}

void core_memory_release(int handle)
{
	if (handle >= 0) core_memory_close(handle);
}
