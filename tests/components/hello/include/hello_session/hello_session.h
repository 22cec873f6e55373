/* SPDX-License-Identifier: MIT */
/**
 * \brief Hello session: the example service of RPC across components
 *
 * A server (hello_server) announces the service "Hello" to its parent; a
 * client opens a session through its own parent with
 * `env_session(env, "Hello", "ram_quota=8192")` and CAP_CASTs the capability
 * to `struct hello_session_cap`. The session knows the label that the
 * parents put into the request, so the server tells its clients apart.
 *
 * Session arguments (checked by the server's root before anything is made):
 *   ram_quota  at least HELLO_SESSION_RAM_MIN bytes, otherwise the request is
 *              denied with ROOT_INSUFFICIENT_DONATION
 *   label      the client's label as the parents wrote it (missing: "")
 * A malformed argument string, a ram_quota that is no number or a label of
 * SESSION_LABEL_MAX bytes or more is denied with ROOT_INVALID_ARGUMENT.
 *
 * The functions (results: enum hello_session_result, alone or leading a
 * struct; every function may also return the transport errors
 * HELLO_INVALID_CAP, ... of RPC_RESULT_ERRORS):
 *
 * say_hello(label)
 *   Writes the session's label, without a NUL, into the OUT_BUF `label` and
 *   logs `say_hello from "<label>"` at the server.
 *   HELLO_BUFFER_TOO_SMALL: the buffer's capacity is below the label's length;
 *   nothing is written (label->size is 0).
 *
 * add(a, b)
 *   The sum a + b in `.sum`.
 *   HELLO_OVERFLOW: the sum does not fit int64_t; `.sum` is 0.
 *
 * reverse(text, reversed)
 *   The bytes of the IN_BUF `text` in reverse order in the OUT_BUF
 *   `reversed`, and in `.byte_sum` the sum of the bytes (as unsigned values).
 *   HELLO_BUFFER_TOO_SMALL: `reversed` holds fewer than text.size bytes;
 *   nothing is written.
 *   HELLO_TOO_LARGE (transport, from the client stub, nothing is sent):
 *   text.size exceeds HELLO_TEXT_MAX.
 *
 * complement(ds)
 *   Shared memory: the server attaches the RAM dataspace `ds` writeable,
 *   sums its bytes into `.byte_sum` (and its size into `.size`), then
 *   replaces every byte b by ~b, so the client sees the server's answer in
 *   its own mapping, and detaches it again. The capability stays the
 *   client's; the server closes the reference it received in every case.
 *   HELLO_INVALID_DATASPACE: `ds` is invalid, revoked, or no dataspace that
 *   can be attached writeable (a ROM dataspace, say).
 *   HELLO_DATASPACE_TOO_LARGE: the dataspace exceeds HELLO_DATASPACE_MAX.
 *   HELLO_OUT_OF_RESOURCES: the server found no room to attach it.
 *   On any error the dataspace is unchanged and `.byte_sum`, `.size` are 0.
 *   Caveat: the server asks `ds` itself for its size (dataspace_info, also
 *   inside env_attach_all) before core has vouched for it. So `ds` must
 *   name a dataspace of core: a capability of an object of the server
 *   (say, the client's Hello session cast to a dataspace) makes the
 *   single-threaded server call itself, one of the client's own objects
 *   may never answer; either blocks the server.
 */

#ifndef _HELLO_SESSION_HELLO_SESSION_H_
#define _HELLO_SESSION_HELLO_SESSION_H_

#include <base/rpc.h>
#include <base/session.h>
#include <dataspace/dataspace.h>

enum {
	HELLO_TEXT_MAX = 256,                /* bytes of a reverse() text */
	HELLO_DATASPACE_MAX = 1 << 20,       /* bytes of a complement() dataspace */
	HELLO_SESSION_RAM_MIN = 4096,        /* ram_quota a session needs */
	HELLO_LABEL_MAX = SESSION_LABEL_MAX, /* bytes of a say_hello() label */
};

enum hello_session_result {
	HELLO_OK = 0,
	HELLO_BUFFER_TOO_SMALL,    /* an OUT_BUF cannot hold the answer; nothing written */
	HELLO_OVERFLOW,            /* add: the sum does not fit int64_t */
	HELLO_INVALID_DATASPACE,   /* complement: invalid, revoked or read-only dataspace */
	HELLO_DATASPACE_TOO_LARGE, /* complement: more than HELLO_DATASPACE_MAX bytes */
	HELLO_OUT_OF_RESOURCES,    /* complement: no room in the server's address space */
	RPC_RESULT_ERRORS(HELLO),
};

struct hello_add_result
{
	enum hello_session_result result;
	int64_t sum; /* a + b if HELLO_OK, else 0 */
};

struct hello_reverse_result
{
	enum hello_session_result result;
	uint64_t byte_sum; /* sum of the text's bytes if HELLO_OK, else 0 */
};

struct hello_complement_result
{
	enum hello_session_result result;
	uint64_t byte_sum; /* sum of the dataspace's bytes before the complement */
	uint64_t size;     /* bytes of the dataspace */
};

#define HELLO_SESSION_RPC(M, I)                                                   \
	M(I, say_hello, enum hello_session_result, (OUT_BUF, HELLO_LABEL_MAX, label)) \
	M(I, add, struct hello_add_result, (IN, int64_t, a), (IN, int64_t, b))        \
	M(I, reverse, struct hello_reverse_result, (IN_BUF, HELLO_TEXT_MAX, text),    \
	  (OUT_BUF, HELLO_TEXT_MAX, reversed))                                        \
	M(I, complement, struct hello_complement_result, (IN_CAP, dataspace, ds))

RPC_INTERFACE(hello_session, HELLO_SESSION_RPC)

#endif /* _HELLO_SESSION_HELLO_SESSION_H_ */
