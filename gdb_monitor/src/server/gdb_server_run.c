/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB server's run control: the target's life (start, exit,
 *        kill, start again), stops and their replies, resumption (vCont,
 *        c, s), Ctrl-C, the arrival and the leaving of a GDB
 *
 * All-stop: when a stop is reported every thread is paused (run control
 * does that); GDB resumes with vCont and waits for the next stop reply,
 * which gdb_server_child_event sends when run control has one.
 */

#include <base/log.h>
#include <util/string.h>

#include "gdb_server_private.h"

/* the process id that thread ids belong to: the protocol's plain ids name none */
enum { GDB_SERVER_PROCESS = 1 };

/* ---- the target's life -------------------------------------------------------------- */

static char const *gdb_server_start_error(enum monitor_child_result r)
{
	switch (r) {
	case MONITOR_CHILD_OK:
		return "started";
	case MONITOR_CHILD_NO_RESOURCES:
		return "no capability for its virtual sessions";
	case MONITOR_CHILD_DENIED:
		return "the parent denied one of its sessions";
	case MONITOR_CHILD_OUT_OF_QUOTA:
		return "the monitor cannot pay its RAM quota";
	case MONITOR_CHILD_NO_BINARY:
		return "no ROM module of its binary";
	case MONITOR_CHILD_LOAD_FAILED:
		return "its binary could not be loaded";
	}
	return "unknown error";
}

void gdb_server_state_forget(struct gdb_server *server)
{
	server->state_valid = false;
	server->threads_valid = false;
}

bool gdb_server_target_start(struct gdb_server *server)
{
	struct gdb_server_args const *a = &server->args;
	struct monitor_child_args child = {
		.name = a->name,
		.binary = a->binary,
		.ram_quota = a->ram_quota,
		.mode = a->wait ? MONITOR_CHILD_STOPPED : MONITOR_CHILD_RUNNING,
		.handler = a->handler,
		.config = a->config,
		.config_length = a->config_length,
	};
	server->stop = (struct gdb_stop){ .kind = GDB_STOP_TERMINATED, .signal = GDB_SIGNAL_KILL };
	server->current = 0;
	server->attach = false;
	gdb_server_state_forget(server);
	enum monitor_child_result r = monitor_child_start(&server->child, a->env, a->ep, &child);
	if (r != MONITOR_CHILD_OK) {
		log_error("gdb server: target \"%s\" not started: %s", a->name,
		          gdb_server_start_error(r));
		server->run = 0;
		server->target = GDB_SERVER_TARGET_NONE;
		return false;
	}
	server->run = monitor_child_run(&server->child);
	server->target = a->wait ? GDB_SERVER_TARGET_STARTING : GDB_SERVER_TARGET_RUNNING;
	server->stats.starts++;
	log_info("gdb server: target \"%s\" started%s", a->name,
	         a->wait ? ", to stop at its first instruction" : "");
	return true;
}

/* the child is done: destroy it (its quota comes back) and keep what GDB is told */
static void gdb_server_target_end(struct gdb_server *server, struct gdb_stop stop)
{
	if (server->run) monitor_child_destroy(&server->child);
	server->run = 0;
	server->target = GDB_SERVER_TARGET_GONE;
	server->stop = stop;
	server->current = 0;
	server->attach = false;
	gdb_server_state_forget(server);
}

void gdb_server_target_kill(struct gdb_server *server, uint8_t signal)
{
	if (!server->run) return;
	gdb_server_target_end(server,
	                      (struct gdb_stop){ .kind = GDB_STOP_TERMINATED, .signal = signal });
	log_info("gdb server: target \"%s\" killed", server->args.name);
}

static void gdb_server_exited(struct gdb_server *server)
{
	int code = run_control_exit_code(server->run);
	struct gdb_stop stop = { .kind = GDB_STOP_EXITED, .exit_code = (uint8_t)code };
	if (code < 0)
		stop = (struct gdb_stop){ .kind = GDB_STOP_TERMINATED, .signal = GDB_SIGNAL_KILL };
	log_info("gdb server: target \"%s\" exited with %d", server->args.name, code);
	gdb_server_target_end(server, stop);
}

