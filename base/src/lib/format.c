/* SPDX-License-Identifier: MIT */
/**
 * \brief printf-style formatting into a bounded buffer
 *
 * The output goes through one small sink that stores what fits and counts
 * everything, so the result is the length of the complete output no matter
 * how small the buffer is. Padding is counted in one step, so a huge field
 * width costs no time once the buffer is full.
 */

#include <stdbool.h>
#include <stdint.h>

#include <util/format.h>
#include <util/string.h>

/* gcc's <limits.h> needs the C library's under -nostdinc: use its macro */
enum { FORMAT_INT_MAX = __INT_MAX__ };

/* where the output goes: `length` counts all of it, stored or not */
struct format_sink
{
	char *buf;
	size_t size;
	size_t length;
};

static void format_sink_put(struct format_sink *sink, char c)
{
	if (sink->size && sink->length < sink->size - 1) sink->buf[sink->length] = c;
	sink->length++;
}

static void format_sink_repeat(struct format_sink *sink, char c, size_t count)
{
	size_t room = 0;
	if (sink->size && sink->length < sink->size - 1) room = sink->size - 1 - sink->length;
	size_t stored = count < room ? count : room;
	if (stored) memory_set(sink->buf + sink->length, (unsigned char)c, stored);
	sink->length += count;
}

static void format_sink_write(struct format_sink *sink, char const *s, size_t count)
{
	size_t room = 0;
	if (sink->size && sink->length < sink->size - 1) room = sink->size - 1 - sink->length;
	size_t stored = count < room ? count : room;
	if (stored) memory_copy(sink->buf + sink->length, s, stored);
	sink->length += count;
}

/* one parsed conversion specification */
struct format_spec
{
	bool left;      /* '-' */
	bool zero;      /* '0' */
	bool plus;      /* '+' */
	bool space;     /* ' ' */
	bool alternate; /* '#' */
	size_t width;
	bool has_precision;
	size_t precision;
};

/* pad `body` bytes (sent by the caller in between) to the field width */
static size_t format_padding(struct format_spec const *spec, size_t body)
{
	return spec->width > body ? spec->width - body : 0;
}

static void format_text(struct format_sink *sink, struct format_spec const *spec, char const *s,
                        size_t length)
{
	size_t pad = format_padding(spec, length);
	if (!spec->left) format_sink_repeat(sink, ' ', pad);
	format_sink_write(sink, s, length);
	if (spec->left) format_sink_repeat(sink, ' ', pad);
}

/*
 * An integer: [spaces][sign or 0x][zeros][digits][spaces]. `prefix` is the
 * sign or "0x"; zeros come from the precision, or from the '0' flag when
 * there is neither a precision nor '-'.
 */
static void format_integer(struct format_sink *sink, struct format_spec const *spec,
                           uint64_t magnitude, unsigned base, bool upper, char const *prefix)
{
	char digits[24];
	size_t count = 0;
	char const *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	/* precision 0 and value 0: no digits at all, as in C */
	if (magnitude != 0 || !spec->has_precision || spec->precision != 0) {
		do {
			digits[sizeof(digits) - 1 - count++] = alphabet[magnitude % base];
			magnitude /= base;
		} while (magnitude);
	}

	size_t prefix_length = string_length(prefix);
	size_t zeros = 0;
	if (spec->has_precision) {
		if (spec->precision > count) zeros = spec->precision - count;
	} else if (spec->zero && !spec->left) {
		size_t body = prefix_length + count;
		if (spec->width > body) zeros = spec->width - body;
	}

	size_t pad = format_padding(spec, prefix_length + zeros + count);
	if (!spec->left) format_sink_repeat(sink, ' ', pad);
	format_sink_write(sink, prefix, prefix_length);
	format_sink_repeat(sink, '0', zeros);
	format_sink_write(sink, digits + sizeof(digits) - count, count);
	if (spec->left) format_sink_repeat(sink, ' ', pad);
}

/* length modifiers, in order of size */
enum format_length {
	FORMAT_LENGTH_CHAR,
	FORMAT_LENGTH_SHORT,
	FORMAT_LENGTH_INT,
	FORMAT_LENGTH_LONG,
	FORMAT_LENGTH_LONG_LONG,
	FORMAT_LENGTH_SIZE,
	FORMAT_LENGTH_INTMAX,
	FORMAT_LENGTH_PTRDIFF,
};

/* parse a decimal number, clamped to FORMAT_INT_MAX */
static size_t format_parse_number(char const **p)
{
	size_t value = 0;
	while (ascii_is_digit(**p)) {
		value = value * 10 + (size_t)(**p - '0');
		if (value > FORMAT_INT_MAX) value = FORMAT_INT_MAX;
		(*p)++;
	}
	return value;
}

/*
 * The variadic arguments are read only here, in the one function that owns
 * the va_list: each conversion reads exactly the type its length modifier
 * names.
 */
