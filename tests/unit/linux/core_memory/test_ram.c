/* SPDX-License-Identifier: MIT */
/** \brief core's RAM session and dataspaces through real RPC, memfds and mappings */

#include <fcntl.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core_test.h"
#include "dataspace_component.h"
#include "unit_test.h"

static struct ram_session_cap ram_open(uint64_t quota, struct ram_session_component **ram)
{
	struct ram_session_component_create_ret r = core_test_ram_create(quota);
	CHECK_EQ(r.result, RAM_SESSION_COMPONENT_OK);
	CHECK(cap_valid(r.cap.cap));
	if (ram) *ram = r.ram;
	/* the first call makes the calling thread's channel: descriptors counted later stay */
	CHECK_EQ(ram_session_quota(r.cap).result, RAM_OK);
	return r.cap;
}

static struct ram_quota ram_quota_of(struct ram_session_cap ram)
{
	struct ram_quota_result q = ram_session_quota(ram);
	CHECK_EQ(q.result, RAM_OK);
	return q.quota;
}

#define CHECK_QUOTA(ram, expect_quota, expect_used) \
	do {                                            \
		struct ram_quota q_ = ram_quota_of(ram);    \
		CHECK_EQ_U(q_.quota, (expect_quota));       \
		CHECK_EQ_U(q_.used, (expect_used));         \
	} while (0)

static struct dataspace_cap ram_alloc_ok(struct ram_session_cap ram, uint64_t size)
{
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	CHECK_EQ(ram_session_alloc(ram, size, &ds), RAM_OK);
	CHECK(cap_valid(ds.cap));
	return ds;
}

static int dataspace_fd(struct dataspace_cap ds)
{
	struct linux_fd_cap fd = CAP_INVALID(linux_fd);
	CHECK_EQ(linux_dataspace_fd(CAP_CAST(linux_dataspace, ds), &fd), DATASPACE_OK);
	CHECK(fd.cap.handle >= 0);
	return fd.cap.handle;
}

TEST(ram_alloc_accounts_page_rounded_sizes)
{
	core_test_start();
	struct ram_session_cap ram = ram_open(64 * 1024, 0);
	CHECK_QUOTA(ram, 64 * 1024, 0);
	ram_alloc_ok(ram, 1);
	CHECK_QUOTA(ram, 64 * 1024, 4096);
	ram_alloc_ok(ram, 4096);
	CHECK_QUOTA(ram, 64 * 1024, 8192);
	struct dataspace_cap ds = ram_alloc_ok(ram, 4097);
	CHECK_QUOTA(ram, 64 * 1024, 16384);

	struct dataspace_info_result info = dataspace_info(ds);
	CHECK_EQ(info.result, DATASPACE_OK);
	CHECK_EQ_U(info.info.size, 8192);
	CHECK(info.info.writeable);
	core_test_stop();
}

TEST(ram_alloc_of_invalid_sizes_changes_nothing)
{
	core_test_start();
	struct ram_session_cap ram = ram_open(64 * 1024, 0);
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	CHECK_EQ(ram_session_alloc(ram, 0, &ds), RAM_INVALID_SIZE);
	CHECK(!cap_valid(ds.cap));
	CHECK_EQ(ram_session_alloc(ram, UINT64_MAX, &ds), RAM_INVALID_SIZE);
	CHECK_EQ(ram_session_alloc(ram, UINT64_MAX - 4094, &ds), RAM_INVALID_SIZE);
	CHECK(!cap_valid(ds.cap));
	CHECK_QUOTA(ram, 64 * 1024, 0);
	core_test_stop();
}

