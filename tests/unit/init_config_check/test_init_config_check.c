/* SPDX-License-Identifier: MIT */
/** \brief unit tests of init/config_check: each problem with its exact message */

#include <stdlib.h>

#include <init/config_check.h>

#include "unit_test.h"

/* the document at the very end of a heap block of its size, so ASan sees overreads */
static struct xml_node parse_ok(char const *text)
{
	size_t n = strlen(text);
	char *p = malloc(n);
	memcpy(p, text, n);
	struct xml_parse_ret r = xml_parse(p, n);
	if (r.result != XML_PARSE_OK)
		unit_test_fail(__FILE__, __LINE__, "parse: result %d at line %u col %u", r.result,
		               r.error_line, r.error_column);
	return r.root;
}

/** the reported lines, each followed by '\n' */
struct log
{
	char text[8192];
	unsigned lines;
};

static void log_line(void *state, char const *line)
{
	struct log *log = state;
	CHECK(strchr(line, '\n') == NULL);
	CHECK(strlen(line) > 0);
	CHECK(strlen(log->text) + strlen(line) + 2 < sizeof(log->text));
	strcat(log->text, line);
	strcat(log->text, "\n");
	log->lines++;
}

/* the <start> node number `index` (from 0) */
static struct xml_node start_at(struct xml_node config, unsigned index)
{
	struct xml_node_ret r = xml_node_sub_by_type(config, "start");
	for (unsigned i = 0; i < index && r.result == XML_ACCESS_OK; i++)
		r = xml_node_next_by_type(r.node, "start");
	if (r.result != XML_ACCESS_OK) unit_test_fail(__FILE__, __LINE__, "no start #%u", index);
	return r.node;
}

/* check start number `index` of the config `text`; the lines land in `log` */
static struct config_start check_start(char const *text, unsigned index, struct log *log)
{
	struct config_start out;
	memset(&out, 0x5a, sizeof(out)); /* every field must be written */
	struct xml_node config = parse_ok(text);
	config_check_start(config, start_at(config, index), &out, log_line, log);
	return out;
}

/* a config of one start whose content is `content` */
static char const *one_start(char const *content)
{
	static char text[4096];
	snprintf(text, sizeof(text), "<config><start name='client'>%s</start></config>", content);
	return text;
}

#define RAM "<resource name='RAM' quantum='1M'/>"

/* the lines about start `content`, which must be valid or not as `valid` says */
static char const *start_lines(char const *content, bool valid)
{
	static struct log log;
	memset(&log, 0, sizeof(log));
	struct config_start out = check_start(one_start(content), 0, &log);
	if (out.valid != valid)
		unit_test_fail(__FILE__, __LINE__, "valid is %d for %s (lines: %s)", out.valid, content,
		               log.text);
	return log.text;
}

/* the lines of config_check_global, whose result must be their number */
static char const *global_lines(char const *text)
{
	static struct log log;
	memset(&log, 0, sizeof(log));
	unsigned n = config_check_global(parse_ok(text), log_line, &log);
	CHECK_EQ(n, log.lines);
	return log.text;
}

TEST(valid_start)
{
	struct log log = { 0 };
	struct config_start out =
	    check_start(one_start("<resource name='RAM' quantum='4M'/>"), 0, &log);
	CHECK(out.valid);
	CHECK_STR(out.name, "client");
	CHECK_STR(out.binary, "client"); /* the binary defaults to the name */
	CHECK_EQ_U(out.quantum, 4u << 20);
	CHECK(!out.has_config);
	CHECK_STR(log.text, "");
	CHECK_EQ(log.lines, 0);
}

TEST(valid_start_with_everything)
{
	struct log log = { 0 };
	char const *text =
	    "<config><parent-provides><service name='LOG'/></parent-provides>"
	    "<start name='server'><provides><service name='Hello'/></provides></start>"
	    "<start name='a-b.c_1'><binary name='hello_client.v2'/>"
	    "<resource name='CPU' quantum='10'/>"
	    "<resource name='RAM' quantum='0x1000'/>"
	    "<provides><service name='Other_1'/><service name='Hello'/></provides>"
	    "<route><service name='Hello' label='x' label_prefix='a' label_suffix='b'>"
	    "<child name='server'/><parent/><any-child/></service>"
	    "<any-service label='y'><parent/></any-service><any-service/></route>"
	    "<config><whatever/></config></start></config>";
	struct config_start out = check_start(text, 1, &log);
	CHECK_STR(log.text, "");
	CHECK(out.valid);
	CHECK_STR(out.name, "a-b.c_1");
	CHECK_STR(out.binary, "hello_client.v2");
	CHECK_EQ_U(out.quantum, 0x1000);
	CHECK(out.has_config);
}

