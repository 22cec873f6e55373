/* SPDX-License-Identifier: MIT */
/**
 * \brief Ethernet, ARP, IPv4, ICMP, UDP and TCP frames built and checked
 *        byte by byte, for a test that speaks to slirp without a TCP/IP stack
 *
 * Addresses and numbers are in host byte order in every struct and
 * argument; the frames are in network byte order. A builder writes into a
 * buffer large enough for the frame (ETH_BUFFER holds any) and returns the
 * frame's length; a payload is copied and may lie in the buffer already. A
 * parser checks lengths and checksums and returns false for anything that
 * is not a well-formed frame of its kind; the views it fills point into the
 * frame.
 */

#ifndef _TEST_NIC_SLIRP_ETH_FRAME_H_
#define _TEST_NIC_SLIRP_ETH_FRAME_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	ETH_FRAME_MAX = 1514, /* with an MTU of 1500 */
	ETH_BUFFER = 65536,   /* room for a frame of any Nic session */
	ETH_HEADER = 14,
	ETH_TYPE_IPV4 = 0x0800,
	ETH_TYPE_ARP = 0x0806,
	IPV4_HEADER = 20,
	IP_PROTO_ICMP = 1,
	IP_PROTO_TCP = 6,
	IP_PROTO_UDP = 17,
	TCP_HEADER = 20,
	TCP_FIN = 0x01,
	TCP_SYN = 0x02,
	TCP_RST = 0x04,
	TCP_PSH = 0x08,
	TCP_ACK = 0x10,
};

struct eth_mac
{
	uint8_t bytes[6];
};

extern struct eth_mac const eth_broadcast;

/** whether `a` and `b` are the same address */
bool eth_mac_equal(struct eth_mac a, struct eth_mac b);

struct eth_ipv4
{
	uint8_t proto;
	uint32_t source, destination;
	uint8_t const *payload; /* after the IP header */
	size_t length;          /* of the payload, as the header says */
};

struct eth_udp
{
	uint16_t source_port, destination_port;
	uint8_t const *payload;
	size_t length;
};

struct eth_tcp
{
	uint16_t source_port, destination_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	uint16_t mss; /* the MSS option (SYN only), 0 for none */
	uint8_t const *payload;
	size_t length;
};

struct eth_arp
{
	uint16_t op; /* 1 request, 2 reply */
	struct eth_mac sender_mac, target_mac;
	uint32_t sender_ip, target_ip;
};

/** big-endian stores and loads */
void eth_put16(uint8_t *at, uint16_t value);
void eth_put32(uint8_t *at, uint32_t value);
uint16_t eth_get16(uint8_t const *at);
uint32_t eth_get32(uint8_t const *at);

/** the Internet checksum of `length` bytes, starting from the partial sum `sum` */
uint16_t eth_checksum(void const *data, size_t length, uint32_t sum);

/** an Ethernet header; returns ETH_HEADER */
size_t eth_header(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
                  uint16_t type);

/** an ARP request from (mac, sender_ip) for target_ip, broadcast */
size_t eth_arp_request(uint8_t *frame, struct eth_mac mac, uint32_t sender_ip,
                       uint32_t target_ip);

/**
 * The headers of an IPv4 frame whose `length` bytes of payload are in place
 * already (at ETH_HEADER + IPV4_HEADER): TTL 64, no options, no fragments.
 * For UDP and TCP the payload starts with the transport header, whose
 * checksum is computed here (over the pseudo header).
 */
size_t eth_ipv4(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
                uint8_t proto, uint32_t source_ip, uint32_t destination_ip, size_t length);

/** a UDP datagram in an IPv4 frame */
size_t eth_udp(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
               uint32_t source_ip, uint16_t source_port, uint32_t destination_ip,
               uint16_t destination_port, void const *payload, size_t length);

/** a TCP segment in an IPv4 frame, with the MSS option if segment->mss */
size_t eth_tcp(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
               uint32_t source_ip, uint32_t destination_ip, struct eth_tcp const *segment);

/** an ICMP echo request with `length` bytes of data */
size_t eth_icmp_echo(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
                     uint32_t source_ip, uint32_t destination_ip, uint16_t id, uint16_t seq,
                     void const *data, size_t length);

/** the Ethernet header's fields; false if the frame is shorter than it */
bool eth_parse(uint8_t const *frame, size_t size, struct eth_mac *destination,
               struct eth_mac *source, uint16_t *type);

/** an ARP frame for IPv4 over Ethernet */
bool eth_parse_arp(uint8_t const *frame, size_t size, struct eth_arp *arp);

/** an IPv4 frame: version, header length, total length within the frame, checksum */
bool eth_parse_ipv4(uint8_t const *frame, size_t size, struct eth_ipv4 *ip);

/** a UDP datagram of `ip`: length and checksum (if not 0) */
bool eth_parse_udp(struct eth_ipv4 const *ip, struct eth_udp *udp);

/** a TCP segment of `ip`: header length and checksum; the MSS option if present */
bool eth_parse_tcp(struct eth_ipv4 const *ip, struct eth_tcp *tcp);

/** an ICMP echo reply of `ip`: checksum; its id, seq and data */
bool eth_parse_icmp_echo_reply(struct eth_ipv4 const *ip, uint16_t *id, uint16_t *seq,
                               uint8_t const **data, size_t *length);

#endif /* _TEST_NIC_SLIRP_ETH_FRAME_H_ */
