/* SPDX-License-Identifier: MIT */
/**
 * \brief hosted RPC entrypoint: an epoll set over the server ends of minted
 *        capabilities and of client channels (protocol in ipc.h)
 */

#include <base/log.h>
#include <base/panic.h>
#include <base/rpc_entrypoint.h>
#include <base/signal.h>
#include <util/string.h>

#include "ipc.h"
#include "linux_abi.h"

enum rpc_endpoint_kind {
	RPC_ENDPOINT_FREE,
	RPC_ENDPOINT_CAP,     /* server end of a minted capability */
	RPC_ENDPOINT_CHANNEL, /* server end of a client's call channel */
};

enum {
	RPC_EVENTS_MAX = 16,
	RPC_CHANNELS_PER_OBJECT = 64, /* so one client cannot take every endpoint */
	RPC_NO_ENDPOINT = -1,
};

static uint64_t const rpc_wakeup_event = ~0ull;
static uint64_t const rpc_signal_event = ~1ull; /* the receiver's wait set is ready */

/*
 * The calling thread, without a system call (a serve_once per event of a
 * hybrid's loop would cost a gettid each); a component's main thread has
 * its record set by env_init, before any entrypoint exists.
 */
static uintptr_t rpc_thread_id(void) { return linux_thread_pointer(); }

/* lock unless the caller is the serving thread in a handler, which holds it */
static bool rpc_entrypoint_enter(struct rpc_entrypoint *ep)
{
	if (__atomic_load_n(&ep->serving_thread, __ATOMIC_ACQUIRE) == rpc_thread_id()) return false;
	lock_acquire(&ep->lock);
	return true;
}

static void rpc_entrypoint_leave(struct rpc_entrypoint *ep, bool locked)
{
	if (locked) lock_release(&ep->lock);
}

static uint64_t rpc_endpoint_event_data(struct rpc_entrypoint *ep, int32_t index)
{
	return (uint64_t)(uint32_t)index << 32 | ep->endpoints[index].generation;
}

static int32_t rpc_endpoint_alloc(struct rpc_entrypoint *ep)
{
	int32_t index = ep->free_endpoints;
	if (index == RPC_NO_ENDPOINT) return RPC_NO_ENDPOINT;
	ep->free_endpoints = ep->endpoints[index].next;
	return index;
}

/* add an endpoint to the object's list and to the wait set */
static bool rpc_endpoint_attach(struct rpc_entrypoint *ep, int32_t index,
                                struct rpc_object *object, enum rpc_endpoint_kind kind,
                                int handle, uint64_t identity)
{
	struct rpc_endpoint *e = &ep->endpoints[index];
	e->handle = handle;
	e->kind = kind;
	e->object = object;
	e->identity = identity;
	struct linux_epoll_event event = { LINUX_EPOLLIN | LINUX_EPOLLRDHUP,
		                               rpc_endpoint_event_data(ep, index) };
	if (linux_syscall4(SYS_epoll_ctl, ep->event_handle, LINUX_EPOLL_CTL_ADD, handle,
	                   (long)&event) < 0) {
		e->kind = RPC_ENDPOINT_FREE;
		e->next = ep->free_endpoints;
		ep->free_endpoints = index;
		return false;
	}
	e->next = object->endpoints;
	object->endpoints = index;
	return true;
}

/* close an endpoint, unlink it from its object, return it to the free list */
static void rpc_endpoint_free(struct rpc_entrypoint *ep, int32_t index)
{
	struct rpc_endpoint *e = &ep->endpoints[index];
	struct rpc_object *object = e->object;
	if (object) {
		for (int32_t *link = &object->endpoints; *link != RPC_NO_ENDPOINT;
		     link = &ep->endpoints[*link].next) {
			if (*link == index) {
				*link = e->next;
				break;
			}
		}
		if (e->kind == RPC_ENDPOINT_CAP) object->caps--;
	}
	ipc_close(
	    e->handle); /* also leaves the wait set: the entrypoint holds the only reference */
	e->handle = -1;
	e->kind = RPC_ENDPOINT_FREE;
	e->object = 0;
	e->generation++;
	e->next = ep->free_endpoints;
	ep->free_endpoints = index;
}

static unsigned rpc_object_channels(struct rpc_entrypoint *ep, struct rpc_object *object)
{
	unsigned count = 0;
	for (int32_t i = object->endpoints; i != RPC_NO_ENDPOINT; i = ep->endpoints[i].next)
		if (ep->endpoints[i].kind == RPC_ENDPOINT_CHANNEL) count++;
	return count;
}

