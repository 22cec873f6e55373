/* SPDX-License-Identifier: MIT */
/** \brief unit tests of base/lock: mutual exclusion under contention, try, misuse */

#include <pthread.h>
#include <time.h>

#include <base/lock.h>

#include "sleeping.h"
#include "unit_test.h"

enum { THREADS = 8, ITERATIONS = 100000 };

struct shared
{
	struct lock lock;
	unsigned long counter; /* only changed under `lock` */
	unsigned long inside;  /* threads inside the critical section: must stay <= 1 */
	unsigned long violations;
};

static void critical_section(struct shared *s)
{
	/* a read-modify-write spread over several accesses: racy without the lock */
	if (__atomic_add_fetch(&s->inside, 1, __ATOMIC_RELAXED) != 1)
		__atomic_add_fetch(&s->violations, 1, __ATOMIC_RELAXED);
	unsigned long value = *(unsigned long volatile *)&s->counter;
	*(unsigned long volatile *)&s->counter = value + 1;
	__atomic_sub_fetch(&s->inside, 1, __ATOMIC_RELAXED);
}

static void *increment(void *arg)
{
	struct shared *s = arg;
	for (int i = 0; i < ITERATIONS; i++) {
		lock_acquire(&s->lock);
		critical_section(s);
		lock_release(&s->lock);
	}
	return NULL;
}

static void start_threads(pthread_t *threads, int n, void *(*function)(void *), void *arg)
{
	for (int i = 0; i < n; i++) CHECK_EQ(pthread_create(&threads[i], NULL, function, arg), 0);
}

static void join_threads(pthread_t *threads, int n)
{
	for (int i = 0; i < n; i++) CHECK_EQ(pthread_join(threads[i], NULL), 0);
}

TEST(threads_incrementing_under_the_lock_get_the_exact_total)
{
	static struct shared s;
	pthread_t threads[THREADS];
	lock_init(&s.lock);
	start_threads(threads, THREADS, increment, &s);
	join_threads(threads, THREADS);
	CHECK_EQ(s.counter, (unsigned long)THREADS * ITERATIONS);
	CHECK_EQ(s.violations, 0);
	/* and the lock is free afterwards */
	CHECK(lock_try_acquire(&s.lock));
	lock_release(&s.lock);
}

static void *try_increment(void *arg)
{
	struct shared *s = arg;
	for (int done = 0; done < ITERATIONS / 10;) {
		if (!lock_try_acquire(&s->lock)) continue;
		critical_section(s);
		lock_release(&s->lock);
		done++;
	}
	return NULL;
}

TEST(try_acquire_excludes_too)
{
	static struct shared s;
	pthread_t threads[THREADS];
	lock_init(&s.lock);
	start_threads(threads, THREADS / 2, try_increment, &s);
	start_threads(threads + THREADS / 2, THREADS / 2, increment, &s);
	join_threads(threads, THREADS);
	CHECK_EQ(s.counter, (unsigned long)(THREADS / 2) * (ITERATIONS / 10 + ITERATIONS));
	CHECK_EQ(s.violations, 0);
}

TEST(try_acquire_fails_while_held)
{
	struct lock lock;
	lock_init(&lock);
	CHECK(lock_try_acquire(&lock));
	CHECK(!lock_try_acquire(&lock));
	lock_release(&lock);
	CHECK(lock_try_acquire(&lock));
	lock_release(&lock);
}

static void *try_once(void *arg)
{
	struct lock *lock = arg;
	return (void *)(uintptr_t)lock_try_acquire(lock);
}

TEST(try_acquire_from_another_thread_fails_while_held)
{
	struct lock lock;
	pthread_t thread;
	void *got = NULL;
	lock_init(&lock);
	lock_acquire(&lock);
	CHECK_EQ(pthread_create(&thread, NULL, try_once, &lock), 0);
	CHECK_EQ(pthread_join(thread, &got), 0);
	CHECK(got == NULL);
	lock_release(&lock);
}

struct waiter
{
	struct shared *shared;
	pid_t tid; /* published before it blocks */
};

static void *acquire_once(void *arg)
{
	struct waiter *w = arg;
	__atomic_store_n(&w->tid, test_thread_id(), __ATOMIC_RELEASE);
	lock_acquire(&w->shared->lock);
	critical_section(w->shared);
	lock_release(&w->shared->lock);
	return NULL;
}

TEST(waiters_block_until_release_then_all_proceed)
{
	static struct shared s;
	static struct waiter waiters[THREADS];
	pthread_t threads[THREADS];
	lock_init(&s.lock);
	lock_acquire(&s.lock);
	for (int i = 0; i < THREADS; i++) {
		waiters[i] = (struct waiter){ &s, 0 };
		CHECK_EQ(pthread_create(&threads[i], NULL, acquire_once, &waiters[i]), 0);
	}
	/* every waiter asleep in the kernel: none got in while the lock was held */
	for (int i = 0; i < THREADS; i++) CHECK(test_wait_until_sleeping(&waiters[i].tid));
	CHECK_EQ(__atomic_load_n(&s.counter, __ATOMIC_RELAXED), 0);
	lock_release(&s.lock);
	for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
	CHECK_EQ(s.counter, THREADS);
	CHECK_EQ(s.violations, 0);
}

TEST(static_initializer_gives_a_free_lock)
{
	static struct lock lock = LOCK_INITIALIZER;
	CHECK(lock_try_acquire(&lock));
	lock_release(&lock);
	lock_acquire(&lock);
	lock_release(&lock);
}

TEST_EXPECT_DEATH(releasing_a_free_lock_panics)
{
	struct lock lock;
	lock_init(&lock);
	lock_release(&lock);
}
