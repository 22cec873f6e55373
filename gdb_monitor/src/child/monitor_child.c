/* SPDX-License-Identifier: MIT */
/**
 * \brief the monitor's child: start with the virtual sessions, sessions and
 *        announcements passed on to the monitor's parent
 *
 * The policy opens every session the child asks for at the monitor's parent
 * itself (as the child framework would route it: the child pays the
 * donation), so that the monitor learns of each close too and can list the
 * child's sessions exactly.
 */

#include <base/lock_guard.h>
#include <base/log.h>
#include <gdb_monitor/monitor_child.h>
#include <util/arg_string.h>
#include <util/string.h>

#include "monitor_child_private.h"

/* ---- sessions ----------------------------------------------------------------------- */

static bool monitor_child_transfer(struct ram_session_cap from, struct ram_session_cap to,
                                   uint64_t amount)
{
	return amount == 0 || ram_session_transfer_quota(from, to, amount) == RAM_OK;
}

static int monitor_child_session(void *state, struct child *child, char const *service,
                                 char *args, uint32_t id, struct session_cap *cap)
{
	struct monitor_child *mc = state;
	struct monitor_child_session_record *record = 0;
	lock_acquire(&mc->lock);
	for (unsigned i = 0; i < MONITOR_CHILD_SESSIONS_MAX && !record; i++)
		if (!mc->sessions[i].used) record = &mc->sessions[i];
	if (record) record->used = true; /* reserved */
	lock_release(&mc->lock);
	if (!record) return PARENT_OUT_OF_RESOURCES;

	size_t length = string_length(args);
	struct arg_string_unsigned_ret quota = arg_string_get_unsigned(args, length, "ram_quota");
	uint64_t amount = quota.result == ARG_STRING_OK ? quota.value : 0;
	struct monitor_child_session session = { .id = id };
	string_copy(session.service, service, sizeof(session.service));
	if (arg_string_get_string(args, length, "label", session.label, sizeof(session.label))
	        .result != ARG_STRING_OK)
		session.label[0] = 0;

	/* the child's own config: served here, nothing donated (as init does) */
	if (mc->config.valid && string_equal(service, "ROM") &&
	    string_equal(child_label_own(child, session.label), "config")) {
		*cap = monitor_child_config_cap(mc);
		LOCK_GUARD(&mc->lock);
		if (!cap_valid(cap->cap)) {
			record->used = false;
			return PARENT_OUT_OF_RESOURCES;
		}
		session.local = true;
		record->session = session;
		record->up = (struct connection){ PARENT_SERVICE_DENIED, CAP_INVALID(session), 0 };
		record->quota = 0;
		return PARENT_OK;
	}

	/* the child pays the donation, as if the framework routed it */
	int result = PARENT_OK;
	struct connection up = { PARENT_SERVICE_DENIED, CAP_INVALID(session), 0 };
	if (!monitor_child_transfer(child_ram(child), mc->env->ram, amount)) {
		log_error("%s: cannot pay %lu bytes for a %s session", child->name,
		          (unsigned long)amount, service);
		result = PARENT_OUT_OF_QUOTA;
	} else {
		up = env_session_request(mc->env, service, args);
		if (up.result == PARENT_OK) cap->cap = cap_copy(up.cap.cap);
		if (up.result == PARENT_OK && !cap_valid(cap->cap)) {
			(void)env_session_close(mc->env, &up);
			up.result = PARENT_OUT_OF_RESOURCES;
		}
		result = up.result;
		if (result != PARENT_OK &&
		    !monitor_child_transfer(mc->env->ram, child_ram(child), amount))
			log_error("%s: %lu bytes of a refused donation are lost", child->name,
			          (unsigned long)amount);
	}

	LOCK_GUARD(&mc->lock);
	if (result != PARENT_OK) {
		record->used = false;
		return result;
	}
	record->session = session;
	record->up = up;
	record->quota = amount;
	return PARENT_OK;
}

static uint64_t monitor_child_close(void *state, struct child *child, uint32_t id)
{
	struct monitor_child *mc = state;
	struct connection ended = { PARENT_UNKNOWN_SESSION, CAP_INVALID(session), 0 };
	lock_acquire(&mc->lock);
	for (unsigned i = 0; i < MONITOR_CHILD_SESSIONS_MAX; i++) {
		if (!mc->sessions[i].used || mc->sessions[i].session.id != id) continue;
		ended = mc->sessions[i].up; /* a local one has no connection: nothing to close */
		mc->sessions[i].used = false;
		break;
	}
	lock_release(&mc->lock);
	if (ended.result != PARENT_OK) return 0;

	/* what comes back may exceed the donation (a RAM session returns all it holds) */
	uint64_t returned = env_session_close(mc->env, &ended);
	if (!monitor_child_transfer(mc->env->ram, child_ram(child), returned)) {
		log_error("%s: could not return %lu bytes", child->name, (unsigned long)returned);
		return 0;
	}
	return returned;
}

bool monitor_child_session_at(struct monitor_child *mc, unsigned index,
                              struct monitor_child_session *session)
{
	LOCK_GUARD(&mc->lock);
	unsigned n = 0;
	for (unsigned i = 0; i < MONITOR_CHILD_SESSIONS_MAX; i++) {
		struct monitor_child_session_record const *r = &mc->sessions[i];
		/* a reserved record (request in progress) has no connection yet */
		if (!r->used || (r->up.result != PARENT_OK && !r->session.local)) continue;
		if (n++ == index) {
			*session = r->session;
			return true;
		}
	}
	return false;
}

/* ---- announcements, exit, preparation ------------------------------------------------ */

