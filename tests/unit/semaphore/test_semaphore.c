/* SPDX-License-Identifier: MIT */
/** \brief semaphore: counting, blocking across threads, exact counts under load, cancellation
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <base/semaphore.h>

#include "sleeping.h"
#include "unit_test.h"

/* a blocking test that hangs fails instead */
static void hang_guard(unsigned seconds) { alarm(seconds); }

TEST(initial_value_and_try_down)
{
	struct semaphore s;
	semaphore_init(&s, 3);
	CHECK_EQ(semaphore_value(&s), 3);
	CHECK(semaphore_try_down(&s));
	CHECK(semaphore_try_down(&s));
	CHECK(semaphore_try_down(&s));
	CHECK(!semaphore_try_down(&s));
	CHECK(!semaphore_try_down(&s));
	CHECK_EQ(semaphore_value(&s), 0);
	semaphore_up(&s);
	CHECK_EQ(semaphore_value(&s), 1);
	CHECK(semaphore_try_down(&s));
	CHECK(!semaphore_try_down(&s));

	struct semaphore zero = SEMAPHORE_INITIALIZER(0);
	CHECK(!semaphore_try_down(&zero));
	struct semaphore two = SEMAPHORE_INITIALIZER(2);
	semaphore_down(&two); /* available: does not block */
	semaphore_down(&two);
	CHECK_EQ(semaphore_value(&two), 0);
}

TEST(maximum_value)
{
	struct semaphore s;
	semaphore_init(&s, SEMAPHORE_MAX);
	CHECK_EQ(semaphore_value(&s), SEMAPHORE_MAX);
	CHECK(semaphore_try_down(&s));
	semaphore_up(&s);
	CHECK_EQ(semaphore_value(&s), SEMAPHORE_MAX);
}

TEST_EXPECT_DEATH(up_beyond_maximum_panics)
{
	struct semaphore s;
	semaphore_init(&s, SEMAPHORE_MAX);
	semaphore_up(&s);
}

TEST_EXPECT_DEATH(init_beyond_maximum_panics)
{
	struct semaphore s;
	semaphore_init(&s, (unsigned)SEMAPHORE_MAX + 1);
}

struct downer
{
	struct semaphore *semaphore;
	struct blocker *blocker; /* NULL: plain down */
	pid_t tid;
	int done;
	enum semaphore_result result;
};

static void *downer_run(void *arg)
{
	struct downer *d = arg;
	__atomic_store_n(&d->tid, test_thread_id(), __ATOMIC_RELEASE);
	if (d->blocker) {
		d->result = semaphore_down_cancellable(d->semaphore, d->blocker);
	} else {
		semaphore_down(d->semaphore);
		d->result = SEMAPHORE_OK;
	}
	__atomic_store_n(&d->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(up_wakes_a_blocked_down)
{
	hang_guard(20);
	struct semaphore s = SEMAPHORE_INITIALIZER(0);
	struct downer d = { &s, NULL, 0, 0, SEMAPHORE_CANCELLED };
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, downer_run, &d), 0);
	CHECK(test_wait_until_sleeping(&d.tid));
	CHECK_EQ(__atomic_load_n(&d.done, __ATOMIC_ACQUIRE), 0);
	CHECK_EQ(__atomic_load_n(&s.waiters, __ATOMIC_ACQUIRE), 1);
	semaphore_up(&s);
	pthread_join(thread, NULL);
	CHECK_EQ(d.result, SEMAPHORE_OK);
	CHECK_EQ(semaphore_value(&s), 0);
	CHECK_EQ(s.waiters, 0);
}

enum { LOAD_THREADS = 4, LOAD_UNITS = 100000 };

struct load
{
	struct semaphore *semaphore;
	unsigned taken_by_try;
};

static void *producer_run(void *arg)
{
	struct load *l = arg;
	for (unsigned i = 0; i < LOAD_UNITS; i++) semaphore_up(l->semaphore);
	return NULL;
}

static void *consumer_run(void *arg)
{
	struct load *l = arg;
	for (unsigned i = 0; i < LOAD_UNITS; i++) {
		/* every fourth unit without blocking, when one is there */
		if (i % 4 == 0 && semaphore_try_down(l->semaphore))
			l->taken_by_try++;
		else
			semaphore_down(l->semaphore);
	}
	return NULL;
}

