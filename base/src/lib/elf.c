/* SPDX-License-Identifier: MIT */
/**
 * \brief zero-copy parsing of ELF64 x86_64 executables
 *
 * The file is read only through elf_read(), which copies one fixed-size
 * header out of the buffer after checking its range: the buffer needs no
 * alignment, and no pointer into it is formed before its bounds are known.
 * Ranges are checked as "offset <= size && length <= size - offset", which
 * cannot overflow; virtual ranges use __builtin_add_overflow.
 */

#include <base/panic.h>
#include <util/elf.h>
#include <util/string.h>

/* the raw structures read from the file are in host byte order */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "elf.c reads little-endian files");

/* the ELF64 file layouts (see the System V ABI, "Object Files") */
struct elf_raw_header
{
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

struct elf_raw_program_header
{
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

struct elf_raw_section_header
{
	uint32_t name;
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
};

struct elf_raw_symbol
{
	uint32_t name;
	uint8_t info;
	uint8_t other;
	uint16_t shndx;
	uint64_t value;
	uint64_t size;
};

_Static_assert(sizeof(struct elf_raw_header) == 64, "ELF64 header layout");
_Static_assert(sizeof(struct elf_raw_program_header) == 56, "ELF64 program header layout");
_Static_assert(sizeof(struct elf_raw_section_header) == 64, "ELF64 section header layout");
_Static_assert(sizeof(struct elf_raw_symbol) == 24, "ELF64 symbol layout");

/* values of the file header */
enum {
	ELF_IDENT_CLASS = 4,
	ELF_IDENT_DATA = 5,
	ELF_IDENT_VERSION = 6,
	ELF_IDENT_OS_ABI = 7,
	ELF_CLASS_64 = 2,
	ELF_DATA_LITTLE = 1,
	ELF_VERSION_CURRENT = 1,
	ELF_OS_ABI_SYSV = 0,
	ELF_OS_ABI_GNU = 3,
	ELF_MACHINE_X86_64 = 62,
	ELF_PROGRAM_COUNT_EXTENDED = 0xffff, /* PN_XNUM */
	ELF_SECTION_INDEX_RESERVED = 0xff00, /* SHN_LORESERVE */
	ELF_SECTION_UNDEFINED = 0,           /* SHN_UNDEF */
};

/* whether [offset, offset + length) lies inside a file of `size` bytes */
static bool elf_range_in_file(size_t size, uint64_t offset, uint64_t length)
{
	return offset <= size && length <= size - offset;
}

/* copy `length` bytes at `offset` of the file to `out`, if they are inside it */
static bool elf_read(uint8_t const *data, size_t size, uint64_t offset, void *out,
                     size_t length)
{
	if (!elf_range_in_file(size, offset, length)) return false;
	memory_copy(out, data + offset, length);
	return true;
}

static enum elf_result elf_check_header(struct elf_raw_header const *header)
{
	uint8_t const *ident = header->ident;
	if (ident[ELF_IDENT_CLASS] != ELF_CLASS_64) return ELF_BAD_CLASS;
	if (ident[ELF_IDENT_DATA] != ELF_DATA_LITTLE) return ELF_BAD_ENDIANNESS;
	if (ident[ELF_IDENT_VERSION] != ELF_VERSION_CURRENT) return ELF_BAD_VERSION;
	if (header->version != ELF_VERSION_CURRENT) return ELF_BAD_VERSION;
	if (ident[ELF_IDENT_OS_ABI] != ELF_OS_ABI_SYSV && ident[ELF_IDENT_OS_ABI] != ELF_OS_ABI_GNU)
		return ELF_BAD_ABI;
	if (header->machine != ELF_MACHINE_X86_64) return ELF_BAD_MACHINE;
	if (header->type != ELF_TYPE_EXEC && header->type != ELF_TYPE_DYN) return ELF_BAD_TYPE;
	if (header->ehsize != sizeof(struct elf_raw_header)) return ELF_BAD_HEADER_SIZE;
	if (header->phnum && header->phentsize != sizeof(struct elf_raw_program_header))
		return ELF_BAD_HEADER_SIZE;
	if (header->shnum && header->shentsize != sizeof(struct elf_raw_section_header))
		return ELF_BAD_HEADER_SIZE;
	return ELF_OK;
}

static void elf_segment_fill(struct elf_image const *image,
                             struct elf_raw_program_header const *raw, struct elf_segment *out)
{
	*out = (struct elf_segment){
		.type = raw->type,
		.flags = raw->flags,
		.vaddr = raw->vaddr,
		.offset = raw->offset,
		.filesz = raw->filesz,
		.memsz = raw->memsz,
		.align = raw->align,
		.bytes = image->data + raw->offset,
	};
}

/*
 * Entry `index` of the header table at `table` (program or section headers):
 * the caller checked index < the table's count, and elf_image_init checked
 * that the whole table lies in the file, so the read cannot fail.
 */
static void elf_table_read(struct elf_image const *image, uint64_t table, unsigned index,
                           void *entry, size_t entry_size)
{
	bool inside = elf_read(image->data, image->size, table + (uint64_t)index * entry_size,
	                       entry, entry_size);
	ASSERT(inside);
}

/* the program header at `index` < program_count */
static struct elf_raw_program_header elf_program_header_read(struct elf_image const *image,
                                                             unsigned index)
{
	struct elf_raw_program_header raw;
	elf_table_read(image, image->program_offset, index, &raw, sizeof(raw));
	return raw;
}

/* check every program header and the PT_LOAD invariants, count the PT_LOADs */
static enum elf_result elf_check_segments(struct elf_image *image)
{
	uint64_t previous_start = 0, previous_end = 0;
	unsigned loads = 0;

