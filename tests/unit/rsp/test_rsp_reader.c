/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of the RSP packet reader (gdb_monitor/include/rsp/packet.h):
 *        framing, acknowledgements, escapes, repeats, bad and oversized packets,
 *        each also fed in every chunking down to single bytes
 */

#include <rsp/packet.h>

#include "rsp_test.h"
#include "unit_test.h"

enum { CAPACITY = 64 };

/* events of the stream fed as a whole and in every other chunking */
static struct recording record_everyhow(char const *stream, size_t length, size_t capacity,
                                        bool acks)
{
	struct recording whole;
	record_stream(&whole, stream, length, length ? length : 1, capacity, acks);
	for (size_t chunk = 1; chunk < length; chunk++) {
		struct recording split;
		record_stream(&split, stream, length, chunk, capacity, acks);
		check_same_recording(&whole, &split, chunk);
	}
	/* also cut in two at every position */
	for (size_t cut = 1; cut < length; cut++) {
		struct recording two;
		record_stream_cut(&two, stream, length, cut, capacity, acks);
		check_same_recording(&whole, &two, cut);
	}
	return whole;
}

#define RECORD(literal, acks) record_everyhow(literal, sizeof(literal) - 1, CAPACITY, acks)

TEST(a_packet_is_delivered_and_acknowledged)
{
	struct recording r = RECORD("$qSupported#37", true);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[0].reply, '+');
	CHECK_STR(r.events[0].payload, "qSupported");
	CHECK_EQ(r.events[0].length, 10);
}

TEST(the_payload_is_nul_terminated_in_the_reader_buffer)
{
	char buffer[16];
	memset(buffer, 'z', sizeof(buffer));
	struct rsp_reader reader;
	rsp_reader_init(&reader, buffer, sizeof(buffer));
	char const stream[] = "$g#67";
	struct rsp_read read = rsp_reader_feed(&reader, stream, 5);
	CHECK_EQ(read.event, RSP_READ_PACKET);
	CHECK(read.payload == buffer);
	CHECK_EQ(read.length, 1);
	CHECK_EQ(buffer[1], '\0');
	CHECK_EQ(read.consumed, 5);
}

TEST(an_empty_packet_is_a_packet)
{
	struct recording r = RECORD("$#00", true);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[0].length, 0);
}

TEST(upper_case_checksum_digits_are_accepted)
{
	/* "OK" sums to 0x9a */
	struct recording r = RECORD("$OK#9A", true);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
}

TEST(a_wrong_checksum_is_refused_with_a_nak_and_the_next_packet_works)
{
	struct recording r = RECORD("$g#68$g#67", true);
	CHECK_EQ(r.count, 2);
	CHECK_EQ(r.events[0].event, RSP_READ_BAD_CHECKSUM);
	CHECK_EQ(r.events[0].reply, '-');
	CHECK_EQ(r.events[1].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[1].reply, '+');
	CHECK_STR(r.events[1].payload, "g");
}

TEST(checksum_digits_that_are_not_hex_are_a_bad_checksum)
{
	/* "g" is 0x67; 'g' and 'x' are not digits, whatever their low bits */
	struct recording r = RECORD("$g#6g$g#x7$g#67", true);
	CHECK_EQ(r.count, 3);
	CHECK_EQ(r.events[0].event, RSP_READ_BAD_CHECKSUM);
	CHECK_EQ(r.events[1].event, RSP_READ_BAD_CHECKSUM);
	CHECK_EQ(r.events[2].event, RSP_READ_PACKET);
}

TEST(the_checksum_covers_the_bytes_as_sent_not_as_decoded)
{
	/* "}]" decodes to '}'; the sum of the decoded byte (0x7d) is wrong */
	struct recording bad = RECORD("$}]#7d", true);
	CHECK_EQ(bad.events[0].event, RSP_READ_BAD_CHECKSUM);
	/* '}' + ']' = 0x7d + 0x5d = 0xda */
	struct recording good = RECORD("$}]#da", true);
	CHECK_EQ(good.events[0].event, RSP_READ_PACKET);
	CHECK_STR(good.events[0].payload, "}");
}

