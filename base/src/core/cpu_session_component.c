/* SPDX-License-Identifier: MIT */
/** \brief core's CPU session: threads, their names, run control and exceptions */

#include <base/log.h>
#include <base/panic.h>
#include <util/string.h>

#include "cpu_session_component.h"
#include "pd_session_component.h"
#include "rm_session_component.h"

RPC_SERVER(cpu_thread, CPU_THREAD_RPC)
RPC_SERVER_OBJECT(cpu_thread)
RPC_SERVER(cpu_session, CPU_SESSION_RPC)
RPC_SERVER_OBJECT(cpu_session)

/* ---- cpu_thread objects ---------------------------------------------------------- */

/* what a thread's info and status say of it: an ended thread is stopped for good */
static uint32_t core_thread_exception(struct core_thread const *t)
{
	return t->exited ? CPU_EXCEPTION_EXITED : t->exception;
}

static bool core_thread_stopped(struct core_thread const *t) { return t->stopped || t->exited; }

static void core_thread_info_fill(struct core_thread const *t, struct cpu_thread_info *info)
{
	string_copy(info->name, t->name, sizeof(info->name));
	info->id = t->id;
	info->exception = core_thread_exception(t);
	info->stopped = core_thread_stopped(t);
}

static struct cpu_thread_info_result cpu_thread_info_impl(void *state)
{
	struct cpu_thread_info_result r = { CPU_OK, { { 0 }, 0, 0, 0 } };
	core_thread_info_fill(state, &r.info);
	return r;
}

static struct cpu_thread_ops const cpu_thread_ops = { cpu_thread_info_impl };

struct core_thread *core_thread_lookup(struct core *core, struct cpu_thread_cap cap)
{
	struct rpc_object *object = rpc_entrypoint_lookup(&core->ep, cap.cap);
	if (!object || object->dispatch != cpu_thread_dispatch) return 0;
	return object->state;
}

/*
 * A thread of this session, or NULL. Consumes the capability: an IN_CAP
 * argument is the server's reference (rpc.h), and core keeps none of these.
 */
static struct core_thread *cpu_session_own_thread(struct cpu_session_component *s,
                                                  struct cpu_thread_cap cap)
{
	struct core_thread *t = core_thread_lookup(s->core, cap);
	cap_close(cap.cap);
	return t && t->session == s ? t : 0;
}

static void core_thread_free(struct core_thread *t)
{
	struct cpu_session_component *s = t->session;
	if (t->tid && !t->exited) platform_thread_kill(t);
	if (t->pd) pd_session_component_remove_thread(t->pd, t);
	rpc_entrypoint_dissolve(&s->core->ep, &t->object);
	if (list_remove(&s->threads, &t->session_element) != LIST_REMOVE_OK)
		panic("cpu: thread '%s' not in its session", t->name);
	s->thread_count--;
	s->used -= sizeof(*t);
	cap_close(t->handler.cap);
	allocator_free(s->core->md_alloc, t, sizeof(*t));
}

void core_thread_stop(struct core_thread *t, uint32_t exception, uint64_t ip,
                      uint64_t fault_address, uint64_t dr6)
{
	t->stopped = true;
	t->exception = exception;
	t->ip = ip;
	t->fault_address = fault_address;
	t->dr6 = dr6;
}

bool core_thread_signal(struct core_thread *t)
{
	struct signal_context_cap handler =
	    cap_valid(t->handler.cap) ? t->handler : t->session->handler;
	if (!cap_valid(handler.cap)) return false;
	return signal_submit(handler, 1) == SIGNAL_SUBMIT_OK;
}

void core_thread_exited(struct core_thread *t)
{
	t->exited = true;
	t->stopped = false;
	t->exception = CPU_EXCEPTION_EXITED;
	t->ip = 0;
}

void core_thread_stop_over(struct core_thread *t)
{
	t->stopped = false;
	t->exception = CPU_EXCEPTION_NONE;
	t->ip = 0;
	t->fault_address = 0;
	t->dr6 = 0;
}

/* ---- the session ----------------------------------------------------------------- */

