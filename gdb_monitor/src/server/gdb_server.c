/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB server's connection: input through the packet reader,
 *        replies through the transport, the packet dispatch and the queries
 *
 * One packet is read and answered at a time: while a reply waits for the
 * transport, no further input is read (the transport keeps it), so output
 * never queues up behind a peer that does not read.
 */

#include <base/log.h>
#include <base/panic.h>
#include <gdb_server/registers.h>
#include <rsp/hex.h>
#include <util/string.h>

#include "gdb_server_private.h"

/* the memory map: all of the lower half of the address space is RAM to GDB */
static char const gdb_memory_map[] =
    "<?xml version=\"1.0\"?><!DOCTYPE memory-map PUBLIC \"+//IDN gnu.org//DTD GDB Memory Map "
    "V1.0//EN\" \"http://sourceware.org/gdb/gdb-memory-map.dtd\">\n"
    "<memory-map><memory type=\"ram\" start=\"0x0\" length=\"0x800000000000\"/></memory-map>\n";

/* ---- output ------------------------------------------------------------------------- */

bool gdb_server_output_pending(struct gdb_server const *server)
{
	return server->out_sent < server->out_length;
}

/* offer the rest of the output to the transport until it takes no more */
static void gdb_server_flush(struct gdb_server *server)
{
	struct gdb_transport const *t = &server->args.transport;
	while (gdb_server_output_pending(server)) {
		size_t rest = server->out_length - server->out_sent;
		size_t taken = t->ops->send(t->state, server->out_data + server->out_sent, rest);
		if (taken > rest) panic("gdb server: the transport took %zu of %zu bytes", taken, rest);
		if (!taken) return;
		server->out_sent += taken;
		server->stats.bytes_out += taken;
	}
}

static void gdb_server_output(struct gdb_server *server, char const *data, size_t length)
{
	ASSERT(!gdb_server_output_pending(server));
	if (!server->connected) return;
	server->out_data = data;
	server->out_length = length;
	server->out_sent = 0;
	gdb_server_flush(server);
}

/* an acknowledgement on its own */
static void gdb_server_ack(struct gdb_server *server, char ack)
{
	server->ack[0] = ack;
	gdb_server_output(server, server->ack, 1);
}

void gdb_server_reply_start(struct gdb_server *server)
{
	/* output[0] stays free for the '+' that may go in front */
	rsp_writer_start(&server->writer, server->output + 1, sizeof(server->output) - 1);
}

void gdb_server_reply_send(struct gdb_server *server)
{
	struct rsp_packet packet = rsp_writer_finish(&server->writer);
	if (packet.result != RSP_WRITE_OK) {
		log_warning("gdb server: a reply did not fit its packet; " GDB_ERROR_PACKET
		            " sent instead");
		gdb_server_reply_start(server);
		rsp_writer_put_text(&server->writer, GDB_ERROR_PACKET);
		packet = rsp_writer_finish(&server->writer);
	}
	server->last_packet = packet.data;
	server->last_length = packet.length;
	char const *data = packet.data;
	size_t length = packet.length;
	if (server->ack_pending) {
		server->output[0] = '+';
		data--, length++;
		server->ack_pending = false;
	}
	gdb_server_output(server, data, length);
}

void gdb_server_put_hex(struct gdb_server *server, void const *bytes, size_t length)
{
	size_t put = rsp_writer_put_hex(&server->writer, bytes, length);
	ASSERT(put == length);
}

enum gdb_reply gdb_server_reply_text(struct gdb_server *server, char const *text)
{
	rsp_writer_put_text(&server->writer, text);
	return GDB_REPLY_SEND;
}

/* ---- threads ------------------------------------------------------------------------ */

unsigned gdb_server_threads_collect(struct gdb_server *server)
{
	/* threads neither come nor go while every thread is stopped: one list per stop */
	if (server->threads_valid && server->target == GDB_SERVER_TARGET_STOPPED)
		return server->thread_count;
	server->thread_count = 0;
	server->threads_valid = false;
	if (!server->run) return 0;
	/* every thread, then the started ones moved to the front (GDB knows no others) */
	unsigned count =
	    run_control_threads_list(server->run, server->threads, VIRTUAL_CPU_THREADS_MAX);
	for (unsigned i = 0; i < count; i++)
		if (server->threads[i].started)
			server->threads[server->thread_count++] = server->threads[i];
	server->threads_valid = true;
	return server->thread_count;
}

uint64_t gdb_server_thread_resolve(struct gdb_server *server, uint64_t selected)
{
	if (selected) return selected;
	if (server->current) return server->current;
	return gdb_server_threads_collect(server) ? server->threads[0].id : 0;
}

