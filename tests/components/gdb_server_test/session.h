/* SPDX-License-Identifier: MIT */
/**
 * \brief test-gdb_server's side of the wire: a loopback transport, packets
 *        framed as GDB frames them, replies read as GDB reads them
 */

#ifndef _GDB_SERVER_TEST_SESSION_H_
#define _GDB_SERVER_TEST_SESSION_H_

#include <gdb_server/gdb_server.h>
#include <rsp/packet.h>

#include "test_parent.h"

enum { SESSION_OUTPUT_SIZE = 0x30000 };

/* what the server sent and the test has not read yet */
struct loopback
{
	char data[SESSION_OUTPUT_SIZE];
	size_t length, read;
	size_t take;  /* with it: bytes taken by one send, then none until `blocked` is cleared */
	bool blocked; /* (0: all, always) */
	unsigned sends;
};

struct session
{
	struct test_parent parent;
	struct signal_receiver receiver;
	struct signal_slot slots[1];
	struct signal_context context;
	struct signal_context_cap handler;
	struct loopback loop;
	struct rsp_reader reader; /* the replies, as GDB reads them */
	char reply[0x10001];
	size_t reply_length;
	bool acks; /* GDB's side acknowledges (until QStartNoAckMode) */
	unsigned waits;
	struct gdb_server server;
};

/** the transport over `session->loop` */
struct gdb_transport session_transport(struct session *session);

/** set up the receiver for the target's exceptions and the reply reader */
void session_init(struct session *session, struct env *env);

/** a new connection as GDB starts one (acknowledgements on); panics unless accepted */
void session_connect(struct session *session);

/** the connection ends */
void session_disconnect(struct session *session);

/** bytes to the server, all of them taken (panics otherwise) */
void session_send_raw(struct session *session, void const *data, size_t length);

/** a packet as GDB frames it: $payload#checksum, with $ # } * escaped */
void session_send(struct session *session, char const *payload, size_t length);

/**
 * The next reply packet: waits for the target's signals (passing each to
 * gdb_server_child_event) until one is complete. Its payload is
 * NUL-terminated in session->reply. Acknowledgements before it are skipped.
 */
char const *session_reply(struct session *session);

/** wait for `count` signals of the target, passing each to gdb_server_child_event */
void session_events(struct session *session, unsigned count);

/** whether a complete reply (or any byte) waits, without waiting */
bool session_output_waits(struct session *session);

/** send `payload` (a C string) and return the reply */
char const *session_exchange(struct session *session, char const *payload);

/** send `payload` and panic unless the reply is exactly `expected` */
void session_expect(struct session *session, char const *payload, char const *expected);

/** send `payload` and panic unless the reply starts with `prefix`; returns it */
char const *session_expect_prefix(struct session *session, char const *payload,
                                  char const *prefix);

/** a stop reply, parsed */
struct session_stop
{
	char kind;      /* 'T', 'W', 'X' */
	unsigned value; /* the signal or exit code */
	uint64_t thread;
	uint64_t rbp, rsp, rip;
	bool expedited; /* 06, 07 and 10 were given */
	char why[16];   /* "swbreak", "hwbreak", "watch", ... or "" */
	uint64_t address;
};

/** parse a stop reply; panics if it is none */
struct session_stop session_stop_parse(char const *reply);

/** the unsigned little-endian value of `digits` hex digits (a register in a reply) */
uint64_t session_le(char const *digits, unsigned bytes);

/** `bytes` little-endian as hex digits into `out` (2 * bytes + 1 chars) */
void session_le_hex(char *out, uint64_t value, unsigned bytes);

/** the hex encoding of a text, into `out` */
void session_hex(char *out, size_t size, char const *text);

/** the text of a hex-encoded reply, into `out` */
void session_unhex(char *out, size_t size, char const *hex);

/** check, or panic with `what` */
void expect(bool condition, char const *what);

#endif /* _GDB_SERVER_TEST_SESSION_H_ */