static enum parent_result monitor_child_announce(void *state, struct child *child,
                                                 char const *service, struct root_cap root)
{
	struct monitor_child *mc = state;
	/* the child's root goes on as it is: the monitor never calls it */
	enum parent_result r = parent_announce(mc->env->parent, service, root);
	cap_close(root.cap); /* an IN_CAP stays ours: the parent has its own */
	if (r != PARENT_OK) {
		log_warning("%s: the announcement of \"%s\" was refused by the parent (%d)",
		            child->name, service, (int)r);
		return r;
	}
	LOCK_GUARD(&mc->lock);
	mc->announced++;
	return r;
}

static void monitor_child_exited(void *state, struct child *child, int code)
{
	struct monitor_child *mc = state;
	(void)child;
	run_control_child_exited(&mc->run, code);
	signal_submit(mc->exit_signal, 1);
}

/* the real RM and CPU sessions exist now: the virtual ones forward to them */
static void monitor_child_prepare(void *state, struct child *child)
{
	struct monitor_child *mc = state;
	virtual_rm_bind(&mc->rm, child_rm(child));
	if (virtual_cpu_bind(&mc->cpu, child_cpu(child)) != VIRTUAL_CPU_OK)
		log_error("%s: no exception handler: the monitor will not see its exceptions",
		          child->name);
}

static void monitor_child_start_hook(void *state, uint64_t ip)
{
	struct monitor_child *mc = state;
	if (!run_control_initial_stop_arm(&mc->run, ip)) return; /* logged: the child runs */
}

/* ---- start and end ------------------------------------------------------------------- */

static enum monitor_child_result monitor_child_result_of(enum child_result r)
{
	switch (r) {
	case CHILD_OK:
		return MONITOR_CHILD_OK;
	case CHILD_OUT_OF_QUOTA:
		return MONITOR_CHILD_OUT_OF_QUOTA;
	case CHILD_NO_BINARY:
		return MONITOR_CHILD_NO_BINARY;
	case CHILD_LOAD_FAILED:
		return MONITOR_CHILD_LOAD_FAILED;
	default:
		return MONITOR_CHILD_DENIED;
	}
}

enum monitor_child_result monitor_child_start(struct monitor_child *mc, struct env *env,
                                              struct rpc_entrypoint *ep,
                                              struct monitor_child_args const *args)
{
	memory_set(mc, 0, sizeof(*mc));
	mc->env = env;
	mc->ep = ep;
	lock_init(&mc->lock);
	mc->exit_signal = (struct signal_context_cap){ cap_copy(args->handler.cap) };
	struct signal_context_cap cpu_handler = { cap_copy(args->handler.cap) };
	if (!cap_valid(mc->exit_signal.cap) || !cap_valid(cpu_handler.cap)) {
		cap_close(mc->exit_signal.cap);
		cap_close(cpu_handler.cap);
		return MONITOR_CHILD_NO_RESOURCES;
	}
	if (virtual_rm_init(&mc->rm, env, ep) != VIRTUAL_RM_OK) {
		cap_close(mc->exit_signal.cap);
		cap_close(cpu_handler.cap);
		return MONITOR_CHILD_NO_RESOURCES;
	}
	if (virtual_cpu_init(&mc->cpu, env, ep, cpu_handler) != VIRTUAL_CPU_OK) {
		virtual_rm_destroy(&mc->rm);
		cap_close(mc->exit_signal.cap);
		return MONITOR_CHILD_NO_RESOURCES;
	}
	run_control_init(&mc->run, &mc->cpu, &mc->rm);
	if (args->config && !monitor_child_config_create(mc, args->config, args->config_length)) {
		virtual_cpu_destroy(&mc->cpu);
		virtual_rm_destroy(&mc->rm);
		cap_close(mc->exit_signal.cap);
		return MONITOR_CHILD_NO_RESOURCES;
	}
	if (args->mode == MONITOR_CHILD_STOPPED)
		virtual_cpu_start_hook_set(&mc->cpu, monitor_child_start_hook, mc);

	struct child_args child_args = {
		.name = args->name,
		.binary = args->binary,
		.ram_quota = args->ram_quota,
		.policy = { .session = monitor_child_session,
		            .close = monitor_child_close,
		            .prepare = monitor_child_prepare,
		            .exited = monitor_child_exited,
		            .announce = monitor_child_announce,
		            .state = mc },
		.rm_override = CAP_CAST(session, virtual_rm_cap(&mc->rm)),
		.cpu_override = CAP_CAST(session, virtual_cpu_cap(&mc->cpu)),
	};
	enum child_result r = child_start(&mc->child, env, ep, &child_args);
	if (r != CHILD_OK) {
		monitor_child_config_destroy(mc);
		virtual_cpu_destroy(&mc->cpu);
		virtual_rm_destroy(&mc->rm);
		cap_close(mc->exit_signal.cap);
		return monitor_child_result_of(r);
	}
	return MONITOR_CHILD_OK;
}

struct ram_quota_result monitor_child_quota(struct monitor_child *mc)
{
	return ram_session_quota(child_ram(&mc->child));
}

void monitor_child_destroy(struct monitor_child *mc)
{
	/* the local windows go before the child's dataspaces do */
	virtual_rm_flush(&mc->rm);
	child_destroy(&mc->child);
	monitor_child_config_destroy(mc);
	virtual_cpu_destroy(&mc->cpu);
	virtual_rm_destroy(&mc->rm);
	cap_close(mc->exit_signal.cap);
	mc->exit_signal = CAP_INVALID(signal_context);
}
