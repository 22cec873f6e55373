/* SPDX-License-Identifier: MIT */
/**
 * \brief core's memory objects: the platform's backing store of dataspaces
 *
 * Every dataspace of core is backed by one memory object of the platform,
 * named by an integer handle that core owns (on Linux: a memfd). This is the
 * interface that the platform-independent session objects use; each platform
 * implements it in base/src/core/<platform>/core_memory.c.
 *
 * All functions run in core's entrypoint thread; none of them keeps state
 * besides the handles it returns.
 */

#ifndef _CORE_CORE_MEMORY_H_
#define _CORE_CORE_MEMORY_H_

#include <stdbool.h>
#include <stdint.h>

/** results of core_memory_alloc and core_memory_load_file */
enum core_memory_result {
	CORE_MEMORY_OK = 0,        /* `handle` is a new memory object, owned by the caller */
	CORE_MEMORY_INVALID_SIZE,  /* zero, not page aligned, or beyond what the platform
	                              can back */
	CORE_MEMORY_OUT_OF_MEMORY, /* the platform refused a new object (memory, handles) */
	CORE_MEMORY_NOT_FOUND,     /* (load_file) no regular file of that name */
	CORE_MEMORY_IO_ERROR,      /* (load_file) reading the file failed */
};

struct core_memory_ret
{
	enum core_memory_result result;
	int handle;    /* valid only with CORE_MEMORY_OK */
	uint64_t size; /* alloc: bytes of the object; load_file: bytes of the file */
};

/**
 * A new zero-filled, writeable memory object.
 *
 * \param name  a short name for diagnostics (Linux: shown in /proc/<pid>/maps)
 * \param size  bytes, a multiple of PAGE_SIZE and not 0
 * \return      CORE_MEMORY_OK with the handle (owned by the caller: release it
 *              with core_memory_release), CORE_MEMORY_INVALID_SIZE or
 *              CORE_MEMORY_OUT_OF_MEMORY (nothing to release then)
 */
struct core_memory_ret core_memory_alloc(char const *name, uint64_t size)
    __attribute__((warn_unused_result));

/**
 * A read-only memory object with the content of the file `name` in
 * `directory`. The object is page_round_up(size) bytes, at least one page;
 * the bytes past the file's end are zero. Nobody can change it afterwards,
 * not even through a writeable handle (Linux: sealed against writes, shrink
 * and growth).
 *
 * \param directory  path of the directory
 * \param name       file name; the caller has checked that it names an entry
 *                   of `directory` itself (no '/', no "..")
 * \return           CORE_MEMORY_OK with the handle and the file's size in
 *                   bytes, or NOT_FOUND (no such entry, or not a regular
 *                   file), IO_ERROR, INVALID_SIZE (too big), OUT_OF_MEMORY
 */
struct core_memory_ret core_memory_load_file(char const *directory, char const *name)
    __attribute__((warn_unused_result));

/**
 * A new, independent descriptor of the memory object for a client (Linux: an
 * open file description of its own, so the client shares no file offset with
 * core). A read-only descriptor cannot be mapped writeable (shared) nor
 * written.
 *
 * \param writeable  read-write access; the caller has checked that the
 *                   object may be written
 * \return           the descriptor, owned by the caller, or -1 when the
 *                   platform is out of handles
 */
int core_memory_open(int handle, bool writeable) __attribute__((warn_unused_result));

/** Close core's handle of a memory object (mappings elsewhere stay valid). */
void core_memory_release(int handle);

#endif /* _CORE_CORE_MEMORY_H_ */
