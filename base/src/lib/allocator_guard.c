/* SPDX-License-Identifier: MIT */
/** \brief allocator guard: a quota on another allocator, checked before it is asked */

#include <stdbool.h>
#include <stdint.h>

#include <base/allocator_guard.h>
#include <base/panic.h>

/* size + overhead(size) into *cost; false when that does not fit a size_t */
static bool charge(struct allocator_guard *guard, size_t size, size_t *cost)
{
	size_t overhead = allocator_overhead(guard->backing, size);
	if (overhead > SIZE_MAX - size) return false;
	*cost = size + overhead;
	return true;
}

static struct allocator_alloc_ret guard_alloc(void *state, size_t size)
{
	struct allocator_guard *guard = state;
	size_t cost = 0;
	if (!charge(guard, size, &cost) || cost > allocator_guard_available(guard))
		return (struct allocator_alloc_ret){ ALLOCATOR_OUT_OF_QUOTA, NULL };

	struct allocator_alloc_ret ret = allocator_alloc(guard->backing, size);
	if (ret.result == ALLOCATOR_OK) guard->consumed += cost;
	return ret;
}

static void guard_free(void *state, void *ptr, size_t size)
{
	struct allocator_guard *guard = state;
	size_t cost = 0;
	if (!charge(guard, size, &cost) || cost > guard->consumed)
		panic("allocator_guard: free of %zu bytes, more than the %zu charged", size,
		      guard->consumed);
	allocator_free(guard->backing, ptr, size);
	guard->consumed -= cost;
}

static size_t guard_consumed(void *state)
{
	return allocator_guard_consumed((struct allocator_guard *)state);
}

static size_t guard_overhead(void *state, size_t size)
{
	struct allocator_guard *guard = state;
	return allocator_overhead(guard->backing, size);
}

static struct allocator_ops const guard_ops = {
	.alloc = guard_alloc,
	.free = guard_free,
	.consumed = guard_consumed,
	.overhead = guard_overhead,
};

void allocator_guard_init(struct allocator_guard *guard, struct allocator *backing,
                          size_t quota)
{
	ASSERT(backing);
	guard->backing = backing;
	guard->quota = quota;
	guard->consumed = 0;
	allocator_init(&guard->allocator, &guard_ops, guard);
}

enum allocator_guard_upgrade_result allocator_guard_upgrade(struct allocator_guard *guard,
                                                            size_t amount)
{
	if (amount > SIZE_MAX - guard->quota) return ALLOCATOR_GUARD_UPGRADE_OVERFLOW;
	guard->quota += amount;
	return ALLOCATOR_GUARD_UPGRADE_OK;
}

enum allocator_guard_withdraw_result allocator_guard_withdraw(struct allocator_guard *guard,
                                                              size_t amount)
{
	if (amount > allocator_guard_available(guard)) return ALLOCATOR_GUARD_WITHDRAW_IN_USE;
	guard->quota -= amount;
	return ALLOCATOR_GUARD_WITHDRAW_OK;
}
