/* SPDX-License-Identifier: MIT */
/**
 * \brief hybrid_image_mark: the note that marks a hybrid's binary, found in
 *        hand-built images and in this test's own executable
 *
 * Every image is parsed from an exactly-sized heap copy, so ASan reports any
 * read outside the file.
 */

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <base/hybrid.h>

#include "unit_test.h"

/* the marker, as the hybrid runtime defines it: this test binary is a marked one */
HYBRID_NOTE_DEFINE(test_hybrid_note);

enum {
	NOTES_OFFSET = 0x100,
	NOTES_MAX = 0x100,
	TEXT_ADDRESS = 0x400000,
};

/* a hand-built executable: one PT_LOAD (the header page), one PT_NOTE */
struct image
{
	uint8_t bytes[NOTES_OFFSET + NOTES_MAX];
	size_t notes_size;
};

static void image_init(struct image *image)
{
	memset(image, 0, sizeof(*image));
	Elf64_Ehdr *h = (Elf64_Ehdr *)image->bytes;
	memcpy(h->e_ident, ELFMAG, SELFMAG);
	h->e_ident[EI_CLASS] = ELFCLASS64;
	h->e_ident[EI_DATA] = ELFDATA2LSB;
	h->e_ident[EI_VERSION] = EV_CURRENT;
	h->e_type = ET_EXEC;
	h->e_machine = EM_X86_64;
	h->e_version = EV_CURRENT;
	h->e_entry = TEXT_ADDRESS + 0xf0;
	h->e_phoff = sizeof(Elf64_Ehdr);
	h->e_ehsize = sizeof(Elf64_Ehdr);
	h->e_phentsize = sizeof(Elf64_Phdr);
	h->e_phnum = 2;
}

/* append a note to the PT_NOTE segment, padded to `align` */
static void image_note(struct image *image, uint32_t type, char const *name, size_t name_size,
                       void const *desc, uint32_t desc_size, size_t align)
{
	uint8_t *at = image->bytes + NOTES_OFFSET + image->notes_size;
	uint32_t header[3] = { (uint32_t)name_size, desc_size, type };
	memcpy(at, header, sizeof(header));
	memcpy(at + 12, name, name_size);
	size_t desc_at = 12 + ((name_size + align - 1) & ~(align - 1));
	memcpy(at + desc_at, desc, desc_size);
	image->notes_size += desc_at + ((desc_size + align - 1) & ~(align - 1));
	CHECK(image->notes_size <= NOTES_MAX);
}

static void image_hybrid_note(struct image *image, uint32_t version, size_t align)
{
	image_note(image, HYBRID_NOTE_TYPE, HYBRID_NOTE_NAME, sizeof(HYBRID_NOTE_NAME), &version,
	           sizeof(version), align);
}

/* the mark of the image with its PT_NOTE segment of `align`, from an exact heap copy */
static enum hybrid_mark image_mark(struct image *image, uint64_t align)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(image->bytes + sizeof(Elf64_Ehdr));
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD,
		                  .p_flags = PF_R | PF_X,
		                  .p_vaddr = TEXT_ADDRESS,
		                  .p_filesz = NOTES_OFFSET,
		                  .p_memsz = NOTES_OFFSET,
		                  .p_align = 0x1000 };
	ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE,
		                  .p_flags = PF_R,
		                  .p_offset = NOTES_OFFSET,
		                  .p_vaddr = TEXT_ADDRESS + NOTES_OFFSET,
		                  .p_filesz = image->notes_size,
		                  .p_memsz = image->notes_size,
		                  .p_align = align };
	size_t size = NOTES_OFFSET + image->notes_size;
	uint8_t *copy = malloc(size);
	memcpy(copy, image->bytes, size);
	struct elf_image elf;
	CHECK_EQ(elf_image_init(&elf, copy, size), ELF_OK);
	enum hybrid_mark mark = hybrid_image_mark(&elf);
	free(copy);
	return mark;
}

TEST(note_among_others_is_found)
{
	struct image image;
	image_init(&image);
	uint8_t build_id[20] = { 1, 2, 3 };
	image_note(&image, NT_GNU_BUILD_ID, "GNU", 4, build_id, sizeof(build_id), 4);
	image_hybrid_note(&image, HYBRID_NOTE_VERSION, 4);
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_OK);
}

TEST(note_in_an_eight_byte_aligned_segment_is_found)
{
	struct image image;
	image_init(&image);
	uint32_t property[3] = { 0xc0000002, 4, 3 };
	image_note(&image, NT_GNU_PROPERTY_TYPE_0, "GNU", 4, property, sizeof(property), 8);
	image_hybrid_note(&image, HYBRID_NOTE_VERSION, 8);
	CHECK_EQ(image_mark(&image, 8), HYBRID_MARK_OK);
}

