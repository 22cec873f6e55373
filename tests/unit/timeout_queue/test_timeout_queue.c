/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of the timer's deadline logic (os/src/timer/timeout_queue.h),
 *        driven by fake time: `now` is whatever the case says
 */

#include "timeout_queue.h"
#include "unit_test.h"

/* a timeout of a test, with a name for messages */
struct named_timeout
{
	struct timeout timeout;
	char const *name;
};

static char const *expire_name(struct timeout_queue *queue, uint64_t now, uint64_t *count)
{
	struct timeout_expiry e = timeout_queue_expire(queue, now);
	if (count) *count = e.count;
	if (!e.timeout) {
		CHECK_EQ_U(e.count, 0);
		return "none";
	}
	CHECK(e.count >= 1);
	CHECK(!e.timeout->scheduled || e.timeout->deadline > now);
	return ((struct named_timeout *)e.timeout)->name;
}

static void named_init(struct named_timeout *t, char const *name)
{
	timeout_init(&t->timeout);
	t->name = name;
}

TEST(empty_queue_has_nothing_due)
{
	struct timeout_queue q;
	timeout_queue_init(&q);
	CHECK(!timeout_queue_next(&q).any);
	CHECK(timeout_queue_first(&q) == NULL);
	CHECK_STR(expire_name(&q, 0, NULL), "none");
	CHECK_STR(expire_name(&q, UINT64_MAX, NULL), "none");
}

TEST(one_shot_fires_at_its_deadline_not_before_and_once)
{
	struct timeout_queue q;
	struct named_timeout t;
	timeout_queue_init(&q);
	named_init(&t, "t");
	CHECK(!timeout_scheduled(&t.timeout));

	timeout_queue_schedule(&q, &t.timeout, 100, 0);
	CHECK(timeout_scheduled(&t.timeout));
	CHECK(timeout_queue_next(&q).any);
	CHECK_EQ_U(timeout_queue_next(&q).deadline, 100);
	CHECK_STR(expire_name(&q, 99, NULL), "none");

	uint64_t count = 0;
	CHECK_STR(expire_name(&q, 100, &count), "t");
	CHECK_EQ_U(count, 1);
	CHECK(!timeout_scheduled(&t.timeout));
	CHECK(!timeout_queue_next(&q).any);
	CHECK_STR(expire_name(&q, 100000, NULL), "none");
}

TEST(late_one_shot_counts_one)
{
	struct timeout_queue q;
	struct named_timeout t;
	timeout_queue_init(&q);
	named_init(&t, "t");
	timeout_queue_schedule(&q, &t.timeout, 100, 0);
	uint64_t count = 0;
	CHECK_STR(expire_name(&q, 1000000, &count), "t");
	CHECK_EQ_U(count, 1);
}

TEST(deadline_in_the_past_is_due_at_once)
{
	struct timeout_queue q;
	struct named_timeout t;
	timeout_queue_init(&q);
	named_init(&t, "t");
	timeout_queue_schedule(&q, &t.timeout, 50, 0);
	CHECK_STR(expire_name(&q, 100, NULL), "t");
	timeout_queue_schedule(&q, &t.timeout, 0, 0);
	CHECK_STR(expire_name(&q, 0, NULL), "t");
}

TEST(timeouts_expire_in_deadline_order)
{
	struct timeout_queue q;
	struct named_timeout a, b, c;
	timeout_queue_init(&q);
	named_init(&a, "a");
	named_init(&b, "b");
	named_init(&c, "c");
	timeout_queue_schedule(&q, &a.timeout, 300, 0);
	timeout_queue_schedule(&q, &b.timeout, 100, 0);
	timeout_queue_schedule(&q, &c.timeout, 200, 0);
	CHECK(timeout_queue_first(&q) == &b.timeout);
	CHECK_EQ_U(timeout_queue_next(&q).deadline, 100);

	CHECK_STR(expire_name(&q, 250, NULL), "b");
	CHECK_STR(expire_name(&q, 250, NULL), "c");
	CHECK_STR(expire_name(&q, 250, NULL), "none");
	CHECK_EQ_U(timeout_queue_next(&q).deadline, 300);
	CHECK_STR(expire_name(&q, 300, NULL), "a");
	CHECK_STR(expire_name(&q, 300, NULL), "none");
}

