/* SPDX-License-Identifier: MIT */
/**
 * \brief the device of nic_drv: libslirp and the Nic service in one thread
 *        (nic_slirp.h, doc/nic_drv.md)
 *
 * One loop (nic_slirp_run, the component's main thread) does everything; a
 * pass:
 *   1. deliver the backlog to the client, oldest first, until it is empty
 *      or the client has no room; then slirp is paused: 2. and 4. wait
 *   2. slirp_pollfds_fill: slirp's sockets and its timeout (TCP's fast and
 *      slow timers), then the earliest of slirp's own timers
 *   3. poll() on those, the helper's entrypoint and the timer (below)
 *   4. slirp_pollfds_poll (socket I/O and TCP timers), then slirp's timers
 *      that are due
 *   5. the entrypoint's turn (nic_driver_serve_pending): session RPCs, the
 *      client's signals, and transmit() for its frames, which feeds each
 *      to slirp_input at once
 * slirp's send_packet runs within 4. and 5.: it hands each frame to the
 * helper (copied into the client's rx buffer) or, when the client has no
 * room, to the backlog.
 *
 * So a frame of the host's goes to the client, and one of the client's to
 * the host, with one wake-up of this process each: the socket's, or the
 * client's signal at the entrypoint.
 *
 * The timer is a timerfd, armed only when a deadline comes earlier than
 * the one it holds (lib/timer_plan.h): not once per pass, as a poll()
 * timeout would be.
 *
 * While paused, transmit() says BUSY: the helper keeps the client's frame
 * and offers it again after the client made room (its get from a full rx
 * queue signals ready_to_submit; its acknowledgements signal ack_avail,
 * which the helper's allocation (alloc_quiet) turns on when it finds the
 * client's buffer full), which ends the pause at 1., or after
 * nic_driver_wakeup() once the backlog is gone.
 */

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <libslirp.h>

#include <base/hybrid_poll.h>
#include <base/log.h>
#include <base/panic.h>

#include "lib/frame_ring.h"
#include "lib/timer_plan.h"
#include "nic_slirp.h"

enum {
	NIC_SLIRP_BACKLOG_RING = 8 << 20, /* slirp's frames the client has no room for yet */
	NIC_SLIRP_POLL_MIN = 16,          /* so the two fixed poll slots always fit */
	NIC_SLIRP_LOG_MAX = 8,            /* guest errors logged one by one, then only counted */
};

/* the fixed slots of each pass's poll(); slirp's sockets follow them */
enum nic_slirp_fd {
	NIC_SLIRP_FD_ENTRYPOINT = 0, /* the helper's entrypoint: requests and signals */
	NIC_SLIRP_FD_TIMER = 1,      /* the timerfd of slirp's earliest deadline */
};

struct nic_slirp_timer
{
	struct nic_slirp_timer *next;
	SlirpTimerCb callback; /* timer_new's, or NULL for timer_new_opaque's */
	SlirpTimerId id;
	void *callback_state;
	int64_t expire_ms; /* on slirp's clock; -1: not armed */
};

struct nic_slirp
{
	struct nic_slirp_config config;
	Slirp *slirp;
	struct nic_driver *driver; /* set by nic_slirp_run */

	uint8_t *tx_copy; /* frame_max bytes: the client's frame, out of its reach */
	bool tx_blocked;  /* transmit() said BUSY: nic_driver_wakeup() is owed */

	/* slirp's frames the client has no room for yet; not empty: paused */
	struct frame_ring backlog;

	struct pollfd *fds;
	unsigned fd_count, fd_capacity;
	struct nic_slirp_timer *timers;
	int timer_fd;     /* a timerfd: the earliest deadline of slirp's */
	int64_t timer_ns; /* what it is armed for (CLOCK_MONOTONIC), or 0: not armed */

	bool keepalive_warned; /* a setsockopt of keepalive failed and was logged */

	/* counters */
	uint64_t dropped_no_client; /* since the last delivered frame */
	uint64_t dropped_full;      /* the backlog was full */
	uint64_t guest_errors;
};

/* ---- client -> slirp -------------------------------------------------------------- */

/* the client has no room for what slirp sent (the backlog is not empty) */
static bool nic_slirp_paused(struct nic_slirp *nic) { return !frame_ring_empty(&nic->backlog); }

