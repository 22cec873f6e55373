/* SPDX-License-Identifier: MIT */
/**
 * \brief init's routing decision: where a child's session request goes
 *
 * Pure: it reads init's config and asks the caller which children exist;
 * it knows no sessions, capabilities or threads.
 *
 *     <config>
 *       <parent-provides> <service name="LOG"/> <service name="ROM"/> </parent-provides>
 *       <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>
 *       <start name="client">
 *         <route>
 *           <service name="Hello" label="b"> <child name="server_b"/> </service>
 *           <service name="Hello"> <child name="server_a"/> </service>
 *         </route>
 *       </start>
 *       ...
 *
 * The request of the child `start` for `service` with `label` is matched
 * against the `<service name="...">` and `<any-service>` nodes of the
 * start's `<route>`, then of the config's `<default-route>`, in document
 * order. A service node matches if its name (for <service>) equals the
 * service and its label attributes match the label:
 *
 *   label="x"         the label equals x
 *   label_prefix="x"  the label starts with x
 *   label_suffix="x"  the label ends with x
 *
 * (all that are present must hold). The label is the one the child gave, not
 * prefixed with the child's own name: for "client -> b" at init the route
 * of "client" sees "b"; a child that gave no label has the label "".
 *
 * Within a matching service node the targets are tried in order, the first
 * available one wins:
 *
 *   <parent/>           available if <parent-provides> lists the service;
 *                       with label="x" the caller replaces the child's own
 *                       label by x
 *   <child name="x"/>   available if x exists (the callback says so), is not
 *                       the requester, and its <start> declares the service
 *                       in <provides>
 *   <any-child/>        the first <start> in document order that is
 *                       available as <child name=".."/> would be
 *
 * The first matching service node decides: if none of its targets is
 * available, the request is denied (an explicit route is never bypassed).
 * Only if no node of the start's <route> matches does <default-route>
 * decide. If nothing matches at all, the request is denied.
 *
 * Details (config_check reports what does not fit them):
 *   - Attribute values compare decoded (&amp; is "&"). A label_prefix or
 *     label_suffix that decodes to SESSION_LABEL_MAX bytes or more never
 *     matches; a <service> without name matches nothing.
 *   - Only the start's first <route> and the config's first <default-route>,
 *     <parent-provides> and a start's first <provides> count. Other nodes in
 *     them, and other targets, are skipped.
 *   - <child name="x"> means the first <start> whose name decodes to x: a
 *     later <start> of the same name is a duplicate that is never started.
 *     <any-child/> skips duplicates and <start> nodes without name in the
 *     same way.
 *   - `exists` is asked only for a candidate that is not the requester and
 *     declares the service, with the name attribute of its <start> as
 *     written; a <child> naming no <start> is not available without asking.
 */

#ifndef _INIT_ROUTE_H_
#define _INIT_ROUTE_H_

#include <stdbool.h>
#include <util/xml.h>

enum route_kind {
	ROUTE_DENIED = 0, /* no service node matched or none had an available target */
	ROUTE_PARENT,     /* ask init's own parent */
	ROUTE_CHILD,      /* the child `child` serves it */
};

struct route_result
{
	enum route_kind kind;
	struct xml_node start;  /* ROUTE_CHILD: the <start> node of the serving child */
	struct xml_span child;  /* ROUTE_CHILD: the <start> node's name attribute
	                           as written (valid names hold no references) */
	struct xml_node target; /* the target node taken (e.g. <parent label="x"/>),
	                           unless ROUTE_DENIED */
};

/**
 * Tell whether the child called `name` (the value of a <start name="...">
 * attribute as written, not NUL-terminated) exists: started and not exited.
 */
typedef bool (*route_child_exists_function)(void *state, struct xml_span name);

/**
 * Decide the route of a session request.
 *
 * \param config   the root node of init's config (<config>)
 * \param start    the requester's <start> node in that config
 * \param service  the service name, NUL-terminated
 * \param label    the label the child gave, NUL-terminated ("" for none)
 * \param exists   the callback for child existence, with its `state`
 */
struct route_result route_resolve(struct xml_node config, struct xml_node start,
                                  char const *service, char const *label,
                                  route_child_exists_function exists, void *state);

/** True if the config's <parent-provides> lists `service`. */
bool route_parent_provides(struct xml_node config, char const *service);

/** True if the <start> node declares `service` in its <provides>. */
bool route_start_provides(struct xml_node start, char const *service);

#endif /* _INIT_ROUTE_H_ */
