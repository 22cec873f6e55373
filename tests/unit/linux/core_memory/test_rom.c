/* SPDX-License-Identifier: MIT */
/** \brief core's ROM session: module names, sealed read-only dataspaces, unknown modules */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <base/log.h>

#include "core_test.h"
#include "dataspace_component.h"
#include "unit_test.h"

/* ---- module names ------------------------------------------------------------------ */

static void check_name(char const *args, enum rom_session_component_result expect,
                       char const *expect_name)
{
	char name[ROM_MODULE_NAME_MAX + 1];
	memset(name, 'x', sizeof(name));
	CHECK_EQ(rom_session_component_module_name(args, name, sizeof(name)), expect);
	CHECK_STR(name, expect_name);
}

TEST(rom_module_name_from_label_and_module)
{
	check_name("label=\"init -> test-log -> test-log\"", ROM_SESSION_COMPONENT_OK, "test-log");
	check_name("label=\"init -> loader\", ram_quota=4K", ROM_SESSION_COMPONENT_OK, "loader");
	check_name("label=\"plain\"", ROM_SESSION_COMPONENT_OK, "plain");
	check_name("label=plain", ROM_SESSION_COMPONENT_OK, "plain");
	/* module wins over the label, wherever it stands */
	check_name("label=\"init -> a\", module=\"b.elf\"", ROM_SESSION_COMPONENT_OK, "b.elf");
	check_name("module=config, label=\"init -> a\"", ROM_SESSION_COMPONENT_OK, "config");
	/* "->" without the spaces is part of a name */
	check_name("label=\"a->b\"", ROM_SESSION_COMPONENT_OK, "a->b");
}