	for (unsigned i = 0; i < image->program_count; i++) {
		struct elf_raw_program_header ph = elf_program_header_read(image, i);

		if (!elf_range_in_file(image->size, ph.offset, ph.filesz))
			return ELF_SEGMENT_OUTSIDE_FILE;
		if (ph.type != ELF_SEGMENT_LOAD) continue;

		uint64_t end;
		if (ph.filesz > ph.memsz) return ELF_BAD_SEGMENT_SIZE;
		if (__builtin_add_overflow(ph.vaddr, ph.memsz, &end)) return ELF_BAD_SEGMENT_SIZE;
		if (ph.align > 1) {
			if (ph.align & (ph.align - 1)) return ELF_BAD_SEGMENT_ALIGNMENT;
			/* wrap-around of the subtraction does not change the low bits */
			if ((ph.vaddr - ph.offset) & (ph.align - 1)) return ELF_BAD_SEGMENT_ALIGNMENT;
		}

		/* sorted and each starting at or after its predecessor's end: all disjoint */
		if (loads) {
			if (ph.vaddr < previous_start) return ELF_UNSORTED_SEGMENTS;
			if (ph.vaddr < previous_end) return ELF_OVERLAPPING_SEGMENTS;
		}
		previous_start = ph.vaddr;
		previous_end = end;
		loads++;
	}
	if (!loads) return ELF_NO_LOADABLE_SEGMENTS;
	image->load_count = loads;
	return ELF_OK;
}

/* an ET_EXEC must have an entry inside an executable PT_LOAD; an ET_DYN may have none */
static enum elf_result elf_check_entry(struct elf_image const *image)
{
	if (image->type == ELF_TYPE_DYN && image->entry == 0) return ELF_OK;

	for (unsigned i = 0; i < image->program_count; i++) {
		struct elf_raw_program_header ph = elf_program_header_read(image, i);
		if (ph.type != ELF_SEGMENT_LOAD || !(ph.flags & ELF_SEGMENT_EXECUTABLE)) continue;
		/* no overflow: elf_check_segments checked vaddr + memsz */
		if (image->entry >= ph.vaddr && image->entry - ph.vaddr < ph.memsz) return ELF_OK;
	}
	return ELF_BAD_ENTRY;
}

static enum elf_result elf_check_sections(struct elf_image const *image, uint16_t shstrndx)
{
	if (image->section_count == 0) {
		/* shoff without shnum means extended numbering, which we do not support */
		if (image->section_offset != 0 || shstrndx != ELF_SECTION_UNDEFINED)
			return ELF_BAD_SECTION_HEADERS;
		return ELF_OK;
	}
	if (image->section_count >= ELF_SECTION_INDEX_RESERVED) return ELF_BAD_SECTION_HEADERS;
	if (!elf_range_in_file(image->size, image->section_offset,
	                       (uint64_t)image->section_count *
	                           sizeof(struct elf_raw_section_header)))
		return ELF_BAD_SECTION_HEADERS;

	if (shstrndx == ELF_SECTION_UNDEFINED) return ELF_OK;
	if (shstrndx >= image->section_count) return ELF_BAD_SECTION_HEADERS;

	struct elf_raw_section_header names;
	if (!elf_read(image->data, image->size,
	              image->section_offset + (uint64_t)shstrndx * sizeof(names), &names,
	              sizeof(names)))
		return ELF_BAD_SECTION_HEADERS;
	if (names.type != ELF_SECTION_STRTAB) return ELF_BAD_SECTION_HEADERS;
	if (!elf_range_in_file(image->size, names.offset, names.size))
		return ELF_BAD_SECTION_HEADERS;
	return ELF_OK;
}

enum elf_result elf_image_init(struct elf_image *image, void const *data, size_t size)
{
	static char const magic[4] = { 0x7f, 'E', 'L', 'F' };
	struct elf_raw_header header;