size_t format_vstring(char *buf, size_t size, char const *fmt, va_list args)
{
	struct format_sink sink = { buf, size, 0 };
	char const *p = fmt;

	while (*p) {
		if (*p != '%') {
			char const *run = p;
			while (*p && *p != '%') p++;
			format_sink_write(&sink, run, (size_t)(p - run));
			continue;
		}

		char const *start = p++;
		struct format_spec spec = { 0 };

		for (;; p++) {
			if (*p == '-')
				spec.left = true;
			else if (*p == '0')
				spec.zero = true;
			else if (*p == '+')
				spec.plus = true;
			else if (*p == ' ')
				spec.space = true;
			else if (*p == '#')
				spec.alternate = true;
			else
				break;
		}

		if (*p == '*') {
			p++;
			int width = va_arg(args, int);
			if (width < 0) {
				spec.left = true;
				spec.width =
				    width == -FORMAT_INT_MAX - 1 ? (size_t)FORMAT_INT_MAX : (size_t)-width;
			} else {
				spec.width = (size_t)width;
			}
		} else {
			spec.width = format_parse_number(&p);
		}

		if (*p == '.') {
			p++;
			spec.has_precision = true;
			if (*p == '*') {
				p++;
				int precision = va_arg(args, int);
				/* a negative precision counts as none, as in C */
				if (precision < 0)
					spec.has_precision = false;
				else
					spec.precision = (size_t)precision;
			} else {
				spec.precision = format_parse_number(&p);
			}
		}

		enum format_length length = FORMAT_LENGTH_INT;
		if (*p == 'h') {
			p++;
			length = FORMAT_LENGTH_SHORT;
			if (*p == 'h') p++, length = FORMAT_LENGTH_CHAR;
		} else if (*p == 'l') {
			p++;
			length = FORMAT_LENGTH_LONG;
			if (*p == 'l') p++, length = FORMAT_LENGTH_LONG_LONG;
		} else if (*p == 'z') {
			p++, length = FORMAT_LENGTH_SIZE;
		} else if (*p == 'j') {
			p++, length = FORMAT_LENGTH_INTMAX;
		} else if (*p == 't') {
			p++, length = FORMAT_LENGTH_PTRDIFF;
		}

		char conversion = *p;
		if (conversion) p++;

		switch (conversion) {
		case '%':
			format_sink_put(&sink, '%');
			break;

		case 'c': {
			char c = (char)va_arg(args, int);
			format_text(&sink, &spec, &c, 1);
			break;
		}

		case 's': {
			char const *s = va_arg(args, char const *);
			if (!s) s = "(null)";
			size_t n = spec.has_precision ? string_length_bounded(s, spec.precision)
			                              : string_length(s);
			format_text(&sink, &spec, s, n);
			break;
		}

		case 'd':
		case 'i': {
			int64_t value;
			switch (length) {
			case FORMAT_LENGTH_CHAR:
				value = (signed char)va_arg(args, int);
				break;
			case FORMAT_LENGTH_SHORT:
				value = (short)va_arg(args, int);
				break;
			case FORMAT_LENGTH_INT:
				value = va_arg(args, int);
				break;
			case FORMAT_LENGTH_LONG:
				value = va_arg(args, long);
				break;
			case FORMAT_LENGTH_LONG_LONG:
				value = va_arg(args, long long);
				break;
			case FORMAT_LENGTH_SIZE:
				value = (ptrdiff_t)va_arg(args, size_t);
				break;
			case FORMAT_LENGTH_INTMAX:
				value = va_arg(args, intmax_t);
				break;
			case FORMAT_LENGTH_PTRDIFF:
				value = va_arg(args, ptrdiff_t);
				break;
			default:
				value = 0;
				break;
			}
			/* negate as unsigned: INT64_MIN has no positive counterpart */
			uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
			char const *sign = value < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
			format_integer(&sink, &spec, magnitude, 10, false, sign);
			break;
		}

		case 'u':
		case 'x':
		case 'X': {
			uint64_t value;
			switch (length) {
			case FORMAT_LENGTH_CHAR:
				value = (unsigned char)va_arg(args, unsigned);
				break;
			case FORMAT_LENGTH_SHORT:
				value = (unsigned short)va_arg(args, unsigned);
				break;
			case FORMAT_LENGTH_INT:
				value = va_arg(args, unsigned);
				break;
			case FORMAT_LENGTH_LONG:
				value = va_arg(args, unsigned long);
				break;
			case FORMAT_LENGTH_LONG_LONG:
				value = va_arg(args, unsigned long long);
				break;
			case FORMAT_LENGTH_SIZE:
				value = va_arg(args, size_t);
				break;
			case FORMAT_LENGTH_INTMAX:
				value = va_arg(args, uintmax_t);
				break;
			case FORMAT_LENGTH_PTRDIFF:
				value = (size_t)va_arg(args, ptrdiff_t);
				break;
			default:
				value = 0;
				break;
			}
			bool hex = conversion != 'u';
			char const *prefix = "";
			if (hex && spec.alternate && value != 0) prefix = conversion == 'X' ? "0X" : "0x";
			format_integer(&sink, &spec, value, hex ? 16 : 10, conversion == 'X', prefix);
			break;
		}

		case 'p': {
			uintptr_t value = (uintptr_t)va_arg(args, void *);
			format_integer(&sink, &spec, value, 16, false, "0x");
			break;
		}

		default:
			/* unknown, or the format ended: copy the specification as it was */
			format_sink_write(&sink, start, (size_t)(p - start));
			break;
		}
	}

	if (size) buf[sink.length < size ? sink.length : size - 1] = '\0';
	return sink.length;
}

size_t format_string(char *buf, size_t size, char const *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	size_t length = format_vstring(buf, size, fmt, args);
	va_end(args);
	return length;
}
