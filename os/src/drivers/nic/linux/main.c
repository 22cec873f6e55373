/* SPDX-License-Identifier: MIT */
/**
 * \brief nic_drv: the NIC driver of the hosted platform, a hybrid component
 *        with libslirp as the guest's network (doc/nic_drv.md)
 *
 * Reads its config (lib/nic_slirp_config.h), sets up slirp and its port
 * forwards, and serves the Nic session with the driver helper
 * (<nic/driver.h>). A config error or a forward that cannot listen on the
 * host (its port is taken) ends the component with exit code 1 before
 * "Nic" is announced, so that no client waits for a network without its
 * forwards.
 */

#include <signal.h>

#include <glib.h>
#include <libslirp.h>

#include <base/log.h>
#include <os/config.h>
#include <util/format.h>

#include "nic_slirp.h"

/*
 * slirp writes to host sockets with send() and no MSG_NOSIGNAL: a peer that
 * closed must give EPIPE, not end the driver.
 */
static void nic_drv_sigpipe_ignore(void)
{
	struct sigaction action = { .sa_handler = SIG_IGN };
	if (sigaction(SIGPIPE, &action, NULL) != 0) log_warning("SIGPIPE is not ignored");
}

/* GLib's messages (libslirp's warnings and criticals) into the LOG session */
static void nic_drv_glib_log(gchar const *domain, GLogLevelFlags level, gchar const *message,
                             gpointer state)
{
	(void)state;
	char const *from = domain ? domain : "glib";
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		log_error("%s: %s", from, message);
	else if (level & G_LOG_LEVEL_WARNING)
		log_warning("%s: %s", from, message);
	else if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
		log_info("%s: %s", from, message);
	/* debug messages (SLIRP_DEBUG) only with G_MESSAGES_DEBUG, as GLib does */
	else if (g_getenv("G_MESSAGES_DEBUG"))
		log_info("%s: %s", from, message);
}

/* the config, or the defaults without one; false (logged) if it is malformed or invalid */
static bool nic_drv_config(struct env *env, struct nic_slirp_config *config)
{
	struct config rom;
	enum config_result r = config_init(&rom, env);
	if (r == CONFIG_MALFORMED) return false; /* logged with line and column */
	char error[NIC_SLIRP_ERROR_SIZE];
	if (r != CONFIG_OK) {
		/* logged by config_init: the defaults, without forwards */
		struct xml_parse_ret empty = xml_parse("<config/>", 9);
		return empty.result == XML_PARSE_OK &&
		       nic_slirp_config_parse(empty.root, config, error) == NIC_SLIRP_CONFIG_OK;
	}
	bool valid = nic_slirp_config_parse(rom.root, config, error) == NIC_SLIRP_CONFIG_OK;
	if (!valid) log_error("%s", error);
	config_destroy(&rom, env);
	return valid;
}

static struct nic_driver_ops const nic_drv_ops = { nic_slirp_transmit };

int component_construct(struct env *env)
{
	nic_drv_sigpipe_ignore();
	g_log_set_default_handler(nic_drv_glib_log, NULL);

	struct nic_slirp_config config;
	if (!nic_drv_config(env, &config)) return 1;

	struct nic_slirp_create_ret nic = nic_slirp_create(&config);
	if (nic.result != NIC_SLIRP_OK) return 1;

	struct nic_driver_args args = { .frame_max = config.mtu + NIC_SLIRP_ETHERNET_HEADER,
		                            .link_up = true };
	for (unsigned i = 0; i < sizeof(args.mac.bytes); i++) args.mac.bytes[i] = config.mac[i];
	struct nic_driver_create_ret driver = nic_driver_create(env, &nic_drv_ops, nic.nic, &args);
	if (driver.result != NIC_DRIVER_OK) return 1;

	uint8_t const *m = config.mac;
	char keepalive[24] = "off";
	if (config.keepalive)
		format_string(keepalive, sizeof(keepalive), "%u s", (unsigned)config.keepalive);
	log_info("libslirp %s", slirp_version_string());
	log_info("network 10.0.2.0/24, host 10.0.2.2, DNS 10.0.2.3, DHCP from 10.0.2.15, mtu %u, "
	         "guest mac %02x:%02x:%02x:%02x:%02x:%02x, TCP keepalive %s",
	         (unsigned)config.mtu, m[0], m[1], m[2], m[3], m[4], m[5], keepalive);
	if (nic_driver_announce(driver.driver) != NIC_DRIVER_OK) return 1;
	nic_slirp_run(nic.nic, driver.driver);
}
