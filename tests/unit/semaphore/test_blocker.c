/* SPDX-License-Identifier: MIT */
/** \brief blocker and LOCK_GUARD: the cancel protocol and scoped locking */

#include <pthread.h>

#include <base/blocker.h>
#include <base/lock_guard.h>

#include "unit_test.h"

struct wake_record
{
	int calls;
	void *argument;
};

static void record_wake(void *argument)
{
	struct wake_record *r = argument;
	r->calls++;
	r->argument = argument;
}

TEST(cancel_is_sticky_until_reset)
{
	struct blocker b;
	blocker_init(&b);
	CHECK(!blocker_cancelled(&b));
	blocker_cancel(&b);
	CHECK(blocker_cancelled(&b));
	blocker_cancel(&b); /* again: nothing more */
	CHECK(blocker_cancelled(&b));
	blocker_reset(&b);
	CHECK(!blocker_cancelled(&b));
}

TEST(cancel_wakes_the_entered_call_once_per_cancel)
{
	struct blocker b = BLOCKER_INITIALIZER;
	struct wake_record r = { 0, NULL };
	CHECK(blocker_enter(&b, record_wake, &r));
	CHECK_EQ(r.calls, 0);
	blocker_cancel(&b);
	CHECK_EQ(r.calls, 1);
	CHECK(r.argument == &r);
	blocker_leave(&b);

	/* after leave: no wake, and entering a cancelled blocker fails */
	blocker_cancel(&b);
	CHECK_EQ(r.calls, 1);
	CHECK(!blocker_enter(&b, record_wake, &r));
	CHECK_EQ(r.calls, 1);

	blocker_reset(&b);
	CHECK(blocker_enter(&b, record_wake, &r));
	blocker_leave(&b);
	CHECK_EQ(r.calls, 1);
}

TEST_EXPECT_DEATH(entering_twice_panics)
{
	struct blocker b = BLOCKER_INITIALIZER;
	struct wake_record r = { 0, NULL };
	CHECK(blocker_enter(&b, record_wake, &r));
	if (blocker_enter(&b, record_wake, &r)) CHECK(false);
}

TEST_EXPECT_DEATH(leaving_without_enter_panics)
{
	struct blocker b = BLOCKER_INITIALIZER;
	blocker_leave(&b);
}

TEST_EXPECT_DEATH(reset_while_entered_panics)
{
	struct blocker b = BLOCKER_INITIALIZER;
	struct wake_record r = { 0, NULL };
	CHECK(blocker_enter(&b, record_wake, &r));
	blocker_reset(&b);
}

/* LOCK_GUARD */

static int guarded_return(struct lock *lock, int value)
{
	LOCK_GUARD(lock);
	if (value > 0) return value; /* released on this path */
	return -value;               /* and on this one */
}

TEST(lock_guard_releases_on_every_path)
{
	struct lock lock = LOCK_INITIALIZER;
	CHECK_EQ(guarded_return(&lock, 5), 5);
	CHECK(lock_try_acquire(&lock));
	lock_release(&lock);
	CHECK_EQ(guarded_return(&lock, -7), 7);
	CHECK(lock_try_acquire(&lock));
	lock_release(&lock);

	for (int i = 0; i < 3; i++) {
		LOCK_GUARD(&lock);
		CHECK(!lock_try_acquire(&lock)); /* held inside the block */
		if (i == 1) continue;            /* released by continue */
		if (i == 2) break;               /* and by break */
	}
	CHECK(lock_try_acquire(&lock));
	lock_release(&lock);
}

TEST(lock_guard_nests)
{
	struct lock outer = LOCK_INITIALIZER, inner = LOCK_INITIALIZER;
	{
		LOCK_GUARD(&outer);
		LOCK_GUARD(&inner); /* two guards in one block get distinct names */
		CHECK(!lock_try_acquire(&outer));
		CHECK(!lock_try_acquire(&inner));
	}
	CHECK(lock_try_acquire(&outer));
	CHECK(lock_try_acquire(&inner));
	lock_release(&inner);
	lock_release(&outer);
}

enum { GUARD_THREADS = 4, GUARD_ROUNDS = 100000 };

struct guarded_counter
{
	struct lock lock;
	unsigned long value;
};

static void *guarded_increment(void *arg)
{
	struct guarded_counter *c = arg;
	for (int i = 0; i < GUARD_ROUNDS; i++) {
		LOCK_GUARD(&c->lock);
		unsigned long v = c->value; /* a lost update shows if the guard fails */
		c->value = v + 1;
	}
	return NULL;
}

TEST(lock_guard_excludes_threads)
{
	struct guarded_counter c = { LOCK_INITIALIZER, 0 };
	pthread_t threads[GUARD_THREADS];
	for (int i = 0; i < GUARD_THREADS; i++)
		CHECK_EQ(pthread_create(&threads[i], NULL, guarded_increment, &c), 0);
	for (int i = 0; i < GUARD_THREADS; i++) pthread_join(threads[i], NULL);
	CHECK_EQ(c.value, (unsigned long)GUARD_THREADS * GUARD_ROUNDS);
}
