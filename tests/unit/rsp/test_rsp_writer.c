/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of the RSP packet writer and the hex codecs
 *        (gdb_monitor/include/rsp/packet.h, rsp/hex.h)
 */

#include <stdlib.h>
#include <string.h>

#include <rsp/hex.h>
#include <rsp/packet.h>

#include "rsp_test.h"
#include "unit_random.h"
#include "unit_test.h"

/* the finished packet as a NUL-terminated string (the data has no NUL) */
static char const *finish_text(struct rsp_writer *writer)
{
	static char text[1024];
	struct rsp_packet p = rsp_writer_finish(writer);
	CHECK_EQ(p.result, RSP_WRITE_OK);
	CHECK(p.length < sizeof(text));
	memcpy(text, p.data, p.length);
	text[p.length] = '\0';
	return text;
}

/* the expected packet, framed by the tests' own helper */
static char const *framed(char const *payload)
{
	static char text[1024];
	frame(text, payload);
	return text;
}

TEST(text_is_framed_with_its_checksum)
{
	char buffer[32];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_text(&w, "OK");
	CHECK_STR(finish_text(&w), "$OK#9a");
}

TEST(an_empty_packet_is_dollar_hash_00)
{
	char buffer[RSP_FRAME_OVERHEAD];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	CHECK_EQ(rsp_writer_space(&w), 0);
	struct rsp_packet p = rsp_writer_finish(&w);
	CHECK_EQ(p.result, RSP_WRITE_OK);
	CHECK_EQ(p.length, 4);
	CHECK_MEM(p.data, "$#00", 4);
}

TEST(numbers_and_thread_ids_are_written_in_hex)
{
	char buffer[128];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_char(&w, 'T');
	rsp_writer_put_hex_u8(&w, 5);
	rsp_writer_put_text(&w, "thread:");
	rsp_writer_put_thread_id(&w, (struct rsp_thread_id){ true, 0x1f, 0x2a });
	rsp_writer_put_char(&w, ';');
	rsp_writer_put_hex_u64(&w, 0);
	rsp_writer_put_char(&w, ',');
	rsp_writer_put_hex_u64(&w, 0x1234);
	rsp_writer_put_char(&w, ',');
	rsp_writer_put_hex_u64(&w, UINT64_MAX);
	rsp_writer_put_char(&w, ',');
	rsp_writer_put_thread_id(&w, (struct rsp_thread_id){ false, 0, RSP_THREAD_ALL });
	rsp_writer_put_char(&w, ',');
	rsp_writer_put_thread_id(&w,
	                         (struct rsp_thread_id){ true, RSP_THREAD_ALL, RSP_THREAD_ANY });
	rsp_writer_put_char(&w, ',');
	rsp_writer_put_thread_id(&w, (struct rsp_thread_id){ false, 0, 0xabc });
	CHECK_STR(finish_text(&w), framed("T05thread:p1f.2a;0,1234,ffffffffffffffff,-1,p-1.0,abc"));
}

TEST(framing_bytes_in_text_are_escaped)
{
	char buffer[64];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_text(&w, "a#b$c}d*e");
	rsp_writer_put_char(&w, '#');
	CHECK_STR(finish_text(&w), framed("a}\x03"
	                                  "b}\x04"
	                                  "c}]d}\x0a"
	                                  "e}\x03"));
}

TEST(hex_bytes_come_high_digit_first_in_memory_order)
{
	unsigned char const bytes[] = { 0x00, 0xff, 0x12, 0xab, 0x7e };
	char buffer[64];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	CHECK_EQ(rsp_writer_put_hex(&w, bytes, sizeof(bytes)), 5);
	CHECK_STR(finish_text(&w), framed("00ff12ab7e"));
}

