/* SPDX-License-Identifier: MIT */
/**
 * \brief signals: asynchronous, counted, payload-free notifications
 *
 * A receiver serves many signal contexts, one per source that it wants to
 * tell apart. Managing a context yields its capability (`struct
 * signal_context_cap`), which travels to transmitters like any other
 * capability, e.g. as an IN_CAP of type signal_context of an RPC interface.
 * A transmitter submits with signal_submit(): fire and forget, it never
 * blocks. One that keeps a capability to submit to it often holds it in a
 * `struct signal_transmitter`, which checks the capability once, when it
 * takes it, instead of at every submit. The receiver's thread waits for
 * the next signal or polls; a signal names its context and counts the
 * submits since the context's previous signal. Counting is exact: N
 * submits (of count 1) from any number of threads and components arrive
 * as a total count of N, coalesced per context, never lost, never
 * duplicated. Dissolving a context makes later submits harmless: they
 * succeed and go nowhere.
 *
 * Threads: submit, manage and dissolve from any thread. Wait and poll from
 * one thread at a time per receiver (two at once is a bug and panics); a
 * wait can be cancelled from another thread with a blocker (<base/blocker.h>).
 * Fairness: contexts are delivered in the order they became pending, and a
 * delivered context queues up behind those pending already, so a busy
 * context cannot starve the others.
 *
 * How a platform implements them: base/src/platform/<platform>/signal.c.
 */

#ifndef _BASE_SIGNAL_H_
#define _BASE_SIGNAL_H_

#include <stdbool.h>
#include <stdint.h>

#include <base/blocker.h>
#include <base/capability.h>
#include <base/lock.h>
#include <util/fifo.h>

struct signal_receiver;

/** `struct signal_context_cap`: the capability to submit signals to a context */
CAP_TYPE(signal_context);

/** a source of signals, embedded in the receiving component's own object */
struct signal_context
{
	void *imprint; /* the owner's value that tells this context apart */

	/* owned by the receiver */
	struct signal_receiver *receiver; /* managing receiver, NULL when unmanaged */
	int handle;                       /* the receiver's reference to the counter */
	uint32_t slot;                    /* index in the receiver's slots */
	uint64_t pending;                 /* counted, not delivered yet */
	struct fifo_element ready;        /* in the receiver's FIFO while pending */
};

/** one managed context of a receiver: storage is the caller's (see init) */
struct signal_slot
{
	struct signal_context *context; /* NULL when free */
	uint32_t generation;            /* changes when the slot is freed */
	int32_t next_free;
};

struct signal_receiver
{
	int event_handle;  /* the platform's wait set */
	int wakeup_handle; /* wakes a blocked wait (cancellation) */
	struct lock lock;  /* guards slots, contexts and the FIFO */
	struct signal_slot *slots;
	uint32_t slot_count;
	int32_t free_slots;
	struct fifo ready; /* pending contexts, delivered from the head */
	int busy;          /* a wait or poll is running */
};

/** results of receiver setup, manage and dissolve */
enum signal_receiver_result {
	SIGNAL_RECEIVER_OK = 0,
	SIGNAL_RECEIVER_NO_RESOURCES, /* every slot is in use, or out of platform handles */
	SIGNAL_RECEIVER_NOT_MANAGED,  /* the context is not managed by this receiver */
};

struct signal_context_cap_result
{
	enum signal_receiver_result result;
	struct signal_context_cap cap; /* invalid unless SIGNAL_RECEIVER_OK */
};

/** results of wait and poll */
enum signal_result {
	SIGNAL_OK = 0,    /* a signal: context, imprint and count are set */
	SIGNAL_NONE,      /* poll only: nothing is pending */
	SIGNAL_CANCELLED, /* the wait's blocker was cancelled; nothing was consumed */
};

/** what a wait or poll returns */
struct signal
{
	enum signal_result result;
	struct signal_context *context; /* the signalled context, NULL unless SIGNAL_OK */
	void *imprint;                  /* the context's imprint when it was delivered */
	uint64_t count;                 /* submits (summed counts) since its last signal, >= 1 */
};

