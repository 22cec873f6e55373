/* SPDX-License-Identifier: MIT */
/**
 * \brief the server side of RPC: an entrypoint serves many RPC objects
 *
 * An RPC object is embedded in the server's own object. Managing it at an
 * entrypoint makes it callable; rpc_object_cap() mints capabilities for it;
 * dissolving it revokes every capability, so that later calls get
 * RPC_INVALID_CAP. When the last client reference of an object is gone, the
 * entrypoint calls the object's `unreferenced` hook.
 *
 * One thread serves an entrypoint (rpc_entrypoint_serve). Handlers run in that
 * thread, one at a time. The other functions may be called from handlers, or
 * from other threads, which then wait until the serving thread is between
 * two requests.
 */

#ifndef _BASE_RPC_ENTRYPOINT_H_
#define _BASE_RPC_ENTRYPOINT_H_

#include <base/lock.h>
#include <base/rpc.h>

struct rpc_entrypoint;
struct rpc_object;
struct signal_receiver;

/** the dispatch function that RPC_SERVER generates for an interface */
typedef enum rpc_result (*rpc_dispatch_function)(void const *ops, void *state,
                                                 struct rpc_msg *request,
                                                 struct rpc_msg *reply);

/** hook: the last capability of the object was closed by every holder */
typedef void (*rpc_unreferenced_function)(struct rpc_object *object);

struct rpc_object
{
	rpc_dispatch_function dispatch;
	void const *ops;
	void *state;
	rpc_unreferenced_function unreferenced; /* optional */

	/* owned by the entrypoint */
	struct rpc_entrypoint *entrypoint;
	int32_t endpoints; /* index of the first endpoint, or -1 */
	uint32_t caps;     /* live minted capabilities */
};

/** one socket of the entrypoint: storage is the caller's (see init) */
struct rpc_endpoint
{
	int handle;
	uint32_t generation;
	uint32_t kind;
	int32_t next; /* next endpoint of the same object, or of the free list */
	struct rpc_object *object;
	uint64_t identity; /* of a minted capability: the client end's identity */
};

struct rpc_entrypoint
{
	int event_handle; /* the platform's wait set */
	int wakeup_handle;
	struct rpc_endpoint *endpoints;
	uint32_t endpoint_count;
	int32_t free_endpoints;
	struct lock lock;
	uintptr_t serving_thread; /* the platform's id of the thread in a handler, else 0 */
	bool stop;
	uint64_t requests; /* served, for statistics */
	void (*wakeup_handler)(void *argument);
	void *wakeup_argument;
	void (*signal_handler)(void *argument);
	void *signal_argument;
	struct rpc_msg request;
	struct rpc_msg reply;
};

enum rpc_entrypoint_result {
	RPC_ENTRYPOINT_OK = 0,
	RPC_ENTRYPOINT_NO_RESOURCES, /* out of endpoints or platform handles */
	RPC_ENTRYPOINT_NOT_MANAGED,  /* the object is not managed by this entrypoint */
	RPC_ENTRYPOINT_UNKNOWN_CAP,  /* the capability names no object of this entrypoint */
};

struct rpc_entrypoint_cap_result
{
	enum rpc_entrypoint_result result;
	struct cap cap;
};

/**
 * Set up an entrypoint.
 *
 * \param storage  endpoint records, one per minted capability and per client
 *                 channel; owned by the caller, must outlive the entrypoint
 * \param count    number of records: the bound on capabilities and channels
 */
enum rpc_entrypoint_result rpc_entrypoint_init(struct rpc_entrypoint *ep,
                                               struct rpc_endpoint *storage, uint32_t count)
    __attribute__((warn_unused_result));

/** close every endpoint and the wait set; objects are dissolved without hooks */
void rpc_entrypoint_destroy(struct rpc_entrypoint *ep);

/**
 * Make `object` callable through `ep` with the given dispatch function and
 * ops (usually through the typed <interface>_manage() of RPC_SERVER_OBJECT).
 */
void rpc_entrypoint_manage(struct rpc_entrypoint *ep, struct rpc_object *object,
                           rpc_dispatch_function dispatch, void const *ops, void *state);

