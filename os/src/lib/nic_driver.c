/* SPDX-License-Identifier: MIT */
/**
 * \brief the Nic service around a NIC driver (nic/driver.h)
 *
 * The entrypoint's thread does all work on a session: its RPCs, its root
 * open and close, and the tx stream (it is the stream's only user, so the
 * tx sink needs no lock). The client's signals come to the entrypoint too
 * (rpc_entrypoint_set_signal_handler), and so do the driver's wake-ups; for
 * both it looks at both streams: a signal says "look again", the state is
 * in the queues.
 * The rx stream is filled by nic_driver_receive() in any thread, so it is
 * used under the lock, and so is the session pointer for those threads:
 * the entrypoint publishes a session under the lock only once it is whole,
 * and unpublishes it under the lock before it takes it apart.
 */

#include <base/log.h>
#include <base/panic.h>
#include <base/rpc_entrypoint.h>
#include <nic/driver.h>
#include <os/server.h>
#include <os/session_request.h>
#include <root/root.h>
#include <util/arg_string.h>
#include <util/string.h>

RPC_SERVER(nic_session, NIC_SESSION_RPC)
RPC_SERVER_OBJECT(nic_session)

enum {
	NIC_DRIVER_ENDPOINTS = 64,   /* capabilities and client channels */
	NIC_DRIVER_SIGNAL_SLOTS = 4, /* the four contexts of the one session */
	NIC_DRIVER_TX_BATCH = 64,    /* frames per turn, before other work gets one */
};

struct nic_session_component;

struct nic_driver
{
	struct env *env;
	struct nic_driver_ops const *ops;
	void *state;
	struct nic_mac_address mac;
	uint32_t frame_max;

	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[NIC_DRIVER_ENDPOINTS];
	struct rpc_object root;
	struct signal_receiver receiver; /* the client's signals to the server side */
	struct signal_slot slots[NIC_DRIVER_SIGNAL_SLOTS];

	/* guards `session` for other threads, its rx stream and link handler, and link_up */
	struct lock lock;
	bool link_up;
	struct nic_session_component *session; /* written by the entrypoint only */
};

/* one session, from env_heap; lives from root session() to root close() */
struct nic_session_component
{
	struct rpc_object object;
	struct nic_driver *driver;
	char label[SESSION_LABEL_MAX];
	bool managed;

	struct packet_stream_geometry tx_geometry, rx_geometry;
	struct dataspace_cap tx_ds, rx_ds;
	void *tx_memory, *rx_memory;
	bool tx_ready, rx_ready; /* the side is set up (to destroy) */

	struct packet_stream_sink tx;        /* entrypoint only */
	struct packet_stream_source rx;      /* under the lock */
	bool tx_connected;                   /* entrypoint only */
	bool rx_connected;                   /* written under the lock */
	bool corrupt;                        /* written under the lock: not served any more */
	struct signal_context_cap link_sigh; /* under the lock */

	/* a frame the device was busy for: offered again first */
	bool has_pending;
	struct packet_descriptor pending;
	void *pending_content;

	unsigned problems; /* logged ones and beyond, see nic_driver_problem */
};

/* ---- logging of the client's mistakes --------------------------------------------- */

/* count a problem of the session; true if it is to be logged */
static bool nic_driver_problem(struct nic_session_component *s)
{
	return __atomic_fetch_add(&s->problems, 1, __ATOMIC_RELAXED) < NIC_DRIVER_LOG_MAX;
}

/* a corrupt queue: logged once, and the session is not served any more; lock held */
static void nic_driver_corrupt(struct nic_session_component *s, char const *stream)
{
	if (s->corrupt) return;
	s->corrupt = true;
	log_warning("\"%s\": corrupted its %s queues, not served any more", s->label, stream);
}

/* ---- rx: the device's frames to the client ---------------------------------------- */

static void nic_driver_rx_rejected(struct nic_session_component *s, uint32_t rejected)
{
	if (rejected && nic_driver_problem(s))
		log_warning("\"%s\": rejected %u rx acknowledgements of no packet in flight", s->label,
		            (unsigned)rejected);
}

