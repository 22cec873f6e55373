/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/xml: walking, attributes, content, decoding */

#include <stdlib.h>

#include <util/xml.h>

#include "unit_test.h"

/*
 * The document at the very end of a heap block of exactly its size, without
 * a NUL, so that ASan catches any read past it. The block lives until the
 * case's process ends (each case runs in its own process).
 */
static char const *at_heap_end(char const *text, size_t n)
{
	char *p = malloc(n ? n : 1);
	memcpy(p, text, n);
	return p;
}

static struct xml_node parse_ok(char const *text)
{
	size_t n = strlen(text);
	struct xml_parse_ret r = xml_parse(at_heap_end(text, n), n);
	if (r.result != XML_PARSE_OK)
		unit_test_fail(__FILE__, __LINE__, "parse: result %d at offset %zu (line %u col %u)",
		               r.result, r.error_offset, r.error_line, r.error_column);
	return r.root;
}

static bool span_is(struct xml_span span, char const *text)
{
	return span.length == strlen(text) && memcmp(span.start, text, span.length) == 0;
}

static struct xml_node sub(struct xml_node node, char const *type)
{
	struct xml_node_ret r = xml_node_sub_by_type(node, type);
	if (r.result != XML_ACCESS_OK) unit_test_fail(__FILE__, __LINE__, "no <%s>", type);
	return r.node;
}

/* the decoded value of attribute `name` in a static buffer */
static char const *attr(struct xml_node node, char const *name)
{
	static char value[256];
	struct xml_copy_ret r = xml_node_attribute_string(node, name, value, sizeof(value));
	if (r.result != XML_ACCESS_OK)
		unit_test_fail(__FILE__, __LINE__, "attribute %s: result %d", name, r.result);
	return value;
}

static char const *content(struct xml_node node)
{
	static char text[256];
	struct xml_copy_ret r = xml_node_content_decode(node, text, sizeof(text));
	if (r.result != XML_ACCESS_OK) unit_test_fail(__FILE__, __LINE__, "content: %d", r.result);
	return text;
}

static char const init_config[] =
    "<config>\n"
    "  <parent-provides> <service name=\"LOG\"/> <service name=\"RAM\"/> </parent-provides>\n"
    "  <!-- the test program -->\n"
    "  <start name=\"test\">\n"
    "    <resource name=\"RAM\" quantum=\"8M\"/>\n"
    "    <route> <any-service> <parent/> </any-service> </route>\n"
    "  </start>\n"
    "  <start name=\"timer\"><resource name=\"RAM\" quantum=\"0x100000\"/></start>\n"
    "</config>\n";

TEST(init_config_walk)
{
	struct xml_node config = parse_ok(init_config);
	CHECK(xml_node_has_type(config, "config"));
	CHECK(span_is(xml_node_type(config), "config"));
	CHECK_EQ_U(xml_node_sub_count(config), 3);

	struct xml_node provides = sub(config, "parent-provides");
	CHECK_EQ_U(xml_node_sub_count(provides), 2);
	CHECK_STR(attr(sub(provides, "service"), "name"), "LOG");

	struct xml_node start = sub(config, "start");
	CHECK_STR(attr(start, "name"), "test");
	struct xml_node resource = sub(start, "resource");
	struct xml_unsigned_ret quantum = xml_node_attribute_unsigned(resource, "quantum");
	CHECK_EQ(quantum.result, XML_ACCESS_OK);
	CHECK_EQ_U(quantum.value, 8u << 20);
	CHECK(xml_node_has_type(sub(sub(sub(start, "route"), "any-service"), "parent"), "parent"));

	struct xml_node_ret timer = xml_node_next_by_type(start, "start");
	CHECK_EQ(timer.result, XML_ACCESS_OK);
	CHECK_STR(attr(timer.node, "name"), "timer");
	CHECK_EQ_U(xml_node_attribute_unsigned(sub(timer.node, "resource"), "quantum").value,
	           0x100000);
	CHECK_EQ(xml_node_next_by_type(timer.node, "start").result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_next(timer.node).result, XML_ACCESS_NOT_FOUND);
}

TEST(sub_by_attribute_finds_start_by_name)
{
	struct xml_node config = parse_ok(init_config);
	struct xml_node_ret r = xml_node_sub_by_attribute(config, "start", "name", "timer");
	CHECK_EQ(r.result, XML_ACCESS_OK);
	CHECK(xml_node_has_attribute(sub(r.node, "resource"), "quantum"));
	CHECK_EQ(xml_node_sub_by_attribute(config, "start", "name", "tim").result,
	         XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_sub_by_attribute(config, "start", "label", "test").result,
	         XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_sub_by_attribute(config, "service", "name", "LOG").result,
	         XML_ACCESS_NOT_FOUND); /* not a child of config */
}

