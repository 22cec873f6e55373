/* SPDX-License-Identifier: MIT */
/** \brief reading and editing session-argument strings */

#include <base/panic.h>
#include <util/arg_string.h>
#include <util/string.h>
#include <util/token.h>

/* one key=value pair, as spans into the argument string */
struct arg_string_pair
{
	struct token key;
	char const *value;
	size_t value_length;
};

/* walks the pairs of an argument string one at a time */
struct arg_string_scanner
{
	struct token next; /* first token not yet consumed */
	bool started;      /* a pair has been read already */
};

static void arg_string_scanner_init(struct arg_string_scanner *scanner, char const *args,
                                    size_t length)
{
	scanner->next = token_skip_whitespace(token_first(args, length));
	scanner->started = false;
}

/* raw values are runs of identifiers, numbers and delimiters other than ',' */
static bool arg_string_is_raw_token(struct token t)
{
	return t.type == TOKEN_IDENTIFIER || t.type == TOKEN_NUMBER ||
	       (t.type == TOKEN_DELIMITER && t.start[0] != ',');
}

/*
 * Read the value at `t` (whitespace already skipped). Returns false if there
 * is no valid value; on success *after is the first token past the value.
 */
static bool arg_string_read_value(struct token t, struct arg_string_pair *pair,
                                  struct token *after)
{
	if (t.type == TOKEN_STRING) {
		pair->value = t.start;
		pair->value_length = t.length;
		*after = token_next(t);
		return true;
	}
	if (!arg_string_is_raw_token(t)) return false;

	char const *start = t.start;
	while (arg_string_is_raw_token(t)) t = token_next(t);
	/* a quote glued to raw text (a=x"y") is no value */
	if (t.type == TOKEN_STRING || t.type == TOKEN_STRING_UNTERMINATED) return false;
	pair->value = start;
	pair->value_length = (size_t)(t.start - start);
	*after = t;
	return true;
}

/* OK with the next pair in *pair, NOT_FOUND at the end, or MALFORMED */
static enum arg_string_result arg_string_scanner_next(struct arg_string_scanner *scanner,
                                                      struct arg_string_pair *pair)
{
	struct token t = scanner->next;
	if (scanner->started) {
		if (t.type == TOKEN_END) return ARG_STRING_NOT_FOUND;
		if (!token_is_delimiter(t, ',')) return ARG_STRING_MALFORMED;
		t = token_skip_whitespace(token_next(t));
	} else if (t.type == TOKEN_END) {
		return ARG_STRING_NOT_FOUND;
	}

	if (t.type != TOKEN_IDENTIFIER) return ARG_STRING_MALFORMED;
	pair->key = t;
	t = token_skip_whitespace(token_next(t));
	if (!token_is_delimiter(t, '=')) return ARG_STRING_MALFORMED;
	t = token_skip_whitespace(token_next(t));
	if (!arg_string_read_value(t, pair, &t)) return ARG_STRING_MALFORMED;

	scanner->next = token_skip_whitespace(t);
	scanner->started = true;
	return ARG_STRING_OK;
}

/* everything a lookup learns about one argument string in one pass */
struct arg_string_lookup
{
	enum arg_string_result result; /* OK (found), NOT_FOUND or MALFORMED */
	struct arg_string_pair match;  /* the occurrence looked for */
	char const *match_prev_end;    /* end of the pair before it, or NULL */
	char const *match_next_start;  /* start of the pair after it, or NULL */
	size_t later_bytes;            /* bytes that removing every occurrence
	                                  after the match (each with the gap before
	                                  it) takes away */
	size_t pair_count;
	char const *last_end; /* end of the last pair, NULL without pairs */
};

static char const *arg_string_pair_end(struct arg_string_pair const *pair)
{
	return pair->value + pair->value_length;
}