TEST(rom_module_name_rejects_what_could_leave_the_boot_directory)
{
	check_name("module=\"../x\"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
	check_name("module=\"..\"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
	check_name("module=\".\"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
	check_name("module=\"a/b\"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
	check_name("module=\"/etc/passwd\"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
	check_name("module=\"x..\"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
	check_name("module=\"\"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
	check_name("label=\"init -> \"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
	check_name("label=\"init -> ../../etc/passwd\"", ROM_SESSION_COMPONENT_INVALID_NAME, "");
}

TEST(rom_module_name_length_limit)
{
	char args[128], expect[ROM_MODULE_NAME_MAX + 1];
	memset(expect, 'n', ROM_MODULE_NAME_MAX);
	expect[ROM_MODULE_NAME_MAX] = 0;
	snprintf(args, sizeof(args), "module=\"%s\"", expect);
	check_name(args, ROM_SESSION_COMPONENT_OK, expect);
	snprintf(args, sizeof(args), "module=\"%sn\"", expect);
	check_name(args, ROM_SESSION_COMPONENT_INVALID_NAME, "");
	/* a buffer that cannot hold every valid name is refused */
	char small[8];
	CHECK_EQ(rom_session_component_module_name("module=x", small, sizeof(small)),
	         ROM_SESSION_COMPONENT_INVALID_NAME);
}

TEST(rom_module_name_needs_well_formed_args)
{
	check_name("", ROM_SESSION_COMPONENT_INVALID_ARGS, "");
	check_name("ram_quota=4K", ROM_SESSION_COMPONENT_INVALID_ARGS, "");
	check_name("label=\"unterminated", ROM_SESSION_COMPONENT_INVALID_ARGS, "");
	check_name("module=x,", ROM_SESSION_COMPONENT_INVALID_ARGS, "");
}

/* ---- sessions over a boot directory ------------------------------------------------ */

static char boot_directory[64];

static void boot_file(char const *name, void const *content, size_t size)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", boot_directory, name);
	FILE *f = fopen(path, "wb");
	CHECK(f != 0);
	CHECK_EQ(fwrite(content, 1, size, f), size);
	fclose(f);
}

static void boot_setup(void)
{
	snprintf(boot_directory, sizeof(boot_directory), "/tmp/core_memory_XXXXXX");
	CHECK(mkdtemp(boot_directory) != 0);
	core_test_start();
}

static void boot_teardown(void)
{
	core_test_stop();
	char command[128];
	snprintf(command, sizeof(command), "rm -rf '%s'", boot_directory);
	CHECK_EQ(system(command), 0);
}

/* what core logged, line by line */
static char logged[1024];

static void log_capture(void *context, enum log_level level, char const *line, size_t length)
{
	(void)context, (void)level;
	size_t used = strlen(logged);
	if (used + length + 2 > sizeof(logged)) return;
	memcpy(logged + used, line, length);
	logged[used + length] = '\n';
	logged[used + length + 1] = 0;
}

static struct rom_session_component_create_ret rom_open(char const *args)
{
	struct rom_session_component_create_ret r = core_test_rom_create(boot_directory, args);
	CHECK_EQ(r.result, ROM_SESSION_COMPONENT_OK);
	CHECK(cap_valid(r.cap.cap));
	return r;
}

static int rom_fd(struct rom_session_cap rom, struct dataspace_cap *ds_out)
{
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	CHECK_EQ(rom_session_dataspace(rom, &ds), ROM_OK);
	struct linux_fd_cap fd = CAP_INVALID(linux_fd);
	CHECK_EQ(linux_dataspace_fd(CAP_CAST(linux_dataspace, ds), &fd), DATASPACE_OK);
	CHECK(fd.cap.handle >= 0);
	if (ds_out)
		*ds_out = ds;
	else
		cap_close(ds.cap);
	return fd.cap.handle;
}

TEST(rom_serves_the_file_read_only)
{
	boot_setup();
	boot_file("hello", "hello rom", 9);
	struct rom_session_component_create_ret r = rom_open("label=\"init -> hello\"");

	struct rom_size_result size = rom_session_size(r.cap);
	CHECK_EQ(size.result, ROM_OK);
	CHECK_EQ_U(size.size, 9);

	struct dataspace_cap ds;
	int fd = rom_fd(r.cap, &ds);
	struct dataspace_info_result info = dataspace_info(ds);
	CHECK_EQ(info.result, DATASPACE_OK);
	CHECK_EQ_U(info.info.size, 4096);
	CHECK(!info.info.writeable);

	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	char *p = mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK_MEM(p, "hello rom", 9);
	for (int i = 9; i < 4096; i++) CHECK_EQ(p[i], 0);
	munmap(p, 4096);

	/* the kernel enforces read-only: no writeable shared mapping, no write */
	CHECK(mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
	CHECK(write(fd, "x", 1) < 0);
	CHECK(pwrite(fd, "x", 1, 0) < 0);
	CHECK(ftruncate(fd, 0) < 0);
	/* and core's memfd is sealed, so no descriptor at all can change it */
	int seals = fcntl(fd, F_GET_SEALS);
	CHECK(seals >= 0);
	CHECK(seals & F_SEAL_WRITE);
	CHECK(seals & F_SEAL_SHRINK);
	CHECK(seals & F_SEAL_GROW);
	close(fd);
	cap_close(ds.cap);
	boot_teardown();
}

TEST(rom_content_is_a_copy_taken_at_session_creation)
{
	boot_setup();
	/* a multi-page file whose size is no multiple of a page */
	size_t size = 3 * 4096 + 123;
	unsigned char *content = malloc(size);
	for (size_t i = 0; i < size; i++) content[i] = (unsigned char)(i * 7 + 3);
	boot_file("big", content, size);
	struct rom_session_component_create_ret r = rom_open("module=big");
	boot_file("big", "changed", 7);

	CHECK_EQ_U(rom_session_size(r.cap).size, size);
	int fd = rom_fd(r.cap, 0);
	unsigned char *p = mmap(0, 4 * 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK_MEM(p, content, size);
	munmap(p, 4 * 4096);
	close(fd);
	free(content);
	boot_teardown();
}

TEST(rom_of_an_empty_file_is_one_zero_page)
{
	boot_setup();
	boot_file("empty", "", 0);
	struct rom_session_component_create_ret r = rom_open("module=empty");
	CHECK_EQ_U(rom_session_size(r.cap).size, 0);
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	CHECK_EQ(rom_session_dataspace(r.cap, &ds), ROM_OK);
	CHECK_EQ_U(dataspace_info(ds).info.size, 4096);
	cap_close(ds.cap);
	boot_teardown();
}

TEST(rom_of_an_unknown_module_fails_and_is_logged)
{
	boot_setup();
	log_set_sink(log_capture, 0);
	size_t blocks = core_test.live_blocks;
	unsigned fds = core_test_open_fds();
	struct rom_session_component_create_ret r =
	    core_test_rom_create(boot_directory, "label=\"init -> nope\"");
	CHECK_EQ(r.result, ROM_SESSION_COMPONENT_NOT_FOUND);
	CHECK(r.rom == 0);
	CHECK(!cap_valid(r.cap.cap));
	CHECK(strstr(logged, "ROM module \"nope\" not found") != 0);
	CHECK_EQ(core_test.live_blocks, blocks);
	CHECK_EQ(core_test_open_fds(), fds);
	log_set_sink(0, 0);
	boot_teardown();
}

TEST(rom_refuses_names_outside_the_boot_directory)
{
	boot_setup();
	log_set_sink(log_capture, 0);
	/* a file right next to the boot directory, which "../<name>" would reach */
	char outside[128], args[160];
	snprintf(outside, sizeof(outside), "%s.outside", boot_directory);
	FILE *f = fopen(outside, "w");
	CHECK(f != 0);
	fclose(f);
	char const *base = strrchr(outside, '/') + 1;
	snprintf(args, sizeof(args), "module=\"../%s\"", base);
	struct rom_session_component_create_ret r = core_test_rom_create(boot_directory, args);
	unlink(outside);
	CHECK_EQ(r.result, ROM_SESSION_COMPONENT_INVALID_NAME);
	CHECK(!cap_valid(r.cap.cap));
	CHECK_EQ(core_test_rom_create(boot_directory, "module=\"../x\"").result,
	         ROM_SESSION_COMPONENT_INVALID_NAME);
	CHECK_EQ(core_test_rom_create(boot_directory, "ram_quota=4K").result,
	         ROM_SESSION_COMPONENT_INVALID_ARGS);
	log_set_sink(0, 0);
	boot_teardown();
}

TEST(rom_of_a_directory_entry_that_is_no_file_fails)
{
	boot_setup();
	log_set_sink(log_capture, 0);
	char path[128];
	snprintf(path, sizeof(path), "%s/subdir", boot_directory);
	CHECK_EQ(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/fifo", boot_directory);
	CHECK_EQ(mkfifo(path, 0600), 0);
	CHECK_EQ(core_test_rom_create(boot_directory, "module=subdir").result,
	         ROM_SESSION_COMPONENT_NOT_FOUND);
	CHECK_EQ(core_test_rom_create(boot_directory, "module=fifo").result,
	         ROM_SESSION_COMPONENT_NOT_FOUND);
	log_set_sink(0, 0);
	boot_teardown();
}

TEST(rom_destroy_revokes_session_and_dataspace)
{
	boot_setup();
	boot_file("m", "content", 7);
	size_t blocks = core_test.live_blocks;
	struct rom_session_component_create_ret r = rom_open("module=m");
	struct dataspace_cap ds1 = CAP_INVALID(dataspace), ds2 = CAP_INVALID(dataspace);
	CHECK_EQ(rom_session_dataspace(r.cap, &ds1), ROM_OK);
	CHECK_EQ(rom_session_dataspace(r.cap, &ds2), ROM_OK);
	/* two capabilities of one dataspace */
	CHECK(core_test_dataspace_lookup(ds1) == core_test_dataspace_lookup(ds2));
	CHECK(!dataspace_component_writeable(core_test_dataspace_lookup(ds1)));

	core_test_rom_destroy(r.rom);
	CHECK_EQ(rom_session_size(r.cap).result, ROM_INVALID_CAP);
	CHECK_EQ(dataspace_info(ds1).result, DATASPACE_INVALID_CAP);
	CHECK_EQ(dataspace_info(ds2).result, DATASPACE_INVALID_CAP);
	CHECK_EQ(core_test.live_blocks, blocks);
	cap_close(ds1.cap);
	cap_close(ds2.cap);
	cap_close(r.cap.cap);
	boot_teardown();
}
