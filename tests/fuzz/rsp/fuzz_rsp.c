/* SPDX-License-Identifier: MIT */
/**
 * \brief libFuzzer target of the RSP layer: the reader on arbitrary streams in
 *        arbitrary chunkings, every parser on every packet, and round trips
 *        through the writer and the hex codecs
 *
 * Input: byte 0 picks the chunk size, byte 1 the reader's buffer size (small
 * ones reach the oversized path), byte 2 the ack mode; the rest is the stream
 * from the peer. The stream is also handed to every parser as a payload
 * directly, so that parser coverage does not wait for valid checksums.
 *
 * Beyond what ASan and UBSan catch, the target aborts when the layer breaks a
 * promise: a different event sequence for the same stream in different
 * chunks, a parse result that violates its contract, a round trip that does
 * not give back what went in.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <base/panic.h>
#include <rsp/hex.h>
#include <rsp/packet.h>
#include <rsp/parse.h>

/* the layer's ASSERTs fire on caller bugs only; here any of them is a finding */
void panic(char const *fmt, ...)
{
	fprintf(stderr, "panic: %s\n", fmt);
	abort();
}

#define EXPECT(cond)                                                                       \
	do {                                                                                   \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: expectation failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                       \
		}                                                                                  \
	} while (0)

enum { MAX_EVENTS = 4096, LARGE_BUFFER = 8192 };

/* an event, with a hash of its payload */
struct event
{
	enum rsp_read_event event;
	char reply;
	size_t length;
	uint64_t hash;
};

static uint64_t hash_bytes(void const *data, size_t length)
{
	uint8_t const *p = data;
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < length; i++) h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static bool inside(void const *p, size_t n, void const *base, size_t size)
{
	uint8_t const *a = p, *b = base;
	return a >= b && n <= size && (size_t)(a - b) <= size - n;
}

static void check_thread_id_round_trip(struct rsp_thread_id id)
{
	char buffer[64];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_thread_id(&w, id);
	struct rsp_packet p = rsp_writer_finish(&w);
	EXPECT(p.result == RSP_WRITE_OK);
	struct rsp_thread_id back;
	EXPECT(rsp_parse_thread_id(p.data + 1, p.length - RSP_FRAME_OVERHEAD, &back) ==
	       RSP_PARSE_OK);
	EXPECT(back.process_given == id.process_given && back.thread == id.thread);
	if (id.process_given) EXPECT(back.process == id.process);
}

/* every parser on one payload; the contracts of what they accept */
static void parse_all(char const *payload, size_t length)
{
	struct rsp_memory_read mr;
	if (rsp_parse_memory_read(payload, length, &mr) == RSP_PARSE_OK)
		EXPECT(mr.length == 0 || mr.length - 1 <= UINT64_MAX - mr.address);

	struct rsp_memory_write mw;
	if (rsp_parse_memory_write(payload, length, &mw) == RSP_PARSE_OK) {
		EXPECT(inside(mw.data, mw.data_length, payload, length));
		EXPECT(mw.data + mw.data_length == payload + length);
		if (mw.binary) {
			EXPECT(mw.data_length == mw.length);
		} else {
			EXPECT(mw.data_length == 2 * mw.length);
			uint8_t bytes[LARGE_BUFFER];
			if (mw.length <= sizeof(bytes))
				EXPECT(rsp_hex_decode(bytes, mw.data, mw.data_length) == RSP_HEX_DECODE_OK);
		}
	}

	struct rsp_breakpoint bp;
	if (rsp_parse_breakpoint(payload, length, &bp) == RSP_PARSE_OK)
		EXPECT(bp.type <= RSP_WATCHPOINT_ACCESS);

	uint32_t number;
	(void)rsp_parse_register_read(payload, length, &number);
	struct rsp_register_write rw;
	if (rsp_parse_register_write(payload, length, &rw) == RSP_PARSE_OK) {
		EXPECT(rw.value_length >= 2 && rw.value_length % 2 == 0);
		EXPECT(inside(rw.value, rw.value_length, payload, length));
	}

	struct rsp_thread_select ts;
	if (rsp_parse_thread_select(payload, length, &ts) == RSP_PARSE_OK) {
		EXPECT(ts.operation == 'g' || ts.operation == 'c');
		check_thread_id_round_trip(ts.thread);
	}
	struct rsp_thread_id id;
	if (rsp_parse_thread_alive(payload, length, &id) == RSP_PARSE_OK)
		check_thread_id_round_trip(id);
	if (rsp_parse_thread_extra_info(payload, length, &id) == RSP_PARSE_OK)
		check_thread_id_round_trip(id);
	if (rsp_parse_thread_id(payload, length, &id) == RSP_PARSE_OK)
		check_thread_id_round_trip(id);

	struct rsp_vcont_action actions[4];
	size_t count = 99;
	if (rsp_parse_vcont(payload, length, actions, 4, &count) == RSP_PARSE_OK) {
		EXPECT(count >= 1 && count <= 4);
		for (size_t i = 0; i < count; i++)
			if (actions[i].thread_given) check_thread_id_round_trip(actions[i].thread);
		EXPECT(rsp_vcont_action_find(actions, count, 1, 1) <= count);
	} else {
		EXPECT(count == 99);
	}

	struct rsp_resume resume;
	(void)rsp_parse_resume(payload, length, &resume);
	struct rsp_process process;
	(void)rsp_parse_detach(payload, length, &process);
	(void)rsp_parse_kill(payload, length, &process);

	struct rsp_xfer_read xfer;
	if (rsp_parse_xfer_read(payload, length, &xfer) == RSP_PARSE_OK) {
		EXPECT(xfer.object.length > 0);
		EXPECT(inside(xfer.object.data, xfer.object.length, payload, length));
		EXPECT(inside(xfer.annex.data, xfer.annex.length, payload, length));
	}

	char command[16];
	size_t command_length = 99;
	if (rsp_parse_monitor_command(payload, length, command, sizeof(command), &command_length) ==
	    RSP_PARSE_OK) {
		EXPECT(command_length < sizeof(command));
		EXPECT(command[command_length] == '\0');
	}

	struct rsp_features features;
	if (rsp_parse_supported(payload, length, &features) == RSP_PARSE_OK) {
		struct rsp_feature f;
		size_t seen = 0;
		while (rsp_features_next(&features, &f)) {
			EXPECT(f.name.length > 0);
			EXPECT(inside(f.name.data, f.name.length, payload, length));
			EXPECT(inside(f.value.data, f.value.length, payload, length));
			EXPECT(++seen <= length);
		}
	}
}

