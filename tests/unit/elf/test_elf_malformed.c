/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of util/elf: malformed variants of the sample, every truncation, corruption
 */

#include <stdlib.h>

#include "elf_sample.h"
#include "unit_test.h"

TEST(header_checks)
{
	struct sample s;
	EXPECT(s.header.e_ident[0] = 0x7e, ELF_BAD_MAGIC);
	EXPECT(s.header.e_ident[3] = 'f', ELF_BAD_MAGIC);
	EXPECT(s.header.e_ident[EI_CLASS] = ELFCLASS32, ELF_BAD_CLASS);
	EXPECT(s.header.e_ident[EI_CLASS] = ELFCLASSNONE, ELF_BAD_CLASS);
	EXPECT(s.header.e_ident[EI_DATA] = ELFDATA2MSB, ELF_BAD_ENDIANNESS);
	EXPECT(s.header.e_ident[EI_VERSION] = 0, ELF_BAD_VERSION);
	EXPECT(s.header.e_version = 2, ELF_BAD_VERSION);
	EXPECT(s.header.e_ident[EI_OSABI] = ELFOSABI_FREEBSD, ELF_BAD_ABI);
	EXPECT(s.header.e_ident[EI_OSABI] = ELFOSABI_GNU, ELF_OK);
	EXPECT(s.header.e_machine = EM_386, ELF_BAD_MACHINE);
	EXPECT(s.header.e_machine = EM_AARCH64, ELF_BAD_MACHINE);
	EXPECT(s.header.e_type = ET_REL, ELF_BAD_TYPE);
	EXPECT(s.header.e_type = ET_CORE, ELF_BAD_TYPE);
	EXPECT(s.header.e_ehsize = 52, ELF_BAD_HEADER_SIZE);
	EXPECT(s.header.e_phentsize = 32, ELF_BAD_HEADER_SIZE);
	EXPECT(s.header.e_phentsize = 57, ELF_BAD_HEADER_SIZE);
	EXPECT(s.header.e_shentsize = 40, ELF_BAD_HEADER_SIZE);
	/* entry sizes of empty tables do not matter */
	EXPECT((s.header.e_shentsize = 0, s.header.e_shnum = 0, s.header.e_shoff = 0,
	        s.header.e_shstrndx = 0),
	       ELF_OK);
}

TEST(program_header_table_checks)
{
	struct sample s;
	EXPECT(s.header.e_phnum = 0, ELF_NO_LOADABLE_SEGMENTS);
	EXPECT(s.header.e_phoff = IMAGE_SIZE, ELF_BAD_PROGRAM_HEADERS);
	EXPECT(s.header.e_phoff = IMAGE_SIZE - sizeof(Elf64_Phdr), ELF_BAD_PROGRAM_HEADERS);
	EXPECT(s.header.e_phoff = UINT64_MAX - 8, ELF_BAD_PROGRAM_HEADERS);
	EXPECT(s.header.e_phoff = UINT64_MAX, ELF_BAD_PROGRAM_HEADERS);
	EXPECT(s.header.e_phnum = 0xffff, ELF_BAD_PROGRAM_HEADERS);
	EXPECT(s.header.e_phnum = 200, ELF_BAD_PROGRAM_HEADERS);
	/* a table at the very end of the file is fine */
	EXPECT((memcpy(s.bytes + IMAGE_SIZE - 2 * sizeof(Elf64_Phdr), s.bytes + 64,
	               2 * sizeof(Elf64_Phdr)),
	        s.header.e_phoff = IMAGE_SIZE - 2 * sizeof(Elf64_Phdr), s.header.e_shnum = 0,
	        s.header.e_shoff = 0, s.header.e_shstrndx = 0),
	       ELF_OK);
	/* no PT_LOAD at all */
	EXPECT((sample_program_header(&s, 0)->p_type = PT_NOTE,
	        sample_program_header(&s, 1)->p_type = PT_NULL),
	       ELF_NO_LOADABLE_SEGMENTS);
}

