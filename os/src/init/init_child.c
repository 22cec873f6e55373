/* SPDX-License-Identifier: MIT */
/**
 * \brief init's children: start, routing of their session requests,
 *        announcements, exit and destruction
 *
 * A session request of a child arrives on the child's own entrypoint
 * thread. init serves the child's `config` ROM itself, asks route_resolve
 * (init/route.h) for everything else, and either hands the request to the
 * child framework for its parent (core, or an outer init) or opens it at
 * the sibling that provides it: the donated ram_quota moves from the
 * client's RAM session to the server's, and init calls the server's root.
 * A request for a service the sibling has not announced yet sleeps until
 * the announcement, or until the sibling is gone.
 */

#include <base/log.h>
#include <init/route.h>
#include <root/root.h>
#include <util/arg_string.h>
#include <util/format.h>
#include <util/string.h>

#include "init.h"

/* ---- sessions init handles itself ------------------------------------------------- */

static struct init_session *init_session_free_slot(struct init_child *child)
{
	for (unsigned i = 0; i < CHILD_SESSIONS_MAX; i++)
		if (!child->sessions[i].used) return &child->sessions[i];
	return 0;
}

static struct init_session *init_session_find(struct init_child *child, uint32_t id)
{
	for (unsigned i = 0; i < CHILD_SESSIONS_MAX; i++)
		if (child->sessions[i].used && child->sessions[i].id == id) return &child->sessions[i];
	return 0;
}

/* move `amount` of quota between RAM sessions; false (logged) if it cannot be done */
static bool init_transfer(struct ram_session_cap from, struct ram_session_cap to,
                          uint64_t amount, char const *what, char const *name)
{
	if (!amount) return true;
	enum ram_session_result r = ram_session_transfer_quota(from, to, amount);
	if (r == RAM_OK) return true;
	/* short of quota, or a RAM session that is gone: the caller decides */
	if (r != RAM_OUT_OF_QUOTA && r != RAM_INVALID_CAP)
		log_error("\"%s\": could not move %lu bytes %s (%d)", name, (unsigned long)amount, what,
		          (int)r);
	return false;
}

/*
 * Give a client its donation back: from the server's RAM session, or, if the
 * server is gone (its RAM session came back to init with the donation),
 * from init's. The amount given back, 0 (logged) if it is lost.
 */
static uint64_t init_donation_return(struct init_child *client, struct init_child *server,
                                     uint64_t amount)
{
	char const *name = client->config.name;
	struct ram_session_cap to = child_ram(&client->child);
	if (server &&
	    init_transfer(child_ram(&server->child), to, amount, "back from its server", name))
		return amount;
	if (init_transfer(client->init->env->ram, to, amount, "back", name)) return amount;
	log_error("\"%s\": %lu bytes of its session donation are lost", name,
	          (unsigned long)amount);
	return 0;
}

/* ---- routing ---------------------------------------------------------------------- */

static struct init_child *init_child_of_start(struct init *init, struct xml_node start)
{
	for (unsigned i = 0; i < init->child_count; i++)
		if (init->children[i].start.start == start.start) return &init->children[i];
	return 0;
}

static bool init_child_alive(struct init_child const *child)
{
	return child->state == INIT_CHILD_PENDING || child->state == INIT_CHILD_RUNNING;
}

/* route_resolve's question: is the child of this name there (or about to be)? */
static bool init_child_exists(void *state, struct xml_span name)
{
	struct init *init = state;
	for (unsigned i = 0; i < init->child_count; i++) {
		struct init_child *child = &init->children[i];
		if (child->config.valid && string_length(child->config.name) == name.length &&
		    string_compare_n(child->config.name, name.start, name.length) == 0)
			return init_child_alive(child);
	}
	return false;
}

static struct init_announcement *init_announcement_find(struct init_child *server,
                                                        char const *service)
{
	for (unsigned i = 0; i < server->announced_count; i++)
		if (string_equal(server->announced[i].service, service)) return &server->announced[i];
	return 0;
}

