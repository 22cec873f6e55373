/* SPDX-License-Identifier: MIT */
/** \brief core's RM session: attach checks, free-address search, regions, faults */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <base/signal.h>

#include "core_test.h"
#include "dataspace_component.h"
#include "unit_test.h"

enum {
	P = 4096,
	AREA_START = 0x10000,
	AREA_END = AREA_START + 64 * P,
	MIB = 1ull << 20,
};

struct rm_fixture
{
	struct rm_session_component *rm;
	struct rm_session_cap cap;
	struct ram_session_component *ram_component;
	struct ram_session_cap ram;
};

static struct rm_fixture rm_setup(uint64_t start, uint64_t end)
{
	core_test_start();
	struct rm_fixture f;
	struct rm_session_component_create_ret r = core_test_rm_create(start, end);
	CHECK_EQ(r.result, RM_SESSION_COMPONENT_OK);
	f.rm = r.rm;
	f.cap = r.cap;
	struct ram_session_component_create_ret ram = core_test_ram_create(64 * MIB);
	CHECK_EQ(ram.result, RAM_SESSION_COMPONENT_OK);
	f.ram_component = ram.ram;
	f.ram = ram.cap;
	/* the first calls make the channels: descriptors counted later stay */
	CHECK_EQ(ram_session_quota(f.ram).result, RAM_OK);
	CHECK_EQ(rm_session_fault_state(f.cap).result, RM_OK);
	return f;
}

static struct dataspace_cap ram_ds(struct rm_fixture *f, uint64_t size)
{
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	CHECK_EQ(ram_session_alloc(f->ram, size, &ds), RAM_OK);
	return ds;
}

static struct rm_attach_args at_args(uint64_t at, uint64_t size, uint64_t offset)
{
	return (struct rm_attach_args){ size, offset, at, true, false, true };
}

static struct rm_attach_args free_args(uint64_t size)
{
	return (struct rm_attach_args){ size, 0, 0, false, false, true };
}

static uint64_t attach_ok(struct rm_fixture *f, struct dataspace_cap ds,
                          struct rm_attach_args args)
{
	struct rm_attach_result r = rm_session_attach(f->cap, ds, args);
	CHECK_EQ(r.result, RM_OK);
	return r.at;
}

static void check_region(struct rm_fixture *f, uint64_t addr, uint64_t start, uint64_t size)
{
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	struct rm_region_result r = rm_session_region(f->cap, addr, &ds);
	CHECK_EQ(r.result, RM_OK);
	CHECK_EQ_U(r.region.start, start);
	CHECK_EQ_U(r.region.size, size);
	CHECK(cap_valid(ds.cap));
	cap_close(ds.cap);
}

TEST(rm_attach_at_and_region)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct dataspace_cap ds = ram_ds(&f, 4 * P);
	struct rm_attach_args args = at_args(AREA_START + 8 * P, 2 * P, P);
	args.executable = true;
	CHECK_EQ_U(attach_ok(&f, ds, args), AREA_START + 8 * P);

	struct dataspace_cap region_ds = CAP_INVALID(dataspace);
	struct rm_region_result r = rm_session_region(f.cap, AREA_START + 9 * P + 5, &region_ds);
	CHECK_EQ(r.result, RM_OK);
	CHECK_EQ_U(r.region.start, AREA_START + 8 * P);
	CHECK_EQ_U(r.region.size, 2 * P);
	CHECK_EQ_U(r.region.offset, P);
	CHECK(r.region.writeable);
	CHECK(r.region.executable);
	/* the region's capability names the attached dataspace */
	CHECK(core_test_dataspace_lookup(region_ds) == core_test_dataspace_lookup(ds));
	cap_close(region_ds.cap);

	/* the region at or above an address; none above the last one */
	check_region(&f, 0, AREA_START + 8 * P, 2 * P);
	CHECK_EQ(rm_session_region(f.cap, AREA_START + 10 * P, &region_ds).result, RM_NOT_ATTACHED);
	CHECK(!cap_valid(region_ds.cap));
	core_test_stop();
}