TEST(no_ack_mode_sends_no_replies_and_still_drops_bad_packets)
{
	struct recording r = RECORD("$g#67$g#00", false);
	CHECK_EQ(r.count, 2);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[0].reply, 0);
	CHECK_EQ(r.events[1].event, RSP_READ_BAD_CHECKSUM);
	CHECK_EQ(r.events[1].reply, 0);
}

TEST(acks_can_be_switched_off_between_packets)
{
	char buffer[32];
	struct rsp_reader reader;
	rsp_reader_init(&reader, buffer, sizeof(buffer));
	struct rsp_read read = rsp_reader_feed(&reader, "$QStartNoAckMode#b0", 19);
	CHECK_EQ(read.event, RSP_READ_PACKET);
	CHECK_EQ(read.reply, '+');
	rsp_reader_set_acks(&reader, false);
	/* the peer's '+' for our OK may still come: an ACK event, nothing to send */
	read = rsp_reader_feed(&reader, "+$g#67", 6);
	CHECK_EQ(read.event, RSP_READ_ACK);
	CHECK_EQ(read.consumed, 1);
	read = rsp_reader_feed(&reader, "$g#67", 5);
	CHECK_EQ(read.event, RSP_READ_PACKET);
	CHECK_EQ(read.reply, 0);
}

TEST(an_interrupt_between_packets_is_its_own_event)
{
	struct recording r = RECORD("\x03$c#63\x03\x03", true);
	CHECK_EQ(r.count, 4);
	CHECK_EQ(r.events[0].event, RSP_READ_INTERRUPT);
	CHECK_EQ(r.events[0].reply, 0);
	CHECK_EQ(r.events[1].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[2].event, RSP_READ_INTERRUPT);
	CHECK_EQ(r.events[3].event, RSP_READ_INTERRUPT);
}

TEST(an_interrupt_byte_inside_a_packet_is_data)
{
	/* 'X' 0x03 'a' = 0x58 + 0x03 + 0x61 = 0xbc */
	struct recording r = RECORD("$X\x03"
	                            "a#bc",
	                            true);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[0].length, 3);
	CHECK_MEM(r.events[0].payload,
	          "X\x03"
	          "a",
	          3);
}

TEST(acks_and_naks_between_packets_are_events_and_inside_are_data)
{
	/* "+-" = 0x2b + 0x2d = 0x58 */
	struct recording r = RECORD("+-$+-#58-", true);
	CHECK_EQ(r.count, 4);
	CHECK_EQ(r.events[0].event, RSP_READ_ACK);
	CHECK_EQ(r.events[1].event, RSP_READ_NAK);
	CHECK_EQ(r.events[2].event, RSP_READ_PACKET);
	CHECK_STR(r.events[2].payload, "+-");
	CHECK_EQ(r.events[3].event, RSP_READ_NAK);
}

TEST(garbage_between_packets_is_skipped)
{
	struct recording r = RECORD("hello\r\n#99\xff\x00}*$g#67 junk $c#63", true);
	CHECK_EQ(r.count, 2);
	CHECK_STR(r.events[0].payload, "g");
	CHECK_STR(r.events[1].payload, "c");
}

TEST(a_dollar_inside_a_packet_drops_the_cut_off_packet)
{
	struct recording r = RECORD("$m1000,$g#67", true);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_STR(r.events[0].payload, "g");
}

TEST(a_dollar_in_the_checksum_or_after_an_escape_restarts_too)
{
	struct recording r = RECORD("$g#6$g#67$a}$g#67$a*$g#67", true);
	CHECK_EQ(r.count, 3);
	for (size_t i = 0; i < 3; i++) {
		CHECK_EQ(r.events[i].event, RSP_READ_PACKET);
		CHECK_STR(r.events[i].payload, "g");
	}
}

TEST(escapes_decode_every_framing_byte)
{
	/* }\x03 = '#', }\x04 = '$', }] = '}', }\x0a = '*' */
	char stream[64];
	size_t n = frame(stream, "X}\x03}\x04}]}\x0a");
	struct recording r = record_everyhow(stream, n, CAPACITY, true);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_STR(r.events[0].payload, "X#$}*");
}