TEST(quantum_forms)
{
	struct log log = { 0 };
	CHECK_EQ_U(
	    check_start(one_start("<resource name='RAM' quantum='65536'/>"), 0, &log).quantum,
	    65536);
	CHECK_EQ_U(check_start(one_start("<resource name='RAM' quantum='64K'/>"), 0, &log).quantum,
	           64 << 10);
	CHECK_EQ_U(check_start(one_start("<resource name='RAM' quantum='2G'/>"), 0, &log).quantum,
	           2ull << 30);
	CHECK_EQ_U(check_start(one_start("<resource name='RAM' quantum='0x10'/>"), 0, &log).quantum,
	           16);
	CHECK_EQ_U(check_start(one_start("<resource name='RAM' quantum='1'/>"), 0, &log).quantum,
	           1);
	CHECK_STR(log.text, "");
}

TEST(quantum_zero)
{
	CHECK_STR(start_lines("<resource name='RAM' quantum='0'/>", false),
	          "start \"client\": RAM quantum \"0\" is zero\n");
	CHECK_STR(start_lines("<resource name='RAM' quantum='0x0M'/>", false),
	          "start \"client\": RAM quantum \"0x0M\" is zero\n");
}

TEST(quantum_missing)
{
	CHECK_STR(start_lines("", false),
	          "start \"client\": no <resource name=\"RAM\" quantum=\"..\"/> node\n");
	CHECK_STR(start_lines("<resource name='CPU' quantum='1M'/><resource quantum='1M'/>"
	                      "<resource name='ram' quantum='1M'/>",
	                      false),
	          "start \"client\": no <resource name=\"RAM\" quantum=\"..\"/> node\n");
	CHECK_STR(start_lines("<resource name='RAM'/>", false),
	          "start \"client\": <resource name=\"RAM\"> has no quantum attribute\n");
}

TEST(quantum_bad)
{
	char const *expected = "start \"client\": RAM quantum \"%s\" is not a number (like 65536, "
	                       "0x10000, 64K, 4M or 1G)\n";
	char const *bad[] = { "", "abc", "4MB", "-1", " 4M", "4 M", "0x", "1T", "4&#77;" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char content[128], line[256];
		snprintf(content, sizeof(content), "<resource name='RAM' quantum='%s'/>", bad[i]);
		snprintf(line, sizeof(line), expected, bad[i]);
		CHECK_STR(start_lines(content, false), line);
	}
}

TEST(quantum_too_large)
{
	CHECK_STR(start_lines("<resource name='RAM' quantum='18446744073709551616'/>", false),
	          "start \"client\": RAM quantum \"18446744073709551616\" does not fit 64 bits\n");
	CHECK_STR(start_lines("<resource name='RAM' quantum='17179869184G'/>", false),
	          "start \"client\": RAM quantum \"17179869184G\" does not fit 64 bits\n");
	struct log log = { 0 };
	struct config_start out = check_start(
	    one_start("<resource name='RAM' quantum='18446744073709551615'/>"), 0, &log);
	CHECK(out.valid);
	CHECK_EQ_U(out.quantum, UINT64_MAX);
}

TEST(quantum_twice)
{
	char const *content =
	    "<resource name='RAM' quantum='1M'/><resource name='RAM' quantum='2M'/>"
	    "<resource name='RAM' quantum='3M'/>";
	CHECK_STR(start_lines(content, false),
	          "start \"client\": more than one <resource name=\"RAM\"> node\n");
	/* a bad second one is not checked: the count alone makes it invalid */
	CHECK_STR(start_lines(RAM "<resource name='RAM'/>", false),
	          "start \"client\": more than one <resource name=\"RAM\"> node\n");
}