enum rpc_entrypoint_result rpc_entrypoint_init(struct rpc_entrypoint *ep,
                                               struct rpc_endpoint *storage, uint32_t count)
{
	memory_set(ep, 0, sizeof(*ep) - sizeof(ep->request) - sizeof(ep->reply));
	lock_init(&ep->lock);
	ep->endpoints = storage;
	ep->endpoint_count = count;
	ep->free_endpoints = RPC_NO_ENDPOINT;
	ep->wakeup_handle = -1;
	for (uint32_t i = count; i-- > 0;) {
		storage[i] =
		    (struct rpc_endpoint){ -1, 0, RPC_ENDPOINT_FREE, ep->free_endpoints, 0, 0 };
		ep->free_endpoints = (int32_t)i;
	}

	long handle = linux_syscall1(SYS_epoll_create1, LINUX_EPOLL_CLOEXEC);
	if (handle < 0) return RPC_ENTRYPOINT_NO_RESOURCES;
	ep->event_handle = (int)handle;

	handle = linux_syscall2(SYS_eventfd2, 0, LINUX_EFD_CLOEXEC | LINUX_EFD_NONBLOCK);
	if (handle < 0) {
		ipc_close(ep->event_handle);
		return RPC_ENTRYPOINT_NO_RESOURCES;
	}
	ep->wakeup_handle = (int)handle;
	struct linux_epoll_event event = { LINUX_EPOLLIN, rpc_wakeup_event };
	if (linux_syscall4(SYS_epoll_ctl, ep->event_handle, LINUX_EPOLL_CTL_ADD, ep->wakeup_handle,
	                   (long)&event) < 0) {
		ipc_close(ep->wakeup_handle);
		ipc_close(ep->event_handle);
		return RPC_ENTRYPOINT_NO_RESOURCES;
	}
	return RPC_ENTRYPOINT_OK;
}

void rpc_entrypoint_destroy(struct rpc_entrypoint *ep)
{
	for (uint32_t i = 0; i < ep->endpoint_count; i++)
		if (ep->endpoints[i].kind != RPC_ENDPOINT_FREE) rpc_endpoint_free(ep, (int32_t)i);
	ipc_close(ep->wakeup_handle);
	ipc_close(ep->event_handle);
	ep->wakeup_handle = ep->event_handle = -1;
}

void rpc_entrypoint_manage(struct rpc_entrypoint *ep, struct rpc_object *object,
                           rpc_dispatch_function dispatch, void const *ops, void *state)
{
	object->dispatch = dispatch;
	object->ops = ops;
	object->state = state;
	object->entrypoint = ep;
	object->endpoints = RPC_NO_ENDPOINT;
	object->caps = 0;
}

struct rpc_entrypoint_cap_result rpc_object_cap(struct rpc_object *object)
{
	struct rpc_entrypoint *ep = object->entrypoint;
	struct rpc_entrypoint_cap_result r = { RPC_ENTRYPOINT_NOT_MANAGED, { -1 } };
	if (!ep) return r;

	int pair[2];
	r.result = RPC_ENTRYPOINT_NO_RESOURCES;
	if (linux_syscall4(SYS_socketpair, LINUX_AF_UNIX, LINUX_SOCK_SEQPACKET | LINUX_SOCK_CLOEXEC,
	                   0, (long)pair) < 0)
		return r;

	struct linux_stat st;
	if (linux_syscall2(SYS_fstat, pair[0], (long)&st) < 0) {
		ipc_close(pair[0]);
		ipc_close(pair[1]);
		return r;
	}

	bool locked = rpc_entrypoint_enter(ep);
	int32_t index = rpc_endpoint_alloc(ep);
	bool attached = index != RPC_NO_ENDPOINT &&
	                rpc_endpoint_attach(ep, index, object, RPC_ENDPOINT_CAP, pair[1], st.ino);
	if (attached) object->caps++;
	rpc_entrypoint_leave(ep, locked);

	if (!attached) {
		ipc_close(pair[0]);
		ipc_close(pair[1]);
		return r;
	}
	ipc_channels_drop(pair[0]);
	r.result = RPC_ENTRYPOINT_OK;
	r.cap = (struct cap){ pair[0] };
	return r;
}

void rpc_entrypoint_dissolve(struct rpc_entrypoint *ep, struct rpc_object *object)
{
	if (object->entrypoint != ep) return;
	bool locked = rpc_entrypoint_enter(ep);
	while (object->endpoints != RPC_NO_ENDPOINT) rpc_endpoint_free(ep, object->endpoints);
	object->entrypoint = 0;
	rpc_entrypoint_leave(ep, locked);
}