/*
 * Take the client's acknowledgements, release their packets; lock held.
 * True if more are there (a queue's worth was taken).
 */
static bool nic_driver_rx_collect(struct nic_session_component *s)
{
	if (!s->rx_connected || s->corrupt) return false;
	struct packet_stream_release_acked_ret r = packet_stream_source_release_acked(&s->rx);
	if (r.result != PACKET_STREAM_OK) nic_driver_corrupt(s, "rx");
	nic_driver_rx_rejected(s, r.rejected);
	return r.more;
}

enum nic_driver_receive_result nic_driver_receive(struct nic_driver *d, void const *frame,
                                                  size_t size)
{
	if (size == 0 || size > d->frame_max) return NIC_DRIVER_RECEIVE_INVALID_SIZE;
	enum nic_driver_receive_result result = NIC_DRIVER_RECEIVE_NO_CLIENT;
	lock_acquire(&d->lock);
	struct nic_session_component *s = d->session;
	if (!s || !s->rx_connected || s->corrupt) goto out;

	/*
	 * The client's acknowledgements come back whenever the entrypoint runs
	 * (nic_driver_process), and here only when the allocation finds the
	 * client's buffer full; they come without a wake-up each (quiet
	 * acknowledgements), except after such an allocation: then they wake
	 * the entrypoint, which takes them and offers the client's frames
	 * again, and the device gets its next chance to deliver what it kept.
	 */
	struct packet_stream_alloc_quiet_ret a = packet_stream_source_alloc_quiet(&s->rx, size);
	nic_driver_rx_rejected(s, a.rejected);
	if (a.result == PACKET_STREAM_ALLOC_PEER_CORRUPT) {
		nic_driver_corrupt(s, "rx");
		goto out;
	}
	result = NIC_DRIVER_RECEIVE_FULL;
	if (a.result != PACKET_STREAM_ALLOC_OK) goto out;

	memory_copy(packet_stream_source_content(&s->rx, a.packet), frame, size);
	enum packet_stream_result submitted = packet_stream_source_try_submit(&s->rx, a.packet);
	if (submitted == PACKET_STREAM_OK) {
		result = NIC_DRIVER_RECEIVE_OK;
		goto out;
	}
	enum packet_stream_release_result released = packet_stream_source_release(&s->rx, a.packet);
	ASSERT(released == PACKET_STREAM_RELEASE_OK); /* allocated just now */
	if (submitted == PACKET_STREAM_PEER_CORRUPT) {
		nic_driver_corrupt(s, "rx");
		result = NIC_DRIVER_RECEIVE_NO_CLIENT;
	}
out:
	lock_release(&d->lock);
	return result;
}

void nic_driver_link_state(struct nic_driver *d, bool up)
{
	lock_acquire(&d->lock);
	bool changed = d->link_up != up;
	d->link_up = up;
	struct nic_session_component *s = d->session;
	if (changed && s && cap_valid(s->link_sigh.cap)) signal_submit(s->link_sigh, 1);
	lock_release(&d->lock);
}

void nic_driver_wakeup(struct nic_driver *d) { rpc_entrypoint_wakeup(&d->ep); }

/* ---- tx: the client's frames to the device (entrypoint thread) --------------------- */

enum nic_driver_take { NIC_DRIVER_TAKEN, NIC_DRIVER_SKIPPED, NIC_DRIVER_NOTHING };

static void nic_driver_tx_corrupt(struct nic_driver *d, struct nic_session_component *s)
{
	lock_acquire(&d->lock);
	nic_driver_corrupt(s, "tx");
	lock_release(&d->lock);
}

/* take the next descriptor: a frame into `pending`, a bad one skipped, or nothing now */
static enum nic_driver_take nic_driver_tx_take(struct nic_driver *d,
                                               struct nic_session_component *s)
{
	/* only take what can be acknowledged right away */
	enum packet_stream_result room = packet_stream_sink_ack_room(&s->tx);
	if (room == PACKET_STREAM_PEER_CORRUPT) nic_driver_tx_corrupt(d, s);
	if (room != PACKET_STREAM_OK) return NIC_DRIVER_NOTHING; /* full: ready_to_ack wakes us */

