/* SPDX-License-Identifier: MIT */
/** \brief helpers of the RSP unit tests (rsp_test.h) */

#include <stdlib.h>

#include "rsp_test.h"
#include "unit_test.h"

size_t frame(char *dst, char const *payload)
{
	static char const digits[] = "0123456789abcdef";
	size_t n = 0;
	unsigned sum = 0;
	dst[n++] = '$';
	for (size_t i = 0; payload[i]; i++) {
		dst[n++] = payload[i];
		sum += (unsigned char)payload[i];
	}
	dst[n++] = '#';
	dst[n++] = digits[(sum >> 4) & 15];
	dst[n++] = digits[sum & 15];
	dst[n] = '\0';
	return n;
}

static void record_one(struct recording *out, struct rsp_reader const *reader,
                       struct rsp_read const *read)
{
	CHECK(out->count < RECORD_EVENTS);
	struct recorded *e = &out->events[out->count++];
	e->event = read->event;
	e->reply = read->reply;
	e->length = read->length;
	memset(e->payload, 0, sizeof(e->payload));

	switch (read->event) {
	case RSP_READ_PACKET:
		CHECK(read->payload != NULL);
		CHECK(read->length <= reader->capacity);
		CHECK_EQ(read->payload[read->length], '\0');
		CHECK(read->length < RECORD_PAYLOAD);
		memcpy(e->payload, read->payload, read->length);
		CHECK_EQ(read->reply, reader->acks ? '+' : 0);
		break;
	case RSP_READ_BAD_CHECKSUM:
	case RSP_READ_OVERSIZED:
	case RSP_READ_MALFORMED:
		CHECK(read->payload == NULL);
		CHECK_EQ(read->reply, reader->acks ? '-' : 0);
		break;
	default:
		CHECK(read->payload == NULL);
		CHECK_EQ(read->reply, 0);
		break;
	}
}

void record_reader(struct recording *out, struct rsp_reader *reader, char const *stream,
                   size_t length, size_t chunk)
{
	out->count = 0;
	for (size_t at = 0; at < length;) {
		size_t n = length - at < chunk ? length - at : chunk;
		char *copy = malloc(n);
		CHECK(copy != NULL);
		memcpy(copy, stream + at, n);
		size_t done = 0;
		for (;;) {
			struct rsp_read read = rsp_reader_feed(reader, copy + done, n - done);
			CHECK(read.consumed <= n - done);
			CHECK(read.consumed > 0);
			done += read.consumed;
			if (read.event == RSP_READ_MORE) {
				CHECK_EQ(done, n);
				CHECK(read.payload == NULL);
				CHECK_EQ(read.reply, 0);
				break;
			}
			record_one(out, reader, &read);
			if (done == n) break;
		}
		free(copy);
		at += n;
	}
}

static char *reader_make(struct rsp_reader *reader, size_t capacity, bool acks)
{
	char *buffer = malloc(capacity + 1);
	CHECK(buffer != NULL);
	rsp_reader_init(reader, buffer, capacity + 1);
	rsp_reader_set_acks(reader, acks);
	return buffer;
}

void record_stream(struct recording *out, char const *stream, size_t length, size_t chunk,
                   size_t capacity, bool acks)
{
	struct rsp_reader reader;
	char *buffer = reader_make(&reader, capacity, acks);
	record_reader(out, &reader, stream, length, chunk);
	free(buffer);
}

void record_stream_cut(struct recording *out, char const *stream, size_t length, size_t cut,
                       size_t capacity, bool acks)
{
	struct rsp_reader reader;
	char *buffer = reader_make(&reader, capacity, acks);
	struct recording second;
	record_reader(out, &reader, stream, cut, cut);
	record_reader(&second, &reader, stream + cut, length - cut, length - cut);
	for (size_t i = 0; i < second.count; i++) {
		CHECK(out->count < RECORD_EVENTS);
		out->events[out->count++] = second.events[i];
	}
	free(buffer);
}

void check_same_recording(struct recording const *a, struct recording const *b, size_t how)
{
	if (a->count != b->count)
		unit_test_fail(__FILE__, __LINE__, "chunking %zu: %zu events, not %zu", how, b->count,
		               a->count);
	for (size_t i = 0; i < a->count; i++) {
		struct recorded const *x = &a->events[i], *y = &b->events[i];
		if (x->event != y->event || x->reply != y->reply || x->length != y->length ||
		    memcmp(x->payload, y->payload, sizeof(x->payload)) != 0)
			unit_test_fail(__FILE__, __LINE__, "chunking %zu: event %zu differs", how, i);
	}
}
