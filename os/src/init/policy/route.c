/* SPDX-License-Identifier: MIT */
/** \brief init's routing decision: a request matched against <route> and <default-route> */

#include <base/session.h>
#include <init/config_check.h>
#include <init/route.h>
#include <util/string.h>

/** one session request and what it is matched against */
struct route_request
{
	struct xml_node config;
	struct xml_node requester; /* its <start> node */
	char const *service;
	char const *label;
	size_t label_length;
	route_child_exists_function exists;
	void *state;
};

/* true if `node` has a `name` attribute whose decoded value is `name` */
static bool route_node_name_is(struct xml_node node, char const *name)
{
	struct xml_attribute_ret a = xml_node_attribute(node, "name");
	return a.result == XML_ACCESS_OK && xml_attribute_equals(a.attribute, name);
}

/* true if the first `list_type` sub-node of `node` holds <service name="service"> */
static bool route_list_has_service(struct xml_node node, char const *list_type,
                                   char const *service)
{
	struct xml_node_ret list = xml_node_sub_by_type(node, list_type);
	if (list.result != XML_ACCESS_OK) return false;
	struct xml_node_ret s = xml_node_sub_by_type(list.node, "service");
	for (; s.result == XML_ACCESS_OK; s = xml_node_next_by_type(s.node, "service"))
		if (route_node_name_is(s.node, service)) return true;
	return false;
}

bool route_parent_provides(struct xml_node config, char const *service)
{
	return route_list_has_service(config, "parent-provides", service);
}

bool route_start_provides(struct xml_node start, char const *service)
{
	return route_list_has_service(start, "provides", service);
}

/*
 * The decoded value of `attribute` in `text` (its length in `length`); false
 * if it does not fit, and then it can match no label and no name.
 */
static bool route_attribute_text(struct xml_attribute attribute, char *text, size_t size,
                                 size_t *length)
{
	struct xml_copy_ret c = xml_attribute_decode(attribute, text, size);
	*length = c.length;
	return c.result == XML_ACCESS_OK;
}

/* true if all label attributes of the service node hold for the request's label */
static bool route_label_matches(struct route_request const *request, struct xml_node node)
{
	struct xml_attribute_ret a = xml_node_attribute(node, "label");
	if (a.result == XML_ACCESS_OK && !xml_attribute_equals(a.attribute, request->label))
		return false;

	char text[SESSION_LABEL_MAX];
	size_t length = 0;
	a = xml_node_attribute(node, "label_prefix");
	if (a.result == XML_ACCESS_OK) {
		if (!route_attribute_text(a.attribute, text, sizeof(text), &length)) return false;
		if (length > request->label_length) return false;
		if (memory_compare(request->label, text, length) != 0) return false;
	}
	a = xml_node_attribute(node, "label_suffix");
	if (a.result == XML_ACCESS_OK) {
		if (!route_attribute_text(a.attribute, text, sizeof(text), &length)) return false;
		if (length > request->label_length) return false;
		if (memory_compare(request->label + request->label_length - length, text, length) != 0)
			return false;
	}
	return true;
}

/* true if the <service> or <any-service> node `node` matches the request */
static bool route_node_matches(struct route_request const *request, struct xml_node node)
{
	if (xml_node_has_type(node, "service")) {
		if (!route_node_name_is(node, request->service)) return false;
	} else if (!xml_node_has_type(node, "any-service")) {
		return false;
	}
	return route_label_matches(request, node);
}

/*
 * The first <start> of the config whose decoded name equals the decoded
 * value of `name`: the one a <child name=".."> means (a later <start> of the
 * same name is a duplicate that init never starts).
 */
static struct xml_node_ret route_start_named(struct xml_node config, struct xml_attribute name)
{
	struct xml_node_ret none = { XML_ACCESS_NOT_FOUND, { 0 } };
	char text[CONFIG_NAME_MAX];
	size_t length = 0;
	if (!route_attribute_text(name, text, sizeof(text), &length)) return none;
	return xml_node_sub_by_attribute(config, "start", "name", text);
}

/*
 * True if `candidate`, a <start> of the config that is the first of its
 * name, can serve the request; fills `result` then.
 */
