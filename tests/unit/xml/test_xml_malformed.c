/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/xml: validation errors, truncation, mutation fuzzing */

#include <stdlib.h>

#include <util/xml.h>

#include "unit_test.h"

/* a heap copy of exactly `n` bytes without a NUL, so ASan sees any overread */
static char *unterminated(char const *bytes, size_t n)
{
	char *p = malloc(n ? n : 1);
	memcpy(p, bytes, n);
	return p;
}

static struct xml_parse_ret parse_bytes(char const *text, size_t n)
{
	char *p = unterminated(text, n);
	struct xml_parse_ret r = xml_parse(p, n);
	free(p);
	return r;
}

/* parse `text`, expect `result` at byte `offset` (or any offset if -1) */
static void expect_error(char const *text, enum xml_parse_result result, long offset, int line)
{
	struct xml_parse_ret r = parse_bytes(text, strlen(text));
	if (r.result != result || (offset >= 0 && r.error_offset != (size_t)offset))
		unit_test_fail(__FILE__, line, "\"%s\": result %d at %zu, expected %d at %ld", text,
		               r.result, r.error_offset, result, offset);
	if (r.error_line < 1 || r.error_column < 1 || r.error_offset > strlen(text))
		unit_test_fail(__FILE__, line, "\"%s\": bad position %zu line %u col %u", text,
		               r.error_offset, r.error_line, r.error_column);
}

#define EXPECT_ERROR(text, result, offset) expect_error(text, result, offset, __LINE__)

TEST(no_root)
{
	EXPECT_ERROR("", XML_PARSE_NO_ROOT, 0);
	EXPECT_ERROR("   \n ", XML_PARSE_NO_ROOT, -1);
	EXPECT_ERROR("<?xml version='1.0'?><!-- only a comment -->", XML_PARSE_NO_ROOT, -1);
	CHECK_EQ(xml_parse(NULL, 0).result, XML_PARSE_NO_ROOT);
	CHECK_EQ(xml_parse("\0<a/>", 5).result, XML_PARSE_NO_ROOT);
}

TEST(truncated)
{
	EXPECT_ERROR("<", XML_PARSE_TRUNCATED, 1);
	EXPECT_ERROR("<a", XML_PARSE_TRUNCATED, 2);
	EXPECT_ERROR("<a>", XML_PARSE_TRUNCATED, 3);
	EXPECT_ERROR("<a x='1", XML_PARSE_TRUNCATED, 7);
	EXPECT_ERROR("<a><b></b>", XML_PARSE_TRUNCATED, 10);
	EXPECT_ERROR("<a></a", XML_PARSE_TRUNCATED, 6);
	EXPECT_ERROR("<a>&am", XML_PARSE_TRUNCATED, 6);
	EXPECT_ERROR("<a><!-- x --", XML_PARSE_TRUNCATED, 12);
	EXPECT_ERROR("<a><![CDATA[x]]", XML_PARSE_TRUNCATED, -1);
	EXPECT_ERROR("<!DOCTYPE a", XML_PARSE_TRUNCATED, -1);
	EXPECT_ERROR("<!DOC", XML_PARSE_TRUNCATED, -1);
	EXPECT_ERROR("<a/", XML_PARSE_TRUNCATED, 3);
	/* a NUL ends the document early */
	CHECK_EQ(xml_parse("<a>\0</a>", 8).result, XML_PARSE_TRUNCATED);
}

TEST(mismatched_tags)
{
	EXPECT_ERROR("<a></b>", XML_PARSE_MISMATCHED_TAG, 5);
	EXPECT_ERROR("<a><b></a></b>", XML_PARSE_MISMATCHED_TAG, 8);
	EXPECT_ERROR("<abc></ab>", XML_PARSE_MISMATCHED_TAG, 7);
	EXPECT_ERROR("<ab></abc>", XML_PARSE_MISMATCHED_TAG, 6);
	EXPECT_ERROR("<a></A>", XML_PARSE_MISMATCHED_TAG, 5);
}

TEST(bad_tags_and_names)
{
	EXPECT_ERROR("< a/>", XML_PARSE_BAD_NAME, 1);
	EXPECT_ERROR("<1a/>", XML_PARSE_BAD_NAME, 1);
	EXPECT_ERROR("<a></ a>", XML_PARSE_BAD_NAME, 5);
	EXPECT_ERROR("<a><>x</a>", XML_PARSE_BAD_NAME, 4);
	EXPECT_ERROR("<a/ >", XML_PARSE_BAD_TAG, 3);
	EXPECT_ERROR("<a></a x>", XML_PARSE_BAD_TAG, 7);
}

