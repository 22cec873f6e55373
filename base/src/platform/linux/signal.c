/* SPDX-License-Identifier: MIT */
/**
 * \brief hosted signals: a context is an eventfd, a receiver an epoll set
 *        over them (the interface is <base/signal.h>)
 *
 * Design. A context's capability is an eventfd, created by
 * the receiver with EFD_CLOEXEC|EFD_NONBLOCK; it passes between processes
 * with SCM_RIGHTS like every capability. Submitting is write(fd, &count, 8):
 * the kernel adds to the counter, so concurrent submits coalesce and none is
 * lost, and the non-blocking write never blocks (it fails only at counter
 * overflow, reported as SIGNAL_SUBMIT_OVERFLOW). The receiver keeps an epoll
 * set over the eventfds of its contexts plus one eventfd of its own that
 * cancellation writes. A wait is epoll_wait, then read() of each ready
 * eventfd, which returns its count and resets it to 0; the counts go to the
 * contexts and the contexts into a FIFO of pending ones, whose head is the
 * signal delivered. Dissolving removes the context's eventfd from the epoll
 * set and closes the receiver's descriptor; transmitters keep theirs, and
 * their submits land in a counter nobody reads.
 *
 * Limitation: a descriptor is not typed, and write() of 8 bytes
 * "succeeds" on a pipe or a socket. signal_submit() therefore checks with
 * fstat() that the handle is an anonymous-inode file (eventfd, epoll, timerfd,
 * signalfd, ...: a mode without file-type bits) before it writes; the other
 * anonymous-inode kinds refuse 8-byte writes. So pipes, sockets, files and
 * devices are refused without writing. Not refused: an eventfd that some
 * other code created (it simply counts), and a fanotify descriptor (which
 * parses the 8 bytes as a permission response; only privileged code has
 * one). A sandbox must allow fstat and write for submit. A transmitter
 * (signal_transmitter_init) makes that check once: the kind of an open
 * descriptor never changes, and the transmitter owns its descriptor, so the
 * number names the same open file until the transmitter closes it.
 *
 * Lifetimes. A wait sleeps in epoll_wait without the receiver's lock, so a
 * context may be dissolved (and its memory reused) while the kernel holds
 * an event for it. Events therefore name a slot and its generation, never a
 * context pointer, and the waiter looks them up under the lock; a slot whose
 * generation changed belongs to a dissolved context and its event is
 * skipped. Dissolving deletes the eventfd from the epoll set explicitly
 * before closing it: capabilities handed out in this process are duplicates
 * of the same open file, which would otherwise keep it in the set.
 */

#include <base/lock_guard.h>
#include <base/panic.h>
#include <base/signal.h>

#include "linux_abi.h"
#include "syscall.h"

enum {
	SIGNAL_EVENTS_MAX = 16, /* ready contexts taken from the kernel per epoll_wait */
	SIGNAL_NO_SLOT = -1,
	SIGNAL_MODE_TYPE_MASK = 0170000, /* S_IFMT: zero for anonymous-inode files */
};

static uint64_t const signal_wakeup_event = ~0ull;

static void signal_close(int handle)
{
	if (handle >= 0) linux_syscall1(SYS_close, handle);
}

static uint64_t signal_event_data(struct signal_receiver *receiver, uint32_t slot)
{
	return (uint64_t)slot << 32 | receiver->slots[slot].generation;
}

void signal_context_init(struct signal_context *context, void *imprint)
{
	context->imprint = imprint;
	context->receiver = 0;
	context->handle = -1;
	context->slot = 0;
	context->pending = 0;
	fifo_element_init(&context->ready);
}

enum signal_receiver_result signal_receiver_init(struct signal_receiver *receiver,
                                                 struct signal_slot *slots, uint32_t count)
{
	ASSERT(count >= 1 && count < (1u << 31));
	receiver->event_handle = -1;
	receiver->wakeup_handle = -1;
	lock_init(&receiver->lock);
	receiver->slots = slots;
	receiver->slot_count = count;
	receiver->free_slots = SIGNAL_NO_SLOT;
	fifo_init(&receiver->ready);
	receiver->busy = 0;
	for (uint32_t i = count; i-- > 0;) {
		slots[i] = (struct signal_slot){ 0, 0, receiver->free_slots };
		receiver->free_slots = (int32_t)i;
	}

