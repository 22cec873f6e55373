/* SPDX-License-Identifier: MIT */
/**
 * \brief allocator guard: an allocator that enforces a quota on another one
 *
 * The guard charges every block it passes to its backing allocator with
 * size + overhead(size) of the backing allocator and refuses an allocation
 * whose charge would take the total beyond the quota, before it asks the
 * backing allocator: a refused allocation changes nothing anywhere. This is
 * how a server spends exactly the quota that its client donated to a
 * session, and how a parent bounds what a child's session may cost it.
 *
 * The quota only moves by allocator_guard_upgrade() and
 * allocator_guard_withdraw(); both take numbers from outside (a session
 * upgrade) and report instead of trusting them. No locking.
 */

#ifndef _BASE_ALLOCATOR_GUARD_H_
#define _BASE_ALLOCATOR_GUARD_H_

#include <stddef.h>

#include <base/allocator.h>

struct allocator_guard
{
	struct allocator *backing;
	size_t quota;
	size_t consumed; /* sum of the charges of the blocks now allocated; <= quota */
	struct allocator allocator;
};

/**
 * Set up a guard that allows `quota` bytes of charges on `backing`.
 *
 * \param backing  must outlive the guard
 */
void allocator_guard_init(struct allocator_guard *guard, struct allocator *backing,
                          size_t quota);

/** results of allocator_guard_upgrade */
enum allocator_guard_upgrade_result {
	ALLOCATOR_GUARD_UPGRADE_OK = 0,   /* the quota grew by `amount` */
	ALLOCATOR_GUARD_UPGRADE_OVERFLOW, /* the quota would not fit a size_t; unchanged */
};

/** Raise the quota by `amount` bytes. */
enum allocator_guard_upgrade_result allocator_guard_upgrade(struct allocator_guard *guard,
                                                            size_t amount)
    __attribute__((warn_unused_result));

/** results of allocator_guard_withdraw */
enum allocator_guard_withdraw_result {
	ALLOCATOR_GUARD_WITHDRAW_OK = 0, /* the quota shrank by `amount` */
	ALLOCATOR_GUARD_WITHDRAW_IN_USE, /* less than `amount` of the quota is unused;
	                                    unchanged */
};

/** Lower the quota by `amount` bytes of its unused part (to hand them on). */
enum allocator_guard_withdraw_result allocator_guard_withdraw(struct allocator_guard *guard,
                                                              size_t amount)
    __attribute__((warn_unused_result));

/** The quota in bytes. */
static inline size_t allocator_guard_quota(struct allocator_guard const *guard)
{
	return guard->quota;
}

/** The charges of the blocks allocated now. */
static inline size_t allocator_guard_consumed(struct allocator_guard const *guard)
{
	return guard->consumed;
}

/** The unused part of the quota. */
static inline size_t allocator_guard_available(struct allocator_guard const *guard)
{
	return guard->quota - guard->consumed;
}

/**
 * The guard as a struct allocator: alloc(size) gives ALLOCATOR_OUT_OF_QUOTA
 * when size + overhead(size) exceeds the unused quota, else the backing
 * allocator's answer (a charge only on success); free(ptr, size) frees in
 * the backing allocator and returns the charge (a free beyond what was
 * charged panics); consumed() is allocator_guard_consumed(); overhead(size)
 * is the backing allocator's.
 */
static inline struct allocator *allocator_guard_allocator(struct allocator_guard *guard)
{
	return &guard->allocator;
}

#endif /* _BASE_ALLOCATOR_GUARD_H_ */