	struct packet_stream_get_ret g = packet_stream_sink_try_get(&s->tx);
	switch (g.result) {
	case PACKET_STREAM_OK:
		s->has_pending = true;
		s->pending = g.packet;
		s->pending_content = g.content;
		return NIC_DRIVER_TAKEN;
	case PACKET_STREAM_BAD_DESCRIPTOR:
		/* it names no packet of the client: nothing to acknowledge */
		if (nic_driver_problem(s))
			log_warning("\"%s\": rejected tx packet (offset 0x%llx, size %llu) outside the "
			            "%llu-byte buffer",
			            s->label, (unsigned long long)g.packet.offset,
			            (unsigned long long)g.packet.size,
			            (unsigned long long)s->tx_geometry.buffer_size);
		return NIC_DRIVER_SKIPPED;
	case PACKET_STREAM_PEER_CORRUPT:
		nic_driver_tx_corrupt(d, s);
		return NIC_DRIVER_NOTHING;
	case PACKET_STREAM_QUEUE_EMPTY:
	case PACKET_STREAM_QUEUE_FULL:
	case PACKET_STREAM_CANCELLED:
		break;
	}
	return NIC_DRIVER_NOTHING;
}

/* offer the client's frames to the device, NIC_DRIVER_TX_BATCH at most */
static void nic_driver_tx(struct nic_driver *d, struct nic_session_component *s)
{
	/* bad descriptors count, too: a flood of them gets its turns like frames */
	for (unsigned taken = 0; taken < NIC_DRIVER_TX_BATCH; taken++) {
		if (s->corrupt) return;
		if (!s->has_pending) {
			enum nic_driver_take take = nic_driver_tx_take(d, s);
			if (take == NIC_DRIVER_NOTHING) return;
			if (take == NIC_DRIVER_SKIPPED) continue;
		}

		enum nic_driver_transmit_result r = NIC_DRIVER_TRANSMIT_DROPPED;
		if (s->pending.size <= d->frame_max)
			r = d->ops->transmit(d->state, s->pending_content, (size_t)s->pending.size);
		else if (nic_driver_problem(s))
			log_warning("\"%s\": dropped tx frame of %llu bytes, above the %u of the device",
			            s->label, (unsigned long long)s->pending.size, (unsigned)d->frame_max);
		if (r == NIC_DRIVER_TRANSMIT_BUSY) return; /* wakeup or rx acknowledgements */

		/* room was checked before the take, and only we fill the queue */
		if (packet_stream_sink_try_ack(&s->tx, s->pending) != PACKET_STREAM_OK) {
			nic_driver_tx_corrupt(d, s);
			return;
		}
		s->has_pending = false;
	}
	rpc_entrypoint_wakeup(&d->ep); /* more may wait: after the other work */
}

/* the entrypoint's wakeup handler: a signal of the client, or the driver's wakeup */
static void nic_driver_process(void *argument)
{
	struct nic_driver *d = argument;
	struct nic_session_component *s = d->session;
	if (!s) return;
	/* rx first: acknowledged rx packets make room for a frame the device was busy for */
	lock_acquire(&d->lock);
	bool more = nic_driver_rx_collect(s);
	lock_release(&d->lock);
	if (more) rpc_entrypoint_wakeup(&d->ep); /* the rest after the other work */
	if (s->tx_connected) nic_driver_tx(d, s);
}

/*
 * The client's signals, in the entrypoint's thread: take them all, then do
 * the work. One look takes in every pending context (four at most); one
 * that comes later keeps the entrypoint ready and calls us again.
 */
static void nic_driver_signals(void *argument)
{
	struct nic_driver *d = argument;
	struct signal signal = signal_receiver_poll(&d->receiver);
	while (signal.result == SIGNAL_OK) signal = signal_receiver_poll_taken(&d->receiver);
	nic_driver_process(d);
}

/* ---- the session's RPCs ----------------------------------------------------------- */

static struct nic_mac_address_result nic_driver_mac_address(void *state)
{
	struct nic_session_component *s = state;
	return (struct nic_mac_address_result){ NIC_OK, s->driver->mac };
}

