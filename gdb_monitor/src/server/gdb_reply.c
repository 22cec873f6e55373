/* SPDX-License-Identifier: MIT */
/**
 * \brief the pure replies of the GDB server: stop replies, the thread list,
 *        qXfer pieces, the qSupported answer
 */

#include <base/panic.h>
#include <gdb_server/registers.h>
#include <gdb_server/reply.h>
#include <util/string.h>

/* ---- stops -------------------------------------------------------------------------- */

struct gdb_stop gdb_stop_of(struct run_control_stop const *stop, bool attach)
{
	struct gdb_stop s = { .kind = GDB_STOP_SIGNAL,
		                  .signal = GDB_SIGNAL_TRAP,
		                  .thread = stop->thread };
	ASSERT(stop->reason !=
	       RUN_CONTROL_STOP_NONE); /* run control reports no unclassified stop */
	switch ((enum run_control_stop_reason)stop->reason) {
	case RUN_CONTROL_STOP_NONE:
	case RUN_CONTROL_STOP_INITIAL:
	case RUN_CONTROL_STOP_STEP:
	case RUN_CONTROL_STOP_TRAP:
		break;
	case RUN_CONTROL_STOP_INTERRUPT:
		s.signal = attach ? GDB_SIGNAL_TRAP : GDB_SIGNAL_INT;
		break;
	case RUN_CONTROL_STOP_SW_BREAKPOINT:
		s.why = GDB_STOP_WHY_SWBREAK;
		break;
	case RUN_CONTROL_STOP_HW_BREAKPOINT:
		s.why = GDB_STOP_WHY_HWBREAK;
		break;
	case RUN_CONTROL_STOP_WATCHPOINT:
		s.why = stop->watch == RUN_CONTROL_WATCH_WRITE  ? GDB_STOP_WHY_WATCH
		        : stop->watch == RUN_CONTROL_WATCH_READ ? GDB_STOP_WHY_RWATCH
		                                                : GDB_STOP_WHY_AWATCH;
		s.address = stop->address;
		break;
	case RUN_CONTROL_STOP_PAGE_FAULT:
		s.signal = GDB_SIGNAL_SEGV;
		s.fault = true;
		break;
	case RUN_CONTROL_STOP_ILLEGAL:
		s.signal = GDB_SIGNAL_ILL;
		s.fault = true;
		break;
	case RUN_CONTROL_STOP_ARITHMETIC:
		s.signal = GDB_SIGNAL_FPE;
		s.fault = true;
		break;
	case RUN_CONTROL_STOP_BUS:
		s.signal = GDB_SIGNAL_BUS;
		s.fault = true;
		break;
	}
	return s;
}

/* `nn:value;` of register `number` */
static void gdb_reply_register(struct rsp_writer *writer, struct cpu_state const *state,
                               uint32_t number)
{
	uint8_t bytes[GDB_REGISTER_SIZE_MAX];
	size_t size = gdb_register_get(state, number, bytes);
	rsp_writer_put_hex_u8(writer, (uint8_t)number);
	rsp_writer_put_char(writer, ':');
	if (rsp_writer_put_hex(writer, bytes, size) != size)
		return; /* the packet fails at finish */
	rsp_writer_put_char(writer, ';');
}

