/* SPDX-License-Identifier: MIT */
/**
 * \brief lexical helpers shared by the XML validator (xml_parse.c) and walker (xml.c)
 *
 * Not part of the public API: only xml.c and xml_parse.c include this.
 */

#ifndef _XML_PRIVATE_H_
#define _XML_PRIVATE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <util/string.h>
#include <util/xml.h>

/* the first byte of an element or attribute name (bytes >= 0x80: UTF-8) */
static inline bool xml_is_name_start(char c)
{
	return ascii_is_alpha(c) || c == '_' || c == ':' || (unsigned char)c >= 0x80;
}

/* any further byte of a name */
static inline bool xml_is_name_char(char c)
{
	return xml_is_name_start(c) || ascii_is_digit(c) || c == '-' || c == '.';
}

/* true if the span (start, length) equals the NUL-terminated text */
static inline bool xml_span_equals(char const *start, size_t length, char const *text)
{
	return length == string_length(text) && memory_compare(start, text, length) == 0;
}

enum xml_reference_result {
	XML_REFERENCE_OK = 0,    /* *code_point and *consumed are set */
	XML_REFERENCE_BAD,       /* unknown name, bad digits, no ';', invalid code point */
	XML_REFERENCE_TRUNCATED, /* the input ends inside the reference */
};

/*
 * Decode the reference at c[0] == '&' (&lt; &gt; &amp; &quot; &apos; &#N;
 * &#xH;), reading no more than `remaining` bytes.
 */
enum xml_reference_result xml_reference(char const *c, size_t remaining, uint32_t *code_point,
                                        size_t *consumed);

/*
 * The attribute after `c` in a start tag that the validator has accepted up
 * to `end` (exclusive): fills *attribute and returns the byte after its
 * closing quote, or NULL if no further attribute starts before `end`.
 */
char const *xml_tag_next_attribute(char const *c, char const *end,
                                   struct xml_attribute *attribute);

#endif /* _XML_PRIVATE_H_ */