	if (size < sizeof(magic)) return ELF_TRUNCATED;
	if (memory_compare(data, magic, sizeof(magic)) != 0) return ELF_BAD_MAGIC;
	if (!elf_read(data, size, 0, &header, sizeof(header))) return ELF_TRUNCATED;

	enum elf_result result = elf_check_header(&header);
	if (result != ELF_OK) return result;

	if (header.phnum == ELF_PROGRAM_COUNT_EXTENDED) return ELF_BAD_PROGRAM_HEADERS;
	if (!elf_range_in_file(size, header.phoff,
	                       (uint64_t)header.phnum * sizeof(struct elf_raw_program_header)))
		return ELF_BAD_PROGRAM_HEADERS;

	*image = (struct elf_image){
		.data = data,
		.size = size,
		.type = header.type,
		.entry = header.entry,
		.program_count = header.phnum,
		.section_count = header.shnum,
		.program_offset = header.phoff,
		.section_offset = header.shoff,
		.section_names = header.shstrndx,
	};

	result = elf_check_segments(image);
	if (result == ELF_OK) result = elf_check_entry(image);
	if (result == ELF_OK) result = elf_check_sections(image, header.shstrndx);
	return result;
}

enum elf_result elf_image_program_header(struct elf_image const *image, unsigned index,
                                         struct elf_segment *segment)
{
	if (index >= image->program_count) return ELF_BAD_INDEX;
	struct elf_raw_program_header raw = elf_program_header_read(image, index);
	elf_segment_fill(image, &raw, segment);
	return ELF_OK;
}

enum elf_result elf_image_load_segment(struct elf_image const *image, unsigned index,
                                       struct elf_segment *segment)
{
	for (unsigned i = 0; i < image->program_count; i++) {
		struct elf_raw_program_header raw = elf_program_header_read(image, i);
		if (raw.type != ELF_SEGMENT_LOAD) continue;
		if (index-- == 0) {
			elf_segment_fill(image, &raw, segment);
			return ELF_OK;
		}
	}
	return ELF_BAD_INDEX;
}

/* the header of section `index` < section_count */
static struct elf_raw_section_header elf_section_header_read(struct elf_image const *image,
                                                             unsigned index)
{
	struct elf_raw_section_header raw;
	elf_table_read(image, image->section_offset, index, &raw, sizeof(raw));
	return raw;
}

/*
 * The NUL-terminated string at `offset` of the string table at
 * [table_offset, table_offset + table_size), which lies inside the file;
 * NULL if the offset or the missing NUL would leave the table.
 */
static char const *elf_string(struct elf_image const *image, uint64_t table_offset,
                              uint64_t table_size, uint64_t offset)
{
	if (offset >= table_size) return NULL;
	char const *s = (char const *)image->data + table_offset + offset;
	uint64_t room = table_size - offset;
	if (string_length_bounded(s, room) == room) return NULL;
	return s;
}

enum elf_result elf_image_section(struct elf_image const *image, unsigned index,
                                  struct elf_section *section)
{
	if (index >= image->section_count) return ELF_BAD_INDEX;
	struct elf_raw_section_header raw = elf_section_header_read(image, index);

	bool in_file =
	    raw.type == ELF_SECTION_NOBITS || elf_range_in_file(image->size, raw.offset, raw.size);
	if (!in_file) return ELF_BAD_SECTION;

	char const *name = "";
	if (image->section_names != ELF_SECTION_UNDEFINED) {
		/* the name table lies in the file: checked by elf_check_sections */
		struct elf_raw_section_header names =
		    elf_section_header_read(image, image->section_names);
		name = elf_string(image, names.offset, names.size, raw.name);
		if (!name) return ELF_BAD_SECTION;
	}

	*section = (struct elf_section){
		.name = name,
		.type = raw.type,
		.flags = raw.flags,
		.addr = raw.addr,
		.offset = raw.offset,
		.size = raw.size,
		.link = raw.link,
		.info = raw.info,
		.entsize = raw.entsize,
		.bytes = raw.type == ELF_SECTION_NOBITS ? NULL : image->data + raw.offset,
	};
	return ELF_OK;
}

enum elf_result elf_image_section_find(struct elf_image const *image, char const *name,
                                       struct elf_section *section)
{
	if (image->section_names == ELF_SECTION_UNDEFINED) return ELF_NOT_FOUND;

