/* SPDX-License-Identifier: MIT */
/** \brief checks the signal tests share */

#ifndef _TEST_SIGNAL_CHECKS_H_
#define _TEST_SIGNAL_CHECKS_H_

#include <base/signal.h>

#include "unit_test.h"

/* `s` delivers nothing: no signal, no context, no count */
static inline void check_no_signal(struct signal s)
{
	CHECK_EQ(s.result, SIGNAL_NONE);
	CHECK(s.context == NULL);
	CHECK_EQ(s.count, 0);
}

#endif /* _TEST_SIGNAL_CHECKS_H_ */
