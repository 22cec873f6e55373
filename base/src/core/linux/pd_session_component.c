/* SPDX-License-Identifier: MIT */
/**
 * \brief core's PD session on Linux: the component's process
 *
 * The process is spawned from the loader stub when the PD's first thread is
 * started, traced by core from its first instruction. Its only descriptor is
 * the PD's bootstrap object, through which the stub maps the address space
 * and learns where to start (linux_session.h). A hybrid component's process
 * runs its own program instead of the stub (bind_executable), with the same
 * descriptor.
 */

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <base/log.h>
#include <base/panic.h>
#include <util/string.h>

#include "cpu_session_component.h"
#include "dataspace_component.h"
#include "linux_session.h"
#include "pd_session_component.h"
#include "rm_session_component.h"

RPC_SERVER(linux_pd, LINUX_PD_RPC)
RPC_SERVER(linux_bootstrap, LINUX_BOOTSTRAP_RPC)
RPC_SERVER_OBJECT(linux_pd)
RPC_SERVER_OBJECT(linux_bootstrap)

/* ---- the session ----------------------------------------------------------------- */

static enum pd_session_result pd_assign_parent_impl(void *state, struct parent_cap parent)
{
	struct pd_session_component *pd = state;
	if (pd->state != PD_STATE_NEW) {
		cap_close(parent.cap);
		return PD_ALREADY_STARTED;
	}
	cap_close(pd->parent.cap);
	pd->parent = parent; /* the received reference is kept for the child */
	return PD_OK;
}

static enum pd_session_result pd_bind_address_space_impl(void *state, struct rm_session_cap cap)
{
	struct pd_session_component *pd = state;
	struct rm_session_component *rm = rm_session_component_lookup(&pd->core->ep, cap);
	cap_close(cap.cap);
	if (!rm) return PD_INVALID_ARGUMENT;
	if (pd->state != PD_STATE_NEW) return PD_ALREADY_STARTED;
	pd->address_space = rm;
	return PD_OK;
}

static enum pd_session_result pd_bind_thread_impl(void *state, struct cpu_thread_cap cap,
                                                  int32_t tid)
{
	struct pd_session_component *pd = state;
	struct core_thread *thread = core_thread_lookup(pd->core, cap);
	cap_close(cap.cap);
	if (!thread || thread->pd != pd || thread->tid || pd->state != PD_STATE_RUNNING)
		return PD_INVALID_ARGUMENT;
	/* a component can only name threads of its own process: not one of another, nor gone */
	if (tid <= 0 || platform_thread_gone(pd, tid)) return PD_INVALID_ARGUMENT;
	if (pd_session_component_thread(pd, tid)) return PD_INVALID_ARGUMENT;
	thread->tid = tid;
	return PD_OK;
}

static enum pd_session_result pd_bind_executable_impl(void *state, struct dataspace_cap cap)
{
	struct pd_session_component *pd = state;
	struct dataspace_component *ds = dataspace_component_lookup(&pd->core->ep, cap);
	cap_close(cap.cap);
	/* a writeable one could change the program while it runs (its pages are shared) */
	if (!ds || dataspace_component_writeable(ds)) return PD_INVALID_ARGUMENT;
	if (pd->state != PD_STATE_NEW) return PD_ALREADY_STARTED;

	int fd = dataspace_component_open(ds, false);
	if (fd < 0) return PD_NO_RESOURCES;
	/*
	 * Above the descriptors that tracer_spawn moves to 3, 4, ...: the child
	 * still has it open when its execve opens "/proc/self/fd/<it>", which
	 * closes it (close-on-exec).
	 */
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 3 + TRACER_SPAWN_FDS_MAX);
	close(fd);
	if (high < 0) return PD_NO_RESOURCES;
	if (pd->executable >= 0) close(pd->executable);
	pd->executable = high;
	pd->hybrid = true;
	return PD_OK;
}

static struct linux_pd_ops const pd_ops = { pd_assign_parent_impl, pd_bind_address_space_impl,
	                                        pd_bind_thread_impl, pd_bind_executable_impl };

