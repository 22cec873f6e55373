/* SPDX-License-Identifier: MIT */
/**
 * \brief capabilities: unforgeable references to RPC objects
 *
 * A capability names an RPC object (or a signal context) and is the only way
 * to invoke it. Its representation belongs to the platform: on Linux it is a
 * file descriptor of a socket whose peer is held by the object's server, so
 * holding the descriptor is the authority.
 *
 * Each interface has its own capability type, declared with CAP_TYPE(name) as
 * `struct name_cap { struct cap cap; }`. Passing a capability of one interface
 * where another is expected does not compile; CAP_CAST() converts explicitly
 * (grep for it).
 */

#ifndef _BASE_CAPABILITY_H_
#define _BASE_CAPABILITY_H_

#include <stdbool.h>

/** untyped capability: the platform's handle (on Linux, a file descriptor) */
struct cap
{
	int handle;
};

#define CAP_INVALID_HANDLE (-1)

/** declare the capability type `struct <name>_cap` of interface <name> */
#define CAP_TYPE(name)  \
	struct name##_cap   \
	{                   \
		struct cap cap; \
	}

/** convert a typed capability into the capability type of interface <name> */
#define CAP_CAST(name, typed) ((struct name##_cap){ (typed).cap })

/** the invalid capability of interface <name> */
#define CAP_INVALID(name) ((struct name##_cap){ { CAP_INVALID_HANDLE } })

static inline struct cap cap_invalid(void) { return (struct cap){ CAP_INVALID_HANDLE }; }

/** whether the capability refers to anything at all (it may still be revoked) */
static inline bool cap_valid(struct cap cap) { return cap.handle >= 0; }

/**
 * Drop this component's reference to the object.
 *
 * Afterwards the handle is meaningless; using it again is a bug of the caller.
 * When the last reference of all components is dropped, the server learns it.
 * Closing an invalid capability does nothing.
 */
void cap_close(struct cap cap);

/**
 * Make a second, independent reference to the same object.
 *
 * \return  the new capability, owned by the caller, or an invalid one when the
 *          platform ran out of handles
 */
struct cap cap_copy(struct cap cap) __attribute__((warn_unused_result));

#endif /* _BASE_CAPABILITY_H_ */
