/* SPDX-License-Identifier: MIT */
/** \brief a component's own config: the `config` ROM, attached and parsed */

#include <base/log.h>
#include <os/config.h>
#include <rom_session/rom_session.h>

enum { CONFIG_ROM_QUOTA = 4096 };

char const *config_parse_error_name(enum xml_parse_result result)
{
	switch (result) {
	case XML_PARSE_OK:
		return "no error";
	case XML_PARSE_NO_ROOT:
		return "no root element";
	case XML_PARSE_TRUNCATED:
		return "the document ends inside markup or an open element";
	case XML_PARSE_BAD_NAME:
		return "malformed element name";
	case XML_PARSE_BAD_TAG:
		return "malformed tag";
	case XML_PARSE_BAD_ATTRIBUTE:
		return "malformed attribute";
	case XML_PARSE_DUPLICATE_ATTRIBUTE:
		return "duplicate attribute";
	case XML_PARSE_MISMATCHED_TAG:
		return "end tag does not match the open element";
	case XML_PARSE_BAD_ENTITY:
		return "unknown or malformed '&' reference";
	case XML_PARSE_BAD_MARKUP:
		return "malformed comment, CDATA, DOCTYPE or instruction";
	case XML_PARSE_TOO_DEEP:
		return "elements nested too deeply";
	case XML_PARSE_GARBAGE:
		return "content after the root element";
	}
	return "unknown error";
}

enum config_result config_init(struct config *config, struct env *env)
{
	config->ds = CAP_INVALID(dataspace);
	config->text = 0;
	config->size = 0;
	config->rom = env_session(env, "ROM", "ram_quota=4096, label=\"config\"");
	if (config->rom.result != PARENT_OK) {
		log_error("config: no config ROM (%d)", (int)config->rom.result);
		return CONFIG_UNAVAILABLE;
	}
	struct rom_session_cap rom = CAP_CAST(rom_session, config->rom.cap);
	struct dataspace_info_result info = { DATASPACE_INVALID_CAP, { 0 } };
	if (rom_session_dataspace(rom, &config->ds) == ROM_OK) info = dataspace_info(config->ds);
	struct env_attach_result local = { ENV_INVALID_ARGUMENT, 0 };
	if (info.result == DATASPACE_OK) local = env_attach_all(env, config->ds, false);
	if (local.result != ENV_OK) {
		log_error("config: the config ROM cannot be attached");
		cap_close(config->ds.cap);
		env_session_close(env, &config->rom);
		return CONFIG_UNAVAILABLE;
	}
	config->text = local.address;
	config->size = info.info.size;

	struct xml_parse_ret parsed = xml_parse(config->text, config->size);
	if (parsed.result != XML_PARSE_OK) {
		log_error("config: malformed XML at line %u, column %u: %s", parsed.error_line,
		          parsed.error_column, config_parse_error_name(parsed.result));
		config_destroy(config, env);
		return CONFIG_MALFORMED;
	}
	config->root = parsed.root;
	return CONFIG_OK;
}

void config_destroy(struct config *config, struct env *env)
{
	if (config->text) env_detach(env, (void *)config->text);
	config->text = 0;
	cap_close(config->ds.cap);
	config->ds = CAP_INVALID(dataspace);
	env_session_close(env, &config->rom);
}
