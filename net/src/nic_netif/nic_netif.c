/* SPDX-License-Identifier: MIT */
/**
 * \brief an lwIP netif over a Nic session, served by the lwIP event loop
 *
 * The contract is in nic_netif.h. Here: the three sources (tx, rx, link),
 * linkoutput with its backlog, the receive batches, the address.
 */

#include <base/log.h>
#include <base/panic.h>
#include <lwip/dhcp.h>
#include <lwip/etharp.h>
#include <lwip/pbuf.h>
#include <lwip/timeouts.h>
#include <netif/ethernet.h>
#include <nic_netif/nic_netif.h>
#include <util/string.h>

enum {
	ETHERNET_HEADER = 14,
	IP4_MTU_MIN = 576,            /* what every IPv4 host must take (RFC 791) */
	DHCP_PATIENCE_MS = 10 * 1000, /* a lease not bound by then is worth a line */
	LOG_EACH_FIRST = 8,           /* problems logged one by one, then at powers of two */
};

/* whether the `count`th problem of a kind is logged: the first ones, then fewer */
static bool nic_netif_log_due(uint64_t count)
{
	return count <= LOG_EACH_FIRST || (count & (count - 1)) == 0;
}

static uint32_t ip4_host_order(ip4_addr_t const *address) { return lwip_ntohl(address->addr); }

static void ip4_from_host_order(ip4_addr_t *address, uint32_t value)
{
	address->addr = lwip_htonl(value);
}

/* ---- tx: linkoutput, acknowledgements, the backlog ---------------------------------- */

enum nic_netif_tx {
	NIC_NETIF_TX_SENT,   /* submitted */
	NIC_NETIF_TX_FULL,   /* no room in the buffer or the submit queue now */
	NIC_NETIF_TX_BROKEN, /* the stream is corrupt, or the frame can never be sent */
};

static void nic_netif_tx_broken(struct nic_netif *n, char const *why)
{
	if (!n->tx_broken) log_error("net: the NIC driver %s: no frame can be sent any more", why);
	n->tx_broken = true;
}

static void nic_netif_tx_rejected(struct nic_netif *n, uint32_t rejected)
{
	if (!rejected) return;
	n->stats.tx_acks_rejected += rejected;
	if (nic_netif_log_due(n->stats.tx_acks_rejected))
		log_warning("net: the NIC driver acknowledged %llu tx packets that were none of ours",
		            (unsigned long long)n->stats.tx_acks_rejected);
}

/*
 * Take every acknowledgement there is and release its packet. A corrupt
 * queue, or a driver that writes invalid acknowledgements without end,
 * breaks tx: the backlog and every later frame are refused.
 */
static void nic_netif_tx_reclaim(struct nic_netif *n)
{
	if (n->tx_broken) return;
	struct packet_stream_release_acked_ret r = packet_stream_source_release_all(&n->nic.tx);
	nic_netif_tx_rejected(n, r.rejected);
	if (r.result != PACKET_STREAM_OK)
		nic_netif_tx_broken(n, "corrupted the tx acknowledgement queue");
}

/*
 * Copy the frame into a packet of the stream and submit it. The
 * acknowledgements are quiet (alloc_quiet): linkoutput takes them back
 * before each frame anyway, and they wake the tx source only while a frame
 * waits for room in the buffer. A frame that waits for the submit queue is woken by
 * ready_to_submit, which is never quiet. Nothing goes once the stream is broken.
 */
static enum nic_netif_tx nic_netif_tx_send(struct nic_netif *n, struct pbuf *p)
{
	if (n->tx_broken) return NIC_NETIF_TX_BROKEN;
	struct packet_stream_alloc_quiet_ret a =
	    packet_stream_source_alloc_quiet(&n->nic.tx, p->tot_len);
	nic_netif_tx_rejected(n, a.rejected);
	if (a.result == PACKET_STREAM_ALLOC_PEER_CORRUPT) {
		nic_netif_tx_broken(n, "corrupted the tx acknowledgement queue");
		return NIC_NETIF_TX_BROKEN;
	}
	if (a.result != PACKET_STREAM_ALLOC_OK) return NIC_NETIF_TX_FULL; /* no room now */
	void *content = packet_stream_source_content(&n->nic.tx, a.packet);
	ASSERT(content);
	u16_t copied = pbuf_copy_partial(p, content, p->tot_len, 0);
	ASSERT(copied == p->tot_len);
	enum packet_stream_result r = packet_stream_source_try_submit(&n->nic.tx, a.packet);
	if (r == PACKET_STREAM_OK) {
		n->stats.tx_frames++;
		n->stats.tx_bytes += p->tot_len;
		return NIC_NETIF_TX_SENT;
	}
	/* the packet is still ours */
	enum packet_stream_release_result released =
	    packet_stream_source_release(&n->nic.tx, a.packet);
	ASSERT(released == PACKET_STREAM_RELEASE_OK);
	if (r == PACKET_STREAM_QUEUE_FULL) return NIC_NETIF_TX_FULL;
	nic_netif_tx_broken(n, "corrupted the tx submit queue");
	return NIC_NETIF_TX_BROKEN;
}

