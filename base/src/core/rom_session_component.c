/* SPDX-License-Identifier: MIT */
/** \brief core's ROM session: module name from the arguments, file into a sealed dataspace */

#include <base/log.h>
#include <base/session.h>
#include <util/arg_string.h>
#include <util/string.h>

#include "core_memory.h"
#include "dataspace_component.h"
#include "rom_session_component.h"

RPC_SERVER(rom_session, ROM_SESSION_RPC)
RPC_SERVER_OBJECT(rom_session)

struct rom_session_component
{
	struct rpc_object object;
	struct rpc_entrypoint *ep;
	struct allocator *alloc;
	struct dataspace_component *ds; /* one reference is ours */
	uint64_t size;
	char name[ROM_MODULE_NAME_MAX + 1];
};

static char const rom_label_separator[] = " -> ";

static bool rom_name_valid(char const *name)
{
	size_t length = string_length_bounded(name, ROM_MODULE_NAME_MAX + 1);
	if (length == 0 || length > ROM_MODULE_NAME_MAX || string_equal(name, ".")) return false;
	for (size_t i = 0; i < length; i++) {
		if (name[i] == '/') return false;
		if (name[i] == '.' && name[i + 1] == '.') return false;
	}
	return true;
}

/* the last element of a label: what follows the last separator */
static char const *rom_label_last(char const *label)
{
	char const *last = label;
	size_t separator = sizeof(rom_label_separator) - 1;
	for (char const *p = label; *p; p++)
		if (string_compare_n(p, rom_label_separator, separator) == 0) last = p + separator;
	return last;
}

enum rom_session_component_result rom_session_component_module_name(char const *args,
                                                                    char *name, size_t size)
{
	if (size > 0) name[0] = 0;
	if (size < ROM_MODULE_NAME_MAX + 1) return ROM_SESSION_COMPONENT_INVALID_NAME;

	char value[SESSION_ARGS_MAX];
	size_t length = string_length_bounded(args, SESSION_ARGS_MAX);
	char const *candidate = value;
	struct arg_string_copy_ret c =
	    arg_string_get_string(args, length, "module", value, sizeof(value));
	if (c.result == ARG_STRING_NOT_FOUND) {
		c = arg_string_get_string(args, length, "label", value, sizeof(value));
		if (c.result == ARG_STRING_OK) candidate = rom_label_last(value);
	}
	if (c.result == ARG_STRING_NO_SPACE) return ROM_SESSION_COMPONENT_INVALID_NAME;
	if (c.result != ARG_STRING_OK) return ROM_SESSION_COMPONENT_INVALID_ARGS;
	if (!rom_name_valid(candidate)) return ROM_SESSION_COMPONENT_INVALID_NAME;
	enum string_copy_result copied = string_copy(name, candidate, size);
	return copied == STRING_COPY_OK ? ROM_SESSION_COMPONENT_OK
	                                : ROM_SESSION_COMPONENT_INVALID_NAME;
}

/* ---- RPC --------------------------------------------------------------------------- */

static enum rom_session_result rom_rpc_dataspace(void *state, struct dataspace_cap *ds)
{
	struct rom_session_component *rom = state;
	*ds = dataspace_component_cap(rom->ds);
	return cap_valid(ds->cap) ? ROM_OK : ROM_OUT_OF_RESOURCES;
}

static struct rom_size_result rom_rpc_size(void *state)
{
	struct rom_session_component const *rom = state;
	return (struct rom_size_result){ ROM_OK, rom->size };
}

static struct rom_session_ops const rom_rpc_ops = {
	.dataspace = rom_rpc_dataspace,
	.size = rom_rpc_size,
};

/* ---- core's interface -------------------------------------------------------------- */

static enum rom_session_component_result rom_memory_result(enum core_memory_result result)
{
	switch (result) {
	case CORE_MEMORY_OK:
		return ROM_SESSION_COMPONENT_OK;
	case CORE_MEMORY_NOT_FOUND:
		return ROM_SESSION_COMPONENT_NOT_FOUND;
	case CORE_MEMORY_INVALID_SIZE:
	case CORE_MEMORY_OUT_OF_MEMORY:
	case CORE_MEMORY_IO_ERROR:
		break;
	}
	return ROM_SESSION_COMPONENT_OUT_OF_MEMORY;
}

struct rom_session_component_create_ret rom_session_component_create(struct rpc_entrypoint *ep,
                                                                     struct allocator *alloc,
                                                                     char const *boot_directory,
                                                                     char const *args)
{
	struct rom_session_component_create_ret r = { ROM_SESSION_COMPONENT_INVALID_ARGS, 0,
		                                          CAP_INVALID(rom_session) };
	char name[ROM_MODULE_NAME_MAX + 1];
	r.result = rom_session_component_module_name(args, name, sizeof(name));
	if (r.result != ROM_SESSION_COMPONENT_OK) {
		log_warning("ROM session denied: no valid module name in \"%s\"", args);
		return r;
	}

	r.result = ROM_SESSION_COMPONENT_OUT_OF_METADATA;
	struct allocator_alloc_ret a = allocator_alloc(alloc, sizeof(struct rom_session_component));
	if (a.result != ALLOCATOR_OK) return r;
	struct rom_session_component *rom = a.ptr;
	*rom = (struct rom_session_component){ .ep = ep, .alloc = alloc };
	memory_copy(rom->name, name, sizeof(name));

	struct core_memory_ret memory = core_memory_load_file(boot_directory, name);
	r.result = rom_memory_result(memory.result);
	if (r.result == ROM_SESSION_COMPONENT_OK) {
		uint64_t backing = page_round_up(memory.size ? memory.size : 1);
		struct dataspace_component_create_ret c =
		    dataspace_component_create(ep, alloc, memory.handle, backing, false, true, rom);
		if (c.result != DATASPACE_COMPONENT_OK) {
			core_memory_release(memory.handle);
			r.result = ROM_SESSION_COMPONENT_OUT_OF_METADATA;
		}
		rom->ds = c.ds;
		rom->size = memory.size;
	}
	if (r.result == ROM_SESSION_COMPONENT_OK) {
		r.cap = rom_session_manage(ep, &rom->object, &rom_rpc_ops, rom);
		if (!cap_valid(r.cap.cap)) {
			rpc_entrypoint_dissolve(ep, &rom->object);
			dataspace_component_unref(rom->ds);
			r.result = ROM_SESSION_COMPONENT_NO_RESOURCES;
		}
	}
	if (r.result != ROM_SESSION_COMPONENT_OK) {
		if (r.result == ROM_SESSION_COMPONENT_NOT_FOUND)
			log_error("ROM module \"%s\" not found", name);
		else
			log_error("ROM module \"%s\" could not be loaded", name);
		allocator_free(alloc, rom, sizeof(*rom));
		return r;
	}
	r.rom = rom;
	return r;
}

void rom_session_component_destroy(struct rom_session_component *rom)
{
	rpc_entrypoint_dissolve(rom->ep, &rom->object);
	dataspace_component_revoke(rom->ds);
	dataspace_component_unref(rom->ds);
	allocator_free(rom->alloc, rom, sizeof(*rom));
}

struct rom_session_cap rom_session_component_cap(struct rom_session_component *rom)
{
	return rom_session_object_cap(&rom->object);
}

struct dataspace_component *rom_session_component_dataspace(struct rom_session_component *rom)
{
	return rom->ds;
}

uint64_t rom_session_component_size(struct rom_session_component const *rom)
{
	return rom->size;
}

char const *rom_session_component_name(struct rom_session_component const *rom)
{
	return rom->name;
}
