/* SPDX-License-Identifier: MIT */
/**
 * \brief core's children: the parent interface core serves to the components
 *        it starts itself (init, or until init exists, one named component)
 */

#ifndef _CORE_CORE_CHILD_H_
#define _CORE_CORE_CHILD_H_

#include "core.h"

struct core_child;

/**
 * Make the environment of a child that runs boot module `name` with
 * `ram_quota` bytes. Called before core's entrypoint serves.
 *
 * \return the child, or NULL (logged)
 */
struct core_child *core_child_create(struct core *core, char const *name, uint64_t ram_quota);

/**
 * Load and start the child: through RPC to core's serving entrypoint, from
 * another thread, like any parent does.
 *
 * \return whether it started (else logged)
 */
bool core_child_load(struct core_child *child);

#endif /* _CORE_CORE_CHILD_H_ */