struct rpc_object *rpc_entrypoint_lookup(struct rpc_entrypoint *ep, struct cap cap)
{
	struct linux_stat st;
	if (!cap_valid(cap) || linux_syscall2(SYS_fstat, cap.handle, (long)&st) < 0) return 0;

	struct rpc_object *object = 0;
	bool locked = rpc_entrypoint_enter(ep);
	for (uint32_t i = 0; i < ep->endpoint_count && !object; i++) {
		struct rpc_endpoint const *e = &ep->endpoints[i];
		if (e->kind == RPC_ENDPOINT_CAP && e->identity == st.ino) object = e->object;
	}
	rpc_entrypoint_leave(ep, locked);
	return object;
}

/* a message on a capability socket: only a well-formed bind is accepted */
static void rpc_entrypoint_bind(struct rpc_entrypoint *ep, int32_t index, uint32_t events)
{
	struct rpc_endpoint *e = &ep->endpoints[index];
	struct rpc_msg *msg = &ep->request;
	int truncated = 0;
	long ret = ipc_receive(e->handle, msg, LINUX_MSG_DONTWAIT, &truncated);
	if (ret == -LINUX_EAGAIN) return;
	/* zero bytes are the end only with a hang-up: else an empty message */
	if (ret < 0 || (ret == 0 && (events & (LINUX_EPOLLHUP | LINUX_EPOLLRDHUP)))) {
		/* every holder closed the capability */
		struct rpc_object *object = e->object;
		rpc_endpoint_free(ep, index);
		if (object && object->caps == 0 && object->unreferenced) object->unreferenced(object);
		return;
	}

	bool valid = !truncated && msg->size == RPC_HEADER_SIZE &&
	             rpc_msg_word(msg) == IPC_BIND_WORD && msg->cap_count == 1;
	if (valid) {
		int type = 0;
		int length = sizeof(type);
		valid = linux_syscall6(SYS_getsockopt, msg->caps[0].handle, LINUX_SOL_SOCKET,
		                       LINUX_SO_TYPE, (long)&type, (long)&length, 0) == 0 &&
		        type == LINUX_SOCK_SEQPACKET;
	}
	if (!valid) {
		log_warning("rpc: dropped a malformed message (%u bytes, %u capabilities) sent "
		            "to a capability",
		            msg->size, msg->cap_count);
		rpc_msg_close_caps(msg);
		return;
	}
	if (rpc_object_channels(ep, e->object) >= RPC_CHANNELS_PER_OBJECT) {
		log_warning("rpc: too many channels to one object, refused one");
		rpc_msg_close_caps(msg);
		return;
	}
	int32_t channel = rpc_endpoint_alloc(ep);
	if (channel == RPC_NO_ENDPOINT ||
	    !rpc_endpoint_attach(ep, channel, e->object, RPC_ENDPOINT_CHANNEL, msg->caps[0].handle,
	                         0)) {
		log_warning("rpc: out of endpoints, refused a channel");
		rpc_msg_close_caps(msg);
		return;
	}
	msg->caps[0] = cap_invalid();
	msg->cap_read = msg->cap_count;
}

/* a request on a channel: dispatch it and reply on the same channel */
static void rpc_entrypoint_request(struct rpc_entrypoint *ep, int32_t index, uint32_t events)
{
	struct rpc_endpoint *e = &ep->endpoints[index];
	struct rpc_msg *request = &ep->request;
	struct rpc_msg *reply = &ep->reply;
	int truncated = 0;
	long ret = ipc_receive(e->handle, request, LINUX_MSG_DONTWAIT, &truncated);
	if (ret == -LINUX_EAGAIN) return;
	if (ret < 0 || (ret == 0 && (events & (LINUX_EPOLLHUP | LINUX_EPOLLRDHUP)))) {
		rpc_endpoint_free(ep, index);
		return;
	}
	if (ret == 0) truncated = 1; /* an empty message: malformed */

	enum rpc_result result = RPC_MALFORMED;
	uint32_t generation = e->generation;
	reply->cap_count = 0;
	if (!truncated) {
		struct rpc_object *object = e->object;
		result = object->dispatch(object->ops, object->state, request, reply);
		ep->requests++;
	}
	rpc_msg_close_caps(request);
	if (result != RPC_OK) {
		rpc_msg_close_caps(reply);
		rpc_msg_init(reply, (uint32_t)result);
	}

	/*
	 * The handler may have dissolved its own object, which freed this
	 * endpoint: then there is nobody to reply to. A client that does not
	 * read its replies loses its channel rather than block the entrypoint.
	 */
	if (e->generation == generation) {
		ret = ipc_send(e->handle, reply->data, reply->size, reply->caps, reply->cap_count,
		               LINUX_MSG_DONTWAIT);
		if (ret < 0) rpc_endpoint_free(ep, index);
	}
	rpc_msg_close_caps(reply); /* an OUT_CAP moves the server's reference */
}