static struct nic_frame_max_result nic_driver_frame_max(void *state)
{
	struct nic_session_component *s = state;
	return (struct nic_frame_max_result){ NIC_OK, s->driver->frame_max };
}

static struct nic_link_state_result nic_driver_link_state_rpc(void *state)
{
	struct nic_session_component *s = state;
	lock_acquire(&s->driver->lock);
	bool up = s->driver->link_up;
	lock_release(&s->driver->lock);
	return (struct nic_link_state_result){ NIC_OK, up };
}

/* a capability that signal_submit accepts (a count of 0 sends nothing) */
static bool nic_driver_signal_context(struct signal_context_cap cap)
{
	return cap_valid(cap.cap) && signal_submit(cap, 0) == SIGNAL_SUBMIT_OK;
}

/* the received reference of `handler` is ours: kept, or closed */
static enum nic_session_result nic_driver_link_state_sigh(void *state,
                                                          struct signal_context_cap handler)
{
	struct nic_session_component *s = state;
	if (cap_valid(handler.cap) && !nic_driver_signal_context(handler)) {
		cap_close(handler.cap);
		return NIC_INVALID_SIGNAL_CONTEXT;
	}
	lock_acquire(&s->driver->lock);
	struct signal_context_cap previous = s->link_sigh;
	s->link_sigh = handler;
	lock_release(&s->driver->lock);
	cap_close(previous.cap);
	return NIC_OK;
}

/* a copy of a stream's dataspace for the client (the OUT_CAP moves it) */
static enum nic_session_result nic_driver_hand_out_ds(struct dataspace_cap own,
                                                      struct dataspace_cap *ds)
{
	ds->cap = cap_copy(own.cap);
	return cap_valid(ds->cap) ? NIC_OK : NIC_NO_RESOURCES;
}

static enum nic_session_result nic_driver_tx_dataspace(void *state, struct dataspace_cap *ds)
{
	struct nic_session_component *s = state;
	return nic_driver_hand_out_ds(s->tx_ds, ds);
}

static enum nic_session_result nic_driver_rx_dataspace(void *state, struct dataspace_cap *ds)
{
	struct nic_session_component *s = state;
	return nic_driver_hand_out_ds(s->rx_ds, ds);
}

/*
 * What a connect hands out: copies of our two contexts. False (nothing
 * handed out) when out of capabilities.
 */
static bool nic_driver_hand_out(struct signal_context_cap own_a,
                                struct signal_context_cap own_b, struct signal_context_cap *a,
                                struct signal_context_cap *b)
{
	a->cap = cap_copy(own_a.cap);
	b->cap = cap_copy(own_b.cap);
	if (cap_valid(a->cap) && cap_valid(b->cap)) return true;
	cap_close(a->cap);
	cap_close(b->cap);
	*a = *b = CAP_INVALID(signal_context);
	return false;
}

/* check a connect's two contexts; on failure both received references are closed */
static enum nic_session_result nic_driver_connect_check(bool connected,
                                                        struct signal_context_cap a,
                                                        struct signal_context_cap b)
{
	enum nic_session_result r = NIC_OK;
	if (!nic_driver_signal_context(a) || !nic_driver_signal_context(b))
		r = NIC_INVALID_SIGNAL_CONTEXT;
	else if (connected)
		r = NIC_ALREADY_CONNECTED;
	if (r != NIC_OK) {
		cap_close(a.cap);
		cap_close(b.cap);
	}
	return r;
}

static enum nic_session_result nic_driver_tx_connect(void *state,
                                                     struct signal_context_cap ready_to_submit,
                                                     struct signal_context_cap ack_avail,
                                                     struct signal_context_cap *packet_avail,
                                                     struct signal_context_cap *ready_to_ack)
{
	struct nic_session_component *s = state;
	enum nic_session_result r =
	    nic_driver_connect_check(s->tx_connected, ready_to_submit, ack_avail);
	if (r != NIC_OK) return r;
	if (!nic_driver_hand_out(s->tx.packet_avail, s->tx.ready_to_ack, packet_avail,
	                         ready_to_ack)) {
		cap_close(ready_to_submit.cap);
		cap_close(ack_avail.cap);
		return NIC_NO_RESOURCES;
	}
	packet_stream_sink_connect(&s->tx, ready_to_submit, ack_avail);
	s->tx_connected = true;
	return NIC_OK;
}

