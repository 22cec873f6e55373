/* SPDX-License-Identifier: MIT */
/** \brief init's config checks: each problem of the config as one line for init's log */

#include <stdarg.h>

#include <base/panic.h>
#include <init/config_check.h>
#include <util/format.h>
#include <util/string.h>

enum {
	CONFIG_LINE_MAX = 256,                   /* a reported line, NUL included */
	CONFIG_SHOWN_MAX = 48,                   /* bytes of a value shown before "..." */
	CONFIG_PREFIX_MAX = CONFIG_NAME_MAX + 16 /* "start \"<name>\": " */
};

/** the state of one check: where the lines go and what was found */
struct config_checker
{
	config_report_function report;
	void *state;
	char prefix[CONFIG_PREFIX_MAX]; /* "start \"x\": ", "start #3: " or "" */
	unsigned reported;
	unsigned invalidating; /* problems reported that make the start invalid */
};

/** a value as a message shows it: printable ASCII, at most CONFIG_SHOWN_MAX bytes and "..." */
struct config_shown
{
	char text[CONFIG_SHOWN_MAX + 4];
};

static struct config_shown config_show(struct xml_span span)
{
	struct config_shown shown;
	size_t n = span.length < CONFIG_SHOWN_MAX ? span.length : CONFIG_SHOWN_MAX;
	for (size_t i = 0; i < n; i++)
		shown.text[i] = ascii_is_print(span.start[i]) ? span.start[i] : '?';
	if (span.length > n) {
		memory_copy(shown.text + n, "...", 3);
		n += 3;
	}
	shown.text[n] = 0;
	return shown;
}

static void config_problem(struct config_checker *checker, bool invalidating, char const *fmt,
                           ...) __attribute__((format(printf, 3, 4)));

/* report one problem as a line: the checker's prefix, then the formatted text */
static void config_problem(struct config_checker *checker, bool invalidating, char const *fmt,
                           ...)
{
	char line[CONFIG_LINE_MAX];
	size_t n = format_string(line, sizeof(line), "%s", checker->prefix);
	va_list args;
	va_start(args, fmt);
	format_vstring(line + n, sizeof(line) - n, fmt, args);
	va_end(args);

	checker->reported++;
	if (invalidating) checker->invalidating++;
	if (checker->report) checker->report(checker->state, line);
}

static bool config_span_is(struct xml_span span, char const *text)
{
	size_t length = string_length(text);
	return span.length == length && memory_compare(span.start, text, length) == 0;
}

static bool config_span_equal(struct xml_span a, struct xml_span b)
{
	return a.length == b.length && memory_compare(a.start, b.start, a.length) == 0;
}

/*
 * Names are checked as written, so a reference (&...;) is not allowed in
 * them and the decoded name is the written one.
 */
static bool config_name_valid(struct xml_span name, size_t max, bool dot_dash)
{
	if (name.length == 0 || name.length >= max) return false;
	for (size_t i = 0; i < name.length; i++) {
		char c = name.start[i];
		bool ok = ascii_is_alpha(c) || ascii_is_digit(c) || c == '_' ||
		          (dot_dash && (c == '.' || c == '-'));
		if (!ok) return false;
	}
	return true;
}

static bool config_start_name_valid(struct xml_span name)
{
	return config_name_valid(name, CONFIG_NAME_MAX, true);
}

static bool config_service_name_valid(struct xml_span name)
{
	return config_name_valid(name, SESSION_SERVICE_NAME_MAX, false);
}

#define CONFIG_START_NAME_RULE   "(1 to %u characters of A-Z a-z 0-9 _ . -)"
#define CONFIG_SERVICE_NAME_RULE "(1 to %u characters of A-Z a-z 0-9 _)"

/* true if `node` has a `name` attribute whose decoded value is `name` */
static bool config_node_name_is(struct xml_node node, char const *name)
{
	struct xml_attribute_ret a = xml_node_attribute(node, "name");
	return a.result == XML_ACCESS_OK && xml_attribute_equals(a.attribute, name);
}

/* the first <start> whose decoded name equals the decoded `name` (as route.c finds it) */
static struct xml_node_ret config_start_named(struct xml_node config, struct xml_attribute name)
{
	struct xml_node_ret none = { XML_ACCESS_NOT_FOUND, { 0 } };
	char text[CONFIG_NAME_MAX];
	struct xml_copy_ret c = xml_attribute_decode(name, text, sizeof(text));
	if (c.result != XML_ACCESS_OK) return none;
	return xml_node_sub_by_attribute(config, "start", "name", text);
}