TEST(rm_attach_size_zero_is_the_rest_of_the_dataspace)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct dataspace_cap ds = ram_ds(&f, 4 * P);
	attach_ok(&f, ds, at_args(AREA_START, 0, P));
	check_region(&f, AREA_START, AREA_START, 3 * P);
	/* an unaligned size is rounded up to pages */
	attach_ok(&f, ds, at_args(AREA_START + 16 * P, P + 1, 0));
	check_region(&f, AREA_START + 16 * P, AREA_START + 16 * P, 2 * P);
	/* offset + size exactly at the end is fine */
	attach_ok(&f, ds, at_args(AREA_START + 32 * P, P, 3 * P));
	core_test_stop();
}

TEST(rm_attach_rejects_bad_ranges_and_changes_nothing)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct dataspace_cap ds = ram_ds(&f, 4 * P);
	struct
	{
		struct rm_attach_args args;
		enum rm_session_result expect;
	} const cases[] = {
		{ at_args(AREA_START + 1, P, 0), RM_INVALID_ARGUMENT },        /* unaligned at */
		{ at_args(AREA_START, P, 1), RM_INVALID_ARGUMENT },            /* unaligned offset */
		{ at_args(AREA_START, P, 4 * P), RM_INVALID_ARGUMENT },        /* offset at the end */
		{ at_args(AREA_START, 0, 5 * P), RM_INVALID_ARGUMENT },        /* offset beyond */
		{ at_args(AREA_START, 4 * P + 1, 0), RM_INVALID_ARGUMENT },    /* size beyond */
		{ at_args(AREA_START, 2 * P, 3 * P), RM_INVALID_ARGUMENT },    /* offset + size */
		{ at_args(AREA_START, UINT64_MAX, P), RM_INVALID_ARGUMENT },   /* would wrap */
		{ at_args(AREA_START - P, P, 0), RM_OUT_OF_RANGE },            /* below the area */
		{ at_args(AREA_END - P, 2 * P, 0), RM_OUT_OF_RANGE },          /* leaves the area */
		{ at_args(AREA_END, P, 0), RM_OUT_OF_RANGE },                  /* at its end */
		{ at_args(UINT64_MAX & ~(P - 1), 2 * P, 0), RM_OUT_OF_RANGE }, /* wraps */
		{ at_args(0, P, 0), RM_OUT_OF_RANGE },
		{ free_args(4 * P + 1), RM_INVALID_ARGUMENT },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rm_attach_result r = rm_session_attach(f.cap, ds, cases[i].args);
		if (r.result != cases[i].expect)
			unit_test_fail(__FILE__, __LINE__, "case %zu: %d != %d", i, r.result,
			               cases[i].expect);
	}
	struct dataspace_cap none = CAP_INVALID(dataspace);
	CHECK_EQ(rm_session_region(f.cap, 0, &none).result, RM_NOT_ATTACHED);
	CHECK(!core_test_rm_region_at_index(f.rm, 0).found);
	/* the last page of the area is fine */
	CHECK_EQ_U(attach_ok(&f, ds, at_args(AREA_END - P, P, 0)), AREA_END - P);
	core_test_stop();
}

TEST(rm_attach_rejects_overlaps)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct dataspace_cap ds = ram_ds(&f, 8 * P);
	uint64_t base = AREA_START + 16 * P;
	attach_ok(&f, ds, at_args(base, 4 * P, 0));
	uint64_t const starts[] = { base - P, base - 2 * P, base,
		                        base + P, base + 3 * P, base - 8 * P + P };
	uint64_t const sizes[] = { 2 * P, 8 * P, P, P, 2 * P, 8 * P };
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		struct rm_attach_result r =
		    rm_session_attach(f.cap, ds, at_args(starts[i], sizes[i], 0));
		if (r.result != RM_REGION_CONFLICT)
			unit_test_fail(__FILE__, __LINE__, "case %zu: %d", i, r.result);
	}
	/* adjacent on both sides is fine */
	attach_ok(&f, ds, at_args(base - 2 * P, 2 * P, 0));
	attach_ok(&f, ds, at_args(base + 4 * P, 2 * P, 0));
	CHECK_EQ(core_test_rm_region_at_index(f.rm, 3).found, false);
	CHECK_EQ_U(core_test_rm_region_at_index(f.rm, 0).region.start, base - 2 * P);
	CHECK_EQ_U(core_test_rm_region_at_index(f.rm, 1).region.start, base);
	CHECK_EQ_U(core_test_rm_region_at_index(f.rm, 2).region.start, base + 4 * P);
	core_test_stop();
}

