/* SPDX-License-Identifier: MIT */
/** \brief child: environment, loading, and the parent interface a parent serves its child */

#include <base/child.h>
#include <base/log.h>
#include <util/arg_string.h>
#include <util/format.h>
#include <util/string.h>

RPC_SERVER(parent, PARENT_RPC)
RPC_SERVER_OBJECT(parent)

static struct child_session *child_session_find(struct child *child, uint32_t id)
{
	for (unsigned i = 0; i < CHILD_SESSIONS_MAX; i++)
		if (child->sessions[i].used && child->sessions[i].id == id) return &child->sessions[i];
	return 0;
}

static char const child_label_separator[] = " -> ";

bool child_label_compose(struct child const *child, char const *own, char *label, size_t size)
{
	if (!own[0]) return string_copy(label, child->name, size) == STRING_COPY_OK;
	return format_string(label, size, "%s%s%s", child->name, child_label_separator, own) < size;
}

char const *child_label_own(struct child const *child, char const *label)
{
	size_t length = string_length(child->name);
	if (string_compare_n(label, child->name, length) != 0) return label;
	if (label[length] == 0) return label + length;
	if (string_starts_with(label + length, child_label_separator))
		return label + length + sizeof(child_label_separator) - 1;
	return label;
}

/* the request's arguments as we pass them on: label prefixed with the child's name */
static bool child_route_args(struct child *child, char const *args, char *out, size_t size)
{
	size_t length = string_length(args);
	if (arg_string_validate(args, length) != ARG_STRING_OK) return false;
	char label[SESSION_LABEL_MAX], own[SESSION_LABEL_MAX] = "";
	struct arg_string_copy_ret r =
	    arg_string_get_string(args, length, "label", own, sizeof(own));
	if (r.result != ARG_STRING_OK && r.result != ARG_STRING_NOT_FOUND) return false;
	if (!child_label_compose(child, own, label, sizeof(label))) return false;
	if (string_copy(out, args, size) != STRING_COPY_OK) return false;
	return arg_string_set_string(out, size, "label", label) == ARG_STRING_OK;
}

static struct parent_session_result
child_session_impl(void *state, char const *service, char const *args, struct session_cap *cap)
{
	struct child *child = state;
	struct parent_session_result r = { PARENT_INVALID_ARGUMENT, 0 };
	char routed[SESSION_ARGS_MAX];
	if (!child_route_args(child, args, routed, sizeof(routed))) {
		log_error("malformed arguments for %s session of \"%s\": \"%s\"", service, child->name,
		          args);
		return r;
	}

	struct child_session *slot = 0;
	for (unsigned i = 0; i < CHILD_SESSIONS_MAX && !slot; i++)
		if (!child->sessions[i].used) slot = &child->sessions[i];
	if (!slot) {
		r.result = PARENT_OUT_OF_RESOURCES;
		return r;
	}

	if (child->policy.session) {
		uint32_t id = child->next_id + 1;
		int local = child->policy.session(child->policy.state, child, service, routed, id, cap);
		if (local >= 0) {
			r.result = (enum parent_result)local;
			if (local == PARENT_OK) {
				child->next_id = id;
				*slot = (struct child_session){
					true, id, { PARENT_UNKNOWN_SESSION, CAP_INVALID(session), 0 }, 0
				};
				r.id = id;
			}
			return r;
		}
	}

	/* the child pays the donation: move it to our RAM session, which pays our parent */
	struct arg_string_unsigned_ret quota =
	    arg_string_get_unsigned(routed, string_length(routed), "ram_quota");
	uint64_t amount = quota.result == ARG_STRING_OK ? quota.value : 0;
	if (amount &&
	    ram_session_transfer_quota(child_ram(child), child->env->ram, amount) != RAM_OK) {
		log_error("child %s: cannot pay %lu bytes for a %s session", child->name,
		          (unsigned long)amount, service);
		r.result = PARENT_OUT_OF_QUOTA;
		return r;
	}
	struct connection up = env_session_request(child->env, service, routed);
	if (up.result != PARENT_OK) {
		if (amount &&
		    ram_session_transfer_quota(child->env->ram, child_ram(child), amount) != RAM_OK)
			log_error("child %s: could not return %lu bytes", child->name,
			          (unsigned long)amount);
		r.result = up.result;
		return r;
	}
	*slot = (struct child_session){ true, ++child->next_id, up, amount };
	cap->cap = cap_copy(up.cap.cap);
	r.result = cap_valid(cap->cap) ? PARENT_OK : PARENT_OUT_OF_RESOURCES;
	r.id = slot->id;
	return r;
}

