/* SPDX-License-Identifier: MIT */
/** \brief unit tests of init/route: labels, order, targets, first match decides, references */

#include <stdlib.h>

#include <init/route.h>

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

static bool span_is(struct xml_span span, char const *text)
{
	return span.length == strlen(text) && memcmp(span.start, text, span.length) == 0;
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

/* the first <start> whose name is written as `name` */
static struct xml_node start_named(struct xml_node config, char const *name)
{
	struct xml_node_ret r = xml_node_sub_by_type(config, "start");
	for (; r.result == XML_ACCESS_OK; r = xml_node_next_by_type(r.node, "start")) {
		struct xml_attribute_ret a = xml_node_attribute(r.node, "name");
		if (a.result == XML_ACCESS_OK && span_is(a.attribute.value, name)) return r.node;
	}
	unit_test_fail(__FILE__, __LINE__, "no start \"%s\"", name);
}

/** the children that exist, and what the callback was asked */
struct world
{
	char const *existing; /* names separated by ',', e.g. "a,b" */
	unsigned calls;
	char asked[256]; /* the names asked for, each followed by ';' */
};

static bool world_exists(void *state, struct xml_span name)
{
	struct world *world = state;
	world->calls++;
	strncat(world->asked, name.start, name.length);
	strcat(world->asked, ";");
	char const *p = world->existing;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == name.length && memcmp(p, name.start, n) == 0) return true;
		p += n;
		if (*p == ',') p++;
	}
	return false;
}

/*
 * The route as text: "denied", "parent" or "child <name>". For a child it
 * also checks that the result's start node is the one of that name.
 */
static char const *route_text(struct xml_node config, struct xml_node requester,
                              char const *service, char const *label, struct world *world)
{
	static char text[128];
	struct route_result r =
	    route_resolve(config, requester, service, label, world_exists, world);
	switch (r.kind) {
	case ROUTE_DENIED:
		return "denied";
	case ROUTE_PARENT:
		return "parent";
	case ROUTE_CHILD: {
		CHECK(xml_node_has_type(r.start, "start"));
		struct xml_attribute_ret a = xml_node_attribute(r.start, "name");
		CHECK_EQ(a.result, XML_ACCESS_OK);
		CHECK(a.attribute.value.start == r.child.start);
		CHECK_EQ_U(a.attribute.value.length, r.child.length);
		snprintf(text, sizeof(text), "child %.*s", (int)r.child.length, r.child.start);
		return text;
	}
	}
	return "bad kind";
}

/* route for the start "client" of `text`, with all of `existing` started */
static char const *client_route(char const *text, char const *existing, char const *service,
                                char const *label)
{
	struct world world = { .existing = existing };
	struct xml_node config = parse_ok(text);
	return route_text(config, start_named(config, "client"), service, label, &world);
}

static char const servers[] =
    "<start name='server_a'><provides><service name='Hello'/></provides></start>"
    "<start name='server_b'><provides><service name='Hello'/></provides></start>"
    "<start name='server_c'><provides><service name='Hello'/></provides></start>";

/* a config with `route` as the client's <route> content and the three servers */
static char const *with_route(char const *route)
{
	static char text[4096];
	snprintf(text, sizeof(text),
	         "<config><parent-provides><service name='LOG'/></parent-provides>"
	         "<start name='client'><route>%s</route></start>%s</config>",
	         route, servers);
	return text;
}

static char const *hello(char const *route, char const *label)
{
	return client_route(with_route(route), "client,server_a,server_b,server_c", "Hello", label);
}

TEST(label_equal)
{
	char const *route = "<service name='Hello' label='b'><child name='server_b'/></service>"
	                    "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(route, "b"), "child server_b");
	CHECK_STR(hello(route, "a"), "child server_a");
	CHECK_STR(hello(route, "bb"), "child server_a");
	CHECK_STR(hello(route, ""), "child server_a");
	CHECK_STR(hello(route, "B"), "child server_a");
}

TEST(label_prefix)
{
	char const *route =
	    "<service name='Hello' label_prefix='cam'><child name='server_b'/></service>"
	    "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(route, "camera"), "child server_b");
	CHECK_STR(hello(route, "cam"), "child server_b");
	CHECK_STR(hello(route, "ca"), "child server_a");
	CHECK_STR(hello(route, "xcam"), "child server_a");
	CHECK_STR(hello(route, ""), "child server_a");
}