static enum nic_session_result nic_driver_rx_connect(void *state,
                                                     struct signal_context_cap packet_avail,
                                                     struct signal_context_cap ready_to_ack,
                                                     struct signal_context_cap *ready_to_submit,
                                                     struct signal_context_cap *ack_avail)
{
	struct nic_session_component *s = state;
	struct nic_driver *d = s->driver;
	enum nic_session_result r =
	    nic_driver_connect_check(s->rx_connected, packet_avail, ready_to_ack);
	if (r != NIC_OK) return r;
	if (!nic_driver_hand_out(s->rx.ready_to_submit, s->rx.ack_avail, ready_to_submit,
	                         ack_avail)) {
		cap_close(packet_avail.cap);
		cap_close(ready_to_ack.cap);
		return NIC_NO_RESOURCES;
	}
	lock_acquire(&d->lock);
	packet_stream_source_connect(&s->rx, packet_avail, ready_to_ack);
	s->rx_connected = true;
	lock_release(&d->lock);
	return NIC_OK;
}

static struct nic_session_ops const nic_driver_session_ops = {
	nic_driver_mac_address,     nic_driver_frame_max,    nic_driver_link_state_rpc,
	nic_driver_link_state_sigh, nic_driver_tx_dataspace, nic_driver_rx_dataspace,
	nic_driver_tx_connect,      nic_driver_rx_connect,
};

/* ---- the root --------------------------------------------------------------------- */

/* free what a session holds, whole or partly made; not published (any more) */
static void nic_driver_session_free(struct nic_driver *d, struct nic_session_component *s)
{
	if (s->managed) rpc_entrypoint_dissolve(&d->ep, &s->object);
	if (s->tx_ready) packet_stream_sink_destroy(&s->tx);
	if (s->rx_ready) packet_stream_source_destroy(&s->rx);
	if (s->tx_memory) env_detach(d->env, s->tx_memory);
	if (s->rx_memory) env_detach(d->env, s->rx_memory);
	/* freeing a dataspace revokes the client's capabilities of it, too */
	if (cap_valid(s->tx_ds.cap)) (void)ram_session_free(d->env->ram, s->tx_ds);
	if (cap_valid(s->rx_ds.cap)) (void)ram_session_free(d->env->ram, s->rx_ds);
	cap_close(s->tx_ds.cap);
	cap_close(s->rx_ds.cap);
	cap_close(s->link_sigh.cap);
	allocator_free(env_heap(d->env), s, sizeof(*s));
}

/* allocate and attach one stream's dataspace; false if the RAM or the address space refuse */
static bool nic_driver_stream_memory(struct nic_driver *d,
                                     struct packet_stream_geometry const *geometry,
                                     struct dataspace_cap *ds, void **memory)
{
	if (ram_session_alloc(d->env->ram, geometry->total_size, ds) != RAM_OK) return false;
	struct env_attach_result a = env_attach_all(d->env, *ds, true);
	if (a.result != ENV_OK) return false;
	*memory = a.address;
	packet_stream_memory_init(*memory, geometry, 0);
	return true;
}

/* decode the buffer sizes; ROOT_OK or the refusal (logged) */
static enum root_result nic_driver_decode(char const *args, struct session_request *request,
                                          struct packet_stream_geometry *tx,
                                          struct packet_stream_geometry *rx)
{
	enum root_result r = session_request_decode(args, 0, request);
	if (r != ROOT_OK) return r;
	char const *names[2] = { "tx_buf_size", "rx_buf_size" };
	struct packet_stream_geometry *geometries[2] = { tx, rx };
	uint64_t sizes[2];
	for (unsigned i = 0; i < 2; i++) {
		struct arg_string_unsigned_ret v =
		    arg_string_get_unsigned(args, string_length(args), names[i]);
		sizes[i] = v.value;
		if (v.result != ARG_STRING_OK || !nic_session_geometry(v.value, geometries[i])) {
			log_info("denied session for \"%s\": %s missing or not in %u..%u", request->label,
			         names[i], (unsigned)NIC_SESSION_BUF_MIN, (unsigned)NIC_SESSION_BUF_MAX);
			return ROOT_INVALID_ARGUMENT;
		}
	}
	uint64_t needed = nic_session_ram_quota(sizes[0], sizes[1]);
	if (request->ram_quota < needed) {
		log_info("denied session for \"%s\": ram_quota %llu below the %llu it needs",
		         request->label, (unsigned long long)request->ram_quota,
		         (unsigned long long)needed);
		return ROOT_INSUFFICIENT_DONATION;
	}
	return ROOT_OK;
}

