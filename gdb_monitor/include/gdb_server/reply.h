/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB server's replies that are pure formatting: stop replies,
 *        the thread list, qXfer pieces, the qSupported answer
 *
 * Apart from the packet dispatch (gdb_server.h) so that each reply can be
 * checked on its own: these functions know the wire format and run
 * control's value types, and nothing of sessions or of the connection.
 */

#ifndef _GDB_SERVER_REPLY_H_
#define _GDB_SERVER_REPLY_H_

#include <gdb_monitor/run_control.h>
#include <rsp/packet.h>
#include <rsp/parse.h>

/** signal numbers as the remote protocol carries them (GDB's own, not a host's) */
enum gdb_signal {
	GDB_SIGNAL_0 = 0,
	GDB_SIGNAL_INT = 2,
	GDB_SIGNAL_ILL = 4,
	GDB_SIGNAL_TRAP = 5,
	GDB_SIGNAL_FPE = 8,
	GDB_SIGNAL_KILL = 9,
	GDB_SIGNAL_BUS = 10,
	GDB_SIGNAL_SEGV = 11,
};

/** what a stop reply says happened */
enum gdb_stop_kind {
	GDB_STOP_SIGNAL = 0, /* `T`: a thread stopped with `signal` */
	GDB_STOP_EXITED,     /* `W`: the target exited with `exit_code` */
	GDB_STOP_TERMINATED, /* `X`: the target ended by `signal` (killed, or a fault passed on) */
};

/** why a thread stopped, as the stop reply names it */
enum gdb_stop_why {
	GDB_STOP_WHY_NONE = 0, /* no reason given (a step, a signal, the initial stop) */
	GDB_STOP_WHY_SWBREAK,  /* "swbreak": a software breakpoint; the pc is at it */
	GDB_STOP_WHY_HWBREAK,  /* "hwbreak": a hardware breakpoint */
	GDB_STOP_WHY_WATCH,    /* "watch:addr": a write watchpoint */
	GDB_STOP_WHY_RWATCH,   /* "rwatch:addr": a read watchpoint */
	GDB_STOP_WHY_AWATCH,   /* "awatch:addr": an access watchpoint */
};

struct gdb_stop
{
	uint32_t kind;     /* enum gdb_stop_kind */
	uint8_t signal;    /* enum gdb_signal: GDB_STOP_SIGNAL, GDB_STOP_TERMINATED */
	uint8_t exit_code; /* GDB_STOP_EXITED */
	uint64_t thread;   /* GDB_STOP_SIGNAL: the thread that stopped */
	uint32_t why;      /* enum gdb_stop_why */
	uint64_t address;  /* a watchpoint's address as inserted */
	bool fault;        /* the signal stands for a fault at the thread's pc */
};

/** what GDB said it understands in its qSupported */
struct gdb_peer_features
{
	bool swbreak; /* stop reasons "swbreak" may be sent */
	bool hwbreak; /* stop reasons "hwbreak" may be sent */
};

/**
 * The stop that run control reported, as GDB is told of it: SIGTRAP for
 * traps (breakpoints, steps, watchpoints, the initial stop), SIGINT for an
 * interrupt, SIGSEGV for a page fault, SIGBUS, SIGILL, SIGFPE.
 *
 * \param attach  the stop of a debugger's arrival (attaching to a running
 *                child): reported as SIGTRAP, not as a Ctrl-C's SIGINT
 */
struct gdb_stop gdb_stop_of(struct run_control_stop const *stop, bool attach)
    __attribute__((warn_unused_result));

/**
 * Write a stop reply: `T<sig>thread:<id>;<reason>;06:..;07:..;10:..;` with
 * rbp, rsp and rip of `state` expedited (GDB then needs no register read to
 * show where the thread stopped), or `W<code>`, or `X<sig>`.
 *
 * \param state     the stopped thread's registers, or NULL to expedite none
 * \param features  reasons GDB did not announce are left out
 */
void gdb_reply_stop(struct rsp_writer *writer, struct gdb_stop const *stop,
                    struct cpu_state const *state, struct gdb_peer_features features);

/** the state of a thread in words ("running", "breakpoint", "page fault", ...) */
char const *gdb_thread_state_text(struct run_control_thread const *thread)
    __attribute__((warn_unused_result));

/**
 * Write the thread list that qXfer:threads:read serves:
 * `<threads><thread id="hex" name="...">state</thread>...</threads>`, names
 * and text escaped for XML. The state as the element's text is the extra
 * information `info threads` shows, so GDB asks no qThreadExtraInfo.
 *
 * \param buffer  where it goes, NUL-terminated if it fits
 * \return        its length without the NUL (more than size - 1: it did not fit)
 */
size_t gdb_reply_threads_xml(char *buffer, size_t size,
                             struct run_control_thread const *threads, unsigned count)
    __attribute__((warn_unused_result));

/**
 * Write the reply to a qXfer read of `object` (`length` bytes): 'l' and the
 * rest if it fits the request and the packet, else 'm' and as much as fits
 * (escaped binary, never more than `request->length` bytes). An offset at
 * or past the end gives "l".
 */
void gdb_reply_xfer(struct rsp_writer *writer, char const *object, size_t length,
                    struct rsp_xfer_read const *request);

/**
 * Write the answer to qSupported: the packet size and the features the
 * server has.
 *
 * \param packet_size  the largest packet the server reads (its PacketSize)
 */
void gdb_reply_supported(struct rsp_writer *writer, size_t packet_size);

/** the features GDB announced in its qSupported (the ones the server cares about) */
struct gdb_peer_features gdb_peer_features_of(struct rsp_features features)
    __attribute__((warn_unused_result));

#endif /* _GDB_SERVER_REPLY_H_ */
