/* SPDX-License-Identifier: MIT */
/**
 * \brief the network settings of a component on lwIP: the <net> node of its
 *        config, DHCP or a static IPv4 address
 *
 *     <config> <net dhcp="yes"/> </config>
 *     <config> <net address="10.0.2.15" netmask="255.255.255.0" gateway="10.0.2.2"/> </config>
 *
 * Rules (each broken one is its own result, with the attribute named):
 *   - no <net> node: DHCP (what slirp and QEMU's user network offer);
 *   - at most one <net> node; its attributes are dhcp, address, netmask and
 *     gateway, nothing else;
 *   - dhcp="yes" (any boolean of util/xml.h) takes no address, netmask or
 *     gateway; without dhcp="yes" an address is required;
 *   - addresses are dotted decimal, exactly four numbers 0..255 without
 *     leading zeros ("010" could mean octal to a reader: refused);
 *   - the address needs a netmask of contiguous ones (/1 to /32); it must
 *     be a unicast address: not 0.0.0.0, 127.x (loopback), 224.x and above
 *     (multicast, reserved, broadcast), nor, up to /30, the network's own
 *     address or its broadcast address;
 *   - the gateway is optional; if given it lies in the address's network, is
 *     a unicast address by the same rules and is not the address itself.
 *
 * Pure: nothing is allocated, nothing logged; libbase only (freestanding
 * and host).
 */

#ifndef _NIC_NETIF_NIC_NETIF_CONFIG_H_
#define _NIC_NETIF_NIC_NETIF_CONFIG_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <util/xml.h>

/** the settings; addresses in host byte order (10.0.2.15 is 0x0a00020f) */
struct nic_netif_config
{
	bool dhcp;        /* ask a DHCP server; the addresses are 0 then */
	uint32_t address; /* static: the address, */
	uint32_t netmask; /* its netmask */
	uint32_t gateway; /* and the default gateway, 0 for none */
};

enum nic_netif_config_result {
	NIC_NETIF_CONFIG_OK = 0,
	NIC_NETIF_CONFIG_DUPLICATE_NODE,     /**< more than one <net> node */
	NIC_NETIF_CONFIG_UNKNOWN_ATTRIBUTE,  /**< an attribute that <net> does not have */
	NIC_NETIF_CONFIG_BAD_DHCP,           /**< dhcp is no boolean */
	NIC_NETIF_CONFIG_DHCP_AND_STATIC,    /**< dhcp="yes" with an address, netmask or gateway */
	NIC_NETIF_CONFIG_NO_ADDRESS,         /**< neither dhcp="yes" nor an address */
	NIC_NETIF_CONFIG_NOT_AN_ADDRESS,     /**< not four decimal numbers 0..255 with dots */
	NIC_NETIF_CONFIG_NO_NETMASK,         /**< an address without a netmask */
	NIC_NETIF_CONFIG_BAD_NETMASK,        /**< a netmask whose ones are not contiguous, or 0 */
	NIC_NETIF_CONFIG_NOT_UNICAST,        /**< the address or gateway is 0.0.0.0, loopback,
	                                          multicast, reserved or a broadcast address */
	NIC_NETIF_CONFIG_NETWORK_ADDRESS,    /**< the address or gateway is its network's own */
	NIC_NETIF_CONFIG_GATEWAY_ELSEWHERE,  /**< the gateway is not in the address's network */
	NIC_NETIF_CONFIG_GATEWAY_IS_ADDRESS, /**< the gateway is the address itself */
};

struct nic_netif_config_ret
{
	enum nic_netif_config_result result;
	struct xml_attribute attribute; /* the attribute at fault, or empty spans */
};

/**
 * Read the <net> node of a component's config.
 *
 * \param config  the config's root node (<config>)
 * \param out     filled in only with NIC_NETIF_CONFIG_OK
 * \return NIC_NETIF_CONFIG_OK, or the first rule broken and the attribute
 *         at fault (its name and value point into the document)
 */
struct nic_netif_config_ret nic_netif_config_parse(struct xml_node config,
                                                   struct nic_netif_config *out)
    __attribute__((warn_unused_result));

/** the result's meaning in words, for the log */
char const *nic_netif_config_result_text(enum nic_netif_config_result result);

/**
 * The whole error message of a result, for the log:
 * `<net address="10.0.2">: not an IPv4 address (a.b.c.d, each 0..255)`.
 *
 * \param buf   NUL-terminated, cut to `size`
 * \return      the length of the whole message (as format_string)
 */
size_t nic_netif_config_message(struct nic_netif_config_ret ret, char *buf, size_t size);

/**
 * Parse a dotted-decimal IPv4 address, strictly (see above).
 *
 * \param text    not NUL-terminated
 * \param length  its length
 * \return true with *address in host byte order, or false
 */
bool nic_netif_config_ip4_parse(char const *text, size_t length, uint32_t *address)
    __attribute__((warn_unused_result));

/** Format an address (host byte order) as a.b.c.d into buf (16 bytes suffice). */
void nic_netif_config_ip4_format(uint32_t address, char *buf, size_t size);

#endif /* _NIC_NETIF_NIC_NETIF_CONFIG_H_ */
