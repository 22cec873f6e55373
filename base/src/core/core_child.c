/* SPDX-License-Identifier: MIT */
/**
 * \brief core's children: the parent interface core serves to the components
 *        it starts itself
 *
 * Core makes the child's environment sessions (RAM with the child's quota,
 * RM, PD, CPU), loads the ELF from the boot module through them with the
 * process loader that every parent uses, and serves the child's requests:
 * every session request goes to core's own services, paid from the child's
 * RAM session.
 */

#include <base/log.h>
#include <base/panic.h>
#include <base/process.h>
#include <parent/parent.h>
#include <rom_session/rom_session.h>
#include <util/format.h>
#include <util/string.h>

#include "core_child.h"
#include "core_service.h"
#include "core_local.h"
#include "ram_session_component.h"

RPC_SERVER(parent, PARENT_RPC)
RPC_SERVER_OBJECT(parent)

struct core_child
{
	struct rpc_object object; /* the parent interface */
	struct core *core;
	char name[CORE_LABEL_MAX];
	struct core_session *env[PARENT_ENV_COUNT];
	struct list sessions; /* requested by the child */
	uint32_t next_id;
	bool exited;
};

static struct core_session *core_child_session(struct core_child *child, uint32_t id)
{
	struct list_element *e;
	LIST_FOR_EACH(e, &child->sessions)
	{
		struct core_session *s = LIST_CONTAINER(e, struct core_session, element);
		if (s->id == id) return s;
	}
	return 0;
}

static struct parent_session_result
parent_session_impl(void *state, char const *service, char const *args, struct session_cap *cap)
{
	struct core_child *child = state;
	struct parent_session_result r = { PARENT_OK, 0 };
	struct ram_session_component *payer = child->env[PARENT_ENV_RAM]->object;
	struct core_session_result s =
	    core_session_open(child->core, service, args, child->name, payer);
	r.result = s.result;
	if (s.result != PARENT_OK) return r;
	s.session->id = ++child->next_id;
	list_insert(&child->sessions, &s.session->element);
	*cap = s.cap;
	r.id = s.session->id;
	return r;
}

static struct parent_close_result parent_close_impl(void *state, uint32_t id)
{
	struct core_child *child = state;
	struct core_session *s = core_child_session(child, id);
	if (!s) return (struct parent_close_result){ PARENT_UNKNOWN_SESSION, 0 };
	if (list_remove(&child->sessions, &s->element) != LIST_REMOVE_OK)
		panic("core: session %u not in its list", id);
	return (struct parent_close_result){ PARENT_OK, core_session_close(child->core, s) };
}

static enum parent_result parent_announce_impl(void *state, char const *service,
                                               struct root_cap root)
{
	struct core_child *child = state;
	cap_close(root.cap);
	core_log(child->core, "\"%s\" announced \"%s\", but core has no other child to offer it to",
	         child->name, service);
	return PARENT_SERVICE_DENIED;
}

static enum parent_result parent_exit_impl(void *state, int32_t code)
{
	struct core_child *child = state;
	if (!child->exited)
		core_log(child->core, "\"%s\" exited with exit code %d", child->name, code);
	child->exited = true;
	return PARENT_OK;
}

static enum parent_result parent_env_session_impl(void *state, uint32_t which,
                                                  struct session_cap *cap)
{
	struct core_child *child = state;
	if (which >= PARENT_ENV_COUNT) return PARENT_INVALID_ARGUMENT;
	*cap = core_session_cap(child->env[which]);
	return cap_valid(cap->cap) ? PARENT_OK : PARENT_OUT_OF_RESOURCES;
}

static struct parent_ops const parent_ops = { parent_session_impl, parent_close_impl,
	                                          parent_announce_impl, parent_exit_impl,
	                                          parent_env_session_impl };

/* ---- start ----------------------------------------------------------------------- */

static char const *const core_env_services[PARENT_ENV_COUNT] = { "RAM", "RM", "PD", "CPU" };

struct core_child *core_child_create(struct core *core, char const *name, uint64_t ram_quota)
{
	struct allocator_alloc_ret a = allocator_alloc(core->md_alloc, sizeof(struct core_child));
	if (a.result != ALLOCATOR_OK) return 0;
	struct core_child *child = a.ptr;
	memory_set(child, 0, sizeof(*child));
	child->core = core;
	string_copy(child->name, name, sizeof(child->name));
	list_init(&child->sessions);

	/* the environment, paid from core's own memory */
	for (unsigned i = 0; i < PARENT_ENV_COUNT; i++) {
		char args[64];
		format_string(args, sizeof(args), "ram_quota=%lu",
		              (unsigned long)(i == PARENT_ENV_RAM ? ram_quota : 65536));
		struct core_session_result s =
		    core_session_open(core, core_env_services[i], args, name, core->ram_root);
		if (s.result != PARENT_OK) {
			core_log(core, "could not make the environment of \"%s\"", name);
			return 0;
		}
		cap_close(s.cap.cap);
		child->env[i] = s.session;
	}
	rpc_entrypoint_manage(&core->ep, &child->object, parent_dispatch, &parent_ops, child);
	return child;
}

bool core_child_load(struct core_child *child)
{
	struct core *core = child->core;
	char const *name = child->name;
	struct parent_cap parent = parent_object_cap(&child->object);

	char rom_args[CORE_LABEL_MAX + 32];
	format_string(rom_args, sizeof(rom_args), "ram_quota=4096, module=\"%s\"", name);
	struct session_cap rom = CAP_INVALID(session);
	struct parent_session_result rom_request = parent_session(parent, "ROM", rom_args, &rom);
	struct dataspace_cap elf = CAP_INVALID(dataspace);
	if (rom_request.result != PARENT_OK ||
	    rom_session_dataspace(CAP_CAST(rom_session, rom), &elf) != ROM_OK) {
		core_log(core, "could not start \"%s\": no boot module of that name", name);
		cap_close(rom.cap);
		cap_close(parent.cap);
		return false;
	}

	/* core's entrypoint serves the calls of the loader (this thread is not it) */
	struct process process;
	struct process_args args = {
		.name = name,
		.elf = elf,
		.ram = CAP_CAST(ram_session, core_session_cap(child->env[PARENT_ENV_RAM])),
		.rm = CAP_CAST(rm_session, core_session_cap(child->env[PARENT_ENV_RM])),
		.address_space = CAP_CAST(rm_session, core_session_cap(child->env[PARENT_ENV_RM])),
		.pd = CAP_CAST(pd_session, core_session_cap(child->env[PARENT_ENV_PD])),
		.cpu = CAP_CAST(cpu_session, core_session_cap(child->env[PARENT_ENV_CPU])),
		.parent = parent,
		.local = &core_local_ops,
	};
	enum process_result r = process_start(&process, &args);
	cap_close(elf.cap);
	cap_close(rom.cap);
	(void)parent_close(parent, rom_request.id);
	cap_close(args.ram.cap);
	cap_close(args.rm.cap);
	cap_close(args.address_space.cap);
	cap_close(args.pd.cap);
	cap_close(args.cpu.cap);
	cap_close(process.main_thread.cap);
	cap_close(parent.cap);
	if (r != PROCESS_OK) {
		core_log(core, "could not start \"%s\" (%d)", name, (int)r);
		return false;
	}
	return true;
}