static bool route_child_available(struct route_request const *request,
                                  struct xml_node candidate, struct route_result *result)
{
	if (candidate.start == request->requester.start) return false;
	if (!route_start_provides(candidate, request->service)) return false;
	struct xml_attribute_ret name = xml_node_attribute(candidate, "name");
	if (name.result != XML_ACCESS_OK) return false;
	if (!request->exists(request->state, name.attribute.value)) return false;
	result->kind = ROUTE_CHILD;
	result->start = candidate;
	result->child = name.attribute.value;
	return true;
}

/* <any-child/>: the first <start> in document order that is available */
static bool route_any_child(struct route_request const *request, struct route_result *result)
{
	struct xml_node_ret s = xml_node_sub_by_type(request->config, "start");
	for (; s.result == XML_ACCESS_OK; s = xml_node_next_by_type(s.node, "start")) {
		struct xml_attribute_ret name = xml_node_attribute(s.node, "name");
		if (name.result != XML_ACCESS_OK) continue;
		/* a duplicate is never started; its name belongs to the first */
		struct xml_node_ret first = route_start_named(request->config, name.attribute);
		if (first.result != XML_ACCESS_OK || first.node.start != s.node.start) continue;
		if (route_child_available(request, s.node, result)) return true;
	}
	return false;
}

/* true if the target node `target` is available; fills `result` then */
static bool route_target_available(struct route_request const *request, struct xml_node target,
                                   struct route_result *result)
{
	if (xml_node_has_type(target, "parent")) {
		if (!route_parent_provides(request->config, request->service)) return false;
		result->kind = ROUTE_PARENT;
		return true;
	}
	if (xml_node_has_type(target, "child")) {
		struct xml_attribute_ret name = xml_node_attribute(target, "name");
		if (name.result != XML_ACCESS_OK) return false;
		struct xml_node_ret start = route_start_named(request->config, name.attribute);
		if (start.result != XML_ACCESS_OK) return false;
		return route_child_available(request, start.node, result);
	}
	if (xml_node_has_type(target, "any-child")) return route_any_child(request, result);
	return false; /* unknown target: config_check reports it */
}

/* what matching a list of service nodes came to */
enum route_list_outcome {
	ROUTE_LIST_NO_MATCH = 0, /* no service node matched: the next list decides */
	ROUTE_LIST_RESOLVED,     /* `result` is filled */
	ROUTE_LIST_UNAVAILABLE,  /* the first matching node has no available target */
};

/* match the request against the service nodes of `list` (<route> or <default-route>) */
static enum route_list_outcome route_list_resolve(struct route_request const *request,
                                                  struct xml_node list,
                                                  struct route_result *result)
{
	struct xml_node_ret node = xml_node_sub_first(list);
	for (; node.result == XML_ACCESS_OK; node = xml_node_next(node.node)) {
		if (!route_node_matches(request, node.node)) continue;
		struct xml_node_ret target = xml_node_sub_first(node.node);
		for (; target.result == XML_ACCESS_OK; target = xml_node_next(target.node))
			if (route_target_available(request, target.node, result)) {
				result->target = target.node;
				return ROUTE_LIST_RESOLVED;
			}
		/* the first matching node decides: no detour past an explicit route */
		return ROUTE_LIST_UNAVAILABLE;
	}
	return ROUTE_LIST_NO_MATCH;
}

struct route_result route_resolve(struct xml_node config, struct xml_node start,
                                  char const *service, char const *label,
                                  route_child_exists_function exists, void *state)
{
	struct route_request const request = {
		.config = config,
		.requester = start,
		.service = service,
		.label = label,
		.label_length = string_length(label),
		.exists = exists,
		.state = state,
	};
	struct route_result result = { .kind = ROUTE_DENIED };

	struct xml_node_ret list = xml_node_sub_by_type(start, "route");
	enum route_list_outcome outcome = ROUTE_LIST_NO_MATCH;
	if (list.result == XML_ACCESS_OK)
		outcome = route_list_resolve(&request, list.node, &result);
	if (outcome == ROUTE_LIST_NO_MATCH) {
		list = xml_node_sub_by_type(config, "default-route");
		if (list.result == XML_ACCESS_OK)
			outcome = route_list_resolve(&request, list.node, &result);
	}
	if (outcome == ROUTE_LIST_RESOLVED) return result;
	return (struct route_result){ .kind = ROUTE_DENIED };
}
