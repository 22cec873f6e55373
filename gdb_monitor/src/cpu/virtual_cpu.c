/* SPDX-License-Identifier: MIT */
/**
 * \brief virtual CPU session: the child's calls go on to core; threads are
 *        recorded with their names
 */

#include <base/lock_guard.h>
#include <base/log.h>
#include <base/rpc_entrypoint.h>
#include <cpu_session/cpu_session.h>
#include <gdb_monitor/virtual_cpu.h>
#include <util/string.h>

RPC_SERVER(cpu_session, CPU_SESSION_RPC)
RPC_SERVER_OBJECT(cpu_session)

struct virtual_cpu_thread *virtual_cpu_thread_find(struct virtual_cpu *cpu, uint64_t id)
{
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if (cpu->threads[i].used && cpu->threads[i].id == id) return &cpu->threads[i];
	return 0;
}

void virtual_cpu_thread_drop(struct virtual_cpu *cpu, struct virtual_cpu_thread *t)
{
	cap_close(t->cap.cap);
	*t = (struct virtual_cpu_thread){ .cap = CAP_INVALID(cpu_thread) };
	cpu->stats.ended++;
}

void virtual_cpu_refresh(struct virtual_cpu *cpu)
{
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		struct virtual_cpu_thread *t = &cpu->threads[i];
		if (!t->used) continue;
		struct cpu_thread_info_result info = cpu_thread_info(t->cap);
		if (info.result != CPU_OK || info.info.exception == CPU_EXCEPTION_EXITED)
			virtual_cpu_thread_drop(cpu, t);
	}
}

/* ---- the child's CPU session ------------------------------------------------------ */

static bool virtual_cpu_reserve(struct virtual_cpu *cpu)
{
	LOCK_GUARD(&cpu->lock);
	cpu->stats.calls++;
	unsigned used = cpu->reserved;
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) used += cpu->threads[i].used;
	if (used >= VIRTUAL_CPU_THREADS_MAX) return false;
	cpu->reserved++;
	return true;
}

static enum cpu_session_result virtual_cpu_create_thread_impl(void *state,
                                                              struct pd_session_cap pd,
                                                              char const *name,
                                                              struct cpu_thread_cap *thread)
{
	struct virtual_cpu *cpu = state;
	if (!virtual_cpu_reserve(cpu)) {
		cap_close(pd.cap);
		log_warning("virtual CPU: more than %d threads, '%s' refused", VIRTUAL_CPU_THREADS_MAX,
		            name);
		return CPU_OUT_OF_METADATA;
	}

	/* core checks the PD (it must be core's) and the name */
	struct cpu_thread_cap real = CAP_INVALID(cpu_thread);
	enum cpu_session_result r = cpu_session_create_thread(cpu->real, pd, name, &real);
	cap_close(pd.cap);
	struct cpu_thread_info_result info = { CPU_OK, { { 0 }, 0, 0, 0 } };
	if (r == CPU_OK) {
		info = cpu_thread_info(real);
		thread->cap = cap_copy(real.cap);
		if (info.result != CPU_OK || !cap_valid(thread->cap)) {
			(void)cpu_session_kill_thread(cpu->real, real);
			cap_close(real.cap);
			cap_close(thread->cap);
			*thread = CAP_INVALID(cpu_thread);
			r = CPU_NO_RESOURCES;
		}
	}

	LOCK_GUARD(&cpu->lock);
	cpu->reserved--;
	if (r != CPU_OK) return r;
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		struct virtual_cpu_thread *t = &cpu->threads[i];
		if (t->used) continue;
		*t = (struct virtual_cpu_thread){ .used = true, .id = info.info.id, .cap = real };
		string_copy(t->name, name, sizeof(t->name));
		cpu->stats.created++;
		break;
	}
	return CPU_OK;
}

static void virtual_cpu_count_call(struct virtual_cpu *cpu)
{
	LOCK_GUARD(&cpu->lock);
	cpu->stats.calls++;
}