TEST(equal_deadlines_expire_in_scheduling_order)
{
	struct timeout_queue q;
	struct named_timeout x, y, z;
	timeout_queue_init(&q);
	named_init(&x, "x");
	named_init(&y, "y");
	named_init(&z, "z");
	timeout_queue_schedule(&q, &x.timeout, 100, 0);
	timeout_queue_schedule(&q, &y.timeout, 100, 0);
	timeout_queue_schedule(&q, &z.timeout, 100, 0);
	/* scheduled again: x goes behind the others of its deadline */
	timeout_queue_schedule(&q, &x.timeout, 100, 0);
	CHECK_STR(expire_name(&q, 100, NULL), "y");
	CHECK_STR(expire_name(&q, 100, NULL), "z");
	CHECK_STR(expire_name(&q, 100, NULL), "x");
	CHECK_STR(expire_name(&q, 100, NULL), "none");
}

TEST(scheduling_again_replaces_deadline_and_period)
{
	struct timeout_queue q;
	struct named_timeout t;
	timeout_queue_init(&q);
	named_init(&t, "t");
	timeout_queue_schedule(&q, &t.timeout, 100, 10);
	timeout_queue_schedule(&q, &t.timeout, 500, 0);
	CHECK_EQ_U(avl_tree_count(&q.tree), 1);
	CHECK_STR(expire_name(&q, 499, NULL), "none");
	CHECK_STR(expire_name(&q, 500, NULL), "t");
	CHECK(!timeout_scheduled(&t.timeout)); /* one-shot now: the period is gone */
	CHECK_STR(expire_name(&q, 10000, NULL), "none");
}

TEST(cancel_removes_and_is_harmless_when_not_scheduled)
{
	struct timeout_queue q;
	struct named_timeout a, b;
	timeout_queue_init(&q);
	named_init(&a, "a");
	named_init(&b, "b");
	timeout_queue_cancel(&q, &a.timeout); /* never scheduled */
	timeout_queue_schedule(&q, &a.timeout, 100, 50);
	timeout_queue_schedule(&q, &b.timeout, 200, 0);
	timeout_queue_cancel(&q, &a.timeout);
	CHECK(!timeout_scheduled(&a.timeout));
	timeout_queue_cancel(&q, &a.timeout); /* twice */
	CHECK_EQ_U(avl_tree_count(&q.tree), 1);
	CHECK_STR(expire_name(&q, 1000, NULL), "b");
	CHECK_STR(expire_name(&q, 1000, NULL), "none");

	/* a cancelled timeout can be scheduled again */
	timeout_queue_schedule(&q, &a.timeout, 2000, 0);
	CHECK_STR(expire_name(&q, 2000, NULL), "a");
}

TEST(periodic_fires_every_period)
{
	struct timeout_queue q;
	struct named_timeout t;
	timeout_queue_init(&q);
	named_init(&t, "t");
	timeout_queue_schedule(&q, &t.timeout, 100, 100);
	for (uint64_t deadline = 100; deadline <= 1000; deadline += 100) {
		uint64_t count = 0;
		CHECK_STR(expire_name(&q, deadline - 1, NULL), "none");
		CHECK_STR(expire_name(&q, deadline, &count), "t");
		CHECK_EQ_U(count, 1);
		CHECK(timeout_scheduled(&t.timeout));
		CHECK_EQ_U(timeout_queue_next(&q).deadline, deadline + 100);
	}
}

TEST(late_periodic_counts_the_periods_that_passed_without_drift)
{
	struct timeout_queue q;
	struct named_timeout t;
	timeout_queue_init(&q);
	named_init(&t, "t");
	timeout_queue_schedule(&q, &t.timeout, 100, 100);

	uint64_t count = 0;
	CHECK_STR(expire_name(&q, 450, &count), "t"); /* 100, 200, 300, 400 */
	CHECK_EQ_U(count, 4);
	CHECK_EQ_U(timeout_queue_next(&q).deadline, 500);
	CHECK_STR(expire_name(&q, 450, NULL), "none");

	CHECK_STR(expire_name(&q, 800, &count), "t"); /* exactly on a deadline: 500 .. 800 */
	CHECK_EQ_U(count, 4);
	CHECK_EQ_U(timeout_queue_next(&q).deadline, 900);
}

TEST(periodic_rescheduled_behind_a_timeout_of_the_same_deadline)
{
	struct timeout_queue q;
	struct named_timeout p, o;
	timeout_queue_init(&q);
	named_init(&p, "periodic");
	named_init(&o, "once");
	timeout_queue_schedule(&q, &p.timeout, 100, 100);
	timeout_queue_schedule(&q, &o.timeout, 200, 0);
	CHECK_STR(expire_name(&q, 100, NULL), "periodic");
	/* both due at 200 now: the one scheduled first goes first */
	CHECK_STR(expire_name(&q, 200, NULL), "once");
	CHECK_STR(expire_name(&q, 200, NULL), "periodic");
	CHECK_STR(expire_name(&q, 200, NULL), "none");
}

