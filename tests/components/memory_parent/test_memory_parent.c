/* SPDX-License-Identifier: MIT */
/**
 * \brief test-memory-parent: finds a variable of its child in the child's
 *        RM session, reads and writes it through the dataspace, and lists
 *        the child's regions for the run script (run/memory.run)
 */

#include <base/log.h>
#include <base/panic.h>

#include "test_parent.h"

/* the child's variable as the parent sees it, through the variable's dataspace */
static uint64_t volatile *memory_map(struct env *env, struct child *child, uint64_t address)
{
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	struct rm_region_result r = rm_session_region(child_rm(child), address, &ds);
	if (r.result != RM_OK || r.region.start > address)
		panic("no region at 0x%lx", (unsigned long)address);
	struct env_attach_result local = env_attach_all(env, ds, true);
	if (local.result != ENV_OK) panic("cannot attach the child's dataspace");
	cap_close(ds.cap);
	char *variable = (char *)local.address + r.region.offset + (address - r.region.start);
	/* cppcheck-suppress CastIntegerToAddressAtReturn ; it takes the RPC result for an integer
	 */
	return (uint64_t volatile *)(void *)variable;
}

static void memory_list_regions(struct child *child)
{
	for (uint64_t address = 0;;) {
		struct dataspace_cap ds = CAP_INVALID(dataspace);
		struct rm_region_result r = rm_session_region(child_rm(child), address, &ds);
		cap_close(ds.cap);
		if (r.result != RM_OK) break;
		log_info("region %lx-%lx %c%c", (unsigned long)r.region.start,
		         (unsigned long)(r.region.start + r.region.size),
		         r.region.writeable ? 'w' : '-', r.region.executable ? 'x' : '-');
		address = r.region.start + r.region.size;
	}
}

int component_construct(struct env *env)
{
	static struct test_parent parent;
	static struct child child;
	test_parent_init(&parent, env);
	uint64_t value_address = test_parent_symbol(env, "test-memory", "memory_value");
	uint64_t ack_address = test_parent_symbol(env, "test-memory", "memory_ack");
	test_parent_start_child(&parent, &child, "test-memory", 2 << 20, 0);

	uint64_t volatile *value = memory_map(env, &child, value_address);
	uint64_t volatile *ack = memory_map(env, &child, ack_address);
	log_info("parent reads memory_value = 0x%lx", (unsigned long)*value);
	*value = 0x2222;
	log_info("parent wrote 0x2222");
	while (*ack != 1) __asm__ volatile("pause");
	log_info("child saw the change");
	memory_list_regions(&child);
	log_info("regions listed");
	thread_join(&parent.server); /* the child stays for the mapping check */
	return 0;
}
