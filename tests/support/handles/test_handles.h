/* SPDX-License-Identifier: MIT */
/** \brief test support: pass descriptors between processes over SCM_RIGHTS, and
 *         look at one */

#ifndef _TEST_HANDLES_H_
#define _TEST_HANDLES_H_

#include <stdbool.h>

enum { TEST_HANDLES_MAX = 16 };

/**
 * Send `count` (1 to TEST_HANDLES_MAX) descriptors in one message with one
 * byte of data. The sender keeps its own descriptors.
 *
 * \return whether the message was sent
 */
bool test_handles_send(int socket, int const *handles, unsigned count);

/**
 * Receive exactly `count` descriptors sent by test_handles_send(); they
 * become the caller's (close-on-exec).
 *
 * \return false if the message is missing or carries another number
 */
bool test_handles_receive(int socket, int *handles, unsigned count);

/** \return whether `handle` is an open descriptor of this process */
bool test_handles_open(int handle);

/**
 * \param handle  the read side of a pipe or socket, non-blocking
 * \return        true if nothing is there to read (read fails with EAGAIN);
 *                false if something arrived, or the side is closed or bad
 */
bool test_handles_nothing_readable(int handle);

#endif /* _TEST_HANDLES_H_ */