static void init_waiters_wake(struct init *init, struct init_child *child)
{
	struct list_element *e;
	LIST_FOR_EACH(e, &init->waiters)
	{
		struct init_waiter *w = LIST_CONTAINER(e, struct init_waiter, element);
		if (w->server == child || w->client == child) semaphore_up(&w->wakeup);
	}
}

/*
 * The root of `service` at `server`, waiting for its announcement if need be
 * (init.lock held on entry and exit). Invalid if the server is gone or the
 * client is being destroyed.
 */
static struct root_cap init_root_wait(struct init_child *client, struct init_child *server,
                                      char const *service)
{
	struct init *init = client->init;
	bool waited = false;
	for (;;) {
		if (!init_child_alive(server) || client->state != INIT_CHILD_RUNNING)
			return CAP_INVALID(root);
		struct init_announcement *a = init_announcement_find(server, service);
		if (a) {
			if (waited && init->verbose)
				log_info("\"%s\" got \"%s\" of \"%s\"", client->config.name, service,
				         server->config.name);
			return (struct root_cap){ cap_copy(a->root.cap) };
		}
		if (!waited && init->verbose)
			log_info("\"%s\" waits for \"%s\" of \"%s\"", client->config.name, service,
			         server->config.name);
		waited = true;
		struct init_waiter waiter = { .client = client, .server = server };
		semaphore_init(&waiter.wakeup, 0);
		list_insert(&init->waiters, &waiter.element);
		lock_release(&init->lock);
		semaphore_down(&waiter.wakeup);
		lock_acquire(&init->lock);
		if (list_remove(&init->waiters, &waiter.element) != LIST_REMOVE_OK)
			log_error("init: a waiter went missing");
	}
}

static char const *init_root_result_text(enum root_result r)
{
	switch (r) {
	case ROOT_DENIED:
		return "denied";
	case ROOT_INSUFFICIENT_DONATION:
		return "insufficient donation";
	case ROOT_INVALID_ARGUMENT:
		return "invalid arguments";
	default:
		return "the server is gone";
	}
}

static enum parent_result init_parent_result(enum root_result r)
{
	switch (r) {
	case ROOT_OK:
		return PARENT_OK;
	case ROOT_INSUFFICIENT_DONATION:
		return PARENT_INSUFFICIENT_DONATION;
	case ROOT_INVALID_ARGUMENT:
		return PARENT_INVALID_ARGUMENT;
	default:
		return PARENT_SERVICE_DENIED;
	}
}

/* open the session at the sibling `server` (no lock held) */
static int init_session_at_child(struct init_child *client, struct init_child *server,
                                 char const *service, char const *args, uint32_t id,
                                 struct session_cap *cap)
{
	struct init *init = client->init;
	struct init_session *slot = init_session_free_slot(client);
	if (!slot) return PARENT_OUT_OF_RESOURCES;

	lock_acquire(&init->lock);
	struct root_cap root = init_root_wait(client, server, service);
	lock_release(&init->lock);
	if (!cap_valid(root.cap)) {
		log_error("\"%s\": \"%s\" of \"%s\" is not available; denied", client->config.name,
		          service, server->config.name);
		return PARENT_SERVICE_DENIED;
	}

	struct arg_string_unsigned_ret quota =
	    arg_string_get_unsigned(args, string_length(args), "ram_quota");
	uint64_t amount = quota.result == ARG_STRING_OK ? quota.value : 0;
	if (!init_transfer(child_ram(&client->child), child_ram(&server->child), amount,
	                   "to its server", client->config.name)) {
		log_error("\"%s\": cannot pay %lu bytes for a \"%s\" session", client->config.name,
		          (unsigned long)amount, service);
		cap_close(root.cap);
		return PARENT_OUT_OF_QUOTA;
	}

