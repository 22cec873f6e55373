/* SPDX-License-Identifier: MIT */
/** \brief XML node walker: navigation, attributes and decoding over validated documents */

#include <util/arg_string.h>
#include <util/string.h>
#include <util/xml.h>

#include "xml_private.h"

/*
 * Everything here reads only documents that xml_parse() (xml_parse.c)
 * accepted, so it relies on their structure (every tag ends in '>', every
 * quote is closed, every reference is valid), yet it still never steps past
 * the node or limit it was given. Nothing recurses: nesting is followed with
 * a depth counter.
 */

/* the reference at c[0] == '&': its code point and its length in bytes */
enum xml_reference_result xml_reference(char const *c, size_t remaining, uint32_t *code_point,
                                        size_t *consumed)
{
	size_t i = 1;
	if (i < remaining && c[i] == '#') {
		bool hex = ++i < remaining && c[i] == 'x';
		if (hex) i++;
		size_t digits = i;
		uint32_t value = 0;
		while (i < remaining && (hex ? ascii_is_hex_digit(c[i]) : ascii_is_digit(c[i]))) {
			value = value * (hex ? 16 : 10) + (uint32_t)ascii_hex_digit_value(c[i]);
			if (value > 0x10ffff) value = 0x110000; /* clamped: invalid anyway */
			i++;
		}
		if (i == remaining) return XML_REFERENCE_TRUNCATED;
		if (i == digits || c[i] != ';') return XML_REFERENCE_BAD;
		if (value == 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
			return XML_REFERENCE_BAD;
		*code_point = value;
		*consumed = i + 1;
		return XML_REFERENCE_OK;
	}

	static struct
	{
		char const *name;
		char value;
	} const named[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' }
	};
	size_t name = i;
	while (i < remaining && ascii_is_alpha(c[i]) && i - name < 5) i++;
	if (i == remaining) return XML_REFERENCE_TRUNCATED;
	if (c[i] != ';') return XML_REFERENCE_BAD;
	for (size_t n = 0; n < sizeof(named) / sizeof(named[0]); n++) {
		if (xml_span_equals(c + name, i - name, named[n].name)) {
			*code_point = (uint32_t)named[n].value;
			*consumed = i + 1;
			return XML_REFERENCE_OK;
		}
	}
	return XML_REFERENCE_BAD;
}

static char const *xml_node_end(struct xml_node node) { return node.start + node.length; }

char const *xml_tag_next_attribute(char const *c, char const *end,
                                   struct xml_attribute *attribute)
{
	while (c < end && ascii_is_space(*c)) c++;
	if (c == end || !xml_is_name_start(*c)) return NULL;
	attribute->name.start = c;
	while (c < end && xml_is_name_char(*c)) c++;
	attribute->name.length = (size_t)(c - attribute->name.start);
	while (c < end && *c != '"' && *c != '\'') c++; /* past spaces and '=' */
	if (c == end) return NULL;
	char quote = *c++;
	attribute->value.start = c;
	while (c < end && *c != quote) c++;
	if (c == end) return NULL;
	attribute->value.length = (size_t)(c - attribute->value.start);
	return c + 1;
}

/* past the '>' of the tag at `tag` ('<'), whose quotes may hold '>' */
static char const *xml_tag_end(char const *tag, char const *limit, bool *empty)
{
	char quote = 0;
	*empty = false;
	for (char const *c = tag + 1; c < limit; c++) {
		if (quote) {
			if (*c == quote) quote = 0;
		} else if (*c == '"' || *c == '\'') {
			quote = *c;
		} else if (*c == '>') {
			*empty = c[-1] == '/';
			return c + 1;
		}
	}
	return limit;
}

/* past the next `literal` from c, or limit */
static char const *xml_skip_past(char const *c, char const *limit, char const *literal)
{
	size_t length = string_length(literal);
	for (; (size_t)(limit - c) >= length; c++)
		if (memory_compare(c, literal, length) == 0) return c + length;
	return limit;
}

/* past the comment, instruction or CDATA section at c ("<!" or "<?") */
static char const *xml_skip_special(char const *c, char const *limit)
{
	if (c[1] == '?') return xml_skip_past(c + 2, limit, "?>");
	if ((size_t)(limit - c) >= 4 && c[2] == '-') return xml_skip_past(c + 4, limit, "-->");
	return xml_skip_past(c + 2, limit, "]]>");
}

/* past the end of the element whose start tag is at `tag` */
static char const *xml_element_end(char const *tag, char const *limit)
{
	size_t depth = 0;
	char const *c = tag;
	while (c < limit) {
		if (*c != '<') {
			c++;
			continue;
		}
		if (c + 1 == limit) break;
		if (c[1] == '!' || c[1] == '?') {
			c = xml_skip_special(c, limit);
		} else if (c[1] == '/') {
			c = xml_skip_past(c, limit, ">");
			if (--depth == 0) return c;
		} else {
			bool empty;
			c = xml_tag_end(c, limit, &empty);
			if (!empty)
				depth++;
			else if (depth == 0)
				return c;
		}
	}
	return limit;
}

/* the next start tag from c on, skipping text and specials; NULL at an end tag */
static char const *xml_next_element(char const *c, char const *limit)
{
	while (c < limit) {
		if (*c != '<') {
			c++;
			continue;
		}
		if (c + 1 == limit || c[1] == '/') return NULL;
		if (c[1] != '!' && c[1] != '?') return c;
		c = xml_skip_special(c, limit);
	}
	return NULL;
}

/* the content of a node: from its start tag's end to its end tag's '<' */
static struct xml_span xml_node_content(struct xml_node node)
{
	char const *end = xml_node_end(node);
	bool empty;
	char const *start = xml_tag_end(node.start, end, &empty);
	if (empty) return (struct xml_span){ end, 0 };
	char const *close = end;
	while (close > start && *--close != '<') {}
	return (struct xml_span){ start, (size_t)(close - start) };
}

static struct xml_node_ret xml_node_found(char const *tag, char const *limit)
{
	struct xml_node_ret ret = { XML_ACCESS_NOT_FOUND, { NULL, 0, NULL } };
	if (!tag) return ret;
	ret.result = XML_ACCESS_OK;
	ret.node = (struct xml_node){ tag, (size_t)(xml_element_end(tag, limit) - tag), limit };
	return ret;
}

struct xml_span xml_node_type(struct xml_node node)
{
	char const *end = xml_node_end(node), *c = node.start + 1;
	while (c < end && xml_is_name_char(*c)) c++;
	return (struct xml_span){ node.start + 1, (size_t)(c - node.start - 1) };
}

bool xml_node_has_type(struct xml_node node, char const *type)
{
	struct xml_span name = xml_node_type(node);
	return xml_span_equals(name.start, name.length, type);
}

/* ---- attributes ---- */

/* the start tag of node, from the end of its name to its '>' */
static struct xml_span xml_node_attribute_area(struct xml_node node)
{
	struct xml_span name = xml_node_type(node);
	bool empty;
	char const *start = name.start + name.length;
	char const *end = xml_tag_end(node.start, xml_node_end(node), &empty);
	return (struct xml_span){ start, (size_t)(end - start) };
}

struct xml_attribute_ret xml_node_attribute_first(struct xml_node node)
{
	struct xml_attribute_ret ret = { XML_ACCESS_NOT_FOUND, { { NULL, 0 }, { NULL, 0 } } };
	struct xml_span area = xml_node_attribute_area(node);
	if (xml_tag_next_attribute(area.start, area.start + area.length, &ret.attribute))
		ret.result = XML_ACCESS_OK;
	return ret;
}

struct xml_attribute_ret xml_node_attribute_next(struct xml_node node,
                                                 struct xml_attribute previous)
{
	struct xml_attribute_ret ret = { XML_ACCESS_NOT_FOUND, { { NULL, 0 }, { NULL, 0 } } };
	struct xml_span area = xml_node_attribute_area(node);
	char const *after = previous.value.start + previous.value.length + 1;
	if (xml_tag_next_attribute(after, area.start + area.length, &ret.attribute))
		ret.result = XML_ACCESS_OK;
	return ret;
}

struct xml_attribute_ret xml_node_attribute(struct xml_node node, char const *name)
{
	struct xml_attribute_ret ret = { XML_ACCESS_NOT_FOUND, { { NULL, 0 }, { NULL, 0 } } };
	struct xml_span area = xml_node_attribute_area(node);
	char const *c = area.start, *end = area.start + area.length;
	struct xml_attribute attribute;
	while ((c = xml_tag_next_attribute(c, end, &attribute)) != NULL) {
		if (xml_span_equals(attribute.name.start, attribute.name.length, name)) {
			ret.result = XML_ACCESS_OK;
			ret.attribute = attribute;
			break;
		}
	}
	return ret;
}

bool xml_node_has_attribute(struct xml_node node, char const *name)
{
	return xml_node_attribute(node, name).result == XML_ACCESS_OK;
}

struct xml_unsigned_ret xml_attribute_unsigned(struct xml_attribute attribute)
{
	struct arg_string_unsigned_ret number =
	    arg_string_parse_unsigned(attribute.value.start, attribute.value.length);
	struct xml_unsigned_ret ret = { XML_ACCESS_OK, number.value };
	if (number.result == ARG_STRING_OVERFLOW)
		ret.result = XML_ACCESS_OVERFLOW;
	else if (number.result != ARG_STRING_OK)
		ret.result = XML_ACCESS_BAD_VALUE;
	return ret;
}

struct xml_bool_ret xml_attribute_bool(struct xml_attribute attribute)
{
	static char const *const yes[] = { "yes", "true", "on", "1" };
	static char const *const no[] = { "no", "false", "off", "0" };
	struct xml_bool_ret ret = { XML_ACCESS_BAD_VALUE, false };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (xml_span_equals(attribute.value.start, attribute.value.length, yes[i]))
			return (struct xml_bool_ret){ XML_ACCESS_OK, true };
		if (xml_span_equals(attribute.value.start, attribute.value.length, no[i]))
			return (struct xml_bool_ret){ XML_ACCESS_OK, false };
	}
	return ret;
}

