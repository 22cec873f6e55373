/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of util/elf: a hand-built image, malformed variants of it,
 *        every truncation, byte-wise corruption, and the test binary itself
 *
 * The images are built with the host's <elf.h>, an independent description
 * of the format. Every parse runs on an exactly-sized heap copy, so ASan
 * reports any read outside the file.
 */

#include <elf.h>
#include <stdlib.h>

#include <util/elf.h>

#include "unit_test.h"

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

static char const shstrtab[] = "\0.text\0.data\0.bss\0.shstrtab\0.strtab\0.symtab";
static char const strtab[] = "\0main\0counter\0undefined_one\0";

struct sample
{
	union
	{
		uint8_t bytes[IMAGE_SIZE];
		Elf64_Ehdr header;
	};
};

static Elf64_Phdr *sample_program_header(struct sample *s, unsigned i)
{
	return (Elf64_Phdr *)(s->bytes + s->header.e_phoff) + i;
}

static Elf64_Shdr *sample_section(struct sample *s, unsigned i)
{
	return (Elf64_Shdr *)(s->bytes + SECTION_HEADERS_OFFSET) + i;
}

static Elf64_Sym *sample_symbol(struct sample *s, unsigned i)
{
	return (Elf64_Sym *)(s->bytes + SYMTAB_OFFSET) + i;
}

static unsigned name_offset(char const *table, size_t table_size, char const *name)
{
	for (size_t i = 0; i < table_size; i++)
		if (strcmp(table + i, name) == 0) return (unsigned)i;
	abort();
}

static void sample_build(struct sample *s)
{
	memset(s, 0, sizeof(*s));
	Elf64_Ehdr *h = &s->header;
	memcpy(h->e_ident, ELFMAG, SELFMAG);
	h->e_ident[EI_CLASS] = ELFCLASS64;
	h->e_ident[EI_DATA] = ELFDATA2LSB;
	h->e_ident[EI_VERSION] = EV_CURRENT;
	h->e_ident[EI_OSABI] = ELFOSABI_SYSV;
	h->e_type = ET_EXEC;
	h->e_machine = EM_X86_64;
	h->e_version = EV_CURRENT;
	h->e_entry = TEXT_ADDRESS + 4;
	h->e_phoff = sizeof(Elf64_Ehdr);
	h->e_shoff = SECTION_HEADERS_OFFSET;
	h->e_ehsize = sizeof(Elf64_Ehdr);
	h->e_phentsize = sizeof(Elf64_Phdr);
	h->e_phnum = 2;
	h->e_shentsize = sizeof(Elf64_Shdr);
	h->e_shnum = SECTION_COUNT;
	h->e_shstrndx = SECTION_SHSTRTAB;

	*sample_program_header(s, 0) = (Elf64_Phdr){ .p_type = PT_LOAD,
		                                         .p_flags = PF_R | PF_X,
		                                         .p_offset = 0,
		                                         .p_vaddr = 0x400000,
		                                         .p_paddr = 0x400000,
		                                         .p_filesz = DATA_OFFSET,
		                                         .p_memsz = DATA_OFFSET,
		                                         .p_align = 0x1000 };
	*sample_program_header(s, 1) = (Elf64_Phdr){ .p_type = PT_LOAD,
		                                         .p_flags = PF_R | PF_W,
		                                         .p_offset = DATA_OFFSET,
		                                         .p_vaddr = DATA_ADDRESS,
		                                         .p_paddr = DATA_ADDRESS,
		                                         .p_filesz = 0x10,
		                                         .p_memsz = 0x30,
		                                         .p_align = 0x1000 };

	memset(s->bytes + TEXT_OFFSET, 0x90, 16); /* nops */
	memset(s->bytes + DATA_OFFSET, 0x5a, 16);
	memcpy(s->bytes + SHSTRTAB_OFFSET, shstrtab, sizeof(shstrtab));
	memcpy(s->bytes + STRTAB_OFFSET, strtab, sizeof(strtab));

#define NAME(n) name_offset(shstrtab, sizeof(shstrtab), n)
	*sample_section(s, SECTION_TEXT) = (Elf64_Shdr){ NAME(".text"),
		                                             SHT_PROGBITS,
		                                             SHF_ALLOC | SHF_EXECINSTR,
		                                             TEXT_ADDRESS,
		                                             TEXT_OFFSET,
		                                             16,
		                                             0,
		                                             0,
		                                             16,
		                                             0 };
	*sample_section(s, SECTION_DATA) = (Elf64_Shdr){ NAME(".data"),
		                                             SHT_PROGBITS,
		                                             SHF_ALLOC | SHF_WRITE,
		                                             DATA_ADDRESS,
		                                             DATA_OFFSET,
		                                             16,
		                                             0,
		                                             0,
		                                             8,
		                                             0 };
	*sample_section(s, SECTION_BSS) = (Elf64_Shdr){ NAME(".bss"),
		                                            SHT_NOBITS,
		                                            SHF_ALLOC | SHF_WRITE,
		                                            DATA_ADDRESS + 16,
		                                            SHSTRTAB_OFFSET,
		                                            0x20,
		                                            0,
		                                            0,
		                                            8,
		                                            0 };
	*sample_section(s, SECTION_SHSTRTAB) =
	    (Elf64_Shdr){ NAME(".shstrtab"), SHT_STRTAB, 0, 0, SHSTRTAB_OFFSET,
		              sizeof(shstrtab),  0,          0, 1, 0 };
	*sample_section(s, SECTION_STRTAB) =
	    (Elf64_Shdr){ NAME(".strtab"), SHT_STRTAB, 0, 0, STRTAB_OFFSET,
		              sizeof(strtab),  0,          0, 1, 0 };
	*sample_section(s, SECTION_SYMTAB) =
	    (Elf64_Shdr){ NAME(".symtab"),       SHT_SYMTAB,     0, 0, SYMTAB_OFFSET,
		              4 * sizeof(Elf64_Sym), SECTION_STRTAB, 1, 8, sizeof(Elf64_Sym) };
#undef NAME

#define SYMBOL(n) name_offset(strtab, sizeof(strtab), n)
	*sample_symbol(s, 1) = (Elf64_Sym){ SYMBOL("main"),
		                                ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
		                                0,
		                                SECTION_TEXT,
		                                TEXT_ADDRESS + 4,
		                                12 };
	*sample_symbol(s, 2) = (Elf64_Sym){ SYMBOL("counter"),
		                                ELF64_ST_INFO(STB_LOCAL, STT_OBJECT),
		                                0,
		                                SECTION_DATA,
		                                DATA_ADDRESS + 8,
		                                8 };
	*sample_symbol(s, 3) = (Elf64_Sym){
		SYMBOL("undefined_one"), ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), 0, SHN_UNDEF, 0, 0
	};
