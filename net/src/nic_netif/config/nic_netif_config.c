/* SPDX-License-Identifier: MIT */
/**
 * \brief the <net> node of a component's config: DHCP or a static address
 */

#include <nic_netif/nic_netif_config.h>
#include <util/format.h>
#include <util/string.h>

static bool span_equal(struct xml_span span, char const *text)
{
	size_t length = string_length(text);
	return span.length == length && memory_compare(span.start, text, length) == 0;
}

bool nic_netif_config_ip4_parse(char const *text, size_t length, uint32_t *address)
{
	uint32_t value = 0;
	size_t i = 0;
	for (unsigned part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= length || text[i] != '.') return false;
			i++;
		}
		size_t start = i;
		unsigned number = 0;
		while (i < length && ascii_is_digit(text[i]) && i - start < 3)
			number = number * 10 + (unsigned)(text[i++] - '0');
		size_t digits = i - start;
		if (digits == 0 || number > 255) return false;
		if (digits > 1 && text[start] == '0') return false; /* octal to some readers */
		value = value << 8 | number;
	}
	if (i != length) return false; /* a fourth digit, a fifth part, anything else */
	*address = value;
	return true;
}

void nic_netif_config_ip4_format(uint32_t address, char *buf, size_t size)
{
	(void)format_string(buf, size, "%u.%u.%u.%u", (unsigned)(address >> 24),
	                    (unsigned)(address >> 16 & 0xff), (unsigned)(address >> 8 & 0xff),
	                    (unsigned)(address & 0xff));
}

/* the address of a host at all: not 0/8, loopback, multicast, reserved or broadcast */
static bool ip4_unicast(uint32_t address)
{
	uint32_t first = address >> 24;
	return first != 0 && first != 127 && first < 224;
}

/* ones from the top, then zeros, at least one one */
static bool netmask_valid(uint32_t netmask)
{
	uint32_t inverse = ~netmask;
	return netmask != 0 && (inverse & (inverse + 1)) == 0;
}

/* whether `address` is its network's own or broadcast address (not for /31 and /32) */
static bool ip4_network_or_broadcast(uint32_t address, uint32_t netmask)
{
	uint32_t host = address & ~netmask;
	return ~netmask > 1 && (host == 0 || host == ~netmask);
}

static struct nic_netif_config_ret config_error(enum nic_netif_config_result result,
                                                struct xml_attribute attribute)
{
	return (struct nic_netif_config_ret){ result, attribute };
}

/* a host address of the network of `netmask`; NIC_NETIF_CONFIG_OK or why not */
static enum nic_netif_config_result host_address(uint32_t address, uint32_t netmask)
{
	if (!ip4_unicast(address)) return NIC_NETIF_CONFIG_NOT_UNICAST;
	if (!ip4_network_or_broadcast(address, netmask)) return NIC_NETIF_CONFIG_OK;
	return (address & ~netmask) == 0 ? NIC_NETIF_CONFIG_NETWORK_ADDRESS
	                                 : NIC_NETIF_CONFIG_NOT_UNICAST;
}

struct nic_netif_config_ret nic_netif_config_parse(struct xml_node config,
                                                   struct nic_netif_config *out)
{
	struct xml_attribute none = { { "", 0 }, { "", 0 } };
	struct xml_node_ret net = xml_node_sub_by_type(config, "net");
	if (net.result != XML_ACCESS_OK) {
		*out = (struct nic_netif_config){ .dhcp = true };
		return config_error(NIC_NETIF_CONFIG_OK, none);
	}
	if (xml_node_next_by_type(net.node, "net").result == XML_ACCESS_OK)
		return config_error(NIC_NETIF_CONFIG_DUPLICATE_NODE, none);