TEST(rm_attach_of_what_is_no_dataspace)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	CHECK_EQ(rm_session_attach(f.cap, CAP_INVALID(dataspace), free_args(P)).result,
	         RM_INVALID_DATASPACE);
	CHECK_EQ(rm_session_attach(f.cap, CAP_CAST(dataspace, f.ram), free_args(P)).result,
	         RM_INVALID_DATASPACE);
	int pair[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair), 0);
	CHECK_EQ(
	    rm_session_attach(f.cap, (struct dataspace_cap){ { pair[0] } }, free_args(P)).result,
	    RM_INVALID_DATASPACE);
	close(pair[0]);
	close(pair[1]);
	/* a freed dataspace is no dataspace any more */
	struct dataspace_cap ds = ram_ds(&f, P);
	struct dataspace_cap copy = { cap_copy(ds.cap) };
	CHECK_EQ(ram_session_free(f.ram, ds), RAM_OK);
	CHECK_EQ(rm_session_attach(f.cap, copy, free_args(P)).result, RM_INVALID_DATASPACE);
	cap_close(copy.cap);
	CHECK_EQ(core_test_rm_region_at_index(f.rm, 0).found, false);
	core_test_stop();
}

/* ---- ROM: read-only, executable ---------------------------------------------------- */

TEST(rm_attach_of_rom_is_read_only)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	char directory[] = "/tmp/core_memory_rm_XXXXXX", path[64];
	CHECK(mkdtemp(directory) != 0);
	snprintf(path, sizeof(path), "%s/text", directory);
	FILE *file = fopen(path, "w");
	CHECK(file != 0);
	fputs("\x90\x90\xc3", file);
	fclose(file);
	struct rom_session_component_create_ret rom =
	    core_test_rom_create(directory, "module=text");
	unlink(path);
	rmdir(directory);
	CHECK_EQ(rom.result, ROM_SESSION_COMPONENT_OK);
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	CHECK_EQ(rom_session_dataspace(rom.cap, &ds), ROM_OK);

	struct rm_attach_args args = at_args(AREA_START, 0, 0);
	CHECK_EQ(rm_session_attach(f.cap, ds, args).result, RM_PERMISSION_DENIED);
	args.executable = true;
	CHECK_EQ(rm_session_attach(f.cap, ds, args).result, RM_PERMISSION_DENIED);
	CHECK(!core_test_rm_region_at_index(f.rm, 0).found);
	args.writeable = false;
	CHECK_EQ_U(attach_ok(&f, ds, args), AREA_START);
	struct rm_session_component_region region = core_test_rm_region_at_index(f.rm, 0);
	CHECK(region.found);
	CHECK(region.region.executable);
	CHECK(!region.region.writeable);
	CHECK_EQ_U(region.region.size, P);
	cap_close(ds.cap);
	core_test_stop();
}

/* ---- free-address attach ----------------------------------------------------------- */

TEST(rm_attach_at_a_free_address_takes_the_lowest_gap)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct dataspace_cap ds = ram_ds(&f, 4 * P);
	CHECK_EQ_U(attach_ok(&f, ds, free_args(P)), AREA_START);
	CHECK_EQ_U(attach_ok(&f, ds, free_args(P)), AREA_START + P);
	attach_ok(&f, ds, at_args(AREA_START + 3 * P, P, 0));
	/* one page fits the gap at 2P, two pages do not */
	CHECK_EQ_U(attach_ok(&f, ds, free_args(2 * P)), AREA_START + 4 * P);
	CHECK_EQ_U(attach_ok(&f, ds, free_args(P)), AREA_START + 2 * P);
	CHECK_EQ(rm_session_detach(f.cap, AREA_START + P), RM_OK);
	CHECK_EQ_U(attach_ok(&f, ds, free_args(P)), AREA_START + P);
	core_test_stop();
}

