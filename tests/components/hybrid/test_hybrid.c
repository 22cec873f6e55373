/* SPDX-License-Identifier: MIT */
/**
 * \brief test-hybrid: a hybrid component (doc/hybrid.md) for run/hybrid.run:
 *        a glibc program that speaks the framework's IPC
 *
 * Config (the `config` ROM): <config mode="hello" sessions="1" code="7"/>
 *
 * Every mode first shows that this is a glibc process: it formats a float
 * with glibc's snprintf, sums on a plain pthread and logs
 *   glibc <version>: snprintf "3.14159" and a pthread's sum 500500
 * Then, by `mode`:
 *   hello         serve the Hello session (hello_session.h, with hello_server's
 *                 session objects: hello_session/component.h) on a framework
 *                 thread "ep" (a pthread that core knows by name), with
 *                 sessions in glibc's malloc and the server on env_heap();
 *                 once `sessions` (default 1) sessions were closed, stop
 *                 serving and return `code` (default 0)
 *   exit          end with glibc's exit(code), as a host library may
 *   wait          start a framework thread "waiter" (its record on env_heap()),
 *                 then block, both for good: a hybrid that stays, to be looked
 *                 at from the host
 *   crash         read address 0x10 on the main thread
 *   crash_thread  read address 0x10 on a plain pthread, unknown to core by name
 *   overflow      recurse on the main thread until its stack is exhausted
 *
 * Log lines of the server (as hello_server's): `session for "<label>"`,
 * `say_hello from "<label>"`, `closed session of "<label>"`, and at the end
 * `served <n> sessions, exit code <code>`.
 */

#include <gnu/libc-version.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <base/env.h>
#include <base/log.h>
#include <base/rpc_entrypoint.h>
#include <base/semaphore.h>
#include <base/thread.h>
#include <hello_session/component.h>
#include <os/config.h>
#include <os/session_request.h>
#include <os/server.h>

RPC_SERVER_OBJECT(root)

enum {
	HYBRID_ENDPOINTS = 64,
	HYBRID_EP_STACK_SIZE = 64 * 1024,
	HYBRID_MODE_MAX = 16,
	HYBRID_FAULT_ADDRESS = 0x10,
};

struct hybrid_server
{
	struct env *env;
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[HYBRID_ENDPOINTS];
	struct rpc_object root;
	struct thread ep_thread;
	struct semaphore closed; /* one up per closed session */
};

/* ---- the proof of glibc ------------------------------------------------------------ */

static void *hybrid_sum(void *argument)
{
	unsigned long *sum = argument;
	for (unsigned long i = 1; i <= 1000; i++) *sum += i;
	return NULL;
}

static bool hybrid_glibc(void)
{
	char text[32];
	snprintf(text, sizeof(text), "%.5f", 3.14159265358979);
	unsigned long sum = 0;
	pthread_t thread;
	if (pthread_create(&thread, NULL, hybrid_sum, &sum) != 0 ||
	    pthread_join(thread, NULL) != 0) {
		log_error("test-hybrid: no pthread");
		return false;
	}
	log_info("glibc %s: snprintf \"%s\" and a pthread's sum %lu", gnu_get_libc_version(), text,
	         sum);
	return true;
}

/* ---- the root ---------------------------------------------------------------------- */

static enum root_result hybrid_root_session(void *state, char const *args,
                                            struct session_cap *cap)
{
	struct hybrid_server *server = state;
	struct session_request request;
	enum root_result checked = session_request_decode(args, HELLO_SESSION_RAM_MIN, &request);
	if (checked != ROOT_OK) return checked;

	/* sessions in glibc's heap (the session's calls: hello_session_component.c) */
	struct hello_session_component *session = malloc(sizeof(*session));
	if (!session) return ROOT_NO_RESOURCES;
	struct hello_session_cap session_cap =
	    hello_session_component_manage(session, &server->ep, server->env, request.label);
	if (!cap_valid(session_cap.cap)) {
		rpc_entrypoint_dissolve(&server->ep, &session->object);
		free(session);
		return ROOT_NO_RESOURCES;
	}
	*cap = CAP_CAST(session, session_cap);
	log_info("session for \"%s\"", session->label);
	return ROOT_OK;
}

static enum root_result hybrid_root_close(void *state, struct session_cap cap)
{
	struct hybrid_server *server = state;
	struct hello_session_component *session = hello_session_component_lookup(&server->ep, cap);
	if (!session) return ROOT_INVALID_ARGUMENT;
	log_info("closed session of \"%s\"", session->label);
	rpc_entrypoint_dissolve(&server->ep, &session->object);
	free(session);
	semaphore_up(&server->closed);
	return ROOT_OK;
}

static struct root_ops const hybrid_root_ops = { hybrid_root_session, hybrid_root_close };