TEST(ram_out_of_quota_leaves_everything_unchanged)
{
	core_test_start();
	struct ram_session_component *component;
	struct ram_session_cap ram = ram_open(3 * 4096, &component);
	unsigned fds = core_test_open_fds();
	size_t blocks = core_test.live_blocks;

	struct dataspace_cap ds = CAP_INVALID(dataspace);
	CHECK_EQ(ram_session_alloc(ram, 3 * 4096 + 1, &ds), RAM_OUT_OF_QUOTA);
	CHECK(!cap_valid(ds.cap));
	CHECK_QUOTA(ram, 3 * 4096, 0);
	CHECK_EQ(core_test_open_fds(), fds);
	CHECK_EQ(core_test.live_blocks, blocks);

	/* exactly the quota fits; then one byte more does not */
	struct dataspace_cap a = ram_alloc_ok(ram, 2 * 4096);
	ram_alloc_ok(ram, 4096);
	CHECK_QUOTA(ram, 3 * 4096, 3 * 4096);
	CHECK_EQ(ram_session_alloc(ram, 1, &ds), RAM_OUT_OF_QUOTA);
	CHECK_QUOTA(ram, 3 * 4096, 3 * 4096);

	/* freeing makes room again */
	CHECK_EQ(ram_session_free(ram, a), RAM_OK);
	CHECK_QUOTA(ram, 3 * 4096, 4096);
	ram_alloc_ok(ram, 2 * 4096);
	CHECK_QUOTA(ram, 3 * 4096, 3 * 4096);
	core_test_stop();
}

TEST(ram_alloc_without_metadata_changes_nothing)
{
	core_test_start();
	struct ram_session_cap ram = ram_open(64 * 1024, 0);
	unsigned fds = core_test_open_fds();
	core_test_set_budget(0);
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	CHECK_EQ(ram_session_alloc(ram, 4096, &ds), RAM_OUT_OF_MEMORY);
	CHECK(!cap_valid(ds.cap));
	CHECK_QUOTA(ram, 64 * 1024, 0);
	CHECK_EQ(core_test_open_fds(), fds);
	core_test_set_budget(SIZE_MAX);
	ram_alloc_ok(ram, 4096);
	core_test_stop();
}

TEST(ram_free_returns_quota_and_revokes_every_capability)
{
	core_test_start();
	struct ram_session_cap ram = ram_open(64 * 1024, 0);
	unsigned fds = core_test_open_fds();
	struct dataspace_cap ds = ram_alloc_ok(ram, 8192);
	struct dataspace_cap copy = { cap_copy(ds.cap) };
	CHECK(cap_valid(copy.cap));
	CHECK_EQ(dataspace_info(copy).result, DATASPACE_OK);

	CHECK_EQ(ram_session_free(ram, ds), RAM_OK);
	CHECK_QUOTA(ram, 64 * 1024, 0);
	CHECK_EQ(dataspace_info(copy).result, DATASPACE_INVALID_CAP);
	CHECK_EQ(dataspace_info(ds).result, DATASPACE_INVALID_CAP);
	/* a second free names nothing any more */
	CHECK_EQ(ram_session_free(ram, ds), RAM_INVALID_ARGUMENT);
	CHECK_QUOTA(ram, 64 * 1024, 0);
	cap_close(ds.cap);
	cap_close(copy.cap);
	/* the memfd is closed: only the session's own handles remain */
	CHECK_EQ(core_test_open_fds(), fds);
	core_test_stop();
}

TEST(ram_free_refuses_what_is_not_its_own)
{
	core_test_start();
	struct ram_session_cap a = ram_open(64 * 1024, 0);
	struct ram_session_cap b = ram_open(64 * 1024, 0);
	struct dataspace_cap ds = ram_alloc_ok(a, 4096);

	CHECK_EQ(ram_session_free(b, ds), RAM_INVALID_ARGUMENT);
	CHECK_QUOTA(a, 64 * 1024, 4096);
	CHECK_EQ(dataspace_info(ds).result, DATASPACE_OK);
	CHECK_EQ(ram_session_free(b, CAP_INVALID(dataspace)), RAM_INVALID_ARGUMENT);
	/* a capability of another kind of core object */
	CHECK_EQ(ram_session_free(a, CAP_CAST(dataspace, b)), RAM_INVALID_ARGUMENT);
	CHECK_QUOTA(b, 64 * 1024, 0);
	CHECK_EQ(ram_session_free(a, ds), RAM_OK);
	core_test_stop();
}