/* ---- the bootstrap object of the loader stub ------------------------------------- */

static struct rm_region_result pd_bootstrap_region_impl(void *state, uint32_t index,
                                                        struct linux_fd_cap *fd)
{
	struct pd_session_component *pd = state;
	struct rm_region_result r = { RM_NOT_ATTACHED, { 0, 0, 0, false, false } };
	if (!pd->address_space) return r;
	struct rm_session_component_region region =
	    rm_session_component_region_at_index(pd->address_space, index);
	if (!region.found) return r;
	r.region = region.region;
	fd->cap.handle = dataspace_component_open(region.ds, region.region.writeable);
	r.result = cap_valid(fd->cap) ? RM_OK : RM_NO_RESOURCES;
	return r;
}

static struct linux_start_info_result pd_bootstrap_start_info_impl(void *state,
                                                                   struct parent_cap *parent)
{
	struct pd_session_component *pd = state;
	struct linux_start_info_result r = { PD_OK, { pd->start_ip, pd->start_sp } };
	parent->cap = cap_copy(pd->parent.cap);
	if (!cap_valid(parent->cap)) r.result = PD_NO_RESOURCES;
	return r;
}

static struct linux_bootstrap_ops const bootstrap_ops = { pd_bootstrap_region_impl,
	                                                      pd_bootstrap_start_info_impl };

/* the stub closed its bootstrap capability: it has what it needs */
static void pd_bootstrap_unreferenced(struct rpc_object *object)
{
	struct pd_session_component *pd = object->state;
	rpc_entrypoint_dissolve(&pd->core->ep, object);
}

/* ---- core-internal --------------------------------------------------------------- */

struct pd_session_component *pd_session_component_create(struct core *core, char const *label)
{
	struct allocator_alloc_ret a =
	    allocator_alloc(core->md_alloc, sizeof(struct pd_session_component));
	if (a.result != ALLOCATOR_OK) return 0;
	struct pd_session_component *pd = a.ptr;
	memory_set(pd, 0, sizeof(*pd));
	pd->core = core;
	pd->parent = CAP_INVALID(parent);
	pd->executable = -1;
	string_copy(pd->label, label, sizeof(pd->label));
	list_init(&pd->threads);
	list_insert(&core->pds, &pd->core_element);
	rpc_entrypoint_manage(&core->ep, &pd->object, linux_pd_dispatch, &pd_ops, pd);
	return pd;
}

struct pd_session_cap pd_session_component_cap(struct pd_session_component *pd)
{
	return CAP_CAST(pd_session, linux_pd_object_cap(&pd->object));
}

struct pd_session_component *pd_session_component_lookup(struct core *core,
                                                         struct pd_session_cap cap)
{
	struct rpc_object *object = rpc_entrypoint_lookup(&core->ep, cap.cap);
	if (!object || object->dispatch != linux_pd_dispatch) return 0;
	return object->state;
}

void pd_session_component_kill(struct pd_session_component *pd)
{
	struct core *core = pd->core;
	if (pd->state == PD_STATE_RUNNING) {
		enum tracer_result r = tracer_kill_process(&core->tracer, pd->pid);
		/* it may be gone already, its exit not yet taken in */
		if (r != TRACER_OK && r != TRACER_NO_SUCH_THREAD && r != TRACER_EXITED)
			log_error("could not kill the process of \"%s\" (%s)", pd->label,
			          tracer_result_name(r));
		pd->state = PD_STATE_EXITED;
	}
}

void pd_session_component_destroy(struct pd_session_component *pd)
{
	struct core *core = pd->core;
	pd_session_component_kill(pd);
	while (!list_empty(&pd->threads)) {
		struct core_thread *t =
		    LIST_CONTAINER(list_first(&pd->threads), struct core_thread, pd_element);
		pd_session_component_remove_thread(pd, t);
		if (!t->exited && t->tid) core_thread_exited(t);
	}
	rpc_entrypoint_dissolve(&core->ep, &pd->object);
	rpc_entrypoint_dissolve(&core->ep, &pd->bootstrap);
	if (list_remove(&core->pds, &pd->core_element) != LIST_REMOVE_OK)
		panic("core: PD \"%s\" not in core's list", pd->label);
	cap_close(pd->parent.cap);
	if (pd->executable >= 0) close(pd->executable);
	allocator_free(core->md_alloc, pd, sizeof(*pd));
}