TEST(name_missing)
{
	struct log log = { 0 };
	char const *text = "<config><start name='a'>" RAM "</start><start>" RAM "</start></config>";
	struct config_start out = check_start(text, 1, &log);
	CHECK(!out.valid);
	CHECK_STR(out.name, "");
	CHECK_STR(out.binary, "");
	CHECK_STR(log.text, "start #2: no name attribute\n");
}

static void check_name_invalid(char const *name, char const *shown)
{
	char text[512], line[256];
	snprintf(text, sizeof(text), "<config><start name='%s'>" RAM "</start></config>", name);
	snprintf(line, sizeof(line),
	         "start #1: name \"%s\" is not valid (1 to 63 characters of A-Z a-z 0-9 _ . -)\n",
	         shown);
	struct log log = { 0 };
	struct config_start out = check_start(text, 0, &log);
	CHECK(!out.valid);
	CHECK_STR(log.text, line);
}

TEST(name_invalid)
{
	check_name_invalid("", "");
	check_name_invalid("my client", "my client");
	check_name_invalid("a->b", "a->b");
	check_name_invalid("init -&gt; x", "init -&gt; x");
	check_name_invalid("a&amp;b", "a&amp;b");
	/* a reference is not allowed even if it decodes to a valid name */
	check_name_invalid("ab&#x63;", "ab&#x63;");
	check_name_invalid("caf\xc3\xa9", "caf??");
	check_name_invalid("tab\there", "tab?here");
	check_name_invalid("0123456789012345678901234567890123456789012345678901234567890123",
	                   "012345678901234567890123456789012345678901234567...");
}

TEST(name_longest)
{
	struct log log = { 0 };
	char const *name = "012345678901234567890123456789012345678901234567890123456789012";
	char text[256];
	snprintf(text, sizeof(text), "<config><start name='%s'>" RAM "</start></config>", name);
	struct config_start out = check_start(text, 0, &log);
	CHECK_STR(log.text, "");
	CHECK(out.valid);
	CHECK_STR(out.name, name);
	CHECK_STR(out.binary, name);
}

TEST(duplicate_names)
{
	char const *text =
	    "<config><start name='a'>" RAM "</start><start name='b'>" RAM "</start>"
	    "<start name='a'>" RAM "</start><start name='a'>" RAM "</start></config>";
	struct log log = { 0 };
	CHECK(check_start(text, 0, &log).valid);
	CHECK(check_start(text, 1, &log).valid);
	CHECK_STR(log.text, "");
	struct config_start out = check_start(text, 2, &log);
	CHECK(!out.valid);
	CHECK_STR(log.text, "start #3: duplicate start name \"a\": only the first is started\n");
	memset(&log, 0, sizeof(log));
	CHECK(!check_start(text, 3, &log).valid);
	CHECK_STR(log.text, "start #4: duplicate start name \"a\": only the first is started\n");
}

TEST(duplicate_of_an_invalid_start)
{
	/* the first is invalid itself, and the second still is a duplicate */
	char const *text = "<config><start name='a'/><start name='a'>" RAM "</start></config>";
	struct log log = { 0 };
	CHECK(!check_start(text, 0, &log).valid);
	CHECK_STR(log.text, "start \"a\": no <resource name=\"RAM\" quantum=\"..\"/> node\n");
	memset(&log, 0, sizeof(log));
	CHECK(!check_start(text, 1, &log).valid);
	CHECK_STR(log.text, "start #2: duplicate start name \"a\": only the first is started\n");

	/* names compare decoded: "a&#98;" is "ab" */
	char const *decoded =
	    "<config><start name='a&#98;'/><start name='ab'>" RAM "</start></config>";
	memset(&log, 0, sizeof(log));
	CHECK(!check_start(decoded, 1, &log).valid);
	CHECK_STR(log.text, "start #2: duplicate start name \"ab\": only the first is started\n");
}

TEST(problems_after_an_unusable_name_name_the_position)
{
	char const *text = "<config><start name='ok'>" RAM "</start>"
	                   "<start name='ok'><resource name='RAM' quantum='x'/></start></config>";
	struct log log = { 0 };
	CHECK(!check_start(text, 1, &log).valid);
	CHECK_STR(
	    log.text,
	    "start #2: duplicate start name \"ok\": only the first is started\n"
	    "start #2: RAM quantum \"x\" is not a number (like 65536, 0x10000, 64K, 4M or 1G)\n");
}

