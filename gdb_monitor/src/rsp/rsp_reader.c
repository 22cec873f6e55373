/* SPDX-License-Identifier: MIT */
/** \brief the incremental packet reader of the GDB remote protocol (rsp/packet.h) */

#include <base/panic.h>
#include <rsp/packet.h>

/*
 * The reader is a state machine over single bytes, with one fast path:
 * inside a payload, a run of bytes that are neither framing, escape nor
 * repeat is checksummed and copied by one tight loop. So a large X packet
 * costs one pass over its bytes, whatever the chunking.
 */
enum reader_state {
	STATE_IDLE,          /* between packets */
	STATE_DATA,          /* in a payload */
	STATE_ESCAPE,        /* after '}': the next byte is escaped */
	STATE_REPEAT,        /* after '*': the next byte is the repeat count */
	STATE_CHECKSUM_HIGH, /* after '#' */
	STATE_CHECKSUM_LOW,  /* after the first checksum digit */
};

/* bytes that end a plain run inside a payload */
static uint8_t const reader_special[256] = { ['#'] = 1, ['$'] = 1, ['}'] = 1, ['*'] = 1 };

enum {
	INTERRUPT_BYTE = 0x03 /* Ctrl-C */
};

void rsp_reader_init(struct rsp_reader *reader, char *buffer, size_t size)
{
	ASSERT(buffer && size >= 1);
	reader->buffer = buffer;
	reader->capacity = size - 1;
	rsp_reader_reset(reader);
}

void rsp_reader_reset(struct rsp_reader *reader)
{
	reader->state = STATE_IDLE;
	reader->length = 0;
	reader->acks = true;
}

void rsp_reader_set_acks(struct rsp_reader *reader, bool acks) { reader->acks = acks; }

bool rsp_reader_idle(struct rsp_reader const *reader) { return reader->state == STATE_IDLE; }

static struct rsp_read reader_event(enum rsp_read_event event, size_t consumed)
{
	return (struct rsp_read){ .event = event, .consumed = consumed };
}

static void reader_start_packet(struct rsp_reader *reader)
{
	reader->state = STATE_DATA;
	reader->length = 0;
	reader->sum = 0;
	reader->received = 0;
	reader->any = false;
	reader->bad_digit = false;
	reader->oversized = false;
	reader->malformed = false;
}

/* append `count` copies of the decoded byte `c`, or mark the packet oversized */
static void reader_store(struct rsp_reader *reader, uint8_t c, size_t count)
{
	reader->last = c;
	reader->any = true;
	if (reader->oversized) return;
	if (count > reader->capacity - reader->length) {
		reader->oversized = true;
		return;
	}
	for (size_t i = 0; i < count; i++) reader->buffer[reader->length++] = (char)c;
}

/*
 * Consume the plain bytes at the start of `in` (at most `length`): sum
 * them and copy them to the buffer while it has room, past that only sum
 * them and mark the packet oversized. Stops before the first special byte.
 */
static size_t reader_plain_run(struct rsp_reader *reader, uint8_t const *in, size_t length)
{
	size_t room = reader->oversized ? 0 : reader->capacity - reader->length;
	size_t limit = length < room ? length : room;
	uint8_t *out = (uint8_t *)reader->buffer + reader->length;
	unsigned sum = 0;
	size_t i = 0;

	for (; i < limit; i++) {
		uint8_t c = in[i];
		if (reader_special[c]) break;
		out[i] = c;
		sum += c;
	}
	reader->length += i;
	for (; i < length; i++) {
		uint8_t c = in[i];
		if (reader_special[c]) break;
		sum += c;
		reader->oversized = true;
	}
	if (i) {
		reader->last = in[i - 1];
		reader->any = true;
	}
	reader->sum = (uint8_t)(reader->sum + sum);
	return i;
}

/* the packet's end: decide its fate */
static struct rsp_read reader_complete(struct rsp_reader *reader, size_t consumed)
{
	struct rsp_read read = reader_event(RSP_READ_PACKET, consumed);

	reader->state = STATE_IDLE;
	/* a wrong checksum first: the bytes were damaged, so the rest says little */
	if (reader->bad_digit || reader->received != reader->sum)
		read.event = RSP_READ_BAD_CHECKSUM;
	else if (reader->oversized)
		read.event = RSP_READ_OVERSIZED;
	else if (reader->malformed)
		read.event = RSP_READ_MALFORMED;

	if (read.event == RSP_READ_PACKET) {
		reader->buffer[reader->length] = '\0';
		read.payload = reader->buffer;
		read.length = reader->length;
	}
	if (reader->acks) read.reply = read.event == RSP_READ_PACKET ? '+' : '-';
	return read;
}

/* the value of a checksum digit, or -1 */
static int reader_digit(uint8_t c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

struct rsp_read rsp_reader_feed(struct rsp_reader *reader, void const *chunk, size_t length)
{
	uint8_t const *in = chunk;
	size_t i = 0;

	while (i < length) {
		uint8_t c = in[i];

		/* '$' is never payload (it is always escaped): a packet starts here,
		 * and one still open was cut off and is dropped */
		if (c == '$') {
			i++;
			reader_start_packet(reader);
			continue;
		}

		switch (reader->state) {
		case STATE_IDLE:
			i++;
			if (c == INTERRUPT_BYTE) return reader_event(RSP_READ_INTERRUPT, i);
			if (c == '+') return reader_event(RSP_READ_ACK, i);
			if (c == '-') return reader_event(RSP_READ_NAK, i);
			break; /* garbage between packets */

		case STATE_DATA:
			i += reader_plain_run(reader, in + i, length - i);
			if (i == length) break;
			c = in[i];
			if (c == '$') break; /* taken at the top of the loop */
			i++;
			if (c == '#') {
				reader->state = STATE_CHECKSUM_HIGH;
				break;
			}
			/* '}' or '*' */
			reader->sum = (uint8_t)(reader->sum + c);
			reader->state = c == '}' ? STATE_ESCAPE : STATE_REPEAT;
			break;

		case STATE_ESCAPE:
		case STATE_REPEAT:
			if (c == '#') {
				/* the escaped byte or the count is missing; '#' still ends the packet */
				reader->malformed = true;
				reader->state = STATE_DATA;
				break;
			}
			i++;
			reader->sum = (uint8_t)(reader->sum + c);
			if (reader->state == STATE_ESCAPE)
				reader_store(reader, c ^ 0x20, 1);
			else if (!reader->any || c < RSP_REPEAT_COUNT_FIRST || c > RSP_REPEAT_COUNT_LAST)
				reader->malformed = true;
			else
				reader_store(reader, reader->last, (size_t)c - RSP_REPEAT_BIAS);
			reader->state = STATE_DATA;
			break;

		case STATE_CHECKSUM_HIGH:
		case STATE_CHECKSUM_LOW: {
			i++;
			int digit = reader_digit(c);
			if (digit < 0) reader->bad_digit = true;
			reader->received = (uint8_t)(reader->received << 4 | (digit & 15));
			if (reader->state == STATE_CHECKSUM_HIGH) {
				reader->state = STATE_CHECKSUM_LOW;
				break;
			}
			return reader_complete(reader, i);
		}

		default:
			panic("rsp reader: state %d", reader->state);
		}
	}
	return reader_event(RSP_READ_MORE, length);
}