/* true if a <service> before `node` in `list` has the name `name` as written */
static bool config_service_listed_before(struct xml_node list, struct xml_node node,
                                         struct xml_span name)
{
	struct xml_node_ret s = xml_node_sub_by_type(list, "service");
	for (; s.result == XML_ACCESS_OK && s.node.start != node.start;
	     s = xml_node_next_by_type(s.node, "service")) {
		struct xml_attribute_ret a = xml_node_attribute(s.node, "name");
		if (a.result == XML_ACCESS_OK && config_span_equal(a.attribute.value, name))
			return true;
	}
	return false;
}

/* <provides> or <parent-provides>: only <service name=".."/>, valid names, none twice */
static void config_check_services(struct config_checker *checker, struct xml_node list,
                                  char const *where)
{
	struct xml_node_ret node = xml_node_sub_first(list);
	for (; node.result == XML_ACCESS_OK; node = xml_node_next(node.node)) {
		if (!xml_node_has_type(node.node, "service")) {
			struct config_shown type = config_show(xml_node_type(node.node));
			config_problem(checker, true,
			               "%s has a <%s> node; only <service name=\"..\"/> is allowed", where,
			               type.text);
			continue;
		}
		struct xml_attribute_ret name = xml_node_attribute(node.node, "name");
		if (name.result != XML_ACCESS_OK) {
			config_problem(checker, true, "%s: <service> has no name attribute", where);
			continue;
		}
		struct config_shown shown = config_show(name.attribute.value);
		if (!config_service_name_valid(name.attribute.value))
			config_problem(checker, true,
			               "%s: service name \"%s\" is not valid " CONFIG_SERVICE_NAME_RULE,
			               where, shown.text, (unsigned)SESSION_SERVICE_NAME_MAX - 1);
		else if (config_service_listed_before(list, node.node, name.attribute.value))
			config_problem(checker, true, "%s: service \"%s\" is listed more than once", where,
			               shown.text);
	}
}

/*
 * A <child name=".."> target: reported (without making the start invalid)
 * if it names no <start> or the start `self` itself (NULL for the default route).
 */
static void config_check_route_child(struct config_checker *checker, struct xml_node config,
                                     struct xml_attribute name, char const *route_kind,
                                     struct xml_node const *self)
{
	struct config_shown shown = config_show(name.value);
	struct xml_node_ret start = config_start_named(config, name);
	if (start.result != XML_ACCESS_OK)
		config_problem(checker, false, "%s to child \"%s\", which is not in the config",
		               route_kind, shown.text);
	else if (self && start.node.start == self->start)
		config_problem(checker, false, "%s to child \"%s\", which is the start itself",
		               route_kind, shown.text);
}

static bool config_route_attribute_known(struct xml_span name, bool is_service)
{
	return (is_service && config_span_is(name, "name")) || config_span_is(name, "label") ||
	       config_span_is(name, "label_prefix") || config_span_is(name, "label_suffix");
}

/* the targets of the service node `node`, described as `what` in messages */
static void config_check_route_targets(struct config_checker *checker, struct xml_node config,
                                       struct xml_node node, char const *where,
                                       char const *what, char const *route_kind,
                                       struct xml_node const *self)
{
	struct xml_node_ret target = xml_node_sub_first(node);
	for (; target.result == XML_ACCESS_OK; target = xml_node_next(target.node)) {
		struct xml_node t = target.node;
		if (xml_node_has_type(t, "parent") || xml_node_has_type(t, "any-child")) continue;
		if (xml_node_has_type(t, "child")) {
			struct xml_attribute_ret name = xml_node_attribute(t, "name");
			if (name.result == XML_ACCESS_OK)
				config_check_route_child(checker, config, name.attribute, route_kind, self);
			else
				config_problem(checker, true, "%s: %s has a <child> without a name attribute",
				               where, what);
			continue;
		}
		struct config_shown type = config_show(xml_node_type(t));
		config_problem(
		    checker, true,
		    "%s: %s has a <%s> target; allowed are <parent/>, <child name=\"..\"/> and "
		    "<any-child/>",
		    where, what, type.text);
	}
}

/*
 * <route> or <default-route> (`where`): only <service name=".."> and
 * <any-service> nodes with known attributes and known targets.
 */