TEST(gdb_target_description)
{
	struct xml_node target =
	    parse_ok("<?xml version=\"1.0\"?>\n"
	             "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	             "<target version=\"1.0\">\n"
	             "  <architecture>i386:x86-64</architecture>\n"
	             "  <xi:include href=\"64bit-core.xml\"/>\n"
	             "  <feature name=\"org.gnu.gdb.i386.core\">\n"
	             "    <reg name=\"rax\" bitsize=\"64\" type=\"int64\" regnum=\"0\"/>\n"
	             "    <reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>\n"
	             "  </feature>\n"
	             "</target>\n");
	CHECK(xml_node_has_type(target, "target"));
	CHECK_STR(attr(target, "version"), "1.0");
	CHECK_STR(content(sub(target, "architecture")), "i386:x86-64");
	CHECK_STR(attr(sub(target, "xi:include"), "href"), "64bit-core.xml");
	struct xml_node feature = sub(target, "feature");
	CHECK_EQ_U(xml_node_sub_count(feature), 2);
	struct xml_node_ret rip = xml_node_sub_at(feature, 1);
	CHECK_EQ(rip.result, XML_ACCESS_OK);
	CHECK_STR(attr(rip.node, "type"), "code_ptr");
	CHECK_EQ_U(xml_node_attribute_unsigned(rip.node, "bitsize").value, 64);
	CHECK_EQ(xml_node_attribute_unsigned(rip.node, "regnum").result, XML_ACCESS_NOT_FOUND);
}

