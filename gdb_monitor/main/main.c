/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB monitor component: its config, the target under the GDB
 *        server, lwIP on a Nic session, and the event loop
 *
 * Two threads: the entrypoint's serves the target (its parent interface and
 * the virtual RM and CPU sessions); the main thread runs the lwIP event loop
 * and is the debugger's (the server, run control, child memory, lwIP).
 *
 * The loop (net/lwip_loop) serves the Nic session's signals (nic_netif: the
 * address from the config's <net> node, DHCP by default), the target's
 * signal and the TCP connection to GDB on the configured port (gdb_tcp:
 * gdb_server_connect, _receive, _sendable and _disconnect).
 */

#include <base/log.h>
#include <base/panic.h>
#include <base/thread.h>
#include <gdb_server/gdb_server.h>
#include <gdb_server/monitor_config.h>
#include <gdb_tcp/gdb_tcp.h>
#include <lwip_loop/lwip_loop.h>
#include <nic_netif/nic_netif.h>
#include <os/config.h>

enum { GDB_MONITOR_ENDPOINTS = 256 };

/* everything the component has, in one place */
struct gdb_monitor
{
	struct env *env;
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[GDB_MONITOR_ENDPOINTS];
	struct thread ep_thread;
	struct config config;
	struct gdb_monitor_config settings;
	struct lwip_loop loop;
	struct nic_netif netif;
	struct gdb_tcp tcp;
	struct gdb_server server;
};

static void gdb_monitor_serve(void *ep) { rpc_entrypoint_serve(ep); }

/* the netif has its address: GDB can come */
static void gdb_monitor_net_up(void *arg, uint32_t address)
{
	struct gdb_monitor *m = arg;
	log_info("gdb_monitor: listening for GDB on %u.%u.%u.%u:%u", (unsigned)(address >> 24),
	         (unsigned)(address >> 16 & 0xff), (unsigned)(address >> 8 & 0xff),
	         (unsigned)(address & 0xff), (unsigned)m->settings.port);
}

static bool gdb_monitor_init(struct gdb_monitor *m, struct env *env)
{
	m->env = env;
	if (config_init(&m->config, env) != CONFIG_OK) {
		log_error("gdb_monitor: no config");
		return false;
	}
	enum gdb_monitor_config_result c = gdb_monitor_config_parse(m->config.root, &m->settings);
	if (c != GDB_MONITOR_CONFIG_OK) {
		log_error("gdb_monitor: bad config: %s", gdb_monitor_config_result_text(c));
		return false;
	}
	if (rpc_entrypoint_init(&m->ep, m->endpoints, GDB_MONITOR_ENDPOINTS) != RPC_ENTRYPOINT_OK ||
	    thread_create(&m->ep_thread, env, "entrypoint", gdb_monitor_serve, &m->ep,
	                  THREAD_STACK_SIZE_DEFAULT) != THREAD_OK) {
		log_error("gdb_monitor: no entrypoint for the target");
		return false;
	}

	/* lwIP and the listener first: the target's signal is a source of the loop */
	enum lwip_loop_result l = lwip_loop_init(&m->loop, env);
	if (l != LWIP_LOOP_OK) {
		log_error("gdb_monitor: no lwIP event loop (%d)", (int)l);
		return false;
	}
	struct gdb_monitor_config const *s = &m->settings;
	if (gdb_tcp_init(&m->tcp, &m->loop, s->port) != GDB_TCP_OK) return false; /* logged */

	log_info("gdb_monitor: target \"%s\" (binary \"%s\", %lu KiB RAM%s), GDB on TCP port %u%s",
	         s->name, s->binary, (unsigned long)(s->ram >> 10), s->config ? ", its config" : "",
	         (unsigned)s->port, s->wait ? ", stopped until GDB continues it" : "");
	struct gdb_server_args args = {
		.env = env,
		.ep = &m->ep,
		.transport = gdb_tcp_transport(&m->tcp),
		.handler = gdb_tcp_child_handler(&m->tcp),
		.name = s->name,
		.binary = s->binary,
		.ram_quota = s->ram,
		.config = s->config,
		.config_length = s->config_length,
		.wait = s->wait,
	};
	gdb_server_init(&m->server, &args);
	gdb_tcp_start(&m->tcp, &m->server);

	/* the network last: its address line says that GDB may come */
	struct nic_netif_args net = {
		.label = "", .config = &m->config.root, .up = gdb_monitor_net_up, .up_arg = m
	};
	if (nic_netif_init(&m->netif, &m->loop, &net) != NIC_NETIF_OK) return false; /* logged */
	return true;
}

int component_construct(struct env *env)
{
	static struct gdb_monitor monitor;
	if (!gdb_monitor_init(&monitor, env)) return 1;
	enum lwip_loop_result r = lwip_loop_run(&monitor.loop);
	log_error("gdb_monitor: the event loop ended (%d): the timer is gone", (int)r);
	return 1;
}