/* a frame that cannot go: counted and logged */
static err_t nic_netif_tx_refuse(struct nic_netif *n, struct pbuf *p, char const *why)
{
	n->stats.tx_refused++;
	if (nic_netif_log_due(n->stats.tx_refused))
		log_warning("net: refused a frame of %u bytes, %s (%llu refused so far)",
		            (unsigned)p->tot_len, why, (unsigned long long)n->stats.tx_refused);
	return ERR_MEM;
}

/* send the backlog in order, as far as the stream takes it */
static void nic_netif_tx_flush(struct nic_netif *n)
{
	while (n->backlog_count) {
		struct pbuf *p = n->backlog[n->backlog_first];
		enum nic_netif_tx r = nic_netif_tx_send(n, p);
		if (r == NIC_NETIF_TX_FULL) return;
		if (r == NIC_NETIF_TX_BROKEN)
			(void)nic_netif_tx_refuse(n, p, "the tx stream is broken");
		n->backlog[n->backlog_first] = NULL;
		n->backlog_first = (n->backlog_first + 1) % NIC_NETIF_TX_BACKLOG;
		n->backlog_count--;
		pbuf_free(p);
	}
}

static err_t nic_netif_linkoutput(struct netif *netif, struct pbuf *p)
{
	struct nic_netif *n = netif->state;
	if (n->tx_broken) return nic_netif_tx_refuse(n, p, "the tx stream is broken");
	if (p->tot_len == 0 || p->tot_len > n->frame_max)
		return nic_netif_tx_refuse(n, p, "larger than the device's frames");

	nic_netif_tx_reclaim(n);
	nic_netif_tx_flush(n); /* what waits goes first */
	if (n->backlog_count == 0) {
		enum nic_netif_tx r = nic_netif_tx_send(n, p);
		if (r == NIC_NETIF_TX_SENT) return ERR_OK;
		if (r == NIC_NETIF_TX_BROKEN)
			return nic_netif_tx_refuse(n, p, "the tx stream is broken");
	}
	if (n->backlog_count == NIC_NETIF_TX_BACKLOG)
		return nic_netif_tx_refuse(n, p, "the tx stream and the backlog are full");

	/* keep it: lwIP leaves a pbuf that a driver holds alone (TCP does not retransmit a
	 * segment whose pbuf is referenced elsewhere) */
	pbuf_ref(p);
	n->backlog[(n->backlog_first + n->backlog_count) % NIC_NETIF_TX_BACKLOG] = p;
	n->backlog_count++;
	n->stats.tx_backlogged++;
	/* the send that failed left a wake-up behind it (nic_netif_tx_send) */
	return ERR_OK;
}

/* the driver acknowledged frames, or its submit queue has room again */
static void nic_netif_tx_signal(void *arg, uint64_t count)
{
	(void)count;
	struct nic_netif *n = arg;
	nic_netif_tx_reclaim(n);
	nic_netif_tx_flush(n);
}

/* ---- rx ----------------------------------------------------------------------------- */

static void nic_netif_rx_broken(struct nic_netif *n)
{
	if (!n->rx_broken)
		log_error("net: the NIC driver corrupted the rx queues: no frame is received any more");
	n->rx_broken = true;
}

static void nic_netif_rx_reject(struct nic_netif *n, struct packet_descriptor packet,
                                char const *why)
{
	n->stats.rx_rejected++;
	if (nic_netif_log_due(n->stats.rx_rejected))
		log_warning("net: rejected an rx packet of the NIC driver (offset %#llx, size %llu): "
		            "%s (%llu so far)",
		            (unsigned long long)packet.offset, (unsigned long long)packet.size, why,
		            (unsigned long long)n->stats.rx_rejected);
}

