/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB server's data packets: registers (g, G, p, P), memory (m,
 *        x, M, X), breakpoints and watchpoints (Z, z)
 *
 * Memory reads go straight from the monitor's window of the child's memory
 * into the reply (run_control_memory_visit): each byte is read once and
 * written as two hex digits (or escaped binary for `x`) with the checksum
 * summed on the way. Only int3 bytes of inserted breakpoints are replaced by
 * their originals on the way.
 */

#include <gdb_server/registers.h>
#include <rsp/hex.h>
#include <util/string.h>

#include "gdb_server_private.h"

static enum gdb_reply gdb_server_state_error(struct gdb_server *server,
                                             enum run_control_result r)
{
	switch (r) {
	case RUN_CONTROL_UNKNOWN_THREAD:
		return gdb_server_reply_text(server, GDB_ERROR_THREAD);
	case RUN_CONTROL_REFUSED:
		return gdb_server_reply_text(server, GDB_ERROR_REFUSED);
	default:
		return gdb_server_reply_text(server, GDB_ERROR_STATE);
	}
}

/* ---- registers ---------------------------------------------------------------------- */

/* the registers of the thread of Hg */
static enum run_control_result gdb_server_selected_state(struct gdb_server *server,
                                                         uint64_t *thread,
                                                         struct cpu_state const **state)
{
	*thread = 0;
	if (server->target != GDB_SERVER_TARGET_STOPPED) return RUN_CONTROL_NOT_STOPPED;
	*thread = gdb_server_thread_resolve(server, server->thread_g);
	if (!*thread) return RUN_CONTROL_UNKNOWN_THREAD;
	return gdb_server_state(server, *thread, state);
}

/*
 * Set every register (`all`, G) or register `number` (P) of the thread of
 * Hg from `bytes`, and write the state back: OK, or the error reply.
 */
static enum gdb_reply gdb_server_registers_set(struct gdb_server *server, bool all,
                                               uint32_t number, uint8_t const *bytes,
                                               size_t size)
{
	uint64_t thread;
	struct cpu_state const *state;
	enum run_control_result r = gdb_server_selected_state(server, &thread, &state);
	if (r != RUN_CONTROL_OK) return gdb_server_state_error(server, r);
	struct cpu_state written = *state;
	enum gdb_register_set set = all ? gdb_registers_set_all(&written, bytes, size)
	                                : gdb_register_set(&written, number, bytes, size);
	if (set != GDB_REGISTER_SET_OK) return gdb_server_reply_text(server, GDB_ERROR_PACKET);
	r = gdb_server_state_write(server, thread, &written);
	return r == RUN_CONTROL_OK ? gdb_server_reply_text(server, "OK")
	                           : gdb_server_state_error(server, r);
}

enum gdb_reply gdb_server_registers_read(struct gdb_server *server)
{
	uint64_t thread;
	struct cpu_state const *state;
	enum run_control_result r = gdb_server_selected_state(server, &thread, &state);
	if (r != RUN_CONTROL_OK) return gdb_server_state_error(server, r);
	uint8_t bytes[GDB_REGISTERS_G_SIZE];
	gdb_registers_get_all(state, bytes);
	gdb_server_put_hex(server, bytes, sizeof(bytes));
	return GDB_REPLY_SEND;
}

enum gdb_reply gdb_server_registers_write(struct gdb_server *server, char const *payload,
                                          size_t length)
{
	char const *digits = payload + 1;
	size_t count = length - 1;
	if (!rsp_hex_valid(digits, count) || count / 2 > GDB_REGISTERS_G_SIZE)
		return gdb_server_reply_text(server, GDB_ERROR_PACKET);
	if (rsp_hex_decode(server->scratch, digits, count) != RSP_HEX_DECODE_OK)
		return gdb_server_reply_text(server, GDB_ERROR_PACKET);

	return gdb_server_registers_set(server, true, 0, server->scratch, count / 2);
}

enum gdb_reply gdb_server_register_read(struct gdb_server *server, char const *payload,
                                        size_t length)
{
	uint32_t number;
	enum rsp_parse p = rsp_parse_register_read(payload, length, &number);
	if (p != RSP_PARSE_OK) return gdb_server_parse_error(server, p);
	if (number >= GDB_REGISTERS_COUNT) return gdb_server_reply_text(server, GDB_ERROR_PACKET);
	uint64_t thread;
	struct cpu_state const *state;
	enum run_control_result r = gdb_server_selected_state(server, &thread, &state);
	if (r != RUN_CONTROL_OK) return gdb_server_state_error(server, r);
	uint8_t bytes[GDB_REGISTER_SIZE_MAX];
	size_t size = gdb_register_get(state, number, bytes);
	gdb_server_put_hex(server, bytes, size);
	return GDB_REPLY_SEND;
}

enum gdb_reply gdb_server_register_write(struct gdb_server *server, char const *payload,
                                         size_t length)
{
	struct rsp_register_write request;
	enum rsp_parse p = rsp_parse_register_write(payload, length, &request);
	if (p != RSP_PARSE_OK) return gdb_server_parse_error(server, p);
	uint8_t bytes[GDB_REGISTER_SIZE_MAX];
	struct gdb_register_info info;
	if (!gdb_register_info(request.number, &info) || request.value_length != 2 * info.size ||
	    rsp_hex_decode(bytes, request.value, request.value_length) != RSP_HEX_DECODE_OK)
		return gdb_server_reply_text(server, GDB_ERROR_PACKET);

	return gdb_server_registers_set(server, false, request.number, bytes, info.size);
}