TEST(producers_and_consumers_count_exactly)
{
	hang_guard(120);
	struct semaphore s = SEMAPHORE_INITIALIZER(0);
	pthread_t producers[LOAD_THREADS], consumers[LOAD_THREADS];
	struct load loads[LOAD_THREADS];
	for (int i = 0; i < LOAD_THREADS; i++) {
		loads[i] = (struct load){ &s, 0 };
		CHECK_EQ(pthread_create(&consumers[i], NULL, consumer_run, &loads[i]), 0);
	}
	for (int i = 0; i < LOAD_THREADS; i++)
		CHECK_EQ(pthread_create(&producers[i], NULL, producer_run, &loads[i]), 0);
	for (int i = 0; i < LOAD_THREADS; i++) pthread_join(producers[i], NULL);
	for (int i = 0; i < LOAD_THREADS; i++) pthread_join(consumers[i], NULL);
	/* every unit produced was consumed exactly once: none left, none missing */
	CHECK_EQ(semaphore_value(&s), 0);
	CHECK_EQ(s.waiters, 0);
	CHECK(!semaphore_try_down(&s));
}

enum { PING_PONG_ROUNDS = 50000 };

struct ping_pong
{
	struct semaphore ping, pong;
	unsigned turn; /* even: ping's turn, odd: pong's */
	unsigned wrong;
};

static void *pong_run(void *arg)
{
	struct ping_pong *p = arg;
	for (unsigned i = 0; i < PING_PONG_ROUNDS; i++) {
		semaphore_down(&p->pong);
		if (p->turn % 2 != 1) p->wrong++;
		p->turn++;
		semaphore_up(&p->ping);
	}
	return NULL;
}

TEST(ping_pong_strictly_alternates)
{
	hang_guard(60);
	struct ping_pong p = { SEMAPHORE_INITIALIZER(0), SEMAPHORE_INITIALIZER(0), 0, 0 };
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, pong_run, &p), 0);
	for (unsigned i = 0; i < PING_PONG_ROUNDS; i++) {
		if (p.turn % 2 != 0) p.wrong++;
		p.turn++;
		semaphore_up(&p.pong);
		semaphore_down(&p.ping);
	}
	pthread_join(thread, NULL);
	CHECK_EQ(p.wrong, 0);
	CHECK_EQ(p.turn, 2 * PING_PONG_ROUNDS);
}

TEST(cancel_a_blocked_down)
{
	hang_guard(20);
	struct semaphore s = SEMAPHORE_INITIALIZER(0);
	struct blocker b;
	blocker_init(&b);
	struct downer d = { &s, &b, 0, 0, SEMAPHORE_OK };
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, downer_run, &d), 0);
	CHECK(test_wait_until_sleeping(&d.tid));
	CHECK_EQ(__atomic_load_n(&s.waiters, __ATOMIC_ACQUIRE), 1);
	CHECK_EQ(__atomic_load_n(&d.done, __ATOMIC_ACQUIRE), 0);
	blocker_cancel(&b);
	pthread_join(thread, NULL);
	CHECK_EQ(d.result, SEMAPHORE_CANCELLED);

	/* the cancelled down took nothing: a later unit is still there */
	semaphore_up(&s);
	CHECK_EQ(semaphore_value(&s), 1);
	CHECK_EQ(s.waiters, 0);
}

TEST(cancel_before_down_is_not_lost)
{
	struct semaphore s = SEMAPHORE_INITIALIZER(0);
	struct blocker b = BLOCKER_INITIALIZER;
	blocker_cancel(&b);
	/* cancelled before the call: it returns at once instead of blocking */
	CHECK_EQ(semaphore_down_cancellable(&s, &b), SEMAPHORE_CANCELLED);
	/* sticky, and a cancelled blocker takes no unit even when one is there */
	semaphore_up(&s);
	CHECK_EQ(semaphore_down_cancellable(&s, &b), SEMAPHORE_CANCELLED);
	CHECK_EQ(semaphore_value(&s), 1);
	blocker_reset(&b);
	CHECK_EQ(semaphore_down_cancellable(&s, &b), SEMAPHORE_OK);
	CHECK_EQ(semaphore_value(&s), 0);
}

