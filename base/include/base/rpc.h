/* SPDX-License-Identifier: MIT */
/**
 * \brief typed RPC: messages, and the X-macro machinery that turns one
 *        interface declaration into opcodes, client stubs and server dispatch
 *
 * An interface is declared once, as a list macro in its session header:
 *
 *   #define HELLO_RPC(M, I)                                                  \
 *       M(I, add, struct hello_add_result, (IN, uint64_t, a), (IN, uint64_t, b)) \
 *       M(I, name, enum hello_result, (OUT_BUF, 64, name))
 *
 *   RPC_INTERFACE(hello, HELLO_RPC)   (in hello.h: capability type, opcodes,
 *                                      size checks, client stubs)
 *   RPC_SERVER(hello, HELLO_RPC)      (in the server: ops struct, dispatch)
 *
 * M(I, function, result type, arguments...) names one function. Up to
 * RPC_ARGS_MAX arguments, each a tuple (KIND, TYPE, name):
 *
 *   kind       TYPE             client parameter          server parameter
 *   IN         value type       T name                    T name
 *   OUT        value type       T *name                   T *name (zeroed)
 *   INOUT      value type       T *name                   T *name
 *   IN_CAP     interface name   struct TYPE_cap name      struct TYPE_cap name
 *   OUT_CAP    interface name   struct TYPE_cap *name     struct TYPE_cap *name
 *   IN_BUF     maximum bytes    struct rpc_buffer name    struct rpc_buffer name
 *   OUT_BUF    maximum bytes    struct rpc_out_buffer *   struct rpc_out_buffer *
 *   IN_STRING  maximum bytes    char const *name          char const *name
 *
 * Only the used bytes of a buffer or string travel. A string's maximum
 * includes its terminating NUL.
 *
 * Ownership of capabilities: an IN_CAP stays the client's; the server receives
 * a reference of its own, which it must keep or cap_close(). An OUT_CAP moves
 * the server's reference to the client: the server transport closes it once
 * the reply is sent, and the client owns what it receives.
 *
 * Results: every function returns its own result type: a result enum, or a
 * struct whose first member is its result enum. Every such enum holds the
 * transport errors through RPC_RESULT_ERRORS(prefix), as its last entry (the
 * errors are negative and would renumber what follows), so a call on an
 * invalid, closed or revoked capability returns `<prefix>_INVALID_CAP` at once.
 *
 * Interface inheritance: a list may begin with the list of the interface it
 * extends, `#define B_RPC(M, I) A_RPC(M, I) M(I, more, ...)`; the extended
 * functions keep their opcodes, and CAP_CAST(a, b_cap) gives the base type.
 */

#ifndef _BASE_RPC_H_
#define _BASE_RPC_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <base/capability.h>
#include <util/string.h>

enum {
	RPC_MSG_MAX = 8192,  /* bytes of one message, header included */
	RPC_CAPS_MAX = 4,    /* capabilities in one message */
	RPC_HEADER_SIZE = 8, /* opcode or reply status, and a reserved word */
	RPC_ARGS_MAX = 10,
};

/**
 * Transport results. Each value is negative, so that an interface's own result
 * enums (from 0 up) hold them too (RPC_RESULT_ERRORS).
 */
enum rpc_result {
	RPC_OK = 0,
	RPC_INVALID_CAP = -1,    /* invalid, closed or revoked capability, or the server is gone */
	RPC_INVALID_OPCODE = -2, /* the object does not implement that function */
	RPC_MALFORMED = -3,      /* the server rejected the message as malformed */
	RPC_TOO_LARGE = -4,      /* a buffer or string exceeds its declared maximum */
	RPC_NO_RESOURCES = -5,   /* out of handles or server-side resources */
};

#define RPC_RESULT_ERRORS(P)                                                    \
	P##_INVALID_CAP = RPC_INVALID_CAP, P##_INVALID_OPCODE = RPC_INVALID_OPCODE, \
	P##_MALFORMED = RPC_MALFORMED, P##_TOO_LARGE = RPC_TOO_LARGE,               \
	P##_NO_RESOURCES = RPC_NO_RESOURCES