/*
 * End a session of the child; returns the quota given back to the child's
 * RAM session. What our parent returns for a routed session may exceed the
 * donation (a RAM session returns all it holds): it all goes to the child.
 */
static uint64_t child_session_free(struct child *child, struct child_session *s)
{
	s->used = false;
	if (s->up.result != PARENT_OK)
		return child->policy.close ? child->policy.close(child->policy.state, child, s->id) : 0;
	uint64_t returned = env_session_close(child->env, &s->up);
	if (returned &&
	    ram_session_transfer_quota(child->env->ram, child_ram(child), returned) != RAM_OK) {
		log_error("child %s: could not return %lu bytes", child->name, (unsigned long)returned);
		return 0;
	}
	return returned;
}

static struct parent_close_result child_close_impl(void *state, uint32_t id)
{
	struct child *child = state;
	struct child_session *s = child_session_find(child, id);
	if (!s) return (struct parent_close_result){ PARENT_UNKNOWN_SESSION, 0 };
	return (struct parent_close_result){ PARENT_OK, child_session_free(child, s) };
}

static enum parent_result child_announce_impl(void *state, char const *service,
                                              struct root_cap root)
{
	struct child *child = state;
	if (child->policy.announce)
		return child->policy.announce(child->policy.state, child, service, root);
	cap_close(root.cap);
	log_warning("child %s: announced \"%s\", which nobody uses here", child->name, service);
	return PARENT_SERVICE_DENIED;
}

static enum parent_result child_exit_impl(void *state, int32_t code)
{
	struct child *child = state;
	child->exited = true;
	child->exit_code = code;
	if (child->policy.exited) child->policy.exited(child->policy.state, child, code);
	return PARENT_OK;
}

static enum parent_result child_env_session_impl(void *state, uint32_t which,
                                                 struct session_cap *cap)
{
	struct child *child = state;
	if (which >= PARENT_ENV_COUNT) return PARENT_INVALID_ARGUMENT;
	cap->cap = cap_copy(child->env_session[which].cap);
	return cap_valid(cap->cap) ? PARENT_OK : PARENT_OUT_OF_RESOURCES;
}

static struct parent_ops const child_parent_ops = { child_session_impl, child_close_impl,
	                                                child_announce_impl, child_exit_impl,
	                                                child_env_session_impl };

/* ---- creation -------------------------------------------------------------------- */

static struct connection child_open(struct child *child, char const *service, uint64_t quota,
                                    char const *extra)
{
	char args[SESSION_ARGS_MAX];
	format_string(args, sizeof(args), "ram_quota=%lu, label=\"%s\"%s%s", (unsigned long)quota,
	              child->name, extra[0] ? ", " : "", extra);
	return env_session_request(child->env, service, args);
}

static void child_close_environment(struct child *child)
{
	struct connection *env[] = { &child->rom, &child->cpu, &child->pd, &child->rm,
		                         &child->ram };
	for (unsigned i = 0; i < sizeof(env) / sizeof(env[0]); i++)
		if (env[i]->result == PARENT_OK) env_session_close(child->env, env[i]);
	for (unsigned i = 0; i < PARENT_ENV_COUNT; i++)
		child->env_session[i] = CAP_INVALID(session);
}

