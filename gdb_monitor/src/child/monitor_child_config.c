/* SPDX-License-Identifier: MIT */
/**
 * \brief the `config` ROM the monitor serves its child: the text of the
 *        child's <config> node, as init serves one to its children
 *
 * One RAM dataspace of the monitor, filled once at the start; every ROM
 * session of the child gets a copy of one capability to the same object, so
 * sessions opened and closed use up no endpoints. The child may attach the
 * dataspace writeable: the copy is its own to spoil.
 */

#include <base/log.h>
#include <rom_session/rom_session.h>
#include <util/string.h>

#include "monitor_child_private.h"

RPC_SERVER(rom_session, ROM_SESSION_RPC)
RPC_SERVER_OBJECT(rom_session)

static enum rom_session_result monitor_child_config_dataspace(void *state,
                                                              struct dataspace_cap *ds)
{
	struct monitor_child_config *config = state;
	ds->cap = cap_copy(config->ds.cap);
	return cap_valid(ds->cap) ? ROM_OK : ROM_OUT_OF_RESOURCES;
}

static struct rom_size_result monitor_child_config_size(void *state)
{
	struct monitor_child_config *config = state;
	return (struct rom_size_result){ ROM_OK, config->size };
}

static struct rom_session_ops const monitor_child_config_ops = { monitor_child_config_dataspace,
	                                                             monitor_child_config_size };

static void monitor_child_config_free(struct monitor_child *mc)
{
	struct monitor_child_config *config = &mc->config;
	if (ram_session_free(mc->env->ram, config->ds) != RAM_OK)
		log_error("the config ROM of the target could not be freed");
	cap_close(config->ds.cap);
	config->ds = CAP_INVALID(dataspace);
}

bool monitor_child_config_create(struct monitor_child *mc, char const *text, uint64_t length)
{
	struct monitor_child_config *config = &mc->config;
	struct env *env = mc->env;
	config->valid = false;
	config->size = length;
	if (ram_session_alloc(env->ram, length ? length : 1, &config->ds) != RAM_OK) {
		log_error("no RAM for the target's config (%lu bytes)", (unsigned long)length);
		return false;
	}
	struct env_attach_result local = env_attach_all(env, config->ds, true);
	if (local.result != ENV_OK) {
		log_error("cannot fill the target's config");
		monitor_child_config_free(mc);
		return false;
	}
	memory_copy(local.address, text, length);
	env_detach(env, local.address);
	config->cap =
	    rom_session_manage(mc->ep, &config->object, &monitor_child_config_ops, config);
	if (!cap_valid(config->cap.cap)) {
		log_error("no capability for the target's config");
		rpc_entrypoint_dissolve(mc->ep, &config->object);
		monitor_child_config_free(mc);
		return false;
	}
	config->valid = true;
	return true;
}

struct session_cap monitor_child_config_cap(struct monitor_child *mc)
{
	if (!mc->config.valid) return CAP_INVALID(session);
	return (struct session_cap){ cap_copy(mc->config.cap.cap) };
}

void monitor_child_config_destroy(struct monitor_child *mc)
{
	struct monitor_child_config *config = &mc->config;
	if (!config->valid) return;
	rpc_entrypoint_dissolve(mc->ep, &config->object);
	cap_close(config->cap.cap);
	config->cap = CAP_INVALID(rom_session);
	monitor_child_config_free(mc);
	config->valid = false;
}