/** name of a transport result, for messages */
char const *rpc_result_string(enum rpc_result result);

/** an input buffer: `size` bytes at `data`, not owned by the callee */
struct rpc_buffer
{
	void const *data;
	size_t size;
};

#define RPC_BUFFER(ptr, len) ((struct rpc_buffer){ (ptr), (len) })

/** an output buffer: room for `capacity` bytes at `data`; `size` is what was filled */
struct rpc_out_buffer
{
	void *data;
	size_t capacity;
	size_t size;
};

/**
 * A message: the request of a call, and in the same storage its reply.
 * The data starts with the header (opcode, or reply status), then the
 * arguments in declaration order.
 */
struct rpc_msg
{
	uint32_t size;   /* bytes used in data */
	uint32_t offset; /* read position */
	uint32_t cap_count;
	uint32_t cap_read;
	struct cap caps[RPC_CAPS_MAX];
	_Alignas(16) uint8_t data[RPC_MSG_MAX];
};

/** start a message whose header word is `word` (an opcode or a reply status) */
void rpc_msg_init(struct rpc_msg *msg, uint32_t word);

/** header word of a received message */
static inline uint32_t rpc_msg_word(struct rpc_msg const *msg)
{
	return (uint32_t)msg->data[0] | (uint32_t)msg->data[1] << 8 | (uint32_t)msg->data[2] << 16 |
	       (uint32_t)msg->data[3] << 24;
}

/** append `size` bytes; false if the message is full (nothing appended) */
bool rpc_msg_put(struct rpc_msg *msg, void const *src, size_t size)
    __attribute__((warn_unused_result));

/** read the next `size` bytes; false if fewer remain (nothing read) */
bool rpc_msg_get(struct rpc_msg *msg, void *dst, size_t size)
    __attribute__((warn_unused_result));

/** append a length-prefixed buffer of at most `max` bytes */
enum rpc_result rpc_msg_put_buffer(struct rpc_msg *msg, void const *data, size_t size,
                                   size_t max) __attribute__((warn_unused_result));

/**
 * Read a length-prefixed buffer of at most `max` bytes without copying.
 * `*data` points into the message and stays valid while the message does.
 */
bool rpc_msg_get_buffer(struct rpc_msg *msg, void const **data, size_t *size, size_t max)
    __attribute__((warn_unused_result));

/** append a NUL-terminated string whose size with NUL is at most `max` */
enum rpc_result rpc_msg_put_string(struct rpc_msg *msg, char const *string, size_t max)
    __attribute__((warn_unused_result));

/** read a string: a buffer of at most `max` bytes that ends in its only NUL */
bool rpc_msg_get_string(struct rpc_msg *msg, char const **string, size_t max)
    __attribute__((warn_unused_result));

/** append a capability (an invalid one travels as "none") */
bool rpc_msg_put_cap(struct rpc_msg *msg, struct cap cap) __attribute__((warn_unused_result));

/** read the next capability; the message's reference moves to the caller */
bool rpc_msg_get_cap(struct rpc_msg *msg, struct cap *cap) __attribute__((warn_unused_result));

/** whether every byte and capability of a received message has been read */
bool rpc_msg_consumed(struct rpc_msg const *msg);

/** close the capabilities of a received message that were not read */
void rpc_msg_close_caps(struct rpc_msg *msg);

/**
 * Send `msg` as a request to the object that `cap` names, and wait for the
 * reply, which replaces the request in `msg`. The caller's capabilities in
 * the request stay the caller's; those in the reply become the caller's.
 *
 * \return RPC_OK with the reply positioned after its header, or the
 *         transport error (RPC_INVALID_CAP also for a server that died)
 *
 * Concurrent calls of several threads on one capability are independent:
 * each gets its own reply.
 */
enum rpc_result rpc_call(struct cap cap, struct rpc_msg *msg)
    __attribute__((warn_unused_result));

/* store a transport error in a function's result (enum or struct led by one) */
static inline void rpc_result_store(void *result, size_t size, enum rpc_result error)
{
	uint8_t *bytes = result;
	int value = (int)error;
	for (size_t i = 0; i < size; i++) bytes[i] = 0;
	for (size_t i = 0; i < sizeof(value); i++) bytes[i] = ((uint8_t const *)&value)[i];
}

