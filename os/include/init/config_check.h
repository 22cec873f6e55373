/* SPDX-License-Identifier: MIT */
/**
 * \brief init's config checks: what is wrong with a config, one message each
 *
 * Pure: walks the already parsed config (util/xml.h) and reports, through
 * the caller's function, each problem as one human-readable line. A problem
 * of one <start> node makes only that child invalid; every valid child is
 * still started. The checks are:
 *
 *  Per <start> (invalid if any of these fails):
 *   - a `name` attribute, 1..CONFIG_NAME_MAX-1 bytes of [A-Za-z0-9_.-]
 *     (no spaces, no "->"), not used by an earlier <start>
 *     ("duplicate start name "x": only the first is started")
 *   - <binary name="..."/> if present: a name of the same form
 *   - <resource name="RAM" quantum="..."/>: exactly one, a number with
 *     optional K/M/G greater than zero
 *   - <provides>: only <service name="..."/> nodes with valid service names
 *     (1..SESSION_SERVICE_NAME_MAX-1 bytes of [A-Za-z0-9_]), none twice
 *   - <route>: only <service name=".."> and <any-service> nodes, each with
 *     only <parent/>, <child name=".."/> and <any-child/> targets
 *   - at most one <config> node
 *
 *  Reported but not making the child invalid (the route then never
 *  resolves to it):
 *   - a <child name="x"/> target naming no <start> of the config, or
 *     naming the start itself
 *
 *  Of the whole config (reported; the rest still works):
 *   - <parent-provides> with anything but valid <service name=".."/> nodes
 *   - <default-route> of the same form as <route>, and its <child> targets
 *     naming no <start>
 *   - unknown top-level nodes (anything but parent-provides, default-route,
 *     start)
 *
 * Messages name what is wrong and where: the start's name (or its position
 * "start #3" if it has no usable name) and the node, e.g.
 *   start "client": route to child "nosuch", which is not in the config
 *
 * Details:
 *   - Names (start, binary, service) are checked as written: a reference
 *     (&...;) is not allowed in them, so a valid name decodes to itself.
 *     Start names compare decoded, with every earlier <start>, valid or not
 *     (as route.h finds the <start> of a <child name="..">).
 *   - A start also is invalid with more than one <binary>, <provides> or
 *     <route> node; with a <route> <service name> that is not a valid service
 *     name, a service node attribute other than name (<service> only),
 *     label, label_prefix and label_suffix, or a <child> without name.
 *   - Reported only: nodes in <start> other than binary, resource, provides,
 *     route and config; <resource> nodes not named "RAM" are ignored
 *     silently. Globally: a service listed twice in <parent-provides>, and a
 *     second <parent-provides> or <default-route> (only the first is used).
 *   - Values in messages are shown as written, non-printable bytes as '?',
 *     cut to 48 bytes and "...".
 */

#ifndef _INIT_CONFIG_CHECK_H_
#define _INIT_CONFIG_CHECK_H_

#include <stdbool.h>
#include <stdint.h>
#include <base/session.h>
#include <util/xml.h>

enum { CONFIG_NAME_MAX = 64 };

/** receives each problem as one line without newline, NUL-terminated */
typedef void (*config_report_function)(void *state, char const *line);

/** what the checks found out about one <start> node */
struct config_start
{
	bool valid;
	char name[CONFIG_NAME_MAX];   /* valid only if `valid` */
	char binary[CONFIG_NAME_MAX]; /* <binary name> or the name */
	uint64_t quantum;             /* the RAM quantum in bytes */
	bool has_config;              /* a <config> node is there */
};

/**
 * Check the config's top-level nodes (not the <start> nodes).
 * Reports each problem; returns the number reported. `report` may be NULL.
 */
unsigned config_check_global(struct xml_node config, config_report_function report,
                             void *state);

/**
 * Check the <start> node `start` of `config` and fill `out`.
 * Reports each problem; out->valid says if the child may be started.
 * `start` must be one of the <start> nodes of `config` (else: panic).
 * out->name is set whenever the name has the valid form (also for a
 * duplicate), out->binary is "" if a <binary> is given but bad, out->quantum
 * is 0 unless the quantum is good. `report` may be NULL (nothing reported).
 */
void config_check_start(struct xml_node config, struct xml_node start, struct config_start *out,
                        config_report_function report, void *state);

#endif /* _INIT_CONFIG_CHECK_H_ */