/* take one frame: true if there may be more */
static bool nic_netif_rx_one(struct nic_netif *n)
{
	/* a frame is taken only when its acknowledgement fits: the sink never holds one */
	enum packet_stream_result room = packet_stream_sink_ack_room(&n->nic.rx);
	if (room == PACKET_STREAM_QUEUE_FULL) return false; /* ready_to_ack will come */
	if (room != PACKET_STREAM_OK) {
		nic_netif_rx_broken(n);
		return false;
	}
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&n->nic.rx);
	if (g.result == PACKET_STREAM_QUEUE_EMPTY) return false;
	if (g.result == PACKET_STREAM_BAD_DESCRIPTOR) {
		nic_netif_rx_reject(n, g.packet, "outside the rx buffer"); /* consumed, no ack */
		return true;
	}
	if (g.result != PACKET_STREAM_OK) {
		nic_netif_rx_broken(n);
		return false;
	}

	/* lwIP gets a copy of its own: the driver may write the buffer at any time */
	struct pbuf *p = NULL;
	if (g.packet.size > n->frame_max)
		nic_netif_rx_reject(n, g.packet, "larger than the device's frames");
	else if ((p = pbuf_alloc(PBUF_RAW, (u16_t)g.packet.size, PBUF_POOL)) != NULL)
		(void)pbuf_take(p, g.content, (u16_t)g.packet.size);
	else if (nic_netif_log_due(++n->stats.rx_no_pbuf))
		log_warning("net: dropped a received frame of %llu bytes: lwIP's pbuf pool is empty "
		            "(%llu dropped so far)",
		            (unsigned long long)g.packet.size, (unsigned long long)n->stats.rx_no_pbuf);

	if (packet_stream_sink_try_ack(&n->nic.rx, g.packet) != PACKET_STREAM_OK)
		nic_netif_rx_broken(n); /* room was there: only a corrupt queue says otherwise */
	if (!p) return !n->rx_broken;

	n->stats.rx_frames++;
	n->stats.rx_bytes += g.packet.size;
	if (n->netif.input(p, &n->netif) != ERR_OK) pbuf_free(p);
	return !n->rx_broken;
}

/* frames arrived, or the acknowledgement queue has room again */
static void nic_netif_rx_signal(void *arg, uint64_t count)
{
	(void)count;
	struct nic_netif *n = arg;
	if (n->rx_broken) return;
	for (unsigned i = 0; i < NIC_NETIF_RX_BATCH; i++)
		if (!nic_netif_rx_one(n)) return;
	/* a whole batch: more may wait; the next pass comes back after the others had theirs */
	n->stats.rx_rescheduled++;
	lwip_loop_source_schedule(n->loop, &n->rx_source);
}

/* ---- link and address --------------------------------------------------------------- */

static void nic_netif_link_signal(void *arg, uint64_t count)
{
	(void)count;
	struct nic_netif *n = arg;
	struct nic_link_state_result link = nic_session_link_state(n->nic.session);
	bool up = link.result == NIC_OK && link.up;
	if (link.result != NIC_OK)
		log_error("net: the NIC driver does not answer (%d)", link.result);
	if (up == (bool)netif_is_link_up(&n->netif)) return;
	log_info("net: link %s", up ? "up" : "down");
	if (up)
		netif_set_link_up(&n->netif);
	else
		netif_set_link_down(&n->netif);
}

/* lwIP: the netif went up or down, or its address changed */
static void nic_netif_status(struct netif *netif)
{
	struct nic_netif *n = netif->state;
	uint32_t address = nic_netif_address(n);
	if (!netif_is_up(netif) || address == 0 || address == n->logged_address) return;
	char text[16];
	nic_netif_config_ip4_format(address, text, sizeof text);
	log_info("net: address %s", text);
	n->logged_address = address;
	if (n->up) n->up(n->up_arg, address);
}

static void nic_netif_dhcp_patience(void *arg)
{
	struct nic_netif *n = arg;
	if (nic_netif_address(n) == 0)
		log_warning("net: no DHCP lease after %u s%s, still asking", DHCP_PATIENCE_MS / 1000,
		            netif_is_link_up(&n->netif) ? "" : " (the link is down)");
}

