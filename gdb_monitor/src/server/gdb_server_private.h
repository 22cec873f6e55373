/* SPDX-License-Identifier: MIT */
/**
 * \brief what the files of the GDB server share: replies, the target's
 *        life, the thread list, and the packet handlers by family
 *
 *   gdb_server.c          connection, input and output, the dispatch, queries
 *   gdb_server_run.c      the target's life, stops, resumption, detach, kill
 *   gdb_server_data.c     registers, memory, breakpoints and watchpoints
 *   gdb_server_monitor.c  qRcmd: the monitor commands
 */

#ifndef _GDB_SERVER_PRIVATE_H_
#define _GDB_SERVER_PRIVATE_H_

#include <gdb_server/gdb_server.h>

/* the error replies: GDB shows its own message for each, the numbers are for logs */
#define GDB_ERROR_PACKET  "E01" /* malformed packet or argument */
#define GDB_ERROR_THREAD  "E02" /* no such thread */
#define GDB_ERROR_STATE   "E03" /* no target, or not stopped */
#define GDB_ERROR_MEMORY  "E0e" /* no (writeable) memory there (EFAULT) */
#define GDB_ERROR_NO_SLOT "E1c" /* no breakpoint slot or debug register left (ENOSPC) */
#define GDB_ERROR_INVALID "E16" /* a watch the hardware cannot do (EINVAL) */
#define GDB_ERROR_REFUSED "E05" /* core refused (a register value) (EIO) */

/** whether the handler wrote a reply into server->writer */
enum gdb_reply {
	GDB_REPLY_SEND = 0, /* finish and send it */
	GDB_REPLY_NONE,     /* none now (a resumption: the stop reply comes later) */
};

/* ---- gdb_server.c ---- */

/** a reply of plain text */
enum gdb_reply gdb_server_reply_text(struct gdb_server *server, char const *text);

/** finish the reply in server->writer and send it (the ack in front if one is due) */
void gdb_server_reply_send(struct gdb_server *server);

/** append bytes as hex that the caller knows to fit the reply (asserted) */
void gdb_server_put_hex(struct gdb_server *server, void const *bytes, size_t length);

/** start the next reply in server->writer */
void gdb_server_reply_start(struct gdb_server *server);

/**
 * The reply to a packet its parser refused: empty for RSP_PARSE_UNSUPPORTED
 * (a kind the parsers do not know, answered like an unknown packet), else
 * GDB_ERROR_PACKET.
 */
enum gdb_reply gdb_server_parse_error(struct gdb_server *server, enum rsp_parse r);

/**
 * The started threads of the child in id order into server->threads, after
 * dropping the ended ones. \return their count (0 without a child)
 */
unsigned gdb_server_threads_collect(struct gdb_server *server);

/** the thread an H selection means: `selected`, or the current thread for 0 */
uint64_t gdb_server_thread_resolve(struct gdb_server *server, uint64_t selected);

/* ---- gdb_server_run.c ---- */

/** start the target as args say; false (logged) if it did not start */
bool gdb_server_target_start(struct gdb_server *server);

/** kill the target if there is one; `stop` becomes X with `signal` */
void gdb_server_target_kill(struct gdb_server *server, uint8_t signal);

/** forget the cached registers and thread list (at a resumption, a stop, a kill, a detach) */
void gdb_server_state_forget(struct gdb_server *server);

/**
 * The registers of stopped thread `thread`, from the cache or core.
 * \return RUN_CONTROL_OK, or why not (no child: RUN_CONTROL_EXITED)
 */
enum run_control_result gdb_server_state(struct gdb_server *server, uint64_t thread,
                                         struct cpu_state const **state);

/** write registers of `thread` at core and into the cache */
enum run_control_result gdb_server_state_write(struct gdb_server *server, uint64_t thread,
                                               struct cpu_state const *state);

enum gdb_reply gdb_server_status(struct gdb_server *server); /* ? */
enum gdb_reply gdb_server_vcont(struct gdb_server *server, char const *payload, size_t length);
enum gdb_reply gdb_server_resume(struct gdb_server *server, char const *payload, size_t length);
enum gdb_reply gdb_server_detach(struct gdb_server *server, char const *payload, size_t length);
enum gdb_reply gdb_server_kill(struct gdb_server *server, char const *payload, size_t length);
/** Ctrl-C from the peer */
void gdb_server_interrupt(struct gdb_server *server);
/** the implicit detach of a peer that left */
void gdb_server_run_disconnect(struct gdb_server *server);

/* ---- gdb_server_data.c ---- */

enum gdb_reply gdb_server_registers_read(struct gdb_server *server); /* g */
enum gdb_reply gdb_server_registers_write(struct gdb_server *server, char const *payload,
                                          size_t length); /* G */
enum gdb_reply gdb_server_register_read(struct gdb_server *server, char const *payload,
                                        size_t length); /* p */
enum gdb_reply gdb_server_register_write(struct gdb_server *server, char const *payload,
                                         size_t length); /* P */
enum gdb_reply gdb_server_memory_read(struct gdb_server *server, char const *payload,
                                      size_t length); /* m, x */
enum gdb_reply gdb_server_memory_write(struct gdb_server *server, char const *payload,
                                       size_t length); /* M, X */
enum gdb_reply gdb_server_breakpoint(struct gdb_server *server, char const *payload,
                                     size_t length); /* Z, z */

/* ---- gdb_server_monitor.c ---- */

enum gdb_reply gdb_server_monitor_command(struct gdb_server *server, char const *payload,
                                          size_t length); /* qRcmd */

#endif /* _GDB_SERVER_PRIVATE_H_ */
