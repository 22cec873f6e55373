/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of util/elf: the valid sample, lookups, result strings, and the test binary
 * itself
 */

#include <stdlib.h>

#include "elf_sample.h"
#include "unit_test.h"

TEST(sample_parses)
{
	struct sample s;
	sample_build(&s);
	struct parsed p = parse(s.bytes, sizeof(s.bytes));
	CHECK_EQ(p.result, ELF_OK);
	CHECK_EQ(p.image.type, ELF_TYPE_EXEC);
	CHECK_EQ_U(p.image.entry, TEXT_ADDRESS + 4);
	CHECK_EQ(p.image.load_count, 2);
	CHECK_EQ(p.image.program_count, 2);
	CHECK_EQ(p.image.section_count, SECTION_COUNT);
	CHECK(p.image.data == p.copy);
	free(p.copy);
}

TEST(sample_segments)
{
	struct sample s;
	sample_build(&s);
	struct parsed p = parse(s.bytes, sizeof(s.bytes));
	CHECK_EQ(p.result, ELF_OK);

	struct elf_segment seg;
	CHECK_EQ(elf_image_load_segment(&p.image, 0, &seg), ELF_OK);
	CHECK_EQ(seg.type, ELF_SEGMENT_LOAD);
	CHECK_EQ_U(seg.vaddr, 0x400000);
	CHECK_EQ_U(seg.offset, 0);
	CHECK_EQ_U(seg.filesz, DATA_OFFSET);
	CHECK_EQ_U(seg.memsz, DATA_OFFSET);
	CHECK_EQ_U(seg.align, 0x1000);
	CHECK_EQ(seg.flags, ELF_SEGMENT_READABLE | ELF_SEGMENT_EXECUTABLE);
	CHECK(seg.bytes == p.copy);

	CHECK_EQ(elf_image_load_segment(&p.image, 1, &seg), ELF_OK);
	CHECK_EQ_U(seg.vaddr, DATA_ADDRESS);
	CHECK_EQ_U(seg.filesz, 0x10);
	CHECK_EQ_U(seg.memsz, 0x30);
	CHECK_EQ(seg.flags, ELF_SEGMENT_READABLE | ELF_SEGMENT_WRITABLE);
	CHECK(seg.bytes == (uint8_t *)p.copy + DATA_OFFSET);
	CHECK_EQ(((uint8_t const *)seg.bytes)[0], 0x5a);

	CHECK_EQ(elf_image_load_segment(&p.image, 2, &seg), ELF_BAD_INDEX);
	CHECK_EQ(elf_image_program_header(&p.image, 1, &seg), ELF_OK);
	CHECK_EQ_U(seg.vaddr, DATA_ADDRESS);
	CHECK_EQ(elf_image_program_header(&p.image, 2, &seg), ELF_BAD_INDEX);
	free(p.copy);
}

TEST(load_segments_skip_other_program_headers)
{
	struct sample s;
	sample_build(&s);
	/* move the headers to make room for a PT_GNU_STACK first: 3 headers fit below 0x100 */
	Elf64_Phdr loads[2] = { *sample_program_header(&s, 0), *sample_program_header(&s, 1) };
	*sample_program_header(&s, 0) =
	    (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };
	*sample_program_header(&s, 1) = loads[0];
	*sample_program_header(&s, 2) = loads[1];
	s.header.e_phnum = 3;

	struct parsed p = parse(s.bytes, sizeof(s.bytes));
	CHECK_EQ(p.result, ELF_OK);
	CHECK_EQ(p.image.load_count, 2);
	CHECK_EQ(p.image.program_count, 3);
	struct elf_segment seg;
	CHECK_EQ(elf_image_load_segment(&p.image, 1, &seg), ELF_OK);
	CHECK_EQ_U(seg.vaddr, DATA_ADDRESS);
	CHECK_EQ(elf_image_program_header(&p.image, 0, &seg), ELF_OK);
	CHECK_EQ_U(seg.type, PT_GNU_STACK);
	free(p.copy);
}

