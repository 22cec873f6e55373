/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/fifo: order, removal anywhere, re-enqueue, misuse */

#include <util/fifo.h>

#include "unit_test.h"

struct waiter
{
	int id;
	struct fifo_element element;
};

enum { WAITERS = 6 };

static void waiters_init(struct waiter *waiters, int n)
{
	for (int i = 0; i < n; i++) {
		waiters[i].id = i;
		fifo_element_init(&waiters[i].element);
	}
}

static int id_of(struct fifo_element *element)
{
	return FIFO_CONTAINER(element, struct waiter, element)->id;
}

/* the expectation of an empty queue or list: no values */
static int const nothing[1] = { 0 };

/* check that `fifo` holds exactly `expected[0..n-1]`, head first, both ways */
static void check_order(struct fifo const *fifo, int const *expected, int n)
{
	int i = 0;
	struct fifo_element *e;
	FIFO_FOR_EACH(e, fifo)
	{
		CHECK(i < n);
		CHECK_EQ(id_of(e), expected[i]);
		CHECK(fifo_contains(fifo, e));
		i++;
	}
	CHECK_EQ(i, n);
	/* the backward links agree with the forward ones */
	for (e = fifo->tail; e; e = e->prev) {
		i--;
		CHECK(i >= 0);
		CHECK_EQ(id_of(e), expected[i]);
	}
	CHECK_EQ(i, 0);
	CHECK_EQ(fifo_empty(fifo), n == 0);
	CHECK_EQ(fifo->head == NULL, fifo->tail == NULL);
}

static void enqueue_all(struct fifo *fifo, struct waiter *waiters, int n)
{
	fifo_init(fifo);
	for (int i = 0; i < n; i++) fifo_enqueue(fifo, &waiters[i].element);
}

TEST(empty_fifo)
{
	struct fifo fifo;
	fifo_init(&fifo);
	CHECK(fifo_empty(&fifo));
	CHECK(fifo_head(&fifo) == NULL);
	CHECK(fifo_dequeue(&fifo) == NULL);
	CHECK(FIFO_CONTAINER(fifo_head(&fifo), struct waiter, element) == NULL);
	check_order(&fifo, nothing, 0);
}

TEST(dequeue_in_enqueue_order)
{
	struct waiter waiters[WAITERS];
	struct fifo fifo;
	waiters_init(waiters, WAITERS);
	enqueue_all(&fifo, waiters, WAITERS);
	int const expected[WAITERS] = { 0, 1, 2, 3, 4, 5 };
	check_order(&fifo, expected, WAITERS);
	for (int i = 0; i < WAITERS; i++) {
		CHECK(fifo_head(&fifo) == &waiters[i].element);
		struct fifo_element *e = fifo_dequeue(&fifo);
		CHECK(e == &waiters[i].element);
		CHECK(!fifo_element_queued(e));
		CHECK(!fifo_contains(&fifo, e));
	}
	CHECK(fifo_empty(&fifo));
	CHECK(fifo_dequeue(&fifo) == NULL);
}

TEST(zeroed_element_can_be_enqueued)
{
	struct waiter waiter = { 0 };
	struct fifo fifo;
	fifo_init(&fifo);
	fifo_enqueue(&fifo, &waiter.element);
	CHECK(fifo_contains(&fifo, &waiter.element));
	CHECK(fifo_dequeue(&fifo) == &waiter.element);
}

TEST(remove_head_middle_tail)
{
	struct waiter waiters[WAITERS];
	struct fifo fifo;
	waiters_init(waiters, WAITERS);
	enqueue_all(&fifo, waiters, WAITERS);

	CHECK_EQ(fifo_remove(&fifo, &waiters[0].element), FIFO_REMOVE_OK);
	int const after_head[] = { 1, 2, 3, 4, 5 };
	check_order(&fifo, after_head, 5);

	CHECK_EQ(fifo_remove(&fifo, &waiters[5].element), FIFO_REMOVE_OK);
	int const after_tail[] = { 1, 2, 3, 4 };
	check_order(&fifo, after_tail, 4);

	CHECK_EQ(fifo_remove(&fifo, &waiters[2].element), FIFO_REMOVE_OK);
	int const after_middle[] = { 1, 3, 4 };
	check_order(&fifo, after_middle, 3);

	for (int i = 0; i < WAITERS; i++) {
		bool removed = i == 0 || i == 2 || i == 5;
		CHECK_EQ(fifo_element_queued(&waiters[i].element), !removed);
	}
}

TEST(remove_only_element_empties_fifo)
{
	struct waiter waiter;
	struct fifo fifo;
	waiters_init(&waiter, 1);
	enqueue_all(&fifo, &waiter, 1);
	CHECK_EQ(fifo_remove(&fifo, &waiter.element), FIFO_REMOVE_OK);
	check_order(&fifo, nothing, 0);
	/* enqueue works again on the emptied queue */
	fifo_enqueue(&fifo, &waiter.element);
	int const expected[] = { 0 };
	check_order(&fifo, expected, 1);
}