/*
 * Make the session's buffers, stream sides and object, and mint its
 * capability into *cap. NULL, or why not (then `s` holds what was made).
 */
static char const *nic_driver_session_make(struct nic_driver *d,
                                           struct nic_session_component *s,
                                           struct session_cap *cap)
{
	if (!nic_driver_stream_memory(d, &s->tx_geometry, &s->tx_ds, &s->tx_memory) ||
	    !nic_driver_stream_memory(d, &s->rx_geometry, &s->rx_ds, &s->rx_memory))
		return "no memory for the buffers";

	s->tx_ready = packet_stream_sink_init(&s->tx, &s->tx_geometry, s->tx_memory,
	                                      &d->receiver) == PACKET_STREAM_INIT_OK;
	if (!s->tx_ready) return "no signal contexts";
	s->rx_ready =
	    packet_stream_source_init(&s->rx, &s->rx_geometry, s->rx_memory, env_heap(d->env),
	                              &d->receiver) == PACKET_STREAM_INIT_OK;
	if (!s->rx_ready) return "no signal contexts or allocator";

	s->managed = true;
	struct nic_session_cap session_cap =
	    nic_session_manage(&d->ep, &s->object, &nic_driver_session_ops, s);
	if (!cap_valid(session_cap.cap)) return "out of capabilities";
	*cap = CAP_CAST(session, session_cap); /* moves to the parent with the reply */
	return 0;
}

static enum root_result nic_driver_root_session(void *state, char const *args,
                                                struct session_cap *cap)
{
	struct nic_driver *d = state;

	/* decode and check everything first */
	struct session_request request;
	struct packet_stream_geometry tx, rx;
	enum root_result checked = nic_driver_decode(args, &request, &tx, &rx);
	if (checked != ROOT_OK) return checked;
	if (d->session) {
		log_info("denied session for \"%s\": serving \"%s\" already", request.label,
		         d->session->label);
		return ROOT_DENIED;
	}

	struct nic_session_component *s =
	    session_request_object_alloc(d->env, &request, sizeof(*s));
	if (!s) return ROOT_NO_RESOURCES;
	s->driver = d;
	string_copy(s->label, request.label, sizeof(s->label));
	s->tx_geometry = tx;
	s->rx_geometry = rx;
	s->tx_ds = CAP_INVALID(dataspace);
	s->rx_ds = CAP_INVALID(dataspace);
	s->link_sigh = CAP_INVALID(signal_context);

	char const *failed = nic_driver_session_make(d, s, cap);
	if (failed) {
		log_info("denied session for \"%s\": %s", request.label, failed);
		nic_driver_session_free(d, s);
		return ROOT_NO_RESOURCES;
	}

	lock_acquire(&d->lock);
	d->session = s;
	lock_release(&d->lock);
	log_info("session for \"%s\": tx buffer %llu, rx buffer %llu bytes", s->label,
	         (unsigned long long)tx.buffer_size, (unsigned long long)rx.buffer_size);
	return ROOT_OK;
}

/* the received reference of `cap` is ours: closed on every path */
static enum root_result nic_driver_root_close(void *state, struct session_cap cap)
{
	struct nic_driver *d = state;
	struct rpc_object *object =
	    session_request_close_lookup(&d->ep, cap, &nic_driver_session_ops);
	if (!object) return ROOT_INVALID_ARGUMENT;
	struct nic_session_component *s = object->state;

