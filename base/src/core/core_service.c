/* SPDX-License-Identifier: MIT */
/** \brief core's services: RAM, ROM, RM, PD, CPU, LOG; IRQ, IO_MEM, IO_PORT per platform */

#include <base/log.h>
#include <util/arg_string.h>
#include <util/format.h>
#include <util/string.h>

#include "core_device.h"
#include "core_service.h"
#include "cpu_session_component.h"
#include "log_session_component.h"
#include "pd_session_component.h"
#include "ram_session_component.h"
#include "rm_session_component.h"
#include "rom_session_component.h"

/* what a session costs core at least, to be donated with the request */
enum {
	CORE_SESSION_QUOTA_MIN = 4096,
	CORE_RM_QUOTA_MIN = 16384,
	CORE_CPU_QUOTA_MIN = 16384,
	CORE_PD_QUOTA_MIN = 16384,
};

struct core_service
{
	char const *name;
	uint64_t quota_min;
	struct core_service_object (*create)(struct core *core, char const *label, char const *args,
	                                     uint64_t quota);
	struct session_cap (*cap)(void *object);
	void (*destroy)(struct core *core, void *object);
	/* what closing the session gives back to its payer (optional: the donation) */
	uint64_t (*returned)(void *object);
};

/* ---- the services ---------------------------------------------------------------- */

#define CORE_SERVICE_OBJECT(r, field)                                       \
	((struct core_service_object){ (r).result == 0 ? (void *)(r).field : 0, \
	                               CAP_CAST(session, (r).cap) })

static struct core_service_object core_ram_create(struct core *core, char const *label,
                                                  char const *args, uint64_t quota)
{
	(void)label, (void)args;
	/* what the donation does not cost in metadata is the new session's quota */
	struct ram_session_component_create_ret r =
	    ram_session_component_create(&core->ep, core->md_alloc, quota - CORE_SESSION_QUOTA_MIN);
	return CORE_SERVICE_OBJECT(r, ram);
}
static struct session_cap core_ram_cap(void *object)
{
	return CAP_CAST(session, ram_session_component_cap(object));
}
static void core_ram_destroy(struct core *core, void *object)
{
	(void)core;
	ram_session_component_destroy(object);
}
/* a RAM session gives back what it holds now: transfers in and out change it */
static uint64_t core_ram_returned(void *object)
{
	return ram_session_component_quota(object).quota + CORE_SESSION_QUOTA_MIN;
}

static struct core_service_object core_rom_create(struct core *core, char const *label,
                                                  char const *args, uint64_t quota)
{
	(void)quota, (void)label;
	struct rom_session_component_create_ret r =
	    rom_session_component_create(&core->ep, core->md_alloc, core->boot_directory, args);
	return CORE_SERVICE_OBJECT(r, rom);
}
static struct session_cap core_rom_cap(void *object)
{
	return CAP_CAST(session, rom_session_component_cap(object));
}
static void core_rom_destroy(struct core *core, void *object)
{
	(void)core;
	rom_session_component_destroy(object);
}

static struct core_service_object core_rm_create(struct core *core, char const *label,
                                                 char const *args, uint64_t quota)
{
	(void)args, (void)label, (void)quota;
	struct rm_session_component_create_ret r =
	    rm_session_component_create(&core->ep, core->md_alloc, RM_AREA_START, RM_AREA_END);
	return CORE_SERVICE_OBJECT(r, rm);
}
static struct session_cap core_rm_cap(void *object)
{
	return CAP_CAST(session, rm_session_component_cap(object));
}
static void core_rm_destroy(struct core *core, void *object)
{
	pd_session_component_address_space_gone(core, object);
	rm_session_component_destroy(object);
}

