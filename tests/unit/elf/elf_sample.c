/* SPDX-License-Identifier: MIT */
/** \brief the hand-built sample executable shared by the util/elf tests */

#include <stdlib.h>

#include "elf_sample.h"
#include "unit_test.h"

char const sample_shstrtab[] = "\0.text\0.data\0.bss\0.shstrtab\0.strtab\0.symtab";
char const sample_strtab[] = "\0main\0counter\0undefined_one\0";
size_t const sample_shstrtab_size = sizeof(sample_shstrtab);
size_t const sample_strtab_size = sizeof(sample_strtab);

Elf64_Phdr *sample_program_header(struct sample *s, unsigned i)
{
	return (Elf64_Phdr *)(s->bytes + s->header.e_phoff) + i;
}

Elf64_Shdr *sample_section(struct sample *s, unsigned i)
{
	return (Elf64_Shdr *)(s->bytes + SECTION_HEADERS_OFFSET) + i;
}

Elf64_Sym *sample_symbol(struct sample *s, unsigned i)
{
	return (Elf64_Sym *)(s->bytes + SYMTAB_OFFSET) + i;
}

static unsigned name_offset(char const *table, size_t table_size, char const *name)
{
	for (size_t i = 0; i < table_size; i++)
		if (strcmp(table + i, name) == 0) return (unsigned)i;
	abort();
}

void sample_build(struct sample *s)
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
	memcpy(s->bytes + SHSTRTAB_OFFSET, sample_shstrtab, sizeof(sample_shstrtab));
	memcpy(s->bytes + STRTAB_OFFSET, sample_strtab, sizeof(sample_strtab));

#define NAME(n) name_offset(sample_shstrtab, sizeof(sample_shstrtab), n)
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
	    (Elf64_Shdr){ NAME(".shstrtab"),       SHT_STRTAB, 0, 0, SHSTRTAB_OFFSET,
		              sizeof(sample_shstrtab), 0,          0, 1, 0 };
	*sample_section(s, SECTION_STRTAB) =
	    (Elf64_Shdr){ NAME(".strtab"),       SHT_STRTAB, 0, 0, STRTAB_OFFSET,
		              sizeof(sample_strtab), 0,          0, 1, 0 };
	*sample_section(s, SECTION_SYMTAB) =
	    (Elf64_Shdr){ NAME(".symtab"),       SHT_SYMTAB,     0, 0, SYMTAB_OFFSET,
		              4 * sizeof(Elf64_Sym), SECTION_STRTAB, 1, 8, sizeof(Elf64_Sym) };
#undef NAME

#define SYMBOL(n) name_offset(sample_strtab, sizeof(sample_strtab), n)
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

struct parsed parse(void const *bytes, size_t size)
{
	struct parsed p = { .copy = malloc(size ? size : 1) };
	memcpy(p.copy, bytes, size);
	p.result = elf_image_init(&p.image, p.copy, size);
	return p;
}

enum elf_result parse_result(struct sample const *s)
{
	struct parsed p = parse(s->bytes, sizeof(s->bytes));
	free(p.copy);
	return p.result;
}

/* exercise every accessor; results may be errors, but nothing may go out of bounds */
void use_everything(struct elf_image const *image)
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