static err_t nic_netif_netif_init(struct netif *netif)
{
	struct nic_netif *n = netif->state;
	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->output = etharp_output;
	netif->linkoutput = nic_netif_linkoutput;
	uint32_t mtu = n->frame_max - ETHERNET_HEADER;
	netif->mtu = (u16_t)(mtu > 0xffff ? 0xffff : mtu);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memory_copy(netif->hwaddr, n->mac.bytes, ETH_HWADDR_LEN);
	return ERR_OK;
}

/* ---- the netif ---------------------------------------------------------------------- */

static void nic_netif_sources_remove(struct nic_netif *n)
{
	struct lwip_loop_source *sources[] = { &n->tx_source, &n->rx_source, &n->link_source };
	for (unsigned i = 0; i < 3; i++)
		if (sources[i]->loop) lwip_loop_source_remove(n->loop, sources[i]);
}

/* the session's setup: sources, connection, the device's numbers */
static enum nic_netif_result nic_netif_open(struct nic_netif *n,
                                            struct nic_netif_args const *args, bool *link_up)
{
	struct lwip_loop_source_result tx =
	    lwip_loop_source_add(n->loop, &n->tx_source, nic_netif_tx_signal, n);
	struct lwip_loop_source_result rx =
	    tx.result ? tx : lwip_loop_source_add(n->loop, &n->rx_source, nic_netif_rx_signal, n);
	struct lwip_loop_source_result link =
	    rx.result ? rx
	              : lwip_loop_source_add(n->loop, &n->link_source, nic_netif_link_signal, n);
	if (link.result != LWIP_LOOP_OK) {
		if (!tx.result) cap_close(tx.cap.cap);
		if (!rx.result) cap_close(rx.cap.cap);
		log_error("net: no signal sources left in the event loop");
		return NIC_NETIF_NO_RESOURCES;
	}
	/* the driver gets references of its own; ours are of no further use */
	struct nic_connection_signals signals = { tx.cap, tx.cap, rx.cap, rx.cap, link.cap };
	struct nic_connection_args nic_args = {
		.label = args->label,
		.tx_buf_size = args->tx_buf_size ? args->tx_buf_size : NIC_NETIF_BUF_DEFAULT,
		.rx_buf_size = args->rx_buf_size ? args->rx_buf_size : NIC_NETIF_BUF_DEFAULT,
		.signals = &signals,
	};
	enum nic_connection_result c = nic_connection_init(&n->nic, n->loop->env, &nic_args);
	cap_close(tx.cap.cap);
	cap_close(rx.cap.cap);
	cap_close(link.cap.cap);
	switch (c) {
	case NIC_CONNECTION_OK:
		break;
	case NIC_CONNECTION_INVALID_ARGUMENT:
		return NIC_NETIF_INVALID_ARGUMENT;
	case NIC_CONNECTION_DENIED:
		log_error("net: no Nic session");
		return NIC_NETIF_DENIED;
	case NIC_CONNECTION_NO_RESOURCES:
		return NIC_NETIF_NO_RESOURCES;
	case NIC_CONNECTION_SERVER_ERROR:
		return NIC_NETIF_SERVER_ERROR;
	}

	struct nic_mac_address_result m = nic_session_mac_address(n->nic.session);
	struct nic_frame_max_result f = nic_session_frame_max(n->nic.session);
	struct nic_link_state_result l = nic_session_link_state(n->nic.session);
	if (m.result != NIC_OK || f.result != NIC_OK || l.result != NIC_OK) {
		log_error("net: the NIC driver does not tell its MAC, frame size or link");
		nic_connection_destroy(&n->nic);
		return NIC_NETIF_SERVER_ERROR;
	}
	if (f.bytes < ETHERNET_HEADER + IP4_MTU_MIN || f.bytes > NIC_SESSION_FRAME_MAX) {
		log_error("net: the NIC's frames of %u bytes do not carry IPv4 (%u to %u)",
		          (unsigned)f.bytes, ETHERNET_HEADER + IP4_MTU_MIN, NIC_SESSION_FRAME_MAX);
		nic_connection_destroy(&n->nic);
		return NIC_NETIF_SERVER_ERROR;
	}
	n->mac = m.mac;
	n->frame_max = f.bytes > 0xffff ? 0xffff : f.bytes; /* lwIP's pbufs hold up to 64 KiB - 1 */
	*link_up = l.up;
	return NIC_NETIF_OK;
}