/* validate the whole string and find the occurrence of key after `skip` others */
static struct arg_string_lookup arg_string_lookup(char const *args, size_t length,
                                                  char const *key, size_t skip)
{
	struct arg_string_lookup lookup = { .result = ARG_STRING_NOT_FOUND };
	struct arg_string_scanner scanner;
	arg_string_scanner_init(&scanner, args, length);

	size_t seen = 0;
	bool found = false, just_found = false;
	for (;;) {
		struct arg_string_pair pair;
		enum arg_string_result r = arg_string_scanner_next(&scanner, &pair);
		if (r == ARG_STRING_NOT_FOUND) break;
		if (r != ARG_STRING_OK) {
			lookup.result = ARG_STRING_MALFORMED;
			return lookup;
		}
		if (just_found) lookup.match_next_start = pair.key.start;
		just_found = false;

		if (token_equals(pair.key, key)) {
			if (found)
				lookup.later_bytes += (size_t)(arg_string_pair_end(&pair) - lookup.last_end);
			else if (seen++ == skip) {
				found = just_found = true;
				lookup.match = pair;
				lookup.match_prev_end = lookup.last_end;
			}
		}
		lookup.pair_count++;
		lookup.last_end = arg_string_pair_end(&pair);
	}
	if (found) lookup.result = ARG_STRING_OK;
	return lookup;
}

static bool arg_string_key_valid(char const *key)
{
	size_t length = string_length(key);
	struct token t = token_first(key, length);
	return t.type == TOKEN_IDENTIFIER && t.length == length;
}

enum arg_string_result arg_string_validate(char const *args, size_t length)
{
	struct arg_string_scanner scanner;
	arg_string_scanner_init(&scanner, args, length);
	for (;;) {
		struct arg_string_pair pair;
		enum arg_string_result r = arg_string_scanner_next(&scanner, &pair);
		if (r == ARG_STRING_NOT_FOUND) return ARG_STRING_OK;
		if (r != ARG_STRING_OK) return r;
	}
}

struct arg_string_raw_ret arg_string_get_raw(char const *args, size_t length, char const *key)
{
	struct arg_string_raw_ret ret = { ARG_STRING_BAD_KEY, NULL, 0 };
	if (!arg_string_key_valid(key)) return ret;

	struct arg_string_lookup lookup = arg_string_lookup(args, length, key, 0);
	ret.result = lookup.result;
	if (lookup.result == ARG_STRING_OK) {
		ret.value = lookup.match.value;
		ret.length = lookup.match.value_length;
	}
	return ret;
}

struct arg_string_unsigned_ret arg_string_parse_unsigned(char const *text, size_t length)
{
	struct arg_string_unsigned_ret ret = { ARG_STRING_BAD_VALUE, 0 };
	size_t i = 0;
	unsigned base = 10;
	if (length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		base = 16;
		i = 2;
	}
	/* syntax first, so that "99999999999999999999x" is BAD_VALUE, not OVERFLOW */
	size_t digits = i;
	while (i < length && (base == 16 ? ascii_is_hex_digit(text[i]) : ascii_is_digit(text[i])))
		i++;
	size_t digits_end = i;
	if (digits_end == digits) return ret;

	unsigned shift = 0;
	if (i < length) {
		switch (text[i]) {
		case 'K':
		case 'k':
			shift = 10;
			break;
		case 'M':
		case 'm':
			shift = 20;
			break;
		case 'G':
		case 'g':
			shift = 30;
			break;
		default:
			return ret;
		}
		i++;
	}
	if (i != length) return ret;

	uint64_t value = 0;
	for (i = digits; i < digits_end; i++) {
		unsigned digit = (unsigned)ascii_hex_digit_value(text[i]);
		if (value > (UINT64_MAX - digit) / base) {
			ret.result = ARG_STRING_OVERFLOW;
			return ret;
		}
		value = value * base + digit;
	}
	if (value > (UINT64_MAX >> shift)) {
		ret.result = ARG_STRING_OVERFLOW;
		return ret;
	}
	ret.result = ARG_STRING_OK;
	ret.value = value << shift;
	return ret;
}

struct arg_string_signed_ret arg_string_parse_signed(char const *text, size_t length)
{
	struct arg_string_signed_ret ret = { ARG_STRING_BAD_VALUE, 0 };
	bool negative = length > 0 && text[0] == '-';
	size_t sign = (length > 0 && (text[0] == '-' || text[0] == '+')) ? 1 : 0;

	struct arg_string_unsigned_ret magnitude =
	    arg_string_parse_unsigned(text + sign, length - sign);
	if (magnitude.result != ARG_STRING_OK) {
		ret.result = magnitude.result;
		return ret;
	}
	uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (magnitude.value > limit) {
		ret.result = ARG_STRING_OVERFLOW;
		return ret;
	}
	ret.result = ARG_STRING_OK;
	/* -(2^63) is INT64_MIN: negate in unsigned arithmetic, then convert */
	ret.value = negative ? (int64_t)(0 - magnitude.value) : (int64_t)magnitude.value;
	return ret;
}

