/* SPDX-License-Identifier: MIT */
/**
 * \brief GDB remote serial protocol framing: an incremental packet reader and
 *        a packet writer
 *
 * A packet on the wire is `$<payload>#<two hex digits>`; the digits are the
 * sum modulo 256 of the payload bytes as sent. Inside the payload '}' escapes
 * the next byte (sent XOR 0x20) and '*' repeats the previous byte (the count
 * byte minus 29 more times). Outside packets the peer sends acknowledgements
 * ('+' good, '-' send again) and 0x03 to interrupt the target.
 *
 * This layer knows nothing of what packets mean (rsp/parse.h decodes their
 * arguments) nor of the transport: the reader takes bytes in whatever chunks
 * arrive, the writer builds a packet into a caller's buffer that the caller
 * sends. Neither allocates, blocks or keeps global state; one reader and one
 * writer per connection, used by one thread (no locking). See doc/rsp.md.
 */

#ifndef _RSP_PACKET_H_
#define _RSP_PACKET_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rsp/thread_id.h>

/*
 * Run-length encoding: after '*', a count byte n repeats the previous byte
 * n - RSP_REPEAT_BIAS more times. The count byte is printable, so it lies in
 * RSP_REPEAT_COUNT_FIRST..RSP_REPEAT_COUNT_LAST (3 to 97 repeats); a writer
 * also never sends '#' or '$' as a count (6 and 7 repeats), as they frame.
 */
enum {
	RSP_FRAME_OVERHEAD = 4,       /* '$', '#' and two checksum digits around a payload */
	RSP_REPEAT_BIAS = 29,         /* count byte n repeats n - 29 more times */
	RSP_REPEAT_COUNT_FIRST = ' ', /* the smallest count byte: 3 repeats */
	RSP_REPEAT_COUNT_LAST = '~',  /* the largest: 97 repeats */
	RSP_REPEATS_MAX = RSP_REPEAT_COUNT_LAST - RSP_REPEAT_BIAS, /* 97 */
};

/*
 * Reader
 */

/**
 * what rsp_reader_feed() found. RSP_READ_MORE is 0 like the _OK of a result:
 * the ordinary outcome, nothing to do but feed the next chunk.
 */
enum rsp_read_event {
	RSP_READ_MORE = 0,     /**< the chunk is used up without an event: feed the next */
	RSP_READ_PACKET,       /**< a good packet; its decoded payload is in the read */
	RSP_READ_INTERRUPT,    /**< 0x03 between packets: the peer asks to stop the target */
	RSP_READ_ACK,          /**< '+' between packets: the peer got our last packet */
	RSP_READ_NAK,          /**< '-' between packets: the peer asks for our last packet again */
	RSP_READ_BAD_CHECKSUM, /**< a packet whose checksum is wrong or not two hex digits;
	                            dropped */
	RSP_READ_OVERSIZED,    /**< a packet whose decoded payload exceeds the buffer; dropped
	                            (nothing was written past the buffer) */
	RSP_READ_MALFORMED,    /**< a packet with a broken escape or repeat (an escape or '*'
	                            before '#', a repeat without a previous byte or with a
	                            count byte outside ' '..'~'); dropped */
};

/** the outcome of one rsp_reader_feed() */
struct rsp_read
{
	enum rsp_read_event event;
	size_t consumed;     /* bytes of the chunk used up (all of it with RSP_READ_MORE);
	                        feed the rest again */
	char const *payload; /* RSP_READ_PACKET: the decoded payload, in the reader's
	                        buffer, followed by a NUL (not counted); valid until the next
	                        rsp_reader_feed() or rsp_reader_reset(). NULL otherwise */
	size_t length;       /* RSP_READ_PACKET: payload bytes (it may contain NULs) */
	char reply;          /* the acknowledgement to send the peer now: '+' for a good
	                        packet, '-' for a dropped one, 0 in no-ack mode and for the
	                        events between packets */
};

/** a packet reader; the fields are private to rsp_reader.c */
struct rsp_reader
{
	char *buffer;
	size_t capacity; /* largest decoded payload: the buffer's size minus the NUL */
	size_t length;   /* decoded payload bytes so far */
	int state;
	uint8_t sum;      /* of the raw payload bytes so far */
	uint8_t received; /* the checksum sent, as far as read */
	uint8_t last;     /* the last decoded byte, which '*' repeats */
	bool any;         /* a byte was decoded in this packet (`last` is valid) */
	bool bad_digit;   /* a checksum digit was not a hex digit */
	bool oversized;
	bool malformed;
	bool acks; /* acknowledge packets (cleared by QStartNoAckMode) */
};

/**
 * Set up a reader between packets, in acknowledgement mode.
 *
 * \param buffer  storage for one decoded payload and its NUL; the caller owns it
 *                and keeps it alive as long as the reader
 * \param size    bytes of `buffer`, at least 1; payloads of up to size - 1
 *                bytes are accepted. Advertise size - 1 as PacketSize.
 */
void rsp_reader_init(struct rsp_reader *reader, char *buffer, size_t size);

/**
 * Forget a partial packet (the peer went away mid-packet) and go back to
 * acknowledgement mode, as for a new connection.
 */
void rsp_reader_reset(struct rsp_reader *reader);

/**
 * Switch acknowledgements on or off. Turn them off after the reply to
 * QStartNoAckMode has been sent: from then on reads carry no `reply` and the
 * peer sends none.
 */
void rsp_reader_set_acks(struct rsp_reader *reader, bool acks);

