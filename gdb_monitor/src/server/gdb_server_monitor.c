/* SPDX-License-Identifier: MIT */
/**
 * \brief the monitor commands (GDB's `monitor ...`, the qRcmd packet):
 *        help, regions, threads, quota, sessions, stats
 *
 * The output is text for GDB to print, sent hex-encoded as the one reply to
 * the command (no `O` packets: one round trip).
 */

#include <util/format.h>
#include <util/string.h>

#include "gdb_server_private.h"

struct gdb_output
{
	char *buffer;
	size_t size;
	size_t length;
	bool cut; /* a line did not fit */
};

static void output_line(struct gdb_output *out, char const *format, ...)
    __attribute__((format(printf, 2, 3)));

static void output_line(struct gdb_output *out, char const *format, ...)
{
	if (out->cut) return;
	va_list args;
	va_start(args, format);
	size_t room = out->size - out->length;
	size_t n = format_vstring(out->buffer + out->length, room, format, args);
	va_end(args);
	if (n + 1 >= room) { /* the line and its newline do not fit */
		out->buffer[out->length] = 0;
		out->cut = true;
		return;
	}
	out->length += n;
	out->buffer[out->length++] = '\n';
	out->buffer[out->length] = 0;
}

static void gdb_monitor_regions(struct gdb_server *server, struct gdb_output *out)
{
	struct virtual_rm *rm = monitor_child_rm(&server->child);
	struct virtual_rm_region_result r;
	unsigned count = 0;
	output_line(out, "%-18s %-18s %10s %s %-9s %s", "start", "end", "size", "perm", "dataspace",
	            "offset");
	for (uint64_t at = 0; (r = virtual_rm_region(rm, at)).result == VIRTUAL_RM_OK;
	     at = r.region.start + r.region.size) {
		struct virtual_rm_region const *g = &r.region;
		output_line(out, "0x%016lx 0x%016lx %10lu r%c%c  %-9s 0x%lx of %lu",
		            (unsigned long)g->start, (unsigned long)(g->start + g->size),
		            (unsigned long)g->size, g->writeable ? 'w' : '-', g->executable ? 'x' : '-',
		            g->dataspace_writeable ? "RAM" : "ROM", (unsigned long)g->offset,
		            (unsigned long)g->dataspace_size);
		count++;
		if (g->start + g->size < g->start) break; /* the last one ends at 2^64 */
	}
	output_line(out, "%u regions", count);
}

static void gdb_monitor_threads(struct gdb_server *server, struct gdb_output *out)
{
	/* all threads, the ones not started yet too */
	struct run_control_thread threads[VIRTUAL_CPU_THREADS_MAX];
	unsigned count = run_control_threads_list(server->run, threads, VIRTUAL_CPU_THREADS_MAX);
	output_line(out, "%-6s %-31s %s", "id", "name", "state");
	for (unsigned i = 0; i < count; i++)
		output_line(out, "%-6lx %-31.31s %s", (unsigned long)threads[i].id, threads[i].name,
		            gdb_thread_state_text(&threads[i]));
	output_line(out, "%u threads", count);
}

static void gdb_monitor_quota(struct gdb_server *server, struct gdb_output *out)
{
	struct ram_quota_result q = monitor_child_quota(&server->child);
	if (q.result != RAM_OK) {
		output_line(out, "the target's RAM session does not answer (%d)", (int)q.result);
		return;
	}
	uint64_t free = q.quota.quota > q.quota.used ? q.quota.quota - q.quota.used : 0;
	output_line(out, "RAM quota %lu KiB, used %lu KiB, free %lu KiB",
	            (unsigned long)(q.quota.quota >> 10), (unsigned long)(q.quota.used >> 10),
	            (unsigned long)(free >> 10));
}

static void gdb_monitor_sessions(struct gdb_server *server, struct gdb_output *out)
{
	output_line(out, "RAM   (environment) -> the monitor's parent");
	output_line(out, "PD    (environment) -> the monitor's parent");
	output_line(out, "RM    (environment) -> the monitor (virtual)");
	output_line(out, "CPU   (environment) -> the monitor (virtual)");
	struct monitor_child_session s;
	for (unsigned i = 0; monitor_child_session_at(&server->child, i, &s); i++)
		output_line(out, "%-5s \"%s\" -> %s", s.service, s.label,
		            s.local ? "the monitor (the target's <config>)" : "the monitor's parent");
}

