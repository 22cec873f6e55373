/* SPDX-License-Identifier: MIT */
/**
 * \brief test-gdb_server's side of the wire: loopback transport, framing,
 *        reply reading, stop-reply parsing
 */

#include <base/log.h>
#include <base/panic.h>
#include <rsp/hex.h>
#include <util/format.h>
#include <util/string.h>

#include "session.h"

void expect(bool condition, char const *what)
{
	if (!condition) panic("check failed: %s", what);
}

static size_t loopback_send(void *state, void const *data, size_t length)
{
	struct loopback *loop = state;
	if (loop->take && loop->blocked) return 0;
	size_t n = loop->take && loop->take < length ? loop->take : length;
	if (loop->take) loop->blocked = true;
	if (loop->length + n > sizeof(loop->data)) panic("loopback: output overflows");
	memory_copy(loop->data + loop->length, data, n);
	loop->length += n;
	loop->sends++;
	return n;
}

static struct gdb_transport_ops const loopback_ops = { loopback_send };

struct gdb_transport session_transport(struct session *session)
{
	return (struct gdb_transport){ &loopback_ops, &session->loop };
}

void session_init(struct session *session, struct env *env)
{
	test_parent_init(&session->parent, env);
	session->handler = test_parent_receiver_init(&session->receiver, session->slots, 1,
	                                             &session->context, session);
	rsp_reader_init(&session->reader, session->reply, sizeof(session->reply));
}

void session_connect(struct session *session)
{
	expect(gdb_server_connect(&session->server) == GDB_SERVER_OK, "a connection accepted");
	session->loop.length = session->loop.read = 0;
	session->acks = true;
	rsp_reader_reset(&session->reader);
	session_send_raw(session, "+", 1); /* GDB starts with an acknowledgement */
}

void session_disconnect(struct session *session)
{
	gdb_server_disconnect(&session->server);
	session->loop.length = session->loop.read = 0;
}

void session_send_raw(struct session *session, void const *data, size_t length)
{
	size_t used = gdb_server_receive(&session->server, data, length);
	if (used != length) panic("the server took %zu of %zu bytes", used, length);
}

void session_send(struct session *session, char const *payload, size_t length)
{
	static char frame[0x20010];
	size_t n = 0;
	unsigned sum = 0;
	frame[n++] = '$';
	for (size_t i = 0; i < length; i++) {
		char c = payload[i];
		if (c == '$' || c == '#' || c == '}' || c == '*') {
			frame[n++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		frame[n++] = c;
		sum += (unsigned char)c;
	}
	n += format_string(frame + n, sizeof(frame) - n, "#%02x", sum & 0xff);
	session_send_raw(session, frame, n);
}

bool session_output_waits(struct session *session)
{
	return session->loop.read < session->loop.length;
}

static void session_event(struct session *session)
{
	struct signal s = signal_receiver_wait(&session->receiver);
	expect(s.result == SIGNAL_OK, "a signal of the target");
	session->waits++;
	gdb_server_child_event(&session->server);
}

void session_events(struct session *session, unsigned count)
{
	while (count--) session_event(session);
}

char const *session_reply(struct session *session)
{
	struct loopback *loop = &session->loop;
	for (;;) {
		while (loop->read < loop->length) {
			struct rsp_read r = rsp_reader_feed(&session->reader, loop->data + loop->read,
			                                    loop->length - loop->read);
			loop->read += r.consumed;
			if (r.event == RSP_READ_ACK || r.event == RSP_READ_MORE) continue;
			if (r.event != RSP_READ_PACKET) panic("a broken reply (%d)", (int)r.event);
			if (r.reply) session_send_raw(session, &r.reply, 1);
			session->reply_length = r.length;
			if (loop->read == loop->length) loop->read = loop->length = 0;
			return r.payload;
		}
		loop->read = loop->length = 0;
		/* nothing (complete) yet: the reply waits for the target */
		session_event(session);
	}
}

char const *session_exchange(struct session *session, char const *payload)
{
	session_send(session, payload, string_length(payload));
	return session_reply(session);
}

void session_expect(struct session *session, char const *payload, char const *expected)
{
	char const *reply = session_exchange(session, payload);
	if (!string_equal(reply, expected))
		panic("\"%s\": reply \"%.200s\", expected \"%s\"", payload, reply, expected);
}

char const *session_expect_prefix(struct session *session, char const *payload,
                                  char const *prefix)
{
	char const *reply = session_exchange(session, payload);
	if (!string_starts_with(reply, prefix))
		panic("\"%s\": reply \"%.200s\", expected \"%s...\"", payload, reply, prefix);
	return reply;
}

static uint64_t hex_value(char const **text)
{
	uint64_t value = 0;
	while (ascii_is_hex_digit(**text))
		value = value << 4 | (uint64_t)ascii_hex_digit_value(*(*text)++);
	return value;
}

uint64_t session_le(char const *digits, unsigned bytes)
{
	uint64_t value = 0;
	for (unsigned i = bytes; i > 0; i--) {
		uint8_t byte;
		if (rsp_hex_decode(&byte, digits + 2 * (i - 1), 2) != RSP_HEX_DECODE_OK)
			panic("not hex: \"%.16s\"", digits);
		value = value << 8 | byte;
	}
	return value;
}

void session_le_hex(char *out, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++, value >>= 8)
		format_string(out + 2 * i, 3, "%02x", (unsigned)(value & 0xff));
	out[2 * bytes] = 0;
}

void session_hex(char *out, size_t size, char const *text)
{
	size_t n = string_length(text);
	if (2 * n + 1 > size) panic("hex: too long");
	rsp_hex_encode(out, text, n);
	out[2 * n] = 0;
}

void session_unhex(char *out, size_t size, char const *hex)
{
	size_t n = string_length(hex) / 2;
	if (n + 1 > size) n = size - 1;
	if (rsp_hex_decode(out, hex, 2 * n) != RSP_HEX_DECODE_OK) panic("not hex: %.40s", hex);
	out[n] = 0;
}

struct session_stop session_stop_parse(char const *reply)
{
	struct session_stop stop;
	memory_set(&stop, 0, sizeof(stop));
	char const *p = reply;
	stop.kind = *p++;
	if (stop.kind != 'T' && stop.kind != 'W' && stop.kind != 'X')
		panic("not a stop reply: \"%.200s\"", reply);
	stop.value = (unsigned)session_le(p, 1);
	p += 2;
	unsigned registers = 0;
	while (stop.kind == 'T' && *p) {
		char const *colon = string_find_char(p, ':');
		if (!colon) panic("stop reply \"%s\": no ':'", reply);
		size_t key = (size_t)(colon - p);
		char const *value = colon + 1;
		if (key == 6 && string_compare_n(p, "thread", 6) == 0) {
			stop.thread = hex_value(&value);
		} else if (key == 2 && ascii_is_hex_digit(p[0]) && ascii_is_hex_digit(p[1])) {
			unsigned number = (unsigned)session_le(p, 1);
			uint64_t v = session_le(value, 8);
			if (number == 6) stop.rbp = v, registers++;
			if (number == 7) stop.rsp = v, registers++;
			if (number == 16) stop.rip = v, registers++;
		} else {
			if (key >= sizeof(stop.why)) panic("stop reply \"%s\": a long key", reply);
			memory_copy(stop.why, p, key);
			stop.why[key] = 0;
			stop.address = hex_value(&value);
		}
		char const *end = string_find_char(colon, ';');
		if (!end) panic("stop reply \"%s\": no ';'", reply);
		p = end + 1;
	}
	stop.expedited = registers == 3;
	return stop;
}