struct arg_string_unsigned_ret arg_string_get_unsigned(char const *args, size_t length,
                                                       char const *key)
{
	struct arg_string_raw_ret raw = arg_string_get_raw(args, length, key);
	if (raw.result != ARG_STRING_OK) return (struct arg_string_unsigned_ret){ raw.result, 0 };
	return arg_string_parse_unsigned(raw.value, raw.length);
}

struct arg_string_signed_ret arg_string_get_signed(char const *args, size_t length,
                                                   char const *key)
{
	struct arg_string_raw_ret raw = arg_string_get_raw(args, length, key);
	if (raw.result != ARG_STRING_OK) return (struct arg_string_signed_ret){ raw.result, 0 };
	return arg_string_parse_signed(raw.value, raw.length);
}

struct arg_string_copy_ret arg_string_get_string(char const *args, size_t length,
                                                 char const *key, char *dst, size_t dst_size)
{
	struct arg_string_copy_ret ret = { ARG_STRING_OK, 0 };
	struct arg_string_raw_ret raw = arg_string_get_raw(args, length, key);
	if (raw.result != ARG_STRING_OK) {
		ret.result = raw.result;
		return ret;
	}
	if (raw.value[0] == '"') {
		/* the value is exactly one string token: the scanner said so */
		struct token_unquote_ret unquoted =
		    token_string_unquote(token_first(raw.value, raw.length), dst, dst_size);
		ret.length = unquoted.length;
		if (unquoted.result != TOKEN_UNQUOTE_OK) ret.result = ARG_STRING_NO_SPACE;
		return ret;
	}
	ret.length = raw.length;
	if (raw.length >= dst_size) {
		if (dst_size > 0) dst[0] = '\0';
		ret.result = ARG_STRING_NO_SPACE;
		return ret;
	}
	memory_copy(dst, raw.value, raw.length);
	dst[raw.length] = '\0';
	return ret;
}

/* ---- editing ---- */

/* a value to write: raw bytes, or text that is written quoted and escaped */
struct arg_string_new_value
{
	char const *text;
	size_t length;
	bool quote;
};

static size_t arg_string_encoded_length(struct arg_string_new_value v)
{
	if (!v.quote) return v.length;
	size_t length = v.length + 2;
	for (size_t i = 0; i < v.length; i++)
		if (v.text[i] == '"' || v.text[i] == '\\') length++;
	return length;
}

static void arg_string_encode(char *dst, struct arg_string_new_value v)
{
	if (!v.quote) {
		memory_copy(dst, v.text, v.length);
		return;
	}
	*dst++ = '"';
	for (size_t i = 0; i < v.length; i++) {
		if (v.text[i] == '"' || v.text[i] == '\\') *dst++ = '\\';
		*dst++ = v.text[i];
	}
	*dst = '"';
}

/*
 * Replace `removed` bytes at `at` by `inserted` bytes (left for the caller to
 * write), moving the rest and the NUL. The caller has checked the room.
 */
static void arg_string_splice(char *buffer, size_t text_length, size_t at, size_t removed,
                              size_t inserted)
{
	memory_move(buffer + at + inserted, buffer + at + removed, text_length - at - removed + 1);
}

/* the string length of an editable buffer, or capacity if it has no NUL */
static size_t arg_string_text_length(char const *buffer, size_t capacity)
{
	return capacity ? string_length_bounded(buffer, capacity) : 0;
}

/*
 * Remove the occurrence `lookup` found, with the separator on one side: the
 * one after it, or, if it is the last pair or `take_previous` is set, the one
 * before it (set relies on that to know in advance what a removal frees).
 */
static void arg_string_remove_match(char *buffer, size_t text_length,
                                    struct arg_string_lookup const *lookup, bool take_previous)
{
	char const *from, *to;
	if (lookup->match_next_start && !(take_previous && lookup->match_prev_end)) {
		from = lookup->match.key.start;
		to = lookup->match_next_start;
	} else if (lookup->match_prev_end) {
		from = lookup->match_prev_end;
		to = arg_string_pair_end(&lookup->match);
	} else {
		/* the only pair: nothing worth keeping is left */
		from = buffer;
		to = buffer + text_length;
	}
	arg_string_splice(buffer, text_length, (size_t)(from - buffer), (size_t)(to - from), 0);
}