static enum cpu_session_result cpu_create_thread_impl(void *state, struct pd_session_cap pd_cap,
                                                      char const *name,
                                                      struct cpu_thread_cap *thread)
{
	struct cpu_session_component *s = state;
	struct pd_session_component *pd = pd_session_component_lookup(s->core, pd_cap);
	cap_close(pd_cap.cap);
	if (!pd || !name[0]) return CPU_INVALID_ARGUMENT;
	if (s->used + sizeof(struct core_thread) > s->quota) return CPU_OUT_OF_METADATA;

	struct allocator_alloc_ret a =
	    allocator_alloc(s->core->md_alloc, sizeof(struct core_thread));
	if (a.result != ALLOCATOR_OK) return CPU_OUT_OF_METADATA;
	struct core_thread *t = a.ptr;
	memory_set(t, 0, sizeof(*t));
	t->session = s;
	t->handler = CAP_INVALID(signal_context);
	t->id = ++s->next_id;
	string_copy(t->name, name, sizeof(t->name));
	*thread = cpu_thread_manage(&s->core->ep, &t->object, &cpu_thread_ops, t);
	if (!cap_valid(thread->cap)) {
		rpc_entrypoint_dissolve(&s->core->ep, &t->object);
		allocator_free(s->core->md_alloc, t, sizeof(*t));
		return CPU_NO_RESOURCES;
	}
	list_insert(&s->threads, &t->session_element);
	s->thread_count++;
	s->used += sizeof(*t);
	pd_session_component_add_thread(pd, t);
	return CPU_OK;
}

static enum cpu_session_result cpu_kill_thread_impl(void *state, struct cpu_thread_cap cap)
{
	struct cpu_session_component *s = state;
	/* a thread that ended by itself (e.g. before a join) must be known as ended first */
	core_tracer_events(s->core);
	struct core_thread *t = cpu_session_own_thread(s, cap);
	if (!t) return CPU_INVALID_ARGUMENT;
	core_thread_free(t);
	return CPU_OK;
}

static enum cpu_session_result cpu_start_impl(void *state, struct cpu_thread_cap cap,
                                              uint64_t ip, uint64_t sp)
{
	struct core_thread *t = cpu_session_own_thread(state, cap);
	if (!t || !t->pd) return CPU_INVALID_ARGUMENT;
	if (t->tid) return CPU_ALREADY_STARTED;
	return (enum cpu_session_result)pd_session_component_start(t->pd, t, ip, sp);
}

/* the thread, if it is one of the session's and runs (or ran) */
static enum cpu_session_result cpu_session_live_thread(struct cpu_session_component *s,
                                                       struct cpu_thread_cap cap,
                                                       struct core_thread **thread)
{
	/*
	 * The tracer's events may not be taken in yet: take them now, so that
	 * core's record of the thread is the tracer's before anything acts on it
	 */
	core_tracer_events(s->core);
	struct core_thread *t = cpu_session_own_thread(s, cap);
	if (!t) return CPU_INVALID_ARGUMENT;
	if (t->exited) return CPU_EXITED;
	if (!t->tid) return CPU_NOT_STARTED;
	*thread = t;
	return CPU_OK;
}

/* a thread stopped by a pause (an exception the pause met comes as its event after) */
static void core_thread_paused(struct core_thread *t)
{
	t->stopped = true;
	t->exception = CPU_EXCEPTION_PAUSED;
	t->ip = 0;
}

static enum cpu_session_result cpu_pause_impl(void *state, struct cpu_thread_cap cap)
{
	struct core_thread *t = 0;
	enum cpu_session_result r = cpu_session_live_thread(state, cap, &t);
	if (r != CPU_OK) return r;
	if (t->stopped) return CPU_OK;
	r = platform_thread_pause(t);
	if (r == CPU_OK) {
		core_thread_paused(t);
		/* the stop the pause met may be an exception: its event is queued by now */
		core_tracer_events(t->session->core);
	}
	return r;
}

/* a thread runs again: its stop is over */
static void core_thread_resumed(struct core_thread *t)
{
	if (t->exception == CPU_EXCEPTION_PAGE_FAULT && t->pd && t->pd->address_space)
		rm_session_component_fault_clear(t->pd->address_space, (uint64_t)t->tid);
	core_thread_stop_over(t);
}