	struct session_cap session = CAP_INVALID(session);
	enum root_result r = root_session(root, args, &session);
	if (r != ROOT_OK) {
		(void)init_donation_return(client, server, amount);
		/* the server's answer, which the client gets too: worth a line, not an error */
		log_warning("\"%s\": \"%s\" refused the \"%s\" session: %s", client->config.name,
		            server->config.name, service, init_root_result_text(r));
		cap_close(root.cap);
		return init_parent_result(r);
	}
	cap->cap = cap_copy(session.cap);
	lock_acquire(&init->lock);
	*slot = (struct init_session){ true, id, server, session, root, amount };
	lock_release(&init->lock);
	return cap_valid(cap->cap) ? PARENT_OK : PARENT_OUT_OF_RESOURCES;
}

/*
 * A request on its way to our parent: <parent label="x"/> replaces the
 * child's own label by x (the path of names stays). -1: route it on.
 */
static int init_parent_label(struct init_child *client, struct xml_node target, char *args)
{
	char own[SESSION_LABEL_MAX], label[SESSION_LABEL_MAX];
	struct xml_copy_ret r = xml_node_attribute_string(target, "label", own, sizeof(own));
	if (r.result == XML_ACCESS_NOT_FOUND) return -1;
	if (r.result != XML_ACCESS_OK ||
	    !child_label_compose(&client->child, own, label, sizeof(label)) ||
	    arg_string_set_string(args, SESSION_ARGS_MAX, "label", label) != ARG_STRING_OK) {
		log_error("\"%s\": the label of its route does not fit; denied", client->config.name);
		return PARENT_INVALID_ARGUMENT;
	}
	return -1;
}

static int init_policy_session(void *state, struct child *framework, char const *service,
                               char *args, uint32_t id, struct session_cap *cap)
{
	struct init_child *client = state;
	struct init *init = client->init;
	(void)framework;

	char label[SESSION_LABEL_MAX];
	if (arg_string_get_string(args, string_length(args), "label", label, sizeof(label))
	        .result != ARG_STRING_OK)
		return PARENT_INVALID_ARGUMENT;
	char const *own = child_label_own(&client->child, label);

	/* the child's own config comes from its <config> node */
	if (string_equal(service, "ROM") && string_equal(own, "config") &&
	    client->config.has_config) {
		struct init_session *slot = init_session_free_slot(client);
		if (!slot) return PARENT_OUT_OF_RESOURCES;
		*cap = init_config_rom_cap(client);
		if (!cap_valid(cap->cap)) return PARENT_OUT_OF_RESOURCES;
		*slot = (struct init_session){
			.used = true, .id = id, .cap = CAP_INVALID(session), .root = CAP_INVALID(root)
		};
		return PARENT_OK;
	}

	lock_acquire(&init->lock);
	struct route_result route =
	    route_resolve(init->config.root, client->start, service, own, init_child_exists, init);
	lock_release(&init->lock);
	switch (route.kind) {
	case ROUTE_PARENT:
		return init_parent_label(client, route.target, args);
	case ROUTE_CHILD:
		return init_session_at_child(client, init_child_of_start(init, route.start), service,
		                             args, id, cap);
	case ROUTE_DENIED:
		break;
	}
	log_error("no route to service \"%s\" for label \"%s\"; denied", service, label);
	return PARENT_SERVICE_DENIED;
}

/*
 * End a session init handles itself; the quota donated to a server comes
 * back (returned: what the client's RAM session got back now)
 */
static uint64_t init_session_end(struct init_child *client, struct init_session *s)
{
	struct init *init = client->init;
	lock_acquire(&init->lock);
	struct init_session ended = *s;
	s->used = false;
	lock_release(&init->lock);

	if (!ended.server) return 0; /* the config ROM, or the server is gone (quota returned) */
	enum root_result r = root_close(ended.root, ended.cap);
	if (r != ROOT_OK && r != ROOT_INVALID_CAP)
		log_error("\"%s\": closing its \"%s\" session failed (%d)", client->config.name,
		          ended.server->config.name, (int)r);
	cap_close(ended.cap.cap);
	cap_close(ended.root.cap);
	return init_donation_return(client, ended.server, ended.quota);
}

