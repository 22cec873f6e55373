/* SPDX-License-Identifier: MIT */
/**
 * \brief init's private parts: the children it started and what they serve
 *
 * Threads: init's main thread starts the children and later destroys those
 * that exited. Each child has an entrypoint thread of its own that serves
 * the child's parent interface, so that a request which waits for a
 * sibling's announcement blocks only that child. `init.lock` guards the
 * children's state, the announcements and the waiters. No child is called
 * while it is held; core is (LOG lines, RAM quota transfers), which never
 * calls back: so the verbose lines about waiting and announcements come out
 * in the order of the events.
 *
 * The config is read once; its nodes stay valid for init's lifetime, and so
 * do the child records (one per <start> node, never freed).
 */

#ifndef _INIT_INIT_H_
#define _INIT_INIT_H_

#include <base/child.h>
#include <rom_session/rom_session.h>
#include <base/lock.h>
#include <base/semaphore.h>
#include <init/config_check.h>
#include <os/config.h>
#include <util/list.h>

enum {
	INIT_CHILD_ENDPOINTS = 16,
	INIT_ANNOUNCED_MAX = 8,
	INIT_EP_STACK_SIZE = 0x10000,
};

/** a service a child announced */
struct init_announcement
{
	char service[SESSION_SERVICE_NAME_MAX];
	struct root_cap root; /* init's own */
};

/** a session of the child that init handles itself: a sibling's or its config ROM */
struct init_session
{
	bool used;
	uint32_t id;               /* the child's name for it */
	struct init_child *server; /* the sibling, 0 for the config ROM or after it went */
	struct session_cap cap;    /* init's reference, for the server's root_close */
	struct root_cap root;      /* init's reference to the server's root */
	uint64_t quota;            /* donated from the child's RAM to the server's */
};

enum init_child_state {
	INIT_CHILD_NOT_STARTED = 0, /* config problem, no quota, no binary */
	INIT_CHILD_PENDING,         /* valid, init has not started it yet */
	INIT_CHILD_RUNNING,
	INIT_CHILD_EXITED, /* said exit; the main thread will destroy it */
	INIT_CHILD_GONE,   /* destroyed, its resources returned */
};

/** the config ROM init serves a child from its <config> node */
struct init_config_rom
{
	struct rpc_object object;
	struct rom_session_cap cap; /* init's; each session gets a copy */
	struct dataspace_cap ds;
	uint64_t size;
};

struct init;

struct init_child
{
	struct init *init;
	struct xml_node start;
	struct config_start config; /* what the checks found */
	enum init_child_state state;
	int exit_code;

	struct child child;
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[INIT_CHILD_ENDPOINTS];
	struct thread ep_thread;

	struct init_announcement announced[INIT_ANNOUNCED_MAX];
	unsigned announced_count;
	struct init_session sessions[CHILD_SESSIONS_MAX];
	struct init_config_rom config_rom; /* if config.has_config */
};

/** a request waiting for a sibling's announcement */
struct init_waiter
{
	struct list_element element;
	struct init_child *client, *server;
	struct semaphore wakeup;
};

struct init
{
	struct env *env;
	struct config config;
	bool verbose;
	struct lock lock;
	struct init_child *children;
	unsigned child_count;
	struct list waiters;    /* struct init_waiter */
	struct semaphore exits; /* one unit per child that said exit */
};

/** the child's policy for the child framework (init_child.c) */
extern struct child_policy const init_child_policy_template;

/**
 * Start the child (main thread, before any child runs): its entrypoint
 * thread, its config ROM, the child itself. Logs why if it cannot.
 */
void init_child_start(struct init_child *child);

/**
 * Destroy an exited child (main thread): stop its entrypoint, close its
 * sessions and environment, cancel what waits for it, report its exit.
 */
void init_child_destroy(struct init_child *child);

/** init's unused RAM quota in bytes (0 if it cannot be read) */
uint64_t init_quota_free(struct init *init);

/** `bytes` as "4M", "12K" or "1000", for messages */
char const *init_size_string(uint64_t bytes, char *buffer, size_t size);

/** create the child's config ROM from its <config> node (init_config_rom.c) */
bool init_config_rom_create(struct init_child *child);

/** a new capability to the child's config ROM, for one session */
struct session_cap init_config_rom_cap(struct init_child *child);

/** free the child's config ROM (its entrypoint no longer serves) */
void init_config_rom_destroy(struct init_child *child);

#endif /* _INIT_INIT_H_ */
