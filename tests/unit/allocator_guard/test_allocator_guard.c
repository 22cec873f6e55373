/* SPDX-License-Identifier: MIT */
/** \brief unit tests of base/allocator_guard: quota, exhaustion without side effects */

#include <stdlib.h>

#include <base/allocator_guard.h>
#include <base/slab.h>

#include "unit_test.h"

/* a backing allocator over malloc with a fixed overhead, counting, optionally refusing */
struct backing
{
	struct allocator allocator;
	size_t calls, outstanding, overhead;
	bool refuse;
};

static struct allocator_alloc_ret backing_alloc(void *state, size_t size)
{
	struct backing *b = state;
	b->calls++;
	if (b->refuse) return (struct allocator_alloc_ret){ ALLOCATOR_OUT_OF_MEMORY, NULL };
	void *ptr = malloc(size);
	CHECK(ptr);
	b->outstanding++;
	return (struct allocator_alloc_ret){ ALLOCATOR_OK, ptr };
}

static void backing_free(void *state, void *ptr, size_t size)
{
	struct backing *b = state;
	(void)size;
	b->outstanding--;
	free(ptr);
}

static size_t backing_consumed(void *state) { return ((struct backing *)state)->outstanding; }

static size_t backing_overhead(void *state, size_t size)
{
	(void)size;
	return ((struct backing *)state)->overhead;
}

static struct allocator_ops const backing_ops = { backing_alloc, backing_free, backing_consumed,
	                                              backing_overhead };

static void setup(struct allocator_guard *guard, struct backing *b, size_t overhead,
                  size_t quota)
{
	*b = (struct backing){ .overhead = overhead };
	allocator_init(&b->allocator, &backing_ops, b);
	allocator_guard_init(guard, &b->allocator, quota);
}

static void *alloc_ok(struct allocator_guard *guard, size_t size)
{
	struct allocator_alloc_ret r = allocator_alloc(allocator_guard_allocator(guard), size);
	CHECK_EQ(r.result, ALLOCATOR_OK);
	return r.ptr;
}

TEST(charges_size_plus_overhead)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 16, 1000);
	void *p = alloc_ok(&guard, 100);
	CHECK_EQ(allocator_guard_consumed(&guard), 116);
	CHECK_EQ(allocator_consumed(allocator_guard_allocator(&guard)), 116);
	CHECK_EQ(allocator_overhead(allocator_guard_allocator(&guard), 100), 16);
	CHECK_EQ(allocator_guard_available(&guard), 884);
	allocator_free(allocator_guard_allocator(&guard), p, 100);
	CHECK_EQ(allocator_guard_consumed(&guard), 0);
	CHECK_EQ(b.outstanding, 0);
}

TEST(exhaustion_changes_nothing)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 16, 1000);
	void *p = alloc_ok(&guard, 500); /* 516 charged, 484 left */
	size_t calls = b.calls;

	struct allocator_alloc_ret r = allocator_alloc(allocator_guard_allocator(&guard), 469);
	CHECK_EQ(r.result, ALLOCATOR_OUT_OF_QUOTA);
	CHECK(r.ptr == NULL);
	CHECK_EQ(b.calls, calls); /* the backing allocator was not even asked */
	CHECK_EQ(allocator_guard_consumed(&guard), 516);
	CHECK_EQ(allocator_guard_quota(&guard), 1000);

	/* exactly the rest fits */
	void *q = alloc_ok(&guard, 468);
	CHECK_EQ(allocator_guard_available(&guard), 0);
	CHECK_EQ(allocator_alloc(allocator_guard_allocator(&guard), 1).result,
	         ALLOCATOR_OUT_OF_QUOTA);
	allocator_free(allocator_guard_allocator(&guard), p, 500);
	allocator_free(allocator_guard_allocator(&guard), q, 468);
	CHECK_EQ(allocator_guard_consumed(&guard), 0);
}

TEST(charge_that_overflows_is_refused)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 16, SIZE_MAX);
	CHECK_EQ(allocator_alloc(allocator_guard_allocator(&guard), SIZE_MAX - 8).result,
	         ALLOCATOR_OUT_OF_QUOTA);
	CHECK_EQ(b.calls, 0);
	CHECK_EQ(allocator_guard_consumed(&guard), 0);
}