void gdb_reply_stop(struct rsp_writer *writer, struct gdb_stop const *stop,
                    struct cpu_state const *state, struct gdb_peer_features features)
{
	if (stop->kind == GDB_STOP_EXITED) {
		rsp_writer_put_char(writer, 'W');
		rsp_writer_put_hex_u8(writer, stop->exit_code);
		return;
	}
	if (stop->kind == GDB_STOP_TERMINATED) {
		rsp_writer_put_char(writer, 'X');
		rsp_writer_put_hex_u8(writer, stop->signal);
		return;
	}
	rsp_writer_put_char(writer, 'T');
	rsp_writer_put_hex_u8(writer, stop->signal);
	rsp_writer_put_text(writer, "thread:");
	rsp_writer_put_thread_id(writer, (struct rsp_thread_id){ .thread = (int64_t)stop->thread });
	rsp_writer_put_char(writer, ';');
	switch ((enum gdb_stop_why)stop->why) {
	case GDB_STOP_WHY_NONE:
		break;
	case GDB_STOP_WHY_SWBREAK:
		if (features.swbreak) rsp_writer_put_text(writer, "swbreak:;");
		break;
	case GDB_STOP_WHY_HWBREAK:
		if (features.hwbreak) rsp_writer_put_text(writer, "hwbreak:;");
		break;
	case GDB_STOP_WHY_WATCH:
	case GDB_STOP_WHY_RWATCH:
	case GDB_STOP_WHY_AWATCH:
		rsp_writer_put_text(writer, stop->why == GDB_STOP_WHY_WATCH    ? "watch:"
		                            : stop->why == GDB_STOP_WHY_RWATCH ? "rwatch:"
		                                                               : "awatch:");
		rsp_writer_put_hex_u64(writer, stop->address);
		rsp_writer_put_char(writer, ';');
		break;
	}
	if (!state) return;
	gdb_reply_register(writer, state, GDB_REGISTER_RBP);
	gdb_reply_register(writer, state, GDB_REGISTER_RSP);
	gdb_reply_register(writer, state, GDB_REGISTER_RIP);
}

/* ---- threads ------------------------------------------------------------------------ */

/* a classified stop in words: run control's reason, finer than core's exception; NULL if
 * there is none */
static char const *gdb_stop_reason_text(enum run_control_stop_reason reason)
{
	switch (reason) {
	case RUN_CONTROL_STOP_NONE:
		return 0;
	case RUN_CONTROL_STOP_INITIAL:
		return "at entry";
	case RUN_CONTROL_STOP_INTERRUPT:
		return "paused";
	case RUN_CONTROL_STOP_STEP:
		return "stepped";
	case RUN_CONTROL_STOP_SW_BREAKPOINT:
	case RUN_CONTROL_STOP_HW_BREAKPOINT:
		return "breakpoint";
	case RUN_CONTROL_STOP_WATCHPOINT:
		return "watchpoint";
	case RUN_CONTROL_STOP_TRAP:
		return "trap";
	case RUN_CONTROL_STOP_PAGE_FAULT:
		return "page fault";
	case RUN_CONTROL_STOP_ILLEGAL:
		return "illegal instruction";
	case RUN_CONTROL_STOP_ARITHMETIC:
		return "arithmetic fault";
	case RUN_CONTROL_STOP_BUS:
		return "bus error";
	}
	return 0;
}

char const *gdb_thread_state_text(struct run_control_thread const *thread)
{
	if (!thread->started) return "not started";
	if (!thread->stopped) return "running";
	char const *classified = gdb_stop_reason_text((enum run_control_stop_reason)thread->reason);
	if (classified) return classified;
	switch ((enum cpu_exception)thread->exception) {
	case CPU_EXCEPTION_NONE:
	case CPU_EXCEPTION_PAUSED:
		return "paused";
	case CPU_EXCEPTION_STEP:
		return "stepped";
	case CPU_EXCEPTION_BREAKPOINT:
		return "breakpoint";
	case CPU_EXCEPTION_WATCHPOINT:
		return "watchpoint";
	case CPU_EXCEPTION_PAGE_FAULT:
		return "page fault";
	case CPU_EXCEPTION_ILLEGAL:
		return "illegal instruction";
	case CPU_EXCEPTION_ARITHMETIC:
		return "arithmetic fault";
	case CPU_EXCEPTION_BUS:
		return "bus error";
	case CPU_EXCEPTION_EXITED:
		return "exited";
	}
	return "stopped";
}

struct gdb_xml
{
	char *buffer;
	size_t size;
	size_t length; /* also beyond `size`: what it would take */
};

