/* SPDX-License-Identifier: MIT */
/**
 * \brief core's device sessions on Linux: none, the hosted platform has no
 *        devices to give, so every request is denied (logged)
 */

#include <base/panic.h>

#include "core_device.h"

struct core_service_object core_device_create(struct core *core, char const *service,
                                              char const *label, char const *args,
                                              uint64_t quota)
{
	(void)service, (void)args, (void)quota;
	core_log(core,
	         "device sessions (IRQ, IO_MEM, IO_PORT) are not available on the hosted "
	         "platform; denied for \"%s\"",
	         label);
	return (struct core_service_object){ 0, CAP_INVALID(session) };
}

/* core_device_create gives no object, so nothing can name one here */
struct session_cap core_device_cap(void *object)
{
	panic("core: a device session %p on the hosted platform", object);
}

void core_device_destroy(struct core *core, void *object)
{
	(void)core;
	panic("core: a device session %p on the hosted platform", object);
}
