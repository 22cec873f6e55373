/* SPDX-License-Identifier: MIT */
/**
 * \brief zero-copy, validating XML node walker over a bounded buffer
 *
 * For init's config and GDB's target descriptions:
 *
 *     <config><start name="test"><resource name="RAM" quantum="8M"/></start></config>
 *
 * xml_parse() checks the whole document once and hands out the root element
 * as a node: a small value that points into the caller's buffer. Everything
 * else walks from nodes, copies nothing and allocates nothing; the buffer must
 * stay unchanged and alive as long as its nodes are used. Decoded text is
 * written only into bounded buffers the caller provides.
 *
 * The document ends after `length` bytes or at its first NUL byte (so a ROM
 * padded with zeros works); it need not be NUL-terminated and nothing reads
 * past its end. Accepted, around one root element: leading whitespace, a
 * UTF-8 byte-order mark, comments <!-- -->, processing instructions <? ?> and
 * one <!DOCTYPE ...> before the root. Inside elements: text, child elements,
 * comments, processing instructions, CDATA sections and the references &lt;
 * &gt; &amp; &quot; &apos; &#NNN; &#xHHH;. Attribute values are quoted with
 * " or ', may hold '>' but not '<', and are not whitespace-normalized. Nesting
 * is limited to XML_MAX_DEPTH open elements. Entities declared in a DOCTYPE
 * are not supported (such a reference is XML_PARSE_BAD_ENTITY).
 *
 * The walker functions take only nodes and attributes that came from this
 * interface for a document that xml_parse() accepted; they loop, never
 * recurse, and their cost is linear in the size of the node they look at.
 */

#ifndef _UTIL_XML_H_
#define _UTIL_XML_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { XML_MAX_DEPTH = 64 /* most elements open at the same time */ };

/** a span of bytes in the document */
struct xml_span
{
	char const *start;
	size_t length;
};

/** an element of a parsed document, passed by value */
struct xml_node
{
	char const *start; /* its '<' */
	size_t length;     /* bytes up to and including the last '>' of its end tag */
	char const *limit; /* end of the region its siblings live in */
};

/** an attribute of an element */
struct xml_attribute
{
	struct xml_span name;
	struct xml_span value; /* between the quotes, references not decoded */
};

/** results of xml_parse */
enum xml_parse_result {
	XML_PARSE_OK = 0,              /**< a well-formed document */
	XML_PARSE_NO_ROOT,             /**< no element at all */
	XML_PARSE_TRUNCATED,           /**< the input ends inside markup or before
	                                    the root element is closed */
	XML_PARSE_BAD_NAME,            /**< an element name is missing or malformed */
	XML_PARSE_BAD_TAG,             /**< a tag is malformed ('/' not before '>',
	                                    junk in an end tag) */
	XML_PARSE_BAD_ATTRIBUTE,       /**< malformed attribute: bad name, no '=',
	                                    no quote, '<' in the value, no
	                                    whitespace before it */
	XML_PARSE_DUPLICATE_ATTRIBUTE, /**< an attribute name occurs twice in a tag */
	XML_PARSE_MISMATCHED_TAG,      /**< an end tag does not close the open element */
	XML_PARSE_BAD_ENTITY,          /**< an unknown or malformed '&' reference */
	XML_PARSE_BAD_MARKUP,          /**< a malformed or misplaced comment,
	                                    processing instruction, CDATA section
	                                    or DOCTYPE, or "]]>" in text */
	XML_PARSE_TOO_DEEP,            /**< more than XML_MAX_DEPTH open elements */
	XML_PARSE_GARBAGE,             /**< text or a second element outside the
	                                    root element */
};

/** result of xml_parse: the root node, or where the document went wrong */
struct xml_parse_ret
{
	enum xml_parse_result result;
	struct xml_node root;  /* valid only if OK */
	size_t error_offset;   /* byte offset of the error (0 if OK) */
	unsigned error_line;   /* its line, from 1 (0 if OK) */
	unsigned error_column; /* its byte column in that line, from 1 (0 if OK) */
};

/**
 * Validate a whole document and return its root element.
 *
 * \param buffer  the document, not necessarily NUL-terminated (may be NULL
 *                only if length is 0); it stays the caller's
 * \param length  its size in bytes; a NUL byte ends it earlier
 */
struct xml_parse_ret xml_parse(char const *buffer, size_t length)
    __attribute__((warn_unused_result));

/** results of the functions that look things up in a node */
enum xml_access_result {
	XML_ACCESS_OK = 0,    /**< found (and converted) */
	XML_ACCESS_NOT_FOUND, /**< no such attribute, sub-node or sibling */
	XML_ACCESS_BAD_VALUE, /**< the value is not of the requested form */
	XML_ACCESS_OVERFLOW,  /**< the number does not fit 64 bits */
	XML_ACCESS_NO_SPACE,  /**< the decoded text does not fit the buffer */
};

struct xml_node_ret
{
	enum xml_access_result result;
	struct xml_node node; /* valid only if OK */
};

struct xml_attribute_ret
{
	enum xml_access_result result;
	struct xml_attribute attribute; /* valid only if OK */
};

struct xml_unsigned_ret
{
	enum xml_access_result result;
	uint64_t value; /* 0 unless OK */
};

struct xml_bool_ret
{
	enum xml_access_result result;
	bool value; /* false unless OK */
};

struct xml_copy_ret
{
	enum xml_access_result result;
	size_t length; /* bytes of the decoded text without NUL, also for
	                  NO_SPACE (so a caller can size its buffer) */
};

/** The element's name ("type"), e.g. "start" for <start name="x">. */
struct xml_span xml_node_type(struct xml_node node);