TEST(rm_attach_at_a_free_address_until_no_space)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_START + 8 * P);
	struct dataspace_cap ds = ram_ds(&f, 8 * P);
	CHECK_EQ(rm_session_attach(f.cap, ds, free_args(0)).result, RM_OK);
	CHECK_EQ(rm_session_attach(f.cap, ds, free_args(P)).result, RM_NO_SPACE);
	CHECK_EQ(rm_session_detach(f.cap, AREA_START), RM_OK);
	CHECK_EQ_U(attach_ok(&f, ds, free_args(4 * P)), AREA_START);
	CHECK_EQ_U(attach_ok(&f, ds, free_args(4 * P)), AREA_START + 4 * P);
	CHECK_EQ(rm_session_attach(f.cap, ds, free_args(P)).result, RM_NO_SPACE);
	core_test_stop();
}

TEST(rm_attach_at_a_free_address_aligns_large_regions)
{
	struct rm_fixture f = rm_setup(2 * MIB, 16 * MIB);
	struct dataspace_cap small = ram_ds(&f, P);
	struct dataspace_cap big = ram_ds(&f, 2 * MIB);
	struct dataspace_cap mid = ram_ds(&f, 64 * 1024);
	CHECK_EQ_U(attach_ok(&f, small, free_args(0)), 2 * MIB);
	CHECK_EQ_U(attach_ok(&f, big, free_args(0)), 4 * MIB);
	/* 64 KiB goes to the lowest 64 KiB boundary above the small region */
	CHECK_EQ_U(attach_ok(&f, mid, free_args(0)), 2 * MIB + 64 * 1024);
	/* the small page still fills the lowest gap */
	CHECK_EQ_U(attach_ok(&f, small, free_args(0)), 2 * MIB + P);
	core_test_stop();
}

TEST(rm_attach_falls_back_to_page_alignment)
{
	/* two pages from an odd page: two pages fit only unaligned */
	struct rm_fixture f = rm_setup(AREA_START + P, AREA_START + 3 * P);
	struct dataspace_cap ds = ram_ds(&f, 2 * P);
	CHECK_EQ_U(attach_ok(&f, ds, free_args(0)), AREA_START + P);
	CHECK_EQ(rm_session_attach(f.cap, ds, free_args(P)).result, RM_NO_SPACE);
	core_test_stop();
}

/* ---- detach and iteration ---------------------------------------------------------- */

TEST(rm_detach_by_start_address)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct dataspace_cap ds = ram_ds(&f, 4 * P);
	attach_ok(&f, ds, at_args(AREA_START + 4 * P, 2 * P, 0));
	CHECK_EQ(rm_session_detach(f.cap, AREA_START), RM_NOT_ATTACHED);
	CHECK_EQ(rm_session_detach(f.cap, AREA_START + 5 * P), RM_NOT_ATTACHED);
	CHECK_EQ(rm_session_detach(f.cap, AREA_START + 4 * P + 1), RM_NOT_ATTACHED);
	CHECK(core_test_rm_region_find(f.rm, AREA_START + 5 * P).found);
	CHECK_EQ(rm_session_detach(f.cap, AREA_START + 4 * P), RM_OK);
	CHECK(!core_test_rm_region_find(f.rm, AREA_START + 5 * P).found);
	CHECK_EQ(rm_session_detach(f.cap, AREA_START + 4 * P), RM_NOT_ATTACHED);
	attach_ok(&f, ds, at_args(AREA_START + 4 * P, 2 * P, 0));
	core_test_stop();
}

