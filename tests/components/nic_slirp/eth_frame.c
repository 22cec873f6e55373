/* SPDX-License-Identifier: MIT */
/**
 * \brief Ethernet, ARP, IPv4, ICMP, UDP and TCP frames built and checked
 *        (eth_frame.h)
 */

#include <util/string.h>

#include "eth_frame.h"

struct eth_mac const eth_broadcast = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

bool eth_mac_equal(struct eth_mac a, struct eth_mac b)
{
	return memory_compare(a.bytes, b.bytes, sizeof(a.bytes)) == 0;
}

void eth_put16(uint8_t *at, uint16_t value)
{
	at[0] = (uint8_t)(value >> 8);
	at[1] = (uint8_t)value;
}

void eth_put32(uint8_t *at, uint32_t value)
{
	eth_put16(at, (uint16_t)(value >> 16));
	eth_put16(at + 2, (uint16_t)value);
}

uint16_t eth_get16(uint8_t const *at) { return (uint16_t)(at[0] << 8 | at[1]); }

uint32_t eth_get32(uint8_t const *at)
{
	return (uint32_t)eth_get16(at) << 16 | eth_get16(at + 2);
}

/* the ones' complement sum, not folded */
static uint32_t eth_sum(void const *data, size_t length, uint32_t sum)
{
	uint8_t const *bytes = data;
	for (size_t i = 0; i + 1 < length; i += 2) sum += eth_get16(bytes + i);
	if (length & 1) sum += (uint32_t)bytes[length - 1] << 8;
	return sum;
}