TEST(an_escape_right_before_the_end_is_malformed)
{
	char stream[64];
	size_t n = frame(stream, "ab}");
	struct recording r = record_everyhow(stream, n, CAPACITY, true);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.events[0].event, RSP_READ_MALFORMED);
	CHECK_EQ(r.events[0].reply, '-');
}

TEST(run_length_encoding_is_expanded)
{
	char stream[64];
	/* ' ' repeats 3 more times, '"' 5 more, '~' 97 more */
	size_t n = frame(stream, "0* ");
	struct recording r = record_everyhow(stream, n, CAPACITY, true);
	CHECK_STR(r.events[0].payload, "0000");

	n = frame(stream, "a*\"bb");
	r = record_everyhow(stream, n, CAPACITY, true);
	CHECK_STR(r.events[0].payload, "aaaaaabb");

	n = frame(stream, "x*~");
	r = record_everyhow(stream, n, 128, true);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[0].length, 98);
	for (size_t i = 0; i < 98; i++) CHECK_EQ(r.events[0].payload[i], 'x');
}

TEST(a_repeat_repeats_the_decoded_byte_of_an_escape)
{
	char stream[64];
	size_t n = frame(stream, "}]* z");
	struct recording r = record_everyhow(stream, n, CAPACITY, true);
	CHECK_STR(r.events[0].payload, "}}}}z");
}

TEST(broken_repeats_are_malformed)
{
	char const *const broken[] = {
		"* ",     /* nothing to repeat */
		"a*",     /* no count before the end */
		"a*\x1f", /* count below ' ' */
		"a*\x7f", /* count above '~' */
		"a*\xff",
	};
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		char stream[64];
		size_t n = frame(stream, broken[i]);
		struct recording r = record_everyhow(stream, n, CAPACITY, true);
		CHECK_EQ(r.count, 1);
		CHECK_EQ(r.events[0].event, RSP_READ_MALFORMED);
		CHECK_EQ(r.events[0].reply, '-');
	}
}

TEST(a_payload_as_large_as_the_buffer_fits_one_more_byte_is_oversized)
{
	char payload[CAPACITY + 2];
	memset(payload, 'a', sizeof(payload));
	payload[CAPACITY] = '\0';
	char stream[128];
	size_t n = frame(stream, payload);
	struct recording r = record_everyhow(stream, n, CAPACITY, true);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[0].length, CAPACITY);

	payload[CAPACITY] = 'a';
	payload[CAPACITY + 1] = '\0';
	n = frame(stream, payload);
	r = record_everyhow(stream, n, CAPACITY, true);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.events[0].event, RSP_READ_OVERSIZED);
	CHECK_EQ(r.events[0].reply, '-');
}

TEST(an_oversized_packet_writes_nothing_past_the_buffer_and_the_next_one_works)
{
	/* the reader's buffer sits between two guards that must stay intact */
	struct
	{
		char before[16];
		char buffer[9];
		char after[16];
	} area;
	memset(&area, 0x5a, sizeof(area));
	struct rsp_reader reader;
	rsp_reader_init(&reader, area.buffer, sizeof(area.buffer));

	char big[4096];
	memset(big, 'q', 2000);
	memcpy(big + 2000, "}]*~", 5); /* escapes and repeats past the end as well */
	char stream[4200];
	size_t n = frame(stream, big);
	n += frame(stream + n, "g");
	struct recording r;
	record_reader(&r, &reader, stream, n, 7);
	CHECK_EQ(r.count, 2);
	CHECK_EQ(r.events[0].event, RSP_READ_OVERSIZED);
	CHECK_EQ(r.events[1].event, RSP_READ_PACKET);
	CHECK_STR(r.events[1].payload, "g");
	for (size_t i = 0; i < 16; i++) {
		CHECK_EQ(area.before[i], 0x5a);
		CHECK_EQ(area.after[i], 0x5a);
	}
}

