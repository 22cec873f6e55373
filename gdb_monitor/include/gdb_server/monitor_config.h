/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB monitor's config: which target, its RAM and config, the
 *        TCP port, the start mode
 *
 *     <config>
 *       <target name="test-gdb_monitor" ram="4M" binary="test-gdb_monitor">
 *         <config fault="segv"/>
 *       </target>
 *       <tcp port="8181"/>
 *       <wait/>
 *     </config>
 *
 * <target name> is required: the target's name (its label, and the ROM
 * module of its binary unless `binary` names another). `ram` is the RAM
 * quota the target gets (a number with an optional K, M or G; default 4M;
 * `<resource name="RAM" quantum="..."/>` inside <target> says the same, as
 * in init's <start>). The target's own <config> node is served to it as its
 * `config` ROM, verbatim. <tcp port> is the port GDB connects to (default
 * 8181). <wait/> starts the target stopped at its first instruction until
 * GDB continues it; without it the target runs and GDB attaches.
 *
 * A pure function of the parsed document: nothing is allocated, the
 * strings point into the document.
 */

#ifndef _GDB_SERVER_MONITOR_CONFIG_H_
#define _GDB_SERVER_MONITOR_CONFIG_H_

#include <stdbool.h>
#include <stdint.h>

#include <base/child.h>
#include <util/xml.h>

enum {
	GDB_MONITOR_CONFIG_PORT_DEFAULT = 8181,
	GDB_MONITOR_CONFIG_RAM_DEFAULT = 4 << 20,
};

struct gdb_monitor_config
{
	char name[CHILD_NAME_MAX];   /* the target's name */
	char binary[CHILD_NAME_MAX]; /* its ROM module */
	uint64_t ram;                /* its RAM quota in bytes */
	char const *config;          /* its <config> node in the document, or NULL */
	uint64_t config_length;
	uint16_t port;
	bool wait;
};

/** result of gdb_monitor_config_parse(); each is logged by the caller with the name */
enum gdb_monitor_config_result {
	GDB_MONITOR_CONFIG_OK = 0,
	GDB_MONITOR_CONFIG_NO_TARGET, /**< no <target> node, or one without a name */
	GDB_MONITOR_CONFIG_BAD_NAME,  /**< a name or binary that is empty or too long */
	GDB_MONITOR_CONFIG_BAD_RAM,   /**< a RAM quota that is no size, or 0 */
	GDB_MONITOR_CONFIG_BAD_PORT,  /**< a port outside 1..65535 */
};

/**
 * Read the monitor's config from its root node.
 *
 * \param out  filled in only with GDB_MONITOR_CONFIG_OK; its `config`
 *             points into the document, which must outlive its use
 */
enum gdb_monitor_config_result gdb_monitor_config_parse(struct xml_node root,
                                                        struct gdb_monitor_config *out)
    __attribute__((warn_unused_result));

/** the result's meaning in words, for the log */
char const *gdb_monitor_config_result_text(enum gdb_monitor_config_result result);

#endif /* _GDB_SERVER_MONITOR_CONFIG_H_ */