static struct core_service_object core_pd_create(struct core *core, char const *label,
                                                 char const *args, uint64_t quota)
{
	(void)args, (void)quota;
	struct pd_session_component *pd = pd_session_component_create(core, label);
	return (struct core_service_object){ pd,
		                                 pd ? CAP_CAST(session, pd_session_component_cap(pd))
		                                    : CAP_INVALID(session) };
}
static struct session_cap core_pd_cap(void *object)
{
	return CAP_CAST(session, pd_session_component_cap(object));
}
static void core_pd_destroy(struct core *core, void *object)
{
	(void)core;
	pd_session_component_destroy(object);
}

static struct core_service_object core_cpu_create(struct core *core, char const *label,
                                                  char const *args, uint64_t quota)
{
	(void)args;
	struct cpu_session_component *cpu = cpu_session_component_create(core, label, quota);
	return (struct core_service_object){ cpu,
		                                 cpu ? CAP_CAST(session, cpu_session_component_cap(cpu))
		                                     : CAP_INVALID(session) };
}
static struct session_cap core_cpu_cap(void *object)
{
	return CAP_CAST(session, cpu_session_component_cap(object));
}
static void core_cpu_destroy(struct core *core, void *object)
{
	(void)core;
	cpu_session_component_destroy(object);
}

static struct core_service_object core_log_create(struct core *core, char const *label,
                                                  char const *args, uint64_t quota)
{
	(void)args, (void)quota;
	struct log_session_component_create_ret r = log_session_component_create(
	    &core->ep, core->md_alloc, label, core->log_sink, core->log_sink_context);
	return CORE_SERVICE_OBJECT(r, log);
}
static struct session_cap core_log_cap(void *object)
{
	return CAP_CAST(session, log_session_component_cap(object));
}
static void core_log_destroy(struct core *core, void *object)
{
	(void)core;
	log_session_component_destroy(object);
}

/* device sessions are the platform's (core_device.h) */
static struct core_service_object core_irq_create(struct core *core, char const *label,
                                                  char const *args, uint64_t quota)
{
	return core_device_create(core, "IRQ", label, args, quota);
}
static struct core_service_object core_io_mem_create(struct core *core, char const *label,
                                                     char const *args, uint64_t quota)
{
	return core_device_create(core, "IO_MEM", label, args, quota);
}
static struct core_service_object core_io_port_create(struct core *core, char const *label,
                                                      char const *args, uint64_t quota)
{
	return core_device_create(core, "IO_PORT", label, args, quota);
}

static struct core_service const core_services[] = {
	{ "RAM", CORE_SESSION_QUOTA_MIN, core_ram_create, core_ram_cap, core_ram_destroy,
	  core_ram_returned },
	{ "ROM", CORE_SESSION_QUOTA_MIN, core_rom_create, core_rom_cap, core_rom_destroy, 0 },
	{ "RM", CORE_RM_QUOTA_MIN, core_rm_create, core_rm_cap, core_rm_destroy, 0 },
	{ "PD", CORE_PD_QUOTA_MIN, core_pd_create, core_pd_cap, core_pd_destroy, 0 },
	{ "CPU", CORE_CPU_QUOTA_MIN, core_cpu_create, core_cpu_cap, core_cpu_destroy, 0 },
	{ "LOG", CORE_SESSION_QUOTA_MIN, core_log_create, core_log_cap, core_log_destroy, 0 },
	{ "IRQ", CORE_SESSION_QUOTA_MIN, core_irq_create, core_device_cap, core_device_destroy, 0 },
	{ "IO_MEM", CORE_SESSION_QUOTA_MIN, core_io_mem_create, core_device_cap,
	  core_device_destroy, 0 },
	{ "IO_PORT", CORE_SESSION_QUOTA_MIN, core_io_port_create, core_device_cap,
	  core_device_destroy, 0 },
};

/* ---- requests -------------------------------------------------------------------- */

static struct core_service const *core_service_find(char const *name)
{
	for (size_t i = 0; i < sizeof(core_services) / sizeof(core_services[0]); i++)
		if (string_equal(core_services[i].name, name)) return &core_services[i];
	return 0;
}

