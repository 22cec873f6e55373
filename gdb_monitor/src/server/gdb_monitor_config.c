/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB monitor's config, read from its XML
 */

#include <gdb_server/monitor_config.h>
#include <util/string.h>

/* a size attribute: absent leaves *value, a bad one is an error */
static bool config_size(struct xml_node node, char const *name, uint64_t *value)
{
	struct xml_unsigned_ret r = xml_node_attribute_unsigned(node, name);
	if (r.result == XML_ACCESS_NOT_FOUND) return true;
	if (r.result != XML_ACCESS_OK || r.value == 0) return false;
	*value = r.value;
	return true;
}

/* a name attribute: absent leaves `out`, empty or too long is an error */
static bool config_name(struct xml_node node, char const *name, char *out, size_t size)
{
	char value[CHILD_NAME_MAX];
	struct xml_copy_ret r = xml_node_attribute_string(node, name, value, sizeof(value));
	if (r.result == XML_ACCESS_NOT_FOUND) return true;
	if (r.result != XML_ACCESS_OK || value[0] == 0) return false;
	return string_copy(out, value, size) == STRING_COPY_OK;
}

enum gdb_monitor_config_result gdb_monitor_config_parse(struct xml_node root,
                                                        struct gdb_monitor_config *out)
{
	struct gdb_monitor_config c;
	memory_set(&c, 0, sizeof(c));
	c.ram = GDB_MONITOR_CONFIG_RAM_DEFAULT;
	c.port = GDB_MONITOR_CONFIG_PORT_DEFAULT;

	struct xml_node_ret target = xml_node_sub_by_type(root, "target");
	if (target.result != XML_ACCESS_OK || !xml_node_has_attribute(target.node, "name"))
		return GDB_MONITOR_CONFIG_NO_TARGET;
	if (!config_name(target.node, "name", c.name, sizeof(c.name)))
		return GDB_MONITOR_CONFIG_BAD_NAME;
	string_copy(c.binary, c.name, sizeof(c.binary));
	if (!config_name(target.node, "binary", c.binary, sizeof(c.binary)))
		return GDB_MONITOR_CONFIG_BAD_NAME;

	if (!config_size(target.node, "ram", &c.ram)) return GDB_MONITOR_CONFIG_BAD_RAM;
	struct xml_node_ret resource =
	    xml_node_sub_by_attribute(target.node, "resource", "name", "RAM");
	if (resource.result == XML_ACCESS_OK) {
		if (!xml_node_has_attribute(resource.node, "quantum"))
			return GDB_MONITOR_CONFIG_BAD_RAM;
		if (!config_size(resource.node, "quantum", &c.ram)) return GDB_MONITOR_CONFIG_BAD_RAM;
	}

	struct xml_node_ret config = xml_node_sub_by_type(target.node, "config");
	if (config.result == XML_ACCESS_OK) {
		c.config = config.node.start;
		c.config_length = config.node.length;
	}

	struct xml_node_ret tcp = xml_node_sub_by_type(root, "tcp");
	if (tcp.result == XML_ACCESS_OK) {
		struct xml_unsigned_ret port = xml_node_attribute_unsigned(tcp.node, "port");
		if (port.result != XML_ACCESS_NOT_FOUND &&
		    (port.result != XML_ACCESS_OK || port.value == 0 || port.value > 65535))
			return GDB_MONITOR_CONFIG_BAD_PORT;
		if (port.result == XML_ACCESS_OK) c.port = (uint16_t)port.value;
	}
	c.wait = xml_node_sub_by_type(root, "wait").result == XML_ACCESS_OK;
	*out = c;
	return GDB_MONITOR_CONFIG_OK;
}

char const *gdb_monitor_config_result_text(enum gdb_monitor_config_result result)
{
	switch (result) {
	case GDB_MONITOR_CONFIG_OK:
		return "ok";
	case GDB_MONITOR_CONFIG_NO_TARGET:
		return "no <target name=\"...\"> node";
	case GDB_MONITOR_CONFIG_BAD_NAME:
		return "the target's name or binary is empty or too long";
	case GDB_MONITOR_CONFIG_BAD_RAM:
		return "the target's RAM quota is not a size above 0";
	case GDB_MONITOR_CONFIG_BAD_PORT:
		return "the TCP port is not within 1..65535";
	}
	return "unknown";
}