static enum cpu_session_result cpu_resume_impl(void *state, struct cpu_thread_cap cap)
{
	struct core_thread *t = 0;
	enum cpu_session_result r = cpu_session_live_thread(state, cap, &t);
	if (r != CPU_OK) return r;
	if (!t->stopped) return CPU_OK;
	r = platform_thread_resume(t);
	if (r == CPU_OK) core_thread_resumed(t);
	return r;
}

static enum cpu_session_result cpu_single_step_impl(void *state, struct cpu_thread_cap cap,
                                                    bool enable)
{
	struct core_thread *t = cpu_session_own_thread(state, cap);
	if (!t) return CPU_INVALID_ARGUMENT;
	t->single_step = enable;
	return CPU_OK;
}

/* what core knows of a stop beyond the registers */
static void cpu_state_complete(struct core_thread const *t, struct cpu_state *cpu)
{
	cpu->exception = t->exception;
	cpu->stopped = 1;
	cpu->fault_address = t->fault_address;
	cpu->dr[6] |= t->dr6;
}

static enum cpu_session_result cpu_state_impl(void *state, struct cpu_thread_cap cap,
                                              struct cpu_state *cpu)
{
	struct core_thread *t = 0;
	enum cpu_session_result r = cpu_session_live_thread(state, cap, &t);
	if (r != CPU_OK) return r;
	if (!t->stopped) return CPU_NOT_STOPPED;
	r = platform_thread_state(t, cpu);
	cpu_state_complete(t, cpu);
	return r;
}

static enum cpu_session_result cpu_set_state_impl(void *state, struct cpu_thread_cap cap,
                                                  struct cpu_state cpu)
{
	struct core_thread *t = 0;
	enum cpu_session_result r = cpu_session_live_thread(state, cap, &t);
	if (r != CPU_OK) return r;
	if (!t->stopped) return CPU_NOT_STOPPED;
	r = platform_thread_set_state(t, &cpu);
	/*
	 * the table's ip of an exception's stop follows a moved one; a stopped
	 * thread's exception is never NONE (a stop is a pause or a tracer's
	 * exception event, which carries a real exception)
	 */
	if (r == CPU_OK && t->exception != CPU_EXCEPTION_PAUSED) t->ip = cpu.rip;
	return r;
}

static void cpu_handler_replace(struct signal_context_cap *slot,
                                struct signal_context_cap handler)
{
	cap_close(slot->cap);
	*slot = handler;
}

static enum cpu_session_result cpu_exception_handler_impl(void *state,
                                                          struct signal_context_cap handler)
{
	struct cpu_session_component *s = state;
	cpu_handler_replace(&s->handler, handler); /* the received reference is ours to keep */
	return CPU_OK;
}

static enum cpu_session_result
cpu_thread_exception_handler_impl(void *state, struct cpu_thread_cap cap,
                                  struct signal_context_cap handler)
{
	struct core_thread *t = cpu_session_own_thread(state, cap);
	if (!t) {
		cap_close(handler.cap);
		return CPU_INVALID_ARGUMENT;
	}
	cpu_handler_replace(&t->handler, handler);
	return CPU_OK;
}

static struct cpu_thread_info_result cpu_thread_impl(void *state, uint32_t index,
                                                     struct cpu_thread_cap *thread)
{
	struct cpu_session_component *s = state;
	struct cpu_thread_info_result r = { CPU_INVALID_ARGUMENT, { { 0 }, 0, 0, 0 } };
	if (index >= s->thread_count) return r;

	/* the list holds the newest first */
	uint32_t position = s->thread_count - 1 - index;
	struct list_element *e = list_first(&s->threads);
	for (uint32_t i = 0; i < position; i++) e = list_next(e);
	struct core_thread *t = LIST_CONTAINER(e, struct core_thread, session_element);

	*thread = cpu_thread_object_cap(&t->object);
	if (!cap_valid(thread->cap)) {
		r.result = CPU_NO_RESOURCES;
		return r;
	}
	r.result = CPU_OK;
	core_thread_info_fill(t, &r.info);
	return r;
}