/* transmit(), in the loop's turn of the entrypoint: the frame goes into slirp at once */
enum nic_driver_transmit_result nic_slirp_transmit(void *state, void const *frame, size_t size)
{
	struct nic_slirp *nic = state;
	/* while paused, the client's frames wait in its own queue */
	if (nic_slirp_paused(nic)) {
		nic->tx_blocked = true;
		return NIC_DRIVER_TRANSMIT_BUSY;
	}
	/*
	 * slirp parses our copy, never the shared buffer that the client may
	 * change meanwhile. The helper checked size <= frame_max, which is at
	 * most 65535 + 14 bytes: an int.
	 */
	memcpy(nic->tx_copy, frame, size);
	slirp_input(nic->slirp, nic->tx_copy, (int)size);
	return NIC_DRIVER_TRANSMIT_OK;
}

/* ---- slirp -> client -------------------------------------------------------------- */

/* log what was dropped while no client was there, now that one is */
static void nic_slirp_delivered(struct nic_slirp *nic)
{
	if (!nic->dropped_no_client) return;
	log_info("dropped %llu frames of slirp while no client was connected",
	         (unsigned long long)nic->dropped_no_client);
	nic->dropped_no_client = 0;
}

static void nic_slirp_backlog_add(struct nic_slirp *nic, void const *frame, size_t size)
{
	struct frame_ring_push_ret r = frame_ring_push(&nic->backlog, frame, size);
	if (r.result == FRAME_RING_PUSH_OK) return;
	nic->dropped_full++;
	/* 1, 2, 4, 8, ...: a line for every doubling, never a flood */
	if ((nic->dropped_full & (nic->dropped_full - 1)) == 0)
		log_warning("dropped a frame of %zu bytes: the client takes none and the %u-byte "
		            "backlog is full (%llu dropped so far)",
		            size, (unsigned)NIC_SLIRP_BACKLOG_RING,
		            (unsigned long long)nic->dropped_full);
}

/* hand one frame to the client; FULL: it has no room now */
static enum nic_driver_receive_result nic_slirp_deliver(struct nic_slirp *nic,
                                                        void const *frame, size_t size)
{
	enum nic_driver_receive_result r = nic_driver_receive(nic->driver, frame, size);
	switch (r) {
	case NIC_DRIVER_RECEIVE_OK:
		nic_slirp_delivered(nic);
		break;
	case NIC_DRIVER_RECEIVE_NO_CLIENT:
		nic->dropped_no_client++;
		break;
	case NIC_DRIVER_RECEIVE_INVALID_SIZE:
		/* slirp's frames are at most its MTU + 14 = frame_max */
		log_error("slirp sent a frame of %zu bytes, above the frame_max %u", size,
		          (unsigned)(nic->config.mtu + NIC_SLIRP_ETHERNET_HEADER));
		break;
	case NIC_DRIVER_RECEIVE_FULL:
		break;
	}
	return r;
}

/* deliver the backlog, oldest first; true if it is empty now */
static bool nic_slirp_backlog_flush(struct nic_slirp *nic)
{
	for (;;) {
		struct frame_ring_frame frame = frame_ring_peek(&nic->backlog);
		if (!frame.data) return true;
		if (nic_slirp_deliver(nic, frame.data, frame.size) == NIC_DRIVER_RECEIVE_FULL)
			return false;
		frame_ring_pop(&nic->backlog);
	}
}

/* slirp's send_packet: always "sent", slirp would only complain otherwise */
static ssize_t nic_slirp_send_packet(void const *frame, size_t size, void *state)
{
	struct nic_slirp *nic = state;
	/* behind the backlog, in order */
	if (nic_slirp_paused(nic) || nic_slirp_deliver(nic, frame, size) == NIC_DRIVER_RECEIVE_FULL)
		nic_slirp_backlog_add(nic, frame, size);
	return (ssize_t)size;
}

/* ---- keepalive of the host sockets ------------------------------------------------ */