static uint64_t init_policy_close(void *state, struct child *framework, uint32_t id)
{
	struct init_child *client = state;
	(void)framework;
	struct init_session *s = init_session_find(client, id);
	return s ? init_session_end(client, s) : 0;
}

/* ---- announcements and exit ------------------------------------------------------- */

static enum parent_result init_policy_announce(void *state, struct child *framework,
                                               char const *service, struct root_cap root)
{
	struct init_child *server = state;
	struct init *init = server->init;
	(void)framework;
	if (!route_start_provides(server->start, service)) {
		log_error("\"%s\" announced \"%s\", which its <provides> does not declare; denied",
		          server->config.name, service);
		cap_close(root.cap);
		return PARENT_SERVICE_DENIED;
	}
	enum parent_result result = PARENT_OK;
	lock_acquire(&init->lock);
	if (init_announcement_find(server, service))
		result = PARENT_ALREADY_ANNOUNCED;
	else if (server->announced_count == INIT_ANNOUNCED_MAX)
		result = PARENT_OUT_OF_RESOURCES;
	else {
		struct init_announcement *a = &server->announced[server->announced_count++];
		string_copy(a->service, service, sizeof(a->service));
		a->root = root;
		/* logged under the lock: before any woken request's "got", after any "waits" */
		if (init->verbose) log_info("\"%s\" announced \"%s\"", server->config.name, service);
		init_waiters_wake(init, server);
	}
	lock_release(&init->lock);
	if (result != PARENT_OK) {
		log_error("\"%s\" announced \"%s\" %s; denied", server->config.name, service,
		          result == PARENT_ALREADY_ANNOUNCED ? "again"
		                                             : "beyond the services init keeps");
		cap_close(root.cap);
	}
	return result;
}

static void init_policy_exited(void *state, struct child *framework, int code)
{
	struct init_child *child = state;
	struct init *init = child->init;
	(void)framework;
	lock_acquire(&init->lock);
	bool first = child->state == INIT_CHILD_RUNNING;
	if (first) {
		child->state = INIT_CHILD_EXITED;
		child->exit_code = code;
		init_waiters_wake(init, child);
	}
	lock_release(&init->lock);
	if (first) semaphore_up(&init->exits);
}

struct child_policy const init_child_policy_template = {
	.session = init_policy_session,
	.close = init_policy_close,
	.announce = init_policy_announce,
	.exited = init_policy_exited,
};

/* ---- start and destruction -------------------------------------------------------- */

static void init_child_serve(void *argument) { rpc_entrypoint_serve(argument); }

static void init_child_stop_entrypoint(struct init_child *child)
{
	rpc_entrypoint_stop(&child->ep);
	thread_join(&child->ep_thread);
}

static void init_child_fail(struct init_child *child)
{
	struct init *init = child->init;
	lock_acquire(&init->lock);
	child->state = INIT_CHILD_NOT_STARTED;
	init_waiters_wake(init, child);
	lock_release(&init->lock);
}