/* ---- the session-wide calls: every thread at once ----------------------------------- */

/* the session's threads in creation order (the list holds the newest first) */
static unsigned cpu_session_threads_ordered(struct cpu_session_component *s,
                                            struct core_thread **threads, unsigned max)
{
	unsigned count = s->thread_count < max ? s->thread_count : max;
	unsigned skip = s->thread_count - count, i = 0, n = 0;
	for (struct list_element *e = list_first(&s->threads); e; e = list_next(e), i++) {
		if (i < skip) continue; /* the newest beyond the table */
		threads[count - 1 - n++] = LIST_CONTAINER(e, struct core_thread, session_element);
	}
	return n;
}

static void cpu_session_table(struct cpu_session_component *s, struct rpc_out_buffer *table)
{
	struct core_thread *threads[CPU_THREAD_STATUS_MAX];
	unsigned count = cpu_session_threads_ordered(s, threads, CPU_THREAD_STATUS_MAX);
	size_t room = table->capacity / sizeof(struct cpu_thread_status);
	if (count > room) count = (unsigned)room;
	struct cpu_thread_status *entries = table->data;
	for (unsigned i = 0; i < count; i++) {
		struct core_thread const *t = threads[i];
		entries[i] = (struct cpu_thread_status){
			.id = t->id,
			.exception = core_thread_exception(t),
			.stopped = core_thread_stopped(t),
			.started = t->tid != 0 || t->exited,
			.ip = t->ip,
		};
	}
	table->size = count * sizeof(struct cpu_thread_status);
}

static enum cpu_session_result cpu_threads_impl(void *state, struct rpc_out_buffer *table)
{
	struct cpu_session_component *s = state;
	core_tracer_events(s->core);
	cpu_session_table(s, table);
	return CPU_OK;
}

/* the threads that a pause (or a resumption) would act on: started, not ended, running
 * (or stopped) */
static unsigned cpu_session_threads_to(struct cpu_session_component *s,
                                       struct core_thread **threads, bool stopped)
{
	struct core_thread *all[CPU_THREAD_STATUS_MAX];
	unsigned count = cpu_session_threads_ordered(s, all, CPU_THREAD_STATUS_MAX), n = 0;
	for (unsigned i = 0; i < count; i++)
		if (all[i]->tid && !all[i]->exited && all[i]->stopped == stopped) threads[n++] = all[i];
	return n;
}

static enum cpu_session_result cpu_pause_all_impl(void *state, struct rpc_out_buffer *table)
{
	struct cpu_session_component *s = state;
	core_tracer_events(s->core);
	struct core_thread *threads[CPU_THREAD_STATUS_MAX];
	enum cpu_session_result results[CPU_THREAD_STATUS_MAX];
	unsigned count = cpu_session_threads_to(s, threads, false);
	platform_threads_pause(threads, count, results);
	for (unsigned i = 0; i < count; i++)
		if (results[i] == CPU_OK) core_thread_paused(threads[i]); /* else it ended meanwhile */
	/* the stops the pauses met may be exceptions: their events are queued by now */
	core_tracer_events(s->core);
	cpu_session_table(s, table);
	return CPU_OK;
}

/*
 * The stopped threads that `ids` (uint64_t each, `count` of them) lists, in
 * the list's order, each once even if listed twice; positions[n], if given,
 * is the place in the list of threads[n]. At most `count` and at most the
 * session's stopped threads (CPU_THREAD_STATUS_MAX) come back.
 */
static unsigned cpu_session_listed_stopped(struct cpu_session_component *s,
                                           struct rpc_buffer ids, size_t count,
                                           struct core_thread **threads, unsigned *positions)
{
	struct core_thread *stopped[CPU_THREAD_STATUS_MAX];
	unsigned candidates = cpu_session_threads_to(s, stopped, true), n = 0;
	for (size_t k = 0; k < count; k++) {
		uint64_t id;
		memory_copy(&id, (uint8_t const *)ids.data + k * sizeof(id), sizeof(id));
		for (unsigned i = 0; i < candidates; i++) {
			if (!stopped[i] || stopped[i]->id != id) continue;
			if (positions) positions[n] = (unsigned)k;
			threads[n++] = stopped[i];
			stopped[i] = 0; /* once */
			break;
		}
	}
	return n;
}