/** whether the reader is between packets (no partial packet pending) */
bool rsp_reader_idle(struct rsp_reader const *reader) __attribute__((warn_unused_result));

/**
 * Consume bytes of the stream up to and including the next event.
 *
 * The chunk may end anywhere, also inside the framing, an escape or a
 * repeat: the reader keeps the state and goes on with the next chunk. Bytes
 * between packets other than '$', '+', '-' and 0x03 are skipped. A '$' inside
 * a packet drops the partial packet (it was cut off) and starts a new one.
 * Call it again with the rest of the chunk until it returns RSP_READ_MORE.
 * Send `reply` if it is not 0, whatever the event.
 *
 * \param chunk   bytes as received; only read, not kept
 * \param length  bytes of `chunk`; 0 gives RSP_READ_MORE with nothing consumed
 * \return        the event, the bytes consumed (at least 1 unless `length` is
 *                0) and, for a packet, its payload
 */
struct rsp_read rsp_reader_feed(struct rsp_reader *reader, void const *chunk, size_t length)
    __attribute__((warn_unused_result));

/*
 * Writer
 */

/** result of rsp_writer_finish() */
enum rsp_write {
	RSP_WRITE_OK = 0,   /**< the packet is complete */
	RSP_WRITE_OVERFLOW, /**< a put of text or a number did not fit; there is no packet */
};

/** a finished packet */
struct rsp_packet
{
	enum rsp_write result;
	char const *data; /* RSP_WRITE_OK: `$payload#cs` in the writer's buffer, else NULL */
	size_t length;    /* bytes of `data` to send */
};

/** a packet writer; the fields are private to rsp_writer.c */
struct rsp_writer
{
	char *buffer;
	size_t limit;  /* end of the payload: the buffer's size minus '#' and the digits */
	size_t length; /* bytes written, '$' included */
	unsigned sum;  /* of the payload bytes written */
	bool overflow;
};

/**
 * Start a packet in `buffer`: writes the '$'.
 *
 * \param buffer  where the packet is built; the caller owns it, and it must
 *                stay alive until the finished packet is sent
 * \param size    bytes of `buffer`; at least RSP_FRAME_OVERHEAD (asserted).
 *                Payloads of up to size - RSP_FRAME_OVERHEAD bytes fit.
 */
void rsp_writer_start(struct rsp_writer *writer, char *buffer, size_t size);

/** payload bytes still free */
size_t rsp_writer_space(struct rsp_writer const *writer) __attribute__((warn_unused_result));

/**
 * Append one byte. The framing bytes '$', '#', '}' and '*' are escaped (as
 * for binary data), so no byte can break the frame.
 *
 * If it does not fit, nothing is written and the packet fails at
 * rsp_writer_finish() with RSP_WRITE_OVERFLOW; the same for every put that
 * returns nothing.
 */
void rsp_writer_put_char(struct rsp_writer *writer, char c);

/** Append a NUL-terminated text, escaped like rsp_writer_put_char(); all or nothing. */
void rsp_writer_put_text(struct rsp_writer *writer, char const *text);

/** Append `value` in lower-case hex with the fewest digits (0 is "0"). */
void rsp_writer_put_hex_u64(struct rsp_writer *writer, uint64_t value);

/** Append `value` as exactly two hex digits (a signal number in a stop reply). */
void rsp_writer_put_hex_u8(struct rsp_writer *writer, uint8_t value);

/**
 * Append a thread id: "-1", "0" or hex, and with the process given
 * "p<process>.<thread>".
 */
void rsp_writer_put_thread_id(struct rsp_writer *writer, struct rsp_thread_id id);

/**
 * Append bytes hex-encoded (two lower-case digits each, memory order), as
 * many as fit: the reply to `m` and to `g` and `p` reads. Runs of four or
 * more equal digits are run-length encoded ('*' and a count), as replies may
 * be. Reads `bytes` once.
 *
 * \param bytes   the source, e.g. the target's memory mapped into the monitor
 * \param length  bytes to encode
 * \return        how many of them were encoded: `length`, or fewer when the
 *                packet is full (not an overflow: a reply may be shorter)
 */
size_t rsp_writer_put_hex(struct rsp_writer *writer, void const *bytes, size_t length)
    __attribute__((warn_unused_result));

/**
 * Append bytes as binary data with '$', '#', '}' and '*' escaped, as many
 * as fit: the reply to `x` and the data of qXfer replies.
 *
 * \return  how many bytes of `bytes` were appended: `length`, or fewer when
 *          the packet is full (an escaped byte takes two places)
 */
size_t rsp_writer_put_binary(struct rsp_writer *writer, void const *bytes, size_t length)
    __attribute__((warn_unused_result));

/**
 * How many leading bytes of `bytes` rsp_writer_put_binary() would append in
 * `room` payload places: a reply whose prefix depends on whether all of its
 * data fits (qXfer's 'l' or 'm') counts first, then puts.
 *
 * \param room    payload places, e.g. rsp_writer_space() less a prefix
 * \return        at most `length`; an escaped byte takes two places
 */
size_t rsp_binary_fit(void const *bytes, size_t length, size_t room)
    __attribute__((warn_unused_result));

/**
 * Close the packet: append '#' and the checksum.
 *
 * \return  RSP_WRITE_OK and the packet, or RSP_WRITE_OVERFLOW if a put did
 *          not fit (then no data). Start again before the next packet.
 */
struct rsp_packet rsp_writer_finish(struct rsp_writer *writer)
    __attribute__((warn_unused_result));

#endif /* _RSP_PACKET_H_ */