TEST(ram_transfer_quota_moves_unused_quota)
{
	core_test_start();
	struct ram_session_cap a = ram_open(64 * 1024, 0);
	struct ram_session_cap b = ram_open(0, 0);
	CHECK_EQ(ram_session_transfer_quota(a, b, 16 * 1024), RAM_OK);
	CHECK_QUOTA(a, 48 * 1024, 0);
	CHECK_QUOTA(b, 16 * 1024, 0);

	/* only what is unused moves */
	ram_alloc_ok(a, 40 * 1024);
	CHECK_EQ(ram_session_transfer_quota(a, b, 8 * 1024 + 1), RAM_OUT_OF_QUOTA);
	CHECK_QUOTA(a, 48 * 1024, 40 * 1024);
	CHECK_QUOTA(b, 16 * 1024, 0);
	CHECK_EQ(ram_session_transfer_quota(a, b, 8 * 1024), RAM_OK);
	CHECK_QUOTA(a, 40 * 1024, 40 * 1024);
	CHECK_QUOTA(b, 24 * 1024, 0);
	CHECK_EQ(ram_session_transfer_quota(a, b, UINT64_MAX), RAM_OUT_OF_QUOTA);

	/* b can spend what it got */
	ram_alloc_ok(b, 24 * 1024);
	CHECK_QUOTA(b, 24 * 1024, 24 * 1024);
	core_test_stop();
}

TEST(ram_transfer_quota_to_an_invalid_target_changes_nothing)
{
	core_test_start();
	struct ram_session_cap a = ram_open(64 * 1024, 0);
	struct ram_session_cap b = ram_open(0, 0);
	struct dataspace_cap ds = ram_alloc_ok(a, 4096);

	CHECK_EQ(ram_session_transfer_quota(a, CAP_INVALID(ram_session), 4096),
	         RAM_INVALID_ARGUMENT);
	CHECK_EQ(ram_session_transfer_quota(a, CAP_CAST(ram_session, ds), 4096),
	         RAM_INVALID_ARGUMENT);
	/* a socket that is no object of core at all */
	int pair[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair), 0);
	CHECK_EQ(ram_session_transfer_quota(a, (struct ram_session_cap){ { pair[0] } }, 4096),
	         RAM_INVALID_ARGUMENT);
	/* the invalid target is checked before the amount */
	CHECK_EQ(ram_session_transfer_quota(a, CAP_INVALID(ram_session), UINT64_MAX),
	         RAM_INVALID_ARGUMENT);
	CHECK_QUOTA(a, 64 * 1024, 4096);
	CHECK_QUOTA(b, 0, 0);
	close(pair[0]);
	close(pair[1]);
	core_test_stop();
}

TEST(ram_transfer_quota_to_itself_is_a_no_op)
{
	core_test_start();
	struct ram_session_cap a = ram_open(64 * 1024, 0);
	CHECK_EQ(ram_session_transfer_quota(a, a, 4096), RAM_OK);
	CHECK_QUOTA(a, 64 * 1024, 0);
	CHECK_EQ(ram_session_transfer_quota(a, a, 0), RAM_OK);
	CHECK_EQ(ram_session_transfer_quota(a, a, 64 * 1024 + 1), RAM_OUT_OF_QUOTA);
	CHECK_QUOTA(a, 64 * 1024, 0);
	core_test_stop();
}

TEST(ram_transfer_quota_to_a_destroyed_session_is_refused)
{
	core_test_start();
	struct ram_session_cap a = ram_open(64 * 1024, 0);
	struct ram_session_component *b_component;
	struct ram_session_cap b = ram_open(0, &b_component);
	core_test_ram_destroy(b_component);
	CHECK_EQ(ram_session_transfer_quota(a, b, 4096), RAM_INVALID_ARGUMENT);
	CHECK_QUOTA(a, 64 * 1024, 0);
	CHECK_EQ(ram_session_quota(b).result, RAM_INVALID_CAP);
	core_test_stop();
}