/*
 * slirp terminates TCP: the host's peer of a forward speaks to a host socket
 * of slirp's, and slirp speaks a TCP of its own to the guest. A peer that
 * vanishes without FIN or RST (its machine off, its network gone) is noticed
 * only by that host socket, and only when it sends: an idle connection stays
 * forever, and so does the guest's side of it (gdb_monitor, with one GDB at a
 * time, then refuses every new one). With keepalive the host's TCP probes an
 * idle peer; when `keepalive` seconds of silence and NIC_SLIRP_KEEPALIVE_PROBES
 * probes went unanswered (or a probe got a RST), the socket fails, slirp's
 * next read finds the error and closes or resets the guest's connection.
 *
 * libslirp 4.7 hands every socket it makes for a connection to
 * register_poll_fd right after accept() (a forward's connection) or socket()
 * (the guest's connection out): that is where keepalive is turned on. The
 * forwards' listening sockets never pass there (slirp_add_hostfwd makes them
 * without it), and they need nothing: their accepted sockets do.
 */
static void nic_slirp_keepalive_enable(struct nic_slirp *nic, int fd)
{
	if (nic->config.keepalive == 0) return;
	/* UDP and ICMP sockets, and anything that is not an internet socket, have no keepalive
	 * (a getsockopt that fails: not a socket either, nothing to warn about) */
	int type = 0, domain = 0;
	socklen_t length = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM) return;
	length = sizeof(domain);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) != 0 ||
	    (domain != AF_INET && domain != AF_INET6))
		return;

	int const seconds = (int)nic->config.keepalive;
	struct
	{
		int level, name, value;
		char const *what;
	} const options[] = {
		{ SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE" },
		{ IPPROTO_TCP, TCP_KEEPIDLE, seconds, "TCP_KEEPIDLE" },
		{ IPPROTO_TCP, TCP_KEEPINTVL, seconds, "TCP_KEEPINTVL" },
		{ IPPROTO_TCP, TCP_KEEPCNT, NIC_SLIRP_KEEPALIVE_PROBES, "TCP_KEEPCNT" },
		/* keepalive probes only an idle connection: data that the peer does not
		 * acknowledge (a stop reply after GDB vanished during a continue) would be
		 * sent again for about 15 minutes; this ends it in the same time instead */
		{ IPPROTO_TCP, TCP_USER_TIMEOUT, seconds * (1 + NIC_SLIRP_KEEPALIVE_PROBES) * 1000,
		  "TCP_USER_TIMEOUT" },
	};
	for (unsigned i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if (setsockopt(fd, options[i].level, options[i].name, &options[i].value,
		               sizeof(options[i].value)) == 0)
			continue;
		/* once: a host that refuses it refuses it for every socket */
		if (!nic->keepalive_warned)
			log_warning("keepalive: %s on a host socket failed (%s): a peer that vanishes "
			            "without a FIN or RST may keep its connection",
			            options[i].what, strerror(errno));
		nic->keepalive_warned = true;
		return;
	}
}

/* ---- slirp's other callbacks ------------------------------------------------------- */

static void nic_slirp_guest_error(char const *message, void *state)
{
	struct nic_slirp *nic = state;
	nic->guest_errors++;
	if (nic->guest_errors <= NIC_SLIRP_LOG_MAX) log_warning("slirp: guest error: %s", message);
	if (nic->guest_errors == NIC_SLIRP_LOG_MAX)
		log_warning("slirp: further guest errors are not logged");
}