TEST(segment_checks)
{
	struct sample s;
#define PH(i) (sample_program_header(&s, i))
	EXPECT((PH(1)->p_filesz = 0x30, PH(1)->p_offset = IMAGE_SIZE - 0x20),
	       ELF_SEGMENT_OUTSIDE_FILE);
	EXPECT((PH(1)->p_offset = IMAGE_SIZE, PH(1)->p_filesz = 1), ELF_SEGMENT_OUTSIDE_FILE);
	EXPECT((PH(1)->p_offset = UINT64_MAX - 4, PH(1)->p_filesz = 0x10),
	       ELF_SEGMENT_OUTSIDE_FILE);
	EXPECT((PH(1)->p_offset = 0x10, PH(1)->p_filesz = UINT64_MAX - 4),
	       ELF_SEGMENT_OUTSIDE_FILE);
	/* an empty segment exactly at the end of the file is inside it */
	EXPECT((PH(1)->p_offset = IMAGE_SIZE, PH(1)->p_filesz = 0,
	        PH(1)->p_vaddr = 0x401000 + IMAGE_SIZE % 0x1000),
	       ELF_OK);
	/* the check holds for every program header type */
	EXPECT((PH(1)->p_type = PT_NOTE, PH(1)->p_offset = IMAGE_SIZE + 1, PH(1)->p_filesz = 0),
	       ELF_SEGMENT_OUTSIDE_FILE);

	EXPECT(PH(1)->p_memsz = 0xf, ELF_BAD_SEGMENT_SIZE);
	EXPECT((PH(1)->p_vaddr = UINT64_MAX - 0xfef, PH(1)->p_memsz = 0x1000),
	       ELF_BAD_SEGMENT_SIZE);
	/* the last byte of the address space is usable; an end of 2^64 is not representable */
	EXPECT((PH(1)->p_vaddr = 0xfffffffffffff110ULL, PH(1)->p_memsz = 0xeef), ELF_OK);
	EXPECT((PH(1)->p_vaddr = 0xfffffffffffff110ULL, PH(1)->p_memsz = 0xef0),
	       ELF_BAD_SEGMENT_SIZE);

	EXPECT(PH(1)->p_align = 0x1800, ELF_BAD_SEGMENT_ALIGNMENT);
	EXPECT(PH(1)->p_align = 3, ELF_BAD_SEGMENT_ALIGNMENT);
	EXPECT(PH(1)->p_vaddr = 0x401000, ELF_BAD_SEGMENT_ALIGNMENT);
	EXPECT((PH(1)->p_vaddr = 0x401008, PH(1)->p_align = 0x10), ELF_BAD_SEGMENT_ALIGNMENT);
	EXPECT((PH(1)->p_vaddr = 0x401000, PH(1)->p_align = 0x10), ELF_OK);
	EXPECT((PH(1)->p_vaddr = 0x401000, PH(1)->p_align = 1), ELF_OK);
	EXPECT((PH(1)->p_vaddr = 0x401000, PH(1)->p_align = 0), ELF_OK);
#undef PH
}

TEST(segment_order_and_overlap)
{
	struct sample s;
#define PH(i) (sample_program_header(&s, i))
	/* data segment starts inside the text segment */
	EXPECT((PH(1)->p_vaddr = 0x400100, PH(1)->p_align = 1), ELF_OVERLAPPING_SEGMENTS);
	EXPECT((PH(1)->p_vaddr = 0x400000, PH(1)->p_align = 1), ELF_OVERLAPPING_SEGMENTS);
	/* starts exactly at the text segment's end: adjacent, not overlapping */
	EXPECT((PH(1)->p_vaddr = 0x400110), ELF_OK);
	EXPECT((PH(1)->p_vaddr = 0x40010f, PH(1)->p_align = 1), ELF_OVERLAPPING_SEGMENTS);
	/* text grows over the data segment */
	EXPECT(PH(0)->p_memsz = 0x1111, ELF_OVERLAPPING_SEGMENTS);
	EXPECT(PH(0)->p_memsz = 0x1110, ELF_OK);
	/* the same segment twice */
	EXPECT(*PH(1) = *PH(0), ELF_OVERLAPPING_SEGMENTS);
	/* swapped: not in ascending order */
	EXPECT((PH(1)->p_vaddr = 0x3ff110), ELF_UNSORTED_SEGMENTS);
	/* a huge segment overlapping everything after it */
	EXPECT((PH(0)->p_memsz = UINT64_MAX - 0x400000), ELF_OVERLAPPING_SEGMENTS);
#undef PH
}

TEST(entry_checks)
{
	struct sample s;
	EXPECT(s.header.e_entry = 0x400000, ELF_OK);
	EXPECT(s.header.e_entry = 0x40010f, ELF_OK);
	EXPECT(s.header.e_entry = 0x400110, ELF_BAD_ENTRY); /* one past the end */
	EXPECT(s.header.e_entry = 0x3fffff, ELF_BAD_ENTRY);
	EXPECT(s.header.e_entry = DATA_ADDRESS, ELF_BAD_ENTRY); /* not executable */
	EXPECT(s.header.e_entry = 0, ELF_BAD_ENTRY);
	EXPECT(s.header.e_entry = UINT64_MAX, ELF_BAD_ENTRY);
}