/* a short period cannot push back a timeout that is due: each comes once per expiry round */
TEST(short_period_does_not_starve_others)
{
	struct timeout_queue q;
	struct named_timeout fast, slow;
	timeout_queue_init(&q);
	named_init(&fast, "fast");
	named_init(&slow, "slow");
	timeout_queue_schedule(&q, &fast.timeout, 0, 1);
	timeout_queue_schedule(&q, &slow.timeout, 5000, 0);

	uint64_t count = 0;
	CHECK_STR(expire_name(&q, 10000, &count), "fast");
	CHECK_EQ_U(count, 10001);
	CHECK_STR(expire_name(&q, 10000, NULL), "slow");
	CHECK_STR(expire_name(&q, 10000, NULL), "none");
	CHECK_EQ_U(timeout_queue_next(&q).deadline, 10001);
}

TEST(periodic_whose_next_deadline_overflows_ends)
{
	struct timeout_queue q;
	struct named_timeout t;
	timeout_queue_init(&q);
	named_init(&t, "t");
	timeout_queue_schedule(&q, &t.timeout, UINT64_MAX - 10, 10);
	uint64_t count = 0;
	CHECK_STR(expire_name(&q, UINT64_MAX - 1, &count), "t");
	CHECK_EQ_U(count, 1);
	CHECK_EQ_U(timeout_queue_next(&q).deadline, UINT64_MAX); /* still representable */
	CHECK_STR(expire_name(&q, UINT64_MAX, &count), "t");
	CHECK_EQ_U(count, 1);
	CHECK(!timeout_scheduled(&t.timeout)); /* UINT64_MAX + 10 does not exist */
	CHECK(!timeout_queue_next(&q).any);
}

/* a pseudo-random sequence, so that the case is the same on every run */
static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return *state >> 33;
}

TEST(many_timeouts_each_expire_once_in_order)
{
	enum { COUNT = 1000 };
	static struct named_timeout timeouts[COUNT];
	static bool fired[COUNT];
	struct timeout_queue q;
	timeout_queue_init(&q);
	uint64_t random = 1;
	for (unsigned i = 0; i < COUNT; i++) {
		named_init(&timeouts[i], "t");
		timeout_queue_schedule(&q, &timeouts[i].timeout, next_random(&random) % 100000, 0);
	}
	/* half of them moved, a tenth cancelled */
	for (unsigned i = 0; i < COUNT; i += 2)
		timeout_queue_schedule(&q, &timeouts[i].timeout, next_random(&random) % 100000, 0);
	for (unsigned i = 0; i < COUNT; i += 10) timeout_queue_cancel(&q, &timeouts[i].timeout);
	CHECK_EQ(avl_tree_check(&q.tree), AVL_CHECK_OK);
	CHECK_EQ_U(avl_tree_count(&q.tree), COUNT - COUNT / 10);

	uint64_t previous = 0;
	unsigned expired = 0;
	for (uint64_t now = 0; now < 100000 + 977; now += 977) {
		for (;;) {
			struct timeout_expiry e = timeout_queue_expire(&q, now);
			if (!e.timeout) break;
			unsigned index = (unsigned)((struct named_timeout *)e.timeout - timeouts);
			CHECK(index < COUNT && index % 10 != 0);
			CHECK(!fired[index]);
			fired[index] = true;
			CHECK(e.timeout->deadline <= now);
			CHECK(e.timeout->deadline >= previous);
			previous = e.timeout->deadline;
			expired++;
		}
		struct timeout_next next = timeout_queue_next(&q);
		CHECK(!next.any || next.deadline > now);
	}
	CHECK_STR(expire_name(&q, UINT64_MAX, NULL), "none");
	CHECK_EQ(expired, COUNT - COUNT / 10);
	CHECK_EQ(avl_tree_check(&q.tree), AVL_CHECK_OK);
}

TEST_EXPECT_DEATH(period_that_overflows_the_deadline_is_a_bug)
{
	struct timeout_queue q;
	struct named_timeout t;
	timeout_queue_init(&q);
	named_init(&t, "t");
	timeout_queue_schedule(&q, &t.timeout, UINT64_MAX - 10, 11);
}

TEST_EXPECT_DEATH(cancel_in_another_queue_is_a_bug)
{
	struct timeout_queue q, other;
	struct named_timeout a, b;
	timeout_queue_init(&q);
	timeout_queue_init(&other);
	named_init(&a, "a");
	named_init(&b, "b");
	timeout_queue_schedule(&q, &a.timeout, 100, 0);
	timeout_queue_schedule(&other, &b.timeout, 100, 0);
	timeout_queue_cancel(&other, &a.timeout);
}