/** results of signal_submit */
enum signal_submit_result {
	SIGNAL_SUBMIT_OK = 0,      /* counted (or dropped, when the context is dissolved) */
	SIGNAL_SUBMIT_INVALID_CAP, /* invalid or closed handle, or not a signal context */
	SIGNAL_SUBMIT_OVERFLOW,    /* the context's counter is full; nothing counted */
};

/**
 * Prepare a context before its first manage.
 *
 * \param imprint  the owner's value, returned with every signal of the context
 */
void signal_context_init(struct signal_context *context, void *imprint);

/**
 * Set up a receiver.
 *
 * \param slots  one record per context that may be managed at the same
 *               time; owned by the caller, must outlive the receiver
 * \param count  number of slots (at least 1, below 2^31)
 * \return SIGNAL_RECEIVER_OK, or SIGNAL_RECEIVER_NO_RESOURCES when the
 *         platform handles ran out (nothing to destroy then)
 */
enum signal_receiver_result signal_receiver_init(struct signal_receiver *receiver,
                                                 struct signal_slot *slots, uint32_t count)
    __attribute__((warn_unused_result));

/**
 * Dissolve every context and release the receiver's handles. No wait or
 * poll may be running. Capabilities handed out stay valid handles whose
 * submits go nowhere.
 */
void signal_receiver_destroy(struct signal_receiver *receiver);

/**
 * Start receiving signals for `context`.
 *
 * \param context  initialized (signal_context_init) and not managed; managing
 *                 a managed context is a bug. The caller keeps it alive
 *                 until it is dissolved.
 * \return the context's first capability, owned by the caller: hand it to
 *         transmitters, or cap_close() it; cap_copy() makes more. Or
 *         SIGNAL_RECEIVER_NO_RESOURCES with an invalid capability (nothing
 *         changed).
 */
struct signal_context_cap_result signal_receiver_manage(struct signal_receiver *receiver,
                                                        struct signal_context *context)
    __attribute__((warn_unused_result));

/**
 * Stop receiving signals for `context`. Pending counts are discarded, and
 * later submits on its capabilities succeed without effect. Afterwards the
 * context is the caller's again (it may be managed anew; its old
 * capabilities stay dead). Callable from any thread, also while another
 * thread waits.
 *
 * \return SIGNAL_RECEIVER_OK, or SIGNAL_RECEIVER_NOT_MANAGED when the
 *         context is not managed by this receiver (nothing changed)
 *
 * Not warn_unused_result: teardown paths dissolve unconditionally, and
 * NOT_MANAGED there only says that it was done already.
 */
enum signal_receiver_result signal_receiver_dissolve(struct signal_receiver *receiver,
                                                     struct signal_context *context);

/**
 * Block until a context is signalled, and return its signal.
 *
 * \return SIGNAL_OK with the context, its imprint and count; the count is
 *         reset, later submits make a new signal
 */
struct signal signal_receiver_wait(struct signal_receiver *receiver)
    __attribute__((warn_unused_result));

/**
 * Like signal_receiver_wait(), but `blocker` cancels it.
 *
 * \return SIGNAL_OK, or SIGNAL_CANCELLED when the blocker is cancelled
 *         (before or during the wait; checked first). Pending signals stay
 *         pending for the next wait.
 */
struct signal signal_receiver_wait_cancellable(struct signal_receiver *receiver,
                                               struct blocker *blocker)
    __attribute__((warn_unused_result));

/**
 * Return the next signal if one is pending, without blocking.
 *
 * \return SIGNAL_OK as for a wait, or SIGNAL_NONE
 */
struct signal signal_receiver_poll(struct signal_receiver *receiver)
    __attribute__((warn_unused_result));