static void core_session_deposit(struct core *core, struct ram_session_component *payer,
                                 uint64_t amount)
{
	if (ram_session_component_deposit(payer, amount) != RAM_OK)
		core_log(core, "could not return %lu bytes of quota", (unsigned long)amount);
}

struct core_session_result core_session_open(struct core *core, char const *name,
                                             char const *args, char const *requester,
                                             struct ram_session_component *payer)
{
	struct core_session_result r = { PARENT_INVALID_ARGUMENT, 0, CAP_INVALID(session) };
	size_t const args_length = string_length(args);
	struct core_service const *service = core_service_find(name);
	if (!service) {
		core_log(core, "no service \"%s\" (requested by \"%s\")", name, requester);
		r.result = PARENT_SERVICE_DENIED;
		return r;
	}
	if (arg_string_validate(args, args_length) != ARG_STRING_OK) {
		core_log(core, "malformed arguments for %s session of \"%s\": \"%s\"", name, requester,
		         args);
		return r;
	}

	char label[CORE_LABEL_MAX];
	char own[CORE_LABEL_MAX];
	struct arg_string_copy_ret own_label =
	    arg_string_get_string(args, args_length, "label", own, sizeof(own));
	if (own_label.result == ARG_STRING_OK && own[0])
		format_string(label, sizeof(label), "%s -> %s", requester, own);
	else
		string_copy(label, requester, sizeof(label));

	struct arg_string_unsigned_ret quota =
	    arg_string_get_unsigned(args, args_length, "ram_quota");
	if (quota.result == ARG_STRING_NOT_FOUND)
		quota.value = 0;
	else if (quota.result != ARG_STRING_OK) {
		core_log(core, "malformed ram_quota for %s session of \"%s\"", name, label);
		return r;
	}
	if (quota.value < service->quota_min) {
		core_log(core, "%s session of \"%s\" denied: ram_quota %lu below the %lu it needs",
		         name, label, (unsigned long)quota.value, (unsigned long)service->quota_min);
		r.result = PARENT_INSUFFICIENT_DONATION;
		return r;
	}

	struct allocator_alloc_ret a = allocator_alloc(core->md_alloc, sizeof(struct core_session));
	if (a.result != ALLOCATOR_OK) {
		r.result = PARENT_OUT_OF_RESOURCES;
		return r;
	}
	if (ram_session_component_withdraw(payer, quota.value) != RAM_OK) {
		core_log(core, "%s session of \"%s\" denied: its RAM session cannot pay %lu bytes",
		         name, label, (unsigned long)quota.value);
		allocator_free(core->md_alloc, a.ptr, sizeof(struct core_session));
		r.result = PARENT_OUT_OF_QUOTA;
		return r;
	}

	struct core_service_object created = service->create(core, label, args, quota.value);
	void *object = created.object;
	struct session_cap cap = created.cap;
	if (!object || !cap_valid(cap.cap)) {
		if (object) service->destroy(core, object);
		cap_close(cap.cap);
		core_session_deposit(core, payer, quota.value);
		allocator_free(core->md_alloc, a.ptr, sizeof(struct core_session));
		r.result = PARENT_SERVICE_DENIED;
		return r;
	}

	struct core_session *session = a.ptr;
	*session = (struct core_session){ { 0 }, 0, service, object, quota.value, payer };
	r.result = PARENT_OK;
	r.session = session;
	r.cap = cap;
	return r;
}

struct session_cap core_session_cap(struct core_session *session)
{
	return session->service->cap(session->object);
}

uint64_t core_session_close(struct core *core, struct core_session *session)
{
	uint64_t returned = session->service->returned ? session->service->returned(session->object)
	                                               : session->quota;
	struct ram_session_component *payer = session->payer;
	session->service->destroy(core, session->object);
	if (payer) core_session_deposit(core, payer, returned);
	allocator_free(core->md_alloc, session, sizeof(*session));
	return payer ? returned : 0;
}
