/* SPDX-License-Identifier: MIT */
/**
 * \brief LOCK_GUARD: hold a lock until the end of the enclosing block
 *
 *   enum x_result x_do(struct x *x)
 *   {
 *       LOCK_GUARD(&x->lock);
 *       if (!x->ready) return X_NOT_READY;    (released here)
 *       ...
 *       return X_OK;                          (and here)
 *   }
 *
 * The lock is acquired where the guard is declared and released when the
 * block is left by any path (falling off its end, return, break, continue,
 * goto out of it), in reverse order of declaration when a block holds
 * several guards. Not on longjmp, which nothing in Vitrine uses. Built on the
 * `cleanup` attribute of GCC and Clang.
 */

#ifndef _BASE_LOCK_GUARD_H_
#define _BASE_LOCK_GUARD_H_

#include <base/lock.h>

/* the guard's variable holds the lock; its cleanup releases it */
static inline struct lock *lock_guard_acquire(struct lock *lock)
{
	lock_acquire(lock);
	return lock;
}

static inline void lock_guard_release(struct lock **guard) { lock_release(*guard); }

#define LOCK_GUARD_CAT_(a, b) a##b
#define LOCK_GUARD_CAT(a, b)  LOCK_GUARD_CAT_(a, b)

/** acquire `lock_to_hold` (a `struct lock *`) and release it when the block is left */
#define LOCK_GUARD(lock_to_hold)                               \
	struct lock *LOCK_GUARD_CAT(lock_guard_, __COUNTER__)      \
	    __attribute__((cleanup(lock_guard_release), unused)) = \
	        lock_guard_acquire(lock_to_hold)

#endif /* _BASE_LOCK_GUARD_H_ */
