/* SPDX-License-Identifier: MIT */
/**
 * \brief the component entry of a component with main(argc, argv)
 *
 * The linker takes this file only when the component does not implement
 * component_construct itself. argv are the `value` attributes of the
 * `<arg>` nodes of the component's config, in order; without any, argc is 1
 * and argv[0] is "component". main's return value goes to exit(), so
 * atexit handlers run and the streams are flushed before the parent hears
 * the exit code.
 */

#include <stdlib.h>

#include <base/log.h>
#include <libc/libc.h>
#include <os/config.h>

#include "libc_private.h"

int main(int argc, char **argv);

enum { LIBC_ARGS_MAX = 64, LIBC_ARG_MAX = 256 };

/* argv from the config's <arg> nodes, on the heap; 0 if there is no memory */
static char **libc_argv(struct env *env, int *argc)
{
	static char name[] = "component";
	static char *fallback[] = { name, 0 };
	*argc = 1;

	struct config config;
	if (config_init(&config, env) != CONFIG_OK) return fallback;
	char **argv = calloc(LIBC_ARGS_MAX + 1, sizeof(char *));
	int count = 0;
	struct xml_node_ret arg = xml_node_sub_by_type(config.root, "arg");
	for (; argv && arg.result == XML_ACCESS_OK && count < LIBC_ARGS_MAX;
	     arg = xml_node_next_by_type(arg.node, "arg")) {
		char *value = malloc(LIBC_ARG_MAX);
		if (!value) break;
		struct xml_copy_ret c =
		    xml_node_attribute_string(arg.node, "value", value, LIBC_ARG_MAX);
		if (c.result != XML_ACCESS_OK) {
			log_error("libc: config: an <arg> without a value of at most %d bytes; ignored",
			          LIBC_ARG_MAX - 1);
			free(value);
			continue;
		}
		argv[count++] = value;
	}
	if (arg.result == XML_ACCESS_OK && count == LIBC_ARGS_MAX)
		log_error("libc: config: more than %d <arg> nodes; the rest are ignored",
		          LIBC_ARGS_MAX);
	config_destroy(&config, env);
	if (!argv || count == 0) {
		free(argv);
		return fallback;
	}
	*argc = count;
	return argv;
}

int component_construct(struct env *env)
{
	(void)libc_env();
	int argc;
	char **argv = libc_argv(env, &argc);
	exit(main(argc, argv));
}