TEST(hex_puts_as_many_whole_bytes_as_fit)
{
	unsigned char bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	char buffer[RSP_FRAME_OVERHEAD + 7];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	CHECK_EQ(rsp_writer_space(&w), 7);
	/* 7 places hold three bytes; the odd place stays free for a char */
	CHECK_EQ(rsp_writer_put_hex(&w, bytes, 8), 3);
	CHECK_EQ(rsp_writer_space(&w), 1);
	CHECK_EQ(rsp_writer_put_hex(&w, bytes, 8), 0);
	rsp_writer_put_char(&w, 'x');
	CHECK_STR(finish_text(&w), framed("010203x"));
}

TEST(binary_escapes_only_the_four_bytes_and_stops_where_the_packet_is_full)
{
	unsigned char const bytes[] = { 'a', '#', 0x00, '*' };
	char buffer[RSP_FRAME_OVERHEAD + 4];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	/* 'a' (1) + "}\x03" (2) + NUL (1) = 4; '*' needs two more */
	CHECK_EQ(rsp_writer_put_binary(&w, bytes, 4), 3);
	struct rsp_packet p = rsp_writer_finish(&w);
	CHECK_EQ(p.result, RSP_WRITE_OK);
	CHECK_EQ(p.length, 8);
	unsigned sum = 'a' + '}' + 0x03 + 0x00;
	char expected[8] = { '$',
		                 'a',
		                 '}',
		                 0x03,
		                 0x00,
		                 '#',
		                 "0123456789abcdef"[(sum >> 4) & 15],
		                 "0123456789abcdef"[sum & 15] };
	CHECK_MEM(p.data, expected, 8);
}

TEST(an_escaped_byte_does_not_fit_in_one_place)
{
	char buffer[RSP_FRAME_OVERHEAD + 1];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	CHECK_EQ(rsp_writer_put_binary(&w, "}", 1), 0);
	CHECK_EQ(rsp_writer_put_binary(&w, "z}", 2), 1);
	CHECK_STR(finish_text(&w), framed("z"));
}

TEST(binary_fit_counts_what_put_binary_appends)
{
	char const data[] = "a$b#c}d*e";
	CHECK_EQ(rsp_binary_fit(data, 9, 0), 0);
	CHECK_EQ(rsp_binary_fit(data, 9, 1), 1);
	CHECK_EQ(rsp_binary_fit(data, 9, 2), 1); /* '$' takes two */
	CHECK_EQ(rsp_binary_fit(data, 9, 3), 2);
	CHECK_EQ(rsp_binary_fit(data, 9, 13), 9);
	CHECK_EQ(rsp_binary_fit(data, 9, 12), 8);
	CHECK_EQ(rsp_binary_fit(data, 3, 100), 3);
	for (size_t room = 0; room <= 14; room++) {
		char buffer[RSP_FRAME_OVERHEAD + 14];
		struct rsp_writer w;
		rsp_writer_start(&w, buffer, RSP_FRAME_OVERHEAD + room);
		CHECK_EQ(rsp_writer_put_binary(&w, data, 9), rsp_binary_fit(data, 9, room));
	}
}

TEST(text_that_does_not_fit_fails_the_packet_and_writes_nothing)
{
	char buffer[RSP_FRAME_OVERHEAD + 4];
	memset(buffer, '.', sizeof(buffer));
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_text(&w, "ab");
	rsp_writer_put_text(&w, "c#"); /* 3 places with the escape, 2 free */
	CHECK_EQ(buffer[3], '.');
	CHECK_EQ(rsp_writer_space(&w), 0);
	/* the failure sticks: a put that would fit adds nothing */
	rsp_writer_put_char(&w, 'd');
	CHECK_EQ(rsp_writer_put_hex(&w, "x", 1), 0);
	CHECK_EQ(rsp_writer_put_binary(&w, "x", 1), 0);
	CHECK_EQ(buffer[3], '.');
	struct rsp_packet p = rsp_writer_finish(&w);
	CHECK_EQ(p.result, RSP_WRITE_OVERFLOW);
	CHECK(p.data == NULL);
	CHECK_EQ(p.length, 0);
}