static struct run_control_thread const *gdb_server_thread_find(struct gdb_server *server,
                                                               uint64_t id)
{
	unsigned count = gdb_server_threads_collect(server);
	for (unsigned i = 0; i < count; i++)
		if (server->threads[i].id == id) return &server->threads[i];
	return 0;
}

/* ---- queries ------------------------------------------------------------------------ */

static bool gdb_packet_is(char const *payload, size_t length, char const *name)
{
	size_t n = string_length(name);
	return length == n && memory_compare(payload, name, n) == 0;
}

static bool gdb_packet_starts(char const *payload, size_t length, char const *prefix)
{
	size_t n = string_length(prefix);
	return length >= n && memory_compare(payload, prefix, n) == 0;
}

enum gdb_reply gdb_server_parse_error(struct gdb_server *server, enum rsp_parse r)
{
	/* a kind the parsers do not know is answered like an unknown packet */
	return r == RSP_PARSE_UNSUPPORTED ? GDB_REPLY_SEND
	                                  : gdb_server_reply_text(server, GDB_ERROR_PACKET);
}

static enum gdb_reply gdb_server_supported(struct gdb_server *server, char const *payload,
                                           size_t length)
{
	struct rsp_features features;
	enum rsp_parse r = rsp_parse_supported(payload, length, &features);
	if (r != RSP_PARSE_OK) return gdb_server_parse_error(server, r);
	server->peer = gdb_peer_features_of(features);
	gdb_reply_supported(&server->writer, sizeof(server->input) - 1);
	return GDB_REPLY_SEND;
}

static enum gdb_reply gdb_server_xfer(struct gdb_server *server, char const *payload,
                                      size_t length)
{
	struct rsp_xfer_read request;
	enum rsp_parse r = rsp_parse_xfer_read(payload, length, &request);
	if (r != RSP_PARSE_OK) return gdb_server_parse_error(server, r);

	if (rsp_span_equal(request.object, "features")) {
		if (!rsp_span_equal(request.annex, "target.xml"))
			return gdb_server_reply_text(server, GDB_ERROR_PACKET);
		gdb_reply_xfer(&server->writer, server->target_xml, server->target_xml_length,
		               &request);
		return GDB_REPLY_SEND;
	}
	if (rsp_span_equal(request.object, "threads")) {
		/* made at the first piece; later pieces of the same read come from it */
		if (request.offset == 0) {
			unsigned count = gdb_server_threads_collect(server);
			server->threads_xml_length =
			    gdb_reply_threads_xml(server->xml, sizeof(server->xml), server->threads, count);
			ASSERT(server->threads_xml_length < sizeof(server->xml));
		}
		gdb_reply_xfer(&server->writer, server->xml, server->threads_xml_length, &request);
		return GDB_REPLY_SEND;
	}
	if (rsp_span_equal(request.object, "memory-map")) {
		gdb_reply_xfer(&server->writer, gdb_memory_map, sizeof(gdb_memory_map) - 1, &request);
		return GDB_REPLY_SEND;
	}
	return GDB_REPLY_SEND; /* an object not announced */
}

static enum gdb_reply gdb_server_thread_list(struct gdb_server *server)
{
	unsigned count = gdb_server_threads_collect(server);
	if (!count) return gdb_server_reply_text(server, "l");
	rsp_writer_put_char(&server->writer, 'm');
	for (unsigned i = 0; i < count; i++) {
		if (i) rsp_writer_put_char(&server->writer, ',');
		rsp_writer_put_thread_id(
		    &server->writer,
		    (struct rsp_thread_id){ .thread = (int64_t)server->threads[i].id });
	}
	return GDB_REPLY_SEND;
}

static enum gdb_reply gdb_server_thread_extra_info(struct gdb_server *server,
                                                   char const *payload, size_t length)
{
	struct rsp_thread_id id;
	enum rsp_parse r = rsp_parse_thread_extra_info(payload, length, &id);
	if (r != RSP_PARSE_OK) return gdb_server_parse_error(server, r);
	struct run_control_thread const *thread =
	    id.thread > 0 ? gdb_server_thread_find(server, (uint64_t)id.thread) : 0;
	if (!thread) return gdb_server_reply_text(server, GDB_ERROR_THREAD);
	char text[CPU_THREAD_NAME_MAX + 32];
	size_t n = string_length_bounded(thread->name, sizeof(thread->name));
	memory_copy(text, thread->name, n);
	text[n] = 0;
	string_copy(text + n, ", ", sizeof(text) - n);
	string_copy(text + n + 2, gdb_thread_state_text(thread), sizeof(text) - n - 2);
	gdb_server_put_hex(server, text, string_length(text));
	return GDB_REPLY_SEND;
}

static enum gdb_reply gdb_server_current_thread(struct gdb_server *server)
{
	uint64_t id = gdb_server_thread_resolve(server, 0);
	if (!id) return gdb_server_reply_text(server, GDB_ERROR_STATE);
	rsp_writer_put_text(&server->writer, "QC");
	rsp_writer_put_thread_id(&server->writer, (struct rsp_thread_id){ .thread = (int64_t)id });
	return GDB_REPLY_SEND;
}