	long handle = linux_syscall1(SYS_epoll_create1, LINUX_EPOLL_CLOEXEC);
	if (handle < 0) return SIGNAL_RECEIVER_NO_RESOURCES;
	receiver->event_handle = (int)handle;

	handle = linux_syscall2(SYS_eventfd2, 0, LINUX_EFD_CLOEXEC | LINUX_EFD_NONBLOCK);
	struct linux_epoll_event event = { LINUX_EPOLLIN, signal_wakeup_event };
	if (handle < 0 || linux_syscall4(SYS_epoll_ctl, receiver->event_handle, LINUX_EPOLL_CTL_ADD,
	                                 handle, (long)&event) < 0) {
		signal_close((int)handle);
		signal_close(receiver->event_handle);
		receiver->event_handle = -1;
		return SIGNAL_RECEIVER_NO_RESOURCES;
	}
	receiver->wakeup_handle = (int)handle;
	return SIGNAL_RECEIVER_OK;
}

/* forget a managed context: the caller holds the lock */
static void signal_receiver_release(struct signal_receiver *receiver,
                                    struct signal_context *context)
{
	struct linux_epoll_event unused = { 0, 0 };
	linux_syscall4(SYS_epoll_ctl, receiver->event_handle, LINUX_EPOLL_CTL_DEL, context->handle,
	               (long)&unused);
	signal_close(context->handle);
	if (fifo_contains(&receiver->ready, &context->ready)) {
		enum fifo_remove_result removed = fifo_remove(&receiver->ready, &context->ready);
		ASSERT(removed == FIFO_REMOVE_OK);
	}
	struct signal_slot *slot = &receiver->slots[context->slot];
	slot->context = 0;
	slot->generation++;
	slot->next_free = receiver->free_slots;
	receiver->free_slots = (int32_t)context->slot;

	__atomic_store_n(&context->receiver, 0, __ATOMIC_RELEASE);
	context->handle = -1;
	context->pending = 0;
}

void signal_receiver_destroy(struct signal_receiver *receiver)
{
	ASSERT(__atomic_load_n(&receiver->busy, __ATOMIC_ACQUIRE) == 0);
	{
		LOCK_GUARD(&receiver->lock);
		for (uint32_t i = 0; i < receiver->slot_count; i++)
			if (receiver->slots[i].context)
				signal_receiver_release(receiver, receiver->slots[i].context);
	}
	signal_close(receiver->wakeup_handle);
	signal_close(receiver->event_handle);
	receiver->wakeup_handle = receiver->event_handle = -1;
}

struct signal_context_cap_result signal_receiver_manage(struct signal_receiver *receiver,
                                                        struct signal_context *context)
{
	struct signal_context_cap_result r = { SIGNAL_RECEIVER_NO_RESOURCES,
		                                   CAP_INVALID(signal_context) };
	if (__atomic_load_n(&context->receiver, __ATOMIC_ACQUIRE))
		panic("signal: context managed twice");

	/* the receiver's reference, and a second one for the caller to hand out */
	long handle = linux_syscall2(SYS_eventfd2, 0, LINUX_EFD_CLOEXEC | LINUX_EFD_NONBLOCK);
	if (handle < 0) return r;
	long cap = linux_syscall3(SYS_fcntl, handle, LINUX_F_DUPFD_CLOEXEC, 0);
	if (cap < 0) {
		signal_close((int)handle);
		return r;
	}

	LOCK_GUARD(&receiver->lock);
	int32_t slot = receiver->free_slots;
	struct linux_epoll_event event = { LINUX_EPOLLIN, 0 };
	if (slot != SIGNAL_NO_SLOT) event.data = signal_event_data(receiver, (uint32_t)slot);
	if (slot == SIGNAL_NO_SLOT ||
	    linux_syscall4(SYS_epoll_ctl, receiver->event_handle, LINUX_EPOLL_CTL_ADD, handle,
	                   (long)&event) < 0) {
		signal_close((int)cap);
		signal_close((int)handle);
		return r;
	}
	receiver->free_slots = receiver->slots[slot].next_free;
	receiver->slots[slot].context = context;
	context->handle = (int)handle;
	context->slot = (uint32_t)slot;
	context->pending = 0;
	fifo_element_init(&context->ready);
	__atomic_store_n(&context->receiver, receiver, __ATOMIC_RELEASE);