/* run control's counters since the target started (a test compares two of them) */
static void gdb_monitor_stats(struct gdb_server *server, struct gdb_output *out)
{
	struct run_control_stats s = run_control_stats(server->run);
	output_line(out, "stops    %lu reported, %lu stale (dropped), %lu polls",
	            (unsigned long)s.stops, (unsigned long)s.stale, (unsigned long)s.polls);
	output_line(out, "threads  %lu paused, %lu resumed, %lu single-stepped",
	            (unsigned long)s.pauses, (unsigned long)s.resumes, (unsigned long)s.steps);
	output_line(out, "ranges   %lu steps within a range, not reported",
	            (unsigned long)s.range_steps);
	output_line(out, "states   %lu calls to core for up to %d threads, %lu for one thread",
	            (unsigned long)s.states_batched, (int)CPU_STATES_MAX,
	            (unsigned long)s.states_single);
}

/* the commands about the target: one list for `help` and for the dispatch */
struct gdb_monitor_command
{
	char const *name;
	char const *help;
	void (*run)(struct gdb_server *server, struct gdb_output *out);
};

static struct gdb_monitor_command const gdb_monitor_commands[] = {
	{ "regions", "the target's address space: regions, dataspaces, permissions",
	  gdb_monitor_regions },
	{ "threads", "the target's threads with their state", gdb_monitor_threads },
	{ "quota", "the target's RAM quota and use", gdb_monitor_quota },
	{ "sessions", "the target's sessions and where they were routed", gdb_monitor_sessions },
	{ "stats", "run control's counters: stops, pauses, resumes, register reads",
	  gdb_monitor_stats },
};

enum { GDB_MONITOR_COMMANDS = sizeof(gdb_monitor_commands) / sizeof(gdb_monitor_commands[0]) };

static void gdb_monitor_help(struct gdb_output *out)
{
	output_line(out, "monitor commands of the Vitrine GDB monitor:");
	output_line(out, "  %-9s %s", "help", "this list");
	for (unsigned i = 0; i < GDB_MONITOR_COMMANDS; i++)
		output_line(out, "  %-9s %s", gdb_monitor_commands[i].name,
		            gdb_monitor_commands[i].help);
}

/* the command's first word, without the spaces around it */
static bool gdb_command_is(char const *command, char const *word)
{
	while (*command == ' ') command++;
	size_t n = string_length(word);
	if (string_compare_n(command, word, n) != 0) return false;
	for (command += n; *command == ' ' || *command == '\n'; command++) {}
	return *command == 0;
}

enum gdb_reply gdb_server_monitor_command(struct gdb_server *server, char const *payload,
                                          size_t length)
{
	size_t command_length;
	enum rsp_parse p = rsp_parse_monitor_command(payload, length, server->command,
	                                             sizeof(server->command), &command_length);
	if (p != RSP_PARSE_OK) return gdb_server_reply_text(server, GDB_ERROR_PACKET);
	char const *command = server->command;

	struct gdb_output out = { server->xml, sizeof(server->xml), 0, false };
	out.buffer[0] = 0;
	struct gdb_monitor_command const *found = 0;
	for (unsigned i = 0; i < GDB_MONITOR_COMMANDS && !found; i++)
		if (gdb_command_is(command, gdb_monitor_commands[i].name))
			found = &gdb_monitor_commands[i];
	if (gdb_command_is(command, "help") || gdb_command_is(command, ""))
		gdb_monitor_help(&out);
	else if (found && !server->run) /* every command of the list is about the target */
		output_line(&out, "no target: \"%s\" %s", server->args.name,
		            server->target == GDB_SERVER_TARGET_GONE
		                ? "was killed or exited"
		                : "could not be started (the monitor's log says why)");
	else if (found)
		found->run(server, &out);
	else
		output_line(&out, "unknown monitor command \"%.64s\"; \"monitor help\" lists them",
		            command);
	if (out.cut) output_line(&out, "...");

	/* hex doubles the text; what does not fit the packet is cut */
	size_t room = rsp_writer_space(&server->writer) / 2;
	gdb_server_put_hex(server, out.buffer, out.length < room ? out.length : room);
	if (!out.length) return gdb_server_reply_text(server, "OK");
	return GDB_REPLY_SEND;
}