static void hybrid_serve(void *argument) { rpc_entrypoint_serve(argument); }

static int hybrid_hello(struct env *env, unsigned sessions, int code)
{
	struct allocator_alloc_ret a = allocator_alloc(env_heap(env), sizeof(struct hybrid_server));
	if (a.result != ALLOCATOR_OK) {
		log_error("test-hybrid: no memory for the server");
		return 1;
	}
	struct hybrid_server *server = a.ptr;
	memset(server, 0, sizeof(*server));
	server->env = env;
	semaphore_init(&server->closed, 0);
	if (rpc_entrypoint_init(&server->ep, server->endpoints, HYBRID_ENDPOINTS) !=
	    RPC_ENTRYPOINT_OK) {
		log_error("test-hybrid: no entrypoint");
		return 1;
	}
	if (thread_create(&server->ep_thread, env, "ep", hybrid_serve, &server->ep,
	                  HYBRID_EP_STACK_SIZE) != THREAD_OK) {
		log_error("test-hybrid: no entrypoint thread");
		return 1;
	}
	if (server_root_announce(env, &server->ep, &server->root, &hybrid_root_ops, server,
	                         "Hello") != SERVER_ROOT_OK)
		return 1;

	for (unsigned i = 0; i < sessions; i++) semaphore_down(&server->closed);
	rpc_entrypoint_stop(&server->ep);
	thread_join(&server->ep_thread);
	rpc_entrypoint_destroy(&server->ep);
	allocator_free(env_heap(env), server, sizeof(*server));
	log_info("served %u sessions, exit code %d", sessions, code);
	return code;
}

/* ---- staying ---------------------------------------------------------------------- */

static void hybrid_block(void *argument)
{
	struct semaphore never;
	semaphore_init(&never, 0);
	if (argument) log_info("waiting for good");
	semaphore_down(&never);
}

static int hybrid_wait(struct env *env)
{
	/* on env_heap(): a RAM dataspace of the heap, besides the thread's stack */
	struct allocator_alloc_ret a = allocator_alloc(env_heap(env), sizeof(struct thread));
	if (a.result != ALLOCATOR_OK || thread_create(a.ptr, env, "waiter", hybrid_block, NULL,
	                                              HYBRID_EP_STACK_SIZE) != THREAD_OK)
		return 1;
	hybrid_block(env);
	return 1;
}

/* ---- crashes ----------------------------------------------------------------------- */

/* a KiB per call: the main stack (RLIMIT_STACK, usually 8 MiB) ends long before the bound */
__attribute__((noinline)) static int hybrid_recurse(int depth)
{
	char volatile frame[1024];
	frame[0] = (char)depth;
	if (depth > (1 << 30)) return 0;
	return hybrid_recurse(depth + 1) + frame[0];
}

static void *hybrid_fault(void *argument)
{
	(void)argument;
	uintptr_t volatile address = HYBRID_FAULT_ADDRESS; /* hidden from the compiler */
	return (void *)(uintptr_t) * (int volatile *)address;
}

/* ---- start ------------------------------------------------------------------------- */

int component_construct(struct env *env)
{
	char mode[HYBRID_MODE_MAX] = "hello";
	unsigned long sessions = 1, code = 0;
	struct config config;
	if (config_init(&config, env) == CONFIG_OK) {
		struct xml_copy_ret m =
		    xml_node_attribute_string(config.root, "mode", mode, sizeof(mode));
		if (m.result != XML_ACCESS_OK && m.result != XML_ACCESS_NOT_FOUND) mode[0] = 0;
		struct xml_unsigned_ret u = xml_node_attribute_unsigned(config.root, "sessions");
		if (u.result == XML_ACCESS_OK) sessions = u.value;
		u = xml_node_attribute_unsigned(config.root, "code");
		if (u.result == XML_ACCESS_OK) code = u.value;
		config_destroy(&config, env);
	}
	if (!hybrid_glibc()) return 1;

	if (!strcmp(mode, "hello")) return hybrid_hello(env, (unsigned)sessions, (int)code);
	if (!strcmp(mode, "exit")) exit((int)code);
	if (!strcmp(mode, "wait")) return hybrid_wait(env);
	if (!strcmp(mode, "overflow")) return hybrid_recurse(1);
	if (!strcmp(mode, "crash")) return (int)(uintptr_t)hybrid_fault(NULL);
	if (!strcmp(mode, "crash_thread")) {
		pthread_t thread;
		if (pthread_create(&thread, NULL, hybrid_fault, NULL) == 0) pthread_join(thread, NULL);
		log_error("test-hybrid: the pthread did not crash");
		return 1;
	}
	log_error("test-hybrid: unknown mode \"%s\"", mode);
	return 1;
}