/* a packet's payload through the writer as binary data and a reader: the same bytes */
static void check_binary_round_trip(char const *payload, size_t length)
{
	static char packet[2 * LARGE_BUFFER + RSP_FRAME_OVERHEAD];
	static char buffer[LARGE_BUFFER + 1];
	if (length > LARGE_BUFFER) return;
	struct rsp_writer w;
	rsp_writer_start(&w, packet, sizeof(packet));
	EXPECT(rsp_writer_put_binary(&w, payload, length) == length);
	struct rsp_packet p = rsp_writer_finish(&w);
	EXPECT(p.result == RSP_WRITE_OK);

	struct rsp_reader r;
	rsp_reader_init(&r, buffer, sizeof(buffer));
	struct rsp_read read = rsp_reader_feed(&r, p.data, p.length);
	EXPECT(read.event == RSP_READ_PACKET && read.consumed == p.length);
	EXPECT(read.length == length && memcmp(read.payload, payload, length) == 0);
}

/* hex encode and decode give back the bytes, and the sum is the digits' sum */
static void check_hex_round_trip(char const *bytes, size_t length)
{
	static char digits[2 * LARGE_BUFFER];
	static uint8_t back[LARGE_BUFFER];
	if (length > LARGE_BUFFER) return;
	size_t sum = rsp_hex_encode(digits, bytes, length);
	size_t expected = 0;
	for (size_t i = 0; i < 2 * length; i++) expected += (uint8_t)digits[i];
	EXPECT(sum == expected);
	EXPECT(rsp_hex_valid(digits, 2 * length));
	EXPECT(rsp_hex_decode(back, digits, 2 * length) == RSP_HEX_DECODE_OK);
	EXPECT(memcmp(back, bytes, length) == 0);
}

/* feed the stream in chunks of `chunk`; record or compare the events */
static size_t run_reader(uint8_t const *stream, size_t length, size_t chunk, size_t size,
                         bool acks, struct event *events, bool compare, size_t expected_count)
{
	char *buffer = malloc(size);
	struct rsp_reader r;
	size_t count = 0;
	EXPECT(buffer != NULL);
	rsp_reader_init(&r, buffer, size);
	rsp_reader_set_acks(&r, acks);

	for (size_t at = 0; at < length;) {
		size_t n = length - at < chunk ? length - at : chunk;
		/* a heap copy of exactly the chunk: reading past it is an ASan report */
		uint8_t *piece = malloc(n);
		EXPECT(piece != NULL);
		memcpy(piece, stream + at, n);
		size_t done = 0;
		while (done < n) {
			struct rsp_read read = rsp_reader_feed(&r, piece + done, n - done);
			EXPECT(read.consumed >= 1 && read.consumed <= n - done);
			done += read.consumed;
			if (read.event == RSP_READ_MORE) {
				EXPECT(done == n);
				break;
			}
			struct event e = { read.event, read.reply, read.length, 0 };
			if (read.event == RSP_READ_PACKET) {
				EXPECT(read.payload == buffer && read.length <= size - 1);
				EXPECT(read.payload[read.length] == '\0');
				e.hash = hash_bytes(read.payload, read.length);
				if (!compare) {
					parse_all(read.payload, read.length);
					check_binary_round_trip(read.payload, read.length);
				}
			} else {
				EXPECT(read.payload == NULL);
			}
			if (compare) {
				EXPECT(count < expected_count);
				struct event const *x = &events[count];
				EXPECT(x->event == e.event && x->reply == e.reply && x->length == e.length &&
				       x->hash == e.hash);
			} else if (count < MAX_EVENTS) {
				events[count] = e;
			}
			count++;
		}
		free(piece);
		at += n;
	}
	free(buffer);
	return count;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	static struct event events[MAX_EVENTS];
	if (size < 3) return 0;
	size_t chunk = 1 + data[0] % 32;
	size_t buffer_size = data[1] < 128 ? 1 + data[1] : LARGE_BUFFER + 1;
	bool acks = !(data[2] & 1);
	uint8_t const *stream = data + 3;
	size_t length = size - 3;

	size_t count =
	    run_reader(stream, length, length ? length : 1, buffer_size, acks, events, false, 0);
	if (count <= MAX_EVENTS) {
		size_t again =
		    run_reader(stream, length, chunk, buffer_size, acks, events, true, count);
		EXPECT(again == count);
	}

	parse_all((char const *)stream, length);
	check_hex_round_trip((char const *)stream, length);
	return 0;
}
