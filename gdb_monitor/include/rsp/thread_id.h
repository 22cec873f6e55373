/* SPDX-License-Identifier: MIT */
/**
 * \brief a thread id as the GDB remote protocol writes it, plain or multiprocess
 *
 * On the wire a thread id is a hex number, "-1" (all threads) or "0" (any
 * thread), or in the multiprocess syntax "p<pid>.<tid>" where each part is
 * such a value, and "p<pid>" alone means every thread of that process. Both
 * parts are kept as signed values, so -1 and 0 read as what they mean; a real
 * id is a positive number.
 */

#ifndef _RSP_THREAD_ID_H_
#define _RSP_THREAD_ID_H_

#include <stdbool.h>
#include <stdint.h>

enum {
	RSP_THREAD_ALL = -1, /* "-1": every thread (or process) */
	RSP_THREAD_ANY = 0,  /* "0": an arbitrary thread (or process) */
};

/** a thread id; `process` is RSP_THREAD_ANY unless `process_given` */
struct rsp_thread_id
{
	bool process_given; /* written as "p<process>.<thread>" */
	int64_t process;    /* > 0, RSP_THREAD_ALL or RSP_THREAD_ANY */
	int64_t thread;     /* > 0, RSP_THREAD_ALL or RSP_THREAD_ANY */
};

#endif /* _RSP_THREAD_ID_H_ */
