/* SPDX-License-Identifier: MIT */
/**
 * \brief nic_drv's config (doc/nic_drv.md): the guest's link and the port
 *        forwards, checked as a whole before the driver uses any of it
 *
 *   <config mtu="1500" mac="52:54:00:12:34:56" keepalive="30">
 *     <forward proto="tcp" host="127.0.0.1:8181" guest="10.0.2.15:8181"/>
 *   </config>
 *
 * <config> attributes, all optional:
 *   mtu   the guest network's MTU in bytes, NIC_SLIRP_MTU_MIN to
 *         NIC_SLIRP_MTU_MAX (slirp's own bounds); default NIC_SLIRP_MTU_DEFAULT.
 *         The Nic session's frame_max is mtu + 14 (the Ethernet header).
 *   mac   the MAC address of the guest's device (the Nic session's), six
 *         two-digit hex bytes separated by ':', unicast; default
 *         52:54:00:12:34:56 (QEMU's default guest address).
 *   keepalive  TCP keepalive of slirp's host sockets in seconds, 0 to
 *         NIC_SLIRP_KEEPALIVE_MAX: the silence before the first probe and the
 *         interval between probes, NIC_SLIRP_KEEPALIVE_PROBES of them; 0 turns
 *         it off; default NIC_SLIRP_KEEPALIVE_DEFAULT.
 * <forward> nodes, 0 to NIC_SLIRP_FORWARDS_MAX, all three attributes needed:
 *   proto  "tcp" or "udp"
 *   host   <IPv4 address>:<port> on the host where slirp listens
 *          (0.0.0.0 for every interface); port 1 to 65535
 *   guest  <IPv4 address>:<port> in the guest network 10.0.2.0/24, not its
 *          network or broadcast address nor slirp's own (host 10.0.2.2,
 *          DNS 10.0.2.3); port 1 to 65535
 * Two forwards of the same proto, host address and port are an error, so is
 * any other node or attribute: a typo must not pass unseen.
 */

#ifndef _NIC_DRV_NIC_SLIRP_CONFIG_H_
#define _NIC_DRV_NIC_SLIRP_CONFIG_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <util/xml.h>

/* the guest network, addresses in host byte order */
#define NIC_SLIRP_NETWORK    0x0a000200u /* 10.0.2.0 */
#define NIC_SLIRP_NETMASK    0xffffff00u /* /24 */
#define NIC_SLIRP_HOST       0x0a000202u /* 10.0.2.2: slirp, the gateway */
#define NIC_SLIRP_NAMESERVER 0x0a000203u /* 10.0.2.3: slirp's DNS */
#define NIC_SLIRP_DHCP_START 0x0a00020fu /* 10.0.2.15: the first address DHCP gives */

enum {
	NIC_SLIRP_FORWARDS_MAX = 16,
	NIC_SLIRP_MTU_MIN = 576,   /* the least every IPv4 host takes */
	NIC_SLIRP_MTU_MAX = 65521, /* libslirp's IF_MTU_MAX */
	NIC_SLIRP_MTU_DEFAULT = 1500,
	NIC_SLIRP_KEEPALIVE_MAX = 3600, /* an hour: beyond it a vanished peer is as good as kept */
	NIC_SLIRP_KEEPALIVE_DEFAULT = 30, /* a vanished peer found within about 2 minutes */
	NIC_SLIRP_KEEPALIVE_PROBES = 3,   /* unanswered probes before the host's TCP gives up */
	NIC_SLIRP_ETHERNET_HEADER = 14,
	NIC_SLIRP_ERROR_SIZE = 192, /* room for one error message */
};

enum nic_slirp_proto {
	NIC_SLIRP_TCP,
	NIC_SLIRP_UDP,
};

/** one port forward; addresses in host byte order */
struct nic_slirp_forward
{
	enum nic_slirp_proto proto;
	uint32_t host_address;
	uint16_t host_port;
	uint32_t guest_address;
	uint16_t guest_port;
};

struct nic_slirp_config
{
	uint32_t mtu;
	uint8_t mac[6];
	uint32_t keepalive; /* seconds; 0: off */
	unsigned forward_count;
	struct nic_slirp_forward forwards[NIC_SLIRP_FORWARDS_MAX];
};

enum nic_slirp_config_result {
	NIC_SLIRP_CONFIG_OK = 0,
	NIC_SLIRP_CONFIG_INVALID, /* a value, node or attribute that is not as described
	                             above; the message says which and why */
};

/**
 * Read and check the whole config.
 *
 * \param root    the <config> node (its type is not looked at)
 * \param config  filled with OK; unspecified otherwise
 * \param error   NIC_SLIRP_ERROR_SIZE bytes: with INVALID, one line that names
 *                the node (e.g. `forward 2`) and what is wrong with it
 */
enum nic_slirp_config_result nic_slirp_config_parse(struct xml_node root,
                                                    struct nic_slirp_config *config,
                                                    char error[NIC_SLIRP_ERROR_SIZE])
    __attribute__((warn_unused_result));

/**
 * Parse "<a>.<b>.<c>.<d>:<port>": four decimal numbers up to 255 without
 * leading zeros, and a decimal port from 1 to 65535, nothing else.
 *
 * \param address  host byte order, set only with true
 * \return whether `text` (length bytes, no NUL needed) is such an endpoint
 */
bool nic_slirp_endpoint_parse(char const *text, size_t length, uint32_t *address,
                              uint16_t *port) __attribute__((warn_unused_result));

/**
 * Format an IPv4 address (host byte order) as "a.b.c.d" into `text` of
 * `size` bytes (16 hold every address).
 */
void nic_slirp_address_format(uint32_t address, char *text, size_t size);

#endif /* _NIC_DRV_NIC_SLIRP_CONFIG_H_ */