TEST(binary)
{
	CHECK_STR(start_lines(RAM "<binary/>", false),
	          "start \"client\": <binary> has no name attribute\n");
	CHECK_STR(
	    start_lines(RAM "<binary name='a b'/>", false),
	    "start \"client\": binary name \"a b\" is not valid (1 to 63 characters of A-Z a-z 0-9 "
	    "_ . -)\n");
	CHECK_STR(start_lines(RAM "<binary name=''/>", false),
	          "start \"client\": binary name \"\" is not valid (1 to 63 characters of A-Z a-z "
	          "0-9 _ . "
	          "-)\n");
	CHECK_STR(start_lines(RAM "<binary name='x'/><binary name='y'/><binary name='z'/>", false),
	          "start \"client\": more than one <binary> node\n");

	struct log log = { 0 };
	struct config_start out = check_start(one_start(RAM "<binary name='a b'/>"), 0, &log);
	CHECK_STR(out.binary, ""); /* not the name: the binary asked for is a different one */
}

TEST(provides_problems)
{
	CHECK_STR(
	    start_lines(RAM "<provides><service name='Hello'/><foo name='x'/></provides>", false),
	    "start \"client\": <provides> has a <foo> node; only <service name=\"..\"/> is "
	    "allowed\n");
	CHECK_STR(start_lines(RAM "<provides><service/></provides>", false),
	          "start \"client\": <provides>: <service> has no name attribute\n");
	CHECK_STR(
	    start_lines(RAM "<provides><service name='Hello world'/></provides>", false),
	    "start \"client\": <provides>: service name \"Hello world\" is not valid (1 to 31 "
	    "characters of A-Z a-z 0-9 _)\n");
	CHECK_STR(
	    start_lines(RAM "<provides><service name='a.b'/></provides>", false),
	    "start \"client\": <provides>: service name \"a.b\" is not valid (1 to 31 characters "
	    "of A-Z a-z 0-9 _)\n");
	CHECK_STR(
	    start_lines(RAM "<provides><service name=''/></provides>", false),
	    "start \"client\": <provides>: service name \"\" is not valid (1 to 31 characters of "
	    "A-Z a-z 0-9 _)\n");
	CHECK_STR(start_lines(RAM "<provides><service name='A&amp;B'/></provides>", false),
	          "start \"client\": <provides>: service name \"A&amp;B\" is not valid (1 to 31 "
	          "characters of A-Z a-z 0-9 _)\n");
	CHECK_STR(start_lines(RAM "<provides><service name='Hello'/><service name='LOG'/>"
	                          "<service name='Hello'/><service name='Hello'/></provides>",
	                      false),
	          "start \"client\": <provides>: service \"Hello\" is listed more than once\n"
	          "start \"client\": <provides>: service \"Hello\" is listed more than once\n");
	CHECK_STR(start_lines(RAM "<provides/><provides/>", false),
	          "start \"client\": more than one <provides> node\n");
}

TEST(provides_service_name_length)
{
	/* SESSION_SERVICE_NAME_MAX is 32: 31 bytes are fine, 32 are not */
	CHECK_STR(start_lines(RAM "<provides><service name='S123456789012345678901234567890'/>"
	                          "</provides>",
	                      true),
	          "");
	CHECK_STR(
	    start_lines(RAM "<provides><service name='S1234567890123456789012345678901'/>"
	                    "</provides>",
	                false),
	    "start \"client\": <provides>: service name \"S1234567890123456789012345678901\" is "
	    "not valid (1 to 31 characters of A-Z a-z 0-9 _)\n");
}

TEST(route_bad_nodes)
{
	CHECK_STR(
	    start_lines(RAM "<route><services name='Hello'><parent/></services></route>", false),
	    "start \"client\": <route> has a <services> node; allowed are <service name=\"..\"> "
	    "and "
	    "<any-service>\n");
	CHECK_STR(start_lines(RAM "<route><service><parent/></service></route>", false),
	          "start \"client\": <route>: <service> has no name attribute\n");
	CHECK_STR(
	    start_lines(RAM "<route><service name='a b'><parent/></service></route>", false),
	    "start \"client\": <route>: service name \"a b\" is not valid (1 to 31 characters of "
	    "A-Z a-z 0-9 _)\n");
	CHECK_STR(start_lines(RAM
	                      "<route><service name='LOG' lable='x'><parent/></service></route>",
	                      false),
	          "start \"client\": <route>: <service name=\"LOG\"> has an unknown attribute "
	          "\"lable\"\n");
	CHECK_STR(start_lines(RAM "<route><any-service name='LOG'><parent/></any-service></route>",
	                      false),
	          "start \"client\": <route>: <any-service> has an unknown attribute \"name\"\n");
	CHECK_STR(start_lines(RAM "<route/><route/>", false),
	          "start \"client\": more than one <route> node\n");
}