enum child_result child_start(struct child *child, struct env *env, struct rpc_entrypoint *ep,
                              struct child_args const *args)
{
	memory_set(child, 0, sizeof(*child));
	child->env = env;
	child->ep = ep;
	child->policy = args->policy;
	string_copy(child->name, args->name, sizeof(child->name));
	struct connection none = { PARENT_UNKNOWN_SESSION, CAP_INVALID(session), 0 };
	child->ram = child->rm = child->pd = child->cpu = child->rom = none;

	/* the RAM session's donation beyond its metadata is the child's quota */
	child->ram = child_open(child, "RAM", args->ram_quota + CHILD_RAM_SESSION_QUOTA, "");
	if (child->ram.result != PARENT_OK) {
		child_close_environment(child);
		return child->ram.result == PARENT_OUT_OF_QUOTA ? CHILD_OUT_OF_QUOTA : CHILD_DENIED;
	}
	child->rm = child_open(child, "RM", CHILD_ENV_SESSION_QUOTA, "");
	child->pd = child_open(child, "PD", CHILD_ENV_SESSION_QUOTA, "");
	child->cpu = child_open(child, "CPU", CHILD_ENV_SESSION_QUOTA, "");
	char module[CHILD_NAME_MAX + 16];
	format_string(module, sizeof(module), "module=\"%s\"",
	              args->binary ? args->binary : args->name);
	child->rom = child_open(child, "ROM", CHILD_ROM_SESSION_QUOTA, module);
	if (child->rm.result != PARENT_OK || child->pd.result != PARENT_OK ||
	    child->cpu.result != PARENT_OK || child->rom.result != PARENT_OK) {
		bool no_binary = child->rom.result == PARENT_SERVICE_DENIED;
		child_close_environment(child);
		return no_binary ? CHILD_NO_BINARY : CHILD_DENIED;
	}

	child->env_session[PARENT_ENV_RAM] = child->ram.cap;
	child->env_session[PARENT_ENV_RM] =
	    cap_valid(args->rm_override.cap) ? args->rm_override : child->rm.cap;
	child->env_session[PARENT_ENV_PD] = child->pd.cap;
	child->env_session[PARENT_ENV_CPU] =
	    cap_valid(args->cpu_override.cap) ? args->cpu_override : child->cpu.cap;

	if (child->policy.prepare) child->policy.prepare(child->policy.state, child);

	struct parent_cap parent =
	    parent_manage(ep, &child->parent_object, &child_parent_ops, child);
	struct dataspace_cap elf = CAP_INVALID(dataspace);
	if (!cap_valid(parent.cap) ||
	    rom_session_dataspace(CAP_CAST(rom_session, child->rom.cap), &elf) != ROM_OK) {
		cap_close(parent.cap);
		rpc_entrypoint_dissolve(ep, &child->parent_object);
		child_close_environment(child);
		return CHILD_LOAD_FAILED;
	}

	struct process_args process = {
		.name = child->name,
		.elf = elf,
		.ram = child_ram(child),
		.rm = CAP_CAST(rm_session, child->env_session[PARENT_ENV_RM]),
		.address_space = child_rm(child),
		.pd = CAP_CAST(pd_session, child->pd.cap),
		.cpu = CAP_CAST(cpu_session, child->env_session[PARENT_ENV_CPU]),
		.parent = parent,
		.local = &process_local_env,
		.local_state = env,
	};
	enum process_result r = process_start(&child->process, &process);
	cap_close(elf.cap);
	cap_close(parent.cap);
	if (r != PROCESS_OK) {
		rpc_entrypoint_dissolve(ep, &child->parent_object);
		child_close_environment(child);
		return CHILD_LOAD_FAILED;
	}
	return CHILD_OK;
}

void child_destroy(struct child *child)
{
	rpc_entrypoint_dissolve(child->ep, &child->parent_object);
	for (unsigned i = 0; i < CHILD_SESSIONS_MAX; i++)
		if (child->sessions[i].used) child_session_free(child, &child->sessions[i]);
	cap_close(child->process.main_thread.cap);
	child_close_environment(child);
}
