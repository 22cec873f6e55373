/* SPDX-License-Identifier: MIT */
/**
 * \brief hybrid components: host programs that speak the framework's IPC
 *
 * On the hosted platform a component may be an ordinary host program (on
 * Linux: glibc, host libraries such as libslirp, pthreads) instead of a
 * freestanding one. Such a hybrid is started by its parent like any other
 * component, from a ROM module, and lives on the same sessions; only its
 * memory is the host's (doc/hybrid.md).
 *
 * What tells a hybrid from a component is an ELF note that the hybrid
 * runtime puts into the binary (HYBRID_NOTE_DEFINE): owner HYBRID_NOTE_NAME,
 * type HYBRID_NOTE_TYPE, a 4-byte description holding HYBRID_NOTE_VERSION,
 * the version of the start protocol between the platform and the runtime.
 * The process loader (process.h) looks for it (hybrid_image_mark) and, for a
 * hybrid, loads no segments but asks the platform to start the program as it
 * is (platform_process_hybrid).
 */

#ifndef _BASE_HYBRID_H_
#define _BASE_HYBRID_H_

#include <stdint.h>

#include <base/process.h>
#include <util/elf.h>

#define HYBRID_NOTE_NAME "Vitrine"

enum {
	HYBRID_NOTE_TYPE = 0x48594252, /* "HYBR" */
	HYBRID_NOTE_VERSION = 1,       /* start: bootstrap object on the platform's handle */
};

/** the note as it lies in the file: an ELF note header, the owner, the version */
struct hybrid_note
{
	uint32_t name_size; /* sizeof(HYBRID_NOTE_NAME), NUL included */
	uint32_t desc_size; /* 4 */
	uint32_t type;      /* HYBRID_NOTE_TYPE */
	char name[sizeof(HYBRID_NOTE_NAME)];
	uint32_t version; /* HYBRID_NOTE_VERSION */
};

/**
 * Define the note in the program that expands it (once, at file scope, in a
 * file that the program surely links: the hybrid runtime's entry). The
 * section's name makes it an SHT_NOTE section, which the linker puts into a
 * PT_NOTE segment.
 */
#define HYBRID_NOTE_DEFINE(variable)                                                    \
	__attribute__((used, section(".note.vitrine.hybrid"),                               \
	               aligned(4))) static struct hybrid_note const variable = {            \
		sizeof(HYBRID_NOTE_NAME), sizeof(uint32_t), HYBRID_NOTE_TYPE, HYBRID_NOTE_NAME, \
		HYBRID_NOTE_VERSION                                                             \
	}

/** what hybrid_image_mark finds */
enum hybrid_mark {
	HYBRID_MARK_NONE = 0,      /* no hybrid note: a component (or no program of ours) */
	HYBRID_MARK_OK,            /* a hybrid of this version */
	HYBRID_MARK_OTHER_VERSION, /* a hybrid note with another version: not startable */
};

/**
 * Look for the hybrid note in the PT_NOTE segments of a validated image.
 * Notes are read within their segment only; a note that runs past it ends
 * the search of that segment.
 *
 * \return HYBRID_MARK_OK, HYBRID_MARK_OTHER_VERSION or HYBRID_MARK_NONE
 */
enum hybrid_mark hybrid_image_mark(struct elf_image const *image)
    __attribute__((warn_unused_result));

/*
 * The platform's half (base/src/platform/<platform>/), used by process.c.
 */

/**
 * Make the PD of `args` run the hybrid program `args->elf` when its main
 * thread starts (Linux: core executes the dataspace instead of the loader
 * stub). Called before the main thread is created; nothing is loaded.
 *
 * \return PROCESS_OK; PROCESS_INVALID_ELF if the platform runs no hybrids;
 *         PROCESS_START_FAILED if the PD session refused (logged), e.g.
 *         because the dataspace is writeable
 */
enum process_result platform_process_hybrid(struct process_args const *args)
    __attribute__((warn_unused_result));

#endif /* _BASE_HYBRID_H_ */
