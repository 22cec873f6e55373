/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB remote protocol server of the monitor: all-stop mode for a
 *        stock GDB, over any byte-stream transport
 *
 * The server owns the debug target (the monitor's child, monitor_child.h)
 * and turns GDB's packets into run control and child memory calls
 * (run_control.h); the wire format is librsp's (rsp/packet.h, rsp/parse.h).
 * It knows nothing of TCP: a transport (transport.h) feeds it the bytes of
 * one connection at a time and takes its replies. The event loop belongs to
 * the transport's owner, who also routes the child's exception signal here.
 *
 * What the owner calls, all in the event loop's thread:
 *
 *   gdb_server_init        once: starts the target (stopped at its first
 *                          instruction with `wait`, else running); a start
 *                          that fails is logged and tried again later
 *   gdb_server_connect     a peer connected (GDB_SERVER_BUSY: refuse it)
 *   gdb_server_receive     bytes from the peer, in any chunks; returns how
 *                          many it took (fewer while its output is blocked:
 *                          feed the rest after gdb_server_sendable)
 *   gdb_server_sendable    the transport can take bytes again
 *   gdb_server_disconnect  the peer is gone (also mid-packet)
 *   gdb_server_child_event the signal of args.handler arrived (an exception,
 *                          a thread's end, or the exit of the child)
 *   gdb_server_destroy     at the end: the target is killed
 *
 * Sessions: one GDB at a time. A peer that goes without `D` or `k` is
 * treated as a detach (every breakpoint and watchpoint removed, every
 * thread resumed), so the next GDB finds the target as after a detach. A
 * target that was killed or exited is started again when the connection
 * ends; one that could not be started (at the init, or at such an end) is
 * tried again at each connection and each end of one, so every GDB finds
 * it as the monitor's configuration says once it can be started.
 */

#ifndef _GDB_SERVER_GDB_SERVER_H_
#define _GDB_SERVER_GDB_SERVER_H_

#include <gdb_monitor/monitor_child.h>
#include <gdb_server/reply.h>
#include <gdb_server/transport.h>
#include <rsp/packet.h>

enum {
	GDB_SERVER_PACKET_SIZE = 0x10000, /* the largest packet read; announced as PacketSize */
	GDB_SERVER_OUTPUT_SIZE = 1 + GDB_SERVER_PACKET_SIZE + RSP_FRAME_OVERHEAD, /* '+', packet */
	GDB_SERVER_XML_SIZE = 0x4000, /* the thread list of 64 threads, escaped names */
	GDB_SERVER_TARGET_XML_SIZE = 0x2000,
	GDB_SERVER_COMMAND_SIZE = 256, /* a monitor command */
	GDB_SERVER_VCONT_ACTIONS = VIRTUAL_CPU_THREADS_MAX + 1,
};

/** the debug target as the server sees it */
enum gdb_server_target {
	GDB_SERVER_TARGET_NONE = 0, /* no child: its start failed */
	GDB_SERVER_TARGET_STARTING, /* started stopped, the initial stop not seen yet */
	GDB_SERVER_TARGET_RUNNING,  /* its threads run */
	GDB_SERVER_TARGET_STOPPED,  /* every thread paused; `stop` says why */
	GDB_SERVER_TARGET_GONE,     /* exited or killed (its child destroyed); `stop` is W or X */
};

struct gdb_server_args
{
	struct env *env;
	struct rpc_entrypoint *ep; /* served by another thread: the child's parent interface and
	                              its virtual sessions */
	struct gdb_transport transport;
	struct signal_context_cap handler; /* the owner's, for the child's exceptions and exit;
	                                      stays the owner's */
	char const *name;                  /* the target's name (and label) */
	char const *binary;                /* its ROM module; NULL: the name */
	uint64_t ram_quota;                /* what the target gets */
	char const *config;                /* its <config> node, or NULL; must outlive the server */
	uint64_t config_length;
	bool wait; /* start it stopped at its first instruction, else running */
};

struct gdb_server_stats
{
	uint64_t packets;    /* good packets read */
	uint64_t dropped;    /* bad checksum, oversized or malformed */
	uint64_t resent;     /* replies sent again on a NAK */
	uint64_t stops;      /* stop replies sent */
	uint64_t interrupts; /* Ctrl-C */
	uint64_t starts;     /* target starts, the first one included */
	uint64_t bytes_in, bytes_out;
};

/** the server; its fields are private to gdb_monitor/src/server */
struct gdb_server
{
	struct gdb_server_args args;
	struct monitor_child child;
	struct run_control *run; /* the child's, while there is one */
	uint32_t target;         /* enum gdb_server_target */
	struct gdb_stop stop;    /* the last stop (TARGET_STOPPED, TARGET_GONE) */
	bool attach;             /* the next interrupt is GDB's arrival: report SIGTRAP */

	/* the connection */
	bool connected;
	bool waiting;          /* GDB waits for a stop reply */
	bool detached;         /* GDB sent D or k: its leaving is no implicit detach */
	bool interrupt_queued; /* a Ctrl-C came while stopped: it answers the next resumption */
	struct gdb_peer_features peer;
	uint64_t thread_g, thread_c; /* set by H; 0: the current thread */
	uint64_t current;            /* the thread of the last stop */

	/* the registers of one stopped thread, read from core once per stop */
	bool state_valid;
	uint64_t state_thread;
	struct cpu_state state;

	/* output: one packet (or ack) at a time, offered until the transport took it */
	struct rsp_writer writer;
	bool ack_pending; /* '+' goes in front of the reply */
	char const *out_data;
	size_t out_length, out_sent;
	char const *last_packet; /* for a NAK */
	size_t last_length;
	char ack[1];

	struct rsp_reader reader;
	size_t threads_xml_length; /* the thread list served in pieces */
	bool threads_valid;        /* `threads` is the list of this stop */
	unsigned thread_count;
	struct run_control_thread threads[VIRTUAL_CPU_THREADS_MAX];
	struct rsp_vcont_action actions[GDB_SERVER_VCONT_ACTIONS];
	struct gdb_server_stats stats;
	size_t target_xml_length;
	char target_xml[GDB_SERVER_TARGET_XML_SIZE];
	char xml[GDB_SERVER_XML_SIZE]; /* the thread list, monitor command output */
	char command[GDB_SERVER_COMMAND_SIZE];
	uint8_t scratch[GDB_SERVER_PACKET_SIZE / 2]; /* decoded `M` and `G` data */
	char input[GDB_SERVER_PACKET_SIZE + 1];
	char output[GDB_SERVER_OUTPUT_SIZE];
};

enum gdb_server_result {
	GDB_SERVER_OK = 0,
	GDB_SERVER_BUSY, /* a peer is connected already: refuse the new one */
};

/**
 * Set up the server and start the target. A start that fails is logged and
 * leaves the server without a target (GDB_SERVER_TARGET_NONE): it serves on,
 * and each connection and each end of one tries the start again.
 *
 * \param args  copied; the strings must outlive the server
 */
void gdb_server_init(struct gdb_server *server, struct gdb_server_args const *args);

/** kill the target and end the server (a connection is dropped without a word) */
void gdb_server_destroy(struct gdb_server *server);

/**
 * A peer connected: a new session starts with acknowledgements on. A
 * target that is gone or was never started is started first (a failure is
 * logged; GDB is then told that no process runs).
 *
 * \return GDB_SERVER_OK, or GDB_SERVER_BUSY (a peer is connected: close
 *         the new connection; the server did not look at it)
 */
enum gdb_server_result gdb_server_connect(struct gdb_server *server)
    __attribute__((warn_unused_result));

/**
 * Bytes from the peer, in whatever chunks they came. Each packet is acted
 * on and answered (through transport.send) as soon as it is complete.
 *
 * \return the bytes used: all of them, or fewer while a reply waits for
 *         the transport (feed the rest after gdb_server_sendable); all of
 *         them without a connection (dropped)
 */
size_t gdb_server_receive(struct gdb_server *server, void const *data, size_t length)
    __attribute__((warn_unused_result));

/** the transport can take bytes again: the rest of a reply goes out */
void gdb_server_sendable(struct gdb_server *server);

/** whether a reply waits for the transport (then no input is read) */
bool gdb_server_output_pending(struct gdb_server const *server)
    __attribute__((warn_unused_result));

/**
 * The peer is gone (closed, reset, or the transport gave up), maybe in the
 * middle of a packet. Without a `D` or `k` before, this is a detach: every
 * breakpoint and watchpoint goes and every thread runs on. A target that
 * is gone or was never started is started (a failure is logged).
 */
void gdb_server_disconnect(struct gdb_server *server);

/**
 * The child's exception handler was signalled: look for a stop or the
 * exit, and report it if GDB waits for one.
 */
void gdb_server_child_event(struct gdb_server *server);

/** the counters */
struct gdb_server_stats gdb_server_stats(struct gdb_server const *server)
    __attribute__((warn_unused_result));

#endif /* _GDB_SERVER_GDB_SERVER_H_ */
