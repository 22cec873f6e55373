/* SPDX-License-Identifier: MIT */
/**
 * \brief argument parsers of GDB remote protocol packets
 *
 * Pure functions: each takes a whole decoded payload (as rsp_reader_feed()
 * delivers it, command letters included), checks all of it and fills in a
 * result struct only if it returns RSP_PARSE_OK. They read exactly `length`
 * bytes (no NUL needed), never write outside their outputs, and reject
 * numbers that do not fit their field instead of wrapping: a hostile or
 * broken peer gets a result, never undefined behaviour. Pointers in the
 * outputs point into the payload (or into a buffer the caller gave) and live
 * as long as it does.
 *
 * Numbers are hex, as everywhere in the protocol; leading zeros are
 * accepted in any number. Nothing may follow the last argument.
 */

#ifndef _RSP_PARSE_H_
#define _RSP_PARSE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rsp/thread_id.h>

/** result of every rsp_parse_*() */
enum rsp_parse {
	RSP_PARSE_OK = 0,      /**< well-formed; the output is filled in */
	RSP_PARSE_MALFORMED,   /**< not this packet's syntax (a missing or stray char, a
	                            missing number, bad hex data, a data length that does
	                            not match): reply with an error (E..) */
	RSP_PARSE_RANGE,       /**< well-formed, but a value does not fit: a number wider
	                            than its field, a memory range past 2^64, more vCont
	                            actions than the caller's array, a monitor command
	                            longer than its buffer: reply with an error */
	RSP_PARSE_UNSUPPORTED, /**< well-formed, but a kind this layer does not know (see
	                            each parser): reply empty, as for an unknown packet */
};

/** a part of a payload, not NUL-terminated */
struct rsp_span
{
	char const *data;
	size_t length;
};

/** whether `span` holds exactly the NUL-terminated `text` */
bool rsp_span_equal(struct rsp_span span, char const *text) __attribute__((warn_unused_result));

/**
 * Parse a thread id on its own (see rsp/thread_id.h): "-1", "0", hex, or
 * "p<pid>", "p<pid>.<tid>" with each part one of those. A part above
 * INT64_MAX gives RSP_PARSE_RANGE; a negative part other than -1
 * RSP_PARSE_MALFORMED.
 */
enum rsp_parse rsp_parse_thread_id(char const *text, size_t length, struct rsp_thread_id *out)
    __attribute__((warn_unused_result));

/** `m addr,length` and `x addr,length` */
struct rsp_memory_read
{
	bool binary; /* `x`: reply with binary data */
	uint64_t address;
	uint64_t length; /* may be more than a reply holds: reply with fewer */
};

/**
 * Parse a memory read. A range whose last byte lies past 2^64 - 1 gives
 * RSP_PARSE_RANGE; a length of 0 is well-formed.
 */
enum rsp_parse rsp_parse_memory_read(char const *payload, size_t length,
                                     struct rsp_memory_read *out)
    __attribute__((warn_unused_result));

/** `M addr,length:hex` and `X addr,length:binary` */
struct rsp_memory_write
{
	bool binary; /* `X`: `data` is the bytes themselves, else their hex digits */
	uint64_t address;
	uint64_t length;    /* bytes to write */
	char const *data;   /* in the payload: `length` bytes (X) or 2 * `length`
	                       checked hex digits (M, decode with rsp_hex_decode()) */
	size_t data_length; /* chars of `data` */
};

/**
 * Parse a memory write. The data must have exactly the length announced
 * (else RSP_PARSE_MALFORMED); `M` data must be hex digits. `X addr,0:` (a
 * probe for X support) is well-formed. The range is checked as for reads.
 * X's binary data is already unescaped by the reader.
 */
enum rsp_parse rsp_parse_memory_write(char const *payload, size_t length,
                                      struct rsp_memory_write *out)
    __attribute__((warn_unused_result));

/** the types of `Z`/`z` */
enum rsp_breakpoint_type {
	RSP_BREAKPOINT_SOFTWARE = 0,
	RSP_BREAKPOINT_HARDWARE = 1,
	RSP_WATCHPOINT_WRITE = 2,
	RSP_WATCHPOINT_READ = 3,
	RSP_WATCHPOINT_ACCESS = 4,
};

