/* SPDX-License-Identifier: MIT */
/** \brief the core-memory tests' fixture: entrypoint thread, allocator, core-side calls */

#include <dirent.h>
#include <stdlib.h>

#include "core_test.h"
#include "dataspace_component.h"
#include "unit_test.h"

struct core_test core_test;

/* ---- the metadata allocator -------------------------------------------------------- */

static struct allocator_alloc_ret core_test_alloc(void *state, size_t size)
{
	struct core_test *t = state;
	if (size == 0) return (struct allocator_alloc_ret){ ALLOCATOR_INVALID_SIZE, 0 };
	if (t->budget == 0) return (struct allocator_alloc_ret){ ALLOCATOR_OUT_OF_MEMORY, 0 };
	void *block = malloc(size);
	if (!block) return (struct allocator_alloc_ret){ ALLOCATOR_OUT_OF_MEMORY, 0 };
	if (t->budget != SIZE_MAX) t->budget--;
	t->live_blocks++;
	return (struct allocator_alloc_ret){ ALLOCATOR_OK, block };
}

static void core_test_free(void *state, void *ptr, size_t size)
{
	struct core_test *t = state;
	(void)size;
	if (t->live_blocks == 0) abort();
	t->live_blocks--;
	free(ptr);
}

static size_t core_test_consumed(void *state)
{
	(void)state;
	return 0;
}

static size_t core_test_overhead(void *state, size_t size)
{
	(void)state, (void)size;
	return 0;
}

static struct allocator_ops const core_test_alloc_ops = { core_test_alloc, core_test_free,
	                                                      core_test_consumed,
	                                                      core_test_overhead };

/* ---- the serving thread ------------------------------------------------------------ */

static void core_test_wakeup(void *argument)
{
	struct core_test *t = argument;
	pthread_mutex_lock(&t->mutex);
	void (*work)(void *) = t->work;
	void *work_argument = t->argument;
	pthread_mutex_unlock(&t->mutex);
	if (!work) return;
	work(work_argument);
	pthread_mutex_lock(&t->mutex);
	t->work = 0;
	t->done = true;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->mutex);
}

static void *core_test_serve(void *argument)
{
	struct core_test *t = argument;
	rpc_entrypoint_serve(&t->ep);
	return 0;
}

void core_test_start(void)
{
	struct core_test *t = &core_test;
	allocator_init(&t->alloc, &core_test_alloc_ops, t);
	t->live_blocks = 0;
	t->budget = SIZE_MAX;
	pthread_mutex_init(&t->mutex, 0);
	pthread_cond_init(&t->cond, 0);
	CHECK_EQ(rpc_entrypoint_init(&t->ep, t->endpoints, CORE_TEST_ENDPOINTS), RPC_ENTRYPOINT_OK);
	rpc_entrypoint_set_wakeup_handler(&t->ep, core_test_wakeup, t);
	CHECK_EQ(pthread_create(&t->thread, 0, core_test_serve, t), 0);
}

void core_test_stop(void)
{
	rpc_entrypoint_stop(&core_test.ep);
	pthread_join(core_test.thread, 0);
	rpc_entrypoint_destroy(&core_test.ep);
}

void core_test_run(void (*work)(void *), void *argument)
{
	struct core_test *t = &core_test;
	pthread_mutex_lock(&t->mutex);
	t->work = work;
	t->argument = argument;
	t->done = false;
	pthread_mutex_unlock(&t->mutex);
	rpc_entrypoint_wakeup(&t->ep);
	pthread_mutex_lock(&t->mutex);
	while (!t->done) pthread_cond_wait(&t->cond, &t->mutex);
	pthread_mutex_unlock(&t->mutex);
}

static void core_test_budget_work(void *argument) { core_test.budget = *(size_t *)argument; }

void core_test_set_budget(size_t count) { core_test_run(core_test_budget_work, &count); }

unsigned core_test_open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	if (!dir) abort();
	unsigned count = 0;
	for (struct dirent *e; (e = readdir(dir));)
		if (e->d_name[0] != '.') count++;
	closedir(dir);
	return count - 1; /* the directory's own descriptor */
}

/* ---- core-internal calls ----------------------------------------------------------- */

/* one call: the arguments and the result of each kind */
struct core_test_call
{
	uint64_t a, b;
	char const *text, *text2;
	void *object;
	void *context;
	log_session_sink_function sink;
	struct rm_fault const *fault;
	struct dataspace_cap ds_cap;

	struct ram_session_component_create_ret ram;
	struct rom_session_component_create_ret rom;
	struct rm_session_component_create_ret rm;
	struct log_session_component_create_ret log;
	struct rm_session_component_region region;
	struct ram_quota quota;
	enum ram_session_result ram_result;
	struct dataspace_component *ds;
	bool flag;
};

static void ram_create_work(void *p)
{
	struct core_test_call *c = p;
	c->ram = ram_session_component_create(&core_test.ep, &core_test.alloc, c->a);
}

struct ram_session_component_create_ret core_test_ram_create(uint64_t quota)
{
	struct core_test_call c = { .a = quota };
	core_test_run(ram_create_work, &c);
	return c.ram;
}

static void ram_destroy_work(void *p) { ram_session_component_destroy(p); }

