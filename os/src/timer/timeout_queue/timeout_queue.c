/* SPDX-License-Identifier: MIT */
/** \brief the timer's deadline logic: timeouts ordered by deadline (timeout_queue.h) */

#include <base/panic.h>

#include "timeout_queue.h"

/* by deadline, then by sequence: a total order, as the tree requires */
static int timeout_compare(struct avl_node const *a, struct avl_node const *b, void *context)
{
	(void)context;
	struct timeout const *x = AVL_CONTAINER(a, struct timeout const, node);
	struct timeout const *y = AVL_CONTAINER(b, struct timeout const, node);
	if (x->deadline != y->deadline) return x->deadline < y->deadline ? -1 : 1;
	if (x->sequence != y->sequence) return x->sequence < y->sequence ? -1 : 1;
	return 0;
}

void timeout_queue_init(struct timeout_queue *queue)
{
	avl_tree_init(&queue->tree, timeout_compare, 0);
	queue->sequence = 0;
}

void timeout_init(struct timeout *timeout)
{
	timeout->deadline = 0;
	timeout->period = 0;
	timeout->sequence = 0;
	timeout->scheduled = false;
}

bool timeout_scheduled(struct timeout const *timeout) { return timeout->scheduled; }

/* put an unscheduled timeout into the tree at `deadline`, behind its equals */
static void timeout_queue_insert(struct timeout_queue *queue, struct timeout *timeout,
                                 uint64_t deadline)
{
	timeout->deadline = deadline;
	/* 2^64 schedules do not happen: the sequence keeps the order total */
	timeout->sequence = queue->sequence++;
	if (avl_tree_insert(&queue->tree, &timeout->node) != AVL_INSERT_OK)
		panic("timeout queue: a timeout equal to a new one");
	timeout->scheduled = true;
}

void timeout_queue_cancel(struct timeout_queue *queue, struct timeout *timeout)
{
	if (!timeout->scheduled) return;
	avl_tree_remove(&queue->tree, &timeout->node);
	timeout->scheduled = false;
}

void timeout_queue_schedule(struct timeout_queue *queue, struct timeout *timeout,
                            uint64_t deadline, uint64_t period)
{
	uint64_t next;
	ASSERT(!__builtin_add_overflow(deadline, period, &next));
	timeout_queue_cancel(queue, timeout);
	timeout->period = period;
	timeout_queue_insert(queue, timeout, deadline);
}

struct timeout *timeout_queue_first(struct timeout_queue const *queue)
{
	return AVL_CONTAINER(avl_tree_first(&queue->tree), struct timeout, node);
}

struct timeout_next timeout_queue_next(struct timeout_queue const *queue)
{
	struct timeout const *first = timeout_queue_first(queue);
	if (!first) return (struct timeout_next){ false, 0 };
	return (struct timeout_next){ true, first->deadline };
}

struct timeout_expiry timeout_queue_expire(struct timeout_queue *queue, uint64_t now)
{
	struct timeout *timeout = timeout_queue_first(queue);
	if (!timeout || timeout->deadline > now) return (struct timeout_expiry){ 0, 0 };

	avl_tree_remove(&queue->tree, &timeout->node);
	timeout->scheduled = false;
	if (timeout->period == 0) return (struct timeout_expiry){ timeout, 1 };

	/* the periods that passed: deadline + k * period <= now for k = 0 .. count - 1 */
	uint64_t count = (now - timeout->deadline) / timeout->period + 1;
	uint64_t advance, next;
	if (!__builtin_mul_overflow(count, timeout->period, &advance) &&
	    !__builtin_add_overflow(timeout->deadline, advance, &next))
		timeout_queue_insert(queue, timeout, next);
	return (struct timeout_expiry){ timeout, count };
}
