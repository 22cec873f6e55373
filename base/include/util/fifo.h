/* SPDX-License-Identifier: MIT */
/**
 * \brief intrusive FIFO queue, made for wait queues
 *
 * An object that waits in a queue embeds a `struct fifo_element`;
 * FIFO_CONTAINER() gets back from the element to the object. Elements are
 * doubly linked and each records the queue it is in, so that a waiter that
 * gives up can leave in O(1), and removing an element that is not (or no
 * longer) in the queue is detected instead of corrupting it: a waker may have
 * dequeued it first.
 *
 * The queue allocates nothing and owns nothing: the caller keeps each object
 * alive while it is queued. An element must be zero-initialized or passed to
 * fifo_element_init() before its first enqueue. No locking: a queue shared
 * between threads is protected by its owner's lock.
 *
 * Cost: every operation is O(1), except the for-each loops (O(n)).
 */

#ifndef _UTIL_FIFO_H_
#define _UTIL_FIFO_H_

#include <stdbool.h>
#include <stddef.h>

struct fifo;

struct fifo_element
{
	struct fifo_element *next; /* toward the tail, NULL at the tail */
	struct fifo_element *prev; /* toward the head, NULL at the head */
	struct fifo *fifo;         /* the queue it is in, NULL when in none */
};

struct fifo
{
	struct fifo_element *head; /* dequeued next; NULL when empty */
	struct fifo_element *tail; /* enqueued last; NULL when empty */
};

/**
 * The object of type `type` whose member `member` is the element `element`,
 * or NULL when `element` is NULL. `element` must be a `struct fifo_element *`.
 */
#define FIFO_CONTAINER(element, type, member)                                    \
	({                                                                           \
		struct fifo_element *fifo_container_element_ = (element);                \
		fifo_container_element_                                                  \
		    ? (type *)((char *)fifo_container_element_ - offsetof(type, member)) \
		    : (type *)NULL;                                                      \
	})

/**
 * Iterate `iterator` (a `struct fifo_element *` variable of the caller) from
 * head to tail. The body must not remove `iterator`; use FIFO_FOR_EACH_SAFE
 * for that. O(n)
 */
#define FIFO_FOR_EACH(iterator, fifo) \
	for ((iterator) = (fifo)->head; (iterator); (iterator) = (iterator)->next)

/**
 * Like FIFO_FOR_EACH, but the body may remove or dequeue `iterator` (and even
 * enqueue it again: it is then visited once more at the tail); `next_` (a
 * second `struct fifo_element *` variable) holds the successor, which the
 * body must not remove.
 */
#define FIFO_FOR_EACH_SAFE(iterator, next_, fifo)                                   \
	for ((iterator) = (fifo)->head, (next_) = (iterator) ? (iterator)->next : NULL; \
	     (iterator); (iterator) = (next_), (next_) = (iterator) ? (iterator)->next : NULL)

/** results of fifo_remove */
enum fifo_remove_result {
	FIFO_REMOVE_OK = 0,     /* the element was in the queue and is removed */
	FIFO_REMOVE_NOT_QUEUED, /* it was not in this queue: nothing changed */
};

/** Make `fifo` empty. Elements it held are forgotten, not touched. O(1) */
static inline void fifo_init(struct fifo *fifo)
{
	fifo->head = NULL;
	fifo->tail = NULL;
}

/** Prepare `element` for its first enqueue (same as zeroing it). O(1) */
static inline void fifo_element_init(struct fifo_element *element)
{
	element->next = NULL;
	element->prev = NULL;
	element->fifo = NULL;
}

/** Whether `fifo` is empty. O(1) */
static inline bool fifo_empty(struct fifo const *fifo) { return fifo->head == NULL; }

/** The element that fifo_dequeue() would return, NULL when empty. O(1) */
static inline struct fifo_element *fifo_head(struct fifo const *fifo) { return fifo->head; }

/** Whether `element` is in `fifo` right now. O(1) */
static inline bool fifo_contains(struct fifo const *fifo, struct fifo_element const *element)
{
	return element->fifo == fifo;
}

/** Whether `element` is in any queue right now. O(1) */
static inline bool fifo_element_queued(struct fifo_element const *element)
{
	return element->fifo != NULL;
}

/**
 * Append `element` at the tail of `fifo`. O(1)
 *
 * \param element  initialized and in no queue; enqueuing an element that is
 *                 queued already (here or elsewhere) is a bug and panics.
 *                 The caller keeps it alive until it leaves the queue.
 */
void fifo_enqueue(struct fifo *fifo, struct fifo_element *element);

/**
 * Take the head element out of `fifo`. O(1)
 *
 * \return the former head, now in no queue; NULL when `fifo` was empty
 */
struct fifo_element *fifo_dequeue(struct fifo *fifo);

/**
 * Take `element` out of `fifo`, wherever it is in the queue. O(1)
 *
 * \return FIFO_REMOVE_OK          it was in `fifo` and is in no queue now
 *         FIFO_REMOVE_NOT_QUEUED  it was not in `fifo` (in no queue, or in
 *                                 another one): nothing changed
 */
enum fifo_remove_result fifo_remove(struct fifo *fifo, struct fifo_element *element)
    __attribute__((warn_unused_result));

#endif /* _UTIL_FIFO_H_ */