static enum gdb_reply gdb_server_query(struct gdb_server *server, char const *payload,
                                       size_t length)
{
	if (gdb_packet_starts(payload, length, "qSupported"))
		return gdb_server_supported(server, payload, length);
	if (gdb_packet_starts(payload, length, "qXfer:"))
		return gdb_server_xfer(server, payload, length);
	if (gdb_packet_is(payload, length, "qfThreadInfo")) return gdb_server_thread_list(server);
	if (gdb_packet_is(payload, length, "qsThreadInfo"))
		return gdb_server_reply_text(server, "l"); /* all came with the first */
	if (gdb_packet_starts(payload, length, "qThreadExtraInfo,"))
		return gdb_server_thread_extra_info(server, payload, length);
	if (gdb_packet_is(payload, length, "qC")) return gdb_server_current_thread(server);
	/* attached to a component of its own: quitting GDB detaches, it does not kill */
	if (gdb_packet_is(payload, length, "qAttached") ||
	    gdb_packet_starts(payload, length, "qAttached:"))
		return gdb_server_reply_text(server, "1");
	/* no symbols wanted: no thread library to look into */
	if (gdb_packet_starts(payload, length, "qSymbol:"))
		return gdb_server_reply_text(server, "OK");
	if (gdb_packet_starts(payload, length, "qRcmd,"))
		return gdb_server_monitor_command(server, payload, length);
	return GDB_REPLY_SEND; /* unknown: empty */
}

/* H: the thread of register and memory access (g) or of old-style resumption (c) */
static enum gdb_reply gdb_server_thread_select(struct gdb_server *server, char const *payload,
                                               size_t length)
{
	struct rsp_thread_select select;
	enum rsp_parse r = rsp_parse_thread_select(payload, length, &select);
	if (r != RSP_PARSE_OK) return gdb_server_parse_error(server, r);
	uint64_t id = select.thread.thread > 0 ? (uint64_t)select.thread.thread : 0;
	if (id && !gdb_server_thread_find(server, id))
		return gdb_server_reply_text(server, GDB_ERROR_THREAD);
	if (select.operation == 'g')
		server->thread_g = id;
	else
		server->thread_c = id;
	return gdb_server_reply_text(server, "OK");
}

static enum gdb_reply gdb_server_thread_alive(struct gdb_server *server, char const *payload,
                                              size_t length)
{
	struct rsp_thread_id id;
	enum rsp_parse r = rsp_parse_thread_alive(payload, length, &id);
	if (r != RSP_PARSE_OK) return gdb_server_parse_error(server, r);
	bool alive = id.thread > 0 && gdb_server_thread_find(server, (uint64_t)id.thread);
	return gdb_server_reply_text(server, alive ? "OK" : GDB_ERROR_THREAD);
}

static enum gdb_reply gdb_server_v(struct gdb_server *server, char const *payload,
                                   size_t length)
{
	if (gdb_packet_is(payload, length, "vCont?"))
		return gdb_server_reply_text(server, "vCont;c;C;s;S;t;r");
	if (gdb_packet_starts(payload, length, "vCont;"))
		return gdb_server_vcont(server, payload, length);
	if (gdb_packet_starts(payload, length, "vKill;"))
		return gdb_server_kill(server, payload, length);
	return GDB_REPLY_SEND; /* vMustReplyEmpty and the unknown ones: empty */
}

/* ---- dispatch ----------------------------------------------------------------------- */

static enum gdb_reply gdb_server_dispatch(struct gdb_server *server, char const *payload,
                                          size_t length)
{
	if (!length) return GDB_REPLY_SEND;
	switch (payload[0]) {
	case '?':
		return length == 1 ? gdb_server_status(server) : GDB_REPLY_SEND;
	case 'c':
	case 'C':
	case 's':
	case 'S':
		return gdb_server_resume(server, payload, length);
	case 'D':
		return gdb_server_detach(server, payload, length);
	case 'g':
		return length == 1 ? gdb_server_registers_read(server) : GDB_REPLY_SEND;
	case 'G':
		return gdb_server_registers_write(server, payload, length);
	case 'H':
		return gdb_server_thread_select(server, payload, length);
	case 'k':
		return length == 1 ? gdb_server_kill(server, payload, length) : GDB_REPLY_SEND;
	case 'm':
	case 'x':
		return gdb_server_memory_read(server, payload, length);
	case 'M':
	case 'X':
		return gdb_server_memory_write(server, payload, length);
	case 'p':
		return gdb_server_register_read(server, payload, length);
	case 'P':
		return gdb_server_register_write(server, payload, length);
	case 'T':
		return gdb_server_thread_alive(server, payload, length);
	case 'Z':
	case 'z':
		return gdb_server_breakpoint(server, payload, length);
	case 'q':
		return gdb_server_query(server, payload, length);
	case 'Q':
		if (gdb_packet_is(payload, length, "QStartNoAckMode"))
			return gdb_server_reply_text(server, "OK");
		return GDB_REPLY_SEND;
	case 'v':
		return gdb_server_v(server, payload, length);
	default:
		return GDB_REPLY_SEND; /* unknown: empty */
	}
}

