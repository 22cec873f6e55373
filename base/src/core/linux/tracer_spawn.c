/* SPDX-License-Identifier: MIT */
/**
 * \brief the tracer's process start: fork, seize, then execve
 *
 * No window without tracing: the child blocks on a pipe until the tracer
 * has seized it (PTRACE_SEIZE, in the tracer thread), and only then runs
 * execve. The tracer closes its end of the pipe as the go-ahead, so nothing
 * is written to a pipe whose reader may be gone. If the tracer thread ends
 * first, PR_SET_PDEATHSIG kills the child; if the core process ended even
 * before the prctl, getppid() tells and the child leaves.
 *
 * An execve error travels back on a close-on-exec pipe: the child writes the
 * errno and exits; a successful execve closes the pipe. The tracer learns
 * which one happened from the child's next ptrace report (PTRACE_EVENT_EXEC
 * or its end), so it never blocks on a child that, say, got a signal first.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <base/log.h>

#include "tracer_private.h"

enum { TRACER_SPAWN_EXIT_FAILED = 127 };

static void __attribute__((noreturn)) tracer_spawn_child_fail(int report_fd, int error)
{
	while (write(report_fd, &error, sizeof(error)) < 0 && errno == EINTR) {}
	_exit(TRACER_SPAWN_EXIT_FAILED);
}

/* every descriptor from `first` on is closed by the execve */
static void tracer_spawn_child_cloexec(unsigned first)
{
	if (close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
	struct rlimit limit;
	unsigned last = 1024;
	if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
		last = (unsigned)limit.rlim_cur;
	for (unsigned fd = first; fd < last; fd++) (void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

/*
 * The child after fork. A copy of a multi-threaded process: only
 * async-signal-safe calls from here on, no malloc.
 */
static void __attribute__((noreturn))
tracer_spawn_child(char const *path, char *const argv[], int const *fds, unsigned fd_count,
                   int const sync_pipe[2], int const error_pipe[2], pid_t parent)
{
	int sync_fd = sync_pipe[0], error_fd = error_pipe[1];
	/* the ends of the parent: the go-ahead is EOF, which needs every writer closed */
	close(sync_pipe[1]);
	close(error_pipe[0]);

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) tracer_spawn_child_fail(error_fd, errno);
	if (getppid() != parent) _exit(TRACER_SPAWN_EXIT_FAILED);

	/* the tracer closes the other end once it has seized this process */
	char byte;
	while (read(sync_fd, &byte, 1) < 0 && errno == EINTR) {}

	/* the program starts with default dispositions and nothing blocked */
	struct sigaction action;
	memset(&action, 0, sizeof(action));
	action.sa_handler = SIG_DFL;
	for (int signal = 1; signal < NSIG; signal++)
		if (signal != SIGKILL && signal != SIGSTOP) (void)sigaction(signal, &action, NULL);
	sigset_t none;
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);

	/*
	 * fds[i] becomes 3 + i. First copy everything that must survive above
	 * that range, so that no dup2 destroys a descriptor still to be moved.
	 */
	int first_free = 3 + (int)fd_count;
	int copies[TRACER_SPAWN_FDS_MAX];
	for (unsigned i = 0; i < fd_count; i++) {
		copies[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, first_free);
		if (copies[i] < 0) tracer_spawn_child_fail(error_fd, errno);
	}
	int report_fd = fcntl(error_fd, F_DUPFD_CLOEXEC, first_free);
	if (report_fd < 0) tracer_spawn_child_fail(error_fd, errno);
	for (unsigned i = 0; i < fd_count; i++)
		if (dup2(copies[i], 3 + (int)i) < 0) tracer_spawn_child_fail(report_fd, errno);

	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null_fd < 0) tracer_spawn_child_fail(report_fd, errno);
	if (null_fd == 0) {
		if (fcntl(0, F_SETFD, 0) < 0) tracer_spawn_child_fail(report_fd, errno);
	} else if (dup2(null_fd, 0) < 0)
		tracer_spawn_child_fail(report_fd, errno);

	tracer_spawn_child_cloexec((unsigned)first_free);
	execve(path, argv, environ);
	tracer_spawn_child_fail(report_fd, errno);
}

enum tracer_result tracer_spawn_process(char const *path, char *const argv[], int const *fds,
                                        unsigned fd_count, int options, pid_t *pid,
                                        int *error_fd)
{
	int sync_pipe[2], error_pipe[2];
	if (pipe2(sync_pipe, O_CLOEXEC) < 0) {
		log_error("tracer: pipe2 failed: %s", strerror(errno));
		return TRACER_FAILED;
	}
	if (pipe2(error_pipe, O_CLOEXEC) < 0) {
		log_error("tracer: pipe2 failed: %s", strerror(errno));
		close(sync_pipe[0]);
		close(sync_pipe[1]);
		return TRACER_FAILED;
	}
	pid_t parent = getpid();
	pid_t child = fork();
	if (child == 0)
		tracer_spawn_child(path, argv, fds, fd_count, sync_pipe, error_pipe, parent);
	close(sync_pipe[0]);
	close(error_pipe[1]);
	if (child < 0) {
		log_error("tracer: fork failed: %s", strerror(errno));
		close(sync_pipe[1]);
		close(error_pipe[0]);
		return TRACER_FAILED;
	}
	if (ptrace(PTRACE_SEIZE, child, 0, (void *)(long)options) < 0) {
		log_error("tracer: ptrace(PTRACE_SEIZE) of %s (pid %d) failed: %s", path, (int)child,
		          strerror(errno));
		kill(child, SIGKILL);
		close(sync_pipe[1]);
		while (waitpid(child, NULL, __WALL) < 0 && errno == EINTR) {}
		close(error_pipe[0]);
		return TRACER_FAILED;
	}
	close(sync_pipe[1]); /* go ahead */
	*pid = child;
	*error_fd = error_pipe[0];
	return TRACER_OK;
}

enum tracer_result tracer_spawn_failure(int error_fd, char const *path)
{
	int error = 0;
	ssize_t length;
	do {
		length = read(error_fd, &error, sizeof(error));
	} while (length < 0 && errno == EINTR);
	if (length == (ssize_t)sizeof(error))
		log_error("tracer: cannot execute %s: %s", path, strerror(error));
	else
		log_error("tracer: %s ended before its execve", path);
	return TRACER_EXEC_FAILED;
}
