/* SPDX-License-Identifier: MIT */
/** \brief checks and steps the signal tests share */

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

/* `context` (its imprint `imprint`) managed by `receiver`: its first capability */
static inline struct signal_context_cap
check_managed(struct signal_receiver *receiver, struct signal_context *context, void *imprint)
{
	signal_context_init(context, imprint);
	struct signal_context_cap_result r = signal_receiver_manage(receiver, context);
	CHECK_EQ(r.result, SIGNAL_RECEIVER_OK);
	CHECK(cap_valid(r.cap.cap));
	return r.cap;
}

#endif /* _TEST_SIGNAL_CHECKS_H_ */
