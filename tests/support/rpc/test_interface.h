/* SPDX-License-Identifier: MIT */
/**
 * \brief the RPC interfaces of the RPC tests: a counter, a tester with every
 *        argument kind, and an extension of the tester (interface inheritance)
 */

#ifndef _TEST_INTERFACE_H_
#define _TEST_INTERFACE_H_

#include <base/rpc.h>

enum counter_result {
	COUNTER_OK = 0,
	RPC_RESULT_ERRORS(COUNTER),
};

struct counter_value_result
{
	enum counter_result result;
	uint64_t value;
};

#define COUNTER_RPC(M, I)                                          \
	M(I, add, struct counter_value_result, (IN, uint64_t, amount)) \
	M(I, get, struct counter_value_result)

RPC_INTERFACE(counter, COUNTER_RPC)

enum tester_result {
	TESTER_OK = 0,
	TESTER_DENIED,
	TESTER_UNKNOWN_COUNTER,
	RPC_RESULT_ERRORS(TESTER),
};

struct tester_value_result
{
	enum tester_result result;
	uint64_t value;
};

struct tester_point
{
	int32_t x;
	int32_t y;
	uint64_t z;
};

enum { TESTER_ECHO_MAX = 4096, TESTER_NAME_MAX = 64, TESTER_GREETING_MAX = 128 };

#define TESTER_RPC(M, I)                                                                       \
	M(I, null, enum tester_result)                                                             \
	M(I, sum7, struct tester_value_result, (IN, uint8_t, a), (IN, uint16_t, b),                \
	  (IN, uint32_t, c), (IN, uint64_t, d), (IN, int64_t, e), (IN, bool, f),                   \
	  (IN, struct tester_point, g))                                                            \
	M(I, mirror, enum tester_result, (INOUT, struct tester_point, point),                      \
	  (OUT, uint64_t, checksum))                                                               \
	M(I, echo, enum tester_result, (IN_BUF, TESTER_ECHO_MAX, in),                              \
	  (OUT_BUF, TESTER_ECHO_MAX, out))                                                         \
	M(I, sink, struct tester_value_result, (IN_BUF, TESTER_ECHO_MAX, in))                      \
	M(I, greet, enum tester_result, (IN_STRING, TESTER_NAME_MAX, name),                        \
	  (OUT_BUF, TESTER_GREETING_MAX, greeting))                                                \
	M(I, make_counter, enum tester_result, (IN, uint64_t, start), (OUT_CAP, counter, counter)) \
	M(I, add_via, struct tester_value_result, (IN_CAP, counter, counter),                      \
	  (IN, uint64_t, amount))                                                                  \
	M(I, revoke, enum tester_result, (IN_CAP, counter, counter))                               \
	M(I, unreferenced, struct tester_value_result)                                             \
	M(I, all_kinds, struct tester_value_result, (IN, uint64_t, a), (OUT, uint64_t, b),         \
	  (INOUT, uint32_t, c), (IN_CAP, counter, d), (OUT_CAP, counter, e), (IN_BUF, 100, f),     \
	  (OUT_BUF, 100, g), (IN_STRING, 32, h))                                                   \
	M(I, die, enum tester_result)

RPC_INTERFACE(tester, TESTER_RPC)

/* an interface that extends the tester, as a platform extension of a session would */
#define TESTER_EXT_RPC(M, I) \
	TESTER_RPC(M, I)         \
	M(I, twice, struct tester_value_result, (IN, uint64_t, value))

RPC_INTERFACE(tester_ext, TESTER_EXT_RPC)

#endif /* _TEST_INTERFACE_H_ */