TEST(rm_regions_iterate_in_address_order)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct dataspace_cap ds = ram_ds(&f, 4 * P);
	uint64_t const starts[] = { 40, 2, 17, 9, 30 };
	for (size_t i = 0; i < 5; i++)
		attach_ok(&f, ds, at_args(AREA_START + starts[i] * P, (i % 3 + 1) * P, 0));

	/* through the RPC: addr = start + size */
	uint64_t const sorted[] = { 2, 9, 17, 30, 40 };
	uint64_t addr = 0;
	size_t count = 0;
	for (;;) {
		struct dataspace_cap region_ds = CAP_INVALID(dataspace);
		struct rm_region_result r = rm_session_region(f.cap, addr, &region_ds);
		if (r.result == RM_NOT_ATTACHED) break;
		CHECK_EQ(r.result, RM_OK);
		CHECK(count < 5);
		CHECK_EQ_U(r.region.start, AREA_START + sorted[count] * P);
		cap_close(region_ds.cap);
		addr = r.region.start + r.region.size;
		count++;
	}
	CHECK_EQ(count, 5);

	/* core's iteration by index */
	for (size_t i = 0; i < 5; i++) {
		struct rm_session_component_region r = core_test_rm_region_at_index(f.rm, i);
		CHECK(r.found);
		CHECK_EQ_U(r.region.start, AREA_START + sorted[i] * P);
		CHECK(r.ds == core_test_dataspace_lookup(ds));
	}
	CHECK(!core_test_rm_region_at_index(f.rm, 5).found);
	CHECK(core_test_rm_region_find(f.rm, AREA_START + 9 * P + P - 1).found);
	CHECK(!core_test_rm_region_find(f.rm, AREA_START + 8 * P).found);
	core_test_stop();
}

TEST(rm_attach_without_metadata_changes_nothing)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct dataspace_cap ds = ram_ds(&f, P);
	core_test_set_budget(0);
	CHECK_EQ(rm_session_attach(f.cap, ds, free_args(0)).result, RM_OUT_OF_METADATA);
	core_test_set_budget(SIZE_MAX);
	CHECK(!core_test_rm_region_at_index(f.rm, 0).found);
	CHECK_EQ_U(attach_ok(&f, ds, free_args(0)), AREA_START);
	core_test_stop();
}

/* ---- regions of freed dataspaces --------------------------------------------------- */

TEST(rm_region_keeps_a_freed_dataspace_until_detached)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	unsigned fds = core_test_open_fds();
	size_t blocks = core_test.live_blocks;
	struct dataspace_cap ds = ram_ds(&f, 2 * P);
	attach_ok(&f, ds, at_args(AREA_START, 0, 0));
	CHECK_EQ(ram_session_free(f.ram, ds), RAM_OK);
	cap_close(ds.cap);
	CHECK_EQ_U(ram_session_quota(f.ram).quota.used, 0);

	/* the region is still there; its dataspace is revoked but its memory valid */
	struct dataspace_cap region_ds = CAP_INVALID(dataspace);
	struct rm_region_result r = rm_session_region(f.cap, AREA_START, &region_ds);
	CHECK_EQ(r.result, RM_OK);
	CHECK_EQ_U(r.region.size, 2 * P);
	CHECK(!cap_valid(region_ds.cap));
	struct rm_session_component_region region = core_test_rm_region_at_index(f.rm, 0);
	CHECK(region.found);
	CHECK(region.ds != 0);
	CHECK_EQ_U(dataspace_component_size(region.ds), 2 * P);
	int memfd = dataspace_component_handle(region.ds);
	CHECK(fcntl(memfd, F_GETFD) >= 0);

	CHECK_EQ(rm_session_detach(f.cap, AREA_START), RM_OK);
	CHECK_EQ(fcntl(memfd, F_GETFD), -1);
	CHECK_EQ(core_test_open_fds(), fds);
	CHECK_EQ(core_test.live_blocks, blocks);
	core_test_stop();
}