/** `Z type,addr,kind` and `z type,addr,kind` */
struct rsp_breakpoint
{
	bool insert; /* `Z`, else `z` (remove) */
	enum rsp_breakpoint_type type;
	uint64_t address;
	uint64_t kind; /* breakpoint: the instruction size; watchpoint: bytes watched */
};

/**
 * Parse a breakpoint packet. A type above 4, and the target-side
 * conditions and commands after a ';' (which GDB sends only to a stub that
 * announced ConditionalBreakpoints or BreakpointCommands), give
 * RSP_PARSE_UNSUPPORTED.
 */
enum rsp_parse rsp_parse_breakpoint(char const *payload, size_t length,
                                    struct rsp_breakpoint *out)
    __attribute__((warn_unused_result));

/** `p n` */
enum rsp_parse rsp_parse_register_read(char const *payload, size_t length, uint32_t *number)
    __attribute__((warn_unused_result));

/** `P n=hex` */
struct rsp_register_write
{
	uint32_t number;
	char const *value;   /* hex digits in the payload, checked, an even count >= 2 */
	size_t value_length; /* chars of `value`; the register's size is for the caller */
};

/** Parse a register write; the value must be hex digits, an even count of them. */
enum rsp_parse rsp_parse_register_write(char const *payload, size_t length,
                                        struct rsp_register_write *out)
    __attribute__((warn_unused_result));

/** `Hg<thread>` and `Hc<thread>` */
struct rsp_thread_select
{
	char operation; /* 'g' (registers, memory) or 'c' (resumption) */
	struct rsp_thread_id thread;
};

/**
 * Parse `H`. An operation letter other than g and c gives
 * RSP_PARSE_UNSUPPORTED, a char that is not a letter RSP_PARSE_MALFORMED.
 */
enum rsp_parse rsp_parse_thread_select(char const *payload, size_t length,
                                       struct rsp_thread_select *out)
    __attribute__((warn_unused_result));

/** Parse `T<thread>` (is the thread alive). */
enum rsp_parse rsp_parse_thread_alive(char const *payload, size_t length,
                                      struct rsp_thread_id *out)
    __attribute__((warn_unused_result));

/** Parse `qThreadExtraInfo,<thread>`. */
enum rsp_parse rsp_parse_thread_extra_info(char const *payload, size_t length,
                                           struct rsp_thread_id *out)
    __attribute__((warn_unused_result));

/** what a resumption does to a thread */
enum rsp_resume_kind {
	RSP_RESUME_CONTINUE, /* c, C sig */
	RSP_RESUME_STEP,     /* s, S sig */
	RSP_RESUME_STOP,     /* t (vCont only) */
	RSP_RESUME_RANGE,    /* r start,end (vCont only): step while the ip stays in the range */
};

/** one action of `vCont` */
struct rsp_vcont_action
{
	enum rsp_resume_kind kind;
	bool signal_given; /* C or S: deliver `signal` on resumption */
	uint8_t signal;
	bool thread_given; /* else the default action, for every thread without its own */
	struct rsp_thread_id thread;
	uint64_t start, end; /* RSP_RESUME_RANGE: the range [start, end) */
};

/**
 * Parse `vCont;action[:thread];...` with the actions c, s, t, `C sig`,
 * `S sig` and `r start,end` (range stepping, in hex), in the order given.
 * For a thread, the leftmost action that matches it applies
 * (rsp_vcont_action_find()). `vCont?` is not this parser's: compare it as a
 * whole.
 *
 * \param actions   the caller's array for the actions
 * \param capacity  its entries; more actions give RSP_PARSE_RANGE
 * \param count     out: the actions parsed
 * \return          RSP_PARSE_UNSUPPORTED for another action letter of the
 *                  protocol, RSP_PARSE_MALFORMED for a range whose end lies
 *                  before its start
 */
enum rsp_parse rsp_parse_vcont(char const *payload, size_t length,
                               struct rsp_vcont_action *actions, size_t capacity, size_t *count)
    __attribute__((warn_unused_result));

