/* SPDX-License-Identifier: MIT */
/** \brief hybrid: the note that marks a hybrid component's binary */

#include <base/hybrid.h>
#include <util/string.h>

enum {
	HYBRID_ELF_SEGMENT_NOTE = 4, /* PT_NOTE */
	HYBRID_NOTE_HEADER_SIZE = 12,
};

static uint64_t hybrid_note_pad(uint64_t size, uint64_t align)
{
	return (size + align - 1) & ~(align - 1);
}

static uint32_t hybrid_word(uint8_t const *bytes)
{
	uint32_t word;
	memory_copy(&word, bytes, sizeof(word));
	return word;
}

/* the notes of one PT_NOTE segment; 8-byte aligned segments pad to 8 (GNU properties) */
static enum hybrid_mark hybrid_segment_mark(struct elf_segment const *segment)
{
	uint8_t const *bytes = segment->bytes;
	uint64_t const size = segment->filesz;
	uint64_t const align = segment->align == 8 ? 8 : 4;
	uint64_t const name_size = sizeof(HYBRID_NOTE_NAME);

	for (uint64_t at = 0; size - at >= HYBRID_NOTE_HEADER_SIZE;) {
		uint32_t const namesz = hybrid_word(bytes + at);
		uint32_t const descsz = hybrid_word(bytes + at + 4);
		uint32_t const type = hybrid_word(bytes + at + 8);
		/* 32-bit sizes in a 64-bit sum: no wrap */
		uint64_t const name_at = at + HYBRID_NOTE_HEADER_SIZE;
		uint64_t const desc_at = name_at + hybrid_note_pad(namesz, align);
		uint64_t const next = desc_at + hybrid_note_pad(descsz, align);
		if (desc_at + descsz > size || name_at + namesz > size) return HYBRID_MARK_NONE;

		if (type == HYBRID_NOTE_TYPE && namesz == name_size && descsz == sizeof(uint32_t) &&
		    memory_compare(bytes + name_at, HYBRID_NOTE_NAME, name_size) == 0)
			return hybrid_word(bytes + desc_at) == HYBRID_NOTE_VERSION
			           ? HYBRID_MARK_OK
			           : HYBRID_MARK_OTHER_VERSION;
		if (next >= size) break;
		at = next;
	}
	return HYBRID_MARK_NONE;
}

enum hybrid_mark hybrid_image_mark(struct elf_image const *image)
{
	for (unsigned i = 0; i < image->program_count; i++) {
		struct elf_segment segment;
		if (elf_image_program_header(image, i, &segment) != ELF_OK ||
		    segment.type != HYBRID_ELF_SEGMENT_NOTE)
			continue;
		enum hybrid_mark mark = hybrid_segment_mark(&segment);
		if (mark != HYBRID_MARK_NONE) return mark;
	}
	return HYBRID_MARK_NONE;
}