TEST(numbers_that_do_not_fit_fail_the_packet)
{
	char buffer[RSP_FRAME_OVERHEAD + 4];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_hex_u64(&w, 0x12345);
	CHECK_EQ(rsp_writer_finish(&w).result, RSP_WRITE_OVERFLOW);

	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_thread_id(&w, (struct rsp_thread_id){ true, 1, 2 });
	CHECK_EQ(rsp_writer_finish(&w).result, RSP_WRITE_OK);
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_thread_id(&w, (struct rsp_thread_id){ true, 1, 0x20 });
	CHECK_EQ(rsp_writer_finish(&w).result, RSP_WRITE_OVERFLOW);
}

TEST(a_writer_can_be_started_again_and_puts_after_finish_do_nothing)
{
	char buffer[16];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_text(&w, "OK");
	CHECK_STR(finish_text(&w), "$OK#9a");
	CHECK_EQ(rsp_writer_space(&w), 0);
	rsp_writer_put_char(&w, 'x');
	CHECK_MEM(buffer, "$OK#9a", 6);
	CHECK_EQ(rsp_writer_finish(&w).result, RSP_WRITE_OVERFLOW);

	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_text(&w, "E01");
	CHECK_STR(finish_text(&w), framed("E01"));
}

/*
 * Check a packet's frame and checksum and expand its run-length encoding as
 * GDB does (c '*' n: c repeated n - 29 more times); the payload into `out`.
 * Fails the case on a repeat count GDB would refuse ('#', '$', below 3).
 */
static size_t packet_expand(struct rsp_packet p, char *out, size_t size)
{
	CHECK_EQ(p.result, RSP_WRITE_OK);
	CHECK(p.length >= RSP_FRAME_OVERHEAD && p.data[0] == '$' && p.data[p.length - 3] == '#');
	unsigned sum = 0;
	for (size_t i = 1; i < p.length - 3; i++) sum += (unsigned char)p.data[i];
	char digits[3];
	snprintf(digits, sizeof(digits), "%02x", sum & 255);
	CHECK_MEM(p.data + p.length - 2, digits, 2);
	size_t n = 0;
	for (size_t i = 1; i < p.length - 3; i++) {
		if (p.data[i] != '*') {
			CHECK(n < size);
			out[n++] = p.data[i];
			continue;
		}
		CHECK(n > 0 && i + 1 < p.length - 3);
		char count = p.data[++i];
		CHECK(count != '#' && count != '$' && count >= 29 + 3 && count <= 126);
		for (int r = 0; r < count - 29; r++) {
			CHECK(n < size);
			out[n] = out[n - 1];
			n++;
		}
	}
	return n;
}

TEST(hex_runs_of_four_or_more_digits_are_run_length_encoded)
{
	char buffer[512];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	unsigned char const zeros[2] = { 0, 0 };
	CHECK_EQ(rsp_writer_put_hex(&w, zeros, 2), 2);
	CHECK_STR(finish_text(&w), framed("0* "));

	/* a run inside: 12 22 23 is 1 2222 3; three are left as they are */
	unsigned char const inside[] = { 0x12, 0x22, 0x23, 0x33, 0x40 };
	rsp_writer_start(&w, buffer, sizeof(buffer));
	CHECK_EQ(rsp_writer_put_hex(&w, inside, sizeof(inside)), sizeof(inside));
	CHECK_STR(finish_text(&w), framed("12* 33340"));

	/* 7 and 8 equal digits: 6 and 7 repeats would be '#' and '$': 5, then the rest */
	unsigned char const seven[] = { 0x1a, 0xaa, 0xaa, 0xaa, 0x12 };
	rsp_writer_start(&w, buffer, sizeof(buffer));
	CHECK_EQ(rsp_writer_put_hex(&w, seven, sizeof(seven)), sizeof(seven));
	CHECK_STR(finish_text(&w), framed("1a*\"a12"));
	unsigned char const eight[] = { 0xbb, 0xbb, 0xbb, 0xbb };
	rsp_writer_start(&w, buffer, sizeof(buffer));
	CHECK_EQ(rsp_writer_put_hex(&w, eight, sizeof(eight)), sizeof(eight));
	CHECK_STR(finish_text(&w), framed("b*\"bb"));

	/* 128 zeros: 97 repeats at most ('~'), then 29 (':') */
	unsigned char const many[64] = { 0 };
	rsp_writer_start(&w, buffer, sizeof(buffer));
	CHECK_EQ(rsp_writer_put_hex(&w, many, sizeof(many)), sizeof(many));
	CHECK_STR(finish_text(&w), framed("0*~0*:"));
}