TEST(section_header_table_checks)
{
	struct sample s;
	EXPECT(s.header.e_shoff = IMAGE_SIZE - 1, ELF_BAD_SECTION_HEADERS);
	EXPECT(s.header.e_shoff = UINT64_MAX - 63, ELF_BAD_SECTION_HEADERS);
	EXPECT(s.header.e_shnum = SECTION_COUNT + 1, ELF_BAD_SECTION_HEADERS);
	EXPECT(s.header.e_shnum = 0, ELF_BAD_SECTION_HEADERS); /* extended numbering */
	EXPECT((s.header.e_shnum = 0, s.header.e_shoff = 0), ELF_BAD_SECTION_HEADERS);
	EXPECT(s.header.e_shstrndx = SECTION_COUNT, ELF_BAD_SECTION_HEADERS);
	EXPECT(s.header.e_shstrndx = SHN_XINDEX, ELF_BAD_SECTION_HEADERS);
	EXPECT(s.header.e_shstrndx = SECTION_TEXT, ELF_BAD_SECTION_HEADERS); /* not a STRTAB */
	EXPECT(sample_section(&s, SECTION_SHSTRTAB)->sh_offset = IMAGE_SIZE,
	       ELF_BAD_SECTION_HEADERS);
	EXPECT(sample_section(&s, SECTION_SHSTRTAB)->sh_size = UINT64_MAX, ELF_BAD_SECTION_HEADERS);
	/* no name table: sections are reachable by index only */
	EXPECT(s.header.e_shstrndx = 0, ELF_OK);
}

TEST(malformed_sections)
{
	struct sample s;
#define SH(i) (sample_section(&s, i))
	/* a section's bytes outside the file: found by lookups that pass it */
	EXPECT_LOOKUP(SH(SECTION_DATA)->sh_offset = IMAGE_SIZE, ".text", ELF_OK, "main",
	              ELF_BAD_SECTION);
	EXPECT_LOOKUP(SH(SECTION_DATA)->sh_size = IMAGE_SIZE, ".data", ELF_BAD_SECTION, "main",
	              ELF_BAD_SECTION);
	EXPECT_LOOKUP(SH(SECTION_DATA)->sh_offset = UINT64_MAX - 8, ".data", ELF_BAD_SECTION,
	              "main", ELF_BAD_SECTION);
	/* a NOBITS section occupies no file bytes: any offset and size are fine */
	EXPECT_LOOKUP(
	    (SH(SECTION_BSS)->sh_offset = UINT64_MAX, SH(SECTION_BSS)->sh_size = UINT64_MAX),
	    ".bss", ELF_OK, "main", ELF_OK);
	/* a name offset outside the name table */
	EXPECT_LOOKUP(SH(SECTION_DATA)->sh_name = sample_shstrtab_size, ".data", ELF_BAD_SECTION,
	              "main", ELF_BAD_SECTION);
	EXPECT_LOOKUP(SH(SECTION_DATA)->sh_name = UINT32_MAX, ".data", ELF_BAD_SECTION, "main",
	              ELF_BAD_SECTION);
	/* the last name is cut off: no NUL inside the table */
	EXPECT_LOOKUP(SH(SECTION_SHSTRTAB)->sh_size = sample_shstrtab_size - 1, ".text", ELF_OK,
	              "main", ELF_BAD_SECTION);
	EXPECT_LOOKUP(SH(SECTION_SHSTRTAB)->sh_size = sample_shstrtab_size - 1, ".symtab",
	              ELF_BAD_SECTION, "main", ELF_BAD_SECTION);
#undef SH
}

