/* SPDX-License-Identifier: MIT */
/**
 * \brief zero-copy parsing of ELF64 x86_64 executables from a memory buffer
 *
 * elf_image_init() validates an ELF file held in a caller's buffer: the file
 * header, the whole program header table and every loadable segment, and the
 * bounds of the section header table. Afterwards the accessors hand out
 * values and pointers into that same buffer; nothing is copied or
 * allocated. The buffer must stay valid and unchanged while the image is in
 * use: the image borrows it, it does not own it.
 *
 * Every offset, size and index read from the file is checked against the
 * buffer, and every addition is checked for overflow, so a malformed or
 * hostile file gets a result value, never an out-of-bounds read. The buffer
 * needs no particular alignment.
 *
 * Supported: ELFCLASS64, little endian, EM_X86_64, ET_EXEC and ET_DYN
 * (position-independent executables; nothing is relocated here). Not
 * supported: extended section/program header numbering (more than 0xfeff
 * sections or 0xfffe program headers).
 */

#ifndef _UTIL_ELF_H_
#define _UTIL_ELF_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** results of the ELF functions; elf_result_string() describes each */
enum elf_result {
	ELF_OK = 0,                /**< success */
	ELF_TRUNCATED,             /**< the buffer is shorter than the ELF header */
	ELF_BAD_MAGIC,             /**< the file does not begin with "\x7fELF" */
	ELF_BAD_CLASS,             /**< not a 64-bit ELF file */
	ELF_BAD_ENDIANNESS,        /**< not little endian */
	ELF_BAD_VERSION,           /**< ELF version is not 1 */
	ELF_BAD_ABI,               /**< OS ABI is neither System V nor GNU/Linux */
	ELF_BAD_MACHINE,           /**< not an x86_64 file */
	ELF_BAD_TYPE,              /**< neither an executable nor a PIE (ET_DYN) */
	ELF_BAD_HEADER_SIZE,       /**< header or table entry size is not the ELF64 one */
	ELF_BAD_PROGRAM_HEADERS,   /**< program header table outside the file */
	ELF_NO_LOADABLE_SEGMENTS,  /**< no PT_LOAD segment */
	ELF_SEGMENT_OUTSIDE_FILE,  /**< a segment's file bytes lie (partly) outside the file */
	ELF_BAD_SEGMENT_SIZE,      /**< a segment's file size exceeds its memory size, or
	                                its virtual range wraps around */
	ELF_BAD_SEGMENT_ALIGNMENT, /**< alignment not a power of two, or address and
	                                offset disagree modulo the alignment */
	ELF_UNSORTED_SEGMENTS,     /**< PT_LOAD segments not in ascending address order */
	ELF_OVERLAPPING_SEGMENTS,  /**< two PT_LOAD segments overlap in virtual memory */
	ELF_BAD_ENTRY,             /**< entry point not inside an executable segment */
	ELF_BAD_SECTION_HEADERS,   /**< section header table outside the file, or its
	                                name table index or name table invalid */
	ELF_BAD_SECTION,           /**< a section's bytes lie outside the file, or its name
	                                is not a string inside the section name table */
	ELF_NO_SYMBOL_TABLE,       /**< the file has no .symtab */
	ELF_BAD_SYMBOL_TABLE,      /**< symbol table entry size, size, string table link,
	                                or a symbol name is invalid */
	ELF_NOT_FOUND,             /**< no section or symbol of that name */
	ELF_BAD_INDEX,             /**< index beyond the segments or sections of the file */
};

/** ELF file types accepted (e_type) */
enum elf_type {
	ELF_TYPE_EXEC = 2, /**< executable at fixed addresses */
	ELF_TYPE_DYN = 3,  /**< position-independent executable or shared object */
};

/** segment permission bits (p_flags), as in the file */
enum elf_segment_flag {
	ELF_SEGMENT_EXECUTABLE = 1,
	ELF_SEGMENT_WRITABLE = 2,
	ELF_SEGMENT_READABLE = 4,
};

/** segment types (p_type) that users of this module look at */
enum elf_segment_type {
	ELF_SEGMENT_LOAD = 1,
	ELF_SEGMENT_INTERP = 3,
	ELF_SEGMENT_TLS = 7,
};

/** section types (sh_type) that users of this module look at */
enum elf_section_type {
	ELF_SECTION_PROGBITS = 1,
	ELF_SECTION_SYMTAB = 2,
	ELF_SECTION_STRTAB = 3,
	ELF_SECTION_NOBITS = 8,
};

/** symbol types and bindings (the two halves of st_info) */
enum elf_symbol_kind {
	ELF_SYMBOL_NOTYPE = 0,
	ELF_SYMBOL_OBJECT = 1,
	ELF_SYMBOL_FUNC = 2,
	ELF_SYMBOL_SECTION = 3,
	ELF_SYMBOL_FILE = 4,
	ELF_SYMBOL_TLS = 6,

	ELF_SYMBOL_LOCAL = 0,
	ELF_SYMBOL_GLOBAL = 1,
	ELF_SYMBOL_WEAK = 2,
};

/**
 * A validated ELF file. Filled by elf_image_init(); read the fields, do not
 * change them. Borrows the caller's buffer.
 */
struct elf_image
{
	uint8_t const *data;     /**< the file, as passed to elf_image_init() */
	size_t size;             /**< its size in bytes */
	uint16_t type;           /**< ELF_TYPE_EXEC or ELF_TYPE_DYN */
	uint64_t entry;          /**< entry point (unrelocated for ELF_TYPE_DYN) */
	unsigned load_count;     /**< number of PT_LOAD segments, at least 1 */
	unsigned program_count;  /**< number of program headers of any type */
	unsigned section_count;  /**< number of section headers, 0 if none */
	uint64_t program_offset; /**< file offset of the program header table */
	uint64_t section_offset; /**< file offset of the section header table */
	unsigned section_names;  /**< index of the section name table, 0 if none */
};