	for (unsigned i = 0; i < image->section_count; i++) {
		struct elf_section candidate;
		enum elf_result result = elf_image_section(image, i, &candidate);
		if (result != ELF_OK) return result;
		if (string_equal(candidate.name, name)) {
			*section = candidate;
			return ELF_OK;
		}
	}
	return ELF_NOT_FOUND;
}

/* the symbol table and its string table, both checked */
static enum elf_result elf_symbol_tables(struct elf_image const *image,
                                         struct elf_section *symbols,
                                         struct elf_section *strings)
{
	unsigned i = 0;
	for (;; i++) {
		if (i == image->section_count) return ELF_NO_SYMBOL_TABLE;
		enum elf_result result = elf_image_section(image, i, symbols);
		if (result != ELF_OK) return result;
		if (symbols->type == ELF_SECTION_SYMTAB) break;
	}

	if (symbols->entsize != sizeof(struct elf_raw_symbol)) return ELF_BAD_SYMBOL_TABLE;
	if (symbols->size % sizeof(struct elf_raw_symbol)) return ELF_BAD_SYMBOL_TABLE;
	if (symbols->link == i) return ELF_BAD_SYMBOL_TABLE;

	enum elf_result result = elf_image_section(image, symbols->link, strings);
	if (result == ELF_BAD_INDEX) return ELF_BAD_SYMBOL_TABLE;
	if (result != ELF_OK) return result;
	if (strings->type != ELF_SECTION_STRTAB) return ELF_BAD_SYMBOL_TABLE;
	return ELF_OK;
}

enum elf_result elf_image_symbol_find(struct elf_image const *image, char const *name,
                                      struct elf_symbol *symbol)
{
	struct elf_section symbols, strings;
	enum elf_result result = elf_symbol_tables(image, &symbols, &strings);
	if (result != ELF_OK) return result;
	if (!name[0]) return ELF_NOT_FOUND;

	uint64_t count = symbols.size / sizeof(struct elf_raw_symbol);
	/* entry 0 is the reserved undefined symbol */
	for (uint64_t i = 1; i < count; i++) {
		struct elf_raw_symbol raw;
		memory_copy(&raw, (uint8_t const *)symbols.bytes + i * sizeof(raw), sizeof(raw));

		char const *candidate = elf_string(image, strings.offset, strings.size, raw.name);
		if (!candidate) return ELF_BAD_SYMBOL_TABLE;
		if (raw.shndx == ELF_SECTION_UNDEFINED || !string_equal(candidate, name)) continue;

		*symbol = (struct elf_symbol){
			.name = candidate,
			.value = raw.value,
			.size = raw.size,
			.type = raw.info & 0xf,
			.binding = raw.info >> 4,
			.section_index = raw.shndx,
		};
		return ELF_OK;
	}
	return ELF_NOT_FOUND;
}

char const *elf_result_string(enum elf_result result)
{
	switch (result) {
	case ELF_OK:
		return "success";
	case ELF_TRUNCATED:
		return "file shorter than the ELF header";
	case ELF_BAD_MAGIC:
		return "not an ELF file (bad magic number)";
	case ELF_BAD_CLASS:
		return "not a 64-bit ELF file";
	case ELF_BAD_ENDIANNESS:
		return "not a little-endian ELF file";
	case ELF_BAD_VERSION:
		return "unsupported ELF version";
	case ELF_BAD_ABI:
		return "unsupported OS ABI";
	case ELF_BAD_MACHINE:
		return "not an x86_64 ELF file";
	case ELF_BAD_TYPE:
		return "neither an executable nor a position-independent executable";
	case ELF_BAD_HEADER_SIZE:
		return "ELF header or table entry size is wrong";
	case ELF_BAD_PROGRAM_HEADERS:
		return "program header table outside the file";
	case ELF_NO_LOADABLE_SEGMENTS:
		return "no loadable segment";
	case ELF_SEGMENT_OUTSIDE_FILE:
		return "segment data outside the file";
	case ELF_BAD_SEGMENT_SIZE:
		return "segment file size exceeds memory size, or range wraps";
	case ELF_BAD_SEGMENT_ALIGNMENT:
		return "segment alignment invalid or not met";
	case ELF_UNSORTED_SEGMENTS:
		return "loadable segments not in ascending address order";
	case ELF_OVERLAPPING_SEGMENTS:
		return "loadable segments overlap";
	case ELF_BAD_ENTRY:
		return "entry point outside the executable segments";
	case ELF_BAD_SECTION_HEADERS:
		return "section header table or section name table invalid";
	case ELF_BAD_SECTION:
		return "section data or name outside the file";
	case ELF_NO_SYMBOL_TABLE:
		return "no symbol table";
	case ELF_BAD_SYMBOL_TABLE:
		return "symbol table or its string table invalid";
	case ELF_NOT_FOUND:
		return "not found";
	case ELF_BAD_INDEX:
		return "index out of range";
	}
	return "unknown ELF result";
}