enum nic_netif_result nic_netif_init(struct nic_netif *n, struct lwip_loop *loop,
                                     struct nic_netif_args const *args)
{
	memory_set(n, 0, sizeof(*n));
	n->loop = loop;
	n->up = args->up;
	n->up_arg = args->up_arg;
	n->config = (struct nic_netif_config){ .dhcp = true };
	if (args->config) {
		struct nic_netif_config_ret r = nic_netif_config_parse(*args->config, &n->config);
		if (r.result != NIC_NETIF_CONFIG_OK) {
			char message[LOG_LINE_MAX];
			(void)nic_netif_config_message(r, message, sizeof message);
			log_error("net: bad config: %s", message);
			return NIC_NETIF_BAD_CONFIG;
		}
	}

	bool link_up = false;
	enum nic_netif_result r = nic_netif_open(n, args, &link_up);
	if (r != NIC_NETIF_OK) {
		nic_netif_sources_remove(n);
		return r;
	}

	ip4_addr_t address, netmask, gateway;
	ip4_from_host_order(&address, n->config.address);
	ip4_from_host_order(&netmask, n->config.netmask);
	ip4_from_host_order(&gateway, n->config.gateway);
	if (!netif_add(&n->netif, &address, &netmask, &gateway, n, nic_netif_netif_init,
	               ethernet_input)) {
		nic_connection_destroy(&n->nic);
		nic_netif_sources_remove(n);
		return NIC_NETIF_NO_RESOURCES;
	}
	n->added = true;
	netif_set_status_callback(&n->netif, nic_netif_status);
	netif_set_default(&n->netif);

	char const *how = n->config.dhcp ? "DHCP" : "static address";
	log_info("net: mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u, %s, link %s", n->mac.bytes[0],
	         n->mac.bytes[1], n->mac.bytes[2], n->mac.bytes[3], n->mac.bytes[4],
	         n->mac.bytes[5], (unsigned)n->netif.mtu, how, link_up ? "up" : "down");
	if (link_up) netif_set_link_up(&n->netif);
	netif_set_up(&n->netif); /* a static address is logged here */
	if (n->config.dhcp) {
		if (dhcp_start(&n->netif) != ERR_OK) {
			log_error("net: DHCP cannot start (out of memory)");
			nic_netif_destroy(n);
			return NIC_NETIF_NO_RESOURCES;
		}
		sys_timeout(DHCP_PATIENCE_MS, nic_netif_dhcp_patience, n);
	}
	/* a change of the link before the handler was installed is in link_up already; frames
	 * that came meanwhile wait in the stream: look at them in the first pass */
	lwip_loop_source_schedule(loop, &n->rx_source);
	return NIC_NETIF_OK;
}

void nic_netif_destroy(struct nic_netif *n)
{
	sys_untimeout(nic_netif_dhcp_patience, n);
	if (n->added) {
		if (n->config.dhcp) dhcp_stop(&n->netif);
		netif_set_down(&n->netif);
		netif_remove(&n->netif);
		n->added = false;
	}
	for (; n->backlog_count; n->backlog_count--) {
		pbuf_free(n->backlog[n->backlog_first]);
		n->backlog[n->backlog_first] = NULL;
		n->backlog_first = (n->backlog_first + 1) % NIC_NETIF_TX_BACKLOG;
	}
	nic_connection_destroy(&n->nic);
	nic_netif_sources_remove(n);
}

bool nic_netif_up(struct nic_netif const *n)
{
	return n->added && netif_is_up(&n->netif) && netif_is_link_up(&n->netif) &&
	       nic_netif_address(n) != 0;
}

uint32_t nic_netif_address(struct nic_netif const *n)
{
	return n->added ? ip4_host_order(netif_ip4_addr(&n->netif)) : 0;
}

struct nic_netif_stats nic_netif_stats(struct nic_netif const *n) { return n->stats; }

char const *nic_netif_result_string(enum nic_netif_result result)
{
	switch (result) {
	case NIC_NETIF_OK:
		return "ok";
	case NIC_NETIF_BAD_CONFIG:
		return "bad config";
	case NIC_NETIF_INVALID_ARGUMENT:
		return "invalid argument";
	case NIC_NETIF_DENIED:
		return "no Nic session";
	case NIC_NETIF_NO_RESOURCES:
		return "out of resources";
	case NIC_NETIF_SERVER_ERROR:
		return "the NIC driver failed";
	}
	return "unknown";
}
