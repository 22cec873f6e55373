/* SPDX-License-Identifier: MIT */
/** \brief argument parsers of GDB remote protocol packets (rsp/parse.h) */

#include <rsp/hex.h>
#include <rsp/parse.h>

/*
 * Every parser walks the payload with a cursor that never passes its end,
 * and takes the packet apart left to right; the first problem decides the
 * result. Outputs are written only once the whole packet is known to be
 * good, so a failed parse leaves them as they were.
 */
struct cursor
{
	char const *at;
	char const *end;
};

static struct cursor cursor_of(char const *payload, size_t length)
{
	return (struct cursor){ payload, payload + length };
}

static bool cursor_done(struct cursor const *c) { return c->at == c->end; }

static size_t cursor_left(struct cursor const *c) { return (size_t)(c->end - c->at); }

/* take `ch` if it comes next */
static bool cursor_take(struct cursor *c, char ch)
{
	if (cursor_done(c) || *c->at != ch) return false;
	c->at++;
	return true;
}

/* take the NUL-terminated `text` if it comes next */
static bool cursor_take_text(struct cursor *c, char const *text)
{
	char const *at = c->at;
	for (; *text; text++, at++)
		if (at == c->end || *at != *text) return false;
	c->at = at;
	return true;
}

/* take everything up to (not including) `stop` or the end */
static struct rsp_span cursor_take_until(struct cursor *c, char stop)
{
	struct rsp_span span = { c->at, 0 };
	while (!cursor_done(c) && *c->at != stop) c->at++;
	span.length = (size_t)(c->at - span.data);
	return span;
}

