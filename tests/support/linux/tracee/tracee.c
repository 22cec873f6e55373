/* SPDX-License-Identifier: MIT */
/**
 * \brief a host program for test_tracer: does one traceable thing per mode
 *
 * Usage: tracee <mode> [argument]. Descriptor 3 is the report pipe to the
 * test: lines "<name> <hex value>" (label addresses, thread ids), then
 * "ready". Descriptor 4, where a mode needs it, is the command pipe from the
 * test. The instructions that the test stops, steps and inspects are written
 * in assembly below, so that their addresses and lengths are known.
 *
 * Modes:
 *   exit <n>    exit with status n
 *   spin        loop until rax != 0, then exit with rax's low byte
 *   int3        int3; mov $1,%eax; add $2,%rax; exit with rax (3)
 *   segv <addr> an echo thread, then a load from addr in the main thread;
 *               exit 0 once the load succeeds
 *   segv_handled <addr>  like segv, with a SIGSEGV handler that exits 42 if
 *               si_addr is addr and si_code a kernel one, else 43
 *   watch       wait for a byte on fd 4, store 1 to `watched`, exit 0 if it holds 1
 *   fpu         xmm0 = 00 01 .. 0f, int3, report xmm0 as "xmm0 <32 hex digits>"
 *   threads <n> n threads report "tid <tid>" and wait for EOF on fd 4; exit 0
 *   nested <n>  a thread starts n threads like `threads` does, and joins them
 *   fork        fork a child that exits 5, report "child <pid>", exit with its status
 *   victim      a thread in pause() reports "tid <tid>"; the main thread echoes
 *   echo        the main thread echoes: each byte b on fd 4 comes back as b + 1
 *               on fd 3; exit 0 at EOF
 *   fds         report "fd <n> <dev> <ino>" for each open descriptor above 2 and
 *               "stdin <target>", then exit 0
 */

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { REPORT_FD = 3, COMMAND_FD = 4, THREADS_MAX = 16 };

#define LABEL(name) ".globl " #name "\n.hidden " #name "\n" #name ":\n"

/* clang-format off */
__asm__(".text\n"
        LABEL(tracee_spin)
        "	xor %eax, %eax\n"
        LABEL(tracee_spin_loop)
        "1:	test %rax, %rax\n"
        "	jz 1b\n"
        LABEL(tracee_spin_end)
        "	ret\n"

        LABEL(tracee_int3)
        "	int3\n"
        LABEL(tracee_step_a)
        "	mov $1, %eax\n"
        LABEL(tracee_step_b)
        "	add $2, %rax\n"
        LABEL(tracee_step_c)
        "	ret\n"

        LABEL(tracee_load)
        "	mov (%rdi), %rax\n"
        LABEL(tracee_load_end)
        "	ret\n"

        LABEL(tracee_store)
        "	movq $1, (%rdi)\n"
        LABEL(tracee_store_end)
        "	ret\n"

        LABEL(tracee_fpu)
        "	movdqu (%rdi), %xmm0\n"
        LABEL(tracee_fpu_trap)
        "	int3\n"
        "	movdqu %xmm0, (%rsi)\n"
        "	ret\n"

        LABEL(tracee_gadget)
        "	syscall\n"
        "	ud2\n"
        LABEL(tracee_bad_gadget)
        "	ud2\n");
/* clang-format on */

#define HIDDEN __attribute__((visibility("hidden")))

extern long tracee_spin(void) HIDDEN;
extern char tracee_spin_loop[] HIDDEN, tracee_spin_end[] HIDDEN;
extern long tracee_int3(void) HIDDEN;
extern char tracee_step_a[] HIDDEN, tracee_step_b[] HIDDEN, tracee_step_c[] HIDDEN;
extern long tracee_load(void const *address) HIDDEN;
extern char tracee_load_end[] HIDDEN;
extern void tracee_store(uint64_t *address) HIDDEN;
extern char tracee_store_end[] HIDDEN;
extern void tracee_fpu(void const *in, void *out) HIDDEN;
extern char tracee_fpu_trap[] HIDDEN;
extern char tracee_gadget[] HIDDEN, tracee_bad_gadget[] HIDDEN;