TEST(label_suffix)
{
	char const *route =
	    "<service name='Hello' label_suffix='cam'><child name='server_b'/></service>"
	    "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(route, "front cam"), "child server_b");
	CHECK_STR(hello(route, "cam"), "child server_b");
	CHECK_STR(hello(route, "am"), "child server_a");
	CHECK_STR(hello(route, "camera"), "child server_a");
	CHECK_STR(hello(route, ""), "child server_a");
}

TEST(label_prefix_and_suffix_both_must_hold)
{
	char const *route = "<service name='Hello' label_prefix='ab' label_suffix='ba'><child "
	                    "name='server_b'/></service>"
	                    "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(route, "ab-ba"), "child server_b");
	CHECK_STR(hello(route, "aba"), "child server_b"); /* prefix and suffix overlap */
	CHECK_STR(hello(route, "ab"), "child server_a");
	CHECK_STR(hello(route, "ba"), "child server_a");
	CHECK_STR(hello(route, "ab-b"), "child server_a");
	CHECK_STR(hello(route, "xb-ba"), "child server_a");
}

TEST(label_and_prefix_both_must_hold)
{
	char const *route =
	    "<service name='Hello' label='abc' label_prefix='ab'><child name='server_b'/></service>"
	    "<service name='Hello' label='abc' label_prefix='x'><child name='server_c'/></service>"
	    "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(route, "abc"), "child server_b");
	CHECK_STR(hello(route, "abd"), "child server_a");
	char const *never =
	    "<service name='Hello' label='abc' label_suffix='x'><child name='server_b'/></service>"
	    "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(never, "abc"), "child server_a");
	CHECK_STR(hello(never, "abcx"), "child server_a");
}

TEST(empty_label)
{
	char const *route = "<service name='Hello' label=''><child name='server_c'/></service>"
	                    "<service name='Hello' label='x'><child name='server_b'/></service>"
	                    "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(route, ""), "child server_c");
	CHECK_STR(hello(route, "x"), "child server_b");
	CHECK_STR(hello(route, "y"), "child server_a");

	/* an empty prefix or suffix holds for every label, the empty one too */
	char const *empty = "<service name='Hello' label_prefix='' label_suffix=''><child "
	                    "name='server_b'/></service>";
	CHECK_STR(hello(empty, ""), "child server_b");
	CHECK_STR(hello(empty, "anything"), "child server_b");

	/* a prefix never matches the empty label */
	char const *prefix =
	    "<service name='Hello' label_prefix='a'><child name='server_b'/></service>";
	CHECK_STR(hello(prefix, ""), "denied");
}

TEST(label_prefix_that_does_not_fit_never_matches)
{
	/* SESSION_LABEL_MAX is 160: a prefix of 159 bytes fits, one of 160 does not */
	char label[300], route[700];
	memset(label, 'a', 250);
	label[250] = 0;
	snprintf(route, sizeof(route),
	         "<service name='Hello' label_prefix='%.159s'><child name='server_b'/></service>"
	         "<service name='Hello'><child name='server_a'/></service>",
	         label);
	CHECK_STR(hello(route, label), "child server_b");
	snprintf(route, sizeof(route),
	         "<service name='Hello' label_suffix='%.159s'><child name='server_b'/></service>"
	         "<service name='Hello'><child name='server_a'/></service>",
	         label);
	CHECK_STR(hello(route, label), "child server_b");
	snprintf(route, sizeof(route),
	         "<service name='Hello' label_prefix='%.160s'><child name='server_b'/></service>"
	         "<service name='Hello' label_suffix='%.160s'><child name='server_c'/></service>"
	         "<service name='Hello'><child name='server_a'/></service>",
	         label, label);
	CHECK_STR(hello(route, label), "child server_a");
	/* label="" (exact) has no such limit */
	snprintf(route, sizeof(route),
	         "<service name='Hello' label='%s'><child name='server_b'/></service>", label);
	CHECK_STR(hello(route, label), "child server_b");
}