TEST(every_run_length_from_1_to_300_expands_back_with_a_right_checksum)
{
	static unsigned char bytes[160];
	static char buffer[2 * sizeof(bytes) + RSP_FRAME_OVERHEAD], out[2 * sizeof(bytes)];
	static char plain[2 * sizeof(bytes) + 1];
	for (size_t run = 1; run <= 300; run++) {
		/* `run` digits 'f' after an odd start, then a different digit */
		size_t n = (run + 1) / 2 + 2;
		memset(bytes, 0, sizeof(bytes));
		bytes[0] = 0x0f;
		for (size_t d = 1; d < run; d++) bytes[(1 + d) / 2] |= (d + 1) % 2 ? 0x0f : 0xf0;
		struct rsp_writer w;
		rsp_writer_start(&w, buffer, sizeof(buffer));
		CHECK_EQ(rsp_writer_put_hex(&w, bytes, n), n);
		for (size_t i = 0; i < n; i++) snprintf(plain + 2 * i, 3, "%02x", bytes[i]);
		CHECK_EQ(packet_expand(rsp_writer_finish(&w), out, sizeof(out)), 2 * n);
		CHECK_MEM(out, plain, 2 * n);
	}
}

TEST(a_large_hex_reply_expands_to_a_plain_encoding_with_its_checksum)
{
	size_t const n = 65536 + 3;
	unsigned char *bytes = malloc(n);
	char *buffer = malloc(2 * n + RSP_FRAME_OVERHEAD);
	char *expected = malloc(2 * n + 1);
	char *out = malloc(2 * n);
	CHECK(bytes && buffer && expected && out);
	unsigned seed = 12345;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		/* random, with runs: every 64th stretch of 64 bytes a constant */
		bytes[i] =
		    (i / 64) % 64 == 7 ? (unsigned char)(i / 4096 * 0x11) : (unsigned char)(seed >> 16);
	}
	for (size_t i = 0; i < n; i++) snprintf(expected + 2 * i, 3, "%02x", bytes[i]);

	struct rsp_writer w;
	rsp_writer_start(&w, buffer, 2 * n + RSP_FRAME_OVERHEAD);
	CHECK_EQ(rsp_writer_put_hex(&w, bytes, n), n);
	struct rsp_packet p = rsp_writer_finish(&w);
	CHECK(p.length < 2 * n + RSP_FRAME_OVERHEAD); /* the runs made it shorter */
	CHECK_EQ(packet_expand(p, out, 2 * n), 2 * n);
	CHECK_MEM(out, expected, 2 * n);
	free(bytes);
	free(buffer);
	free(expected);
	free(out);
}

