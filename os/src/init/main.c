/* SPDX-License-Identifier: MIT */
/**
 * \brief init: starts the components of its config and routes their sessions
 *
 *     <config verbose="no">
 *       <parent-provides> <service name="LOG"/> ... </parent-provides>
 *       <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>
 *       <start name="server"> <resource name="RAM" quantum="4M"/>
 *         <provides> <service name="Hello"/> </provides> </start>
 *       <start name="client"> <binary name="hello_client"/>
 *         <resource name="RAM" quantum="4M"/> <config a="2"/> </start>
 *     </config>
 *
 * init checks the config (init/config_check.h), starts every valid child in
 * document order, and then destroys each child that exits, reporting its
 * exit code. doc/init.md describes the config and the routing.
 */

#include <base/log.h>
#include <init/config_check.h>
#include <util/format.h>
#include <util/string.h>

#include "init.h"

uint64_t init_quota_free(struct init *init)
{
	struct ram_quota_result q = ram_session_quota(init->env->ram);
	if (q.result != RAM_OK || q.quota.used > q.quota.quota) return 0;
	return q.quota.quota - q.quota.used;
}

char const *init_size_string(uint64_t bytes, char *buffer, size_t size)
{
	if (bytes && bytes % (1u << 20) == 0)
		format_string(buffer, size, "%luM", (unsigned long)(bytes >> 20));
	else if (bytes && bytes % 1024 == 0)
		format_string(buffer, size, "%luK", (unsigned long)(bytes >> 10));
	else
		format_string(buffer, size, "%lu", (unsigned long)bytes);
	return buffer;
}

static void init_report(void *state, char const *line)
{
	(void)state;
	log_error("config: %s", line);
}

/* one record per <start> node; false if there is no memory for them */
static bool init_children_create(struct init *init)
{
	size_t count = 0;
	struct xml_node_ret start = xml_node_sub_by_type(init->config.root, "start");
	for (; start.result == XML_ACCESS_OK; start = xml_node_next_by_type(start.node, "start"))
		count++;
	if (!count) return true;

	struct allocator_alloc_ret a =
	    allocator_alloc(env_heap(init->env), count * sizeof(struct init_child));
	if (a.result != ALLOCATOR_OK) {
		log_error("no memory for %lu children", (unsigned long)count);
		return false;
	}
	init->children = a.ptr;
	memory_set(init->children, 0, count * sizeof(struct init_child));
	start = xml_node_sub_by_type(init->config.root, "start");
	for (; start.result == XML_ACCESS_OK; start = xml_node_next_by_type(start.node, "start")) {
		struct init_child *child = &init->children[init->child_count++];
		child->init = init;
		child->start = start.node;
		config_check_start(init->config.root, start.node, &child->config, init_report, 0);
		child->state = child->config.valid ? INIT_CHILD_PENDING : INIT_CHILD_NOT_STARTED;
	}
	return true;
}

int component_construct(struct env *env)
{
	static struct init init;
	init.env = env;
	lock_init(&init.lock);
	list_init(&init.waiters);
	semaphore_init(&init.exits, 0);

	if (config_init(&init.config, env) != CONFIG_OK) {
		log_error("no usable config, nothing to start");
		return 1;
	}
	/* value is false unless OK: missing or not a boolean, not verbose */
	init.verbose = xml_node_attribute_bool(init.config.root, "verbose").value;

	if (!xml_node_has_type(init.config.root, "config"))
		log_error("config: the root node is not <config>");
	config_check_global(init.config.root, init_report, 0);
	if (!init_children_create(&init)) return 1;

	if (init.verbose) {
		char a[24];
		log_info("%lu children configured, init has %s", (unsigned long)init.child_count,
		         init_size_string(init_quota_free(&init), a, sizeof(a)));
	}
	for (unsigned i = 0; i < init.child_count; i++)
		if (init.children[i].state == INIT_CHILD_PENDING) init_child_start(&init.children[i]);

	/* init lives on: it serves its children and cleans up after those that exit */
	for (;;) {
		semaphore_down(&init.exits);
		for (unsigned i = 0; i < init.child_count; i++) {
			struct init_child *child = &init.children[i];
			lock_acquire(&init.lock);
			bool exited = child->state == INIT_CHILD_EXITED;
			lock_release(&init.lock);
			if (exited) init_child_destroy(child);
		}
	}
}