TEST(label_suffix_longer_than_the_label)
{
	/* a suffix longer than the label must not read before it */
	char const *route =
	    "<service name='Hello' label_suffix='xxxxabc'><child name='server_b'/></service>";
	char *label = malloc(4);
	memcpy(label, "abc", 4);
	CHECK_STR(hello(route, label), "denied");
	free(label);
}

TEST(route_before_default_route)
{
	char const *text =
	    "<config><parent-provides><service name='Hello'/></parent-provides>"
	    "<default-route><any-service><parent/></any-service></default-route>"
	    "<start name='client'><route><service name='Hello'><child name='server_a'/>"
	    "</service></route></start>"
	    "<start name='server_a'><provides><service name='Hello'/></provides></start>"
	    "</config>";
	CHECK_STR(client_route(text, "server_a", "Hello", ""), "child server_a");
	/* not matched by the start's route: the default route decides */
	CHECK_STR(client_route(text, "server_a", "LOG", ""), "denied");
	CHECK_STR(client_route(text, "", "Hello", ""), "denied"); /* server_a not started */
}

TEST(default_route_alone)
{
	char const *text =
	    "<config><parent-provides><service name='LOG'/></parent-provides>"
	    "<default-route><any-service><parent/><any-child/></any-service></default-route>"
	    "<start name='client'/>"
	    "<start name='server_a'><provides><service name='Hello'/></provides></start>"
	    "</config>";
	CHECK_STR(client_route(text, "client,server_a", "LOG", "x"), "parent");
	CHECK_STR(client_route(text, "client,server_a", "Hello", "x"), "child server_a");
	CHECK_STR(client_route(text, "client,server_a", "Timer", "x"), "denied");
}

TEST(document_order)
{
	char const *route = "<service name='Hello'><child name='server_b'/></service>"
	                    "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(route, ""), "child server_b");
	char const *any_first = "<any-service><child name='server_c'/></any-service>"
	                        "<service name='Hello'><child name='server_a'/></service>";
	CHECK_STR(hello(any_first, ""), "child server_c");
	/* targets within one node in order, too */
	char const *targets =
	    "<service name='Hello'><child name='server_c'/><child name='server_a'/></service>";
	CHECK_STR(hello(targets, ""), "child server_c");
}

TEST(parent_only_if_parent_provides)
{
	char const *route = "<service name='LOG'><parent/></service>"
	                    "<service name='Timer'><parent/></service>"
	                    "<service name='Timer'><child name='server_a'/></service>";
	char const *text = with_route(route);
	CHECK_STR(client_route(text, "server_a", "LOG", ""), "parent");
	CHECK_STR(client_route(text, "server_a", "Timer", ""),
	          "denied"); /* server_a has no Timer */

	char const *none =
	    "<config><start name='client'><route><any-service><parent/></any-service>"
	    "</route></start></config>";
	CHECK_STR(client_route(none, "", "LOG", ""), "denied");
}

TEST(route_parent_provides_lists)
{
	struct xml_node config =
	    parse_ok("<config><parent-provides><service name='LOG'/>"
	             "<service name='A&amp;B'/><service/><foo name='ROM'/>"
	             "</parent-provides>"
	             "<parent-provides><service name='Second'/></parent-provides>"
	             "</config>");
	CHECK(route_parent_provides(config, "LOG"));
	CHECK(route_parent_provides(config, "A&B"));
	CHECK(!route_parent_provides(config, "A&amp;B"));
	CHECK(!route_parent_provides(config, "ROM"));
	CHECK(!route_parent_provides(config, "Second")); /* only the first list counts */
	CHECK(!route_parent_provides(config, "LO"));
	CHECK(!route_parent_provides(config, ""));
	CHECK(!route_parent_provides(parse_ok("<config/>"), "LOG"));
}

TEST(route_start_provides_lists)
{
	struct xml_node config =
	    parse_ok("<config><start name='s'><provides><service name='Hello'/>"
	             "<service name='x&lt;y'/></provides>"
	             "<provides><service name='Second'/></provides></start>"
	             "<start name='t'><route><service name='Hello'><parent/>"
	             "</service></route></start></config>");
	struct xml_node s = start_at(config, 0), t = start_at(config, 1);
	CHECK(route_start_provides(s, "Hello"));
	CHECK(route_start_provides(s, "x<y"));
	CHECK(!route_start_provides(s, "Second"));
	CHECK(!route_start_provides(s, "Hell"));
	CHECK(!route_start_provides(t, "Hello")); /* a <route> entry is no <provides> */
}

