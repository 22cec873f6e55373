/* SPDX-License-Identifier: MIT */
/**
 * \brief an lwIP netif over a Nic session, served by the lwIP event loop
 *
 * nic_netif_init() opens a Nic session through the parent, with the
 * streams' and the link's signals at three sources of the loop
 * (lwip_loop.h): tx (the driver acknowledged frames, or the submit queue
 * has room again), rx (frames arrived, or the acknowledgement queue has
 * room again) and link. It adds an Ethernet netif with the device's MAC
 * address and an MTU from its frame_max, makes it lwIP's default netif,
 * sets it up with the link state of the device, and takes its address from
 * the component's config (nic_netif_config.h): DHCP, or a static address.
 * Once the netif has an address it logs `net: address 10.0.2.15` (and
 * again when DHCP gives it another one).
 *
 * Sending (lwIP's linkoutput): the frame (a pbuf chain) is copied into a
 * packet of the tx stream and submitted. Acknowledged packets are released
 * on the way. When the stream has no room (its buffer or submit queue is
 * full: the driver is behind), the pbuf is kept, with a reference of its
 * own, in a backlog of NIC_NETIF_TX_BACKLOG frames that goes out in order
 * as soon as the driver acknowledges frames. A frame that finds the
 * backlog full too is refused with ERR_MEM (TCP keeps its segment and
 * sends it again; a datagram is lost), counted and logged: nothing is
 * dropped silently.
 *
 * Receiving: up to NIC_NETIF_RX_BATCH frames per call of the rx source,
 * each copied out of the shared buffer into a pbuf of lwIP's pool (so lwIP
 * parses its own copy, which the driver cannot change any more), handed to
 * netif->input and acknowledged; a sink never takes a frame that it could
 * not acknowledge. More frames than a batch: the source is scheduled and
 * runs again in the next pass, so that timeouts and the other sources get
 * their turn. A frame that lwIP has no pbuf for is dropped, counted and
 * logged (a device whose receive ring is full drops too). Bad descriptors and a
 * corrupt queue of the driver are logged; a corrupt stream is not served
 * any more.
 *
 * Threads: everything in the loop's thread. The struct must not move while
 * the netif exists. Several nic_netifs may exist (one session each), up to
 * the loop's sources (three each).
 */

#ifndef _NIC_NETIF_NIC_NETIF_H_
#define _NIC_NETIF_NIC_NETIF_H_

#include <stdbool.h>
#include <stdint.h>

#include <lwip/netif.h>
#include <lwip_loop/lwip_loop.h>
#include <nic_netif/nic_netif_config.h>
#include <nic_session/connection.h>
#include <util/xml.h>

enum {
	NIC_NETIF_BUF_DEFAULT = 512 * 1024, /* each stream's buffer unless args say otherwise */
	NIC_NETIF_TX_BACKLOG = 128,         /* frames kept while the tx stream is full */
	NIC_NETIF_RX_BATCH = 64,            /* frames taken per call of the rx source */
};

struct nic_netif_args
{
	char const *label;    /* the Nic session's label, NULL or "" for none */
	uint64_t tx_buf_size; /* bytes of each stream's buffer (NIC_SESSION_BUF_MIN to */
	uint64_t rx_buf_size; /* NIC_SESSION_BUF_MAX), 0: NIC_NETIF_BUF_DEFAULT */
	/* the component's config (<config>): its <net> node says DHCP or a static
	 * address (nic_netif_config.h); NULL: DHCP */
	struct xml_node const *config;
	/* called, if set, right after each `net: address` line (in the loop's thread, or
	 * within nic_netif_init for a static address), with the address in host byte order */
	void (*up)(void *arg, uint32_t address);
	void *up_arg;
};

/** counters, for logs, tests and benchmarks */
struct nic_netif_stats
{
	uint64_t tx_frames, tx_bytes; /* frames submitted to the driver */
	uint64_t tx_backlogged;       /* frames that waited in the backlog */
	uint64_t tx_refused;          /* frames refused: the backlog was full, or the stream
	                                 is broken */
	uint64_t tx_acks_rejected;    /* acknowledgements of no packet of ours */
	uint64_t rx_frames, rx_bytes; /* frames handed to lwIP */
	uint64_t rx_no_pbuf;          /* frames dropped: lwIP's pool was empty */
	uint64_t rx_rejected;         /* bad descriptors, frames above frame_max */
	uint64_t rx_rescheduled;      /* batches that left frames for the next pass */
};

/** the netif; the fields are private but for `netif` (lwIP's, read-only to the caller) */
struct nic_netif
{
	struct netif netif;
	struct lwip_loop *loop;
	struct nic_connection nic;
	struct lwip_loop_source tx_source, rx_source, link_source;
	struct nic_netif_config config;
	struct nic_mac_address mac;
	uint32_t frame_max;        /* the device's, at most 0xffff (an lwIP pbuf's limit) */
	bool tx_broken, rx_broken; /* the driver corrupted a stream's queues */
	bool added;                /* the netif is lwIP's */
	struct pbuf *backlog[NIC_NETIF_TX_BACKLOG];
	unsigned backlog_first, backlog_count;
	uint32_t logged_address; /* host order; 0: none logged */
	void (*up)(void *arg, uint32_t address);
	void *up_arg;
	uint64_t refused_logged; /* tx_refused when it was last logged */
	struct nic_netif_stats stats;
};

enum nic_netif_result {
	NIC_NETIF_OK = 0,
	NIC_NETIF_BAD_CONFIG,       /* the <net> node is wrong (logged, with why) */
	NIC_NETIF_INVALID_ARGUMENT, /* a buffer size out of range */
	NIC_NETIF_DENIED,           /* the parent gave no Nic session (logged) */
	NIC_NETIF_NO_RESOURCES,     /* no loop source, signal context, capability or memory */
	NIC_NETIF_SERVER_ERROR,     /* the driver failed a call while the session was set up
	                               (logged) */
};

/**
 * Open the Nic session, add the netif to lwIP and start DHCP or set the
 * static address.
 *
 * \param netif  storage, the caller's; must not move until destroyed
 * \param loop   initialized (lwip_loop_init); it gets three sources
 * \return NIC_NETIF_OK, or an error with nothing left open
 */
enum nic_netif_result nic_netif_init(struct nic_netif *netif, struct lwip_loop *loop,
                                     struct nic_netif_args const *args)
    __attribute__((warn_unused_result));

/**
 * Take the netif from lwIP (DHCP stopped, connections over it lose their
 * route), free the backlog, close the session and remove the sources.
 * Not from within lwIP's own calls into the netif.
 */
void nic_netif_destroy(struct nic_netif *netif);

/** whether the link is up and the netif has an address */
bool nic_netif_up(struct nic_netif const *netif) __attribute__((warn_unused_result));

/** the netif's IPv4 address in host byte order, 0 while it has none */
uint32_t nic_netif_address(struct nic_netif const *netif) __attribute__((warn_unused_result));

/** the counters */
struct nic_netif_stats nic_netif_stats(struct nic_netif const *netif)
    __attribute__((warn_unused_result));

/** the name of a result, for messages */
char const *nic_netif_result_string(enum nic_netif_result result);

#endif /* _NIC_NETIF_NIC_NETIF_H_ */