TEST(other_version_is_told_apart)
{
	struct image image;
	image_init(&image);
	image_hybrid_note(&image, HYBRID_NOTE_VERSION + 1, 4);
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_OTHER_VERSION);
}

TEST(near_misses_are_no_mark)
{
	struct image image;
	uint32_t version = HYBRID_NOTE_VERSION;
	uint64_t wide = HYBRID_NOTE_VERSION;

	image_init(&image); /* no note at all */
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_NONE);

	image_init(&image);
	image_note(&image, HYBRID_NOTE_TYPE + 1, HYBRID_NOTE_NAME, sizeof(HYBRID_NOTE_NAME),
	           &version, sizeof(version), 4);
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_NONE);

	image_init(&image);
	image_note(&image, HYBRID_NOTE_TYPE, "Vitrinf", 8, &version, sizeof(version), 4);
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_NONE);

	image_init(&image); /* the name without its NUL */
	image_note(&image, HYBRID_NOTE_TYPE, HYBRID_NOTE_NAME, sizeof(HYBRID_NOTE_NAME) - 1,
	           &version, sizeof(version), 4);
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_NONE);

	image_init(&image);
	image_note(&image, HYBRID_NOTE_TYPE, HYBRID_NOTE_NAME, sizeof(HYBRID_NOTE_NAME), &wide,
	           sizeof(wide), 4);
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_NONE);
}

TEST(notes_running_past_their_segment_end_the_search)
{
	struct image image;
	/* a first note whose sizes leave the segment: the marker after it is not reached */
	for (uint32_t size = 1; size < 0x400; size += 0x3b) {
		image_init(&image);
		image_hybrid_note(&image, HYBRID_NOTE_VERSION, 4);
		image_hybrid_note(&image, HYBRID_NOTE_VERSION, 4);
		memcpy(image.bytes + NOTES_OFFSET + 4, &size, sizeof(size));
		enum hybrid_mark mark = image_mark(&image, 4);
		/* the first note's description (at 20) must end inside the segment */
		if (20 + size > image.notes_size) CHECK_EQ(mark, HYBRID_MARK_NONE);
	}
	uint32_t huge = 0xffffffff;
	image_init(&image);
	image_hybrid_note(&image, HYBRID_NOTE_VERSION, 4);
	memcpy(image.bytes + NOTES_OFFSET, &huge, sizeof(huge));
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_NONE);
	image_init(&image);
	image_hybrid_note(&image, HYBRID_NOTE_VERSION, 4);
	memcpy(image.bytes + NOTES_OFFSET + 4, &huge, sizeof(huge));
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_NONE);

	/* every truncation of a marked segment: never a read outside, a mark only when whole */
	image_init(&image);
	image_hybrid_note(&image, HYBRID_NOTE_VERSION, 4);
	size_t whole = image.notes_size;
	for (size_t cut = 0; cut < whole; cut++) {
		image.notes_size = cut;
		CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_NONE);
	}
	image.notes_size = whole;
	CHECK_EQ(image_mark(&image, 4), HYBRID_MARK_OK);
}

/* the linker turns HYBRID_NOTE_DEFINE into a PT_NOTE entry of this very program */
TEST(own_executable_carries_the_note)
{
	FILE *file = fopen("/proc/self/exe", "rb");
	CHECK(file != NULL);
	CHECK_EQ(fseek(file, 0, SEEK_END), 0);
	long size = ftell(file);
	CHECK(size > 0);
	rewind(file);
	uint8_t *bytes = malloc((size_t)size);
	CHECK_EQ(fread(bytes, 1, (size_t)size, file), (size_t)size);
	fclose(file);

	struct elf_image elf;
	CHECK_EQ(elf_image_init(&elf, bytes, (size_t)size), ELF_OK);
	CHECK_EQ(hybrid_image_mark(&elf), HYBRID_MARK_OK);
	CHECK_EQ(test_hybrid_note.version, HYBRID_NOTE_VERSION);

	/* the same file with the note's version changed */
	uint8_t *at = memmem(bytes, (size_t)size, &test_hybrid_note, sizeof(test_hybrid_note));
	CHECK(at != NULL);
	at[offsetof(struct hybrid_note, version)] ^= 0xff;
	CHECK_EQ(hybrid_image_mark(&elf), HYBRID_MARK_OTHER_VERSION);
	free(bytes);
}