TEST(ram_withdraw_and_deposit)
{
	core_test_start();
	struct ram_session_component *component;
	struct ram_session_cap ram = ram_open(16 * 1024, &component);
	ram_alloc_ok(ram, 8 * 1024);
	CHECK_EQ(core_test_ram_withdraw(component, 8 * 1024 + 1), RAM_OUT_OF_QUOTA);
	CHECK_QUOTA(ram, 16 * 1024, 8 * 1024);
	CHECK_EQ(core_test_ram_withdraw(component, 4 * 1024), RAM_OK);
	CHECK_QUOTA(ram, 12 * 1024, 8 * 1024);
	CHECK_EQ(core_test_ram_deposit(component, 4 * 1024), RAM_OK);
	CHECK_QUOTA(ram, 16 * 1024, 8 * 1024);
	CHECK_EQ(core_test_ram_deposit(component, UINT64_MAX), RAM_INVALID_SIZE);
	struct ram_quota q = core_test_ram_quota(component);
	CHECK_EQ_U(q.quota, 16 * 1024);
	CHECK_EQ_U(q.used, 8 * 1024);
	core_test_stop();
}

TEST(ram_destroy_frees_every_dataspace)
{
	core_test_start();
	size_t blocks = core_test.live_blocks;
	unsigned fds = core_test_open_fds();
	struct ram_session_component *component;
	struct ram_session_cap ram = ram_open(64 * 1024, &component);
	struct dataspace_cap ds[3];
	for (int i = 0; i < 3; i++) ds[i] = ram_alloc_ok(ram, 4096);
	CHECK(core_test.live_blocks > blocks);

	core_test_ram_destroy(component);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(dataspace_info(ds[i]).result, DATASPACE_INVALID_CAP);
		cap_close(ds[i].cap);
	}
	CHECK_EQ(ram_session_quota(ram).result, RAM_INVALID_CAP);
	cap_close(ram.cap);
	CHECK_EQ(core_test.live_blocks, blocks);
	CHECK_EQ(core_test_open_fds(), fds);
	core_test_stop();
}

TEST(dataspace_fd_maps_the_same_memory_everywhere)
{
	core_test_start();
	struct ram_session_cap ram = ram_open(64 * 1024, 0);
	struct dataspace_cap ds = ram_alloc_ok(ram, 8192);
	int fd1 = dataspace_fd(ds), fd2 = dataspace_fd(ds);
	CHECK(fd1 != fd2);
	CHECK_EQ(fcntl(fd1, F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK(fcntl(fd1, F_GETFD) & FD_CLOEXEC);

	unsigned char *a = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd1, 0);
	unsigned char *b = mmap(0, 8192, PROT_READ, MAP_SHARED, fd2, 0);
	CHECK(a != MAP_FAILED && b != MAP_FAILED);
	for (int i = 0; i < 8192; i++) CHECK_EQ(b[i], 0); /* zeroed */
	memcpy(a + 4090, "across pages", 12);
	CHECK_MEM(b + 4090, "across pages", 12);
	/* each descriptor has a file offset of its own */
	CHECK_EQ(lseek(fd1, 100, SEEK_SET), 100);
	CHECK_EQ(lseek(fd2, 0, SEEK_CUR), 0);
	munmap(a, 8192);
	munmap(b, 8192);
	close(fd1);
	close(fd2);
	core_test_stop();
}

TEST(dataspace_lookup_finds_only_live_dataspaces)
{
	core_test_start();
	struct ram_session_cap ram = ram_open(64 * 1024, 0);
	struct dataspace_cap ds = ram_alloc_ok(ram, 3 * 4096);
	struct dataspace_component *component = core_test_dataspace_lookup(ds);
	CHECK(component != 0);
	CHECK_EQ_U(dataspace_component_size(component), 3 * 4096);
	CHECK(dataspace_component_writeable(component));
	CHECK(dataspace_component_handle(component) >= 0);

	CHECK(core_test_dataspace_lookup(CAP_CAST(dataspace, ram)) == 0);
	CHECK(core_test_dataspace_lookup(CAP_INVALID(dataspace)) == 0);
	struct dataspace_cap copy = { cap_copy(ds.cap) };
	CHECK_EQ(ram_session_free(ram, ds), RAM_OK);
	CHECK(core_test_dataspace_lookup(copy) == 0);
	cap_close(copy.cap);
	core_test_stop();
}