	r.result = SIGNAL_RECEIVER_OK;
	r.cap.cap = (struct cap){ (int)cap };
	return r;
}

enum signal_receiver_result signal_receiver_dissolve(struct signal_receiver *receiver,
                                                     struct signal_context *context)
{
	LOCK_GUARD(&receiver->lock);
	if (context->receiver != receiver) return SIGNAL_RECEIVER_NOT_MANAGED;
	signal_receiver_release(receiver, context);
	return SIGNAL_RECEIVER_OK;
}

/* the wake function of a blocker: make the epoll set ready */
static void signal_receiver_wake(void *argument)
{
	struct signal_receiver *receiver = argument;
	uint64_t one = 1;
	linux_syscall3(SYS_write, receiver->wakeup_handle, (long)&one, sizeof(one));
}

/* count what the kernel reported into the contexts: the caller holds the lock */
static void signal_receiver_collect(struct signal_receiver *receiver,
                                    struct linux_epoll_event const *events, long count)
{
	for (long i = 0; i < count; i++) {
		uint64_t data = events[i].data;
		uint64_t value = 0;
		if (data == signal_wakeup_event) {
			linux_syscall3(SYS_read, receiver->wakeup_handle, (long)&value, sizeof(value));
			continue;
		}
		uint32_t index = (uint32_t)(data >> 32);
		if (index >= receiver->slot_count) continue;
		struct signal_slot *slot = &receiver->slots[index];
		if (!slot->context || slot->generation != (uint32_t)data) continue; /* dissolved */

		struct signal_context *context = slot->context;
		if (linux_syscall3(SYS_read, context->handle, (long)&value, sizeof(value)) !=
		        sizeof(value) ||
		    value == 0)
			continue; /* read by an earlier batch already */
		context->pending =
		    context->pending > UINT64_MAX - value ? UINT64_MAX : context->pending + value;
		if (!fifo_element_queued(&context->ready))
			fifo_enqueue(&receiver->ready, &context->ready);
	}
}

/* the head of the FIFO as a signal, or SIGNAL_NONE: the caller holds the lock */
static struct signal signal_receiver_take(struct signal_receiver *receiver)
{
	struct signal_context *context =
	    FIFO_CONTAINER(fifo_dequeue(&receiver->ready), struct signal_context, ready);
	if (!context) return (struct signal){ SIGNAL_NONE, 0, 0, 0 };
	struct signal signal = { SIGNAL_OK, context, context->imprint, context->pending };
	context->pending = 0;
	return signal;
}

/* one thread at a time takes signals from a receiver: a second one is a bug */
static void signal_receiver_enter(struct signal_receiver *receiver)
{
	if (__atomic_exchange_n(&receiver->busy, 1, __ATOMIC_ACQUIRE))
		panic("signal: two threads wait on one receiver");
}

static void signal_receiver_leave(struct signal_receiver *receiver)
{
	__atomic_store_n(&receiver->busy, 0, __ATOMIC_RELEASE);
}

/*
 * Deliver the next signal. `blocking`: sleep until one comes, else look
 * once. `blocker`: cancels the sleep (NULL: not cancellable).
 */
static struct signal signal_receiver_next(struct signal_receiver *receiver, bool blocking,
                                          struct blocker *blocker)
{
	struct signal const cancelled = { SIGNAL_CANCELLED, 0, 0, 0 };
	struct signal signal = cancelled;
	signal_receiver_enter(receiver);
	if (blocker && !blocker_enter(blocker, signal_receiver_wake, receiver)) {
		signal_receiver_leave(receiver);
		return signal;
	}