TEST(rm_destroy_drops_its_dataspace_references)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	size_t blocks = core_test.live_blocks;
	struct dataspace_cap ds = ram_ds(&f, P);
	attach_ok(&f, ds, free_args(0));
	attach_ok(&f, ds, free_args(0));
	CHECK_EQ(ram_session_free(f.ram, ds), RAM_OK);
	cap_close(ds.cap);
	/* the memfd lives on in the regions */
	int memfd = dataspace_component_handle(core_test_rm_region_at_index(f.rm, 1).ds);
	CHECK(fcntl(memfd, F_GETFD) >= 0);
	core_test_rm_destroy(f.rm);
	CHECK_EQ(fcntl(memfd, F_GETFD), -1);
	CHECK_EQ(rm_session_fault_state(f.cap).result, RM_INVALID_CAP);
	CHECK_EQ(core_test.live_blocks, blocks - 1); /* the dataspace and the session */
	core_test_stop();
}

/* ---- faults ------------------------------------------------------------------------ */

struct fault_fixture
{
	struct signal_receiver receiver;
	struct signal_slot slots[4];
	struct signal_context context;
	struct signal_context_cap handler;
};

static void fault_handler_setup(struct fault_fixture *h)
{
	CHECK_EQ(signal_receiver_init(&h->receiver, h->slots, 4), SIGNAL_RECEIVER_OK);
	signal_context_init(&h->context, h);
	struct signal_context_cap_result c = signal_receiver_manage(&h->receiver, &h->context);
	CHECK_EQ(c.result, SIGNAL_RECEIVER_OK);
	h->handler = c.cap;
}

static struct rm_fault fault_at(uint32_t kind, uint64_t address, char const *thread)
{
	struct rm_fault fault = { kind, address, 0x1234, { 0 } };
	snprintf(fault.thread, sizeof(fault.thread), "%s", thread);
	return fault;
}

static struct rm_fault fault_state(struct rm_fixture *f)
{
	struct rm_fault_result r = rm_session_fault_state(f->cap);
	CHECK_EQ(r.result, RM_OK);
	return r.fault;
}

TEST(rm_fault_handler_gets_a_signal_and_reads_the_fault)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct fault_fixture h;
	fault_handler_setup(&h);
	CHECK_EQ(fault_state(&f).kind, RM_FAULT_NONE);
	CHECK_EQ(rm_session_fault_handler(f.cap, h.handler), RM_OK);

	struct rm_fault first = fault_at(RM_FAULT_WRITE, 0xdead000, "main");
	CHECK(core_test_rm_fault_record(f.rm, 101, &first));
	struct signal s = signal_receiver_wait(&h.receiver);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK(s.context == &h.context);
	CHECK_EQ(s.count, 1);

	struct rm_fault seen = fault_state(&f);
	CHECK_EQ(seen.kind, RM_FAULT_WRITE);
	CHECK_EQ_U(seen.address, 0xdead000);
	CHECK_EQ_U(seen.ip, 0x1234);
	CHECK_STR(seen.thread, "main");

	/* the oldest unresolved fault is shown until it is cleared */
	struct rm_fault second = fault_at(RM_FAULT_READ, 0xbeef000, "worker");
	CHECK(core_test_rm_fault_record(f.rm, 102, &second));
	CHECK_EQ(signal_receiver_wait(&h.receiver).count, 1);
	CHECK_EQ_U(fault_state(&f).address, 0xdead000);
	core_test_rm_fault_clear(f.rm, 101);
	CHECK_EQ_U(fault_state(&f).address, 0xbeef000);
	CHECK_STR(fault_state(&f).thread, "worker");
	core_test_rm_fault_clear(f.rm, 999); /* unknown: nothing happens */
	core_test_rm_fault_clear(f.rm, 102);
	CHECK_EQ(fault_state(&f).kind, RM_FAULT_NONE);
	CHECK_EQ_U(fault_state(&f).address, 0);
	CHECK_EQ(signal_receiver_poll(&h.receiver).result, SIGNAL_NONE);
	core_test_stop();
}