static void gdb_server_stopped(struct gdb_server *server, struct run_control_stop const *stop)
{
	server->target = GDB_SERVER_TARGET_STOPPED;
	server->stop = gdb_stop_of(stop, server->attach);
	server->attach = false;
	server->current = stop->thread;
	server->thread_g = 0; /* GDB takes the stopped thread as its general one now */
	gdb_server_state_forget(server);
}

/* what run control answered a poll or an interrupt with; false: the threads run on */
static bool gdb_server_take_stop(struct gdb_server *server, enum run_control_result r,
                                 struct run_control_stop const *stop)
{
	switch (r) {
	case RUN_CONTROL_OK:
		gdb_server_stopped(server, stop);
		return true;
	case RUN_CONTROL_EXITED:
		gdb_server_exited(server);
		return true;
	default:
		return false;
	}
}

/* a stop or the exit from run control; false: the threads run on */
static bool gdb_server_poll(struct gdb_server *server)
{
	struct run_control_stop stop;
	return gdb_server_take_stop(server, run_control_poll(server->run, &stop), &stop);
}

/* pause every thread for a report (Ctrl-C, GDB's arrival); false: nothing runs yet */
static bool gdb_server_pause(struct gdb_server *server)
{
	struct run_control_stop stop;
	return gdb_server_take_stop(server, run_control_interrupt(server->run, &stop), &stop);
}

/* ---- stop replies ------------------------------------------------------------------- */

enum run_control_result gdb_server_state(struct gdb_server *server, uint64_t thread,
                                         struct cpu_state const **state)
{
	if (!server->run) return RUN_CONTROL_EXITED;
	if (!server->state_valid || server->state_thread != thread) {
		server->state_valid = false;
		enum run_control_result r =
		    run_control_thread_state(server->run, thread, &server->state);
		if (r != RUN_CONTROL_OK) return r;
		server->state_valid = true;
		server->state_thread = thread;
	}
	*state = &server->state;
	return RUN_CONTROL_OK;
}

/*
 * The cache takes what was written: core keeps what it is given (the
 * read-only fields and the debug registers are not GDB's to write).
 */
enum run_control_result gdb_server_state_write(struct gdb_server *server, uint64_t thread,
                                               struct cpu_state const *state)
{
	if (!server->run) return RUN_CONTROL_EXITED;
	enum run_control_result r = run_control_thread_set_state(server->run, thread, state);
	if (r != RUN_CONTROL_OK) {
		server->state_valid = false;
		return r;
	}
	if (state != &server->state) server->state = *state;
	server->state_valid = true;
	server->state_thread = thread;
	return RUN_CONTROL_OK;
}

/* the reply to what GDB waited for: the last stop, with the thread's registers */
static enum gdb_reply gdb_server_stop_write(struct gdb_server *server)
{
	struct cpu_state const *state = 0;
	if (server->target == GDB_SERVER_TARGET_NONE) {
		/* no child at all: nothing GDB could debug */
		return gdb_server_reply_text(server, "X09");
	}
	if (server->stop.kind == GDB_STOP_SIGNAL &&
	    gdb_server_state(server, server->stop.thread, &state) != RUN_CONTROL_OK)
		state = 0;
	server->waiting = false;
	server->stats.stops++;
	gdb_reply_stop(&server->writer, &server->stop, state, server->peer);
	return GDB_REPLY_SEND;
}

/* a stop reply outside the handling of a packet */
static void gdb_server_report(struct gdb_server *server)
{
	if (!server->connected || !server->waiting) return;
	gdb_server_reply_start(server);
	if (gdb_server_stop_write(server) == GDB_REPLY_SEND) gdb_server_reply_send(server);
}

/*
 * GDB waits for a stop that `take` (a poll or a pause) gives: the reply now,
 * or none yet (the next signal of the child tells)
 */
static enum gdb_reply gdb_server_answer(struct gdb_server *server,
                                        bool (*take)(struct gdb_server *))
{
	server->waiting = true;
	return take(server) ? gdb_server_stop_write(server) : GDB_REPLY_NONE;
}