/* a bool from the wire may hold any byte: read it as a byte, keep 0 or 1 */
static inline void rpc_normalize_bool(void *value)
{
	unsigned char *byte = value;
	*byte = *byte != 0;
}

static inline void rpc_normalize_other(void *value) { (void)value; }

#define RPC_NORMALIZE(x) \
	_Generic((x), bool : rpc_normalize_bool, default : rpc_normalize_other)(&(x))

/* ---- argument-list iteration ---------------------------------------------------- */

#define RPC_NARGS(...)                                                  RPC_NARGS_(0, ##__VA_ARGS__, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define RPC_NARGS_(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, N, ...) N
#define RPC_CAT(a, b)                                                   RPC_CAT_(a, b)
#define RPC_CAT_(a, b)                                                  a##b

/* apply F to each argument tuple: F (KIND, TYPE, name) */
#define RPC_EACH(F, ...) RPC_CAT(RPC_EACH_, RPC_NARGS(__VA_ARGS__))(F, ##__VA_ARGS__)
#define RPC_EACH_0(F)
#define RPC_EACH_1(F, a)       RPC_APPLY(F, RPC_UNPACK a)
#define RPC_EACH_2(F, a, ...)  RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_1(F, __VA_ARGS__)
#define RPC_EACH_3(F, a, ...)  RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_2(F, __VA_ARGS__)
#define RPC_EACH_4(F, a, ...)  RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_3(F, __VA_ARGS__)
#define RPC_EACH_5(F, a, ...)  RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_4(F, __VA_ARGS__)
#define RPC_EACH_6(F, a, ...)  RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_5(F, __VA_ARGS__)
#define RPC_EACH_7(F, a, ...)  RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_6(F, __VA_ARGS__)
#define RPC_EACH_8(F, a, ...)  RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_7(F, __VA_ARGS__)
#define RPC_EACH_9(F, a, ...)  RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_8(F, __VA_ARGS__)
#define RPC_EACH_10(F, a, ...) RPC_APPLY(F, RPC_UNPACK a) RPC_EACH_9(F, __VA_ARGS__)
/* spelled out as a call, so that every preprocessor (also cppcheck's) expands F */
#define RPC_UNPACK(...)        __VA_ARGS__
#define RPC_APPLY(F, ...)      RPC_APPLY_(F, __VA_ARGS__)
#define RPC_APPLY_(F, K, T, n) F(K, T, n)

/* ---- per-kind pieces: client parameter, wire sizes, marshalling ------------------ */

#define RPC_CLIENT_PARAM(K, T, n)        RPC_CLIENT_PARAM_##K(T, n)
#define RPC_CLIENT_PARAM_IN(T, n)        , T n
#define RPC_CLIENT_PARAM_OUT(T, n)       , T *n
#define RPC_CLIENT_PARAM_INOUT(T, n)     , T *n
#define RPC_CLIENT_PARAM_IN_CAP(T, n)    , struct T##_cap n
#define RPC_CLIENT_PARAM_OUT_CAP(T, n)   , struct T##_cap *n
#define RPC_CLIENT_PARAM_IN_BUF(T, n)    , struct rpc_buffer n
#define RPC_CLIENT_PARAM_OUT_BUF(T, n)   , struct rpc_out_buffer *n
#define RPC_CLIENT_PARAM_IN_STRING(T, n) , char const *n

/* request bytes of an argument, at most */
#define RPC_IN_SIZE(K, T, n)     +RPC_IN_SIZE_##K(T)
#define RPC_IN_SIZE_IN(T)        sizeof(T)
#define RPC_IN_SIZE_OUT(T)       0
#define RPC_IN_SIZE_INOUT(T)     sizeof(T)
#define RPC_IN_SIZE_IN_CAP(T)    sizeof(uint32_t)
#define RPC_IN_SIZE_OUT_CAP(T)   0
#define RPC_IN_SIZE_IN_BUF(T)    (sizeof(uint32_t) + (T))
#define RPC_IN_SIZE_OUT_BUF(T)   sizeof(uint32_t)
#define RPC_IN_SIZE_IN_STRING(T) (sizeof(uint32_t) + (T))