#undef SYMBOL
}

/* parse an exactly-sized heap copy of the first `size` bytes */
struct parsed
{
	enum elf_result result;
	struct elf_image image;
	void *copy;
};

static struct parsed parse(void const *bytes, size_t size)
{
	struct parsed p = { .copy = malloc(size ? size : 1) };
	memcpy(p.copy, bytes, size);
	p.result = elf_image_init(&p.image, p.copy, size);
	return p;
}

static enum elf_result parse_result(struct sample const *s)
{
	struct parsed p = parse(s->bytes, sizeof(s->bytes));
	free(p.copy);
	return p.result;
}

/* exercise every accessor; results may be errors, but nothing may go out of bounds */
static void use_everything(struct elf_image const *image)
{
	struct elf_segment segment;
	struct elf_section section;
	struct elf_symbol symbol;
	volatile uint8_t sink = 0;

	for (unsigned i = 0; i <= image->load_count; i++) {
		if (elf_image_load_segment(image, i, &segment) != ELF_OK) continue;
		CHECK(segment.filesz <= segment.memsz);
		for (uint64_t b = 0; b < segment.filesz; b++)
			sink ^= ((uint8_t const *)segment.bytes)[b];
	}
	for (unsigned i = 0; i <= image->program_count; i++)
		if (elf_image_program_header(image, i, &segment) == ELF_OK)
			for (uint64_t b = 0; b < segment.filesz; b++)
				sink ^= ((uint8_t const *)segment.bytes)[b];
	for (unsigned i = 0; i <= image->section_count; i++) {
		if (elf_image_section(image, i, &section) != ELF_OK) continue;
		sink ^= (uint8_t)strlen(section.name);
		if (section.bytes)
			for (uint64_t b = 0; b < section.size; b++)
				sink ^= ((uint8_t const *)section.bytes)[b];
	}
	char const *names[] = { ".text", ".data", ".bss", ".symtab", ".nothing", "" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (elf_image_section_find(image, names[i], &section) == ELF_OK)
			sink ^= (uint8_t)strlen(section.name);
		if (elf_image_symbol_find(image, names[i], &symbol) == ELF_OK)
			sink ^= (uint8_t)strlen(symbol.name);
	}
	char const *symbols[] = { "main", "counter", "undefined_one", "absent" };
	for (size_t i = 0; i < sizeof(symbols) / sizeof(*symbols); i++)
		if (elf_image_symbol_find(image, symbols[i], &symbol) == ELF_OK)
			sink ^= (uint8_t)strlen(symbol.name);
	(void)sink;
}

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

TEST(header_checks)
{
	struct sample s;
#define EXPECT(change, result)              \
	do {                                    \
		sample_build(&s);                   \
		change;                             \
		CHECK_EQ(parse_result(&s), result); \
	} while (0)
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
	EXPECT_LOOKUP(SH(SECTION_DATA)->sh_name = sizeof(shstrtab), ".data", ELF_BAD_SECTION,
	              "main", ELF_BAD_SECTION);
	EXPECT_LOOKUP(SH(SECTION_DATA)->sh_name = UINT32_MAX, ".data", ELF_BAD_SECTION, "main",
	              ELF_BAD_SECTION);
	/* the last name is cut off: no NUL inside the table */
	EXPECT_LOOKUP(SH(SECTION_SHSTRTAB)->sh_size = sizeof(shstrtab) - 1, ".text", ELF_OK, "main",
	              ELF_BAD_SECTION);
	EXPECT_LOOKUP(SH(SECTION_SHSTRTAB)->sh_size = sizeof(shstrtab) - 1, ".symtab",
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
	EXPECT_LOOKUP(sample_symbol(&s, 1)->st_name = sizeof(strtab), ".text", ELF_OK, "main",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(sample_symbol(&s, 1)->st_name = UINT32_MAX, ".text", ELF_OK, "counter",
	              ELF_BAD_SYMBOL_TABLE);
	EXPECT_LOOKUP(SH(SECTION_STRTAB)->sh_size = sizeof(strtab) - 2, ".text", ELF_OK,
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