static enum cpu_session_result virtual_cpu_kill_thread_impl(void *state,
                                                            struct cpu_thread_cap thread)
{
	struct virtual_cpu *cpu = state;
	enum cpu_session_result r = cpu_session_kill_thread(cpu->real, thread);
	cap_close(thread.cap);
	LOCK_GUARD(&cpu->lock);
	cpu->stats.calls++;
	/* which record it was only core knows: ask about all of them */
	if (r == CPU_OK) virtual_cpu_refresh(cpu);
	return r;
}

static enum cpu_session_result virtual_cpu_start_impl(void *state, struct cpu_thread_cap thread,
                                                      uint64_t ip, uint64_t sp)
{
	struct virtual_cpu *cpu = state;
	lock_acquire(&cpu->lock);
	cpu->stats.calls++;
	bool first = !cpu->started;
	cpu->started = true;
	virtual_cpu_start_hook hook = cpu->start_hook;
	void *hook_state = cpu->start_hook_state;
	lock_release(&cpu->lock);

	if (first && hook) hook(hook_state, ip);
	enum cpu_session_result r = cpu_session_start(cpu->real, thread, ip, sp);
	cap_close(thread.cap);
	return r;
}

/* the child's own run control of its threads goes to core unchanged */
static enum cpu_session_result virtual_cpu_pause_impl(void *state, struct cpu_thread_cap thread)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	enum cpu_session_result r = cpu_session_pause(cpu->real, thread);
	cap_close(thread.cap);
	return r;
}

static enum cpu_session_result virtual_cpu_resume_impl(void *state,
                                                       struct cpu_thread_cap thread)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	enum cpu_session_result r = cpu_session_resume(cpu->real, thread);
	cap_close(thread.cap);
	return r;
}

static enum cpu_session_result
virtual_cpu_single_step_impl(void *state, struct cpu_thread_cap thread, bool enable)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	enum cpu_session_result r = cpu_session_single_step(cpu->real, thread, enable);
	cap_close(thread.cap);
	return r;
}

static enum cpu_session_result virtual_cpu_state_impl(void *state, struct cpu_thread_cap thread,
                                                      struct cpu_state *cpu_state)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	enum cpu_session_result r = cpu_session_state(cpu->real, thread, cpu_state);
	cap_close(thread.cap);
	return r;
}

static enum cpu_session_result virtual_cpu_set_state_impl(void *state,
                                                          struct cpu_thread_cap thread,
                                                          struct cpu_state cpu_state)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	enum cpu_session_result r = cpu_session_set_state(cpu->real, thread, cpu_state);
	cap_close(thread.cap);
	return r;
}

/* the child's handlers are accepted and dropped: its exceptions are the monitor's */
static enum cpu_session_result virtual_cpu_exception_handler_impl(void *state,
                                                                  struct signal_context_cap h)
{
	virtual_cpu_count_call(state);
	cap_close(h.cap);
	return CPU_OK;
}

static enum cpu_session_result
virtual_cpu_thread_exception_handler_impl(void *state, struct cpu_thread_cap thread,
                                          struct signal_context_cap h)
{
	virtual_cpu_count_call(state);
	cap_close(thread.cap);
	cap_close(h.cap);
	return CPU_OK;
}

static struct cpu_thread_info_result virtual_cpu_thread_impl(void *state, uint32_t index,
                                                             struct cpu_thread_cap *thread)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	return cpu_session_thread(cpu->real, index, thread);
}

static enum cpu_session_result virtual_cpu_threads_impl(void *state,
                                                        struct rpc_out_buffer *table)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	return cpu_session_threads(cpu->real, table);
}

static enum cpu_session_result virtual_cpu_pause_all_impl(void *state,
                                                          struct rpc_out_buffer *table)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	return cpu_session_pause_all(cpu->real, table);
}

