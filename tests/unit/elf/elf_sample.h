/* SPDX-License-Identifier: MIT */
/**
 * \brief the hand-built sample executable shared by the util/elf tests
 *
 * The images are built with the host's <elf.h>, an independent description
 * of the format. Every parse runs on an exactly-sized heap copy, so ASan
 * reports any read outside the file.
 */

#ifndef _ELF_SAMPLE_H_
#define _ELF_SAMPLE_H_

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include <util/elf.h>

/*
 * Layout of the sample executable:
 *   0x000 file header, 0x040 two program headers
 *   0x100 .text (16 bytes), 0x110 .data (16 bytes)
 *   0x120 .shstrtab, 0x160 .strtab, 0x180 .symtab (4 symbols)
 *   0x200 section headers (7)
 * Segment 0: R+X, file 0x000..0x110 at 0x400000. Segment 1: R+W, file
 * 0x110..0x120 at 0x401110, memory size 0x30 (.bss follows .data).
 */
enum {
	TEXT_OFFSET = 0x100,
	DATA_OFFSET = 0x110,
	SHSTRTAB_OFFSET = 0x120,
	STRTAB_OFFSET = 0x160,
	SYMTAB_OFFSET = 0x180,
	SECTION_HEADERS_OFFSET = 0x200,
	SECTION_COUNT = 7,
	IMAGE_SIZE = SECTION_HEADERS_OFFSET + SECTION_COUNT * sizeof(Elf64_Shdr),
	TEXT_ADDRESS = 0x400100,
	DATA_ADDRESS = 0x401110,
};

enum {
	SECTION_TEXT = 1,
	SECTION_DATA,
	SECTION_BSS,
	SECTION_SHSTRTAB,
	SECTION_STRTAB,
	SECTION_SYMTAB
};

/** the section name table and the symbol name table of the sample */
extern char const sample_shstrtab[];
extern char const sample_strtab[];
extern size_t const sample_shstrtab_size; /**< with the final NUL */
extern size_t const sample_strtab_size;   /**< with the final NUL */

struct sample
{
	union
	{
		uint8_t bytes[IMAGE_SIZE];
		Elf64_Ehdr header;
	};
};

Elf64_Phdr *sample_program_header(struct sample *s, unsigned i);
Elf64_Shdr *sample_section(struct sample *s, unsigned i);
Elf64_Sym *sample_symbol(struct sample *s, unsigned i);

/** fill `s` with the valid sample executable */
void sample_build(struct sample *s);

/** the result of parsing an exactly-sized heap copy (free `copy` afterwards) */
struct parsed
{
	enum elf_result result;
	struct elf_image image;
	void *copy;
};

/** parse an exactly-sized heap copy of the first `size` bytes */
struct parsed parse(void const *bytes, size_t size);

/** parse all of `s` and return only the result */
enum elf_result parse_result(struct sample const *s);

/** call every accessor: results may be errors, but no access may leave the file */
void use_everything(struct elf_image const *image);

/* rebuild the sample in `s`, apply `change`, expect `result` from parsing */
#define EXPECT(change, result)              \
	do {                                    \
		sample_build(&s);                   \
		change;                             \
		CHECK_EQ(parse_result(&s), result); \
	} while (0)

/* parse the sample after `change`, expect ELF_OK, then look up section and symbol */
/* parse the sample after `change`, expect ELF_OK, then look up section and symbol */
#define EXPECT_LOOKUP(change, section_name, section_result, symbol_name, symbol_result)   \
	do {                                                                                  \
		sample_build(&s);                                                                 \
		change;                                                                           \
		struct parsed p_ = parse(s.bytes, sizeof(s.bytes));                               \
		CHECK_EQ(p_.result, ELF_OK);                                                      \
		struct elf_section sec_;                                                          \
		struct elf_symbol sym_;                                                           \
		CHECK_EQ(elf_image_section_find(&p_.image, section_name, &sec_), section_result); \
		CHECK_EQ(elf_image_symbol_find(&p_.image, symbol_name, &sym_), symbol_result);    \
		free(p_.copy);                                                                    \
	} while (0)

#endif /* _ELF_SAMPLE_H_ */
