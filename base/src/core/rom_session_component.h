/* SPDX-License-Identifier: MIT */
/**
 * \brief core's ROM session: a file of the boot directory as a read-only
 *        dataspace
 *
 * The module named "x" is the file <boot directory>/x. The name comes from
 * the session arguments: `module="x"` if present, or else the last element
 * of `label` (elements are separated by " -> "). A name must be 1 to
 * ROM_MODULE_NAME_MAX bytes and contain neither '/' nor "..", so that it
 * cannot leave the boot directory; "." is refused too.
 *
 * Each session copies the file into a memory object of its own when it is
 * created (core_memory_load_file: on Linux a memfd sealed against any
 * change) and serves it as one read-only, executable dataspace. Every call of
 * the dataspace RPC mints another capability of that same dataspace.
 *
 * Threads: everything runs in core's entrypoint thread; no locking.
 */

#ifndef _CORE_ROM_SESSION_COMPONENT_H_
#define _CORE_ROM_SESSION_COMPONENT_H_

#include <stddef.h>
#include <stdint.h>

#include <base/allocator.h>
#include <base/rpc_entrypoint.h>
#include <rom_session/rom_session.h>

enum { ROM_MODULE_NAME_MAX = 64 /* bytes of a module name, without NUL */ };

struct rom_session_component;
struct dataspace_component;

/** results of creating a ROM session and of finding its module name */
enum rom_session_component_result {
	ROM_SESSION_COMPONENT_OK = 0,
	ROM_SESSION_COMPONENT_INVALID_ARGS,    /* the argument string is malformed, or has
	                                          neither `module` nor `label` */
	ROM_SESSION_COMPONENT_INVALID_NAME,    /* the name is empty, longer than
	                                          ROM_MODULE_NAME_MAX, ".", or contains
	                                          '/' or ".." */
	ROM_SESSION_COMPONENT_NOT_FOUND,       /* no regular file of that name */
	ROM_SESSION_COMPONENT_OUT_OF_MEMORY,   /* the file could not be read or copied */
	ROM_SESSION_COMPONENT_OUT_OF_METADATA, /* `alloc` refused the session objects */
	ROM_SESSION_COMPONENT_NO_RESOURCES,    /* no capability could be minted */
};

struct rom_session_component_create_ret
{
	enum rom_session_component_result result;
	struct rom_session_component *rom; /* valid only with _OK */
	struct rom_session_cap cap;        /* the first capability, owned by the caller */
};

/**
 * The module name that session arguments ask for (see above). Pure: for
 * core's session handling and for tests.
 *
 * \param args  NUL-terminated session arguments
 * \param name  receives the NUL-terminated name on success
 * \param size  bytes of `name`, at least ROM_MODULE_NAME_MAX + 1
 * \return      _OK, _INVALID_ARGS or _INVALID_NAME (`name` is "" then)
 */
enum rom_session_component_result rom_session_component_module_name(char const *args,
                                                                    char *name, size_t size)
    __attribute__((warn_unused_result));

/**
 * Create a ROM session for the module that `args` names. Failures other
 * than bad arguments are logged through <base/log.h>, e.g.
 * `ROM module "x" not found`.
 *
 * \param ep              core's entrypoint, where the session and its
 *                        dataspace are served
 * \param alloc           allocator of the session's metadata; must outlive it
 * \param boot_directory  path of the boot directory; must outlive the call
 * \param args            NUL-terminated session arguments
 * \return                _OK with the session and its first capability, or a
 *                        failure and nothing to destroy
 */
struct rom_session_component_create_ret
rom_session_component_create(struct rpc_entrypoint *ep, struct allocator *alloc,
                             char const *boot_directory, char const *args)
    __attribute__((warn_unused_result));

/**
 * Destroy a session: revoke its capabilities and its dataspace's, and drop
 * the session's reference of the dataspace (regions that show it keep it).
 */
void rom_session_component_destroy(struct rom_session_component *rom);

/** Mint another capability of the session (invalid when out of endpoints). */
struct rom_session_cap rom_session_component_cap(struct rom_session_component *rom)
    __attribute__((warn_unused_result));

/** The module's dataspace, owned by the session (core's own use). */
struct dataspace_component *rom_session_component_dataspace(struct rom_session_component *rom);

/** Bytes of the module (its dataspace is rounded up to whole pages). */
uint64_t rom_session_component_size(struct rom_session_component const *rom);

/** The module's name, NUL-terminated; valid as long as the session. */
char const *rom_session_component_name(struct rom_session_component const *rom);

#endif /* _CORE_ROM_SESSION_COMPONENT_H_ */