/** a program header, with its file bytes located in the buffer */
struct elf_segment
{
	uint32_t type;     /**< ELF_SEGMENT_LOAD, ... */
	uint32_t flags;    /**< ELF_SEGMENT_READABLE | _WRITABLE | _EXECUTABLE */
	uint64_t vaddr;    /**< virtual address of the first byte */
	uint64_t offset;   /**< file offset of the first byte */
	uint64_t filesz;   /**< bytes present in the file */
	uint64_t memsz;    /**< bytes in memory; the ones past filesz are zero */
	uint64_t align;    /**< alignment, 0 or 1 meaning none, else a power of two */
	void const *bytes; /**< the filesz file bytes, inside the buffer */
};

/** a section header, with its name and bytes located in the buffer */
struct elf_section
{
	char const *name;  /**< NUL-terminated, inside the buffer ("" without name table) */
	uint32_t type;     /**< ELF_SECTION_PROGBITS, ... */
	uint64_t flags;    /**< sh_flags */
	uint64_t addr;     /**< virtual address when loaded, 0 if not loaded */
	uint64_t offset;   /**< file offset */
	uint64_t size;     /**< size in bytes (in memory, for ELF_SECTION_NOBITS) */
	uint32_t link;     /**< sh_link: index of an associated section */
	uint32_t info;     /**< sh_info */
	uint64_t entsize;  /**< entry size for tables, else 0 */
	void const *bytes; /**< the size bytes inside the buffer; NULL for NOBITS */
};

/** a symbol of the symbol table */
struct elf_symbol
{
	char const *name;       /**< NUL-terminated, inside the buffer */
	uint64_t value;         /**< address (unrelocated for ELF_TYPE_DYN) */
	uint64_t size;          /**< size in bytes, 0 if unknown */
	uint8_t type;           /**< ELF_SYMBOL_FUNC, ELF_SYMBOL_OBJECT, ... */
	uint8_t binding;        /**< ELF_SYMBOL_LOCAL, _GLOBAL or _WEAK */
	uint16_t section_index; /**< index of the section it is defined in */
};

/**
 * Validate an ELF file and describe it in `image`.
 *
 * Checks the header (magic, class, byte order, version, ABI, machine, type,
 * header and entry sizes), that the program header table lies in the file,
 * that every segment's file bytes lie in the file, and for the PT_LOAD
 * segments: filesz <= memsz, no wrap-around, valid alignment, ascending and
 * non-overlapping virtual ranges, and the entry point inside an executable
 * one (an ET_DYN file may have entry 0: no entry). Checks that the section
 * header table, if any, and its name table lie in the file. Contents of
 * other sections are checked when they are looked up.
 *
 * \param image  filled on ELF_OK; unspecified otherwise
 * \param data   the file (borrowed; may be NULL only if size is 0)
 * \param size   its size in bytes
 * \return       ELF_OK, or the first problem found
 */
enum elf_result elf_image_init(struct elf_image *image, void const *data, size_t size)
    __attribute__((warn_unused_result));

/**
 * The `index`-th PT_LOAD segment, in file (and address) order.
 *
 * \return  ELF_OK with `segment` filled, or ELF_BAD_INDEX if index >= load_count
 */
enum elf_result elf_image_load_segment(struct elf_image const *image, unsigned index,
                                       struct elf_segment *segment)
    __attribute__((warn_unused_result));

/**
 * The `index`-th program header of any type (PT_LOAD, PT_INTERP, ...).
 *
 * \return  ELF_OK with `segment` filled, or ELF_BAD_INDEX if
 *          index >= program_count
 */
enum elf_result elf_image_program_header(struct elf_image const *image, unsigned index,
                                         struct elf_segment *segment)
    __attribute__((warn_unused_result));

/**
 * The section at `index` of the section header table.
 *
 * \return  ELF_OK with `section` filled; ELF_BAD_INDEX if index >=
 *          section_count; ELF_BAD_SECTION if its bytes lie outside the file
 *          or its name is not a NUL-terminated string in the name table
 */
enum elf_result elf_image_section(struct elf_image const *image, unsigned index,
                                  struct elf_section *section)
    __attribute__((warn_unused_result));

/**
 * The first section named `name`.
 *
 * \return  ELF_OK with `section` filled; ELF_NOT_FOUND if there is none
 *          (also when the file has no sections or no name table);
 *          ELF_BAD_SECTION if a section examined on the way is malformed
 */
enum elf_result elf_image_section_find(struct elf_image const *image, char const *name,
                                       struct elf_section *section)
    __attribute__((warn_unused_result));

/**
 * The first defined symbol named `name` in the symbol table (.symtab).
 *
 * Undefined symbols (section index 0) are skipped. An empty name is never
 * found.
 *
 * \return  ELF_OK with `symbol` filled; ELF_NOT_FOUND; ELF_NO_SYMBOL_TABLE;
 *          ELF_BAD_SYMBOL_TABLE if the table, its string table or a symbol
 *          name examined on the way is malformed; ELF_BAD_SECTION if a
 *          section examined on the way is malformed
 */
enum elf_result elf_image_symbol_find(struct elf_image const *image, char const *name,
                                      struct elf_symbol *symbol)
    __attribute__((warn_unused_result));

/**
 * A one-line English description of `result`, e.g. for a log message.
 *
 * \return  a static string; "unknown ELF result" for a value not in the enum
 */
char const *elf_result_string(enum elf_result result);

#endif /* _UTIL_ELF_H_ */