static void report(char const *fmt, ...) __attribute__((format(printf, 1, 2)));

/* one write per line, so that threads do not interleave within a line */
static void report(char const *fmt, ...)
{
	char line[256];
	va_list args;
	va_start(args, fmt);
	int length = vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	if (length < 0 || (size_t)length >= sizeof(line)) _exit(100);
	if (write(REPORT_FD, line, (size_t)length) != length) _exit(101);
}

static void report_label(char const *name, void const *address)
{
	report("%s %lx\n", name, (unsigned long)address);
}

static void echo_loop(void)
{
	unsigned char byte;
	while (read(COMMAND_FD, &byte, 1) == 1) {
		byte++;
		if (write(REPORT_FD, &byte, 1) != 1) _exit(102);
	}
}

static void *echo_thread(void *argument)
{
	(void)argument;
	echo_loop();
	return NULL;
}

static pthread_barrier_t started;

static void *waiting_thread(void *argument)
{
	(void)argument;
	report("tid %lx\n", (long)syscall(SYS_gettid));
	pthread_barrier_wait(&started);
	char byte;
	while (read(COMMAND_FD, &byte, 1) == 1) {}
	return NULL;
}

static void *victim_thread(void *argument)
{
	(void)argument;
	report("tid %lx\n", (long)syscall(SYS_gettid));
	pthread_barrier_wait(&started);
	for (;;) pause();
	return NULL;
}

/* a thread that starts `count` waiting threads of its own and joins them */
static void *spawner_thread(void *argument)
{
	unsigned count = (unsigned)(uintptr_t)argument;
	pthread_t threads[THREADS_MAX];
	for (unsigned i = 0; i < count; i++)
		if (pthread_create(&threads[i], NULL, waiting_thread, NULL) != 0) _exit(110);
	for (unsigned i = 0; i < count; i++) pthread_join(threads[i], NULL);
	return NULL;
}

static int mode_nested(unsigned count)
{
	if (count > THREADS_MAX) return 106;
	pthread_barrier_init(&started, NULL, count + 1);
	pthread_t spawner;
	if (pthread_create(&spawner, NULL, spawner_thread, (void *)(uintptr_t)count) != 0)
		return 107;
	pthread_barrier_wait(&started);
	report("ready\n");
	pthread_join(spawner, NULL);
	return 0;
}

/* a child process that exits with 5; exit with what it returned */
static int mode_fork(void)
{
	pid_t child = fork();
	if (child < 0) return 111;
	if (child == 0) _exit(5);
	report("child %lx\n", (long)child);
	int status;
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status)) return 112;
	return WEXITSTATUS(status);
}

static int mode_segv(char const *argument)
{
	pthread_t thread;
	if (pthread_create(&thread, NULL, echo_thread, NULL) != 0) return 103;
	void const *address = (void const *)strtoul(argument, NULL, 0);
	report_label("load", (void *)tracee_load);
	report_label("load_end", tracee_load_end);
	report("ready\n");
	tracee_load(address);
	return 0;
}

/* the fault address that mode_segv_handled expects in its handler */
static uintptr_t segv_expected;

static void segv_handler(int signal, siginfo_t *info, void *context)
{
	(void)signal;
	(void)context;
	_exit((uintptr_t)info->si_addr == segv_expected && info->si_code > 0 ? 42 : 43);
}

static int mode_segv_handled(char const *argument)
{
	segv_expected = (uintptr_t)strtoul(argument, NULL, 0);
	struct sigaction action;
	memset(&action, 0, sizeof(action));
	action.sa_sigaction = segv_handler;
	action.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSEGV, &action, NULL) != 0) return 104;
	return mode_segv(argument);
}

