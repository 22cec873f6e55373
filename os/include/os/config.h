/* SPDX-License-Identifier: MIT */
/**
 * \brief a component's own config: the `config` ROM, parsed
 *
 * The component asks its parent for the ROM session labeled "config"; init
 * serves it from the <config> node of the component's <start> node, core
 * from the boot module `config`. The document is attached read-only and
 * parsed once (util/xml.h); its nodes stay valid until config_destroy.
 */

#ifndef _OS_CONFIG_H_
#define _OS_CONFIG_H_

#include <base/env.h>
#include <util/xml.h>

struct config
{
	struct connection rom;
	struct dataspace_cap ds;
	char const *text; /* the attached document */
	uint64_t size;
	struct xml_node root; /* valid only after CONFIG_OK */
};

enum config_result {
	CONFIG_OK = 0,
	CONFIG_UNAVAILABLE, /* the parent gave no config ROM, or it cannot be attached (logged) */
	CONFIG_MALFORMED,   /* not well-formed XML; logged with line and column */
};

/**
 * Obtain and parse the component's config. On success config->root is the
 * document's root node; on failure nothing stays open.
 */
enum config_result config_init(struct config *config, struct env *env)
    __attribute__((warn_unused_result));

/** close the config ROM; its nodes are invalid afterwards */
void config_destroy(struct config *config, struct env *env);

/** the name of an xml_parse result, for messages ("mismatched end tag") */
char const *config_parse_error_name(enum xml_parse_result result);

#endif /* _OS_CONFIG_H_ */