static void config_check_route(struct config_checker *checker, struct xml_node config,
                               struct xml_node list, char const *where, char const *route_kind,
                               struct xml_node const *self)
{
	struct xml_node_ret node = xml_node_sub_first(list);
	for (; node.result == XML_ACCESS_OK; node = xml_node_next(node.node)) {
		struct xml_node n = node.node;
		char what[CONFIG_SHOWN_MAX + 24]; /* the node in messages */
		bool is_service = xml_node_has_type(n, "service");
		if (is_service) {
			struct xml_attribute_ret name = xml_node_attribute(n, "name");
			if (name.result != XML_ACCESS_OK) {
				config_problem(checker, true, "%s: <service> has no name attribute", where);
				format_string(what, sizeof(what), "<service>");
			} else {
				struct config_shown shown = config_show(name.attribute.value);
				if (!config_service_name_valid(name.attribute.value))
					config_problem(
					    checker, true,
					    "%s: service name \"%s\" is not valid " CONFIG_SERVICE_NAME_RULE, where,
					    shown.text, (unsigned)SESSION_SERVICE_NAME_MAX - 1);
				format_string(what, sizeof(what), "<service name=\"%s\">", shown.text);
			}
		} else if (xml_node_has_type(n, "any-service")) {
			format_string(what, sizeof(what), "<any-service>");
		} else {
			struct config_shown type = config_show(xml_node_type(n));
			config_problem(
			    checker, true,
			    "%s has a <%s> node; allowed are <service name=\"..\"> and <any-service>",
			    where, type.text);
			continue;
		}

		struct xml_attribute_ret a = xml_node_attribute_first(n);
		for (; a.result == XML_ACCESS_OK; a = xml_node_attribute_next(n, a.attribute)) {
			if (config_route_attribute_known(a.attribute.name, is_service)) continue;
			struct config_shown shown = config_show(a.attribute.name);
			config_problem(checker, true, "%s: %s has an unknown attribute \"%s\"", where, what,
			               shown.text);
		}
		config_check_route_targets(checker, config, n, where, what, route_kind, self);
	}
}

unsigned config_check_global(struct xml_node config, config_report_function report, void *state)
{
	struct config_checker checker = { .report = report, .state = state };
	unsigned parent_provides = 0, default_routes = 0;

	struct xml_node_ret node = xml_node_sub_first(config);
	for (; node.result == XML_ACCESS_OK; node = xml_node_next(node.node)) {
		struct xml_node n = node.node;
		if (xml_node_has_type(n, "start")) continue;
		if (xml_node_has_type(n, "parent-provides")) {
			if (++parent_provides == 1)
				config_check_services(&checker, n, "<parent-provides>");
			else if (parent_provides == 2)
				config_problem(&checker, false,
				               "more than one <parent-provides> node: only the first is used");
		} else if (xml_node_has_type(n, "default-route")) {
			if (++default_routes == 1)
				config_check_route(&checker, config, n, "<default-route>", "default route",
				                   NULL);
			else if (default_routes == 2)
				config_problem(&checker, false,
				               "more than one <default-route> node: only the first is used");
		} else {
			struct config_shown type = config_show(xml_node_type(n));
			config_problem(&checker, false, "unknown node <%s> in the config is ignored",
			               type.text);
		}
	}
	return checker.reported;
}

/* the position of `start` among the <start> nodes of `config`, from 1 */
static unsigned config_start_position(struct xml_node config, struct xml_node start)
{
	unsigned position = 1;
	struct xml_node_ret s = xml_node_sub_by_type(config, "start");
	for (; s.result == XML_ACCESS_OK; s = xml_node_next_by_type(s.node, "start"), position++)
		if (s.node.start == start.start) return position;
	panic("config_check_start: the <start> node is not one of the config");
}

/* true if a <start> before `start` has the decoded name `name` */
static bool config_start_name_taken(struct xml_node config, struct xml_node start,
                                    char const *name)
{
	struct xml_node_ret s = xml_node_sub_by_type(config, "start");
	for (; s.result == XML_ACCESS_OK && s.node.start != start.start;
	     s = xml_node_next_by_type(s.node, "start"))
		if (config_node_name_is(s.node, name)) return true;
	return false;
}

/*
 * The name attribute of a <start> or <binary> `node` into `name` (of
 * CONFIG_NAME_MAX bytes), if it is there and valid; else a problem, told
 * with `missing` or as `what` "..." is not valid, and false.
 */
static bool config_check_name(struct config_checker *checker, struct xml_node node,
                              char const *missing, char const *what, char *name)
{
	struct xml_attribute_ret attribute = xml_node_attribute(node, "name");
	if (attribute.result != XML_ACCESS_OK) {
		config_problem(checker, true, "%s", missing);
		return false;
	}
	struct xml_span value = attribute.attribute.value;
	if (!config_start_name_valid(value)) {
		struct config_shown shown = config_show(value);
		config_problem(checker, true, "%s \"%s\" is not valid " CONFIG_START_NAME_RULE, what,
		               shown.text, (unsigned)CONFIG_NAME_MAX - 1);
		return false;
	}
	memory_copy(name, value.start, value.length);
	name[value.length] = 0;
	return true;
}