static enum cpu_session_result cpu_resume_threads_impl(void *state, struct rpc_buffer ids)
{
	struct cpu_session_component *s = state;
	if (ids.size % sizeof(uint64_t)) return CPU_INVALID_ARGUMENT;
	core_tracer_events(s->core);
	struct core_thread *threads[CPU_THREAD_STATUS_MAX];
	enum cpu_session_result results[CPU_THREAD_STATUS_MAX];
	unsigned count =
	    cpu_session_listed_stopped(s, ids, ids.size / sizeof(uint64_t), threads, NULL);
	platform_threads_resume(threads, count, results);
	for (unsigned i = 0; i < count; i++)
		if (results[i] == CPU_OK) core_thread_resumed(threads[i]);
	return CPU_OK;
}

static enum cpu_session_result cpu_states_impl(void *state, struct rpc_buffer ids,
                                               struct rpc_out_buffer *out)
{
	struct cpu_session_component *s = state;
	size_t listed = ids.size / sizeof(uint64_t);
	if (ids.size % sizeof(uint64_t) || listed > CPU_STATES_MAX ||
	    out->capacity < listed * sizeof(struct cpu_state))
		return CPU_INVALID_ARGUMENT;
	core_tracer_events(s->core);
	struct cpu_state *entries = out->data;
	for (size_t k = 0; k < listed; k++)
		entries[k] = (struct cpu_state){ 0 }; /* stopped 0: none, unless read below */
	struct core_thread *threads[CPU_STATES_MAX];
	unsigned positions[CPU_STATES_MAX];
	unsigned count = cpu_session_listed_stopped(s, ids, listed, threads, positions);
	struct cpu_state states[CPU_STATES_MAX];
	enum cpu_session_result results[CPU_STATES_MAX];
	platform_threads_state(threads, count, states, results);
	for (unsigned i = 0; i < count; i++) {
		if (results[i] != CPU_OK) continue; /* it ended meanwhile: stays zeroed */
		cpu_state_complete(threads[i], &states[i]);
		entries[positions[i]] = states[i];
	}
	out->size = listed * sizeof(struct cpu_state);
	return CPU_OK;
}

static struct cpu_session_ops const cpu_session_ops = {
	cpu_create_thread_impl,
	cpu_kill_thread_impl,
	cpu_start_impl,
	cpu_pause_impl,
	cpu_resume_impl,
	cpu_single_step_impl,
	cpu_state_impl,
	cpu_set_state_impl,
	cpu_exception_handler_impl,
	cpu_thread_exception_handler_impl,
	cpu_thread_impl,
	cpu_threads_impl,
	cpu_pause_all_impl,
	cpu_resume_threads_impl,
	cpu_states_impl,
};

struct cpu_session_component *cpu_session_component_create(struct core *core, char const *label,
                                                           uint64_t quota)
{
	struct allocator_alloc_ret a =
	    allocator_alloc(core->md_alloc, sizeof(struct cpu_session_component));
	if (a.result != ALLOCATOR_OK) return 0;
	struct cpu_session_component *s = a.ptr;
	memory_set(s, 0, sizeof(*s));
	s->core = core;
	s->quota = quota;
	s->handler = CAP_INVALID(signal_context);
	string_copy(s->label, label, sizeof(s->label));
	list_init(&s->threads);
	rpc_entrypoint_manage(&core->ep, &s->object, cpu_session_dispatch, &cpu_session_ops, s);
	return s;
}

struct cpu_session_cap cpu_session_component_cap(struct cpu_session_component *s)
{
	return cpu_session_object_cap(&s->object);
}

void cpu_session_component_destroy(struct cpu_session_component *s)
{
	while (!list_empty(&s->threads))
		core_thread_free(
		    LIST_CONTAINER(list_first(&s->threads), struct core_thread, session_element));
	rpc_entrypoint_dissolve(&s->core->ep, &s->object);
	cap_close(s->handler.cap);
	allocator_free(s->core->md_alloc, s, sizeof(*s));
}
