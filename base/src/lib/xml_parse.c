/* SPDX-License-Identifier: MIT */
/** \brief XML validator: checks a whole untrusted document once, for the walker in xml.c */

#include <util/string.h>
#include <util/xml.h>

#include "xml_private.h"

/*
 * One iterative pass over the bytes with a stack of the open element names
 * (at most XML_MAX_DEPTH), checking every bound. On an error, pos is left at
 * the offending byte (at the end for a truncated document).
 */

struct xml_parser
{
	char const *text;
	size_t end;                          /* the document ends here (length or first NUL) */
	size_t pos;                          /* the next byte; on an error, where the error is */
	struct xml_span open[XML_MAX_DEPTH]; /* names of the open elements */
	unsigned depth;
};

enum xml_literal { XML_LITERAL_NO, XML_LITERAL_MATCH, XML_LITERAL_PARTIAL };

/* does `literal` start at pos, or does the input end within a prefix of it? */
static enum xml_literal xml_parser_literal(struct xml_parser const *p, char const *literal)
{
	size_t length = string_length(literal), left = p->end - p->pos;
	size_t n = left < length ? left : length;
	if (memory_compare(p->text + p->pos, literal, n) != 0) return XML_LITERAL_NO;
	return n == length ? XML_LITERAL_MATCH : XML_LITERAL_PARTIAL;
}

static bool xml_parser_at_end(struct xml_parser const *p) { return p->pos == p->end; }

static char xml_parser_char(struct xml_parser const *p) { return p->text[p->pos]; }

static bool xml_parser_skip_space(struct xml_parser *p)
{
	size_t start = p->pos;
	while (!xml_parser_at_end(p) && ascii_is_space(xml_parser_char(p))) p->pos++;
	return p->pos != start;
}

/* move past the next `literal`, or to the end (TRUNCATED) */
static enum xml_parse_result xml_parser_skip_past(struct xml_parser *p, char const *literal)
{
	for (; !xml_parser_at_end(p); p->pos++) {
		if (xml_parser_literal(p, literal) == XML_LITERAL_MATCH) {
			p->pos += string_length(literal);
			return XML_PARSE_OK;
		}
	}
	return XML_PARSE_TRUNCATED;
}

/* a name at pos: XML_PARSE_OK, TRUNCATED, or `bad` if no name starts here */
static enum xml_parse_result xml_parser_name(struct xml_parser *p, struct xml_span *name,
                                             enum xml_parse_result bad)
{
	if (xml_parser_at_end(p)) return XML_PARSE_TRUNCATED;
	if (!xml_is_name_start(xml_parser_char(p))) return bad;
	name->start = p->text + p->pos;
	while (!xml_parser_at_end(p) && xml_is_name_char(xml_parser_char(p))) p->pos++;
	name->length = (size_t)(p->text + p->pos - name->start);
	return XML_PARSE_OK;
}

static enum xml_parse_result xml_parser_reference(struct xml_parser *p)
{
	uint32_t code_point;
	size_t consumed;
	switch (xml_reference(p->text + p->pos, p->end - p->pos, &code_point, &consumed)) {
	case XML_REFERENCE_OK:
		p->pos += consumed;
		return XML_PARSE_OK;
	case XML_REFERENCE_TRUNCATED:
		p->pos = p->end;
		return XML_PARSE_TRUNCATED;
	case XML_REFERENCE_BAD:
		break;
	}
	return XML_PARSE_BAD_ENTITY;
}

/* "<?" name ... "?>" */
static enum xml_parse_result xml_parser_instruction(struct xml_parser *p)
{
	p->pos += 2;
	struct xml_span target;
	enum xml_parse_result r = xml_parser_name(p, &target, XML_PARSE_BAD_MARKUP);
	return r ? r : xml_parser_skip_past(p, "?>");
}