/* ---- memory ------------------------------------------------------------------------- */

struct gdb_memory_read
{
	struct rsp_writer *writer;
	bool binary;
};

/* a piece of the child's memory, from the monitor's window into the reply */
static uint64_t gdb_memory_put(void *state, uint64_t address, uint8_t const *bytes,
                               uint64_t length)
{
	struct gdb_memory_read *read = state;
	(void)address;
	size_t n = length > SIZE_MAX ? SIZE_MAX : (size_t)length;
	return read->binary ? rsp_writer_put_binary(read->writer, bytes, n)
	                    : rsp_writer_put_hex(read->writer, bytes, n);
}

enum gdb_reply gdb_server_memory_read(struct gdb_server *server, char const *payload,
                                      size_t length)
{
	struct rsp_memory_read request;
	enum rsp_parse p = rsp_parse_memory_read(payload, length, &request);
	if (p != RSP_PARSE_OK) return gdb_server_parse_error(server, p);
	if (!server->run) return gdb_server_reply_text(server, GDB_ERROR_STATE);

	/* a reply holds what fits; GDB asks again for the rest */
	uint64_t want = request.length;
	if (request.binary)
		rsp_writer_put_char(&server->writer, 'b');
	else if (want > rsp_writer_space(&server->writer) / 2)
		want = rsp_writer_space(&server->writer) / 2;
	struct gdb_memory_read read = { &server->writer, request.binary };
	struct child_memory_copy_ret r =
	    run_control_memory_visit(server->run, request.address, want, gdb_memory_put, &read);
	if (r.size == 0 && want > 0 && r.result != CHILD_MEMORY_OK) {
		gdb_server_reply_start(server); /* the 'b' goes */
		return gdb_server_reply_text(server, GDB_ERROR_MEMORY);
	}
	return GDB_REPLY_SEND;
}

enum gdb_reply gdb_server_memory_write(struct gdb_server *server, char const *payload,
                                       size_t length)
{
	struct rsp_memory_write request;
	enum rsp_parse p = rsp_parse_memory_write(payload, length, &request);
	if (p != RSP_PARSE_OK) return gdb_server_parse_error(server, p);
	if (!server->run) return gdb_server_reply_text(server, GDB_ERROR_STATE);
	if (request.length == 0) return gdb_server_reply_text(server, "OK"); /* X's probe */

	void const *data = request.data;
	if (!request.binary) {
		/* M: the digits are checked by the parser; a packet holds at most scratch's worth */
		if (request.length > sizeof(server->scratch) ||
		    rsp_hex_decode(server->scratch, request.data, request.data_length) !=
		        RSP_HEX_DECODE_OK)
			return gdb_server_reply_text(server, GDB_ERROR_PACKET);
		data = server->scratch;
	}
	struct child_memory_copy_ret r =
	    run_control_memory_write(server->run, request.address, data, request.length);
	return gdb_server_reply_text(server, r.result == CHILD_MEMORY_OK ? "OK" : GDB_ERROR_MEMORY);
}

/* ---- breakpoints and watchpoints ---------------------------------------------------- */

static enum run_control_watch gdb_watch_of(enum rsp_breakpoint_type type)
{
	return type == RSP_WATCHPOINT_WRITE  ? RUN_CONTROL_WATCH_WRITE
	       : type == RSP_WATCHPOINT_READ ? RUN_CONTROL_WATCH_READ
	                                     : RUN_CONTROL_WATCH_ACCESS;
}

enum gdb_reply gdb_server_breakpoint(struct gdb_server *server, char const *payload,
                                     size_t length)
{
	struct rsp_breakpoint b;
	enum rsp_parse p = rsp_parse_breakpoint(payload, length, &b);
	if (p != RSP_PARSE_OK) return gdb_server_parse_error(server, p);
	if (!server->run) return gdb_server_reply_text(server, GDB_ERROR_STATE);

	struct run_control *rc = server->run;
	enum run_control_result r;
	switch (b.type) {
	case RSP_BREAKPOINT_SOFTWARE:
		r = b.insert ? run_control_breakpoint_insert(rc, b.address)
		             : run_control_breakpoint_remove(rc, b.address);
		break;
	case RSP_BREAKPOINT_HARDWARE:
		r = b.insert ? run_control_hw_breakpoint_insert(rc, b.address)
		             : run_control_hw_breakpoint_remove(rc, b.address);
		break;
	default:
		r = b.insert
		        ? run_control_watchpoint_insert(rc, gdb_watch_of(b.type), b.address, b.kind)
		        : run_control_watchpoint_remove(rc, gdb_watch_of(b.type), b.address, b.kind);
		break;
	}
	switch (r) {
	case RUN_CONTROL_OK:
	case RUN_CONTROL_NOT_FOUND: /* a remove twice: the protocol asks for idempotence */
		return gdb_server_reply_text(server, "OK");
	case RUN_CONTROL_NO_SLOT:
		return gdb_server_reply_text(server, GDB_ERROR_NO_SLOT);
	case RUN_CONTROL_INVALID_ARGUMENT:
		return gdb_server_reply_text(server, GDB_ERROR_INVALID);
	case RUN_CONTROL_UNMAPPED:
		return gdb_server_reply_text(server, GDB_ERROR_MEMORY);
	default:
		return gdb_server_reply_text(server, GDB_ERROR_STATE);
	}
}
