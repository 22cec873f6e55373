/* SPDX-License-Identifier: MIT */
/** \brief helpers of the RSP unit tests: framing by hand, recording reader events */

#ifndef _RSP_TEST_H_
#define _RSP_TEST_H_

#include <stdbool.h>
#include <stddef.h>

#include <rsp/packet.h>

enum { RECORD_EVENTS = 16, RECORD_PAYLOAD = 512 };

/** one event of a reader, with a copy of its payload */
struct recorded
{
	enum rsp_read_event event;
	char reply;
	size_t length;
	char payload[RECORD_PAYLOAD];
};

struct recording
{
	size_t count;
	struct recorded events[RECORD_EVENTS];
};

/**
 * Write `$payload#cs` to `dst` with a checksum computed here, independently
 * of the writer; returns its length (a NUL follows, not counted).
 */
size_t frame(char *dst, char const *payload);

/**
 * Feed `stream` to `reader` in chunks of `chunk` bytes, each chunk in a
 * heap block of its own size (so reading past it is an ASan error), and
 * record every event; checks the invariants of each read on the way.
 */
void record_reader(struct recording *out, struct rsp_reader *reader, char const *stream,
                   size_t length, size_t chunk);

/** record_reader() with a fresh reader of `capacity` payload bytes */
void record_stream(struct recording *out, char const *stream, size_t length, size_t chunk,
                   size_t capacity, bool acks);

/** the same, in two chunks cut at `cut` */
void record_stream_cut(struct recording *out, char const *stream, size_t length, size_t cut,
                       size_t capacity, bool acks);

/** check that two recordings are equal; `how` names the chunking in a failure */
void check_same_recording(struct recording const *a, struct recording const *b, size_t how);

#endif /* _RSP_TEST_H_ */