	/* every attribute known, each one in its form */
	struct xml_attribute dhcp = none, address = none, netmask = none, gateway = none;
	bool has_dhcp = false, has_address = false, has_netmask = false, has_gateway = false;
	struct nic_netif_config c = { 0 };
	for (struct xml_attribute_ret a = xml_node_attribute_first(net.node);
	     a.result == XML_ACCESS_OK; a = xml_node_attribute_next(net.node, a.attribute)) {
		struct xml_span name = a.attribute.name;
		struct xml_span value = a.attribute.value;
		bool ok = true;
		if (span_equal(name, "dhcp")) {
			struct xml_bool_ret b = xml_attribute_bool(a.attribute);
			ok = b.result == XML_ACCESS_OK;
			c.dhcp = b.value;
			dhcp = a.attribute, has_dhcp = true;
		} else if (span_equal(name, "address")) {
			ok = nic_netif_config_ip4_parse(value.start, value.length, &c.address);
			address = a.attribute, has_address = true;
		} else if (span_equal(name, "netmask")) {
			ok = nic_netif_config_ip4_parse(value.start, value.length, &c.netmask);
			if (!ok) return config_error(NIC_NETIF_CONFIG_NOT_AN_ADDRESS, a.attribute);
			if (!netmask_valid(c.netmask))
				return config_error(NIC_NETIF_CONFIG_BAD_NETMASK, a.attribute);
			netmask = a.attribute, has_netmask = true;
		} else if (span_equal(name, "gateway")) {
			ok = nic_netif_config_ip4_parse(value.start, value.length, &c.gateway);
			gateway = a.attribute, has_gateway = true;
		} else {
			return config_error(NIC_NETIF_CONFIG_UNKNOWN_ATTRIBUTE, a.attribute);
		}
		if (!ok)
			return config_error(span_equal(name, "dhcp") ? NIC_NETIF_CONFIG_BAD_DHCP
			                                             : NIC_NETIF_CONFIG_NOT_AN_ADDRESS,
			                    a.attribute);
	}

	/* then how they go together */
	if (c.dhcp) {
		if (has_address || has_netmask || has_gateway)
			return config_error(NIC_NETIF_CONFIG_DHCP_AND_STATIC, has_address   ? address
			                                                      : has_netmask ? netmask
			                                                                    : gateway);
		*out = (struct nic_netif_config){ .dhcp = true };
		return config_error(NIC_NETIF_CONFIG_OK, none);
	}
	if (!has_address) return config_error(NIC_NETIF_CONFIG_NO_ADDRESS, has_dhcp ? dhcp : none);
	if (!has_netmask) return config_error(NIC_NETIF_CONFIG_NO_NETMASK, address);
	enum nic_netif_config_result r = host_address(c.address, c.netmask);
	if (r != NIC_NETIF_CONFIG_OK) return config_error(r, address);
	if (has_gateway) {
		if ((c.gateway & c.netmask) != (c.address & c.netmask))
			return config_error(NIC_NETIF_CONFIG_GATEWAY_ELSEWHERE, gateway);
		r = host_address(c.gateway, c.netmask);
		if (r != NIC_NETIF_CONFIG_OK) return config_error(r, gateway);
		if (c.gateway == c.address)
			return config_error(NIC_NETIF_CONFIG_GATEWAY_IS_ADDRESS, gateway);
	}
	*out = c;
	return config_error(NIC_NETIF_CONFIG_OK, none);
}

char const *nic_netif_config_result_text(enum nic_netif_config_result result)
{
	switch (result) {
	case NIC_NETIF_CONFIG_OK:
		return "ok";
	case NIC_NETIF_CONFIG_DUPLICATE_NODE:
		return "more than one <net> node";
	case NIC_NETIF_CONFIG_UNKNOWN_ATTRIBUTE:
		return "unknown attribute (known: dhcp, address, netmask, gateway)";
	case NIC_NETIF_CONFIG_BAD_DHCP:
		return "not a boolean (yes or no)";
	case NIC_NETIF_CONFIG_DHCP_AND_STATIC:
		return "dhcp=\"yes\" takes no address, netmask or gateway";
	case NIC_NETIF_CONFIG_NO_ADDRESS:
		return "neither dhcp=\"yes\" nor an address";
	case NIC_NETIF_CONFIG_NOT_AN_ADDRESS:
		return "not an IPv4 address (a.b.c.d, each 0..255)";
	case NIC_NETIF_CONFIG_NO_NETMASK:
		return "an address needs a netmask";
	case NIC_NETIF_CONFIG_BAD_NETMASK:
		return "not a netmask (contiguous ones from the top)";
	case NIC_NETIF_CONFIG_NOT_UNICAST:
		return "not a host's address (0.0.0.0, loopback, multicast, reserved or broadcast)";
	case NIC_NETIF_CONFIG_NETWORK_ADDRESS:
		return "the network's own address, not a host's";
	case NIC_NETIF_CONFIG_GATEWAY_ELSEWHERE:
		return "the gateway is outside the network";
	case NIC_NETIF_CONFIG_GATEWAY_IS_ADDRESS:
		return "the gateway is the address itself";
	}
	return "unknown";
}

size_t nic_netif_config_message(struct nic_netif_config_ret ret, char *buf, size_t size)
{
	char const *text = nic_netif_config_result_text(ret.result);
	if (ret.attribute.name.length == 0) return format_string(buf, size, "<net>: %s", text);
	return format_string(buf, size, "<net %.*s=\"%.*s\">: %s", (int)ret.attribute.name.length,
	                     ret.attribute.name.start, (int)ret.attribute.value.length,
	                     ret.attribute.value.start, text);
}