/**
 * The index of the leftmost action that applies to thread `thread` of
 * process `process` (both real ids, > 0): an action without a thread, or
 * whose thread id names it or holds -1 or 0 in place of a part.
 *
 * \return  the index, or `count` if no action applies (the thread stays
 *          stopped)
 */
size_t rsp_vcont_action_find(struct rsp_vcont_action const *actions, size_t count,
                             int64_t process, int64_t thread)
    __attribute__((warn_unused_result));

/** the old resumption packets `c [addr]`, `s [addr]`, `C sig[;addr]`, `S sig[;addr]` */
struct rsp_resume
{
	enum rsp_resume_kind kind; /* RSP_RESUME_CONTINUE or RSP_RESUME_STEP */
	bool signal_given;
	uint8_t signal;
	bool address_given; /* resume at `address` instead of the current pc */
	uint64_t address;
};

/** Parse `c`, `s`, `C` or `S`. */
enum rsp_parse rsp_parse_resume(char const *payload, size_t length, struct rsp_resume *out)
    __attribute__((warn_unused_result));

/** `D` and `D;pid` (detach), `vKill;pid` */
struct rsp_process
{
	bool process_given; /* `D` alone names no process */
	uint64_t process;
};

/** Parse `D` or `D;pid`. */
enum rsp_parse rsp_parse_detach(char const *payload, size_t length, struct rsp_process *out)
    __attribute__((warn_unused_result));

/** Parse `vKill;pid` (the process is always given). */
enum rsp_parse rsp_parse_kill(char const *payload, size_t length, struct rsp_process *out)
    __attribute__((warn_unused_result));

/** `qXfer:object:read:annex:offset,length` */
struct rsp_xfer_read
{
	struct rsp_span object; /* e.g. "features", "threads", "memory-map"; not empty */
	struct rsp_span annex;  /* e.g. "target.xml"; may be empty */
	uint64_t offset;
	uint64_t length;
};

/** Parse `qXfer`; an operation other than `read` gives RSP_PARSE_UNSUPPORTED. */
enum rsp_parse rsp_parse_xfer_read(char const *payload, size_t length,
                                   struct rsp_xfer_read *out)
    __attribute__((warn_unused_result));

/**
 * Parse `qRcmd,hex` (GDB's `monitor ...`): decode the command's text into
 * the caller's buffer, followed by a NUL. An empty command is well-formed.
 *
 * \param command         the caller's buffer
 * \param size            its bytes, at least 1; a command of size bytes or
 *                        more gives RSP_PARSE_RANGE
 * \param command_length  out: chars of the command without the NUL (it may
 *                        contain NULs of its own)
 */
enum rsp_parse rsp_parse_monitor_command(char const *payload, size_t length, char *command,
                                         size_t size, size_t *command_length)
    __attribute__((warn_unused_result));

/** the form of a feature in `qSupported` */
enum rsp_feature_kind {
	RSP_FEATURE_SUPPORTED,   /* "name+" */
	RSP_FEATURE_UNSUPPORTED, /* "name-" */
	RSP_FEATURE_QUERY,       /* "name?" */
	RSP_FEATURE_VALUE,       /* "name=value" */
	RSP_FEATURE_BARE,        /* "name", a form the protocol does not define: ignore it */
};

/** one feature of `qSupported` */
struct rsp_feature
{
	struct rsp_span name; /* not empty */
	enum rsp_feature_kind kind;
	struct rsp_span value; /* RSP_FEATURE_VALUE: the text after '=' (may be empty) */
};

/** the features of a `qSupported`, walked with rsp_features_next() */
struct rsp_features
{
	char const *next; /* private */
	char const *end;
};

/**
 * Parse `qSupported` or `qSupported:feature;feature;...`. Only the packet's
 * name can be malformed: the protocol asks a stub to ignore features it
 * does not understand, so odd features are walked as they are (empty ones
 * skipped).
 */
enum rsp_parse rsp_parse_supported(char const *payload, size_t length, struct rsp_features *out)
    __attribute__((warn_unused_result));

/**
 * The next feature.
 *
 * \return  false when there are no more (then `out` is unchanged)
 */
bool rsp_features_next(struct rsp_features *features, struct rsp_feature *out)
    __attribute__((warn_unused_result));

#endif /* _RSP_PARSE_H_ */