TEST(zero_quota_refuses_everything)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 0, 0);
	CHECK_EQ(allocator_alloc(allocator_guard_allocator(&guard), 1).result,
	         ALLOCATOR_OUT_OF_QUOTA);
	CHECK_EQ(b.calls, 0);
}

TEST(backing_refusal_is_passed_on_without_charge)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 8, 1000);
	b.refuse = true;
	CHECK_EQ(allocator_alloc(allocator_guard_allocator(&guard), 10).result,
	         ALLOCATOR_OUT_OF_MEMORY);
	CHECK_EQ(allocator_guard_consumed(&guard), 0);
	b.refuse = false;
	(void)alloc_ok(&guard, 10);
	CHECK_EQ(allocator_guard_consumed(&guard), 18);
}

TEST(upgrade_makes_room)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 0, 100);
	(void)alloc_ok(&guard, 100);
	CHECK_EQ(allocator_alloc(allocator_guard_allocator(&guard), 50).result,
	         ALLOCATOR_OUT_OF_QUOTA);
	CHECK_EQ(allocator_guard_upgrade(&guard, 50), ALLOCATOR_GUARD_UPGRADE_OK);
	CHECK_EQ(allocator_guard_quota(&guard), 150);
	(void)alloc_ok(&guard, 50);
	CHECK_EQ(allocator_guard_available(&guard), 0);
}

TEST(upgrade_overflow_is_refused)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 0, 100);
	CHECK_EQ(allocator_guard_upgrade(&guard, SIZE_MAX - 99), ALLOCATOR_GUARD_UPGRADE_OVERFLOW);
	CHECK_EQ(allocator_guard_quota(&guard), 100);
	CHECK_EQ(allocator_guard_upgrade(&guard, SIZE_MAX - 100), ALLOCATOR_GUARD_UPGRADE_OK);
	CHECK_EQ_U(allocator_guard_quota(&guard), SIZE_MAX);
}

TEST(withdraw_only_the_unused_part)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 0, 100);
	void *p = alloc_ok(&guard, 60);
	CHECK_EQ(allocator_guard_withdraw(&guard, 41), ALLOCATOR_GUARD_WITHDRAW_IN_USE);
	CHECK_EQ(allocator_guard_quota(&guard), 100);
	CHECK_EQ(allocator_guard_withdraw(&guard, 40), ALLOCATOR_GUARD_WITHDRAW_OK);
	CHECK_EQ(allocator_guard_quota(&guard), 60);
	CHECK_EQ(allocator_alloc(allocator_guard_allocator(&guard), 1).result,
	         ALLOCATOR_OUT_OF_QUOTA);
	allocator_free(allocator_guard_allocator(&guard), p, 60);
	CHECK_EQ(allocator_guard_withdraw(&guard, 60), ALLOCATOR_GUARD_WITHDRAW_OK);
	CHECK_EQ(allocator_guard_quota(&guard), 0);
}

/* a guard in front of a slab: charges follow the slab's own overhead */
TEST(guard_over_slab)
{
	struct backing b;
	struct allocator_guard guard;
	struct slab slab;
	setup(&guard, &b, 0, 0); /* only to set up `b` */
	slab_init(&slab, 64, 1024, &b.allocator);
	allocator_guard_init(&guard, slab_allocator(&slab), 3 * 64);

	size_t charge = 48 + allocator_overhead(slab_allocator(&slab), 48);
	CHECK(charge >= 64);
	size_t fit = (3 * 64) / charge;
	void *blocks[4];
	for (size_t i = 0; i < fit; i++) blocks[i] = alloc_ok(&guard, 48);
	CHECK_EQ(allocator_alloc(allocator_guard_allocator(&guard), 48).result,
	         ALLOCATOR_OUT_OF_QUOTA);
	CHECK_EQ(slab_used_blocks(&slab), fit);
	for (size_t i = 0; i < fit; i++)
		allocator_free(allocator_guard_allocator(&guard), blocks[i], 48);
	CHECK_EQ(allocator_guard_consumed(&guard), 0);
	CHECK_EQ(slab_used_blocks(&slab), 0);
	slab_destroy(&slab);
	CHECK_EQ(b.outstanding, 0);
}

TEST_EXPECT_DEATH(free_beyond_the_charges_panics)
{
	struct allocator_guard guard;
	struct backing b;
	setup(&guard, &b, 0, 100);
	void *p = alloc_ok(&guard, 10);
	allocator_free(allocator_guard_allocator(&guard), p, 20);
}