uint16_t eth_checksum(void const *data, size_t length, uint32_t sum)
{
	sum = eth_sum(data, length, sum);
	while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* the pseudo header's sum for a transport segment of `length` bytes */
static uint32_t eth_pseudo(uint32_t source, uint32_t destination, uint8_t proto, size_t length)
{
	return (source >> 16) + (source & 0xffff) + (destination >> 16) + (destination & 0xffff) +
	       proto + (uint32_t)length;
}

size_t eth_header(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
                  uint16_t type)
{
	memory_copy(frame, destination.bytes, 6);
	memory_copy(frame + 6, source.bytes, 6);
	eth_put16(frame + 12, type);
	return ETH_HEADER;
}

size_t eth_arp_request(uint8_t *frame, struct eth_mac mac, uint32_t sender_ip,
                       uint32_t target_ip)
{
	uint8_t *a = frame + eth_header(frame, eth_broadcast, mac, ETH_TYPE_ARP);
	eth_put16(a, 1); /* Ethernet */
	eth_put16(a + 2, ETH_TYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	eth_put16(a + 6, 1); /* request */
	memory_copy(a + 8, mac.bytes, 6);
	eth_put32(a + 14, sender_ip);
	memory_set(a + 18, 0, 6);
	eth_put32(a + 24, target_ip);
	return ETH_HEADER + 28;
}

size_t eth_ipv4(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
                uint8_t proto, uint32_t source_ip, uint32_t destination_ip, size_t length)
{
	uint8_t *ip = frame + eth_header(frame, destination, source, ETH_TYPE_IPV4);
	ip[0] = 0x45;
	ip[1] = 0;
	eth_put16(ip + 2, (uint16_t)(IPV4_HEADER + length));
	eth_put16(ip + 4, 0x1234); /* identification */
	eth_put16(ip + 6, 0);      /* no fragments */
	ip[8] = 64;
	ip[9] = proto;
	eth_put16(ip + 10, 0);
	eth_put32(ip + 12, source_ip);
	eth_put32(ip + 16, destination_ip);
	eth_put16(ip + 10, eth_checksum(ip, IPV4_HEADER, 0));
	uint8_t *data = ip + IPV4_HEADER;
	uint32_t pseudo = eth_pseudo(source_ip, destination_ip, proto, length);
	if (proto == IP_PROTO_UDP) {
		eth_put16(data + 6, 0);
		uint16_t sum = eth_checksum(data, length, pseudo);
		eth_put16(data + 6, sum ? sum : 0xffff);
	} else if (proto == IP_PROTO_TCP) {
		eth_put16(data + 16, 0);
		eth_put16(data + 16, eth_checksum(data, length, pseudo));
	}
	return ETH_HEADER + IPV4_HEADER + length;
}

/* where the payload of an IPv4 frame goes */
static uint8_t *eth_ipv4_payload(uint8_t *frame) { return frame + ETH_HEADER + IPV4_HEADER; }

size_t eth_udp(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
               uint32_t source_ip, uint16_t source_port, uint32_t destination_ip,
               uint16_t destination_port, void const *payload, size_t length)
{
	uint8_t *datagram = eth_ipv4_payload(frame);
	memory_move(datagram + 8, payload, length);
	eth_put16(datagram, source_port);
	eth_put16(datagram + 2, destination_port);
	eth_put16(datagram + 4, (uint16_t)(8 + length));
	return eth_ipv4(frame, destination, source, IP_PROTO_UDP, source_ip, destination_ip,
	                8 + length);
}

size_t eth_tcp(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
               uint32_t source_ip, uint32_t destination_ip, struct eth_tcp const *s)
{
	uint8_t *segment = eth_ipv4_payload(frame);
	size_t header = s->mss ? TCP_HEADER + 4 : TCP_HEADER;
	if (s->length) memory_move(segment + header, s->payload, s->length);
	eth_put16(segment, s->source_port);
	eth_put16(segment + 2, s->destination_port);
	eth_put32(segment + 4, s->seq);
	eth_put32(segment + 8, s->ack);
	segment[12] = (uint8_t)((header / 4) << 4);
	segment[13] = s->flags;
	eth_put16(segment + 14, s->window);
	eth_put16(segment + 18, 0);
	if (s->mss) {
		segment[TCP_HEADER] = 2;
		segment[TCP_HEADER + 1] = 4;
		eth_put16(segment + TCP_HEADER + 2, s->mss);
	}
	return eth_ipv4(frame, destination, source, IP_PROTO_TCP, source_ip, destination_ip,
	                header + s->length);
}

size_t eth_icmp_echo(uint8_t *frame, struct eth_mac destination, struct eth_mac source,
                     uint32_t source_ip, uint32_t destination_ip, uint16_t id, uint16_t seq,
                     void const *data, size_t length)
{
	uint8_t *message = eth_ipv4_payload(frame);
	memory_move(message + 8, data, length);
	message[0] = 8; /* echo request */
	message[1] = 0;
	eth_put16(message + 2, 0);
	eth_put16(message + 4, id);
	eth_put16(message + 6, seq);
	eth_put16(message + 2, eth_checksum(message, 8 + length, 0));
	return eth_ipv4(frame, destination, source, IP_PROTO_ICMP, source_ip, destination_ip,
	                8 + length);
}

bool eth_parse(uint8_t const *frame, size_t size, struct eth_mac *destination,
               struct eth_mac *source, uint16_t *type)
{
	if (size < ETH_HEADER) return false;
	memory_copy(destination->bytes, frame, 6);
	memory_copy(source->bytes, frame + 6, 6);
	*type = eth_get16(frame + 12);
	return true;
}

bool eth_parse_arp(uint8_t const *frame, size_t size, struct eth_arp *arp)
{
	if (size < ETH_HEADER + 28 || eth_get16(frame + 12) != ETH_TYPE_ARP) return false;
	uint8_t const *a = frame + ETH_HEADER;
	if (eth_get16(a) != 1 || eth_get16(a + 2) != ETH_TYPE_IPV4 || a[4] != 6 || a[5] != 4)
		return false;
	arp->op = eth_get16(a + 6);
	memory_copy(arp->sender_mac.bytes, a + 8, 6);
	arp->sender_ip = eth_get32(a + 14);
	memory_copy(arp->target_mac.bytes, a + 18, 6);
	arp->target_ip = eth_get32(a + 24);
	return true;
}

bool eth_parse_ipv4(uint8_t const *frame, size_t size, struct eth_ipv4 *ip)
{
	if (size < ETH_HEADER + IPV4_HEADER || eth_get16(frame + 12) != ETH_TYPE_IPV4) return false;
	uint8_t const *h = frame + ETH_HEADER;
	size_t header = (size_t)(h[0] & 0xf) * 4;
	size_t total = eth_get16(h + 2);
	if ((h[0] >> 4) != 4 || header < IPV4_HEADER || total < header ||
	    ETH_HEADER + total > size || eth_checksum(h, header, 0) != 0)
		return false;
	if (eth_get16(h + 6) & 0x3fff) return false; /* a fragment: not for this test */
	ip->proto = h[9];
	ip->source = eth_get32(h + 12);
	ip->destination = eth_get32(h + 16);
	ip->payload = h + header;
	ip->length = total - header;
	return true;
}

bool eth_parse_udp(struct eth_ipv4 const *ip, struct eth_udp *udp)
{
	if (ip->proto != IP_PROTO_UDP || ip->length < 8) return false;
	uint8_t const *d = ip->payload;
	size_t length = eth_get16(d + 4);
	if (length < 8 || length > ip->length) return false;
	if (eth_get16(d + 6) != 0 &&
	    eth_checksum(d, length,
	                 eth_pseudo(ip->source, ip->destination, IP_PROTO_UDP, length)) != 0)
		return false;
	udp->source_port = eth_get16(d);
	udp->destination_port = eth_get16(d + 2);
	udp->payload = d + 8;
	udp->length = length - 8;
	return true;
}

bool eth_parse_tcp(struct eth_ipv4 const *ip, struct eth_tcp *tcp)
{
	if (ip->proto != IP_PROTO_TCP || ip->length < TCP_HEADER) return false;
	uint8_t const *s = ip->payload;
	size_t header = (size_t)(s[12] >> 4) * 4;
	if (header < TCP_HEADER || header > ip->length ||
	    eth_checksum(s, ip->length,
	                 eth_pseudo(ip->source, ip->destination, IP_PROTO_TCP, ip->length)) != 0)
		return false;
	tcp->source_port = eth_get16(s);
	tcp->destination_port = eth_get16(s + 2);
	tcp->seq = eth_get32(s + 4);
	tcp->ack = eth_get32(s + 8);
	tcp->flags = s[13];
	tcp->window = eth_get16(s + 14);
	tcp->mss = 0;
	for (size_t at = TCP_HEADER; at < header && s[at] != 0;) { /* 0: end of the options */
		if (s[at] == 1) {                                      /* no-op */
			at++;
			continue;
		}
		if (at + 2 > header || s[at + 1] < 2 || at + s[at + 1] > header) return false;
		if (s[at] == 2 && s[at + 1] == 4) tcp->mss = eth_get16(s + at + 2);
		at += s[at + 1];
	}
	tcp->payload = s + header;
	tcp->length = ip->length - header;
	return true;
}

bool eth_parse_icmp_echo_reply(struct eth_ipv4 const *ip, uint16_t *id, uint16_t *seq,
                               uint8_t const **data, size_t *length)
{
	if (ip->proto != IP_PROTO_ICMP || ip->length < 8) return false;
	uint8_t const *m = ip->payload;
	if (m[0] != 0 || m[1] != 0 || eth_checksum(m, ip->length, 0) != 0) return false;
	*id = eth_get16(m + 4);
	*seq = eth_get16(m + 6);
	*data = m + 8;
	*length = ip->length - 8;
	return true;
}