TEST(cancel_one_of_several_waiters)
{
	hang_guard(20);
	struct semaphore s = SEMAPHORE_INITIALIZER(0);
	struct blocker blockers[3];
	struct downer d[3];
	pthread_t threads[3];
	for (int i = 0; i < 3; i++) {
		blocker_init(&blockers[i]);
		d[i] = (struct downer){ &s, &blockers[i], 0, 0, SEMAPHORE_CANCELLED };
		CHECK_EQ(pthread_create(&threads[i], NULL, downer_run, &d[i]), 0);
	}
	for (int i = 0; i < 3; i++) CHECK(test_wait_until_sleeping(&d[i].tid));

	blocker_cancel(&blockers[1]);
	pthread_join(threads[1], NULL);
	CHECK_EQ(d[1].result, SEMAPHORE_CANCELLED);
	CHECK_EQ(__atomic_load_n(&d[0].done, __ATOMIC_ACQUIRE), 0);
	CHECK_EQ(__atomic_load_n(&d[2].done, __ATOMIC_ACQUIRE), 0);

	semaphore_up(&s);
	semaphore_up(&s);
	pthread_join(threads[0], NULL);
	pthread_join(threads[2], NULL);
	CHECK_EQ(d[0].result, SEMAPHORE_OK);
	CHECK_EQ(d[2].result, SEMAPHORE_OK);
	CHECK_EQ(semaphore_value(&s), 0);
}

enum { RACE_ROUNDS = 3000 };

TEST(cancel_races_with_blocking)
{
	hang_guard(120);
	/* a cancel at any moment of the call: it must return, never hang */
	for (unsigned i = 0; i < RACE_ROUNDS; i++) {
		struct semaphore s = SEMAPHORE_INITIALIZER(0);
		struct blocker b = BLOCKER_INITIALIZER;
		struct downer d = { &s, &b, 0, 0, SEMAPHORE_OK };
		pthread_t thread;
		CHECK_EQ(pthread_create(&thread, NULL, downer_run, &d), 0);
		if (i % 2) {
			for (unsigned spin = 0; spin < i % 64; spin++) sched_yield();
		} else {
			/* aim at the moment between registering as a waiter and sleeping */
			while (!__atomic_load_n(&s.waiters, __ATOMIC_SEQ_CST)) {}
		}
		blocker_cancel(&b);
		pthread_join(thread, NULL);
		CHECK_EQ(d.result, SEMAPHORE_CANCELLED);
	}
}

struct try_downer
{
	struct semaphore *semaphore;
	unsigned failed;
};

static void *try_downer_run(void *arg)
{
	struct try_downer *t = arg;
	for (unsigned i = 0; i < LOAD_UNITS; i++)
		if (!semaphore_try_down(t->semaphore)) t->failed++;
	return NULL;
}

TEST(try_down_succeeds_while_units_remain)
{
	/* contention on the count must not make a try fail while units are left */
	struct semaphore s;
	semaphore_init(&s, LOAD_THREADS * LOAD_UNITS);
	pthread_t threads[LOAD_THREADS];
	struct try_downer t[LOAD_THREADS];
	for (int i = 0; i < LOAD_THREADS; i++) {
		t[i] = (struct try_downer){ &s, 0 };
		CHECK_EQ(pthread_create(&threads[i], NULL, try_downer_run, &t[i]), 0);
	}
	for (int i = 0; i < LOAD_THREADS; i++) {
		pthread_join(threads[i], NULL);
		CHECK_EQ(t[i].failed, 0);
	}
	CHECK_EQ(semaphore_value(&s), 0);
	CHECK(!semaphore_try_down(&s));
}

TEST(cancel_races_with_up)
{
	hang_guard(120);
	/* either the unit was taken, or the down was cancelled and the unit stays */
	unsigned taken = 0, cancelled = 0;
	for (unsigned i = 0; i < RACE_ROUNDS; i++) {
		struct semaphore s = SEMAPHORE_INITIALIZER(0);
		struct blocker b = BLOCKER_INITIALIZER;
		struct downer d = { &s, &b, 0, 0, SEMAPHORE_OK };
		pthread_t thread;
		CHECK_EQ(pthread_create(&thread, NULL, downer_run, &d), 0);
		for (unsigned spin = 0; spin < i % 32; spin++) sched_yield();
		if (i % 2) {
			semaphore_up(&s);
			blocker_cancel(&b);
		} else {
			blocker_cancel(&b);
			semaphore_up(&s);
		}
		pthread_join(thread, NULL);
		if (d.result == SEMAPHORE_OK) {
			taken++;
			CHECK_EQ(semaphore_value(&s), 0);
		} else {
			cancelled++;
			CHECK_EQ(d.result, SEMAPHORE_CANCELLED);
			CHECK_EQ(semaphore_value(&s), 1);
		}
	}
	CHECK_EQ(taken + cancelled, RACE_ROUNDS);
}