static bool gdb_server_target_runs(struct gdb_server const *server)
{
	return server->target == GDB_SERVER_TARGET_STARTING ||
	       server->target == GDB_SERVER_TARGET_RUNNING;
}

void gdb_server_child_event(struct gdb_server *server)
{
	/* while stopped: a thread ended, or one the all-stop could not pause stopped */
	if (server->target == GDB_SERVER_TARGET_STOPPED) {
		run_control_signalled(server->run);
		server->threads_valid = false;
		return;
	}
	/* a stop waits in run control until the transport takes output again */
	if (gdb_server_output_pending(server) || !gdb_server_target_runs(server)) return;
	bool done = gdb_server_poll(server);
	if (!done && server->attach && server->waiting) done = gdb_server_pause(server);
	if (done) gdb_server_report(server);
}

enum gdb_reply gdb_server_status(struct gdb_server *server)
{
	switch ((enum gdb_server_target)server->target) {
	case GDB_SERVER_TARGET_NONE:
	case GDB_SERVER_TARGET_GONE:
	case GDB_SERVER_TARGET_STOPPED:
		return gdb_server_stop_write(server);
	case GDB_SERVER_TARGET_STARTING:
		/* the initial stop comes by itself: the reply waits for it */
		return gdb_server_answer(server, gdb_server_poll);
	case GDB_SERVER_TARGET_RUNNING:
		/* GDB arrives at a running child: stop it (its main thread runs from its start on) */
		server->attach = true;
		return gdb_server_answer(server, gdb_server_pause);
	}
	return gdb_server_reply_text(server, GDB_ERROR_STATE);
}

/*
 * A Ctrl-C while stopped is queued, as the remote protocol says, and answers
 * the next resumption with SIGINT, nothing resumed (as a SIGINT pending in a
 * Linux process would be reported at once). GDB sends one as soon as the user
 * types it after `continue`, also while it still inserts its breakpoints,
 * before its vCont: discarded, it would leave the target running. Before the
 * initial stop a Ctrl-C means nothing.
 */
void gdb_server_interrupt(struct gdb_server *server)
{
	if (server->target == GDB_SERVER_TARGET_STOPPED && !server->waiting) {
		server->interrupt_queued = true;
		return;
	}
	if (!server->waiting || server->target != GDB_SERVER_TARGET_RUNNING) return;
	if (gdb_server_pause(server)) gdb_server_report(server);
}

/* ---- resumption --------------------------------------------------------------------- */

static struct rsp_vcont_action const *gdb_server_action(struct gdb_server *server, size_t count,
                                                        uint64_t thread)
{
	size_t i =
	    rsp_vcont_action_find(server->actions, count, GDB_SERVER_PROCESS, (int64_t)thread);
	return i < count ? &server->actions[i] : 0;
}

/* a stop was pending: nothing was resumed, and that stop is the answer */
static enum gdb_reply gdb_server_pending(struct gdb_server *server)
{
	server->target = GDB_SERVER_TARGET_RUNNING; /* for the poll: some threads may run */
	return gdb_server_answer(server, gdb_server_poll);
}

static void gdb_server_resume_failed(struct gdb_server *server, uint64_t thread,
                                     enum run_control_result r)
{
	log_warning("gdb server: thread %lu of \"%s\" not resumed (%d)", (unsigned long)thread,
	            server->args.name, (int)r);
}

/* the target runs: the reply is its next stop */
static enum gdb_reply gdb_server_resumed(struct gdb_server *server)
{
	gdb_server_state_forget(server);
	server->target = GDB_SERVER_TARGET_RUNNING;
	server->waiting = true;
	return GDB_REPLY_NONE;
}

/* resume each of the first `threads` threads whose action is `kind`, one by one; false
 * if one had a stop pending (the others of `kind` are not resumed then) */
static bool gdb_server_resume_each(struct gdb_server *server, enum rsp_resume_kind const *kinds,
                                   unsigned threads, enum rsp_resume_kind kind)
{
	for (unsigned i = 0; i < threads; i++) {
		if (kinds[i] != kind) continue;
		uint64_t id = server->threads[i].id;
		enum run_control_result r =
		    run_control_thread_resume(server->run, id, kind == RSP_RESUME_STEP);
		if (r == RUN_CONTROL_STOP_PENDING) return false;
		if (r != RUN_CONTROL_OK) gdb_server_resume_failed(server, id, r);
	}
	return true;
}

