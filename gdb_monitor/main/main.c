/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB monitor component: its config, the target under the GDB
 *        server, and the event loop
 *
 * Two threads: the entrypoint's serves the target (its parent interface and
 * the virtual RM and CPU sessions); the main thread runs the event loop and
 * is the debugger's (the server, run control, child memory).
 *
 * The event loop waits for the target's exception signal and hands it to
 * the server. The TCP transport (lwIP on a Nic session, net/) plugs in here:
 * it owns the loop then, adds the target's signal as one more source, and
 * calls gdb_server_connect, _receive, _sendable and _disconnect for its one
 * connection on the configured port (gdb_server.h, transport.h).
 */

#include <base/log.h>
#include <base/panic.h>
#include <base/thread.h>
#include <gdb_server/gdb_server.h>
#include <gdb_server/monitor_config.h>
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
	struct signal_receiver receiver;
	struct signal_slot slots[1];
	struct signal_context target_signal;
	struct gdb_server server;
};

static void gdb_monitor_serve(void *ep) { rpc_entrypoint_serve(ep); }

/* no transport yet: whatever the server sends has nowhere to go */
static size_t gdb_monitor_send_nowhere(void *state, void const *data, size_t length)
{
	(void)state, (void)data;
	return length;
}

static struct gdb_transport_ops const gdb_monitor_no_transport = { gdb_monitor_send_nowhere };

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
	if (signal_receiver_init(&m->receiver, m->slots, 1) != SIGNAL_RECEIVER_OK) {
		log_error("gdb_monitor: no signal receiver");
		return false;
	}
	signal_context_init(&m->target_signal, m);
	struct signal_context_cap_result handler =
	    signal_receiver_manage(&m->receiver, &m->target_signal);
	if (handler.result != SIGNAL_RECEIVER_OK) {
		log_error("gdb_monitor: no signal context for the target");
		return false;
	}

	struct gdb_monitor_config const *s = &m->settings;
	log_info("gdb_monitor: target \"%s\" (binary \"%s\", %lu KiB RAM%s), GDB on TCP port %u%s",
	         s->name, s->binary, (unsigned long)(s->ram >> 10), s->config ? ", its config" : "",
	         (unsigned)s->port, s->wait ? ", stopped until GDB continues it" : "");
	struct gdb_server_args args = {
		.env = env,
		.ep = &m->ep,
		.transport = { &gdb_monitor_no_transport, m },
		.handler = handler.cap,
		.name = s->name,
		.binary = s->binary,
		.ram_quota = s->ram,
		.config = s->config,
		.config_length = s->config_length,
		.wait = s->wait,
	};
	return gdb_server_init(&m->server, &args) == GDB_SERVER_OK; /* logged if not */
}

int component_construct(struct env *env)
{
	static struct gdb_monitor monitor;
	if (!gdb_monitor_init(&monitor, env)) return 1;
	log_warning("gdb_monitor: no TCP transport in this build yet: GDB cannot connect");
	for (;;) {
		struct signal s = signal_receiver_wait(&monitor.receiver);
		if (s.result != SIGNAL_OK) panic("gdb_monitor: the signal receiver failed");
		gdb_server_child_event(&monitor.server);
	}
}
