/* SPDX-License-Identifier: MIT */
/**
 * \brief the core-memory tests' fixture: core's entrypoint served in a thread
 *
 * The session objects are single-threaded: only the entrypoint's thread may
 * touch them. The test thread calls them through the real RPC stubs, and
 * runs core-internal functions in the serving thread with core_test_run(),
 * the way core's tracer events reach it (the entrypoint's wakeup handler).
 */

#ifndef _CORE_TEST_H_
#define _CORE_TEST_H_

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <base/allocator.h>
#include <base/rpc_entrypoint.h>

#include "linux_session.h"
#include "log_session_component.h"
#include "ram_session_component.h"
#include "rm_session_component.h"
#include "rom_session_component.h"

enum { CORE_TEST_ENDPOINTS = 256 };

struct core_test
{
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[CORE_TEST_ENDPOINTS];
	pthread_t thread;

	/* core's metadata allocator: malloc with a count of live blocks and an
	   optional budget (allocations that succeed before all others fail) */
	struct allocator alloc;
	size_t live_blocks;
	size_t budget;

	/* work for the serving thread */
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	void (*work)(void *);
	void *argument;
	bool done;
};

/** the fixture of the running case (each case runs in a process of its own) */
extern struct core_test core_test;

/** start serving core_test.ep in a thread */
void core_test_start(void);

/** stop serving and join the thread */
void core_test_stop(void);

/** call work(argument) in the serving thread and wait until it returned */
void core_test_run(void (*work)(void *), void *argument);

/** from now on, let `count` more metadata allocations succeed, then fail */
void core_test_set_budget(size_t count);

/** number of open file descriptors of the process */
unsigned core_test_open_fds(void);

/* ---- core-internal calls, run in the serving thread ---- */

struct ram_session_component_create_ret core_test_ram_create(uint64_t quota);
void core_test_ram_destroy(struct ram_session_component *ram);
enum ram_session_result core_test_ram_withdraw(struct ram_session_component *ram,
                                               uint64_t amount);
enum ram_session_result core_test_ram_deposit(struct ram_session_component *ram,
                                              uint64_t amount);
struct ram_quota core_test_ram_quota(struct ram_session_component *ram);

/** core's lookup of a dataspace capability (the capability stays the caller's) */
struct dataspace_component *core_test_dataspace_lookup(struct dataspace_cap cap);

struct rom_session_component_create_ret core_test_rom_create(char const *boot_directory,
                                                             char const *args);
void core_test_rom_destroy(struct rom_session_component *rom);

struct rm_session_component_create_ret core_test_rm_create(uint64_t start, uint64_t end);
void core_test_rm_destroy(struct rm_session_component *rm);
struct rm_session_component_region core_test_rm_region_at_index(struct rm_session_component *rm,
                                                                size_t index);
struct rm_session_component_region core_test_rm_region_find(struct rm_session_component *rm,
                                                            uint64_t addr);
bool core_test_rm_fault_record(struct rm_session_component *rm, uint64_t thread_id,
                               struct rm_fault const *fault);
void core_test_rm_fault_clear(struct rm_session_component *rm, uint64_t thread_id);

struct log_session_component_create_ret
core_test_log_create(char const *label, log_session_sink_function sink, void *context);
void core_test_log_destroy(struct log_session_component *log);

#endif /* _CORE_TEST_H_ */
