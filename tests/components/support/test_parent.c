/* SPDX-License-Identifier: MIT */
/** \brief the test parents' shared parts: a served entrypoint, symbols of a child's binary */

#include <base/log.h>
#include <base/panic.h>
#include <rom_session/rom_session.h>
#include <util/elf.h>
#include <util/format.h>

#include "test_parent.h"

static void test_parent_serve(void *ep) { rpc_entrypoint_serve(ep); }

void test_parent_init(struct test_parent *parent, struct env *env)
{
	parent->env = env;
	if (rpc_entrypoint_init(&parent->ep, parent->endpoints, TEST_PARENT_ENDPOINTS) !=
	    RPC_ENTRYPOINT_OK)
		panic("no entrypoint");
	if (thread_create(&parent->server, env, "entrypoint", test_parent_serve, &parent->ep,
	                  THREAD_STACK_SIZE_DEFAULT) != THREAD_OK)
		panic("no entrypoint thread");
}

void test_parent_start_child(struct test_parent *parent, struct child *child, char const *name,
                             uint64_t ram_quota, struct child_policy const *policy)
{
	struct child_args args = { .name = name,
		                       .ram_quota = ram_quota,
		                       .rm_override = CAP_INVALID(session),
		                       .cpu_override = CAP_INVALID(session) };
	if (policy) args.policy = *policy;
	enum child_result r = child_start(child, parent->env, &parent->ep, &args);
	if (r != CHILD_OK) panic("could not start %s (%d)", name, (int)r);
}

struct signal_context_cap test_parent_receiver_init(struct signal_receiver *receiver,
                                                    struct signal_slot *slots, uint32_t count,
                                                    struct signal_context *context,
                                                    void *imprint)
{
	if (signal_receiver_init(receiver, slots, count) != SIGNAL_RECEIVER_OK) panic("receiver");
	signal_context_init(context, imprint);
	struct signal_context_cap_result h = signal_receiver_manage(receiver, context);
	if (h.result != SIGNAL_RECEIVER_OK) panic("signal context");
	return h.cap;
}

uint64_t test_parent_symbol(struct env *env, char const *module, char const *name)
{
	char args[128];
	format_string(args, sizeof(args), "ram_quota=4096, module=\"%s\"", module);
	struct connection rom = env_session(env, "ROM", args);
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	if (rom.result != PARENT_OK ||
	    rom_session_dataspace(CAP_CAST(rom_session, rom.cap), &ds) != ROM_OK)
		panic("no ROM module %s", module);
	struct dataspace_info_result info = dataspace_info(ds);
	struct env_attach_result local = env_attach_all(env, ds, false);
	if (info.result != DATASPACE_OK || local.result != ENV_OK) panic("cannot read %s", module);

	struct elf_image image;
	struct elf_symbol symbol;
	if (elf_image_init(&image, local.address, info.info.size) != ELF_OK ||
	    elf_image_symbol_find(&image, name, &symbol) != ELF_OK)
		panic("no symbol %s in %s", name, module);
	env_detach(env, local.address);
	cap_close(ds.cap);
	env_session_close(env, &rom);
	return symbol.value;
}