TEST(bad_attributes)
{
	EXPECT_ERROR("<a x/>", XML_PARSE_BAD_ATTRIBUTE, 4);
	EXPECT_ERROR("<a x=1/>", XML_PARSE_BAD_ATTRIBUTE, 5);
	EXPECT_ERROR("<a x='<'/>", XML_PARSE_BAD_ATTRIBUTE, 6);
	EXPECT_ERROR("<a x='1'y='2'/>", XML_PARSE_BAD_ATTRIBUTE, 8);
	EXPECT_ERROR("<a x='1\"/>", XML_PARSE_TRUNCATED, -1);
	EXPECT_ERROR("<a 1x='1'/>", XML_PARSE_BAD_ATTRIBUTE, 3);
	EXPECT_ERROR("<a x='1' y='2' x='3'/>", XML_PARSE_DUPLICATE_ATTRIBUTE, 15);
	/* names that share a prefix are different names */
	char const *prefixes = "<a xy='1' x='3' y='2'/>";
	CHECK_EQ(parse_bytes(prefixes, strlen(prefixes)).result, XML_PARSE_OK);
}

TEST(bad_entities)
{
	EXPECT_ERROR("<a>&foo;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&amp</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>& </a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&#;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&#0;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&#xD800;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&#x110000;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&#99999999999999999999;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&#X41;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&AMP;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a>&quote;</a>", XML_PARSE_BAD_ENTITY, 3);
	EXPECT_ERROR("<a x='&bad;'/>", XML_PARSE_BAD_ENTITY, 6);
}

TEST(bad_markup)
{
	EXPECT_ERROR("<a><!x></a>", XML_PARSE_BAD_MARKUP, 3);
	EXPECT_ERROR("<a>]]></a>", XML_PARSE_BAD_MARKUP, 3);
	EXPECT_ERROR("<a><!DOCTYPE a></a>", XML_PARSE_BAD_MARKUP, 3);
	EXPECT_ERROR("<a/><!DOCTYPE a>", XML_PARSE_BAD_MARKUP, 4);
	EXPECT_ERROR("<!DOCTYPE a><!DOCTYPE a><a/>", XML_PARSE_BAD_MARKUP, 12);
	EXPECT_ERROR("<!DOCTYPEa><a/>", XML_PARSE_BAD_MARKUP, 9);
	EXPECT_ERROR("<![CDATA[x]]><a/>", XML_PARSE_BAD_MARKUP, 0);
	EXPECT_ERROR("<? ?><a/>", XML_PARSE_BAD_MARKUP, 2);
	EXPECT_ERROR("<!DOCTYPE a ]><a/>", XML_PARSE_BAD_MARKUP, 12);
}

TEST(garbage_outside_the_root)
{
	EXPECT_ERROR("x<a/>", XML_PARSE_GARBAGE, 0);
	EXPECT_ERROR("<a/>x", XML_PARSE_GARBAGE, 4);
	EXPECT_ERROR("<a/><b/>", XML_PARSE_GARBAGE, 4);
	EXPECT_ERROR("<a></a>\n</a>", XML_PARSE_GARBAGE, 8);
	EXPECT_ERROR("<a/> <!-- ok --> &amp;", XML_PARSE_GARBAGE, 17);
}

TEST(error_line_and_column)
{
	char const *text = "<config>\n  <start>\n    <x a=1/>\n</config>";
	struct xml_parse_ret r = parse_bytes(text, strlen(text));
	CHECK_EQ(r.result, XML_PARSE_BAD_ATTRIBUTE);
	CHECK_EQ_U(r.error_line, 3);
	CHECK_EQ_U(r.error_column, 10);
	CHECK_EQ_U(r.error_offset, strlen("<config>\n  <start>\n    <x a="));
	CHECK(r.root.start == NULL);

	r = parse_bytes("<a/>", 4);
	CHECK_EQ(r.result, XML_PARSE_OK);
	CHECK_EQ_U(r.error_line, 0);
	CHECK_EQ_U(r.error_offset, 0);
}