TEST(child_that_does_not_exist)
{
	char const *route =
	    "<service name='Hello'><child name='server_b'/><child name='server_a'/></service>";
	struct world world = { .existing = "server_a" };
	struct xml_node config = parse_ok(with_route(route));
	CHECK_STR(route_text(config, start_named(config, "client"), "Hello", "", &world),
	          "child server_a");
	CHECK_STR(world.asked, "server_b;server_a;");

	world = (struct world){ .existing = "" };
	CHECK_STR(route_text(config, start_named(config, "client"), "Hello", "", &world), "denied");
}

TEST(child_not_in_config_is_not_asked)
{
	char const *route = "<service name='Hello'><child name='nosuch'/><child name=''/><child/>"
	                    "<child name='server_a'/></service>";
	struct world world = { .existing = "nosuch,server_a" };
	struct xml_node config = parse_ok(with_route(route));
	CHECK_STR(route_text(config, start_named(config, "client"), "Hello", "", &world),
	          "child server_a");
	CHECK_STR(world.asked, "server_a;");
}

TEST(child_is_the_requester)
{
	char const *text =
	    "<config><start name='client'><provides><service name='Hello'/></provides>"
	    "<route><service name='Hello'><child name='client'/><parent/></service></route>"
	    "</start></config>";
	struct world world = { .existing = "client" };
	struct xml_node config = parse_ok(text);
	CHECK_STR(route_text(config, start_at(config, 0), "Hello", "", &world), "denied");
	CHECK_EQ(world.calls, 0);
}

TEST(child_that_does_not_provide)
{
	char const *text = "<config>"
	                   "<start name='client'><route><service name='Hello'><child name='log'/>"
	                   "<child name='timer'/><child name='server_a'/></service></route></start>"
	                   "<start name='log'><provides><service name='LOG'/></provides></start>"
	                   "<start name='timer'/>"
	                   "<start name='server_a'><route><service name='Hello'><parent/></service>"
	                   "</route><provides><service name='Hello'/></provides></start>"
	                   "</config>";
	struct world world = { .existing = "client,log,timer,server_a" };
	struct xml_node config = parse_ok(text);
	CHECK_STR(route_text(config, start_at(config, 0), "Hello", "", &world), "child server_a");
	CHECK_STR(world.asked, "server_a;");
	CHECK_STR(client_route(text, "client,log,timer", "Hello", ""), "denied");
}

TEST(any_child_first_provider_in_document_order)
{
	char const *text =
	    "<config>"
	    "<start name='log'><provides><service name='LOG'/></provides></start>"
	    "<start name='client'><provides><service name='Hello'/></provides>"
	    "<route><any-service><any-child/></any-service></route></start>"
	    "<start name='server_a'><provides><service name='Hello'/></provides></start>"
	    "<start name='server_b'><provides><service name='Hello'/></provides></start>"
	    "<start name='server_c'><provides><service name='Hello'/></provides></start>"
	    "</config>";
	CHECK_STR(client_route(text, "log,client,server_a,server_b,server_c", "Hello", ""),
	          "child server_a");
	CHECK_STR(client_route(text, "log,client,server_b,server_c", "Hello", ""),
	          "child server_b");
	CHECK_STR(client_route(text, "log,client,server_c", "Hello", ""), "child server_c");
	CHECK_STR(client_route(text, "log,client", "Hello", ""), "denied");
	CHECK_STR(client_route(text, "log,client,server_a", "LOG", ""), "child log");
	CHECK_STR(client_route(text, "client,server_a", "LOG", ""), "denied");

	/* only candidates that provide are asked, the requester never */
	struct world world = { .existing = "server_c" };
	struct xml_node config = parse_ok(text);
	CHECK_STR(route_text(config, start_named(config, "client"), "Hello", "", &world),
	          "child server_c");
	CHECK_STR(world.asked, "server_a;server_b;server_c;");
}