/* "<!DOCTYPE" ws ... '>', with quoted strings and an internal subset [...] */
static enum xml_parse_result xml_parser_doctype(struct xml_parser *p)
{
	p->pos += 9;
	if (xml_parser_at_end(p)) return XML_PARSE_TRUNCATED;
	if (!xml_parser_skip_space(p)) return XML_PARSE_BAD_MARKUP;
	char quote = 0;
	unsigned brackets = 0;
	for (; !xml_parser_at_end(p); p->pos++) {
		char c = xml_parser_char(p);
		if (quote) {
			if (c == quote) quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (brackets && xml_parser_literal(p, "<!--") == XML_LITERAL_MATCH) {
			enum xml_parse_result r = xml_parser_skip_past(p, "-->");
			if (r) return r;
			p->pos--; /* the loop steps past the comment's '>' */
		} else if (c == '[') {
			brackets++;
		} else if (c == ']') {
			if (!brackets) return XML_PARSE_BAD_MARKUP;
			brackets--;
		} else if (c == '>' && !brackets) {
			p->pos++;
			return XML_PARSE_OK;
		}
	}
	return XML_PARSE_TRUNCATED;
}

/* a quoted attribute value at pos */
static enum xml_parse_result xml_parser_attribute_value(struct xml_parser *p)
{
	char quote = xml_parser_char(p);
	for (p->pos++; !xml_parser_at_end(p);) {
		char c = xml_parser_char(p);
		if (c == quote) {
			p->pos++;
			return XML_PARSE_OK;
		}
		if (c == '<') return XML_PARSE_BAD_ATTRIBUTE;
		if (c == '&') {
			enum xml_parse_result r = xml_parser_reference(p);
			if (r) return r;
		} else {
			p->pos++;
		}
	}
	return XML_PARSE_TRUNCATED;
}

/* the attribute at pos, whose name is known to start here */
static enum xml_parse_result xml_parser_attribute(struct xml_parser *p, size_t attributes_start)
{
	struct xml_span name;
	enum xml_parse_result r = xml_parser_name(p, &name, XML_PARSE_BAD_ATTRIBUTE);
	if (r) return r;
	xml_parser_skip_space(p);
	if (xml_parser_at_end(p)) return XML_PARSE_TRUNCATED;
	if (xml_parser_char(p) != '=') return XML_PARSE_BAD_ATTRIBUTE;
	p->pos++;
	xml_parser_skip_space(p);
	if (xml_parser_at_end(p)) return XML_PARSE_TRUNCATED;
	if (xml_parser_char(p) != '"' && xml_parser_char(p) != '\'') return XML_PARSE_BAD_ATTRIBUTE;
	r = xml_parser_attribute_value(p);
	if (r) return r;