static int rpc_entrypoint_serve_events(struct rpc_entrypoint *ep, int timeout_ms, uintptr_t tid)
{
	struct linux_epoll_event events[RPC_EVENTS_MAX];
	long count = linux_syscall_blocking(SYS_epoll_wait, ep->event_handle, (long)events,
	                                    RPC_EVENTS_MAX, timeout_ms, 0, 0);
	if (count <= 0) return 0;

	lock_acquire(&ep->lock);
	__atomic_store_n(&ep->serving_thread, tid, __ATOMIC_RELEASE);
	for (long i = 0; i < count; i++) {
		uint64_t data = events[i].data;
		if (data == rpc_wakeup_event) {
			uint64_t value;
			linux_syscall3(SYS_read, ep->wakeup_handle, (long)&value, sizeof(value));
			if (ep->wakeup_handler) ep->wakeup_handler(ep->wakeup_argument);
			continue;
		}
		if (data == rpc_signal_event) {
			ep->signal_handler(ep->signal_argument);
			continue;
		}
		uint32_t index = (uint32_t)(data >> 32);
		/* an endpoint freed earlier in this batch may have been reused */
		if (index >= ep->endpoint_count || ep->endpoints[index].generation != (uint32_t)data)
			continue;
		switch (ep->endpoints[index].kind) {
		case RPC_ENDPOINT_CAP:
			rpc_entrypoint_bind(ep, (int32_t)index, events[i].events);
			break;
		case RPC_ENDPOINT_CHANNEL:
			rpc_entrypoint_request(ep, (int32_t)index, events[i].events);
			break;
		default:
			break;
		}
	}
	__atomic_store_n(&ep->serving_thread, 0, __ATOMIC_RELEASE);
	lock_release(&ep->lock);
	return (int)count;
}

int rpc_entrypoint_serve_once(struct rpc_entrypoint *ep, int timeout_ms)
{
	return rpc_entrypoint_serve_events(ep, timeout_ms, rpc_thread_id());
}

void rpc_entrypoint_serve(struct rpc_entrypoint *ep)
{
	uintptr_t tid = rpc_thread_id();
	while (!__atomic_load_n(&ep->stop, __ATOMIC_ACQUIRE))
		rpc_entrypoint_serve_events(ep, -1, tid);
	__atomic_store_n(&ep->stop, false, __ATOMIC_RELEASE);
}

enum rpc_entrypoint_result rpc_entrypoint_set_signal_handler(struct rpc_entrypoint *ep,
                                                             struct signal_receiver *receiver,
                                                             void (*handler)(void *),
                                                             void *argument)
{
	ASSERT(handler && !ep->signal_handler); /* one receiver per entrypoint */
	/* an epoll set is readable while one of its own is ready: the receiver's nests here */
	struct linux_epoll_event event = { LINUX_EPOLLIN, rpc_signal_event };
	ep->signal_handler = handler; /* before the receiver can make the set readable */
	ep->signal_argument = argument;
	if (linux_syscall4(SYS_epoll_ctl, ep->event_handle, LINUX_EPOLL_CTL_ADD,
	                   receiver->event_handle, (long)&event) >= 0)
		return RPC_ENTRYPOINT_OK;
	ep->signal_handler = NULL;
	ep->signal_argument = NULL;
	return RPC_ENTRYPOINT_NO_RESOURCES;
}

void rpc_entrypoint_set_wakeup_handler(struct rpc_entrypoint *ep, void (*handler)(void *),
                                       void *argument)
{
	ep->wakeup_handler = handler;
	ep->wakeup_argument = argument;
}

void rpc_entrypoint_wakeup(struct rpc_entrypoint *ep)
{
	uint64_t one = 1;
	linux_syscall3(SYS_write, ep->wakeup_handle, (long)&one, sizeof(one));
}

void rpc_entrypoint_stop(struct rpc_entrypoint *ep)
{
	__atomic_store_n(&ep->stop, true, __ATOMIC_RELEASE);
	rpc_entrypoint_wakeup(ep);
}