TEST(rm_fault_without_handler_is_recorded_but_not_delivered)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct rm_fault fault = fault_at(RM_FAULT_EXEC, 0x5000, "t");
	CHECK(!core_test_rm_fault_record(f.rm, 7, &fault));
	CHECK_EQ(fault_state(&f).kind, RM_FAULT_EXEC);

	/* a handler registered later learns of the fault that waits */
	struct fault_fixture h;
	fault_handler_setup(&h);
	CHECK_EQ(rm_session_fault_handler(f.cap, h.handler), RM_OK);
	CHECK_EQ(signal_receiver_wait(&h.receiver).result, SIGNAL_OK);
	core_test_stop();
}

TEST(rm_fault_of_the_same_thread_replaces_its_record)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct rm_fault a = fault_at(RM_FAULT_READ, 0x1000, "a");
	struct rm_fault b = fault_at(RM_FAULT_READ, 0x2000, "b");
	struct rm_fault a2 = fault_at(RM_FAULT_WRITE, 0x3000, "a");
	CHECK(!core_test_rm_fault_record(f.rm, 1, &a));
	CHECK(!core_test_rm_fault_record(f.rm, 2, &b));
	CHECK(!core_test_rm_fault_record(f.rm, 1, &a2));
	CHECK_EQ_U(fault_state(&f).address, 0x2000);
	core_test_rm_fault_clear(f.rm, 2);
	CHECK_EQ_U(fault_state(&f).address, 0x3000);
	core_test_rm_fault_clear(f.rm, 1);
	CHECK_EQ(fault_state(&f).kind, RM_FAULT_NONE);
	core_test_stop();
}

TEST(rm_fault_handler_replacement_and_refusal)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	struct fault_fixture old_h, new_h;
	fault_handler_setup(&old_h);
	fault_handler_setup(&new_h);
	CHECK_EQ(rm_session_fault_handler(f.cap, old_h.handler), RM_OK);
	CHECK_EQ(rm_session_fault_handler(f.cap, new_h.handler), RM_OK);
	struct rm_fault fault = fault_at(RM_FAULT_READ, 0x1000, "t");
	CHECK(core_test_rm_fault_record(f.rm, 1, &fault));
	CHECK_EQ(signal_receiver_wait(&new_h.receiver).result, SIGNAL_OK);
	CHECK_EQ(signal_receiver_poll(&old_h.receiver).result, SIGNAL_NONE);
	core_test_rm_fault_clear(f.rm, 1);

	/* something that is no signal context is refused, the handler stays */
	CHECK_EQ(rm_session_fault_handler(f.cap, CAP_CAST(signal_context, f.ram)),
	         RM_INVALID_ARGUMENT);
	CHECK(core_test_rm_fault_record(f.rm, 2, &fault));
	CHECK_EQ(signal_receiver_wait(&new_h.receiver).result, SIGNAL_OK);
	core_test_rm_fault_clear(f.rm, 2);

	/* an invalid capability removes the handler */
	CHECK_EQ(rm_session_fault_handler(f.cap, CAP_INVALID(signal_context)), RM_OK);
	CHECK(!core_test_rm_fault_record(f.rm, 3, &fault));
	CHECK_EQ(signal_receiver_poll(&new_h.receiver).result, SIGNAL_NONE);
	core_test_stop();
}

TEST(rm_destroy_releases_faults_and_handler)
{
	struct rm_fixture f = rm_setup(AREA_START, AREA_END);
	size_t blocks = core_test.live_blocks;
	struct fault_fixture h;
	fault_handler_setup(&h);
	CHECK_EQ(rm_session_fault_handler(f.cap, h.handler), RM_OK);
	struct rm_fault fault = fault_at(RM_FAULT_READ, 0x1000, "t");
	CHECK(core_test_rm_fault_record(f.rm, 1, &fault));
	struct dataspace_cap ds = ram_ds(&f, P);
	attach_ok(&f, ds, free_args(0));
	core_test_rm_destroy(f.rm);
	/* fault and region records and the session are gone; the dataspace is RAM's */
	CHECK_EQ(core_test.live_blocks, blocks);
	CHECK_EQ(rm_session_region(f.cap, 0, &ds).result, RM_INVALID_CAP);
	core_test_stop();
}