static void xml_put_char(struct gdb_xml *xml, char c)
{
	if (xml->length + 1 < xml->size) xml->buffer[xml->length] = c;
	xml->length++;
}

static void xml_put(struct gdb_xml *xml, char const *text)
{
	while (*text) xml_put_char(xml, *text++);
}

/* text with the five XML specials as references, control characters as '?' */
static void xml_put_escaped(struct gdb_xml *xml, char const *text, size_t max)
{
	for (size_t i = 0; i < max && text[i]; i++) {
		char c = text[i];
		switch (c) {
		case '<':
			xml_put(xml, "&lt;");
			break;
		case '>':
			xml_put(xml, "&gt;");
			break;
		case '&':
			xml_put(xml, "&amp;");
			break;
		case '"':
			xml_put(xml, "&quot;");
			break;
		case '\'':
			xml_put(xml, "&apos;");
			break;
		default:
			xml_put_char(xml, (unsigned char)c < ' ' || c == 0x7f ? '?' : c);
		}
	}
}

static void xml_put_hex(struct gdb_xml *xml, uint64_t value)
{
	char digits[16];
	unsigned n = 0;
	do {
		digits[n++] = "0123456789abcdef"[value & 15];
		value >>= 4;
	} while (value);
	while (n) xml_put_char(xml, digits[--n]);
}

size_t gdb_reply_threads_xml(char *buffer, size_t size,
                             struct run_control_thread const *threads, unsigned count)
{
	struct gdb_xml xml = { buffer, size, 0 };
	xml_put(&xml, "<threads>\n");
	for (unsigned i = 0; i < count; i++) {
		xml_put(&xml, "<thread id=\"");
		xml_put_hex(&xml, threads[i].id);
		xml_put(&xml, "\" name=\"");
		xml_put_escaped(&xml, threads[i].name, sizeof(threads[i].name));
		xml_put(&xml, "\">");
		xml_put_escaped(&xml, gdb_thread_state_text(&threads[i]), SIZE_MAX);
		xml_put(&xml, "</thread>\n");
	}
	xml_put(&xml, "</threads>\n");
	if (size) buffer[xml.length < size ? xml.length : size - 1] = 0;
	return xml.length;
}

/* ---- qXfer, qSupported -------------------------------------------------------------- */

void gdb_reply_xfer(struct rsp_writer *writer, char const *object, size_t length,
                    struct rsp_xfer_read const *request)
{
	if (request->offset >= length) {
		rsp_writer_put_char(writer, 'l');
		return;
	}
	size_t rest = length - (size_t)request->offset;
	size_t want = request->length < rest ? (size_t)request->length : rest;
	/* how many bytes fit the packet once escaped, after the one-char prefix */
	size_t space = rsp_writer_space(writer);
	char const *data = object + request->offset;
	size_t n = rsp_binary_fit(data, want, space ? space - 1 : 0);
	rsp_writer_put_char(writer, n == rest ? 'l' : 'm');
	if (rsp_writer_put_binary(writer, data, n) != n) return; /* counted above: not reached */
}

void gdb_reply_supported(struct rsp_writer *writer, size_t packet_size)
{
	rsp_writer_put_text(writer, "PacketSize=");
	rsp_writer_put_hex_u64(writer, packet_size);
	rsp_writer_put_text(writer, ";qXfer:features:read+;qXfer:threads:read+"
	                            ";qXfer:memory-map:read+;QStartNoAckMode+;swbreak+;hwbreak+"
	                            ";vContSupported+;binary-upload+");
}

struct gdb_peer_features gdb_peer_features_of(struct rsp_features features)
{
	struct gdb_peer_features peer = { false, false };
	struct rsp_feature f;
	while (rsp_features_next(&features, &f)) {
		if (f.kind != RSP_FEATURE_SUPPORTED) continue;
		if (rsp_span_equal(f.name, "swbreak")) peer.swbreak = true;
		if (rsp_span_equal(f.name, "hwbreak")) peer.hwbreak = true;
	}
	return peer;
}