void core_test_ram_destroy(struct ram_session_component *ram)
{
	core_test_run(ram_destroy_work, ram);
}

static void ram_withdraw_work(void *p)
{
	struct core_test_call *c = p;
	c->ram_result = ram_session_component_withdraw(c->object, c->a);
}

enum ram_session_result core_test_ram_withdraw(struct ram_session_component *ram,
                                               uint64_t amount)
{
	struct core_test_call c = { .object = ram, .a = amount };
	core_test_run(ram_withdraw_work, &c);
	return c.ram_result;
}

static void ram_deposit_work(void *p)
{
	struct core_test_call *c = p;
	c->ram_result = ram_session_component_deposit(c->object, c->a);
}

enum ram_session_result core_test_ram_deposit(struct ram_session_component *ram,
                                              uint64_t amount)
{
	struct core_test_call c = { .object = ram, .a = amount };
	core_test_run(ram_deposit_work, &c);
	return c.ram_result;
}

static void ram_quota_work(void *p)
{
	struct core_test_call *c = p;
	c->quota = ram_session_component_quota(c->object);
}

struct ram_quota core_test_ram_quota(struct ram_session_component *ram)
{
	struct core_test_call c = { .object = ram };
	core_test_run(ram_quota_work, &c);
	return c.quota;
}

static void dataspace_lookup_work(void *p)
{
	struct core_test_call *c = p;
	c->ds = dataspace_component_lookup(&core_test.ep, c->ds_cap);
}

struct dataspace_component *core_test_dataspace_lookup(struct dataspace_cap cap)
{
	struct core_test_call c = { .ds_cap = cap };
	core_test_run(dataspace_lookup_work, &c);
	return c.ds;
}

static void rom_create_work(void *p)
{
	struct core_test_call *c = p;
	c->rom = rom_session_component_create(&core_test.ep, &core_test.alloc, c->text, c->text2);
}

struct rom_session_component_create_ret core_test_rom_create(char const *boot_directory,
                                                             char const *args)
{
	struct core_test_call c = { .text = boot_directory, .text2 = args };
	core_test_run(rom_create_work, &c);
	return c.rom;
}

static void rom_destroy_work(void *p) { rom_session_component_destroy(p); }

void core_test_rom_destroy(struct rom_session_component *rom)
{
	core_test_run(rom_destroy_work, rom);
}

static void rm_create_work(void *p)
{
	struct core_test_call *c = p;
	c->rm = rm_session_component_create(&core_test.ep, &core_test.alloc, c->a, c->b);
}

struct rm_session_component_create_ret core_test_rm_create(uint64_t start, uint64_t end)
{
	struct core_test_call c = { .a = start, .b = end };
	core_test_run(rm_create_work, &c);
	return c.rm;
}

static void rm_destroy_work(void *p) { rm_session_component_destroy(p); }

void core_test_rm_destroy(struct rm_session_component *rm)
{
	core_test_run(rm_destroy_work, rm);
}

static void rm_region_at_index_work(void *p)
{
	struct core_test_call *c = p;
	c->region = rm_session_component_region_at_index(c->object, c->a);
}

struct rm_session_component_region core_test_rm_region_at_index(struct rm_session_component *rm,
                                                                size_t index)
{
	struct core_test_call c = { .object = rm, .a = index };
	core_test_run(rm_region_at_index_work, &c);
	return c.region;
}

static void rm_region_find_work(void *p)
{
	struct core_test_call *c = p;
	c->region = rm_session_component_region_find(c->object, c->a);
}

struct rm_session_component_region core_test_rm_region_find(struct rm_session_component *rm,
                                                            uint64_t addr)
{
	struct core_test_call c = { .object = rm, .a = addr };
	core_test_run(rm_region_find_work, &c);
	return c.region;
}

static void rm_fault_record_work(void *p)
{
	struct core_test_call *c = p;
	c->flag = rm_session_component_fault_record(c->object, c->a, c->fault);
}

bool core_test_rm_fault_record(struct rm_session_component *rm, uint64_t thread_id,
                               struct rm_fault const *fault)
{
	struct core_test_call c = { .object = rm, .a = thread_id, .fault = fault };
	core_test_run(rm_fault_record_work, &c);
	return c.flag;
}

static void rm_fault_clear_work(void *p)
{
	struct core_test_call *c = p;
	rm_session_component_fault_clear(c->object, c->a);
}

void core_test_rm_fault_clear(struct rm_session_component *rm, uint64_t thread_id)
{
	struct core_test_call c = { .object = rm, .a = thread_id };
	core_test_run(rm_fault_clear_work, &c);
}

static void log_create_work(void *p)
{
	struct core_test_call *c = p;
	c->log = log_session_component_create(&core_test.ep, &core_test.alloc, c->text, c->sink,
	                                      c->context);
}

struct log_session_component_create_ret
core_test_log_create(char const *label, log_session_sink_function sink, void *context)
{
	struct core_test_call c = { .text = label, .sink = sink, .context = context };
	core_test_run(log_create_work, &c);
	return c.log;
}

static void log_destroy_work(void *p) { log_session_component_destroy(p); }

void core_test_log_destroy(struct log_session_component *log)
{
	core_test_run(log_destroy_work, log);
}