TEST(sample_sections)
{
	struct sample s;
	sample_build(&s);
	struct parsed p = parse(s.bytes, sizeof(s.bytes));
	CHECK_EQ(p.result, ELF_OK);

	struct elf_section sec;
	CHECK_EQ(elf_image_section_find(&p.image, ".text", &sec), ELF_OK);
	CHECK_STR(sec.name, ".text");
	CHECK_EQ(sec.type, ELF_SECTION_PROGBITS);
	CHECK_EQ_U(sec.addr, TEXT_ADDRESS);
	CHECK_EQ_U(sec.size, 16);
	CHECK(sec.bytes == (uint8_t *)p.copy + TEXT_OFFSET);
	/* the name points into the file, not into a copy */
	CHECK(sec.name == (char *)p.copy + SHSTRTAB_OFFSET + 1);

	CHECK_EQ(elf_image_section_find(&p.image, ".bss", &sec), ELF_OK);
	CHECK_EQ(sec.type, ELF_SECTION_NOBITS);
	CHECK(sec.bytes == NULL);
	CHECK_EQ_U(sec.size, 0x20);

	CHECK_EQ(elf_image_section_find(&p.image, ".symtab", &sec), ELF_OK);
	CHECK_EQ(sec.link, SECTION_STRTAB);
	CHECK_EQ_U(sec.entsize, sizeof(Elf64_Sym));

	CHECK_EQ(elf_image_section_find(&p.image, ".tex", &sec), ELF_NOT_FOUND);
	CHECK_EQ(elf_image_section_find(&p.image, ".textx", &sec), ELF_NOT_FOUND);
	CHECK_EQ(elf_image_section_find(&p.image, ".comment", &sec), ELF_NOT_FOUND);

	CHECK_EQ(elf_image_section(&p.image, 0, &sec), ELF_OK);
	CHECK_STR(sec.name, "");
	CHECK_EQ(elf_image_section(&p.image, SECTION_DATA, &sec), ELF_OK);
	CHECK_STR(sec.name, ".data");
	CHECK_EQ(elf_image_section(&p.image, SECTION_COUNT, &sec), ELF_BAD_INDEX);
	free(p.copy);
}

TEST(sample_symbols)
{
	struct sample s;
	sample_build(&s);
	struct parsed p = parse(s.bytes, sizeof(s.bytes));
	CHECK_EQ(p.result, ELF_OK);

	struct elf_symbol sym;
	CHECK_EQ(elf_image_symbol_find(&p.image, "main", &sym), ELF_OK);
	CHECK_STR(sym.name, "main");
	CHECK_EQ_U(sym.value, TEXT_ADDRESS + 4);
	CHECK_EQ_U(sym.size, 12);
	CHECK_EQ(sym.type, ELF_SYMBOL_FUNC);
	CHECK_EQ(sym.binding, ELF_SYMBOL_GLOBAL);
	CHECK_EQ(sym.section_index, SECTION_TEXT);

	CHECK_EQ(elf_image_symbol_find(&p.image, "counter", &sym), ELF_OK);
	CHECK_EQ_U(sym.value, DATA_ADDRESS + 8);
	CHECK_EQ(sym.type, ELF_SYMBOL_OBJECT);
	CHECK_EQ(sym.binding, ELF_SYMBOL_LOCAL);

	CHECK_EQ(elf_image_symbol_find(&p.image, "undefined_one", &sym), ELF_NOT_FOUND);
	CHECK_EQ(elf_image_symbol_find(&p.image, "mai", &sym), ELF_NOT_FOUND);
	CHECK_EQ(elf_image_symbol_find(&p.image, "mainx", &sym), ELF_NOT_FOUND);
	CHECK_EQ(elf_image_symbol_find(&p.image, "", &sym), ELF_NOT_FOUND);
	free(p.copy);
}

TEST(pie_type_accepted_and_entry_zero_allowed)
{
	struct sample s;
	sample_build(&s);
	s.header.e_type = ET_DYN;
	CHECK_EQ(parse_result(&s), ELF_OK);
	s.header.e_entry = 0;
	CHECK_EQ(parse_result(&s), ELF_OK);
	s.header.e_type = ET_EXEC;
	CHECK_EQ(parse_result(&s), ELF_BAD_ENTRY);
}

TEST(section_without_name_table)
{
	struct sample s;
	sample_build(&s);
	s.header.e_shstrndx = SHN_UNDEF;
	struct parsed p = parse(s.bytes, sizeof(s.bytes));
	CHECK_EQ(p.result, ELF_OK);
	struct elf_section sec;
	CHECK_EQ(elf_image_section_find(&p.image, ".text", &sec), ELF_NOT_FOUND);
	CHECK_EQ(elf_image_section(&p.image, SECTION_TEXT, &sec), ELF_OK);
	CHECK_STR(sec.name, "");
	CHECK(sec.bytes == (uint8_t *)p.copy + TEXT_OFFSET);
	/* the symbol table is found by type, not by name */
	struct elf_symbol sym;
	CHECK_EQ(elf_image_symbol_find(&p.image, "main", &sym), ELF_OK);
	free(p.copy);
}

TEST(stripped_file_has_no_sections_or_symbols)
{
	struct sample s;
	sample_build(&s);
	s.header.e_shnum = 0;
	s.header.e_shoff = 0;
	s.header.e_shstrndx = 0;
	struct parsed p = parse(s.bytes, SECTION_HEADERS_OFFSET);
	CHECK_EQ(p.result, ELF_OK);
	struct elf_section sec;
	struct elf_symbol sym;
	CHECK_EQ(elf_image_section_find(&p.image, ".text", &sec), ELF_NOT_FOUND);
	CHECK_EQ(elf_image_section(&p.image, 0, &sec), ELF_BAD_INDEX);
	CHECK_EQ(elf_image_symbol_find(&p.image, "main", &sym), ELF_NO_SYMBOL_TABLE);
	free(p.copy);
}