TEST(any_child_skips_duplicate_and_nameless_starts)
{
	/* the second "dup" is never started: its name belongs to the first */
	char const *text =
	    "<config>"
	    "<start name='client'><route><any-service><any-child/></any-service></route></start>"
	    "<start><provides><service name='Hello'/></provides></start>"
	    "<start name='dup'/>"
	    "<start name='dup'><provides><service name='Hello'/></provides></start>"
	    "<start name='server_a'><provides><service name='Hello'/></provides></start>"
	    "</config>";
	CHECK_STR(client_route(text, "client,dup,server_a", "Hello", ""), "child server_a");
	CHECK_STR(client_route(text, "client,dup", "Hello", ""), "denied");

	char const *child =
	    "<config>"
	    "<start name='client'><route><any-service><child name='dup'/></any-service>"
	    "</route></start>"
	    "<start name='dup'/>"
	    "<start name='dup'><provides><service name='Hello'/></provides></start>"
	    "</config>";
	CHECK_STR(client_route(child, "client,dup", "Hello", ""), "denied");
}

TEST(first_matching_node_decides)
{
	char const *route = "<service name='Hello'><child name='server_a'/><parent/></service>"
	                    "<any-service><child name='server_b'/></any-service>"
	                    "<service name='Hello'><child name='server_c'/></service>";
	char const *text = with_route(route);
	CHECK_STR(client_route(text, "server_a,server_b,server_c", "Hello", ""), "child server_a");
	/* server_a is not there and the parent does not provide Hello: no detour */
	CHECK_STR(client_route(text, "server_b,server_c", "Hello", ""), "denied");
	CHECK_STR(client_route(text, "server_c", "Hello", ""), "denied");
	CHECK_STR(client_route(text, "", "Hello", ""), "denied");
}

TEST(targets_of_the_matching_node_in_order)
{
	char const *route =
	    "<service name='Hello'><child name='server_a'/><child name='server_b'/></service>";
	char const *text = with_route(route);
	CHECK_STR(client_route(text, "server_a,server_b", "Hello", ""), "child server_a");
	CHECK_STR(client_route(text, "server_b", "Hello", ""), "child server_b");
	CHECK_STR(client_route(text, "", "Hello", ""), "denied");
}

TEST(matching_route_is_not_bypassed_by_default_route)
{
	char const *text =
	    "<config><parent-provides><service name='Hello'/></parent-provides>"
	    "<default-route><any-service><parent/></any-service></default-route>"
	    "<start name='client'><route><service name='Hello'><child name='server_a'/>"
	    "</service></route></start>"
	    "<start name='server_a'><provides><service name='Hello'/></provides></start>"
	    "</config>";
	CHECK_STR(client_route(text, "client,server_a", "Hello", ""), "child server_a");
	CHECK_STR(client_route(text, "client", "Hello", ""), "denied");
}

TEST(default_route_when_no_route_node_matches)
{
	char const *text =
	    "<config><parent-provides><service name='Hello'/><service name='LOG'/>"
	    "</parent-provides>"
	    "<default-route><any-service><parent/></any-service></default-route>"
	    "<start name='client'><route><service name='LOG' label='x'><child name='server_a'/>"
	    "</service></route></start>"
	    "<start name='server_a'><provides><service name='LOG'/></provides></start>"
	    "</config>";
	CHECK_STR(client_route(text, "client,server_a", "Hello", ""), "parent");
	CHECK_STR(client_route(text, "client,server_a", "LOG", ""), "parent");
	CHECK_STR(client_route(text, "client,server_a", "LOG", "x"), "child server_a");
}

TEST(any_service)
{
	char const *text =
	    "<config><parent-provides><service name='LOG'/><service name='ROM'/>"
	    "</parent-provides>"
	    "<start name='client'><route>"
	    "<any-service label='special'><child name='server_a'/></any-service>"
	    "<any-service><parent/></any-service></route></start>"
	    "<start name='server_a'><provides><service name='ROM'/></provides></start>"
	    "</config>";
	CHECK_STR(client_route(text, "server_a", "LOG", ""), "parent");
	CHECK_STR(client_route(text, "server_a", "ROM", "x"), "parent");
	CHECK_STR(client_route(text, "server_a", "ROM", "special"), "child server_a");
	CHECK_STR(client_route(text, "server_a", "LOG", "special"),
	          "denied"); /* server_a decides */
	CHECK_STR(client_route(text, "server_a", "Hello", "special"), "denied");
}

