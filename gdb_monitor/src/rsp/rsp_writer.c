/* SPDX-License-Identifier: MIT */
/** \brief the packet writer of the GDB remote protocol (rsp/packet.h) */

#include <base/panic.h>
#include <rsp/hex.h>
#include <rsp/packet.h>
#include <util/string.h>

/* bytes escaped in a payload: the framing, the escape and the repeat */
static uint8_t const writer_special[256] = { ['#'] = 1, ['$'] = 1, ['}'] = 1, ['*'] = 1 };

enum {
	ESCAPE = '}',
	ESCAPE_XOR = 0x20,
	TRAILER = 3, /* '#' and two digits */
};

static char const writer_digits[] = "0123456789abcdef";

void rsp_writer_start(struct rsp_writer *writer, char *buffer, size_t size)
{
	ASSERT(buffer && size >= RSP_FRAME_OVERHEAD);
	writer->buffer = buffer;
	writer->limit = size - TRAILER;
	writer->buffer[0] = '$';
	writer->length = 1;
	writer->sum = 0;
	writer->overflow = false;
}

size_t rsp_writer_space(struct rsp_writer const *writer)
{
	/* none after an overflow or the finish (then length is past the limit) */
	if (writer->overflow) return 0;
	return writer->limit - writer->length;
}

/* append raw payload bytes that are known to fit */
static void writer_append(struct rsp_writer *writer, char const *bytes, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		writer->buffer[writer->length++] = bytes[i];
		writer->sum += (uint8_t)bytes[i];
	}
}

/* append raw bytes all or nothing; a miss marks the packet overflowed */
static void writer_append_all(struct rsp_writer *writer, char const *bytes, size_t count)
{
	if (writer->overflow || count > rsp_writer_space(writer)) {
		writer->overflow = true;
		return;
	}
	writer_append(writer, bytes, count);
}

void rsp_writer_put_char(struct rsp_writer *writer, char c)
{
	uint8_t b = (uint8_t)c;
	if (writer_special[b]) {
		char escaped[2] = { ESCAPE, (char)(b ^ ESCAPE_XOR) };
		writer_append_all(writer, escaped, 2);
	} else {
		writer_append_all(writer, &c, 1);
	}
}

size_t rsp_binary_fit(void const *bytes, size_t length, size_t room)
{
	uint8_t const *in = bytes;
	size_t used = 0, i = 0;
	for (; i < length; i++) {
		size_t cost = writer_special[in[i]] ? 2 : 1;
		if (room - used < cost) break;
		used += cost;
	}
	return i;
}

void rsp_writer_put_text(struct rsp_writer *writer, char const *text)
{
	size_t length = string_length(text);
	if (rsp_binary_fit(text, length, rsp_writer_space(writer)) != length) {
		writer->overflow = true;
		return;
	}
	size_t done = rsp_writer_put_binary(writer, text, length);
	ASSERT(done == length);
}

void rsp_writer_put_hex_u64(struct rsp_writer *writer, uint64_t value)
{
	char digits[16];
	size_t count = 0;
	do {
		digits[sizeof(digits) - 1 - count++] = writer_digits[value & 15];
		value >>= 4;
	} while (value);
	writer_append_all(writer, digits + sizeof(digits) - count, count);
}

void rsp_writer_put_hex_u8(struct rsp_writer *writer, uint8_t value)
{
	char digits[2] = { writer_digits[value >> 4], writer_digits[value & 15] };
	writer_append_all(writer, digits, 2);
}

/* one part of a thread id: -1 as such, others in hex (negative ones are a bug) */
static void writer_put_id_part(struct rsp_writer *writer, int64_t value)
{
	ASSERT(value >= RSP_THREAD_ALL);
	if (value == RSP_THREAD_ALL)
		writer_append_all(writer, "-1", 2);
	else
		rsp_writer_put_hex_u64(writer, (uint64_t)value);
}

void rsp_writer_put_thread_id(struct rsp_writer *writer, struct rsp_thread_id id)
{
	if (id.process_given) {
		writer_append_all(writer, "p", 1);
		writer_put_id_part(writer, id.process);
		writer_append_all(writer, ".", 1);
	}
	writer_put_id_part(writer, id.thread);
}

enum {
	RUN_MIN = 4,                                      /* shorter runs are cheaper as they are */
	RUN_REPEATS_SHUNNED_LOW = '#' - RSP_REPEAT_BIAS,  /* 6: its count would be '#' */
	RUN_REPEATS_SHUNNED_HIGH = '$' - RSP_REPEAT_BIAS, /* 7: its count would be '$' */
	RUN_REPEATS_INSTEAD = 5,                          /* used for those two, the rest follows */
};

static uint64_t writer_load(char const *at)
{
	uint64_t word;
	__builtin_memcpy(&word, at, sizeof(word)); /* one unaligned load */
	return word;
}