/**
 * Return the next signal that the receiver took in already, without looking
 * for new ones and without blocking: a wait or poll whose queue of taken-in
 * signals is empty takes in every context that is pending at the platform
 * then (on the hosted platform up to 16 at once) and delivers one; this
 * delivers the others, with no system call. (A wait or poll that finds the
 * queue not empty delivers its next and does not look at the platform.)
 * Signals submitted after that look stay pending for the next wait or poll,
 * which finds them at once. Same threading rules as a poll.
 *
 * So "a wait or poll, then poll_taken until SIGNAL_NONE" takes everything the
 * look found with one look, where "poll until SIGNAL_NONE" looks once more
 * for nothing.
 *
 * \return SIGNAL_OK as for a wait, or SIGNAL_NONE when the receiver holds
 *         no pending context (the platform may hold some)
 */
struct signal signal_receiver_poll_taken(struct signal_receiver *receiver)
    __attribute__((warn_unused_result));

/**
 * Submit `count` signals to the context that `cap` names: fire and forget,
 * never blocks. A count of 0 checks the capability and counts nothing.
 *
 * \return SIGNAL_SUBMIT_OK           counted, or dropped because the context
 *                                    was dissolved (the transmitter cannot
 *                                    tell, by design)
 *         SIGNAL_SUBMIT_INVALID_CAP  invalid or closed handle, or one that is
 *                                    no signal context (see the hosted
 *                                    limitation above); nothing written
 *         SIGNAL_SUBMIT_OVERFLOW     the counter cannot take `count` more
 *                                    before the receiver reads it
 *
 * Not warn_unused_result: most transmitters have nothing to do about a
 * failed notification, and GCC does not let a (void) cast silence it.
 */
enum signal_submit_result signal_submit(struct signal_context_cap cap, unsigned count);

/**
 * A capability to submit to, checked once: signal_transmitter_init() asks
 * the platform whether it names a signal context (on the hosted platform
 * the fstat of signal_submit), and signal_transmitter_submit() then only
 * submits (one system call instead of two). A capability that failed the
 * check is kept but never submitted to: a pipe or socket handed out as a
 * signal context is never written to, as with signal_submit(). The check
 * stays true while the capability is open, and the transmitter owns it, so
 * nobody else closes it. Fields are private to signal.c.
 */
struct signal_transmitter
{
	struct signal_context_cap cap; /* owned; may be invalid */
	bool checked;                  /* cap names a signal context: submits go through */
};

/** a transmitter that holds nothing: its submits return SIGNAL_SUBMIT_INVALID_CAP */
#define SIGNAL_TRANSMITTER_INVALID \
	((struct signal_transmitter){ { { CAP_INVALID_HANDLE } }, false })

/**
 * Take `cap` into `transmitter` and check it once. The transmitter's
 * previous capability is not closed: use signal_transmitter_destroy first.
 *
 * \param cap  moves into the transmitter on every result (an invalid one
 *             too): it is closed by signal_transmitter_destroy
 * \return SIGNAL_SUBMIT_OK           it names a signal context: submits go
 *                                    through from now on
 *         SIGNAL_SUBMIT_INVALID_CAP  invalid or closed, or no signal
 *                                    context: every submit returns
 *                                    SIGNAL_SUBMIT_INVALID_CAP and writes
 *                                    nothing
 *
 * Not warn_unused_result: a holder that has nothing to do about a refused
 * capability (its submits simply go nowhere) may ignore it.
 */
enum signal_submit_result signal_transmitter_init(struct signal_transmitter *transmitter,
                                                  struct signal_context_cap cap);

/**
 * Submit `count` signals like signal_submit(), without checking the
 * capability again. Callable from any thread, also at once from several.
 *
 * \return as signal_submit(); SIGNAL_SUBMIT_INVALID_CAP without writing
 *         when init refused the capability
 */
enum signal_submit_result
signal_transmitter_submit(struct signal_transmitter const *transmitter, unsigned count);

/**
 * Close the transmitter's capability; afterwards it holds nothing
 * (SIGNAL_TRANSMITTER_INVALID) and may be initialized anew. No submit may
 * run meanwhile.
 */
void signal_transmitter_destroy(struct signal_transmitter *transmitter);

#endif /* _BASE_SIGNAL_H_ */