TEST(denied_when_nothing_matches)
{
	char const *none = "<config><parent-provides><service name='LOG'/></parent-provides>"
	                   "<start name='client'/></config>";
	CHECK_STR(client_route(none, "client", "LOG", ""), "denied");

	char const *route = "<service name='Hello' label='x'><parent/></service>"
	                    "<service name='LOG'><child name='server_a'/></service>"
	                    "<service name='LOG'/>";
	CHECK_STR(hello(route, ""), "denied");
	CHECK_STR(client_route(with_route(route), "server_a", "LOG", ""), "denied");
	CHECK_STR(client_route(with_route(route), "server_a", "Hell", ""), "denied");
}

TEST(unknown_nodes_and_targets_are_skipped)
{
	char const *route = "<foo name='Hello'><child name='server_c'/></foo>"
	                    "<service><child name='server_c'/></service>"
	                    "<service name='Hello'><bar/><child name='server_b'/></service>";
	CHECK_STR(hello(route, ""), "child server_b");
}

TEST(references_in_attribute_values)
{
	char const *text =
	    "<config><parent-provides><service name='A&amp;B'/></parent-provides>"
	    "<start name='client'><route>"
	    "<service name='A&amp;B' label='x&amp;y'><child name='server&#95;a'/></service>"
	    "<service name='A&amp;B' label_prefix='&lt;' label_suffix='&gt;'>"
	    "<child name='server_b'/></service>"
	    "<service name='A&amp;B'><parent/></service>"
	    "</route></start>"
	    "<start name='server_a'><provides><service name='A&#38;B'/></provides></start>"
	    "<start name='server_b'><provides><service name='A&amp;B'/></provides></start>"
	    "</config>";
	struct world world = { .existing = "server_a,server_b" };
	struct xml_node config = parse_ok(text);
	struct xml_node client = start_at(config, 0);
	CHECK_STR(route_text(config, client, "A&B", "x&y", &world), "child server_a");
	CHECK_STR(world.asked, "server_a;"); /* the start's name as written */
	CHECK_STR(route_text(config, client, "A&B", "x&amp;y", &world), "parent");
	CHECK_STR(route_text(config, client, "A&B", "<in>", &world), "child server_b");
	CHECK_STR(route_text(config, client, "A&B", "&lt;in&gt;", &world), "parent");
	CHECK_STR(route_text(config, client, "A&amp;B", "x&y", &world), "denied");
}

TEST(requester_without_route_node)
{
	char const *text = "<config><start name='client'><route/></start></config>";
	CHECK_STR(client_route(text, "client", "LOG", ""), "denied");
}

/* the caller learns which target was taken: <parent label=".."/> rewrites the label */
TEST(target_node_is_handed_out)
{
	struct world world = { .existing = "client,server_a,server_b,server_c" };
	struct xml_node config = parse_ok(
	    "<config><parent-provides><service name='ROM'/></parent-provides>"
	    "<start name='client'><route>"
	    "<service name='ROM' label='config'><parent label='client.config'/></service>"
	    "<service name='ROM'><child name='nosuch'/><parent/></service>"
	    "<service name='Hello'><any-child/></service>"
	    "</route></start>"
	    "<start name='server_a'><provides><service name='Hello'/></provides></start></config>");
	struct xml_node client = start_named(config, "client");

	struct route_result r =
	    route_resolve(config, client, "ROM", "config", world_exists, &world);
	CHECK_EQ(r.kind, ROUTE_PARENT);
	CHECK(xml_node_has_type(r.target, "parent"));
	CHECK(
	    xml_attribute_equals(xml_node_attribute(r.target, "label").attribute, "client.config"));

	r = route_resolve(config, client, "ROM", "other", world_exists, &world);
	CHECK_EQ(r.kind, ROUTE_PARENT);
	CHECK(xml_node_has_type(r.target, "parent"));
	CHECK(!xml_node_has_attribute(r.target, "label"));

	r = route_resolve(config, client, "Hello", "", world_exists, &world);
	CHECK_EQ(r.kind, ROUTE_CHILD);
	CHECK(xml_node_has_type(r.target, "any-child"));
}
