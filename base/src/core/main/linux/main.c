/* SPDX-License-Identifier: MIT */
/**
 * \brief core on Linux: the root of the component tree
 *
 * Usage: core <boot directory>
 *
 * The boot directory holds the boot modules (ROM) and the optional setting
 * `core.config`:
 *
 *   <core ram="1G"> <start name="init" ram="..."/> </core>
 *
 * `ram` of <core> is all the memory core hands out (default 1 GiB); <start>
 * names core's one child (default: "init", with all of it). Core serves its
 * entrypoint in one thread, traces every component thread in another
 * (DESIGN §4), and runs until it is killed.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <base/log.h>
#include <util/elf.h>
#include <util/xml.h>

#include "core.h"
#include "core_child.h"
#include "linux_loader.h"
#include "ram_session_component.h"

enum { CORE_CONFIG_MAX = 4096, CORE_LOADER_MAX = 1 << 20 };

static uint64_t const core_ram_default = 1ull << 30;

static struct allocator_alloc_ret core_malloc(void *state, size_t size)
{
	(void)state;
	void *p = calloc(1, size);
	return (struct allocator_alloc_ret){ p ? ALLOCATOR_OK : ALLOCATOR_OUT_OF_MEMORY, p };
}

static void core_free(void *state, void *ptr, size_t size)
{
	(void)state, (void)size;
	free(ptr);
}

static size_t core_consumed(void *state)
{
	(void)state;
	return 0; /* core's metadata is paid by the session donations, not counted here */
}

static size_t core_overhead(void *state, size_t size)
{
	(void)state, (void)size;
	return 0;
}

static struct allocator_ops const core_allocator_ops = { core_malloc, core_free, core_consumed,
	                                                     core_overhead };

static void core_stdout(void *context, char const *text, size_t length)
{
	(void)context;
	fwrite(text, 1, length, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

/* log_error() and friends inside core: core's own lines */
static void core_log_sink(void *context, enum log_level level, char const *line, size_t length)
{
	char const *p = log_level_prefix(level);
	core_log(context, "%s%.*s", p, (int)length, line);
}

static void core_notify(void *ep) { rpc_entrypoint_wakeup(ep); }

static void *core_serve(void *ep)
{
	rpc_entrypoint_serve(ep);
	return NULL;
}

__attribute__((noreturn)) static void core_fail(char const *message)
{
	fprintf(stdout, "[core] Error: %s\n", message);
	fflush(stdout);
	exit(1);
}

/* the loader stub beside core's own binary, and its syscall gadget */
static void core_find_loader(struct core *core)
{
	char self[sizeof(core->loader_path) - 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) core_fail("cannot find core's own binary");
	self[n] = 0;
	char *slash = strrchr(self, '/');
	if (slash) *slash = 0;
	snprintf(core->loader_path, sizeof(core->loader_path), "%s/loader", self);

	static char image_data[CORE_LOADER_MAX];
	FILE *f = fopen(core->loader_path, "rb");
	if (!f) core_fail("the loader stub is missing beside core");
	size_t size = fread(image_data, 1, sizeof(image_data), f);
	fclose(f);
	struct elf_image image;
	struct elf_symbol gadget;
	if (elf_image_init(&image, image_data, size) != ELF_OK ||
	    elf_image_symbol_find(&image, LINUX_LOADER_SYSCALL_GADGET, &gadget) != ELF_OK)
		core_fail("the loader stub has no syscall gadget");
	core->loader_syscall_gadget = gadget.value;
}

struct core_settings
{
	char start[CORE_LABEL_MAX];
	uint64_t ram;
	uint64_t start_ram;
};

static void core_read_settings(char const *boot, struct core_settings *settings)
{
	strcpy(settings->start, "init");
	settings->ram = core_ram_default;
	settings->start_ram = 0;

	char path[1024], text[CORE_CONFIG_MAX];
	snprintf(path, sizeof(path), "%s/core.config", boot);
	FILE *f = fopen(path, "r");
	if (!f) return;
	size_t length = fread(text, 1, sizeof(text), f);
	fclose(f);

	struct xml_parse_ret config = xml_parse(text, length);
	if (config.result != XML_PARSE_OK || !xml_node_has_type(config.root, "core"))
		core_fail("core.config is not a <core> node");
	struct xml_unsigned_ret ram = xml_node_attribute_unsigned(config.root, "ram");
	if (ram.result == XML_ACCESS_OK) settings->ram = ram.value;
	struct xml_node_ret start = xml_node_sub_by_type(config.root, "start");
	if (start.result != XML_ACCESS_OK) return;
	struct xml_attribute_ret name = xml_node_attribute(start.node, "name");
	if (name.result != XML_ACCESS_OK ||
	    xml_attribute_decode(name.attribute, settings->start, sizeof(settings->start)).result !=
	        XML_ACCESS_OK)
		core_fail("core.config: <start> needs a name");
	struct xml_unsigned_ret start_ram = xml_node_attribute_unsigned(start.node, "ram");
	if (start_ram.result == XML_ACCESS_OK) settings->start_ram = start_ram.value;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <boot directory>\n", argv[0]);
		return 2;
	}
	static struct core core;
	static struct allocator md_alloc;
	allocator_init(&md_alloc, &core_allocator_ops, 0);
	core.md_alloc = &md_alloc;
	core.boot_directory = argv[1];
	core.log_sink = core_stdout;
	log_set_sink(core_log_sink, &core);
	list_init(&core.pds);

	/* the tracer takes SIGCHLD through a signalfd: no thread may take it as a signal */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct core_settings settings;
	core_read_settings(core.boot_directory, &settings);
	core_find_loader(&core);

	if (rpc_entrypoint_init(&core.ep, core.endpoints, CORE_ENDPOINTS) != RPC_ENTRYPOINT_OK)
		core_fail("no entrypoint");
	rpc_entrypoint_set_wakeup_handler(&core.ep, core_tracer_events, &core);
	if (tracer_init(&core.tracer, core_notify, &core.ep) != TRACER_OK)
		core_fail("cannot start the tracer");

	struct ram_session_component_create_ret root =
	    ram_session_component_create(&core.ep, core.md_alloc, settings.ram);
	if (root.result != RAM_SESSION_COMPONENT_OK) core_fail("no memory");
	cap_close(root.cap.cap);
	core.ram_root = root.ram;
	uint64_t start_ram = settings.start_ram ? settings.start_ram : settings.ram - (1u << 20);
	struct core_child *child = core_child_create(&core, settings.start, start_ram);
	if (!child) core_fail("cannot create core's child");

	pthread_t server;
	if (pthread_create(&server, NULL, core_serve, &core.ep) != 0)
		core_fail("cannot start the entrypoint thread");
	if (!core_child_load(child)) core_fail("cannot start core's child");

	pthread_join(server, NULL);
	return 0;
}