/** True if the element's name equals the NUL-terminated `type`. */
bool xml_node_has_type(struct xml_node node, char const *type);

/* ---- attributes ---- */

/**
 * The attribute called `name` (NUL-terminated).
 *
 * \return OK or NOT_FOUND
 */
struct xml_attribute_ret xml_node_attribute(struct xml_node node, char const *name)
    __attribute__((warn_unused_result));

/** True if the element has an attribute called `name`. */
bool xml_node_has_attribute(struct xml_node node, char const *name);

/**
 * The first attribute of the element, in document order.
 *
 * \return OK or NOT_FOUND (no attributes)
 */
struct xml_attribute_ret xml_node_attribute_first(struct xml_node node)
    __attribute__((warn_unused_result));

/**
 * The attribute after `previous`, which must be an attribute of `node`.
 *
 * \return OK or NOT_FOUND (it was the last)
 */
struct xml_attribute_ret xml_node_attribute_next(struct xml_node node,
                                                 struct xml_attribute previous)
    __attribute__((warn_unused_result));

/**
 * The value as an unsigned number, as util/arg_string reads numbers: decimal
 * or 0x hex, optional K/M/G suffix; no whitespace, no references.
 *
 * \return OK, BAD_VALUE or OVERFLOW
 */
struct xml_unsigned_ret xml_attribute_unsigned(struct xml_attribute attribute)
    __attribute__((warn_unused_result));

/**
 * The value as a boolean: "yes", "true", "on", "1" or "no", "false", "off", "0".
 *
 * \return OK or BAD_VALUE
 */
struct xml_bool_ret xml_attribute_bool(struct xml_attribute attribute)
    __attribute__((warn_unused_result));

/**
 * Copy the value with its references decoded (UTF-8 for &#...;) into `dst`.
 *
 * \param dst       buffer of dst_size bytes (may be NULL only if dst_size is 0)
 * \param dst_size  its size, room for the NUL included
 * \return          OK, or NO_SPACE (dst then holds "" if dst_size > 0)
 */
struct xml_copy_ret xml_attribute_decode(struct xml_attribute attribute, char *dst,
                                         size_t dst_size) __attribute__((warn_unused_result));

/** True if the decoded value equals the NUL-terminated `text`. */
bool xml_attribute_equals(struct xml_attribute attribute, char const *text);

/**
 * xml_attribute_unsigned of the attribute called `name`.
 *
 * \return OK, NOT_FOUND, BAD_VALUE or OVERFLOW
 */
struct xml_unsigned_ret xml_node_attribute_unsigned(struct xml_node node, char const *name)
    __attribute__((warn_unused_result));

/**
 * xml_attribute_bool of the attribute called `name`.
 *
 * \return OK, NOT_FOUND or BAD_VALUE
 */
struct xml_bool_ret xml_node_attribute_bool(struct xml_node node, char const *name)
    __attribute__((warn_unused_result));

/**
 * xml_attribute_decode of the attribute called `name`.
 *
 * \return OK, NOT_FOUND or NO_SPACE (dst then holds "" if dst_size > 0;
 *         with NOT_FOUND dst is unchanged)
 */
struct xml_copy_ret xml_node_attribute_string(struct xml_node node, char const *name, char *dst,
                                              size_t dst_size)
    __attribute__((warn_unused_result));

/* ---- sub-nodes and siblings ---- */

/** Number of child elements (comments, text and grandchildren not counted). */
size_t xml_node_sub_count(struct xml_node node);

/**
 * The child element number `index`, counting from 0 in document order.
 *
 * \return OK or NOT_FOUND
 */
struct xml_node_ret xml_node_sub_at(struct xml_node node, size_t index)
    __attribute__((warn_unused_result));

/** The first child element: xml_node_sub_at(node, 0). */
struct xml_node_ret xml_node_sub_first(struct xml_node node)
    __attribute__((warn_unused_result));

/**
 * The first child element named `type`.
 *
 * \return OK or NOT_FOUND
 */
struct xml_node_ret xml_node_sub_by_type(struct xml_node node, char const *type)
    __attribute__((warn_unused_result));

/**
 * The first child element named `type` whose attribute `name` has the
 * decoded value `value`, e.g. (config, "start", "name", "test").
 *
 * \return OK or NOT_FOUND
 */
struct xml_node_ret xml_node_sub_by_attribute(struct xml_node node, char const *type,
                                              char const *name, char const *value)
    __attribute__((warn_unused_result));

/**
 * The element after `node` with the same parent (for the root: none).
 *
 * \return OK or NOT_FOUND
 */
struct xml_node_ret xml_node_next(struct xml_node node) __attribute__((warn_unused_result));

/**
 * The first element after `node` with the same parent and named `type`.
 *
 * \return OK or NOT_FOUND
 */
struct xml_node_ret xml_node_next_by_type(struct xml_node node, char const *type)
    __attribute__((warn_unused_result));

/* ---- content ---- */

/**
 * Everything between the start tag and the end tag, as written (empty, at
 * the end of the tag, for <a/>).
 */
struct xml_span xml_node_content_raw(struct xml_node node);

/**
 * The text of the element itself, decoded into `dst`: character data with
 * references decoded and CDATA sections unwrapped; comments, processing
 * instructions and child elements (with their text) are left out.
 *
 * \return OK, or NO_SPACE (dst then holds "" if dst_size > 0)
 */
struct xml_copy_ret xml_node_content_decode(struct xml_node node, char *dst, size_t dst_size)
    __attribute__((warn_unused_result));

#endif /* _UTIL_XML_H_ */
