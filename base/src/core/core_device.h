/* SPDX-License-Identifier: MIT */
/**
 * \brief core's device sessions (IRQ, IO_MEM, IO_PORT): the platform's part
 *
 * Device access needs a kernel that has devices to give, so each platform
 * implements these in base/src/core/<platform>/core_device.c. core_service.c
 * checks the request (argument grammar, donation, payer) before it calls
 * core_device_create, and pairs it with core_device_cap and
 * core_device_destroy as it does for every service. All run in core's
 * entrypoint thread.
 */

#ifndef _CORE_CORE_DEVICE_H_
#define _CORE_CORE_DEVICE_H_

#include "core_service.h"

/**
 * Create a device session for `label`.
 *
 * \param service  "IRQ", "IO_MEM" or "IO_PORT"
 * \param args     the request's checked argument string
 * \param quota    the donation, already withdrawn from the payer
 * \return         the session object and its capability (both the caller's),
 *                 or a NULL object with the reason logged: denied
 */
struct core_service_object core_device_create(struct core *core, char const *service,
                                              char const *label, char const *args,
                                              uint64_t quota);

/** a new capability of a device session that core_device_create gave, the caller's */
struct session_cap core_device_cap(void *object);

/** destroy a device session that core_device_create gave */
void core_device_destroy(struct core *core, void *object);

#endif /* _CORE_CORE_DEVICE_H_ */