TEST(route_bad_targets)
{
	CHECK_STR(
	    start_lines(RAM "<route><service name='LOG'><parent/><childs/></service></route>",
	                false),
	    "start \"client\": <route>: <service name=\"LOG\"> has a <childs> target; allowed are "
	    "<parent/>, <child name=\"..\"/> and <any-child/>\n");
	CHECK_STR(
	    start_lines(RAM "<route><any-service><any-service/></any-service></route>", false),
	    "start \"client\": <route>: <any-service> has a <any-service> target; allowed are "
	    "<parent/>, <child name=\"..\"/> and <any-child/>\n");
	CHECK_STR(start_lines(RAM "<route><service name='LOG'><child/></service></route>", false),
	          "start \"client\": <route>: <service name=\"LOG\"> has a <child> without a name "
	          "attribute\n");
	CHECK_STR(start_lines(RAM "<route><service><foo/></service></route>", false),
	          "start \"client\": <route>: <service> has no name attribute\n"
	          "start \"client\": <route>: <service> has a <foo> target; allowed are <parent/>, "
	          "<child name=\"..\"/> and <any-child/>\n");
}

TEST(route_to_nonexistent_child_keeps_the_start_valid)
{
	CHECK_STR(start_lines(RAM "<route><service name='Hello'><child name='nosuch'/></service>"
	                          "</route>",
	                      true),
	          "start \"client\": route to child \"nosuch\", which is not in the config\n");
	/* a name that cannot be decoded into a start name is not in the config either */
	CHECK_STR(
	    start_lines(RAM "<route><any-service><child name='x&amp;y'/>"
	                    "<child name='0123456789012345678901234567890123456789012345678901234"
	                    "56789012345'/></any-service></route>",
	                true),
	    "start \"client\": route to child \"x&amp;y\", which is not in the config\n"
	    "start \"client\": route to child \"012345678901234567890123456789012345678901234567..."
	    "\", which is not in the config\n");
}

TEST(route_to_the_start_itself_keeps_it_valid)
{
	CHECK_STR(start_lines(RAM "<route><service name='Hello'><child name='client'/></service>"
	                          "</route>",
	                      true),
	          "start \"client\": route to child \"client\", which is the start itself\n");
	/* the reference decodes to "client" */
	CHECK_STR(start_lines(RAM "<route><service name='Hello'><child name='c&#108;ient'/>"
	                          "</service></route>",
	                      true),
	          "start \"client\": route to child \"c&#108;ient\", which is the start itself\n");
}

TEST(route_to_existing_children)
{
	char const *text = "<config><start name='client'>" RAM "<route><service name='Hello'>"
	                   "<child name='server'/><child name='late'/><child name='bad'/></service>"
	                   "</route></start><start name='server'/><start name='bad' foo='x'/>"
	                   "<start name='late'/></config>";
	struct log log = { 0 };
	CHECK(check_start(text, 0, &log).valid);
	CHECK_STR(log.text, "");
}

TEST(config_node)
{
	struct log log = { 0 };
	struct config_start out = check_start(one_start(RAM "<config/>"), 0, &log);
	CHECK(out.valid);
	CHECK(out.has_config);
	CHECK_STR(start_lines(RAM "<config/><config><x/></config>", false),
	          "start \"client\": more than one <config> node\n");
}

TEST(unknown_start_node_is_reported_only)
{
	CHECK_STR(start_lines(RAM "<rout/><ressource name='RAM'/>", true),
	          "start \"client\": unknown node <rout> is ignored\n"
	          "start \"client\": unknown node <ressource> is ignored\n");
}