/* ---- decoding ---- */

/* where decoded bytes go: into a bounded buffer, or compared against a text */
struct xml_sink
{
	char *dst;
	size_t dst_size;
	char const *expect; /* compare instead of copy if set */
	size_t expect_length;
	size_t length; /* bytes produced so far, also past dst_size */
	bool mismatch;
};

static void xml_sink_put(struct xml_sink *sink, char const *bytes, size_t n)
{
	if (sink->expect) {
		if (!sink->mismatch && (sink->length + n > sink->expect_length ||
		                        memory_compare(sink->expect + sink->length, bytes, n)))
			sink->mismatch = true;
	} else if (sink->length + n < sink->dst_size) {
		memory_copy(sink->dst + sink->length, bytes, n);
	}
	sink->length += n;
}

static size_t xml_utf8_encode(uint32_t code_point, char *out)
{
	if (code_point < 0x80) {
		out[0] = (char)code_point;
		return 1;
	}
	if (code_point < 0x800) {
		out[0] = (char)(0xc0 | (code_point >> 6));
		out[1] = (char)(0x80 | (code_point & 0x3f));
		return 2;
	}
	if (code_point < 0x10000) {
		out[0] = (char)(0xe0 | (code_point >> 12));
		out[1] = (char)(0x80 | ((code_point >> 6) & 0x3f));
		out[2] = (char)(0x80 | (code_point & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (code_point >> 18));
	out[1] = (char)(0x80 | ((code_point >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((code_point >> 6) & 0x3f));
	out[3] = (char)(0x80 | (code_point & 0x3f));
	return 4;
}

/* decode text with references (valid, from the validator) from c to end */
static void xml_decode(struct xml_sink *sink, char const *c, char const *end)
{
	while (c < end) {
		char const *run = c;
		while (c < end && *c != '&') c++;
		if (c > run) xml_sink_put(sink, run, (size_t)(c - run));
		if (c == end) break;

		uint32_t code_point = 0;
		size_t consumed = 0;
		if (xml_reference(c, (size_t)(end - c), &code_point, &consumed) != XML_REFERENCE_OK) {
			xml_sink_put(sink, c, 1); /* unreachable for valid documents */
			c++;
			continue;
		}
		char utf8[4];
		xml_sink_put(sink, utf8, xml_utf8_encode(code_point, utf8));
		c += consumed;
	}
}

/* finish a copying sink: NUL-terminate, or empty dst on overflow */
static struct xml_copy_ret xml_sink_finish(struct xml_sink *sink)
{
	struct xml_copy_ret ret = { XML_ACCESS_OK, sink->length };
	if (sink->length >= sink->dst_size) {
		ret.result = XML_ACCESS_NO_SPACE;
		if (sink->dst_size > 0) sink->dst[0] = '\0';
	} else {
		sink->dst[sink->length] = '\0';
	}
	return ret;
}

struct xml_copy_ret xml_attribute_decode(struct xml_attribute attribute, char *dst,
                                         size_t dst_size)
{
	struct xml_sink sink = { .dst = dst, .dst_size = dst_size };
	xml_decode(&sink, attribute.value.start, attribute.value.start + attribute.value.length);
	return xml_sink_finish(&sink);
}

bool xml_attribute_equals(struct xml_attribute attribute, char const *text)
{
	struct xml_sink sink = { .expect = text, .expect_length = string_length(text) };
	xml_decode(&sink, attribute.value.start, attribute.value.start + attribute.value.length);
	return !sink.mismatch && sink.length == sink.expect_length;
}

struct xml_unsigned_ret xml_node_attribute_unsigned(struct xml_node node, char const *name)
{
	struct xml_attribute_ret found = xml_node_attribute(node, name);
	if (found.result != XML_ACCESS_OK) return (struct xml_unsigned_ret){ found.result, 0 };
	return xml_attribute_unsigned(found.attribute);
}

struct xml_bool_ret xml_node_attribute_bool(struct xml_node node, char const *name)
{
	struct xml_attribute_ret found = xml_node_attribute(node, name);
	if (found.result != XML_ACCESS_OK) return (struct xml_bool_ret){ found.result, false };
	return xml_attribute_bool(found.attribute);
}

struct xml_copy_ret xml_node_attribute_string(struct xml_node node, char const *name, char *dst,
                                              size_t dst_size)
{
	struct xml_attribute_ret found = xml_node_attribute(node, name);
	if (found.result != XML_ACCESS_OK) return (struct xml_copy_ret){ found.result, 0 };
	return xml_attribute_decode(found.attribute, dst, dst_size);
}

/* ---- sub-nodes and siblings ---- */

struct xml_node_ret xml_node_sub_at(struct xml_node node, size_t index)
{
	struct xml_span content = xml_node_content(node);
	char const *limit = content.start + content.length;
	char const *c = xml_next_element(content.start, limit);
	for (; c && index > 0; index--) c = xml_next_element(xml_element_end(c, limit), limit);
	return xml_node_found(c, limit);
}

struct xml_node_ret xml_node_sub_first(struct xml_node node)
{
	return xml_node_sub_at(node, 0);
}

size_t xml_node_sub_count(struct xml_node node)
{
	struct xml_span content = xml_node_content(node);
	char const *limit = content.start + content.length;
	size_t count = 0;
	for (char const *c = xml_next_element(content.start, limit); c;
	     c = xml_next_element(xml_element_end(c, limit), limit))
		count++;
	return count;
}

struct xml_node_ret xml_node_next(struct xml_node node)
{
	return xml_node_found(xml_next_element(xml_node_end(node), node.limit), node.limit);
}

struct xml_node_ret xml_node_next_by_type(struct xml_node node, char const *type)
{
	struct xml_node_ret r = xml_node_next(node);
	while (r.result == XML_ACCESS_OK && !xml_node_has_type(r.node, type))
		r = xml_node_next(r.node);
	return r;
}

struct xml_node_ret xml_node_sub_by_type(struct xml_node node, char const *type)
{
	struct xml_node_ret r = xml_node_sub_first(node);
	if (r.result == XML_ACCESS_OK && !xml_node_has_type(r.node, type))
		r = xml_node_next_by_type(r.node, type);
	return r;
}

struct xml_node_ret xml_node_sub_by_attribute(struct xml_node node, char const *type,
                                              char const *name, char const *value)
{
	struct xml_node_ret r = xml_node_sub_by_type(node, type);
	for (; r.result == XML_ACCESS_OK; r = xml_node_next_by_type(r.node, type)) {
		struct xml_attribute_ret a = xml_node_attribute(r.node, name);
		if (a.result == XML_ACCESS_OK && xml_attribute_equals(a.attribute, value)) break;
	}
	return r;
}

/* ---- content ---- */

struct xml_span xml_node_content_raw(struct xml_node node) { return xml_node_content(node); }

struct xml_copy_ret xml_node_content_decode(struct xml_node node, char *dst, size_t dst_size)
{
	struct xml_sink sink = { .dst = dst, .dst_size = dst_size };
	struct xml_span content = xml_node_content(node);
	char const *c = content.start, *limit = content.start + content.length;
	while (c < limit) {
		char const *text = c;
		while (c < limit && *c != '<') c++;
		xml_decode(&sink, text, c);
		if (c == limit) break;

		if (limit - c >= 9 && memory_compare(c, "<![CDATA[", 9) == 0) {
			char const *end = xml_skip_past(c + 9, limit, "]]>");
			xml_sink_put(&sink, c + 9, (size_t)(end - 3 - (c + 9)));
			c = end;
		} else if (c + 1 < limit && (c[1] == '!' || c[1] == '?')) {
			c = xml_skip_special(c, limit);
		} else {
			c = xml_element_end(c, limit);
		}
	}
	return xml_sink_finish(&sink);
}