static enum arg_string_result arg_string_set_value(char *buffer, size_t capacity,
                                                   char const *key,
                                                   struct arg_string_new_value value)
{
	if (!arg_string_key_valid(key)) return ARG_STRING_BAD_KEY;
	size_t text_length = arg_string_text_length(buffer, capacity);
	if (text_length == capacity) return ARG_STRING_MALFORMED;

	struct arg_string_lookup lookup = arg_string_lookup(buffer, text_length, key, 0);
	if (lookup.result == ARG_STRING_MALFORMED) return ARG_STRING_MALFORMED;

	/* the final length decides, before anything changes */
	size_t key_length = string_length(key);
	size_t encoded = arg_string_encoded_length(value);
	size_t final_length;
	if (lookup.result == ARG_STRING_OK)
		final_length = text_length - lookup.later_bytes - lookup.match.value_length + encoded;
	else if (lookup.pair_count == 0)
		final_length = key_length + 1 + encoded;
	else
		final_length = text_length + 2 + key_length + 1 + encoded;
	if (final_length >= capacity) return ARG_STRING_NO_SPACE;

	if (lookup.result == ARG_STRING_NOT_FOUND) {
		size_t at = lookup.pair_count ? (size_t)(lookup.last_end - buffer) : 0;
		size_t removed = lookup.pair_count ? 0 : text_length;
		size_t separator = lookup.pair_count ? 2 : 0;
		arg_string_splice(buffer, text_length, at, removed,
		                  separator + key_length + 1 + encoded);
		char *p = buffer + at;
		if (separator) {
			*p++ = ',';
			*p++ = ' ';
		}
		memory_copy(p, key, key_length);
		p[key_length] = '=';
		arg_string_encode(p + key_length + 1, value);
		return ARG_STRING_OK;
	}

	/* drop later duplicates first: that only shrinks the string */
	for (;;) {
		struct arg_string_lookup later = arg_string_lookup(buffer, text_length, key, 1);
		if (later.result != ARG_STRING_OK) break;
		arg_string_remove_match(buffer, text_length, &later, true);
		text_length = string_length(buffer);
	}
	lookup = arg_string_lookup(buffer, text_length, key, 0);
	ASSERT(lookup.result == ARG_STRING_OK);
	size_t at = (size_t)(lookup.match.value - buffer);
	arg_string_splice(buffer, text_length, at, lookup.match.value_length, encoded);
	arg_string_encode(buffer + at, value);
	return ARG_STRING_OK;
}

enum arg_string_result arg_string_set(char *buffer, size_t capacity, char const *key,
                                      char const *value)
{
	/* the value must be exactly one value of the grammar */
	size_t length = string_length(value);
	struct arg_string_pair pair;
	struct token after;
	if (!arg_string_read_value(token_first(value, length), &pair, &after) ||
	    after.type != TOKEN_END)
		return ARG_STRING_BAD_VALUE;
	return arg_string_set_value(buffer, capacity, key,
	                            (struct arg_string_new_value){ value, length, false });
}

enum arg_string_result arg_string_set_string(char *buffer, size_t capacity, char const *key,
                                             char const *text)
{
	return arg_string_set_value(
	    buffer, capacity, key,
	    (struct arg_string_new_value){ text, string_length(text), true });
}

enum arg_string_result arg_string_set_unsigned(char *buffer, size_t capacity, char const *key,
                                               uint64_t value)
{
	char digits[20]; /* 2^64 - 1 has 20 decimal digits */
	size_t start = sizeof(digits);
	do {
		digits[--start] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	return arg_string_set_value(
	    buffer, capacity, key,
	    (struct arg_string_new_value){ digits + start, sizeof(digits) - start, false });
}

enum arg_string_result arg_string_remove(char *buffer, size_t capacity, char const *key)
{
	if (!arg_string_key_valid(key)) return ARG_STRING_BAD_KEY;
	size_t text_length = arg_string_text_length(buffer, capacity);
	if (text_length == capacity) return ARG_STRING_MALFORMED;

	struct arg_string_lookup lookup = arg_string_lookup(buffer, text_length, key, 0);
	if (lookup.result != ARG_STRING_OK) return lookup.result;
	do {
		arg_string_remove_match(buffer, text_length, &lookup, false);
		text_length = string_length(buffer);
		lookup = arg_string_lookup(buffer, text_length, key, 0);
	} while (lookup.result == ARG_STRING_OK);
	return ARG_STRING_OK;
}