static int mode_watch(void)
{
	static uint64_t watched;
	report_label("watched", &watched);
	report_label("store", (void *)tracee_store);
	report_label("store_end", tracee_store_end);
	report("ready\n");
	char byte;
	if (read(COMMAND_FD, &byte, 1) != 1) return 104;
	tracee_store(&watched);
	return watched == 1 ? 0 : 105;
}

static int mode_fpu(void)
{
	unsigned char in[16], out[16];
	for (unsigned i = 0; i < 16; i++) in[i] = (unsigned char)i;
	report_label("fpu_trap", tracee_fpu_trap);
	report("ready\n");
	tracee_fpu(in, out);
	char hex[33];
	for (unsigned i = 0; i < 16; i++) snprintf(hex + 2 * i, 3, "%02x", out[i]);
	report("xmm0 %s\n", hex);
	return 0;
}

static int mode_threads(unsigned count, void *(*body)(void *))
{
	pthread_t threads[THREADS_MAX];
	if (count > THREADS_MAX) return 106;
	pthread_barrier_init(&started, NULL, count + 1);
	for (unsigned i = 0; i < count; i++)
		if (pthread_create(&threads[i], NULL, body, NULL) != 0) return 107;
	pthread_barrier_wait(&started);
	report_label("gadget", tracee_gadget);
	report_label("bad_gadget", tracee_bad_gadget);
	report("ready\n");
	if (body == victim_thread) {
		echo_loop();
		return 0;
	}
	for (unsigned i = 0; i < count; i++) pthread_join(threads[i], NULL);
	return 0;
}

static int mode_fds(void)
{
	DIR *directory = opendir("/proc/self/fd");
	if (!directory) return 108;
	struct dirent *entry;
	while ((entry = readdir(directory))) {
		int fd = atoi(entry->d_name);
		struct stat status;
		if (fd <= 2 || fd == dirfd(directory) || fstat(fd, &status) < 0) continue;
		report("fd %d %lx %lx\n", fd, (unsigned long)status.st_dev,
		       (unsigned long)status.st_ino);
	}
	closedir(directory);
	char target[256];
	ssize_t length = readlink("/proc/self/fd/0", target, sizeof(target) - 1);
	if (length < 0) return 109;
	target[length] = 0;
	report("stdin %s\n", target);
	report("ready\n");
	return 0;
}

int main(int argc, char **argv)
{
	/* a signal that ends a test's tracee leaves no core file */
	struct rlimit no_core = { 0, 0 };
	setrlimit(RLIMIT_CORE, &no_core);

	char const *mode = argc > 1 ? argv[1] : "";
	char const *argument = argc > 2 ? argv[2] : "0";
	if (!strcmp(mode, "exit")) return atoi(argument);
	if (!strcmp(mode, "spin")) {
		report_label("spin_loop", tracee_spin_loop);
		report_label("spin_end", tracee_spin_end);
		report("ready\n");
		return (int)(tracee_spin() & 0xff);
	}
	if (!strcmp(mode, "int3")) {
		report_label("int3", (void *)tracee_int3);
		report_label("step_a", tracee_step_a);
		report_label("step_b", tracee_step_b);
		report_label("step_c", tracee_step_c);
		report("ready\n");
		return (int)tracee_int3();
	}
	if (!strcmp(mode, "segv")) return mode_segv(argument);
	if (!strcmp(mode, "segv_handled")) return mode_segv_handled(argument);
	if (!strcmp(mode, "watch")) return mode_watch();
	if (!strcmp(mode, "fpu")) return mode_fpu();
	if (!strcmp(mode, "threads")) return mode_threads((unsigned)atoi(argument), waiting_thread);
	if (!strcmp(mode, "fork")) return mode_fork();
	if (!strcmp(mode, "nested")) return mode_nested((unsigned)atoi(argument));
	if (!strcmp(mode, "victim")) return mode_threads(1, victim_thread);
	if (!strcmp(mode, "echo")) {
		report("ready\n");
		echo_loop();
		return 0;
	}
	if (!strcmp(mode, "fds")) return mode_fds();
	fprintf(stderr, "tracee: unknown mode '%s'\n", mode);
	return 2;
}