	lock_acquire(&d->lock);
	d->session = 0; /* no receive() reaches it any more */
	lock_release(&d->lock);

	if (s->problems > NIC_DRIVER_LOG_MAX)
		log_warning("\"%s\": %u more problems not logged", s->label,
		            s->problems - NIC_DRIVER_LOG_MAX);
	log_info("closed session of \"%s\"", s->label);
	nic_driver_session_free(d, s);
	return ROOT_OK;
}

static struct root_ops const nic_driver_root_ops = { nic_driver_root_session,
	                                                 nic_driver_root_close };

/* ---- setup ------------------------------------------------------------------------ */

struct nic_driver_create_ret nic_driver_create(struct env *env,
                                               struct nic_driver_ops const *ops, void *state,
                                               struct nic_driver_args const *args)
{
	struct nic_driver_create_ret r = { NIC_DRIVER_INVALID_ARGUMENT, 0 };
	if (!ops || !ops->transmit || args->frame_max == 0 ||
	    args->frame_max > NIC_SESSION_FRAME_MAX) {
		log_error("nic driver: frame_max %u out of 1..%u, or no transmit function",
		          (unsigned)args->frame_max, (unsigned)NIC_SESSION_FRAME_MAX);
		return r;
	}
	r.result = NIC_DRIVER_NO_RESOURCES;
	struct allocator_alloc_ret a = allocator_alloc(env_heap(env), sizeof(struct nic_driver));
	if (a.result != ALLOCATOR_OK) {
		log_error("nic driver: out of memory");
		return r;
	}
	struct nic_driver *d = a.ptr;
	memory_set(d, 0, sizeof(*d));
	d->env = env;
	d->ops = ops;
	d->state = state;
	d->mac = args->mac;
	d->frame_max = args->frame_max;
	d->link_up = args->link_up;
	lock_init(&d->lock);

	if (rpc_entrypoint_init(&d->ep, d->endpoints, NIC_DRIVER_ENDPOINTS) != RPC_ENTRYPOINT_OK) {
		log_error("nic driver: no entrypoint");
		allocator_free(env_heap(env), d, sizeof(*d));
		return r;
	}
	rpc_entrypoint_set_wakeup_handler(&d->ep, nic_driver_process, d);
	if (signal_receiver_init(&d->receiver, d->slots, NIC_DRIVER_SIGNAL_SLOTS) !=
	    SIGNAL_RECEIVER_OK) {
		log_error("nic driver: no signal receiver");
		rpc_entrypoint_destroy(&d->ep);
		allocator_free(env_heap(env), d, sizeof(*d));
		return r;
	}
	if (rpc_entrypoint_set_signal_handler(&d->ep, &d->receiver, nic_driver_signals, d) !=
	    RPC_ENTRYPOINT_OK) {
		log_error("nic driver: the entrypoint takes no signals");
		signal_receiver_destroy(&d->receiver);
		rpc_entrypoint_destroy(&d->ep);
		allocator_free(env_heap(env), d, sizeof(*d));
		return r;
	}
	r.result = NIC_DRIVER_OK;
	r.driver = d;
	return r;
}

enum nic_driver_result nic_driver_announce(struct nic_driver *d)
{
	switch (server_root_announce(d->env, &d->ep, &d->root, &nic_driver_root_ops, d, "Nic")) {
	case SERVER_ROOT_OK:
		return NIC_DRIVER_OK;
	case SERVER_ROOT_NO_CAPABILITY:
		return NIC_DRIVER_NO_RESOURCES;
	case SERVER_ROOT_DENIED:
		break;
	}
	return NIC_DRIVER_DENIED;
}

void nic_driver_serve(struct nic_driver *d)
{
	/* nobody calls rpc_entrypoint_stop(): the driver stays */
	for (;;) rpc_entrypoint_serve(&d->ep);
}

struct rpc_entrypoint *nic_driver_entrypoint(struct nic_driver *d) { return &d->ep; }

void nic_driver_serve_pending(struct nic_driver *d)
{
	(void)rpc_entrypoint_serve_once(&d->ep, 0);
}