TEST(all_problems_reported_in_order)
{
	CHECK_STR(start_lines("<binary/><provides><foo/></provides><config/><config/>"
	                      "<route><service name='x'><child name='nosuch'/></service></route>",
	                      false),
	          "start \"client\": <binary> has no name attribute\n"
	          "start \"client\": <provides> has a <foo> node; only <service name=\"..\"/> is "
	          "allowed\n"
	          "start \"client\": more than one <config> node\n"
	          "start \"client\": route to child \"nosuch\", which is not in the config\n"
	          "start \"client\": no <resource name=\"RAM\" quantum=\"..\"/> node\n");
}

TEST(long_values_are_cut)
{
	char content[512];
	snprintf(content, sizeof(content), RAM "<provides><service name='%s'/></provides>",
	         "Service_name_that_is_much_longer_than_anything_a_message_shows");
	CHECK_STR(start_lines(content, false),
	          "start \"client\": <provides>: service name "
	          "\"Service_name_that_is_much_longer_than_anything_a...\" is not valid (1 to 31 "
	          "characters of A-Z a-z 0-9 _)\n");
}

TEST(report_may_be_null)
{
	struct xml_node config = parse_ok("<config><start name='a'/><foo/></config>");
	struct config_start out;
	config_check_start(config, start_at(config, 0), &out, NULL, NULL);
	CHECK(!out.valid);
	CHECK_STR(out.name, "a");
	CHECK_EQ(config_check_global(config, NULL, NULL), 1);
}

TEST_EXPECT_DEATH(start_not_in_config)
{
	struct xml_node config = parse_ok("<config><start name='a'/></config>");
	struct xml_node other = parse_ok("<config><start name='a'/></config>");
	struct config_start out;
	config_check_start(config, start_at(other, 0), &out, NULL, NULL);
}

TEST(global_clean)
{
	CHECK_STR(global_lines("<config><parent-provides><service name='LOG'/><service name='ROM'/>"
	                       "</parent-provides><default-route><any-service><parent/><any-child/>"
	                       "</any-service><service name='Hello' label_prefix='x'>"
	                       "<child name='s'/></service></default-route>"
	                       "<start name='s'><foo/></start></config>"),
	          "");
	CHECK_STR(global_lines("<config/>"), "");
}

TEST(global_parent_provides)
{
	CHECK_STR(global_lines("<config><parent-provides><service name='LOG'/><rom name='ROM'/>"
	                       "<service/><service name='a b'/><service name='LOG'/>"
	                       "</parent-provides></config>"),
	          "<parent-provides> has a <rom> node; only <service name=\"..\"/> is allowed\n"
	          "<parent-provides>: <service> has no name attribute\n"
	          "<parent-provides>: service name \"a b\" is not valid (1 to 31 characters of A-Z "
	          "a-z 0-9 _)\n"
	          "<parent-provides>: service \"LOG\" is listed more than once\n");
	CHECK_STR(global_lines("<config><parent-provides/><parent-provides><foo/></parent-provides>"
	                       "<parent-provides/></config>"),
	          "more than one <parent-provides> node: only the first is used\n");
}

TEST(global_default_route)
{
	CHECK_STR(
	    global_lines("<config><default-route><foo/><service><parent/></service>"
	                 "<any-service label_prefix='a' x='1'><child name='nosuch'/><bar/>"
	                 "<child/></any-service></default-route>"
	                 "<start name='s'/></config>"),
	    "<default-route> has a <foo> node; allowed are <service name=\"..\"> and "
	    "<any-service>\n"
	    "<default-route>: <service> has no name attribute\n"
	    "<default-route>: <any-service> has an unknown attribute \"x\"\n"
	    "default route to child \"nosuch\", which is not in the config\n"
	    "<default-route>: <any-service> has a <bar> target; allowed are <parent/>, <child "
	    "name=\"..\"/> and <any-child/>\n"
	    "<default-route>: <any-service> has a <child> without a name attribute\n");
	CHECK_STR(global_lines("<config><default-route/><default-route><foo/></default-route>"
	                       "</config>"),
	          "more than one <default-route> node: only the first is used\n");
}

TEST(global_unknown_nodes)
{
	CHECK_STR(global_lines("<config><strat name='a'/><start name='b'><bad/></start>"
	                       "<defaultroute/></config>"),
	          "unknown node <strat> in the config is ignored\n"
	          "unknown node <defaultroute> in the config is ignored\n");
}