TEST(markup_characters_inside_quotes_and_comments)
{
	char const *ok[] = {
		"<a x='>' y=\">>\"/>",
		"<a x=\"'\" y='\"'/>",
		"<a><!-- < > & <b> </c> --></a>",
		"<a>> text with > is fine</a>",
		"<a><![CDATA[ </a> & < ]]></a>",
		"<a><?pi </a> ?></a>",
		"<!-- <b> --><a/><!-- </a> -->",
		"<a\n\tx\n=\n'1'\n/>",
		"<a>]] ></a>",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct xml_parse_ret r = parse_bytes(ok[i], strlen(ok[i]));
		if (r.result != XML_PARSE_OK)
			unit_test_fail(__FILE__, __LINE__, "\"%s\": %d at %zu", ok[i], r.result,
			               r.error_offset);
	}
}

static char const *const valid_documents[] = {
	"<config>\n  <start name=\"test\"><resource name=\"RAM\" quantum=\"8M\"/>"
	"<route><any-service><parent/></any-service></route></start>\n</config>\n",
	"<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target version=\"1.0\"><architecture>i386:x86-64</architecture>"
	"<feature name='x'><reg name=\"rip\" bitsize=\"64\"/></feature></target>",
	"<!-- c <a> --><r a='&lt;&#65;' b=\"'>'\">t&amp;x<![CDATA[<y>]]><?p q?><e/>"
	"<f g='1'>h</f></r><!-- end -->",
	"<!DOCTYPE r [<!ENTITY x 'y'>]><r><a><b><c/></b></a></r>",
};

/* every proper prefix of a valid document is an error, never a crash */
TEST(every_truncation_is_an_error)
{
	for (size_t d = 0; d < sizeof(valid_documents) / sizeof(valid_documents[0]); d++) {
		char const *doc = valid_documents[d];
		size_t full = strlen(doc);
		char *copy = unterminated(doc, full);
		struct xml_parse_ret whole = xml_parse(copy, full);
		CHECK_EQ(whole.result, XML_PARSE_OK);
		size_t root_end = (size_t)(whole.root.start + whole.root.length - copy);
		free(copy);
		for (size_t n = 0; n < full; n++) {
			struct xml_parse_ret r = parse_bytes(doc, n);
			bool whole_root = n >= root_end;
			for (size_t i = root_end; i < n && whole_root; i++)
				if (doc[i] != '\n' && doc[i] != ' ') whole_root = false;
			if (whole_root) {
				/* the root is complete and nothing but blanks follow it */
				CHECK_EQ(r.result, XML_PARSE_OK);
				continue;
			}
			/* a cut inside the trailing comment is an error, so is every other */
			if (r.result == XML_PARSE_OK)
				unit_test_fail(__FILE__, __LINE__, "doc %zu accepted at length %zu", d, n);
			CHECK(r.error_offset <= n);
		}
	}
}

/* ---- a fuzz-like loop with a fixed-seed local PRNG ---- */

