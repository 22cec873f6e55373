/* SPDX-License-Identifier: MIT */
/**
 * \brief nic_drv's config, read and checked as a whole (nic_slirp_config.h)
 */

#include <util/format.h>
#include <util/string.h>

#include "nic_slirp_config.h"

enum {
	NIC_SLIRP_VALUE_MAX = 48, /* the longest attribute value looked at, with its NUL */
	NIC_SLIRP_PORT_MAX = 65535,
};

/* ---- values -------------------------------------------------------------------------- */

/* a decimal number without leading zeros (except "0") up to `max`; advances *at */
static bool nic_slirp_decimal(char const *text, size_t length, size_t *at, uint32_t max,
                              uint32_t *value)
{
	size_t start = *at;
	uint32_t v = 0;
	while (*at < length && ascii_is_digit(text[*at])) {
		v = v * 10 + (uint32_t)(text[*at] - '0');
		if (v > max) return false;
		(*at)++;
	}
	size_t digits = *at - start;
	if (digits == 0 || (digits > 1 && text[start] == '0')) return false;
	*value = v;
	return true;
}

bool nic_slirp_endpoint_parse(char const *text, size_t length, uint32_t *address,
                              uint16_t *port)
{
	size_t at = 0;
	uint32_t a = 0;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t byte;
		if (!nic_slirp_decimal(text, length, &at, 255, &byte)) return false;
		a = a << 8 | byte;
		char separator = i < 3 ? '.' : ':';
		if (at >= length || text[at] != separator) return false;
		at++;
	}
	uint32_t p;
	if (!nic_slirp_decimal(text, length, &at, NIC_SLIRP_PORT_MAX, &p) || p == 0 || at != length)
		return false;
	*address = a;
	*port = (uint16_t)p;
	return true;
}

void nic_slirp_address_format(uint32_t address, char *text, size_t size)
{
	format_string(text, size, "%u.%u.%u.%u", address >> 24, (address >> 16) & 0xff,
	              (address >> 8) & 0xff, address & 0xff);
}

static bool nic_slirp_mac_parse(char const *text, size_t length, uint8_t mac[6])
{
	if (length != 17) return false;
	for (unsigned i = 0; i < 6; i++) {
		char const *pair = text + 3 * i;
		if (!ascii_is_hex_digit(pair[0]) || !ascii_is_hex_digit(pair[1])) return false;
		if (i < 5 && pair[2] != ':') return false;
		mac[i] =
		    (uint8_t)(ascii_hex_digit_value(pair[0]) << 4 | ascii_hex_digit_value(pair[1]));
	}
	return (mac[0] & 1) == 0; /* a multicast address is no device's */
}

/* ---- nodes --------------------------------------------------------------------------- */

/* the decoded value of attribute `name`; false (and the message) if missing or too long */
static bool nic_slirp_value(struct xml_node node, char const *what, char const *name,
                            char value[NIC_SLIRP_VALUE_MAX], char *error)
{
	struct xml_copy_ret r = xml_node_attribute_string(node, name, value, NIC_SLIRP_VALUE_MAX);
	if (r.result == XML_ACCESS_OK) return true;
	if (r.result == XML_ACCESS_NOT_FOUND)
		format_string(error, NIC_SLIRP_ERROR_SIZE, "%s: no %s attribute", what, name);
	else
		format_string(error, NIC_SLIRP_ERROR_SIZE, "%s: %s is too long (%zu characters)", what,
		              name, r.length);
	return false;
}

/* every attribute of `node` is one of `known` (NULL-terminated) */
static bool nic_slirp_attributes_known(struct xml_node node, char const *what,
                                       char const *const *known, char *error)
{
	struct xml_attribute_ret a = xml_node_attribute_first(node);
	for (; a.result == XML_ACCESS_OK; a = xml_node_attribute_next(node, a.attribute)) {
		struct xml_span name = a.attribute.name;
		bool found = false;
		for (char const *const *k = known; *k && !found; k++)
			found = string_length(*k) == name.length &&
			        memory_compare(*k, name.start, name.length) == 0;
		if (!found) {
			format_string(error, NIC_SLIRP_ERROR_SIZE, "%s: unknown attribute \"%.*s\"", what,
			              (int)name.length, name.start);
			return false;
		}
	}
	return true;
}