TEST(a_repeat_that_would_pass_the_buffer_is_oversized)
{
	char stream[64];
	size_t n = frame(stream, "a*~");
	struct recording r = record_everyhow(stream, n, 50, true);
	CHECK_EQ(r.events[0].event, RSP_READ_OVERSIZED);
	/* exactly to the end fits: 1 + 49 */
	n = frame(stream, "a*N");
	r = record_everyhow(stream, n, 50, true);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[0].length, 50);
}

TEST(a_buffer_of_one_byte_takes_only_empty_packets)
{
	struct recording r = record_everyhow("$#00$a#61", 9, 0, true);
	CHECK_EQ(r.count, 2);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[1].event, RSP_READ_OVERSIZED);
}

TEST(a_bad_checksum_wins_over_oversized_and_malformed)
{
	struct recording r = record_everyhow("$aaaa#00$* #00", 14, 2, true);
	CHECK_EQ(r.count, 2);
	CHECK_EQ(r.events[0].event, RSP_READ_BAD_CHECKSUM);
	CHECK_EQ(r.events[1].event, RSP_READ_BAD_CHECKSUM);
}

TEST(two_packets_in_one_chunk_come_one_per_feed)
{
	char buffer[32];
	struct rsp_reader reader;
	rsp_reader_init(&reader, buffer, sizeof(buffer));
	char const stream[] = "$g#67$c#63";
	struct rsp_read read = rsp_reader_feed(&reader, stream, 10);
	CHECK_EQ(read.event, RSP_READ_PACKET);
	CHECK_EQ(read.consumed, 5);
	CHECK_STR(read.payload, "g");
	read = rsp_reader_feed(&reader, stream + 5, 5);
	CHECK_EQ(read.event, RSP_READ_PACKET);
	CHECK_EQ(read.consumed, 5);
	CHECK_STR(read.payload, "c");
	read = rsp_reader_feed(&reader, stream + 10, 0);
	CHECK_EQ(read.event, RSP_READ_MORE);
	CHECK_EQ(read.consumed, 0);
	CHECK(read.payload == NULL);
}

TEST(idle_tells_whether_a_packet_is_open_and_reset_drops_it)
{
	char buffer[32];
	struct rsp_reader reader;
	rsp_reader_init(&reader, buffer, sizeof(buffer));
	CHECK(rsp_reader_idle(&reader));
	struct rsp_read read = rsp_reader_feed(&reader, "$m10", 4);
	CHECK_EQ(read.event, RSP_READ_MORE);
	CHECK_EQ(read.consumed, 4);
	CHECK(!rsp_reader_idle(&reader));
	rsp_reader_set_acks(&reader, false);

	/* the peer went away mid-packet; the next connection starts afresh */
	rsp_reader_reset(&reader);
	CHECK(rsp_reader_idle(&reader));
	read = rsp_reader_feed(&reader, ",4#00\x03", 6);
	CHECK_EQ(read.event, RSP_READ_INTERRUPT);
	read = rsp_reader_feed(&reader, "$g#67", 5);
	CHECK_EQ(read.event, RSP_READ_PACKET);
	CHECK_EQ(read.reply, '+'); /* acknowledgements are back on */
}

TEST(binary_data_of_every_byte_value_survives_writer_and_reader)
{
	unsigned char bytes[256];
	for (size_t i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
	char packet[600];
	struct rsp_writer writer;
	rsp_writer_start(&writer, packet, sizeof(packet));
	rsp_writer_put_char(&writer, 'X');
	CHECK_EQ(rsp_writer_put_binary(&writer, bytes, 256), 256);
	struct rsp_packet p = rsp_writer_finish(&writer);
	CHECK_EQ(p.result, RSP_WRITE_OK);

	struct recording r = record_everyhow(p.data, p.length, 300, true);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.events[0].event, RSP_READ_PACKET);
	CHECK_EQ(r.events[0].length, 257);
	CHECK_MEM(r.events[0].payload + 1, bytes, 256);
}

TEST_EXPECT_DEATH(a_reader_without_room_for_the_nul_is_a_bug)
{
	char buffer[1];
	struct rsp_reader reader;
	rsp_reader_init(&reader, buffer, 0);
}