void pd_session_component_add_thread(struct pd_session_component *pd,
                                     struct core_thread *thread)
{
	thread->pd = pd;
	list_insert(&pd->threads, &thread->pd_element);
}

void pd_session_component_remove_thread(struct pd_session_component *pd,
                                        struct core_thread *thread)
{
	if (list_remove(&pd->threads, &thread->pd_element) != LIST_REMOVE_OK)
		panic("core: thread '%s' not in its PD", thread->name);
	thread->pd = 0;
}

int pd_session_component_start(struct pd_session_component *pd, struct core_thread *thread,
                               uint64_t ip, uint64_t sp)
{
	struct core *core = pd->core;
	if (pd->state != PD_STATE_NEW) return CPU_UNSUPPORTED; /* later threads start inside */
	if (!pd->address_space || !cap_valid(pd->parent.cap)) return CPU_INVALID_ARGUMENT;

	pd->start_ip = ip;
	pd->start_sp = sp;
	pd->bootstrap.unreferenced = pd_bootstrap_unreferenced;
	struct linux_bootstrap_cap bootstrap =
	    linux_bootstrap_manage(&core->ep, &pd->bootstrap, &bootstrap_ops, pd);
	if (!cap_valid(bootstrap.cap)) {
		rpc_entrypoint_dissolve(&core->ep, &pd->bootstrap);
		return CPU_NO_RESOURCES;
	}

	char name[CORE_LABEL_MAX];
	string_copy(name, pd->label, sizeof(name));
	char *argv[] = { name, 0 };
	int fds[] = { bootstrap.cap.handle };
	char program[32];
	if (pd->hybrid) snprintf(program, sizeof(program), "/proc/self/fd/%d", pd->executable);
	struct tracer_spawn_result spawned =
	    tracer_spawn(&core->tracer, pd->hybrid ? program : core->loader_path, argv, fds, 1);
	cap_close(bootstrap.cap);
	if (pd->executable >= 0) close(pd->executable);
	pd->executable = -1;
	if (spawned.result != TRACER_OK) {
		log_error("could not start the process of \"%s\"", pd->label);
		rpc_entrypoint_dissolve(&core->ep, &pd->bootstrap);
		return CPU_NO_RESOURCES;
	}
	pd->pid = spawned.pid;
	pd->state = PD_STATE_RUNNING;
	thread->tid = spawned.pid;
	core_log(core, "\"%s\" started as %sprocess %d", pd->label, pd->hybrid ? "hybrid " : "",
	         pd->pid);
	return CPU_OK;
}

void pd_session_component_address_space_gone(struct core *core, struct rm_session_component *rm)
{
	struct list_element *e;
	LIST_FOR_EACH(e, &core->pds)
	{
		struct pd_session_component *pd =
		    LIST_CONTAINER(e, struct pd_session_component, core_element);
		if (pd->address_space == rm) pd->address_space = 0;
	}
}

struct pd_session_component *pd_session_component_by_pid(struct core *core, int pid)
{
	struct list_element *e;
	LIST_FOR_EACH(e, &core->pds)
	{
		struct pd_session_component *pd =
		    LIST_CONTAINER(e, struct pd_session_component, core_element);
		if (pd->state != PD_STATE_NEW && pd->pid == pid) return pd;
	}
	return 0;
}

struct core_thread *pd_session_component_thread(struct pd_session_component *pd, int tid)
{
	struct list_element *e;
	LIST_FOR_EACH(e, &pd->threads)
	{
		struct core_thread *t = LIST_CONTAINER(e, struct core_thread, pd_element);
		if (t->tid == tid) return t;
	}
	return 0;
}