static void gdb_server_packet(struct gdb_server *server, char const *payload, size_t length)
{
	gdb_server_reply_start(server);
	enum gdb_reply reply = gdb_server_dispatch(server, payload, length);
	if (reply == GDB_REPLY_SEND)
		gdb_server_reply_send(server);
	else if (server->ack_pending) {
		server->ack_pending = false;
		gdb_server_ack(server, '+');
	}
	/* acknowledgements end after the OK that says so (it went out with one) */
	if (gdb_packet_is(payload, length, "QStartNoAckMode"))
		rsp_reader_set_acks(&server->reader, false);
}

/* ---- the transport's calls ---------------------------------------------------------- */

void gdb_server_init(struct gdb_server *server, struct gdb_server_args const *args)
{
	memory_set(server, 0, sizeof(*server));
	server->args = *args;
	server->target_xml_length =
	    gdb_registers_target_xml(server->target_xml, sizeof(server->target_xml));
	ASSERT(server->target_xml_length < sizeof(server->target_xml));
	rsp_reader_init(&server->reader, server->input, sizeof(server->input));
	(void)gdb_server_target_start(server); /* logged if not; tried at each connection and end */
}

void gdb_server_destroy(struct gdb_server *server)
{
	server->connected = false;
	server->out_length = server->out_sent = 0;
	gdb_server_target_kill(server, GDB_SIGNAL_KILL);
}

enum gdb_server_result gdb_server_connect(struct gdb_server *server)
{
	if (server->connected) return GDB_SERVER_BUSY;
	server->connected = true;
	server->waiting = server->detached = server->ack_pending = false;
	server->interrupt_queued = false;
	server->peer = (struct gdb_peer_features){ false, false };
	server->thread_g = server->thread_c = 0;
	server->out_length = server->out_sent = 0;
	server->last_packet = 0;
	rsp_reader_reset(&server->reader);
	if (server->target == GDB_SERVER_TARGET_NONE || server->target == GDB_SERVER_TARGET_GONE)
		(void)gdb_server_target_start(server); /* logged if not */
	log_info("gdb server: GDB connected");
	return GDB_SERVER_OK;
}

void gdb_server_disconnect(struct gdb_server *server)
{
	if (!server->connected) return;
	bool mid_packet = !rsp_reader_idle(&server->reader);
	server->connected = false;
	server->out_length = server->out_sent = 0;
	server->ack_pending = false;
	server->last_packet = 0;
	rsp_reader_reset(&server->reader);
	gdb_server_run_disconnect(server);
	log_info("gdb server: GDB disconnected%s", mid_packet ? " in the middle of a packet" : "");
}

size_t gdb_server_receive(struct gdb_server *server, void const *data, size_t length)
{
	if (!server->connected) return length;
	char const *bytes = data;
	size_t used = 0;
	while (used < length && !gdb_server_output_pending(server) && server->connected) {
		struct rsp_read read = rsp_reader_feed(&server->reader, bytes + used, length - used);
		used += read.consumed;
		switch (read.event) {
		case RSP_READ_PACKET:
			server->stats.packets++;
			server->ack_pending = read.reply == '+';
			gdb_server_packet(server, read.payload, read.length);
			break;
		case RSP_READ_INTERRUPT:
			server->stats.interrupts++;
			gdb_server_interrupt(server);
			break;
		case RSP_READ_NAK:
			if (server->last_packet) {
				server->stats.resent++;
				gdb_server_output(server, server->last_packet, server->last_length);
			}
			break;
		case RSP_READ_BAD_CHECKSUM:
		case RSP_READ_OVERSIZED:
		case RSP_READ_MALFORMED:
			server->stats.dropped++;
			if (read.reply) gdb_server_ack(server, read.reply);
			break;
		case RSP_READ_MORE:
		case RSP_READ_ACK:
			break;
		}
	}
	server->stats.bytes_in += used;
	return used;
}

void gdb_server_sendable(struct gdb_server *server)
{
	if (!server->connected) return;
	gdb_server_flush(server);
	/* a stop that came while the output was blocked */
	if (!gdb_server_output_pending(server) && server->waiting) gdb_server_child_event(server);
}

struct gdb_server_stats gdb_server_stats(struct gdb_server const *server)
{
	return server->stats;
}