TEST(unaligned_buffer)
{
	struct sample s;
	sample_build(&s);
	uint8_t *raw = malloc(sizeof(s.bytes) + 1);
	memcpy(raw + 1, s.bytes, sizeof(s.bytes));
	struct elf_image image;
	CHECK_EQ(elf_image_init(&image, raw + 1, sizeof(s.bytes)), ELF_OK);
	struct elf_symbol sym;
	CHECK_EQ(elf_image_symbol_find(&image, "counter", &sym), ELF_OK);
	CHECK_EQ_U(sym.value, DATA_ADDRESS + 8);
	free(raw);
}

TEST(result_strings)
{
	char const *seen[ELF_BAD_INDEX + 1];
	for (int r = ELF_OK; r <= ELF_BAD_INDEX; r++) {
		seen[r] = elf_result_string((enum elf_result)r);
		CHECK(seen[r] != NULL && seen[r][0] != '\0');
		CHECK(strcmp(seen[r], "unknown ELF result") != 0);
		for (int q = 0; q < r; q++) CHECK(strcmp(seen[q], seen[r]) != 0);
	}
	CHECK_STR(elf_result_string((enum elf_result)(ELF_BAD_INDEX + 1)), "unknown ELF result");
	CHECK_STR(elf_result_string((enum elf_result) - 1), "unknown ELF result");
}

/* the test binary itself: a real (usually PIE) x86_64 executable */
static void *read_self(size_t *size)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	CHECK(f != NULL);
	size_t capacity = 1 << 20, used = 0;
	uint8_t *data = malloc(capacity);
	CHECK(data != NULL);
	for (;;) {
		size_t n = fread(data + used, 1, capacity - used, f);
		used += n;
		if (used < capacity) break;
		capacity *= 2;
		uint8_t *bigger = realloc(data, capacity);
		CHECK(bigger != NULL);
		data = bigger;
	}
	fclose(f);
	/* exactly sized, so a read past the end is an ASan report */
	uint8_t *exact = malloc(used);
	memcpy(exact, data, used);
	free(data);
	*size = used;
	return exact;
}

int test_elf_marker_function(void);
int test_elf_marker_function(void) { return 42; }

TEST(parses_own_executable)
{
	size_t size;
	void *self = read_self(&size);
	struct elf_image image;
	CHECK_EQ(elf_image_init(&image, self, size), ELF_OK);
	CHECK(image.type == ELF_TYPE_EXEC || image.type == ELF_TYPE_DYN);
	CHECK(image.load_count >= 1);
	CHECK(image.entry != 0);

	/* the entry point lies in an executable PT_LOAD */
	bool entry_found = false;
	for (unsigned i = 0; i < image.load_count; i++) {
		struct elf_segment seg;
		CHECK_EQ(elf_image_load_segment(&image, i, &seg), ELF_OK);
		CHECK(seg.filesz <= seg.memsz);
		CHECK(seg.offset + seg.filesz <= size);
		if ((seg.flags & ELF_SEGMENT_EXECUTABLE) && image.entry >= seg.vaddr &&
		    image.entry < seg.vaddr + seg.memsz)
			entry_found = true;
	}
	CHECK(entry_found);

	struct elf_section text;
	CHECK_EQ(elf_image_section_find(&image, ".text", &text), ELF_OK);
	CHECK_EQ(text.type, ELF_SECTION_PROGBITS);
	CHECK(text.size > 0);
	CHECK(image.entry >= text.addr && image.entry < text.addr + text.size);

	/*
	 * Two functions from different objects have the same load bias: the
	 * difference between where they run and what the symbol table says.
	 */
	struct elf_symbol marker, init;
	CHECK_EQ(elf_image_symbol_find(&image, "test_elf_marker_function", &marker), ELF_OK);
	CHECK_EQ(marker.type, ELF_SYMBOL_FUNC);
	CHECK_EQ(marker.binding, ELF_SYMBOL_GLOBAL);
	CHECK_EQ(elf_image_symbol_find(&image, "elf_image_init", &init), ELF_OK);
	uintptr_t bias = (uintptr_t)&test_elf_marker_function - marker.value;
	CHECK_EQ_U((uintptr_t)&elf_image_init - init.value, bias);
	CHECK_EQ_U(bias % 4096, 0);
	if (image.type == ELF_TYPE_EXEC) CHECK_EQ_U(bias, 0);

	struct elf_symbol none;
	CHECK_EQ(elf_image_symbol_find(&image, "no_such_symbol_in_this_binary", &none),
	         ELF_NOT_FOUND);
	free(self);
}

TEST(own_executable_truncated_is_rejected)
{
	size_t size;
	uint8_t *self = read_self(&size);
	/* a spread of cut points over the whole file; every one must fail cleanly */
	for (size_t cut = 0; cut < size; cut += 1 + cut / 7) {
		struct parsed p = parse(self, cut);
		CHECK(p.result != ELF_OK);
		free(p.copy);
	}
	free(self);
}