/* apply the `count` actions of server->actions to the threads of a stopped target */
static enum gdb_reply gdb_server_go(struct gdb_server *server, size_t count)
{
	if (server->target != GDB_SERVER_TARGET_STOPPED) {
		if (server->target == GDB_SERVER_TARGET_GONE ||
		    server->target == GDB_SERVER_TARGET_NONE)
			return gdb_server_stop_write(server); /* W or X again */
		return gdb_server_reply_text(server, GDB_ERROR_STATE);
	}
	if (server->interrupt_queued) {
		/* a Ctrl-C came before this resumption (gdb_server_interrupt): its answer */
		server->interrupt_queued = false;
		server->target = GDB_SERVER_TARGET_RUNNING; /* for the pause: nothing runs */
		return gdb_server_answer(server, gdb_server_pause);
	}
	unsigned threads = gdb_server_threads_collect(server);

	/*
	 * A fault's own signal passed on (GDB's default for SIGSEGV and friends
	 * is to pass it): there are no signal handlers here, so the target ends
	 * by it, as a process without a handler would.
	 */
	struct rsp_vcont_action const *a = gdb_server_action(server, count, server->stop.thread);
	if (server->stop.fault && a && a->signal_given && a->signal == server->stop.signal) {
		log_info("gdb server: signal %u passed to \"%s\": it ends by it", (unsigned)a->signal,
		         server->args.name);
		gdb_server_target_kill(server, a->signal);
		return gdb_server_stop_write(server);
	}

	/*
	 * Each thread's action, looked up once (none: it stays stopped). A thread
	 * to be resumed that has a stop not reported yet: nothing runs, that stop
	 * is the answer. Pending stops of threads left stopped stay held: GDB
	 * steps one thread over a breakpoint and expects its stop only.
	 */
	enum rsp_resume_kind kinds[VIRTUAL_CPU_THREADS_MAX] = { 0 }; /* each one used is set */
	uint64_t stepping = 0;
	unsigned steps = 0, continues = 0;
	run_control_step_range(server->run, 0, 0, 0);
	for (unsigned i = 0; i < threads; i++) {
		uint64_t id = server->threads[i].id;
		a = gdb_server_action(server, count, id);
		kinds[i] = a ? a->kind : RSP_RESUME_STOP;
		/* a range step is a step that run control repeats while the ip stays in the range */
		if (kinds[i] == RSP_RESUME_RANGE) {
			kinds[i] = RSP_RESUME_STEP;
			run_control_step_range(server->run, id, a->start, a->end);
		}
		if (kinds[i] != RSP_RESUME_STOP && run_control_thread_pending(server->run, id))
			return gdb_server_pending(server);
		if (kinds[i] == RSP_RESUME_STEP) steps++, stepping = id;
		if (kinds[i] == RSP_RESUME_CONTINUE) continues++;
	}

	/* "step one, continue the rest" (GDB's step, next and stepi): one call to core */
	if (steps == 1 && steps + continues == threads) {
		enum run_control_result r = run_control_resume_all_stepping(server->run, stepping);
		if (r == RUN_CONTROL_STOP_PENDING) return gdb_server_pending(server);
		if (r != RUN_CONTROL_OK) gdb_server_resume_failed(server, stepping, r);
		return gdb_server_resumed(server);
	}

	/* else steps first, then a resume of the others: of all at once if none stays */
	if (!gdb_server_resume_each(server, kinds, threads, RSP_RESUME_STEP))
		return gdb_server_pending(server);
	if (steps + continues == threads) {
		if (run_control_resume_all(server->run) == RUN_CONTROL_STOP_PENDING)
			return gdb_server_pending(server);
	} else if (!gdb_server_resume_each(server, kinds, threads, RSP_RESUME_CONTINUE)) {
		return gdb_server_pending(server);
	}
	return gdb_server_resumed(server);
}

