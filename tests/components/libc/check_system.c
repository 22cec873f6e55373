/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: the calls that have no meaning in a component fail with
 *        an errno that says why, never with a silent success
 *
 * No file system, no processes, no signals: ENOSYS. A descriptor other than
 * 0..2: EBADF; stdin has no input (EBADF); the standard descriptors are
 * character devices (ESPIPE for a seek).
 */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_libc.h"

static void system_descriptors(struct test *t)
{
	char byte = 'x';
	EXPECT_FAILURE(t, read(0, &byte, 1), -1, EBADF);
	EXPECT_FAILURE(t, read(1, &byte, 1), -1, EBADF);
	EXPECT_FAILURE(t, write(7, &byte, 1), -1, EBADF);
	EXPECT_FAILURE(t, write(-1, &byte, 1), -1, EBADF);
	EXPECT_FAILURE(t, write(0, &byte, 1), -1, EBADF);
	EXPECT_FAILURE(t, lseek(1, 0, SEEK_SET), -1, ESPIPE);
	EXPECT_FAILURE(t, lseek(9, 0, SEEK_SET), -1, EBADF);
	EXPECT_FAILURE(t, close(5), -1, EBADF);
	EXPECT_FAILURE(t, isatty(5), 0, EBADF);
	EXPECT_INT(t, isatty(1), 1);
	EXPECT_INT(t, write(1, "", 0), 0); /* nothing written, no line */

	struct stat st;
	memset(&st, 0, sizeof(st));
	EXPECT_INT(t, fstat(1, &st), 0);
	EXPECT_TRUE(t, S_ISCHR(st.st_mode));
	EXPECT_FAILURE(t, fstat(8, &st), -1, EBADF);
}

static void system_files(struct test *t)
{
	struct stat st;
	EXPECT_FAILURE(t, open("/etc/passwd", O_RDONLY), -1, ENOSYS);
	EXPECT_FAILURE(t, open("new", O_WRONLY | O_CREAT, 0644), -1, ENOSYS);
	EXPECT_FAILURE(t, stat("/", &st), -1, ENOSYS);
	EXPECT_FAILURE(t, unlink("file"), -1, ENOSYS);
	EXPECT_FAILURE(t, mkdir("folder", 0755), -1, ENOSYS);
	EXPECT_FAILURE(t, link("a", "b"), -1, ENOSYS);
	EXPECT_FAILURE(t, fopen("/etc/passwd", "r"), 0, ENOSYS);
	EXPECT_FAILURE(t, fopen("out.txt", "w"), 0, ENOSYS);
	EXPECT_FAILURE(t, remove("file"), -1, ENOSYS);

	/* stdin has nothing to read */
	EXPECT_INT(t, fgetc(stdin), EOF);
	EXPECT_TRUE(t, ferror(stdin) != 0);
	clearerr(stdin);
}

static void system_processes(struct test *t)
{
	EXPECT_FAILURE(t, getpid(), -1, ENOSYS);
	EXPECT_FAILURE(t, fork(), -1, ENOSYS);
	EXPECT_FAILURE(t, kill(1, SIGTERM), -1, ENOSYS);
	char *argv[] = { "x", 0 };
	EXPECT_FAILURE(t, execve("/bin/x", argv, 0), -1, ENOSYS);
	int status = 0;
	EXPECT_FAILURE(t, wait(&status), -1, ECHILD);
	struct tms buffer;
	EXPECT_FAILURE(t, times(&buffer), -1, ENOSYS);
	EXPECT_FAILURE(t, clock(), -1, ENOSYS);
	EXPECT_FAILURE(t, sbrk(4096), -1, ENOMEM);

	/* the environment: empty at start, and each thread's own name here */
	char name[32];
	snprintf(name, sizeof(name), "VITRINE_%s", t->name);
	EXPECT_PTR(t, getenv(name), 0);
	EXPECT_INT(t, setenv(name, t->name, 1), 0);
	EXPECT_STR(t, getenv(name), t->name);
	EXPECT_INT(t, unsetenv(name), 0);
	EXPECT_PTR(t, getenv(name), 0);
}

void test_system_run(struct test *t)
{
	system_descriptors(t);
	system_files(t);
	system_processes(t);
}