TEST(remove_not_queued_changes_nothing)
{
	struct waiter waiters[WAITERS];
	struct fifo fifo, other;
	waiters_init(waiters, WAITERS);
	enqueue_all(&fifo, waiters, 3);
	fifo_init(&other);
	fifo_enqueue(&other, &waiters[3].element);

	/* never queued */
	CHECK_EQ(fifo_remove(&fifo, &waiters[4].element), FIFO_REMOVE_NOT_QUEUED);
	/* queued, but in another queue: stays there */
	CHECK_EQ(fifo_remove(&fifo, &waiters[3].element), FIFO_REMOVE_NOT_QUEUED);
	CHECK(fifo_contains(&other, &waiters[3].element));
	/* removed from an empty queue */
	struct fifo empty;
	fifo_init(&empty);
	CHECK_EQ(fifo_remove(&empty, &waiters[0].element), FIFO_REMOVE_NOT_QUEUED);

	int const expected[] = { 0, 1, 2 };
	check_order(&fifo, expected, 3);
	int const expected_other[] = { 3 };
	check_order(&other, expected_other, 1);
	CHECK(fifo_empty(&empty));
}

TEST(waiter_gives_up_after_waker_dequeued_it)
{
	struct waiter waiters[2];
	struct fifo fifo;
	waiters_init(waiters, 2);
	enqueue_all(&fifo, waiters, 2);
	/* the waker takes the head; the waiter's own timeout then tries to leave */
	CHECK(fifo_dequeue(&fifo) == &waiters[0].element);
	CHECK_EQ(fifo_remove(&fifo, &waiters[0].element), FIFO_REMOVE_NOT_QUEUED);
	int const expected[] = { 1 };
	check_order(&fifo, expected, 1);
}

TEST(removed_element_reenqueues_at_tail)
{
	struct waiter waiters[4];
	struct fifo fifo;
	waiters_init(waiters, 4);
	enqueue_all(&fifo, waiters, 4);
	CHECK_EQ(fifo_remove(&fifo, &waiters[1].element), FIFO_REMOVE_OK);
	fifo_enqueue(&fifo, &waiters[1].element);
	int const expected[] = { 0, 2, 3, 1 };
	check_order(&fifo, expected, 4);
	CHECK(fifo_dequeue(&fifo) == &waiters[0].element);
	fifo_enqueue(&fifo, &waiters[0].element);
	int const again[] = { 2, 3, 1, 0 };
	check_order(&fifo, again, 4);
	/* and it can move to another queue once out of this one */
	struct fifo other;
	fifo_init(&other);
	CHECK_EQ(fifo_remove(&fifo, &waiters[3].element), FIFO_REMOVE_OK);
	fifo_enqueue(&other, &waiters[3].element);
	int const rest[] = { 2, 1, 0 };
	check_order(&fifo, rest, 3);
	int const moved[] = { 3 };
	check_order(&other, moved, 1);
}

TEST(for_each_safe_removes_while_iterating)
{
	struct waiter waiters[WAITERS];
	struct fifo fifo;
	waiters_init(waiters, WAITERS);
	enqueue_all(&fifo, waiters, WAITERS);
	struct fifo_element *e, *next;
	int visited = 0;
	FIFO_FOR_EACH_SAFE(e, next, &fifo)
	{
		visited++;
		if (id_of(e) % 3 != 1) CHECK_EQ(fifo_remove(&fifo, e), FIFO_REMOVE_OK);
	}
	CHECK_EQ(visited, WAITERS);
	int const expected[] = { 1, 4 };
	check_order(&fifo, expected, 2);
}

TEST(for_each_on_empty_fifo_runs_no_body)
{
	struct fifo fifo;
	fifo_init(&fifo);
	struct fifo_element *e, *next;
	FIFO_FOR_EACH(e, &fifo) CHECK(false);
	FIFO_FOR_EACH_SAFE(e, next, &fifo) CHECK(false);
}

TEST(interleaved_operations_keep_links_consistent)
{
	struct waiter waiters[WAITERS];
	struct fifo fifo;
	waiters_init(waiters, WAITERS);
	fifo_init(&fifo);
	fifo_enqueue(&fifo, &waiters[0].element);
	fifo_enqueue(&fifo, &waiters[1].element);
	CHECK(fifo_dequeue(&fifo) == &waiters[0].element);
	fifo_enqueue(&fifo, &waiters[2].element);
	fifo_enqueue(&fifo, &waiters[3].element);
	CHECK_EQ(fifo_remove(&fifo, &waiters[2].element), FIFO_REMOVE_OK);
	fifo_enqueue(&fifo, &waiters[0].element);
	CHECK_EQ(fifo_remove(&fifo, &waiters[0].element), FIFO_REMOVE_OK);
	fifo_enqueue(&fifo, &waiters[4].element);
	int const expected[] = { 1, 3, 4 };
	check_order(&fifo, expected, 3);
}

TEST_EXPECT_DEATH(enqueue_twice_is_caught)
{
	struct waiter waiter;
	struct fifo fifo;
	waiters_init(&waiter, 1);
	fifo_init(&fifo);
	fifo_enqueue(&fifo, &waiter.element);
	fifo_enqueue(&fifo, &waiter.element);
}

TEST_EXPECT_DEATH(enqueue_into_second_queue_is_caught)
{
	struct waiter waiter;
	struct fifo a, b;
	waiters_init(&waiter, 1);
	fifo_init(&a);
	fifo_init(&b);
	fifo_enqueue(&a, &waiter.element);
	fifo_enqueue(&b, &waiter.element);
}