/* reply bytes of an argument, at most */
#define RPC_OUT_SIZE(K, T, n)     +RPC_OUT_SIZE_##K(T)
#define RPC_OUT_SIZE_IN(T)        0
#define RPC_OUT_SIZE_OUT(T)       sizeof(T)
#define RPC_OUT_SIZE_INOUT(T)     sizeof(T)
#define RPC_OUT_SIZE_IN_CAP(T)    0
#define RPC_OUT_SIZE_OUT_CAP(T)   sizeof(uint32_t)
#define RPC_OUT_SIZE_IN_BUF(T)    0
#define RPC_OUT_SIZE_OUT_BUF(T)   (sizeof(uint32_t) + (T))
#define RPC_OUT_SIZE_IN_STRING(T) 0

#define RPC_IN_CAPS(K, T, n)  +RPC_IN_CAPS_##K
#define RPC_IN_CAPS_IN        0
#define RPC_IN_CAPS_OUT       0
#define RPC_IN_CAPS_INOUT     0
#define RPC_IN_CAPS_IN_CAP    1
#define RPC_IN_CAPS_OUT_CAP   0
#define RPC_IN_CAPS_IN_BUF    0
#define RPC_IN_CAPS_OUT_BUF   0
#define RPC_IN_CAPS_IN_STRING 0

#define RPC_OUT_CAPS(K, T, n)  +RPC_OUT_CAPS_##K
#define RPC_OUT_CAPS_IN        0
#define RPC_OUT_CAPS_OUT       0
#define RPC_OUT_CAPS_INOUT     0
#define RPC_OUT_CAPS_IN_CAP    0
#define RPC_OUT_CAPS_OUT_CAP   1
#define RPC_OUT_CAPS_IN_BUF    0
#define RPC_OUT_CAPS_OUT_BUF   0
#define RPC_OUT_CAPS_IN_STRING 0

/* client: marshal the request (sets _t on error) */
#define RPC_CLIENT_PUT(K, T, n) RPC_CLIENT_PUT_##K(T, n)
#define RPC_CLIENT_PUT_IN(T, n) \
	if (_t == RPC_OK && !rpc_msg_put(&_msg, &n, sizeof(T))) _t = RPC_TOO_LARGE;
#define RPC_CLIENT_PUT_OUT(T, n)
#define RPC_CLIENT_PUT_INOUT(T, n) \
	if (_t == RPC_OK && !rpc_msg_put(&_msg, n, sizeof(T))) _t = RPC_TOO_LARGE;
#define RPC_CLIENT_PUT_IN_CAP(T, n) \
	if (_t == RPC_OK && !rpc_msg_put_cap(&_msg, n.cap)) _t = RPC_TOO_LARGE;
#define RPC_CLIENT_PUT_OUT_CAP(T, n)
#define RPC_CLIENT_PUT_IN_BUF(T, n) \
	if (_t == RPC_OK) _t = rpc_msg_put_buffer(&_msg, n.data, n.size, (T));
#define RPC_CLIENT_PUT_OUT_BUF(T, n)                                                    \
	if (_t == RPC_OK) {                                                                 \
		uint32_t _capacity = n->capacity < (T) ? (uint32_t)n->capacity : (uint32_t)(T); \
		if (!rpc_msg_put(&_msg, &_capacity, sizeof(_capacity))) _t = RPC_TOO_LARGE;     \
	}
#define RPC_CLIENT_PUT_IN_STRING(T, n) \
	if (_t == RPC_OK) _t = rpc_msg_put_string(&_msg, n, (T));

/* client: unmarshal the reply (sets _t on error) */
#define RPC_CLIENT_GET(K, T, n) RPC_CLIENT_GET_##K(T, n)
#define RPC_CLIENT_GET_IN(T, n)
#define RPC_CLIENT_GET_OUT(T, n) \
	if (_t == RPC_OK && !rpc_msg_get(&_msg, n, sizeof(T))) _t = RPC_MALFORMED;