static bool nic_slirp_guest_address_valid(uint32_t address)
{
	uint32_t host_part = address & ~NIC_SLIRP_NETMASK;
	return (address & NIC_SLIRP_NETMASK) == NIC_SLIRP_NETWORK && host_part != 0 &&
	       host_part != (~NIC_SLIRP_NETMASK) && address != NIC_SLIRP_HOST &&
	       address != NIC_SLIRP_NAMESERVER;
}

static bool nic_slirp_forward_parse(struct xml_node node, unsigned number,
                                    struct nic_slirp_forward *forward, char *error)
{
	static char const *const known[] = { "proto", "host", "guest", 0 };
	char what[24];
	format_string(what, sizeof(what), "forward %u", number);
	if (!nic_slirp_attributes_known(node, what, known, error)) return false;

	char value[NIC_SLIRP_VALUE_MAX];
	if (!nic_slirp_value(node, what, "proto", value, error)) return false;
	if (string_equal(value, "tcp"))
		forward->proto = NIC_SLIRP_TCP;
	else if (string_equal(value, "udp"))
		forward->proto = NIC_SLIRP_UDP;
	else {
		format_string(error, NIC_SLIRP_ERROR_SIZE, "%s: proto \"%s\" is neither tcp nor udp",
		              what, value);
		return false;
	}

	if (!nic_slirp_value(node, what, "host", value, error)) return false;
	if (!nic_slirp_endpoint_parse(value, string_length(value), &forward->host_address,
	                              &forward->host_port)) {
		format_string(error, NIC_SLIRP_ERROR_SIZE,
		              "%s: host \"%s\" is not <IPv4 address>:<port 1..65535>", what, value);
		return false;
	}

	if (!nic_slirp_value(node, what, "guest", value, error)) return false;
	if (!nic_slirp_endpoint_parse(value, string_length(value), &forward->guest_address,
	                              &forward->guest_port)) {
		format_string(error, NIC_SLIRP_ERROR_SIZE,
		              "%s: guest \"%s\" is not <IPv4 address>:<port 1..65535>", what, value);
		return false;
	}
	if (!nic_slirp_guest_address_valid(forward->guest_address)) {
		format_string(error, NIC_SLIRP_ERROR_SIZE,
		              "%s: guest \"%s\" is no guest's address in 10.0.2.0/24 (not .0, .255, "
		              "slirp's 10.0.2.2 or 10.0.2.3)",
		              what, value);
		return false;
	}
	return true;
}

/* two forwards of the same proto, host address and port; the second's number or 0 */
static unsigned nic_slirp_duplicate(struct nic_slirp_config const *config, unsigned *first)
{
	for (unsigned i = 0; i < config->forward_count; i++)
		for (unsigned j = i + 1; j < config->forward_count; j++) {
			struct nic_slirp_forward const *a = &config->forwards[i], *b = &config->forwards[j];
			if (a->proto == b->proto && a->host_address == b->host_address &&
			    a->host_port == b->host_port) {
				*first = i + 1;
				return j + 1;
			}
		}
	return 0;
}

/*
 * The unsigned attribute `name` of <config> into `value`: `fallback` without
 * it, else a number in min..max (written as every number of a config: 0x hex
 * and K, M, G suffixes too), or false with "config: <name> is not <kind> in
 * <min>..<max><note>".
 */