/**
 * Mint a new capability for a managed object. The caller owns it: hand it to
 * a client through an OUT_CAP (which moves it), or cap_close() it.
 */
struct rpc_entrypoint_cap_result rpc_object_cap(struct rpc_object *object)
    __attribute__((warn_unused_result));

/**
 * Revoke every capability of the object and stop serving it. Calls in other
 * threads that already sent their request get RPC_INVALID_CAP. The hook is
 * not called. Afterwards the object's memory is the caller's again.
 */
void rpc_entrypoint_dissolve(struct rpc_entrypoint *ep, struct rpc_object *object);

/**
 * Find the object of this entrypoint that a received capability names
 * (e.g. a dataspace capability passed back to its server).
 *
 * \return the object, or NULL if the capability is none of ours
 */
struct rpc_object *rpc_entrypoint_lookup(struct rpc_entrypoint *ep, struct cap cap);

/**
 * Serve requests in the calling thread until rpc_entrypoint_stop().
 */
void rpc_entrypoint_serve(struct rpc_entrypoint *ep);

/**
 * Serve what arrives within `timeout_ms` (-1: wait for one event, 0: poll).
 *
 * \return number of events handled
 */
int rpc_entrypoint_serve_once(struct rpc_entrypoint *ep, int timeout_ms);

/**
 * Let the serving thread call `handler(argument)`, like a request handler,
 * whenever signals of `receiver` are pending: a server that waits for
 * requests and for its clients' signals in one thread, without a thread
 * that waits on the receiver and wakes the entrypoint (one process wake-up
 * per signal instead of two).
 *
 * The handler must take every signal that the receiver takes in (a
 * signal_receiver_poll, then signal_receiver_poll_taken until it returns
 * none; or signal_receiver_poll until none): only signals that the
 * receiver has not taken in yet keep the entrypoint ready, so one that the
 * handler leaves in the receiver waits for the next signal. Nobody else
 * may wait on the receiver. One receiver per entrypoint; set it before
 * serving starts. The receiver must outlive the entrypoint.
 *
 * \return RPC_ENTRYPOINT_OK, or RPC_ENTRYPOINT_NO_RESOURCES (the platform
 *         refused to add the receiver to the wait set; nothing changed)
 */
enum rpc_entrypoint_result
rpc_entrypoint_set_signal_handler(struct rpc_entrypoint *ep, struct signal_receiver *receiver,
                                  void (*handler)(void *), void *argument)
    __attribute__((warn_unused_result));

/**
 * Let the serving thread call `handler(argument)`, like a request handler,
 * each time after rpc_entrypoint_wakeup(). This is how work that another
 * thread discovers (core's tracer events) runs in the entrypoint's thread.
 * Set it before serving starts.
 */
void rpc_entrypoint_set_wakeup_handler(struct rpc_entrypoint *ep, void (*handler)(void *),
                                       void *argument);

/**
 * Make the serving thread call its wakeup handler soon (at least once after
 * this call); callable from any thread, never blocks.
 */
void rpc_entrypoint_wakeup(struct rpc_entrypoint *ep);

/** make rpc_entrypoint_serve() return; callable from any thread */
void rpc_entrypoint_stop(struct rpc_entrypoint *ep);

/**
 * Typed glue for interface I, after RPC_SERVER(I, LIST):
 * `I_manage(ep, object, ops, state)` makes the object callable and returns its
 * first capability, and `I_object_cap(object)` mints another. Both return an
 * invalid capability when out of resources; the caller owns what they return.
 */
#define RPC_SERVER_OBJECT(I)                                                        \
	static inline struct I##_cap I##_object_cap(struct rpc_object *object)          \
	{                                                                               \
		struct rpc_entrypoint_cap_result r = rpc_object_cap(object);                \
		return (struct I##_cap){ r.cap };                                           \
	}                                                                               \
	static inline struct I##_cap I##_manage(struct rpc_entrypoint *ep,              \
	                                        struct rpc_object *object,              \
	                                        struct I##_ops const *ops, void *state) \
	{                                                                               \
		rpc_entrypoint_manage(ep, object, I##_dispatch, ops, state);                \
		return I##_object_cap(object);                                              \
	}

#endif /* _BASE_RPC_ENTRYPOINT_H_ */