static int64_t nic_slirp_clock_ns(void *state)
{
	(void)state;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void *nic_slirp_timer_add(struct nic_slirp *nic, SlirpTimerCb callback, SlirpTimerId id,
                                 void *callback_state)
{
	struct nic_slirp_timer *timer = calloc(1, sizeof(*timer));
	if (!timer) return NULL; /* slirp's g_malloc would have aborted; so does slirp on NULL */
	timer->callback = callback;
	timer->id = id;
	timer->callback_state = callback_state;
	timer->expire_ms = -1;
	timer->next = nic->timers;
	nic->timers = timer;
	return timer;
}

static void *nic_slirp_timer_new(SlirpTimerCb callback, void *callback_state, void *state)
{
	return nic_slirp_timer_add(state, callback, SLIRP_TIMER_NUM, callback_state);
}

static void *nic_slirp_timer_new_opaque(SlirpTimerId id, void *callback_state, void *state)
{
	return nic_slirp_timer_add(state, NULL, id, callback_state);
}

static void nic_slirp_timer_free(void *timer, void *state)
{
	struct nic_slirp *nic = state;
	for (struct nic_slirp_timer **t = &nic->timers; *t; t = &(*t)->next)
		if (*t == timer) {
			*t = (*t)->next;
			free(timer);
			return;
		}
}

static void nic_slirp_timer_mod(void *timer, int64_t expire_ms, void *state)
{
	(void)state;
	((struct nic_slirp_timer *)timer)->expire_ms = expire_ms;
}

/* run every due timer; a callback may arm, free or add timers, so look again each time */
static void nic_slirp_timers_run(struct nic_slirp *nic)
{
	for (;;) {
		int64_t now_ms = nic_slirp_clock_ns(nic) / 1000000;
		struct nic_slirp_timer *due = NULL;
		for (struct nic_slirp_timer *t = nic->timers; t && !due; t = t->next)
			if (t->expire_ms >= 0 && t->expire_ms <= now_ms) due = t;
		if (!due) return;
		due->expire_ms = -1;
		if (due->callback)
			due->callback(due->callback_state);
		else
			slirp_handle_timer(nic->slirp, due->id, due->callback_state);
	}
}

/* the poll timeout in ms that the earliest timer allows, at most `timeout` */
static uint32_t nic_slirp_timers_timeout(struct nic_slirp *nic, uint32_t timeout)
{
	int64_t now_ms = nic_slirp_clock_ns(nic) / 1000000;
	for (struct nic_slirp_timer *t = nic->timers; t; t = t->next) {
		if (t->expire_ms < 0) continue;
		int64_t left = t->expire_ms > now_ms ? t->expire_ms - now_ms : 0;
		if ((uint64_t)left < timeout) timeout = (uint32_t)left;
	}
	return timeout;
}

/* a socket slirp made: polled in each pass (slirp_pollfds_fill), keepalive turned on here */
static void nic_slirp_register_poll_fd(int fd, void *state)
{
	nic_slirp_keepalive_enable(state, fd);
}

/* the fds are polled in each pass: nothing to unregister */
static void nic_slirp_unregister_poll_fd(int fd, void *state)
{
	(void)fd;
	(void)state;
}

/* a guest forward's socket may take data again: the next pass looks */
static void nic_slirp_notify(void *state) { (void)state; }

static void nic_slirp_init_completed(Slirp *slirp, void *state)
{
	struct nic_slirp *nic = state;
	nic->slirp = slirp; /* before slirp_new returns: timers may be made with it */
}

static SlirpCb const nic_slirp_callbacks = {
	.send_packet = nic_slirp_send_packet,
	.guest_error = nic_slirp_guest_error,
	.clock_get_ns = nic_slirp_clock_ns,
	.timer_new = nic_slirp_timer_new,
	.timer_free = nic_slirp_timer_free,
	.timer_mod = nic_slirp_timer_mod,
	.register_poll_fd = nic_slirp_register_poll_fd,
	.unregister_poll_fd = nic_slirp_unregister_poll_fd,
	.notify = nic_slirp_notify,
	.init_completed = nic_slirp_init_completed,
	.timer_new_opaque = nic_slirp_timer_new_opaque,
};

/* ---- poll -------------------------------------------------------------------------- */

static int nic_slirp_add_poll(int fd, int events, void *state)
{
	struct nic_slirp *nic = state;
	if (nic->fd_count == nic->fd_capacity) {
		unsigned capacity = nic->fd_capacity * 2;
		struct pollfd *fds = realloc(nic->fds, capacity * sizeof(*fds));
		if (!fds) return -1; /* slirp then does not look at this socket in this pass */
		nic->fds = fds;
		nic->fd_capacity = capacity;
	}
	short wanted = 0;
	if (events & SLIRP_POLL_IN) wanted |= POLLIN;
	if (events & SLIRP_POLL_OUT) wanted |= POLLOUT;
	if (events & SLIRP_POLL_PRI) wanted |= POLLPRI;
	/* POLLERR and POLLHUP come unasked */
	nic->fds[nic->fd_count] = (struct pollfd){ .fd = fd, .events = wanted };
	return (int)nic->fd_count++;
}

static int nic_slirp_get_revents(int index, void *state)
{
	struct nic_slirp *nic = state;
	if (index < 0 || (unsigned)index >= nic->fd_count) return 0;
	short revents = nic->fds[index].revents;
	int events = 0;
	if (revents & POLLIN) events |= SLIRP_POLL_IN;
	if (revents & POLLOUT) events |= SLIRP_POLL_OUT;
	if (revents & POLLPRI) events |= SLIRP_POLL_PRI;
	if (revents & (POLLERR | POLLNVAL)) events |= SLIRP_POLL_ERR;
	if (revents & POLLHUP) events |= SLIRP_POLL_HUP;
	return events;
}

/* ---- setup -------------------------------------------------------------------------- */

static void nic_slirp_free(struct nic_slirp *nic)
{
	if (nic->slirp) slirp_cleanup(nic->slirp); /* closes the forwards' sockets */
	if (nic->timer_fd >= 0) close(nic->timer_fd);
	while (nic->timers) nic_slirp_timer_free(nic->timers, nic);
	free(nic->tx_copy);
	free(nic->backlog.buffer);
	free(nic->fds);
	free(nic);
}

static bool nic_slirp_ring(struct frame_ring *ring, size_t size)
{
	void *memory = aligned_alloc(FRAME_RING_HEADER, size);
	if (memory && frame_ring_init(ring, memory, size) == FRAME_RING_INIT_OK) return true;
	free(memory);
	return false;
}

/* listen on the host for one forward; false (logged) if the host refuses */
static bool nic_slirp_forward(struct nic_slirp *nic, unsigned number,
                              struct nic_slirp_forward const *f)
{
	char host[16], guest[16];
	nic_slirp_address_format(f->host_address, host, sizeof(host));
	nic_slirp_address_format(f->guest_address, guest, sizeof(guest));
	char const *proto = f->proto == NIC_SLIRP_TCP ? "tcp" : "udp";

	struct in_addr host_address = { htonl(f->host_address) };
	struct in_addr guest_address = { htonl(f->guest_address) };
	errno = 0;
	/* libslirp keeps the errno of the failed socket, bind or listen */
	if (slirp_add_hostfwd(nic->slirp, f->proto == NIC_SLIRP_UDP, host_address, f->host_port,
	                      guest_address, f->guest_port) == 0) {
		log_info("forward %s %s:%u -> %s:%u", proto, host, f->host_port, guest, f->guest_port);
		return true;
	}
	int error = errno;
	if (error == EADDRINUSE)
		log_error("forward %u: %s %s:%u -> %s:%u: the host port is taken (%s)", number, proto,
		          host, f->host_port, guest, f->guest_port, strerror(error));
	else
		log_error("forward %u: %s %s:%u -> %s:%u: cannot listen on the host (%s)", number,
		          proto, host, f->host_port, guest, f->guest_port,
		          error ? strerror(error) : "no reason given");
	return false;
}

struct nic_slirp_create_ret nic_slirp_create(struct nic_slirp_config const *config)
{
	struct nic_slirp_create_ret r = { NIC_SLIRP_NO_RESOURCES, NULL };
	struct nic_slirp *nic = calloc(1, sizeof(*nic));
	if (!nic) {
		log_error("out of memory");
		return r;
	}
	nic->config = *config;
	nic->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (nic->timer_fd < 0) {
		log_error("no timer: %s", strerror(errno));
		nic_slirp_free(nic);
		return r;
	}
	nic->fd_capacity = NIC_SLIRP_POLL_MIN;
	nic->fds = calloc(nic->fd_capacity, sizeof(*nic->fds));
	nic->tx_copy = malloc(config->mtu + NIC_SLIRP_ETHERNET_HEADER);
	if (!nic->fds || !nic->tx_copy || !nic_slirp_ring(&nic->backlog, NIC_SLIRP_BACKLOG_RING)) {
		log_error("no memory for the device");
		nic_slirp_free(nic);
		return r;
	}

	SlirpConfig slirp_config = {
		.version = 4,
		.in_enabled = true,
		.vnetwork = { htonl(NIC_SLIRP_NETWORK) },
		.vnetmask = { htonl(NIC_SLIRP_NETMASK) },
		.vhost = { htonl(NIC_SLIRP_HOST) },
		.vdhcp_start = { htonl(NIC_SLIRP_DHCP_START) },
		.vnameserver = { htonl(NIC_SLIRP_NAMESERVER) },
		.vhostname = "vitrine",
		.if_mtu = config->mtu,
		.if_mru = config->mtu,
	};
	Slirp *slirp = slirp_new(&slirp_config, &nic_slirp_callbacks, nic);
	if (!slirp) {
		r.result = NIC_SLIRP_SLIRP_FAILED;
		log_error("libslirp %s refused the network (mtu %u)", slirp_version_string(),
		          (unsigned)config->mtu);
		nic_slirp_free(nic);
		return r;
	}
	nic->slirp = slirp;

	for (unsigned i = 0; i < config->forward_count; i++)
		if (!nic_slirp_forward(nic, i + 1, &config->forwards[i])) {
			r.result = NIC_SLIRP_FORWARD_FAILED;
			nic_slirp_free(nic);
			return r;
		}
	r.result = NIC_SLIRP_OK;
	r.nic = nic;
	return r;
}

/* ---- the loop ---------------------------------------------------------------------- */

/* the poll() timeout for a wait of at most `timeout_ms`, the timerfd armed as it needs */
static int nic_slirp_timer_arm(struct nic_slirp *nic, uint32_t timeout_ms)
{
	int64_t arm_ns = timer_plan_arm_ns(nic_slirp_clock_ns(nic), timeout_ms, nic->timer_ns);
	int poll_timeout = timer_plan_poll_timeout(timeout_ms);
	if (arm_ns == 0) return poll_timeout;
	struct itimerspec at = { .it_value = { .tv_sec = arm_ns / 1000000000,
		                                   .tv_nsec = arm_ns % 1000000000 } };
	if (timerfd_settime(nic->timer_fd, TFD_TIMER_ABSTIME, &at, NULL) < 0) {
		log_error("timerfd_settime failed: %s", strerror(errno));
		return (int)timeout_ms; /* poll()'s own timeout then */
	}
	nic->timer_ns = arm_ns;
	return poll_timeout;
}

/* the timerfd fired: read its count, so that it is quiet until armed again */
static void nic_slirp_timer_fired(struct nic_slirp *nic)
{
	uint64_t expirations;
	if (read(nic->timer_fd, &expirations, sizeof(expirations)) == sizeof(expirations))
		nic->timer_ns = 0;
}

void nic_slirp_run(struct nic_slirp *nic, struct nic_driver *driver)
{
	nic->driver = driver;
	int entrypoint = hybrid_entrypoint_handle(nic_driver_entrypoint(driver));
	for (;;) {
		bool running = nic_slirp_backlog_flush(nic);
		/* not paused any more: the frame transmit() refused is welcome now */
		if (running && nic->tx_blocked) {
			nic->tx_blocked = false;
			nic_driver_wakeup(driver);
		}

		nic->fd_count = 0;
		int slot = nic_slirp_add_poll(entrypoint, SLIRP_POLL_IN, nic);
		ASSERT(slot == NIC_SLIRP_FD_ENTRYPOINT);
		slot = nic_slirp_add_poll(nic->timer_fd, SLIRP_POLL_IN, nic);
		ASSERT(slot == NIC_SLIRP_FD_TIMER);
		uint32_t timeout = TIMER_PLAN_NONE;
		/*
		 * Paused (the client has no room): slirp's sockets are not polled
		 * and the timer is not armed anew. The entrypoint wakes the loop,
		 * where the client's acknowledgements arrive as signals (the
		 * helper's alloc_quiet turned them on when it found the client's
		 * buffer full); a timer armed before may still fire, and is only
		 * read. slirp's timers wait meanwhile and run late: slirp measures
		 * elapsed time on its clock.
		 */
		if (running) {
			slirp_pollfds_fill(nic->slirp, &timeout, nic_slirp_add_poll, nic);
			timeout = nic_slirp_timers_timeout(nic, timeout);
		}
		int ready = poll(nic->fds, nic->fd_count, nic_slirp_timer_arm(nic, timeout));
		if (ready < 0 && errno != EINTR) {
			log_error("poll failed: %s", strerror(errno));
			ready = -1;
		}
		bool requests = ready > 0 && nic->fds[NIC_SLIRP_FD_ENTRYPOINT].revents;
		if (ready > 0 && nic->fds[NIC_SLIRP_FD_TIMER].revents) nic_slirp_timer_fired(nic);
		if (running) {
			slirp_pollfds_poll(nic->slirp, ready < 0, nic_slirp_get_revents, nic);
			nic_slirp_timers_run(nic);
		}
		if (requests) nic_driver_serve_pending(driver);
	}
}