static bool nic_slirp_number(struct xml_node root, char const *name, char const *kind,
                             char const *note, uint32_t min, uint32_t max, uint32_t fallback,
                             uint32_t *value, char *error)
{
	*value = fallback;
	if (!xml_node_has_attribute(root, name)) return true;
	struct xml_unsigned_ret number = xml_node_attribute_unsigned(root, name);
	if (number.result != XML_ACCESS_OK || number.value < min || number.value > max) {
		format_string(error, NIC_SLIRP_ERROR_SIZE, "config: %s is not %s in %u..%u%s", name,
		              kind, (unsigned)min, (unsigned)max, note);
		return false;
	}
	*value = (uint32_t)number.value;
	return true;
}

static bool nic_slirp_link_parse(struct xml_node root, struct nic_slirp_config *config,
                                 char *error)
{
	static char const *const known[] = { "mtu", "mac", "keepalive", 0 };
	if (!nic_slirp_attributes_known(root, "config", known, error)) return false;

	if (!nic_slirp_number(root, "mtu", "a number", "", NIC_SLIRP_MTU_MIN, NIC_SLIRP_MTU_MAX,
	                      NIC_SLIRP_MTU_DEFAULT, &config->mtu, error))
		return false;
	if (!nic_slirp_number(root, "keepalive", "a number of seconds", " (0: off)", 0,
	                      NIC_SLIRP_KEEPALIVE_MAX, NIC_SLIRP_KEEPALIVE_DEFAULT,
	                      &config->keepalive, error))
		return false;

	static uint8_t const mac_default[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	memory_copy(config->mac, mac_default, sizeof(config->mac));
	if (xml_node_has_attribute(root, "mac")) {
		char value[NIC_SLIRP_VALUE_MAX];
		if (!nic_slirp_value(root, "config", "mac", value, error)) return false;
		if (!nic_slirp_mac_parse(value, string_length(value), config->mac)) {
			format_string(error, NIC_SLIRP_ERROR_SIZE,
			              "config: mac \"%s\" is not a unicast address xx:xx:xx:xx:xx:xx",
			              value);
			return false;
		}
	}
	return true;
}

enum nic_slirp_config_result nic_slirp_config_parse(struct xml_node root,
                                                    struct nic_slirp_config *config,
                                                    char error[NIC_SLIRP_ERROR_SIZE])
{
	memory_set(config, 0, sizeof(*config));
	error[0] = 0;
	if (!nic_slirp_link_parse(root, config, error)) return NIC_SLIRP_CONFIG_INVALID;

	unsigned number = 0;
	for (struct xml_node_ret n = xml_node_sub_first(root); n.result == XML_ACCESS_OK;
	     n = xml_node_next(n.node)) {
		number++;
		if (!xml_node_has_type(n.node, "forward")) {
			struct xml_span type = xml_node_type(n.node);
			format_string(error, NIC_SLIRP_ERROR_SIZE, "config: unknown node <%.*s>",
			              (int)type.length, type.start);
			return NIC_SLIRP_CONFIG_INVALID;
		}
		if (config->forward_count == NIC_SLIRP_FORWARDS_MAX) {
			format_string(error, NIC_SLIRP_ERROR_SIZE, "config: more than %u forwards",
			              (unsigned)NIC_SLIRP_FORWARDS_MAX);
			return NIC_SLIRP_CONFIG_INVALID;
		}
		if (!nic_slirp_forward_parse(n.node, number, &config->forwards[config->forward_count],
		                             error))
			return NIC_SLIRP_CONFIG_INVALID;
		config->forward_count++;
	}

	unsigned first = 0;
	unsigned second = nic_slirp_duplicate(config, &first);
	if (second) {
		struct nic_slirp_forward const *f = &config->forwards[second - 1];
		char address[16];
		nic_slirp_address_format(f->host_address, address, sizeof(address));
		format_string(error, NIC_SLIRP_ERROR_SIZE,
		              "forward %u: %s host %s:%u is forward %u's already", second,
		              f->proto == NIC_SLIRP_TCP ? "tcp" : "udp", address, f->host_port, first);
		return NIC_SLIRP_CONFIG_INVALID;
	}
	return NIC_SLIRP_CONFIG_OK;
}