/* the first position in [at, end) where RUN_MIN equal characters start, or end */
static size_t writer_run_find(char const *buffer, size_t at, size_t end)
{
	uint64_t const ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	/* eight positions at a time: a zero byte of e is a run of four there */
	for (; at + 8 + RUN_MIN - 1 <= end; at += 8) {
		uint64_t x = writer_load(buffer + at);
		uint64_t e = (x ^ writer_load(buffer + at + 1)) | (x ^ writer_load(buffer + at + 2)) |
		             (x ^ writer_load(buffer + at + 3));
		uint64_t zero = (e - ones) & ~e & highs; /* its lowest bit is exact */
		if (zero) return at + (size_t)__builtin_ctzll(zero) / 8;
	}
	for (; at + RUN_MIN <= end; at++) {
		char c = buffer[at];
		if (buffer[at + 1] == c && buffer[at + 2] == c && buffer[at + 3] == c) return at;
	}
	return end;
}

/*
 * Run-length encode digits [from, end) of the packet in place: a run of a
 * character c repeated n more times becomes c, '*', n + RSP_REPEAT_BIAS (the
 * protocol's encoding of replies). Returns the new end; `sum` follows the
 * changes.
 */
static size_t writer_runs_encode(char *buffer, size_t from, size_t end, unsigned *sum)
{
	size_t in = from, out = from;
	while (in < end) {
		size_t run_at = writer_run_find(buffer, in, end);
		if (out != in) memory_move(buffer + out, buffer + in, run_at - in);
		out += run_at - in;
		in = run_at;
		if (in == end) break;

		char c = buffer[in];
		size_t run = RUN_MIN;
		while (in + run < end && buffer[in + run] == c) run++;
		in += run;
		while (run >= RUN_MIN) {
			size_t repeats = run - 1;
			if (repeats > RSP_REPEATS_MAX) repeats = RSP_REPEATS_MAX;
			if (repeats == RUN_REPEATS_SHUNNED_LOW || repeats == RUN_REPEATS_SHUNNED_HIGH)
				repeats = RUN_REPEATS_INSTEAD;
			char count = (char)(repeats + RSP_REPEAT_BIAS);
			buffer[out++] = c;
			buffer[out++] = '*';
			buffer[out++] = count;
			*sum = *sum - (unsigned)(uint8_t)c * (unsigned)repeats + '*' + (uint8_t)count;
			run -= repeats + 1;
		}
		for (; run; run--) buffer[out++] = c;
	}
	return out;
}

/*
 * Bytes hex-encoded at a time, each piece where the runs of the pieces before
 * it ended: a run shortens the packet, and everything after it moves forward.
 * Encoded all at once, the whole rest would move with the first run (in
 * random bytes, one in about 4096 digits); so only the rest of a piece does.
 * A run across two pieces becomes two shorter ones, as valid.
 */
enum { HEX_PIECE = 512 };

size_t rsp_writer_put_hex(struct rsp_writer *writer, void const *bytes, size_t length)
{
	if (writer->overflow) return 0;
	size_t fit = rsp_writer_space(writer) / 2;
	if (length > fit) length = fit;
	uint8_t const *in = bytes;
	size_t out = writer->length;
	for (size_t done = 0, n; done < length; done += n) {
		n = length - done < HEX_PIECE ? length - done : HEX_PIECE;
		unsigned sum = (unsigned)rsp_hex_encode(writer->buffer + out, in + done, n);
		out = writer_runs_encode(writer->buffer, out, out + 2 * n, &sum);
		writer->sum += sum;
	}
	writer->length = out;
	return length;
}

size_t rsp_writer_put_binary(struct rsp_writer *writer, void const *bytes, size_t length)
{
	if (writer->overflow) return 0;
	uint8_t const *in = bytes;
	uint8_t *out = (uint8_t *)writer->buffer;
	size_t at = writer->length;
	size_t limit = writer->limit;
	unsigned sum = 0;
	size_t i = 0;

	for (; i < length; i++) {
		uint8_t b = in[i];
		if (!writer_special[b]) {
			if (at == limit) break;
			out[at++] = b;
			sum += b;
		} else {
			if (limit - at < 2) break;
			out[at++] = ESCAPE;
			out[at++] = b ^ ESCAPE_XOR;
			sum += ESCAPE + (b ^ ESCAPE_XOR);
		}
	}
	writer->length = at;
	writer->sum += sum;
	return i;
}

struct rsp_packet rsp_writer_finish(struct rsp_writer *writer)
{
	if (writer->overflow) return (struct rsp_packet){ .result = RSP_WRITE_OVERFLOW };

	uint8_t sum = (uint8_t)writer->sum;
	char *end = writer->buffer + writer->length;
	end[0] = '#';
	end[1] = writer_digits[sum >> 4];
	end[2] = writer_digits[sum & 15];
	writer->length += TRAILER;
	/* a put after the finish would land past the trailer: make it overflow */
	writer->overflow = true;
	return (struct rsp_packet){ .result = RSP_WRITE_OK,
		                        .data = writer->buffer,
		                        .length = writer->length };
}