void init_child_start(struct init_child *child)
{
	struct init *init = child->init;
	char const *name = child->config.name;
	char a[24], b[24], c[24], d[24];

	uint64_t need = child->config.quantum + CHILD_ENVIRONMENT_QUOTA;
	uint64_t available = init_quota_free(init);
	if (need > available) {
		log_error("start \"%s\": needs %s (quantum %s and %s for its environment), but init "
		          "has only %s left; not started",
		          name, init_size_string(need, a, sizeof(a)),
		          init_size_string(child->config.quantum, b, sizeof(b)),
		          init_size_string(CHILD_ENVIRONMENT_QUOTA, c, sizeof(c)),
		          init_size_string(available, d, sizeof(d)));
		init_child_fail(child);
		return;
	}

	if (rpc_entrypoint_init(&child->ep, child->endpoints, INIT_CHILD_ENDPOINTS) !=
	    RPC_ENTRYPOINT_OK) {
		log_error("start \"%s\": no entrypoint; not started", name);
		init_child_fail(child);
		return;
	}
	char thread_name[CPU_THREAD_NAME_MAX];
	format_string(thread_name, sizeof(thread_name), "%s", name);
	if (thread_create(&child->ep_thread, init->env, thread_name, init_child_serve, &child->ep,
	                  INIT_EP_STACK_SIZE) != THREAD_OK) {
		log_error("start \"%s\": no entrypoint thread; not started", name);
		rpc_entrypoint_destroy(&child->ep);
		init_child_fail(child);
		return;
	}
	if (child->config.has_config) child->config.has_config = init_config_rom_create(child);

	lock_acquire(&init->lock);
	child->state = INIT_CHILD_RUNNING;
	lock_release(&init->lock);

	struct child_policy policy = init_child_policy_template;
	policy.state = child;
	struct child_args args = { .name = name,
		                       .binary = child->config.binary,
		                       .ram_quota = child->config.quantum,
		                       .policy = policy,
		                       .rm_override = CAP_INVALID(session),
		                       .cpu_override = CAP_INVALID(session) };
	enum child_result r = child_start(&child->child, init->env, &child->ep, &args);
	if (r != CHILD_OK) {
		switch (r) {
		case CHILD_NO_BINARY:
			log_error("start \"%s\": no binary \"%s\"; not started", name,
			          child->config.binary);
			break;
		case CHILD_LOAD_FAILED:
			log_error("start \"%s\": binary \"%s\" could not be loaded; not started", name,
			          child->config.binary);
			break;
		case CHILD_OUT_OF_QUOTA:
			log_error("start \"%s\": out of quota; not started", name);
			break;
		default:
			log_error("start \"%s\": its environment was denied; not started", name);
		}
		init_child_fail(child);
		init_child_stop_entrypoint(child);
		if (child->config.has_config) init_config_rom_destroy(child);
		rpc_entrypoint_destroy(&child->ep);
		return;
	}
	if (init->verbose)
		log_info("\"%s\" started: quantum %s, init has %s left", name,
		         init_size_string(child->config.quantum, a, sizeof(a)),
		         init_size_string(init_quota_free(init), b, sizeof(b)));
}

void init_child_destroy(struct init_child *child)
{
	struct init *init = child->init;

	/* whatever this child's requests or others' requests for it wait for: no more */
	lock_acquire(&init->lock);
	init_waiters_wake(init, child);
	lock_release(&init->lock);
	init_child_stop_entrypoint(child);

	child_destroy(&child->child);

	/* what others opened here is gone with the server; their donations went back to
	 * init with the server's RAM session and go on to the clients */
	lock_acquire(&init->lock);
	child->state = INIT_CHILD_GONE;
	for (unsigned i = 0; i < child->announced_count; i++)
		cap_close(child->announced[i].root.cap);
	child->announced_count = 0;
	for (unsigned i = 0; i < init->child_count; i++) {
		struct init_child *client = &init->children[i];
		for (unsigned j = 0; j < CHILD_SESSIONS_MAX; j++) {
			struct init_session *s = &client->sessions[j];
			if (!s->used || s->server != child) continue;
			s->server = 0;
			cap_close(s->cap.cap);
			cap_close(s->root.cap);
			s->cap = CAP_INVALID(session);
			s->root = CAP_INVALID(root);
			(void)init_donation_return(client, 0, s->quota);
		}
	}
	lock_release(&init->lock);

	if (child->config.has_config) init_config_rom_destroy(child);
	rpc_entrypoint_destroy(&child->ep);

	log_info("\"%s\" exited with exit code %d", child->config.name, child->exit_code);
	if (init->verbose) {
		char a[24];
		log_info("\"%s\": resources returned, init has %s left", child->config.name,
		         init_size_string(init_quota_free(init), a, sizeof(a)));
	}
}
