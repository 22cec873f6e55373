/* SPDX-License-Identifier: MIT */
/**
 * \brief newlib's locks (built with retargetable locking) on the framework's lock
 *
 * newlib guards its shared state (the list of streams, atexit, each FILE,
 * ...) with these functions. Every lock here is recursive: the owner may
 * take it again, which newlib's recursive locks need and its plain ones
 * never do. The static locks are newlib's names; a stream's lock comes
 * from the heap (__retarget_lock_init) and goes back at fclose.
 */

#include <stdlib.h>
#include <sys/lock.h>

#include <base/lock.h>
#include <base/panic.h>
#include <base/thread.h>

struct __lock
{
	struct lock lock;
	struct thread *owner; /* 0 when free */
	unsigned count;       /* times the owner took it */
};

#define LIBC_LOCK_STATIC(name) struct __lock __lock_##name = { LOCK_INITIALIZER, 0, 0 }

LIBC_LOCK_STATIC(__sinit_recursive_mutex);
LIBC_LOCK_STATIC(__sfp_recursive_mutex);
LIBC_LOCK_STATIC(__atexit_recursive_mutex);
LIBC_LOCK_STATIC(__at_quick_exit_mutex);
LIBC_LOCK_STATIC(__malloc_recursive_mutex);
LIBC_LOCK_STATIC(__env_recursive_mutex);
LIBC_LOCK_STATIC(__tz_mutex);
LIBC_LOCK_STATIC(__dd_hash_mutex);
LIBC_LOCK_STATIC(__arc4random_mutex);

/* a lock newlib could not get memory for: taking it does nothing (one thread's stream) */
static bool libc_lock_missing(_LOCK_T lock) { return lock == 0; }

void __retarget_lock_init(_LOCK_T *lock) { *lock = calloc(1, sizeof(struct __lock)); }

void __retarget_lock_init_recursive(_LOCK_T *lock) { __retarget_lock_init(lock); }

void __retarget_lock_close(_LOCK_T lock) { free(lock); }

void __retarget_lock_close_recursive(_LOCK_T lock) { free(lock); }

void __retarget_lock_acquire(_LOCK_T lock)
{
	if (libc_lock_missing(lock)) return;
	struct thread *self = thread_self();
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != self) {
		lock_acquire(&lock->lock);
		__atomic_store_n(&lock->owner, self, __ATOMIC_RELAXED);
	}
	lock->count++;
}

void __retarget_lock_acquire_recursive(_LOCK_T lock) { __retarget_lock_acquire(lock); }

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	if (libc_lock_missing(lock)) return 1;
	struct thread *self = thread_self();
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != self) {
		if (!lock_try_acquire(&lock->lock)) return 0;
		__atomic_store_n(&lock->owner, self, __ATOMIC_RELAXED);
	}
	lock->count++;
	return 1;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return __retarget_lock_try_acquire(lock);
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (libc_lock_missing(lock)) return;
	ASSERT(lock->owner == thread_self() && lock->count > 0);
	if (--lock->count == 0) {
		__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
		lock_release(&lock->lock);
	}
}

void __retarget_lock_release_recursive(_LOCK_T lock) { __retarget_lock_release(lock); }