TEST(sub_at_and_next_agree)
{
	struct xml_node root = parse_ok("<r>text<a/><!-- <x/> --><b>in<c/></b><?pi <d/>?>"
	                                "<![CDATA[<e/>]]><f></f>tail</r>");
	CHECK_EQ_U(xml_node_sub_count(root), 3);
	char const *types[] = { "a", "b", "f" };
	struct xml_node_ret it = xml_node_sub_first(root);
	for (size_t i = 0; i < 3; i++) {
		CHECK_EQ(it.result, XML_ACCESS_OK);
		CHECK(xml_node_has_type(it.node, types[i]));
		struct xml_node_ret at = xml_node_sub_at(root, i);
		CHECK(at.node.start == it.node.start && at.node.length == it.node.length);
		it = xml_node_next(it.node);
	}
	CHECK_EQ(it.result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_sub_at(root, 3).result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_sub_at(root, (size_t)-1).result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_sub_by_type(root, "c").result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_sub_by_type(root, "e").result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ_U(xml_node_sub_count(sub(root, "b")), 1);
}

TEST(node_spans_cover_whole_elements)
{
	struct xml_node root = parse_ok("<r><a x='>'>1<a>2</a></a ><b/></r>");
	struct xml_node a = sub(root, "a");
	CHECK(span_is((struct xml_span){ a.start, a.length }, "<a x='>'>1<a>2</a></a >"));
	struct xml_node b = sub(root, "b");
	CHECK(span_is((struct xml_span){ b.start, b.length }, "<b/>"));
	CHECK(span_is((struct xml_span){ root.start, root.length },
	              "<r><a x='>'>1<a>2</a></a ><b/></r>"));
}

TEST(root_has_no_sibling)
{
	struct xml_node root = parse_ok("<?xml version='1.0'?><r/><!-- after --> <?pi?>\n");
	CHECK_EQ(xml_node_next(root).result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ_U(xml_node_sub_count(root), 0);
	CHECK_EQ(xml_node_sub_first(root).result, XML_ACCESS_NOT_FOUND);
}

TEST(next_by_type_skips_others)
{
	struct xml_node root = parse_ok("<r><a/><b n='1'/><a/><b n='2'/></r>");
	struct xml_node b = sub(root, "b");
	CHECK_STR(attr(b, "n"), "1");
	struct xml_node_ret next = xml_node_next_by_type(b, "b");
	CHECK_EQ(next.result, XML_ACCESS_OK);
	CHECK_STR(attr(next.node, "n"), "2");
	CHECK_EQ(xml_node_next_by_type(next.node, "b").result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_next_by_type(b, "c").result, XML_ACCESS_NOT_FOUND);
}

TEST(attributes_quotes_and_entities)
{
	struct xml_node n =
	    parse_ok("<n a=\"x > y\" b='say \"hi\"' c=\"it&apos;s &lt;&gt;&amp;&quot;\""
	             " d = 'spaced' e=\"\"/>");
	CHECK_STR(attr(n, "a"), "x > y");
	CHECK_STR(attr(n, "b"), "say \"hi\"");
	CHECK_STR(attr(n, "c"), "it's <>&\"");
	CHECK_STR(attr(n, "d"), "spaced");
	CHECK_STR(attr(n, "e"), "");

	struct xml_attribute_ret c = xml_node_attribute(n, "c");
	CHECK_EQ(c.result, XML_ACCESS_OK);
	CHECK(span_is(c.attribute.value, "it&apos;s &lt;&gt;&amp;&quot;"));
	CHECK(xml_attribute_equals(c.attribute, "it's <>&\""));
	CHECK(!xml_attribute_equals(c.attribute, "it's <>&"));
	CHECK(!xml_attribute_equals(c.attribute, "it's <>&\"x"));
	CHECK(!xml_attribute_equals(c.attribute, ""));

	CHECK_EQ(xml_node_attribute(n, "f").result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_attribute(n, "").result, XML_ACCESS_NOT_FOUND);
	CHECK(!xml_node_has_attribute(n, "aa"));
	CHECK(xml_node_has_attribute(n, "e"));
}

TEST(attribute_iteration_in_order)
{
	struct xml_node n = parse_ok("<n one='1'\n\ttwo=\"2\" three='3'>x</n>");
	char const *names[] = { "one", "two", "three" };
	char const *values[] = { "1", "2", "3" };
	struct xml_attribute_ret a = xml_node_attribute_first(n);
	for (size_t i = 0; i < 3; i++) {
		CHECK_EQ(a.result, XML_ACCESS_OK);
		CHECK(span_is(a.attribute.name, names[i]));
		CHECK(span_is(a.attribute.value, values[i]));
		a = xml_node_attribute_next(n, a.attribute);
	}
	CHECK_EQ(a.result, XML_ACCESS_NOT_FOUND);

	CHECK_EQ(xml_node_attribute_first(parse_ok("<n/>")).result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_attribute_first(parse_ok("<n >x</n>")).result, XML_ACCESS_NOT_FOUND);
}

TEST(numeric_attributes)
{
	struct xml_node n =
	    parse_ok("<n a='4096' b='0x10' c='8M' d='3G' e='1K' f='x' g='' h=' 1'"
	             " i='18446744073709551616' j='18446744073709551615' k='&#49;'/>");
	uint64_t expected[] = { 4096, 16, 8u << 20, 3ull << 30, 1024 };
	char const *names[] = { "a", "b", "c", "d", "e" };
	for (size_t i = 0; i < 5; i++) {
		struct xml_unsigned_ret r = xml_node_attribute_unsigned(n, names[i]);
		CHECK_EQ(r.result, XML_ACCESS_OK);
		CHECK_EQ_U(r.value, expected[i]);
	}
	CHECK_EQ(xml_node_attribute_unsigned(n, "f").result, XML_ACCESS_BAD_VALUE);
	CHECK_EQ(xml_node_attribute_unsigned(n, "g").result, XML_ACCESS_BAD_VALUE);
	CHECK_EQ(xml_node_attribute_unsigned(n, "h").result, XML_ACCESS_BAD_VALUE);
	CHECK_EQ(xml_node_attribute_unsigned(n, "i").result, XML_ACCESS_OVERFLOW);
	CHECK_EQ_U(xml_node_attribute_unsigned(n, "j").value, UINT64_MAX);
	CHECK_EQ(xml_node_attribute_unsigned(n, "k").result, XML_ACCESS_BAD_VALUE);
	CHECK_EQ(xml_node_attribute_unsigned(n, "z").result, XML_ACCESS_NOT_FOUND);
}

TEST(boolean_attributes)
{
	struct xml_node n = parse_ok("<n a='yes' b='no' c='true' d='false' e='on' f='off' g='1'"
	                             " h='0' i='YES' j=''/>");
	char const *names = "abcdefgh";
	for (size_t i = 0; i < 8; i++) {
		char name[2] = { names[i], 0 };
		struct xml_bool_ret r = xml_attribute_bool(xml_node_attribute(n, name).attribute);
		CHECK_EQ(r.result, XML_ACCESS_OK);
		CHECK_EQ(r.value, i % 2 == 0);
		/* by name: the same answer */
		struct xml_bool_ret by_name = xml_node_attribute_bool(n, name);
		CHECK_EQ(by_name.result, XML_ACCESS_OK);
		CHECK_EQ(by_name.value, r.value);
	}
	for (char const *bad = "ij"; *bad; bad++) {
		char name[2] = { *bad, 0 };
		CHECK_EQ(xml_attribute_bool(xml_node_attribute(n, name).attribute).result,
		         XML_ACCESS_BAD_VALUE);
		/* by name too, and false: a caller may take the value alone */
		CHECK_EQ(xml_node_attribute_bool(n, name).result, XML_ACCESS_BAD_VALUE);
		CHECK_EQ(xml_node_attribute_bool(n, name).value, false);
	}
	CHECK_EQ(xml_node_attribute_bool(n, "z").result, XML_ACCESS_NOT_FOUND);
	CHECK_EQ(xml_node_attribute_bool(n, "z").value, false);
}

TEST(character_references_become_utf8)
{
	struct xml_node n = parse_ok("<n a='&#65;&#x42;&#x00e4;&#8364;&#x1F600;&#0067;'>"
	                             "&#x3c;tag&#62;</n>");
	CHECK_STR(attr(n, "a"), "AB\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80"
	                        "C");
	CHECK_STR(content(n), "<tag>");
}

TEST(decode_respects_the_buffer)
{
	struct xml_node n = parse_ok("<n a='a&amp;b'>x&lt;y</n>");
	struct xml_attribute a = xml_node_attribute(n, "a").attribute;
	char *exact = malloc(4);
	struct xml_copy_ret r = xml_attribute_decode(a, exact, 4);
	CHECK_EQ(r.result, XML_ACCESS_OK);
	CHECK_STR(exact, "a&b");
	free(exact);

	char *small = malloc(3);
	r = xml_attribute_decode(a, small, 3);
	CHECK_EQ(r.result, XML_ACCESS_NO_SPACE);
	CHECK_EQ_U(r.length, 3);
	CHECK_STR(small, "");
	r = xml_node_content_decode(n, small, 3);
	CHECK_EQ(r.result, XML_ACCESS_NO_SPACE);
	CHECK_EQ_U(r.length, 3);
	CHECK_STR(small, "");
	free(small);

	CHECK_EQ(xml_attribute_decode(a, NULL, 0).result, XML_ACCESS_NO_SPACE);
	CHECK_EQ(xml_node_content_decode(n, NULL, 0).result, XML_ACCESS_NO_SPACE);

	char keep[8] = "keep";
	CHECK_EQ(xml_node_attribute_string(n, "b", keep, 8).result, XML_ACCESS_NOT_FOUND);
	CHECK_STR(keep, "keep");
}

TEST(content_raw_and_decoded)
{
	struct xml_node n = parse_ok("<n>a &amp; b<!-- c <x> --><?pi d?><![CDATA[<e & f>]]>"
	                             "<child>g</child> h</n>");
	CHECK(span_is(xml_node_content_raw(n), "a &amp; b<!-- c <x> --><?pi d?><![CDATA[<e & f>]]>"
	                                       "<child>g</child> h"));
	CHECK_STR(content(n), "a & b<e & f> h");
	CHECK_STR(content(sub(n, "child")), "g");
}

TEST(empty_elements_have_empty_content)
{
	struct xml_node n = parse_ok("<r><a/><b></b><c x='1' /></r>");
	char const *names[] = { "a", "b", "c" };
	for (size_t i = 0; i < 3; i++) {
		struct xml_node child = sub(n, names[i]);
		struct xml_span raw = xml_node_content_raw(child);
		CHECK_EQ_U(raw.length, 0);
		CHECK(raw.start >= child.start && raw.start <= child.start + child.length);
		CHECK_STR(content(child), "");
		CHECK_EQ_U(xml_node_sub_count(child), 0);
	}
	CHECK_STR(attr(sub(n, "c"), "x"), "1");
}

TEST(comments_with_markup_inside)
{
	struct xml_node root = parse_ok("<!-- <not-root> & ]]> -->"
	                                "<r><!-- </r> <a> --><b/><!----></r>"
	                                "<!-- <x/> -->");
	CHECK_EQ_U(xml_node_sub_count(root), 1);
	CHECK(xml_node_has_type(sub(root, "b"), "b"));
}

TEST(doctype_with_internal_subset)
{
	struct xml_node root = parse_ok("<!DOCTYPE r [ <!ELEMENT r ANY> <!-- ] > ' -->"
	                                " <!ATTLIST r a CDATA \"]>\"> ]>\n<r a='1'/>");
	CHECK(xml_node_has_type(root, "r"));
	CHECK_STR(attr(root, "a"), "1");
}

TEST(names_with_colons_dots_dashes_and_utf8)
{
	struct xml_node root = parse_ok("<a:b.c-d _x='1' y:z='2'><\xc3\xa4/></a:b.c-d>");
	CHECK(xml_node_has_type(root, "a:b.c-d"));
	CHECK(!xml_node_has_type(root, "a:b"));
	CHECK_STR(attr(root, "y:z"), "2");
	CHECK(xml_node_has_type(sub(root, "\xc3\xa4"), "\xc3\xa4"));
}

TEST(bom_and_zero_padding)
{
	/* a ROM padded with zeros to its page size */
	char rom[64] = "\xef\xbb\xbf<config><x/></config>\n";
	struct xml_parse_ret r = xml_parse(rom, sizeof(rom));
	CHECK_EQ(r.result, XML_PARSE_OK);
	CHECK(r.root.start == rom + 3);
	CHECK_EQ_U(xml_node_sub_count(r.root), 1);
	CHECK_EQ(xml_node_next(r.root).result, XML_ACCESS_NOT_FOUND);
}

TEST(depth_limit_exactly)
{
	enum { MAX = XML_MAX_DEPTH };
	char text[MAX * 8 + 8];
	size_t n = 0;
	for (int i = 0; i < MAX; i++) n += (size_t)sprintf(text + n, "<e>");
	for (int i = 0; i < MAX; i++) n += (size_t)sprintf(text + n, "</e>");
	struct xml_node node = parse_ok(text);
	/* walk down without recursion to the innermost element */
	int depth = 1;
	for (struct xml_node_ret r = xml_node_sub_first(node); r.result == XML_ACCESS_OK;
	     r = xml_node_sub_first(r.node))
		depth++;
	CHECK_EQ(depth, MAX);

	/* one more level, even an empty element, is too deep */
	n = 0;
	for (int i = 0; i < MAX; i++) n += (size_t)sprintf(text + n, "<e>");
	size_t deep = n;
	n += (size_t)sprintf(text + n, "<f/>");
	for (int i = 0; i < MAX; i++) n += (size_t)sprintf(text + n, "</e>");
	struct xml_parse_ret r = xml_parse(at_heap_end(text, n), n);
	CHECK_EQ(r.result, XML_PARSE_TOO_DEEP);
	CHECK_EQ_U(r.error_offset, deep);
}

TEST(very_deep_input_is_rejected_without_recursion)
{
	enum { LEVELS = 100000 };
	size_t n = LEVELS * 3;
	char *text = malloc(n);
	for (size_t i = 0; i < LEVELS; i++) memcpy(text + i * 3, "<a>", 3);
	struct xml_parse_ret r = xml_parse(text, n);
	CHECK_EQ(r.result, XML_PARSE_TOO_DEEP);
	CHECK_EQ_U(r.error_offset, XML_MAX_DEPTH * 3);
	free(text);
}

TEST(large_flat_document)
{
	enum { CHILDREN = 5000 };
	size_t cap = CHILDREN * 32 + 32, n = 0;
	char *text = malloc(cap);
	n += (size_t)sprintf(text + n, "<r>");
	for (int i = 0; i < CHILDREN; i++) n += (size_t)sprintf(text + n, "<c i='%d'/>", i);
	n += (size_t)sprintf(text + n, "</r>");
	struct xml_node root = parse_ok(text);
	CHECK_EQ_U(xml_node_sub_count(root), CHILDREN);
	struct xml_node_ret last = xml_node_sub_at(root, CHILDREN - 1);
	CHECK_EQ(last.result, XML_ACCESS_OK);
	CHECK_EQ_U(xml_node_attribute_unsigned(last.node, "i").value, CHILDREN - 1);
	uint64_t sum = 0;
	for (struct xml_node_ret it = xml_node_sub_first(root); it.result == XML_ACCESS_OK;
	     it = xml_node_next(it.node))
		sum += xml_node_attribute_unsigned(it.node, "i").value;
	CHECK_EQ_U(sum, (uint64_t)CHILDREN * (CHILDREN - 1) / 2);
	free(text);
}