TEST(a_run_anywhere_in_a_long_reply_expands_back)
{
	/* the writer encodes a long reply piece by piece: a run of 40 equal digits at every
	 * digit of the first 1,600 bytes, among random ones, crosses each seam there, from an
	 * even and from an odd digit */
	enum { N = 2000, RUN = 20 };
	static unsigned char random[N], bytes[N];
	static char buffer[2 * N + RSP_FRAME_OVERHEAD], out[2 * N], plain[2 * N + 1];
	uint64_t state = 0x5eed;
	for (size_t i = 0; i < N; i++) random[i] = (unsigned char)unit_random_next(&state);
	for (size_t digit = 2; digit < 2 * 1600; digit++) {
		memcpy(bytes, random, N);
		size_t at = digit / 2;
		if (digit % 2) bytes[at++] &= 0xf0; /* the run starts at the byte's second digit */
		memset(bytes + at, 0, RUN);
		for (size_t i = 0; i < N; i++) snprintf(plain + 2 * i, 3, "%02x", bytes[i]);

		struct rsp_writer w;
		rsp_writer_start(&w, buffer, sizeof(buffer));
		CHECK_EQ(rsp_writer_put_hex(&w, bytes, N), N);
		struct rsp_packet p = rsp_writer_finish(&w);
		CHECK(p.length < 2 * N); /* the run made it shorter */
		CHECK_EQ(packet_expand(p, out, sizeof(out)), 2 * N);
		CHECK_MEM(out, plain, 2 * N);
	}
}

TEST_EXPECT_DEATH(a_writer_buffer_smaller_than_the_frame_is_a_bug)
{
	char buffer[RSP_FRAME_OVERHEAD - 1];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
}

TEST_EXPECT_DEATH(a_negative_thread_id_other_than_minus_one_is_a_bug)
{
	char buffer[32];
	struct rsp_writer w;
	rsp_writer_start(&w, buffer, sizeof(buffer));
	rsp_writer_put_thread_id(&w, (struct rsp_thread_id){ false, 0, -2 });
}

/*
 * hex codecs
 */

TEST(hex_encode_writes_every_byte_value_and_returns_the_digit_sum)
{
	unsigned char bytes[256];
	for (size_t i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
	/* every length up to 9 exercises the four-at-once loop and its tail */
	for (size_t n = 0; n <= 256; n = n < 9 ? n + 1 : n + 61) {
		char digits[513];
		memset(digits, '.', sizeof(digits));
		size_t sum = rsp_hex_encode(digits, bytes + 256 - n, n);
		size_t expected_sum = 0;
		for (size_t i = 0; i < n; i++) {
			char pair[3];
			snprintf(pair, sizeof(pair), "%02x", bytes[256 - n + i]);
			CHECK_MEM(digits + 2 * i, pair, 2);
			expected_sum += (unsigned char)pair[0] + (unsigned char)pair[1];
		}
		CHECK_EQ(digits[2 * n], '.');
		CHECK_EQ_U(sum, expected_sum);
	}
}

TEST(hex_decode_takes_either_case)
{
	unsigned char bytes[5] = { 0 };
	CHECK_EQ(rsp_hex_decode(bytes, "00fFaB19c7", 10), RSP_HEX_DECODE_OK);
	CHECK_MEM(bytes, "\x00\xff\xab\x19\xc7", 5);
	CHECK_EQ(rsp_hex_decode(bytes, "", 0), RSP_HEX_DECODE_OK);
	CHECK(rsp_hex_valid("0123456789abcdefABCDEF", 22));
	CHECK(rsp_hex_valid("", 0));
}

TEST(hex_decode_refuses_odd_lengths_and_non_digits)
{
	unsigned char bytes[4];
	char const *const bad[] = { "0g", "g0", " 0", "0 ", "x1", ":0", "@0", "`0", "/0", "G0" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(rsp_hex_decode(bytes, bad[i], 2), RSP_HEX_DECODE_INVALID);
		CHECK(!rsp_hex_valid(bad[i], 2));
	}
	CHECK_EQ(rsp_hex_decode(bytes, "abc", 3), RSP_HEX_DECODE_INVALID);
	CHECK(!rsp_hex_valid("abc", 3));
	CHECK(!rsp_hex_valid("ab\0c", 4));
	CHECK(!rsp_hex_valid("ab\xff"
	                     "c",
	                     4));
}
