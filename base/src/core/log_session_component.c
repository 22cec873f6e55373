/* SPDX-License-Identifier: MIT */
/** \brief core's LOG session: labeled, split, wrapped and escaped lines */

#include <stdbool.h>
#include <stdint.h>

#include <util/string.h>

#include "log_session_component.h"

RPC_SERVER(log_session, LOG_SESSION_RPC)
RPC_SERVER_OBJECT(log_session)

struct log_session_component
{
	struct rpc_object object;
	struct rpc_entrypoint *ep;
	struct allocator *alloc;
	log_session_sink_function sink;
	void *context;
	char label[LOG_SESSION_LABEL_MAX + 1];
};

/* ---- formatting -------------------------------------------------------------------- */

/* one byte as it is shown: itself, or \xNN; returns the characters written */
static size_t log_escape(unsigned char byte, char *out)
{
	static char const hex[] = "0123456789abcdef";
	if ((byte >= 0x20 && byte < 0x7f) || byte == '\t') {
		out[0] = (char)byte;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[byte >> 4];
	out[3] = hex[byte & 0xf];
	return LOG_SESSION_ESCAPE_WIDTH;
}

/* a line being built: the prefix, then up to LOG_SESSION_LINE_MAX characters of text */
struct log_line
{
	char buffer[LOG_SESSION_OUTPUT_MAX + 1];
	size_t prefix;
	size_t used;
	size_t lines;
	log_session_sink_function sink;
	void *context;
};

static void log_line_emit(struct log_line *line)
{
	line->buffer[line->used] = 0;
	line->sink(line->context, line->buffer, line->used);
	line->used = line->prefix;
	line->lines++;
}

size_t log_session_format(char const *label, char const *text, size_t length,
                          log_session_sink_function sink, void *context)
{
	struct log_line line;
	line.sink = sink;
	line.context = context;
	line.lines = 0;
	line.used = 0;
	line.buffer[line.used++] = '[';
	size_t label_length = string_length_bounded(label, LOG_SESSION_LABEL_MAX);
	for (size_t i = 0; i < label_length; i++)
		line.used += log_escape((unsigned char)label[i], line.buffer + line.used);
	line.buffer[line.used++] = ']';
	line.buffer[line.used++] = ' ';
	line.prefix = line.used;

	/* `open`: a line has begun that no newline has ended yet */
	bool open = false;
	for (size_t i = 0; i < length; i++) {
		unsigned char byte = (unsigned char)text[i];
		if (byte == '\n') {
			log_line_emit(&line);
			open = false;
			continue;
		}
		char shown[LOG_SESSION_ESCAPE_WIDTH];
		size_t width = log_escape(byte, shown);
		if (line.used - line.prefix + width > LOG_SESSION_LINE_MAX) log_line_emit(&line);
		memory_copy(line.buffer + line.used, shown, width);
		line.used += width;
		open = true;
	}
	if (open) log_line_emit(&line);
	return line.lines;
}

/* ---- RPC --------------------------------------------------------------------------- */

static enum log_session_result log_rpc_write(void *state, char const *text)
{
	struct log_session_component *log = state;
	log_session_format(log->label, text, string_length(text), log->sink, log->context);
	return LOG_SESSION_OK;
}

static struct log_session_ops const log_rpc_ops = { .write = log_rpc_write };

/* ---- core's interface -------------------------------------------------------------- */

struct log_session_component_create_ret
log_session_component_create(struct rpc_entrypoint *ep, struct allocator *alloc,
                             char const *label, log_session_sink_function sink, void *context)
{
	struct log_session_component_create_ret r = { LOG_SESSION_COMPONENT_OUT_OF_METADATA, 0,
		                                          CAP_INVALID(log_session) };
	struct allocator_alloc_ret a = allocator_alloc(alloc, sizeof(struct log_session_component));
	if (a.result != ALLOCATOR_OK) return r;

	struct log_session_component *log = a.ptr;
	*log = (struct log_session_component){
		.ep = ep, .alloc = alloc, .sink = sink, .context = context
	};
	size_t label_length = string_length_bounded(label, LOG_SESSION_LABEL_MAX);
	memory_copy(log->label, label, label_length);
	log->label[label_length] = 0;

	struct log_session_cap cap = log_session_manage(ep, &log->object, &log_rpc_ops, log);
	if (!cap_valid(cap.cap)) {
		rpc_entrypoint_dissolve(ep, &log->object);
		allocator_free(alloc, log, sizeof(*log));
		r.result = LOG_SESSION_COMPONENT_NO_RESOURCES;
		return r;
	}
	r.result = LOG_SESSION_COMPONENT_OK;
	r.log = log;
	r.cap = cap;
	return r;
}

void log_session_component_destroy(struct log_session_component *log)
{
	rpc_entrypoint_dissolve(log->ep, &log->object);
	allocator_free(log->alloc, log, sizeof(*log));
}

struct log_session_cap log_session_component_cap(struct log_session_component *log)
{
	return log_session_object_cap(&log->object);
}
