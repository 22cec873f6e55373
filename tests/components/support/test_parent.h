/* SPDX-License-Identifier: MIT */
/**
 * \brief what the test parents of the run scenarios share: an entrypoint
 *        served by a thread of its own (for the children's parent calls),
 *        and symbol lookup in a child's binary
 */

#ifndef _TEST_PARENT_H_
#define _TEST_PARENT_H_

#include <base/child.h>
#include <base/env.h>
#include <base/rpc_entrypoint.h>
#include <base/signal.h>
#include <base/thread.h>

enum { TEST_PARENT_ENDPOINTS = 256 };

struct test_parent
{
	struct env *env;
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[TEST_PARENT_ENDPOINTS];
	struct thread server;
};

/** set up the entrypoint and the thread that serves it; panics on failure */
void test_parent_init(struct test_parent *parent, struct env *env);

/** start a child with `ram_quota` bytes and an optional policy; panics on failure */
void test_parent_start_child(struct test_parent *parent, struct child *child, char const *name,
                             uint64_t ram_quota, struct child_policy const *policy);

/**
 * Set up `receiver` over `count` `slots` with one `context` (its imprint
 * `imprint`) managed at it: the handler a test parent gives a child's RM or
 * CPU session. Panics on failure.
 *
 * \return the context's capability, owned by the caller
 */
struct signal_context_cap test_parent_receiver_init(struct signal_receiver *receiver,
                                                    struct signal_slot *slots, uint32_t count,
                                                    struct signal_context *context,
                                                    void *imprint);

/** the address of symbol `name` in boot module `module`; panics if absent */
uint64_t test_parent_symbol(struct env *env, char const *module, char const *name);

#endif /* _TEST_PARENT_H_ */