/* the name attribute: fills out->name and the checker's prefix if it is usable */
static void config_check_start_name(struct config_checker *checker, struct xml_node config,
                                    struct xml_node start, struct config_start *out)
{
	format_string(checker->prefix, sizeof(checker->prefix),
	              "start #%u: ", config_start_position(config, start));

	if (!config_check_name(checker, start, "no name attribute", "name", out->name)) return;
	if (config_start_name_taken(config, start, out->name)) {
		config_problem(checker, true, "duplicate start name \"%s\": only the first is started",
		               out->name);
		return;
	}
	format_string(checker->prefix, sizeof(checker->prefix), "start \"%s\": ", out->name);
}

/* <binary name=".."/>: fills out->binary if it holds a valid name */
static void config_check_binary(struct config_checker *checker, struct xml_node binary,
                                struct config_start *out)
{
	(void)config_check_name(checker, binary, "<binary> has no name attribute", "binary name",
	                        out->binary);
}

/* <resource name="RAM" quantum=".."/>: fills out->quantum */
static void config_check_quantum(struct config_checker *checker, struct xml_node resource,
                                 struct config_start *out)
{
	struct xml_attribute_ret quantum = xml_node_attribute(resource, "quantum");
	if (quantum.result != XML_ACCESS_OK) {
		config_problem(checker, true, "<resource name=\"RAM\"> has no quantum attribute");
		return;
	}
	struct config_shown shown = config_show(quantum.attribute.value);
	struct xml_unsigned_ret value = xml_attribute_unsigned(quantum.attribute);
	if (value.result == XML_ACCESS_OVERFLOW)
		config_problem(checker, true, "RAM quantum \"%s\" does not fit 64 bits", shown.text);
	else if (value.result != XML_ACCESS_OK)
		config_problem(
		    checker, true,
		    "RAM quantum \"%s\" is not a number (like 65536, 0x10000, 64K, 4M or 1G)",
		    shown.text);
	else if (value.value == 0)
		config_problem(checker, true, "RAM quantum \"%s\" is zero", shown.text);
	else
		out->quantum = value.value;
}

void config_check_start(struct xml_node config, struct xml_node start, struct config_start *out,
                        config_report_function report, void *state)
{
	struct config_checker checker = { .report = report, .state = state };
	memory_set(out, 0, sizeof(*out));
	config_check_start_name(&checker, config, start, out);

	unsigned binaries = 0, rams = 0, provides = 0, routes = 0, configs = 0;
	struct xml_node_ret node = xml_node_sub_first(start);
	for (; node.result == XML_ACCESS_OK; node = xml_node_next(node.node)) {
		struct xml_node n = node.node;
		if (xml_node_has_type(n, "binary")) {
			if (++binaries == 1)
				config_check_binary(&checker, n, out);
			else if (binaries == 2)
				config_problem(&checker, true, "more than one <binary> node");
		} else if (xml_node_has_type(n, "resource")) {
			if (!config_node_name_is(n, "RAM")) continue; /* other resources are not ours */
			if (++rams == 1)
				config_check_quantum(&checker, n, out);
			else if (rams == 2)
				config_problem(&checker, true, "more than one <resource name=\"RAM\"> node");
		} else if (xml_node_has_type(n, "provides")) {
			if (++provides == 1)
				config_check_services(&checker, n, "<provides>");
			else if (provides == 2)
				config_problem(&checker, true, "more than one <provides> node");
		} else if (xml_node_has_type(n, "route")) {
			if (++routes == 1)
				config_check_route(&checker, config, n, "<route>", "route", &start);
			else if (routes == 2)
				config_problem(&checker, true, "more than one <route> node");
		} else if (xml_node_has_type(n, "config")) {
			out->has_config = true;
			if (++configs == 2) config_problem(&checker, true, "more than one <config> node");
		} else {
			struct config_shown type = config_show(xml_node_type(n));
			config_problem(&checker, false, "unknown node <%s> is ignored", type.text);
		}
	}
	if (rams == 0)
		config_problem(&checker, true, "no <resource name=\"RAM\" quantum=\"..\"/> node");
	if (binaries == 0 && out->name[0]) string_copy(out->binary, out->name, sizeof(out->binary));

	out->valid = checker.invalidating == 0;
}