#define RPC_CLIENT_GET_INOUT(T, n) RPC_CLIENT_GET_OUT(T, n)
#define RPC_CLIENT_GET_IN_CAP(T, n)
#define RPC_CLIENT_GET_OUT_CAP(T, n) \
	if (_t == RPC_OK && !rpc_msg_get_cap(&_msg, &n->cap)) _t = RPC_MALFORMED;
#define RPC_CLIENT_GET_IN_BUF(T, n)
#define RPC_CLIENT_GET_OUT_BUF(T, n)                                                           \
	if (_t == RPC_OK) {                                                                        \
		void const *_data;                                                                     \
		size_t _size;                                                                          \
		if (!rpc_msg_get_buffer(&_msg, &_data, &_size, n->capacity < (T) ? n->capacity : (T))) \
			_t = RPC_MALFORMED;                                                                \
		else {                                                                                 \
			memory_copy(n->data, _data, _size);                                                \
			n->size = _size;                                                                   \
		}                                                                                      \
	}
#define RPC_CLIENT_GET_IN_STRING(T, n)

/* ---- generators ------------------------------------------------------------------ */

#define RPC_OPCODE(I, f, R, ...) I##_OP_##f,

#define RPC_SIZE_CHECK(I, f, R, ...)                                                    \
	_Static_assert(RPC_HEADER_SIZE RPC_EACH(RPC_IN_SIZE, ##__VA_ARGS__) <= RPC_MSG_MAX, \
	               #I "_" #f ": request exceeds RPC_MSG_MAX");                          \
	_Static_assert(RPC_HEADER_SIZE + sizeof(R) RPC_EACH(RPC_OUT_SIZE, ##__VA_ARGS__) <= \
	                   RPC_MSG_MAX,                                                     \
	               #I "_" #f ": reply exceeds RPC_MSG_MAX");                            \
	_Static_assert(0 RPC_EACH(RPC_IN_CAPS, ##__VA_ARGS__) <= RPC_CAPS_MAX,              \
	               #I "_" #f ": too many capabilities in the request");                 \
	_Static_assert(0 RPC_EACH(RPC_OUT_CAPS, ##__VA_ARGS__) <= RPC_CAPS_MAX,             \
	               #I "_" #f ": too many capabilities in the reply");                   \
	_Static_assert(sizeof(R) >= sizeof(int), #I "_" #f ": result must lead with an enum");

#define RPC_CLIENT_STUB(I, f, R, ...)                                                      \
	static inline R I##_##f(struct I##_cap _cap RPC_EACH(RPC_CLIENT_PARAM, ##__VA_ARGS__)) \
	{                                                                                      \
		struct rpc_msg _msg;                                                               \
		enum rpc_result _t = RPC_OK;                                                       \
		R _r;                                                                              \
		rpc_msg_init(&_msg, I##_OP_##f);                                                   \
		RPC_EACH(RPC_CLIENT_PUT, ##__VA_ARGS__)                                            \
		if (_t == RPC_OK) _t = rpc_call(_cap.cap, &_msg);                                  \
		if (_t == RPC_OK && !rpc_msg_get(&_msg, &_r, sizeof(_r))) _t = RPC_MALFORMED;      \
		RPC_EACH(RPC_CLIENT_GET, ##__VA_ARGS__)                                            \
		if (_t != RPC_OK) rpc_result_store(&_r, sizeof(_r), _t);                           \
		return _r;                                                                         \
	}

/**
 * Declare interface I from its list: `struct I_cap`, `enum I_opcode`, the
 * compile-time message bounds and one client stub `I_<function>(cap, ...)`
 * per function.
 */
#define RPC_INTERFACE(I, LIST)                           \
	CAP_TYPE(I);                                         \
	enum I##_opcode{ LIST(RPC_OPCODE, I) I##_OP_COUNT }; \
	LIST(RPC_SIZE_CHECK, I)                              \
	LIST(RPC_CLIENT_STUB, I)

/* ---- server side ------------------------------------------------------------------- */

#define RPC_SERVER_PARAM(K, T, n)        RPC_SERVER_PARAM_##K(T, n)
#define RPC_SERVER_PARAM_IN(T, n)        , T n
#define RPC_SERVER_PARAM_OUT(T, n)       , T *n
#define RPC_SERVER_PARAM_INOUT(T, n)     , T *n
#define RPC_SERVER_PARAM_IN_CAP(T, n)    , struct T##_cap n
#define RPC_SERVER_PARAM_OUT_CAP(T, n)   , struct T##_cap *n
#define RPC_SERVER_PARAM_IN_BUF(T, n)    , struct rpc_buffer n
#define RPC_SERVER_PARAM_OUT_BUF(T, n)   , struct rpc_out_buffer *n
#define RPC_SERVER_PARAM_IN_STRING(T, n) , char const *n

#define RPC_SERVER_ARG(K, T, n)     RPC_SERVER_ARG_##K(n)
#define RPC_SERVER_ARG_IN(n)        , n
#define RPC_SERVER_ARG_OUT(n)       , &n
#define RPC_SERVER_ARG_INOUT(n)     , &n
#define RPC_SERVER_ARG_IN_CAP(n)    , n
#define RPC_SERVER_ARG_OUT_CAP(n)   , &n
#define RPC_SERVER_ARG_IN_BUF(n)    , n
#define RPC_SERVER_ARG_OUT_BUF(n)   , &n
#define RPC_SERVER_ARG_IN_STRING(n) , n

/* declare the server's local of an argument */
#define RPC_SERVER_LOCAL(K, T, n) RPC_SERVER_LOCAL_##K(T, n)
#define RPC_SERVER_LOCAL_IN(T, n) T n;
#define RPC_SERVER_LOCAL_OUT(T, n) \
	T n;                           \
	rpc_result_store(&n, sizeof(n), RPC_OK);
#define RPC_SERVER_LOCAL_INOUT(T, n)   T n;
#define RPC_SERVER_LOCAL_IN_CAP(T, n)  struct T##_cap n = CAP_INVALID(T);
#define RPC_SERVER_LOCAL_OUT_CAP(T, n) struct T##_cap n = CAP_INVALID(T);
#define RPC_SERVER_LOCAL_IN_BUF(T, n)  struct rpc_buffer n = { 0, 0 };
#define RPC_SERVER_LOCAL_OUT_BUF(T, n)  \
	uint8_t n##_storage[(T) ? (T) : 1]; \
	struct rpc_out_buffer n = { n##_storage, 0, 0 };
#define RPC_SERVER_LOCAL_IN_STRING(T, n) char const *n = 0;

/* decode a request argument (sets _ok to false on error) */
#define RPC_SERVER_GET(K, T, n) RPC_SERVER_GET_##K(T, n)
#define RPC_SERVER_GET_IN(T, n)                    \
	_ok = _ok && rpc_msg_get(_req, &n, sizeof(T)); \
	if (_ok) RPC_NORMALIZE(n);
#define RPC_SERVER_GET_OUT(T, n)
#define RPC_SERVER_GET_INOUT(T, n)  RPC_SERVER_GET_IN(T, n)
#define RPC_SERVER_GET_IN_CAP(T, n) _ok = _ok && rpc_msg_get_cap(_req, &n.cap);
#define RPC_SERVER_GET_OUT_CAP(T, n)
#define RPC_SERVER_GET_IN_BUF(T, n) \
	_ok = _ok && rpc_msg_get_buffer(_req, &n.data, &n.size, (T));
#define RPC_SERVER_GET_OUT_BUF(T, n)                                                       \
	{                                                                                      \
		uint32_t _capacity = 0;                                                            \
		_ok = _ok && rpc_msg_get(_req, &_capacity, sizeof(_capacity)) && _capacity <= (T); \
		n.capacity = _capacity;                                                            \
	}
#define RPC_SERVER_GET_IN_STRING(T, n) _ok = _ok && rpc_msg_get_string(_req, &n, (T));

/* close a decoded capability argument after a failed decode */
#define RPC_SERVER_DROP(K, T, n) RPC_SERVER_DROP_##K(n)
#define RPC_SERVER_DROP_IN(n)
#define RPC_SERVER_DROP_OUT(n)
#define RPC_SERVER_DROP_INOUT(n)
#define RPC_SERVER_DROP_IN_CAP(n) cap_close(n.cap);
#define RPC_SERVER_DROP_OUT_CAP(n)
#define RPC_SERVER_DROP_IN_BUF(n)
#define RPC_SERVER_DROP_OUT_BUF(n)
#define RPC_SERVER_DROP_IN_STRING(n)

/* encode a reply argument */
#define RPC_SERVER_PUT(K, T, n) RPC_SERVER_PUT_##K(T, n)
#define RPC_SERVER_PUT_IN(T, n)
#define RPC_SERVER_PUT_OUT(T, n)   _ok = _ok && rpc_msg_put(_rep, &n, sizeof(T));
#define RPC_SERVER_PUT_INOUT(T, n) RPC_SERVER_PUT_OUT(T, n)
#define RPC_SERVER_PUT_IN_CAP(T, n)
#define RPC_SERVER_PUT_OUT_CAP(T, n) _ok = _ok && rpc_msg_put_cap(_rep, n.cap);
#define RPC_SERVER_PUT_IN_BUF(T, n)
#define RPC_SERVER_PUT_OUT_BUF(T, n)     \
	_ok = _ok && n.size <= n.capacity && \
	      rpc_msg_put_buffer(_rep, n.data, n.size, n.capacity) == RPC_OK;
#define RPC_SERVER_PUT_IN_STRING(T, n)

#define RPC_SERVER_OP(I, f, R, ...) \
	R (*f)(void *state RPC_EACH(RPC_SERVER_PARAM, ##__VA_ARGS__));

#define RPC_SERVER_CASE(I, f, R, ...)                                   \
	case I##_OP_##f: {                                                  \
		bool _ok = true;                                                \
		RPC_EACH(RPC_SERVER_LOCAL, ##__VA_ARGS__)                       \
		RPC_EACH(RPC_SERVER_GET, ##__VA_ARGS__)                         \
		if (!_ok || !rpc_msg_consumed(_req)) {                          \
			RPC_EACH(RPC_SERVER_DROP, ##__VA_ARGS__)                    \
			return RPC_MALFORMED;                                       \
		}                                                               \
		if (!_ops->f) return RPC_INVALID_OPCODE;                        \
		R _r = _ops->f(_state RPC_EACH(RPC_SERVER_ARG, ##__VA_ARGS__)); \
		rpc_msg_init(_rep, RPC_OK);                                     \
		_ok = rpc_msg_put(_rep, &_r, sizeof(_r));                       \
		RPC_EACH(RPC_SERVER_PUT, ##__VA_ARGS__)                         \
		return _ok ? RPC_OK : RPC_TOO_LARGE;                            \
	}

/**
 * Define the server side of interface I: `struct I_ops` (one function pointer
 * per function, each taking the object's state first) and
 * `I_dispatch(ops, state, request, reply)`, which decodes and validates the
 * whole request before it calls the implementation. A NULL function pointer
 * answers RPC_INVALID_OPCODE.
 */
#define RPC_SERVER(I, LIST)                                                                \
	struct I##_ops                                                                         \
	{                                                                                      \
		LIST(RPC_SERVER_OP, I)                                                             \
	};                                                                                     \
	static inline enum rpc_result I##_dispatch(void const *_ops_untyped, void *_state,     \
	                                           struct rpc_msg *_req, struct rpc_msg *_rep) \
	{                                                                                      \
		struct I##_ops const *_ops = _ops_untyped;                                         \
		switch ((enum I##_opcode)rpc_msg_word(_req)) {                                     \
			LIST(RPC_SERVER_CASE, I)                                                       \
		case I##_OP_COUNT:                                                                 \
			break;                                                                         \
		}                                                                                  \
		rpc_msg_close_caps(_req);                                                          \
		return RPC_INVALID_OPCODE;                                                         \
	}

#endif /* _BASE_RPC_H_ */
