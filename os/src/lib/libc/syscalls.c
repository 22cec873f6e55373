/* SPDX-License-Identifier: MIT */
/**
 * \brief the system calls newlib is built on, mapped onto the framework
 *
 * Descriptors 1 and 2 are the LOG session (output.c); there is no file
 * system, no other process and no signal here, so every other call fails
 * with an errno that says so, never with a silent success: ENOSYS for what
 * this component cannot do at all, EBADF for a descriptor that does not
 * exist. Descriptor 0 exists but has no input: a read fails with EBADF.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include <base/log.h>

#include "libc_private.h"

static bool libc_fd_std(int fd) { return fd >= 0 && fd <= 2; }

static int libc_fail(int error)
{
	errno = error;
	return -1;
}

_READ_WRITE_RETURN_TYPE write(int fd, void const *data, size_t size)
{
	if (fd != 1 && fd != 2) return libc_fail(EBADF);
	if (!libc_output(data, size)) return libc_fail(EIO);
	return (_READ_WRITE_RETURN_TYPE)size;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *data, size_t size)
{
	(void)fd;
	(void)data;
	(void)size;
	return libc_fail(EBADF);
}

int close(int fd) { return libc_fd_std(fd) ? 0 : libc_fail(EBADF); }

off_t lseek(int fd, off_t offset, int whence)
{
	(void)offset;
	(void)whence;
	return libc_fail(libc_fd_std(fd) ? ESPIPE : EBADF);
}

/* the standard descriptors are character devices: stdout is line-buffered */
int fstat(int fd, struct stat *st)
{
	if (!libc_fd_std(fd)) return libc_fail(EBADF);
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | (fd == 0 ? S_IRUSR : S_IWUSR);
	st->st_blksize = LIBC_LINE_MAX;
	return 0;
}

int isatty(int fd)
{
	if (libc_fd_std(fd)) return 1;
	errno = EBADF;
	return 0;
}

int open(char const *path, int flags, ...)
{
	(void)path;
	(void)flags;
	return libc_fail(ENOSYS);
}

int stat(char const *path, struct stat *st)
{
	(void)path;
	(void)st;
	return libc_fail(ENOSYS);
}

int link(char const *old, char const *new)
{
	(void)old;
	(void)new;
	return libc_fail(ENOSYS);
}

int unlink(char const *path)
{
	(void)path;
	return libc_fail(ENOSYS);
}

int mkdir(char const *path, mode_t mode)
{
	(void)path;
	(void)mode;
	return libc_fail(ENOSYS);
}

int fcntl(int fd, int command, ...)
{
	(void)command;
	return libc_fail(libc_fd_std(fd) ? ENOSYS : EBADF);
}

int execve(char const *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	return libc_fail(ENOSYS);
}

pid_t fork(void) { return libc_fail(ENOSYS); }

pid_t wait(int *status)
{
	(void)status;
	return libc_fail(ECHILD);
}

/* a component is not a process with an id: the call fails */
pid_t getpid(void) { return libc_fail(ENOSYS); }

int kill(pid_t pid, int signal)
{
	(void)pid;
	(void)signal;
	return libc_fail(ENOSYS);
}

clock_t times(struct tms *buffer)
{
	(void)buffer;
	return (clock_t)libc_fail(ENOSYS);
}

/* malloc does not need it (malloc.c): the address space has no break */
void *sbrk(ptrdiff_t increment)
{
	(void)increment;
	errno = ENOMEM;
	return (void *)-1;
}

void libc_exit(int code) { env_exit(libc_env(), code); }

/* exit() calls it after the atexit handlers; the exit hook flushes stdio */
void _exit(int code) { libc_exit(code); }

/* newlib's abort raises SIGABRT, which has no meaning here: say so and end */
void abort(void)
{
	log_error("libc: abort() called");
	libc_exit(128 + SIGABRT);
}