static enum cpu_session_result virtual_cpu_resume_threads_impl(void *state,
                                                               struct rpc_buffer ids)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	return cpu_session_resume_threads(cpu->real, ids);
}

static enum cpu_session_result virtual_cpu_states_impl(void *state, struct rpc_buffer ids,
                                                       struct rpc_out_buffer *out)
{
	struct virtual_cpu *cpu = state;
	virtual_cpu_count_call(cpu);
	return cpu_session_states(cpu->real, ids, out);
}

static struct cpu_session_ops const virtual_cpu_ops = {
	.create_thread = virtual_cpu_create_thread_impl,
	.kill_thread = virtual_cpu_kill_thread_impl,
	.start = virtual_cpu_start_impl,
	.pause = virtual_cpu_pause_impl,
	.resume = virtual_cpu_resume_impl,
	.single_step = virtual_cpu_single_step_impl,
	.state = virtual_cpu_state_impl,
	.set_state = virtual_cpu_set_state_impl,
	.exception_handler = virtual_cpu_exception_handler_impl,
	.thread_exception_handler = virtual_cpu_thread_exception_handler_impl,
	.thread = virtual_cpu_thread_impl,
	.threads = virtual_cpu_threads_impl,
	.pause_all = virtual_cpu_pause_all_impl,
	.resume_threads = virtual_cpu_resume_threads_impl,
	.states = virtual_cpu_states_impl,
};

/* ---- the monitor's side ----------------------------------------------------------- */

enum virtual_cpu_result virtual_cpu_init(struct virtual_cpu *cpu, struct env *env,
                                         struct rpc_entrypoint *ep,
                                         struct signal_context_cap handler)
{
	memory_set(cpu, 0, sizeof(*cpu));
	cpu->env = env;
	cpu->ep = ep;
	cpu->real = CAP_INVALID(cpu_session);
	cpu->handler = handler;
	lock_init(&cpu->lock);
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		cpu->threads[i].cap = CAP_INVALID(cpu_thread);
	cpu->cap = cpu_session_manage(ep, &cpu->object, &virtual_cpu_ops, cpu);
	if (!cap_valid(cpu->cap.cap)) {
		rpc_entrypoint_dissolve(ep, &cpu->object);
		cap_close(cpu->handler.cap);
		return VIRTUAL_CPU_NO_RESOURCES;
	}
	return VIRTUAL_CPU_OK;
}

enum virtual_cpu_result virtual_cpu_bind(struct virtual_cpu *cpu, struct cpu_session_cap real)
{
	lock_acquire(&cpu->lock);
	cpu->real = real;
	lock_release(&cpu->lock);
	/* an IN_CAP stays ours: core keeps a reference of its own */
	if (cpu_session_exception_handler(real, cpu->handler) != CPU_OK) return VIRTUAL_CPU_DENIED;
	return VIRTUAL_CPU_OK;
}

void virtual_cpu_start_hook_set(struct virtual_cpu *cpu, virtual_cpu_start_hook hook,
                                void *state)
{
	LOCK_GUARD(&cpu->lock);
	cpu->start_hook = hook;
	cpu->start_hook_state = state;
}

struct virtual_cpu_stats virtual_cpu_stats(struct virtual_cpu *cpu)
{
	LOCK_GUARD(&cpu->lock);
	return cpu->stats;
}

void virtual_cpu_destroy(struct virtual_cpu *cpu)
{
	rpc_entrypoint_dissolve(cpu->ep, &cpu->object);
	cap_close(cpu->cap.cap);
	cpu->cap = CAP_INVALID(cpu_session);
	LOCK_GUARD(&cpu->lock);
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if (cpu->threads[i].used) virtual_cpu_thread_drop(cpu, &cpu->threads[i]);
	cap_close(cpu->handler.cap);
	cpu->handler = CAP_INVALID(signal_context);
	cpu->real = CAP_INVALID(cpu_session);
}