	for (bool looked = false;;) {
		/*
		 * Cancellation first, so that a cancelled wait returns CANCELLED
		 * even when signals are pending. A cancel after this check has
		 * written the wakeup eventfd, so epoll_wait below returns at once.
		 */
		if (blocker && blocker_cancelled(blocker)) {
			signal = cancelled;
			break;
		}
		{
			LOCK_GUARD(&receiver->lock);
			signal = signal_receiver_take(receiver);
		}
		if (signal.result == SIGNAL_OK || (!blocking && looked)) break;

		struct linux_epoll_event events[SIGNAL_EVENTS_MAX];
		long count =
		    linux_syscall_blocking(SYS_epoll_wait, receiver->event_handle, (long)events,
		                           SIGNAL_EVENTS_MAX, blocking ? -1 : 0, 0, 0);
		if (count == -LINUX_EINTR) continue;
		if (count < 0) panic("signal: epoll_wait failed (%ld)", count);
		looked = true;
		LOCK_GUARD(&receiver->lock);
		signal_receiver_collect(receiver, events, count);
	}

	if (blocker) blocker_leave(blocker);
	signal_receiver_leave(receiver);
	return signal;
}

struct signal signal_receiver_wait(struct signal_receiver *receiver)
{
	return signal_receiver_next(receiver, true, 0);
}

struct signal signal_receiver_wait_cancellable(struct signal_receiver *receiver,
                                               struct blocker *blocker)
{
	ASSERT(blocker != 0);
	return signal_receiver_next(receiver, true, blocker);
}

struct signal signal_receiver_poll(struct signal_receiver *receiver)
{
	return signal_receiver_next(receiver, false, 0);
}

struct signal signal_receiver_poll_taken(struct signal_receiver *receiver)
{
	signal_receiver_enter(receiver);
	struct signal signal;
	{
		LOCK_GUARD(&receiver->lock);
		signal = signal_receiver_take(receiver);
	}
	signal_receiver_leave(receiver);
	return signal;
}

/* whether `cap` may be written to: pipes, sockets, files and devices may not (see above) */
static bool signal_context_cap_writable(struct signal_context_cap cap)
{
	if (!cap_valid(cap.cap)) return false;
	struct linux_stat status;
	return linux_syscall2(SYS_fstat, cap.cap.handle, (long)&status) == 0 &&
	       (status.mode & SIGNAL_MODE_TYPE_MASK) == 0;
}

/* add `count` to the counter of a checked capability */
static enum signal_submit_result signal_write(struct signal_context_cap cap, unsigned count)
{
	if (count == 0) return SIGNAL_SUBMIT_OK;
	uint64_t value = count;
	long ret;
	do {
		ret = linux_syscall3(SYS_write, cap.cap.handle, (long)&value, sizeof(value));
	} while (ret == -LINUX_EINTR);
	if (ret == sizeof(value)) return SIGNAL_SUBMIT_OK;
	if (ret == -LINUX_EAGAIN) return SIGNAL_SUBMIT_OVERFLOW;
	return SIGNAL_SUBMIT_INVALID_CAP; /* EINVAL of epoll, timerfd, ...; EBADF of a read-only
	                                     handle */
}

enum signal_submit_result signal_submit(struct signal_context_cap cap, unsigned count)
{
	if (!signal_context_cap_writable(cap)) return SIGNAL_SUBMIT_INVALID_CAP;
	return signal_write(cap, count);
}

enum signal_submit_result signal_transmitter_init(struct signal_transmitter *transmitter,
                                                  struct signal_context_cap cap)
{
	transmitter->cap = cap;
	transmitter->checked = signal_context_cap_writable(cap);
	return transmitter->checked ? SIGNAL_SUBMIT_OK : SIGNAL_SUBMIT_INVALID_CAP;
}

enum signal_submit_result
signal_transmitter_submit(struct signal_transmitter const *transmitter, unsigned count)
{
	if (!transmitter->checked) return SIGNAL_SUBMIT_INVALID_CAP;
	return signal_write(transmitter->cap, count);
}

void signal_transmitter_destroy(struct signal_transmitter *transmitter)
{
	cap_close(transmitter->cap.cap);
	*transmitter = SIGNAL_TRANSMITTER_INVALID;
}
