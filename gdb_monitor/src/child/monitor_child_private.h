/* SPDX-License-Identifier: MIT */
/**
 * \brief what the files of the monitor's child share: the child's config ROM
 */

#ifndef _MONITOR_CHILD_PRIVATE_H_
#define _MONITOR_CHILD_PRIVATE_H_

#include <gdb_monitor/monitor_child.h>

/**
 * Make the child's config ROM from `text` (copied into a RAM dataspace of
 * the monitor) and serve it at mc->ep.
 *
 * \return false (logged) without RAM or a capability; nothing to destroy
 */
bool monitor_child_config_create(struct monitor_child *mc, char const *text, uint64_t length)
    __attribute__((warn_unused_result));

/** a new capability to the config ROM, for one session of the child (invalid if none) */
struct session_cap monitor_child_config_cap(struct monitor_child *mc);

/** stop serving the config ROM and free its RAM (the child is gone); no-op without one */
void monitor_child_config_destroy(struct monitor_child *mc);

#endif /* _MONITOR_CHILD_PRIVATE_H_ */
