/* SPDX-License-Identifier: MIT */
/** \brief core's LOG session: prefix, splitting, wrapping, escaping; and through RPC */

#include <stdio.h>
#include <stdlib.h>

#include "core_test.h"
#include "unit_test.h"

enum { CAPTURE_LINES = 16 };

struct capture
{
	size_t count;
	char lines[CAPTURE_LINES][LOG_SESSION_OUTPUT_MAX + 1];
	size_t lengths[CAPTURE_LINES];
};

static void capture_line(void *context, char const *line, size_t length)
{
	struct capture *c = context;
	if (c->count >= CAPTURE_LINES) abort();
	if (length > LOG_SESSION_OUTPUT_MAX || line[length] != 0) abort();
	memcpy(c->lines[c->count], line, length + 1);
	c->lengths[c->count] = length;
	c->count++;
}

static struct capture *format(char const *label, char const *text, size_t length)
{
	static struct capture c;
	memset(&c, 0, sizeof(c));
	CHECK_EQ(log_session_format(label, text, length, capture_line, &c), c.count);
	return &c;
}

static struct capture *format_string(char const *label, char const *text)
{
	return format(label, text, strlen(text));
}

TEST(log_format_prefixes_the_label)
{
	struct capture *c = format_string("init -> test-log", "hello");
	CHECK_EQ(c->count, 1);
	CHECK_STR(c->lines[0], "[init -> test-log] hello");
	CHECK_EQ(c->lengths[0], strlen("[init -> test-log] hello"));
	c = format_string("", "x");
	CHECK_STR(c->lines[0], "[] x");
}

TEST(log_format_splits_at_newlines)
{
	struct capture *c = format_string("l", "one\ntwo\nthree");
	CHECK_EQ(c->count, 3);
	CHECK_STR(c->lines[0], "[l] one");
	CHECK_STR(c->lines[1], "[l] two");
	CHECK_STR(c->lines[2], "[l] three");

	/* a trailing newline adds no line; an inner empty line stays */
	c = format_string("l", "a\n\nb\n");
	CHECK_EQ(c->count, 3);
	CHECK_STR(c->lines[0], "[l] a");
	CHECK_STR(c->lines[1], "[l] ");
	CHECK_STR(c->lines[2], "[l] b");

	c = format_string("l", "\n");
	CHECK_EQ(c->count, 1);
	CHECK_STR(c->lines[0], "[l] ");
	c = format_string("l", "only\n");
	CHECK_EQ(c->count, 1);
	CHECK_STR(c->lines[0], "[l] only");
}

TEST(log_format_of_nothing_prints_nothing)
{
	CHECK_EQ(format_string("l", "")->count, 0);
	CHECK_EQ(format("l", "ignored", 0)->count, 0);
}

TEST(log_format_wraps_long_lines)
{
	char text[3 * LOG_SESSION_LINE_MAX + 8];
	for (size_t i = 0; i < sizeof(text); i++) text[i] = (char)('a' + i % 26);

	/* exactly the maximum: one line */
	struct capture *c = format("l", text, LOG_SESSION_LINE_MAX);
	CHECK_EQ(c->count, 1);
	CHECK_EQ(c->lengths[0], 4 + LOG_SESSION_LINE_MAX);

	/* one more: a continuation line with the same prefix */
	c = format("l", text, LOG_SESSION_LINE_MAX + 1);
	CHECK_EQ(c->count, 2);
	CHECK_EQ(c->lengths[0], 4 + LOG_SESSION_LINE_MAX);
	CHECK_MEM(c->lines[0] + 4, text, LOG_SESSION_LINE_MAX);
	char expect[8];
	snprintf(expect, sizeof(expect), "[l] %c", text[LOG_SESSION_LINE_MAX]);
	CHECK_STR(c->lines[1], expect);

	/* 2.5 lines, then a newline and a short line */
	size_t n = LOG_SESSION_LINE_MAX * 5 / 2;
	text[n] = '\n';
	c = format("l", text, n + 3);
	CHECK_EQ(c->count, 4);
	CHECK_EQ(c->lengths[2], 4 + LOG_SESSION_LINE_MAX / 2);
	CHECK_MEM(c->lines[2] + 4, text + 2 * LOG_SESSION_LINE_MAX, LOG_SESSION_LINE_MAX / 2);
	CHECK_EQ(c->lengths[3], 4 + 2);

	/* a newline right at the wrap point makes no empty line */
	text[LOG_SESSION_LINE_MAX] = '\n';
	c = format("l", text, LOG_SESSION_LINE_MAX + 1);
	CHECK_EQ(c->count, 1);
}