static bool ascii_letter(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int digit_value(char ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

/*
 * A hex number of at least one digit, up to the first non-digit. Leading
 * zeros are free; a value wider than 64 bits is RSP_PARSE_RANGE, found
 * before it can wrap. The cursor moves past all digits either way.
 */
static enum rsp_parse cursor_hex(struct cursor *c, uint64_t *value)
{
	uint64_t v = 0;
	bool any = false, wide = false;
	int d;
	while (!cursor_done(c) && (d = digit_value(*c->at)) >= 0) {
		if (v >> 60) wide = true;
		v = v << 4 | (uint64_t)d;
		any = true;
		c->at++;
	}
	if (!any) return RSP_PARSE_MALFORMED;
	if (wide) return RSP_PARSE_RANGE;
	*value = v;
	return RSP_PARSE_OK;
}

/* a hex number no larger than `max` */
static enum rsp_parse cursor_hex_max(struct cursor *c, uint64_t max, uint64_t *value)
{
	uint64_t v;
	enum rsp_parse r = cursor_hex(c, &v);
	if (r != RSP_PARSE_OK) return r;
	if (v > max) return RSP_PARSE_RANGE;
	*value = v;
	return RSP_PARSE_OK;
}

/* two hex numbers with a comma between: "first,second" */
static enum rsp_parse cursor_hex_pair(struct cursor *c, uint64_t *first, uint64_t *second)
{
	uint64_t a, b;
	enum rsp_parse r = cursor_hex(c, &a);
	if (r != RSP_PARSE_OK) return r;
	if (!cursor_take(c, ',')) return RSP_PARSE_MALFORMED;
	r = cursor_hex(c, &b);
	if (r != RSP_PARSE_OK) return r;
	*first = a;
	*second = b;
	return RSP_PARSE_OK;
}

/* "addr,length" whose last byte lies below 2^64 */
static enum rsp_parse cursor_range(struct cursor *c, uint64_t *address, uint64_t *length)
{
	uint64_t a, n;
	enum rsp_parse r = cursor_hex_pair(c, &a, &n);
	if (r != RSP_PARSE_OK) return r;
	if (n && n - 1 > UINT64_MAX - a) return RSP_PARSE_RANGE;
	*address = a;
	*length = n;
	return RSP_PARSE_OK;
}

/* one part of a thread id: "-1" or a hex number up to INT64_MAX */
static enum rsp_parse cursor_id_part(struct cursor *c, int64_t *value)
{
	if (cursor_take(c, '-')) {
		/* "-10" stops after "-1", and every caller wants a delimiter next */
		if (!cursor_take(c, '1')) return RSP_PARSE_MALFORMED;
		*value = RSP_THREAD_ALL;
		return RSP_PARSE_OK;
	}
	uint64_t v;
	enum rsp_parse r = cursor_hex_max(c, INT64_MAX, &v);
	if (r == RSP_PARSE_OK) *value = (int64_t)v;
	return r;
}

/* a thread id, plain or multiprocess; stops at the first char that is not its */
static enum rsp_parse cursor_thread_id(struct cursor *c, struct rsp_thread_id *out)
{
	struct rsp_thread_id id = { .process_given = false, .process = RSP_THREAD_ANY };
	enum rsp_parse r;
	if (cursor_take(c, 'p')) {
		id.process_given = true;
		r = cursor_id_part(c, &id.process);
		if (r != RSP_PARSE_OK) return r;
		/* "p<pid>" alone: every thread of the process */
		id.thread = RSP_THREAD_ALL;
		if (cursor_take(c, '.')) {
			r = cursor_id_part(c, &id.thread);
			if (r != RSP_PARSE_OK) return r;
		}
	} else {
		r = cursor_id_part(c, &id.thread);
		if (r != RSP_PARSE_OK) return r;
	}
	*out = id;
	return RSP_PARSE_OK;
}

/* the rest must be empty */
static enum rsp_parse cursor_finish(struct cursor const *c)
{
	return cursor_done(c) ? RSP_PARSE_OK : RSP_PARSE_MALFORMED;
}

bool rsp_span_equal(struct rsp_span span, char const *text)
{
	size_t i = 0;
	for (; i < span.length; i++)
		if (text[i] != span.data[i] || !text[i]) return false;
	return text[i] == '\0';
}

enum rsp_parse rsp_parse_thread_id(char const *text, size_t length, struct rsp_thread_id *out)
{
	struct cursor c = cursor_of(text, length);
	struct rsp_thread_id id;
	enum rsp_parse r = cursor_thread_id(&c, &id);
	if (r == RSP_PARSE_OK) r = cursor_finish(&c);
	if (r == RSP_PARSE_OK) *out = id;
	return r;
}

enum rsp_parse rsp_parse_memory_read(char const *payload, size_t length,
                                     struct rsp_memory_read *out)
{
	struct cursor c = cursor_of(payload, length);
	struct rsp_memory_read m = { .binary = false };
	if (cursor_take(&c, 'x'))
		m.binary = true;
	else if (!cursor_take(&c, 'm'))
		return RSP_PARSE_MALFORMED;
	enum rsp_parse r = cursor_range(&c, &m.address, &m.length);
	if (r == RSP_PARSE_OK) r = cursor_finish(&c);
	if (r == RSP_PARSE_OK) *out = m;
	return r;
}

enum rsp_parse rsp_parse_memory_write(char const *payload, size_t length,
                                      struct rsp_memory_write *out)
{
	struct cursor c = cursor_of(payload, length);
	struct rsp_memory_write m = { .binary = false };
	if (cursor_take(&c, 'X'))
		m.binary = true;
	else if (!cursor_take(&c, 'M'))
		return RSP_PARSE_MALFORMED;
	enum rsp_parse r = cursor_range(&c, &m.address, &m.length);
	if (r != RSP_PARSE_OK) return r;
	if (!cursor_take(&c, ':')) return RSP_PARSE_MALFORMED;

	/* the data is all the rest; its length must be the one announced */
	m.data = c.at;
	m.data_length = cursor_left(&c);
	if (m.binary) {
		if (m.data_length != m.length) return RSP_PARSE_MALFORMED;
	} else {
		if (m.data_length % 2 || m.data_length / 2 != m.length) return RSP_PARSE_MALFORMED;
		if (!rsp_hex_valid(m.data, m.data_length)) return RSP_PARSE_MALFORMED;
	}
	*out = m;
	return RSP_PARSE_OK;
}

enum rsp_parse rsp_parse_breakpoint(char const *payload, size_t length,
                                    struct rsp_breakpoint *out)
{
	struct cursor c = cursor_of(payload, length);
	struct rsp_breakpoint b;
	uint64_t type;
	if (cursor_take(&c, 'Z'))
		b.insert = true;
	else if (cursor_take(&c, 'z'))
		b.insert = false;
	else
		return RSP_PARSE_MALFORMED;

	enum rsp_parse r = cursor_hex_pair(&c, &type, &b.address);
	if (r != RSP_PARSE_OK) return r;
	if (!cursor_take(&c, ',')) return RSP_PARSE_MALFORMED;
	r = cursor_hex(&c, &b.kind);
	if (r != RSP_PARSE_OK) return r;
	/* conditions or commands: announced by neither side, so not understood */
	if (cursor_take(&c, ';')) return RSP_PARSE_UNSUPPORTED;
	r = cursor_finish(&c);
	if (r != RSP_PARSE_OK) return r;
	if (type > RSP_WATCHPOINT_ACCESS) return RSP_PARSE_UNSUPPORTED;
	b.type = (enum rsp_breakpoint_type)type;
	*out = b;
	return RSP_PARSE_OK;
}

enum rsp_parse rsp_parse_register_read(char const *payload, size_t length, uint32_t *number)
{
	struct cursor c = cursor_of(payload, length);
	uint64_t n;
	if (!cursor_take(&c, 'p')) return RSP_PARSE_MALFORMED;
	enum rsp_parse r = cursor_hex_max(&c, UINT32_MAX, &n);
	if (r == RSP_PARSE_OK) r = cursor_finish(&c);
	if (r == RSP_PARSE_OK) *number = (uint32_t)n;
	return r;
}

enum rsp_parse rsp_parse_register_write(char const *payload, size_t length,
                                        struct rsp_register_write *out)
{
	struct cursor c = cursor_of(payload, length);
	uint64_t n;
	if (!cursor_take(&c, 'P')) return RSP_PARSE_MALFORMED;
	enum rsp_parse r = cursor_hex_max(&c, UINT32_MAX, &n);
	if (r != RSP_PARSE_OK) return r;
	if (!cursor_take(&c, '=')) return RSP_PARSE_MALFORMED;
	if (cursor_done(&c) || !rsp_hex_valid(c.at, cursor_left(&c))) return RSP_PARSE_MALFORMED;
	*out = (struct rsp_register_write){ .number = (uint32_t)n,
		                                .value = c.at,
		                                .value_length = cursor_left(&c) };
	return RSP_PARSE_OK;
}

enum rsp_parse rsp_parse_thread_select(char const *payload, size_t length,
                                       struct rsp_thread_select *out)
{
	struct cursor c = cursor_of(payload, length);
	struct rsp_thread_select s;
	if (!cursor_take(&c, 'H') || cursor_done(&c)) return RSP_PARSE_MALFORMED;
	s.operation = *c.at++;
	if (!ascii_letter(s.operation)) return RSP_PARSE_MALFORMED;
	enum rsp_parse r = cursor_thread_id(&c, &s.thread);
	if (r == RSP_PARSE_OK) r = cursor_finish(&c);
	if (r != RSP_PARSE_OK) return r;
	if (s.operation != 'g' && s.operation != 'c') return RSP_PARSE_UNSUPPORTED;
	*out = s;
	return RSP_PARSE_OK;
}

/* a packet made of `prefix` and a thread id */
static enum rsp_parse parse_prefixed_thread(char const *payload, size_t length,
                                            char const *prefix, struct rsp_thread_id *out)
{
	struct cursor c = cursor_of(payload, length);
	if (!cursor_take_text(&c, prefix)) return RSP_PARSE_MALFORMED;
	return rsp_parse_thread_id(c.at, cursor_left(&c), out);
}

enum rsp_parse rsp_parse_thread_alive(char const *payload, size_t length,
                                      struct rsp_thread_id *out)
{
	return parse_prefixed_thread(payload, length, "T", out);
}

enum rsp_parse rsp_parse_thread_extra_info(char const *payload, size_t length,
                                           struct rsp_thread_id *out)
{
	return parse_prefixed_thread(payload, length, "qThreadExtraInfo,", out);
}

/* the signal of C and S: a hex number up to 255 */
static enum rsp_parse cursor_signal(struct cursor *c, uint8_t *signal)
{
	uint64_t v;
	enum rsp_parse r = cursor_hex_max(c, 255, &v);
	if (r == RSP_PARSE_OK) *signal = (uint8_t)v;
	return r;
}

/* the letter of a resumption: its kind and whether a signal follows */
static bool resume_letter(char letter, enum rsp_resume_kind *kind, bool *signal)
{
	if (letter != 'c' && letter != 'C' && letter != 's' && letter != 'S') return false;
	*kind = (letter == 'c' || letter == 'C') ? RSP_RESUME_CONTINUE : RSP_RESUME_STEP;
	*signal = letter == 'C' || letter == 'S';
	return true;
}

enum rsp_parse rsp_parse_vcont(char const *payload, size_t length,
                               struct rsp_vcont_action *actions, size_t capacity, size_t *count)
{
	struct cursor c = cursor_of(payload, length);
	size_t n = 0;
	if (!cursor_take_text(&c, "vCont") || cursor_done(&c)) return RSP_PARSE_MALFORMED;

	/* parsed twice: once to check all of it, then to fill the caller's array,
	 * so that a failure leaves the array as it was */
	struct cursor start = c;
	for (int pass = 0; pass < 2; pass++) {
		c = start;
		n = 0;
		while (!cursor_done(&c)) {
			struct rsp_vcont_action a = { .thread_given = false };
			enum rsp_parse r;
			if (!cursor_take(&c, ';') || cursor_done(&c)) return RSP_PARSE_MALFORMED;
			char letter = *c.at++;
			if (letter == 't') {
				a.kind = RSP_RESUME_STOP;
			} else if (letter == 'r') {
				a.kind = RSP_RESUME_RANGE;
				r = cursor_hex_pair(&c, &a.start, &a.end);
				if (r == RSP_PARSE_OK && a.end < a.start) r = RSP_PARSE_MALFORMED;
				if (r != RSP_PARSE_OK) return r;
			} else if (!resume_letter(letter, &a.kind, &a.signal_given)) {
				/* another action of the protocol or not one at all */
				return ascii_letter(letter) ? RSP_PARSE_UNSUPPORTED : RSP_PARSE_MALFORMED;
			} else if (a.signal_given) {
				r = cursor_signal(&c, &a.signal);
				if (r != RSP_PARSE_OK) return r;
			}
			if (cursor_take(&c, ':')) {
				a.thread_given = true;
				r = cursor_thread_id(&c, &a.thread);
				if (r != RSP_PARSE_OK) return r;
			}
			if (!cursor_done(&c) && *c.at != ';') return RSP_PARSE_MALFORMED;
			if (n == capacity) return RSP_PARSE_RANGE;
			if (pass == 1) actions[n] = a;
			n++;
		}
	}
	*count = n;
	return RSP_PARSE_OK;
}

/* whether one part of an action's thread id covers the real id `value` */
static bool id_part_matches(int64_t part, int64_t value)
{
	return part == RSP_THREAD_ALL || part == RSP_THREAD_ANY || part == value;
}

size_t rsp_vcont_action_find(struct rsp_vcont_action const *actions, size_t count,
                             int64_t process, int64_t thread)
{
	for (size_t i = 0; i < count; i++) {
		struct rsp_vcont_action const *a = &actions[i];
		if (!a->thread_given) return i;
		if (a->thread.process_given && !id_part_matches(a->thread.process, process)) continue;
		if (id_part_matches(a->thread.thread, thread)) return i;
	}
	return count;
}

enum rsp_parse rsp_parse_resume(char const *payload, size_t length, struct rsp_resume *out)
{
	struct cursor c = cursor_of(payload, length);
	struct rsp_resume m = { .signal_given = false, .address_given = false };
	enum rsp_parse r;
	if (cursor_done(&c) || !resume_letter(*c.at, &m.kind, &m.signal_given))
		return RSP_PARSE_MALFORMED;
	c.at++;
	if (m.signal_given) {
		r = cursor_signal(&c, &m.signal);
		if (r != RSP_PARSE_OK) return r;
		/* C sig;addr: the address after a ';' */
		if (cursor_take(&c, ';')) {
			r = cursor_hex(&c, &m.address);
			if (r != RSP_PARSE_OK) return r;
			m.address_given = true;
		}
	} else if (!cursor_done(&c)) {
		r = cursor_hex(&c, &m.address);
		if (r != RSP_PARSE_OK) return r;
		m.address_given = true;
	}
	r = cursor_finish(&c);
	if (r == RSP_PARSE_OK) *out = m;
	return r;
}

enum rsp_parse rsp_parse_detach(char const *payload, size_t length, struct rsp_process *out)
{
	struct cursor c = cursor_of(payload, length);
	struct rsp_process p = { .process_given = false, .process = 0 };
	if (!cursor_take(&c, 'D')) return RSP_PARSE_MALFORMED;
	if (cursor_take(&c, ';')) {
		enum rsp_parse r = cursor_hex(&c, &p.process);
		if (r != RSP_PARSE_OK) return r;
		p.process_given = true;
	}
	enum rsp_parse r = cursor_finish(&c);
	if (r == RSP_PARSE_OK) *out = p;
	return r;
}

enum rsp_parse rsp_parse_kill(char const *payload, size_t length, struct rsp_process *out)
{
	struct cursor c = cursor_of(payload, length);
	struct rsp_process p = { .process_given = true };
	if (!cursor_take_text(&c, "vKill;")) return RSP_PARSE_MALFORMED;
	enum rsp_parse r = cursor_hex(&c, &p.process);
	if (r == RSP_PARSE_OK) r = cursor_finish(&c);
	if (r == RSP_PARSE_OK) *out = p;
	return r;
}

enum rsp_parse rsp_parse_xfer_read(char const *payload, size_t length,
                                   struct rsp_xfer_read *out)
{
	struct cursor c = cursor_of(payload, length);
	struct rsp_xfer_read x;
	if (!cursor_take_text(&c, "qXfer:")) return RSP_PARSE_MALFORMED;
	x.object = cursor_take_until(&c, ':');
	if (!x.object.length || !cursor_take(&c, ':')) return RSP_PARSE_MALFORMED;
	struct rsp_span operation = cursor_take_until(&c, ':');
	if (!cursor_take(&c, ':')) return RSP_PARSE_MALFORMED;
	if (!rsp_span_equal(operation, "read")) return RSP_PARSE_UNSUPPORTED;
	x.annex = cursor_take_until(&c, ':');
	if (!cursor_take(&c, ':')) return RSP_PARSE_MALFORMED;
	/* offset and length are plain numbers: no wrap check, an offset past the
	 * object's end is the caller's to answer */
	enum rsp_parse r = cursor_hex_pair(&c, &x.offset, &x.length);
	if (r == RSP_PARSE_OK) r = cursor_finish(&c);
	if (r == RSP_PARSE_OK) *out = x;
	return r;
}

enum rsp_parse rsp_parse_monitor_command(char const *payload, size_t length, char *command,
                                         size_t size, size_t *command_length)
{
	struct cursor c = cursor_of(payload, length);
	if (!cursor_take_text(&c, "qRcmd,")) return RSP_PARSE_MALFORMED;
	size_t digits = cursor_left(&c);
	if (!rsp_hex_valid(c.at, digits)) return RSP_PARSE_MALFORMED;
	if (size == 0 || digits / 2 > size - 1) return RSP_PARSE_RANGE;
	enum rsp_hex_decode d = rsp_hex_decode(command, c.at, digits);
	if (d != RSP_HEX_DECODE_OK) return RSP_PARSE_MALFORMED; /* checked above: not reached */
	command[digits / 2] = '\0';
	*command_length = digits / 2;
	return RSP_PARSE_OK;
}

enum rsp_parse rsp_parse_supported(char const *payload, size_t length, struct rsp_features *out)
{
	struct cursor c = cursor_of(payload, length);
	if (!cursor_take_text(&c, "qSupported")) return RSP_PARSE_MALFORMED;
	if (!cursor_done(&c) && !cursor_take(&c, ':')) return RSP_PARSE_MALFORMED;
	*out = (struct rsp_features){ .next = c.at, .end = c.end };
	return RSP_PARSE_OK;
}

bool rsp_features_next(struct rsp_features *features, struct rsp_feature *out)
{
	struct cursor c = { features->next, features->end };
	while (!cursor_done(&c)) {
		struct rsp_span item = cursor_take_until(&c, ';');
		(void)cursor_take(&c, ';');
		features->next = c.at;
		if (!item.length) continue;

		struct rsp_feature f = { .name = item,
			                     .kind = RSP_FEATURE_BARE,
			                     .value = { item.data, 0 } };
		/* "name=value": the first '=' splits, the value may hold anything else */
		for (size_t i = 0; i < item.length; i++) {
			if (item.data[i] != '=') continue;
			f.name.length = i;
			f.kind = RSP_FEATURE_VALUE;
			f.value = (struct rsp_span){ item.data + i + 1, item.length - i - 1 };
			break;
		}
		if (f.kind == RSP_FEATURE_BARE) {
			switch (item.data[item.length - 1]) {
			case '+':
				f.kind = RSP_FEATURE_SUPPORTED;
				break;
			case '-':
				f.kind = RSP_FEATURE_UNSUPPORTED;
				break;
			case '?':
				f.kind = RSP_FEATURE_QUERY;
				break;
			default:
				break;
			}
			if (f.kind != RSP_FEATURE_BARE) f.name.length--;
		}
		/* "=value" or a lone "+" has no name: skipped like an empty one */
		if (!f.name.length) continue;
		*out = f;
		return true;
	}
	features->next = c.at;
	return false;
}
