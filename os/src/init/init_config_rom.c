/* SPDX-License-Identifier: MIT */
/**
 * \brief the `config` ROM init serves a child: its <config> node, verbatim
 *
 * One RAM dataspace per child, paid from init's quota and filled once at
 * start; every ROM session of the child gets a copy of one capability to
 * the same object on the child's entrypoint (so that opening and closing
 * sessions uses up no endpoints). The child may attach it writeable: the
 * copy is its own.
 */

#include <base/log.h>
#include <rom_session/rom_session.h>
#include <util/string.h>

#include "init.h"

RPC_SERVER(rom_session, ROM_SESSION_RPC)
RPC_SERVER_OBJECT(rom_session)

static enum rom_session_result config_rom_dataspace(void *state, struct dataspace_cap *ds)
{
	struct init_config_rom *rom = state;
	ds->cap = cap_copy(rom->ds.cap);
	return cap_valid(ds->cap) ? ROM_OK : ROM_OUT_OF_RESOURCES;
}

static struct rom_size_result config_rom_size(void *state)
{
	struct init_config_rom *rom = state;
	return (struct rom_size_result){ ROM_OK, rom->size };
}

static struct rom_session_ops const config_rom_ops = { config_rom_dataspace, config_rom_size };

bool init_config_rom_create(struct init_child *child)
{
	struct init_config_rom *rom = &child->config_rom;
	struct env *env = child->init->env;
	struct xml_node_ret node = xml_node_sub_by_type(child->start, "config");
	if (node.result != XML_ACCESS_OK) return false;

	rom->size = node.node.length;
	if (ram_session_alloc(env->ram, rom->size, &rom->ds) != RAM_OK) {
		log_error("start \"%s\": no RAM for its config (%lu bytes)", child->config.name,
		          (unsigned long)rom->size);
		return false;
	}
	struct env_attach_result local = env_attach_all(env, rom->ds, true);
	if (local.result != ENV_OK) {
		log_error("start \"%s\": cannot fill its config", child->config.name);
		if (ram_session_free(env->ram, rom->ds) != RAM_OK) log_error("config ROM not freed");
		cap_close(rom->ds.cap);
		return false;
	}
	memory_copy(local.address, node.node.start, rom->size);
	env_detach(env, local.address);
	rom->cap = rom_session_manage(&child->ep, &rom->object, &config_rom_ops, rom);
	if (!cap_valid(rom->cap.cap)) {
		init_config_rom_destroy(child);
		return false;
	}
	return true;
}

struct session_cap init_config_rom_cap(struct init_child *child)
{
	return (struct session_cap){ cap_copy(child->config_rom.cap.cap) };
}

void init_config_rom_destroy(struct init_child *child)
{
	struct init_config_rom *rom = &child->config_rom;
	struct env *env = child->init->env;
	rpc_entrypoint_dissolve(&child->ep, &rom->object);
	cap_close(rom->cap.cap);
	rom->cap = CAP_INVALID(rom_session);
	if (ram_session_free(env->ram, rom->ds) != RAM_OK)
		log_error("start \"%s\": its config ROM could not be freed", child->config.name);
	cap_close(rom->ds.cap);
	rom->ds = CAP_INVALID(dataspace);
}