TEST(log_format_escapes_non_printable_bytes)
{
	static char const text[] = "a\x01\x7f\xff\tb\\c\r\x1b[0m";
	struct capture *c = format("l", text, sizeof(text) - 1);
	CHECK_EQ(c->count, 1);
	CHECK_STR(c->lines[0], "[l] a\\x01\\x7f\\xff\tb\\c\\x0d\\x1b[0m");
	/* a NUL in the middle (possible through the formatter, not through RPC) */
	c = format("l", "a\0b", 3);
	CHECK_STR(c->lines[0], "[l] a\\x00b");
	/* the label too */
	c = format_string("evil\x1b]0;title\x07", "x");
	CHECK_STR(c->lines[0], "[evil\\x1b]0;title\\x07] x");
}

TEST(log_format_never_splits_an_escape)
{
	char text[LOG_SESSION_LINE_MAX + 1];
	memset(text, 'a', LOG_SESSION_LINE_MAX - 2);
	text[LOG_SESSION_LINE_MAX - 2] = 0x01; /* needs 4 characters, 2 are left */
	text[LOG_SESSION_LINE_MAX - 1] = 'z';
	struct capture *c = format("l", text, LOG_SESSION_LINE_MAX);
	CHECK_EQ(c->count, 2);
	CHECK_EQ(c->lengths[0], 4 + LOG_SESSION_LINE_MAX - 2);
	CHECK_STR(c->lines[1], "[l] \\x01z");
	/* an escape that just fits stays on the line */
	memset(text, 'a', LOG_SESSION_LINE_MAX - 4);
	text[LOG_SESSION_LINE_MAX - 4] = 0x02;
	c = format("l", text, LOG_SESSION_LINE_MAX - 3);
	CHECK_EQ(c->count, 1);
	CHECK_EQ(c->lengths[0], 4 + LOG_SESSION_LINE_MAX);
}

TEST(log_format_cuts_long_labels)
{
	char label[LOG_SESSION_LABEL_MAX + 20];
	memset(label, 'L', sizeof(label) - 1);
	label[sizeof(label) - 1] = 0;
	struct capture *c = format_string(label, "x");
	CHECK_EQ(c->lengths[0], 1 + LOG_SESSION_LABEL_MAX + 2 + 1);
	/* a label of escapes at full length still fits the line */
	memset(label, 0x01, sizeof(label) - 1);
	char text[LOG_SESSION_LINE_MAX];
	memset(text, 0x02, sizeof(text));
	c = format(label, text, sizeof(text));
	CHECK_EQ(c->count, 4);
	CHECK_EQ(c->lengths[0], LOG_SESSION_OUTPUT_MAX);
}

/* ---- through RPC ------------------------------------------------------------------- */

TEST(log_session_writes_through_rpc)
{
	core_test_start();
	static struct capture c;
	struct log_session_component_create_ret r =
	    core_test_log_create("init -> app", capture_line, &c);
	CHECK_EQ(r.result, LOG_SESSION_COMPONENT_OK);
	CHECK_EQ(log_session_write(r.cap, "first\nsecond\n"), LOG_SESSION_OK);
	CHECK_EQ(log_session_write(r.cap, ""), LOG_SESSION_OK);
	CHECK_EQ(c.count, 2);
	CHECK_STR(c.lines[0], "[init -> app] first");
	CHECK_STR(c.lines[1], "[init -> app] second");

	/* the largest write passes; a larger one is refused by the client stub */
	char text[LOG_SESSION_WRITE_MAX + 1];
	memset(text, 'w', sizeof(text));
	text[LOG_SESSION_WRITE_MAX - 1] = 0;
	CHECK_EQ(log_session_write(r.cap, text), LOG_SESSION_OK);
	CHECK_EQ(c.count,
	         2 + (LOG_SESSION_WRITE_MAX - 1 + LOG_SESSION_LINE_MAX - 1) / LOG_SESSION_LINE_MAX);
	text[LOG_SESSION_WRITE_MAX - 1] = 'w';
	text[LOG_SESSION_WRITE_MAX] = 0;
	size_t before = c.count;
	CHECK_EQ(log_session_write(r.cap, text), LOG_SESSION_TOO_LARGE);
	CHECK_EQ(c.count, before);

	core_test_log_destroy(r.log);
	CHECK_EQ(log_session_write(r.cap, "gone"), LOG_SESSION_INVALID_CAP);
	core_test_stop();
}