static uint64_t prng_next(uint64_t *state)
{
	/* xorshift64* */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

static size_t prng_below(uint64_t *state, size_t n) { return (size_t)(prng_next(state) % n); }

/* mutate text[0..n) in place within cap bytes: replace, delete, insert, copy */
static size_t mutate(uint64_t *state, char *text, size_t n, size_t cap)
{
	static char const interesting[] = "<>/='\"&;!?-[]# \nax1\0";
	char c = interesting[prng_below(state, sizeof(interesting) - 1)];
	size_t at = n ? prng_below(state, n) : 0;
	switch (prng_below(state, 4)) {
	case 0:
		if (n) text[at] = c;
		break;
	case 1:
		if (n) {
			memmove(text + at, text + at + 1, n - at - 1);
			n--;
		}
		break;
	case 2:
		if (n < cap) {
			memmove(text + at + 1, text + at, n - at);
			text[at] = c;
			n++;
		}
		break;
	default: {
		/* copy a random slice over another place */
		if (!n) break;
		size_t from = prng_below(state, n), len = prng_below(state, 16);
		if (from + len > n) len = n - from;
		if (at + len > n) len = n - at;
		memmove(text + at, text + from, len);
		break;
	}
	}
	return n;
}

/* walk every node of a valid document without recursion and check the walker */
static void walk_and_check(struct xml_node root)
{
	struct xml_node stack[XML_MAX_DEPTH];
	size_t depth = 0;
	stack[depth++] = root;
	char out[64];
	while (depth) {
		struct xml_node node = stack[--depth];
		CHECK(node.start[0] == '<' && node.start[node.length - 1] == '>');
		CHECK(xml_node_type(node).length > 0);

		/* attributes: iteration, lookup and decoding agree */
		for (struct xml_attribute_ret a = xml_node_attribute_first(node);
		     a.result == XML_ACCESS_OK; a = xml_node_attribute_next(node, a.attribute)) {
			char name[64];
			if (a.attribute.name.length >= sizeof(name)) continue;
			memcpy(name, a.attribute.name.start, a.attribute.name.length);
			name[a.attribute.name.length] = 0;
			struct xml_attribute_ret found = xml_node_attribute(node, name);
			CHECK_EQ(found.result, XML_ACCESS_OK);
			CHECK(found.attribute.value.start == a.attribute.value.start);
			struct xml_copy_ret d = xml_attribute_decode(a.attribute, out, sizeof(out));
			CHECK(d.length <= a.attribute.value.length);
			if (d.result == XML_ACCESS_OK) {
				CHECK_EQ_U(strlen(out), d.length);
				CHECK(xml_attribute_equals(a.attribute, out));
			} else {
				CHECK_EQ(d.result, XML_ACCESS_NO_SPACE);
				CHECK(d.length >= sizeof(out));
			}
			struct xml_unsigned_ret u = xml_attribute_unsigned(a.attribute);
			CHECK(u.result != XML_ACCESS_NOT_FOUND && u.result != XML_ACCESS_NO_SPACE);
		}

		struct xml_span raw = xml_node_content_raw(node);
		CHECK(raw.start >= node.start && raw.start + raw.length <= node.start + node.length);
		struct xml_copy_ret c = xml_node_content_decode(node, out, sizeof(out));
		CHECK(c.result == XML_ACCESS_OK || c.length >= sizeof(out));

		/* children: count, index and sibling walk agree; each child reparses alone */
		size_t count = xml_node_sub_count(node), i = 0;
		for (struct xml_node_ret it = xml_node_sub_first(node); it.result == XML_ACCESS_OK;
		     it = xml_node_next(it.node), i++) {
			struct xml_node_ret at = xml_node_sub_at(node, i);
			CHECK_EQ(at.result, XML_ACCESS_OK);
			CHECK(at.node.start == it.node.start && at.node.length == it.node.length);
			CHECK(it.node.start >= raw.start &&
			      it.node.start + it.node.length <= raw.start + raw.length);
			struct xml_parse_ret alone = xml_parse(it.node.start, it.node.length);
			CHECK_EQ(alone.result, XML_PARSE_OK);
			CHECK_EQ_U(alone.root.length, it.node.length);
			CHECK(depth < XML_MAX_DEPTH);
			stack[depth++] = it.node;
		}
		CHECK_EQ_U(i, count);
	}
}

TEST(fuzz_mutated_documents)
{
	uint64_t state = 0x5eed0003;
	enum { CAP = 512 };
	char text[CAP];
	unsigned accepted = 0, rejected = 0;
	for (int round = 0; round < 30000; round++) {
		char const *seed = valid_documents[prng_below(&state, 4)];
		size_t n = strlen(seed);
		memcpy(text, seed, n);
		size_t mutations = 1 + prng_below(&state, 4);
		for (size_t m = 0; m < mutations; m++) n = mutate(&state, text, n, CAP);

		char *p = unterminated(text, n);
		struct xml_parse_ret r = xml_parse(p, n);
		struct xml_parse_ret again = xml_parse(p, n);
		CHECK_EQ(r.result, again.result);
		CHECK_EQ_U(r.error_offset, again.error_offset);
		if (r.result == XML_PARSE_OK) {
			accepted++;
			CHECK(r.root.start >= p && r.root.start + r.root.length <= p + n);
			walk_and_check(r.root);
		} else {
			rejected++;
			CHECK(r.error_offset <= n);
			CHECK(r.error_line >= 1 && r.error_column >= 1);
		}
		free(p);
	}
	/* both outcomes were exercised */
	CHECK(accepted > 1000);
	CHECK(rejected > 1000);
}

TEST(walk_checks_hold_for_the_seeds)
{
	for (size_t d = 0; d < sizeof(valid_documents) / sizeof(valid_documents[0]); d++) {
		size_t n = strlen(valid_documents[d]);
		char *p = unterminated(valid_documents[d], n);
		struct xml_parse_ret r = xml_parse(p, n);
		CHECK_EQ(r.result, XML_PARSE_OK);
		walk_and_check(r.root);
		free(p);
	}
}