enum gdb_reply gdb_server_vcont(struct gdb_server *server, char const *payload, size_t length)
{
	size_t count = 0;
	enum rsp_parse r =
	    rsp_parse_vcont(payload, length, server->actions, GDB_SERVER_VCONT_ACTIONS, &count);
	if (r != RSP_PARSE_OK) return gdb_server_parse_error(server, r);
	return gdb_server_go(server, count);
}

/* c, s, C, S: the thread of Hc (or the current one) steps, or every thread continues */
enum gdb_reply gdb_server_resume(struct gdb_server *server, char const *payload, size_t length)
{
	struct rsp_resume resume;
	enum rsp_parse r = rsp_parse_resume(payload, length, &resume);
	if (r != RSP_PARSE_OK) return gdb_server_parse_error(server, r);
	uint64_t thread = gdb_server_thread_resolve(server, server->thread_c);
	if (resume.address_given && server->target == GDB_SERVER_TARGET_STOPPED) {
		struct cpu_state const *state;
		if (gdb_server_state(server, thread, &state) != RUN_CONTROL_OK)
			return gdb_server_reply_text(server, GDB_ERROR_THREAD);
		struct cpu_state moved = *state;
		moved.rip = resume.address;
		if (gdb_server_state_write(server, thread, &moved) != RUN_CONTROL_OK)
			return gdb_server_reply_text(server, GDB_ERROR_REFUSED);
	}
	bool step = resume.kind == RSP_RESUME_STEP;
	struct rsp_thread_id id = { .thread = (int64_t)thread };
	server->actions[0] = (struct rsp_vcont_action){
		.kind = resume.kind,
		.signal_given = resume.signal_given,
		.signal = resume.signal,
		.thread_given = step,
		.thread = id,
	};
	return gdb_server_go(server, 1);
}

/* ---- leaving ------------------------------------------------------------------------ */

static void gdb_server_release(struct gdb_server *server)
{
	if (!server->run || server->target == GDB_SERVER_TARGET_GONE) return;
	run_control_detach(server->run);
	gdb_server_state_forget(server);
	if (server->target == GDB_SERVER_TARGET_STOPPED) server->target = GDB_SERVER_TARGET_RUNNING;
}

enum gdb_reply gdb_server_detach(struct gdb_server *server, char const *payload, size_t length)
{
	struct rsp_process process;
	enum rsp_parse r = rsp_parse_detach(payload, length, &process);
	if (r != RSP_PARSE_OK) return gdb_server_reply_text(server, GDB_ERROR_PACKET);
	gdb_server_release(server);
	server->detached = true;
	server->waiting = server->interrupt_queued = false;
	log_info("gdb server: GDB detached, \"%s\" runs on", server->args.name);
	return gdb_server_reply_text(server, "OK");
}

/* k (no reply) and vKill;pid (OK): the target is killed; `?` says X09 until it starts again */
enum gdb_reply gdb_server_kill(struct gdb_server *server, char const *payload, size_t length)
{
	bool plain = length == 1;
	if (!plain) {
		struct rsp_process process;
		if (rsp_parse_kill(payload, length, &process) != RSP_PARSE_OK)
			return gdb_server_reply_text(server, GDB_ERROR_PACKET);
	}
	gdb_server_target_kill(server, GDB_SIGNAL_KILL);
	server->detached = true;
	server->waiting = server->interrupt_queued = false;
	return plain ? GDB_REPLY_NONE : gdb_server_reply_text(server, "OK");
}

void gdb_server_run_disconnect(struct gdb_server *server)
{
	if (!server->detached && server->target != GDB_SERVER_TARGET_STARTING) {
		if (server->run)
			log_info("gdb server: GDB left without detaching: its breakpoints are removed, "
			         "\"%s\" runs on",
			         server->args.name);
		gdb_server_release(server);
	}
	server->waiting = false;
	server->attach = false;
	server->interrupt_queued = false;
	if (server->target == GDB_SERVER_TARGET_GONE || server->target == GDB_SERVER_TARGET_NONE)
		(void)gdb_server_target_start(server); /* logged if not */
}