TEST(malformed_symbol_tables)
{
	struct sample s;
#define SH(i) (sample_section(&s, i))
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_type = SHT_PROGBITS, ".symtab", ELF_OK, "main",
	              ELF_NO_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_entsize = 16, ".text", ELF_OK, "main",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_size = 4 * sizeof(Elf64_Sym) - 1, ".text", ELF_OK,
	              "main", ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_size = 100 * sizeof(Elf64_Sym), ".text", ELF_OK,
	              "main", ELF_BAD_SECTION);
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_link = SECTION_TEXT, ".text", ELF_OK, "main",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_link = SECTION_SYMTAB, ".text", ELF_OK, "main",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_link = SECTION_COUNT, ".text", ELF_OK, "main",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_link = UINT32_MAX, ".text", ELF_OK, "main",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_STRTAB)->sh_offset = IMAGE_SIZE + 1, ".text", ELF_OK, "main",
	              ELF_BAD_SECTION);
	/* symbol names outside the string table, or running past its end */
	EXPECT_LOOKUP(sample_symbol(&s, 1)->st_name = sample_strtab_size, ".text", ELF_OK, "main",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(sample_symbol(&s, 1)->st_name = UINT32_MAX, ".text", ELF_OK, "counter",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_STRTAB)->sh_size = sample_strtab_size - 2, ".text", ELF_OK,
	              "undefined_one", ELF_BAD_SYMBOL_TABLE);
	/* only the reserved symbol: nothing to find */
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_size = sizeof(Elf64_Sym), ".text", ELF_OK, "main",
	              ELF_NOT_FOUND);
	EXPECT_LOOKUP(SH(SECTION_SYMTAB)->sh_size = 0, ".text", ELF_OK, "main", ELF_NOT_FOUND);
#undef SH
}

TEST(every_truncation_fails_without_reading_outside)
{
	struct sample s;
	sample_build(&s);
	for (size_t size = 0; size < sizeof(s.bytes); size++) {
		struct parsed p = parse(s.bytes, size);
		if (size < 4)
			CHECK_EQ(p.result, ELF_TRUNCATED);
		else if (size < sizeof(Elf64_Ehdr))
			CHECK_EQ(p.result, ELF_TRUNCATED);
		else if (size < 64 + 2 * sizeof(Elf64_Phdr))
			CHECK_EQ(p.result, ELF_BAD_PROGRAM_HEADERS);
		else if (size < DATA_OFFSET + 0x10)
			CHECK_EQ(p.result, ELF_SEGMENT_OUTSIDE_FILE);
		else
			CHECK_EQ(p.result, ELF_BAD_SECTION_HEADERS);
		free(p.copy);
	}
	struct parsed whole = parse(s.bytes, sizeof(s.bytes));
	CHECK_EQ(whole.result, ELF_OK);
	free(whole.copy);
}

TEST(every_truncation_of_a_file_without_section_headers)
{
	/* the section header table claims to be at the end, the sections are cut */
	struct sample s;
	sample_build(&s);
	for (size_t size = DATA_OFFSET + 0x10; size <= sizeof(s.bytes); size++) {
		struct sample t = s;
		t.header.e_shoff = size >= SECTION_COUNT * sizeof(Elf64_Shdr)
		                       ? size - SECTION_COUNT * sizeof(Elf64_Shdr)
		                       : 0;
		struct parsed p = parse(t.bytes, size);
		if (p.result == ELF_OK) use_everything(&p.image);
		free(p.copy);
	}
}

TEST(every_byte_corrupted_never_reads_outside)
{
	struct sample s;
	sample_build(&s);
	static uint8_t const values[] = { 0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff };
	unsigned accepted = 0;
	for (size_t at = 0; at < sizeof(s.bytes); at++)
		for (size_t v = 0; v < sizeof(values); v++) {
			struct sample t = s;
			t.bytes[at] = values[v];
			struct parsed p = parse(t.bytes, sizeof(t.bytes));
			if (p.result == ELF_OK) {
				accepted++;
				use_everything(&p.image);
			}
			free(p.copy);
		}
	/* most single bytes (section contents, padding) are harmless */
	CHECK(accepted > sizeof(s.bytes));
}

TEST(random_corruption_never_reads_outside)
{
	struct sample s;
	sample_build(&s);
	uint64_t state = 0x9e3779b97f4a7c15ULL;
	for (unsigned round = 0; round < 20000; round++) {
		struct sample t = s;
		unsigned flips = 1 + round % 8;
		for (unsigned f = 0; f < flips; f++) {
			state ^= state << 13, state ^= state >> 7, state ^= state << 17;
			t.bytes[(state >> 8) % sizeof(t.bytes)] = (uint8_t)state;
		}
		size_t size = round % 5 == 0 ? (state >> 32) % sizeof(t.bytes) : sizeof(t.bytes);
		struct parsed p = parse(t.bytes, size);
		if (p.result == ELF_OK) use_everything(&p.image);
		free(p.copy);
	}
}