	/* the attributes before this one are valid: walk them to find a twin */
	struct xml_attribute earlier;
	char const *c = p->text + attributes_start, *end = name.start;
	while ((c = xml_tag_next_attribute(c, end, &earlier)) != NULL) {
		if (earlier.name.length == name.length &&
		    memory_compare(earlier.name.start, name.start, name.length) == 0) {
			p->pos = (size_t)(name.start - p->text);
			return XML_PARSE_DUPLICATE_ATTRIBUTE;
		}
	}
	return XML_PARSE_OK;
}

/* the start tag at pos ('<'): sets *empty for <a/> */
static enum xml_parse_result xml_parser_start_tag(struct xml_parser *p, struct xml_span *name,
                                                  bool *empty)
{
	p->pos++;
	enum xml_parse_result r = xml_parser_name(p, name, XML_PARSE_BAD_NAME);
	if (r) return r;
	size_t attributes_start = p->pos;
	for (;;) {
		bool spaced = xml_parser_skip_space(p);
		if (xml_parser_at_end(p)) return XML_PARSE_TRUNCATED;
		char c = xml_parser_char(p);
		if (c == '>') {
			p->pos++;
			*empty = false;
			return XML_PARSE_OK;
		}
		if (c == '/') {
			p->pos++;
			if (xml_parser_at_end(p)) return XML_PARSE_TRUNCATED;
			if (xml_parser_char(p) != '>') return XML_PARSE_BAD_TAG;
			p->pos++;
			*empty = true;
			return XML_PARSE_OK;
		}
		if (!spaced) return XML_PARSE_BAD_ATTRIBUTE;
		r = xml_parser_attribute(p, attributes_start);
		if (r) return r;
	}
}

/* the end tag at pos ("</"), which must close the innermost open element */
static enum xml_parse_result xml_parser_end_tag(struct xml_parser *p)
{
	p->pos += 2;
	struct xml_span name;
	enum xml_parse_result r = xml_parser_name(p, &name, XML_PARSE_BAD_NAME);
	if (r) return r;
	struct xml_span open = p->open[p->depth - 1];
	if (open.length != name.length || memory_compare(open.start, name.start, name.length)) {
		p->pos = (size_t)(name.start - p->text);
		return XML_PARSE_MISMATCHED_TAG;
	}
	xml_parser_skip_space(p);
	if (xml_parser_at_end(p)) return XML_PARSE_TRUNCATED;
	if (xml_parser_char(p) != '>') return XML_PARSE_BAD_TAG;
	p->pos++;
	p->depth--;
	return XML_PARSE_OK;
}

/* markup starting "<!" inside an element: a comment or a CDATA section */
static enum xml_parse_result xml_parser_bang(struct xml_parser *p)
{
	enum xml_literal comment = xml_parser_literal(p, "<!--");
	enum xml_literal cdata = xml_parser_literal(p, "<![CDATA[");
	if (comment == XML_LITERAL_MATCH) {
		p->pos += 4;
		return xml_parser_skip_past(p, "-->");
	}
	if (cdata == XML_LITERAL_MATCH) {
		p->pos += 9;
		return xml_parser_skip_past(p, "]]>");
	}
	if (comment == XML_LITERAL_PARTIAL || cdata == XML_LITERAL_PARTIAL) {
		p->pos = p->end;
		return XML_PARSE_TRUNCATED;
	}
	return XML_PARSE_BAD_MARKUP;
}

/* one piece of element content at pos: text, reference or markup */
static enum xml_parse_result xml_parser_content(struct xml_parser *p)
{
	char c = xml_parser_char(p);
	if (c == '&') return xml_parser_reference(p);
	if (c == ']' && xml_parser_literal(p, "]]>") == XML_LITERAL_MATCH)
		return XML_PARSE_BAD_MARKUP;
	if (c != '<') {
		p->pos++;
		return XML_PARSE_OK;
	}
	if (p->pos + 1 == p->end) {
		p->pos = p->end;
		return XML_PARSE_TRUNCATED;
	}
	switch (p->text[p->pos + 1]) {
	case '/':
		return xml_parser_end_tag(p);
	case '?':
		return xml_parser_instruction(p);
	case '!':
		return xml_parser_bang(p);
	default:
		break;
	}
	/* a child element: one level deeper, even if it is empty */
	if (p->depth == XML_MAX_DEPTH) return XML_PARSE_TOO_DEEP;
	struct xml_span name;
	bool empty;
	enum xml_parse_result r = xml_parser_start_tag(p, &name, &empty);
	if (r == XML_PARSE_OK && !empty) p->open[p->depth++] = name;
	return r;
}

/* the root element at pos, iteratively with the stack of open names */
static enum xml_parse_result xml_parser_root(struct xml_parser *p)
{
	struct xml_span name;
	bool empty;
	enum xml_parse_result r = xml_parser_start_tag(p, &name, &empty);
	if (r || empty) return r;
	p->open[0] = name;
	p->depth = 1;
	while (p->depth > 0) {
		if (xml_parser_at_end(p)) return XML_PARSE_TRUNCATED;
		r = xml_parser_content(p);
		if (r) return r;
	}
	return XML_PARSE_OK;
}

/* the whole document: prolog, root element, epilogue */
static enum xml_parse_result xml_parser_document(struct xml_parser *p, size_t *root_start,
                                                 size_t *root_end)
{
	bool seen_root = false, seen_doctype = false;

	/* a UTF-8 byte-order mark */
	if (xml_parser_literal(p, "\xef\xbb\xbf") == XML_LITERAL_MATCH) p->pos += 3;
	for (;;) {
		xml_parser_skip_space(p);
		if (xml_parser_at_end(p)) return seen_root ? XML_PARSE_OK : XML_PARSE_NO_ROOT;
		if (xml_parser_char(p) != '<') return XML_PARSE_GARBAGE;

		enum xml_parse_result r;
		enum xml_literal doctype = xml_parser_literal(p, "<!DOCTYPE");
		enum xml_literal comment = xml_parser_literal(p, "<!--");
		if (p->pos + 1 == p->end) {
			p->pos = p->end;
			return XML_PARSE_TRUNCATED;
		} else if (p->text[p->pos + 1] == '?') {
			r = xml_parser_instruction(p);
		} else if (comment == XML_LITERAL_MATCH) {
			p->pos += 4;
			r = xml_parser_skip_past(p, "-->");
		} else if (doctype == XML_LITERAL_MATCH) {
			if (seen_root || seen_doctype) return XML_PARSE_BAD_MARKUP;
			seen_doctype = true;
			r = xml_parser_doctype(p);
		} else if (doctype == XML_LITERAL_PARTIAL || comment == XML_LITERAL_PARTIAL) {
			p->pos = p->end;
			return XML_PARSE_TRUNCATED;
		} else if (p->text[p->pos + 1] == '!') {
			return XML_PARSE_BAD_MARKUP;
		} else if (seen_root) {
			return XML_PARSE_GARBAGE;
		} else {
			*root_start = p->pos;
			r = xml_parser_root(p);
			*root_end = p->pos;
			seen_root = true;
		}
		if (r) return r;
	}
}

struct xml_parse_ret xml_parse(char const *buffer, size_t length)
{
	struct xml_parser p = { .text = buffer, .end = 0 };
	if (length) p.end = string_length_bounded(buffer, length);

	struct xml_parse_ret ret = { .result = XML_PARSE_NO_ROOT,
		                         .error_line = 1,
		                         .error_column = 1 };
	if (p.end == 0) return ret; /* also keeps a NULL buffer out of all arithmetic */
	size_t root_start = 0, root_end = 0;
	ret.result = xml_parser_document(&p, &root_start, &root_end);
	if (ret.result == XML_PARSE_OK) {
		ret.error_line = ret.error_column = 0;
		ret.root =
		    (struct xml_node){ buffer + root_start, root_end - root_start, buffer + p.end };
		return ret;
	}
	ret.error_offset = p.pos;
	ret.error_line = 1;
	size_t line_start = 0;
	for (size_t i = 0; i < p.pos; i++) {
		if (buffer[i] == '\n') {
			ret.error_line++;
			line_start = i + 1;
		}
	}
	ret.error_column = (unsigned)(p.pos - line_start + 1);
	return ret;
}
