/* SPDX-License-Identifier: MIT */
/**
 * \brief test-gdb_monitor: a program for a debugger, with something for each
 *        thing a GDB session does
 *
 *   threads     main, worker-1 and worker-2 (each calls gdb_add in a loop),
 *               watcher (writes gdb_watched every 10 ms)
 *   calls       main -> gdb_level_one -> gdb_level_two -> gdb_level_three
 *   globals     gdb_int, gdb_unsigned, gdb_double, gdb_string (char[32]),
 *               gdb_point (a struct with a nested array)
 *   `call`      gdb_add(a, b), gdb_point_sum(&gdb_point)
 *   Ctrl-C      main spins in gdb_busy_loop until gdb_go is set
 *   watch       gdb_watched, written by the watcher
 *   gdb_go      set by the debugger to leave the busy loop:
 *               1  the fault of <config fault="segv|ill|fpe|none"/> (a write
 *                  to 0xdead0000, ud2, a division by zero); with "none" main
 *                  returns 3
 *               2  main returns 3
 *               3  a thread "helper" comes, runs gdb_helper and ends; main
 *                  joins it and spins again
 *
 * Built with -O0: each line is a statement of its own and every local lives
 * in the frame, as a debugger session expects.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <base/env.h>
#include <base/thread.h>
#include <libc/libc.h>
#include <os/config.h>

struct gdb_point
{
	int x;
	int y;
	char label[16];
	double weights[3];
};

/* all global, so that the debugger and the run scripts find them by name */
int gdb_add(int a, int b);
int gdb_point_sum(struct gdb_point const *p);
int gdb_level_three(int value);
int gdb_level_two(int value);
int gdb_level_one(int value);
void gdb_busy_loop(void);
void gdb_fault_segv(void);
void gdb_fault_ill(void);
int gdb_fault_fpe(void);
void gdb_helper(void *argument);

int gdb_int = 42;
unsigned long gdb_unsigned = 0xfeedfacecafebeefUL;
double gdb_double = 3.25;
char gdb_string[32] = "hello vitrine";
struct gdb_point gdb_point = { 3, 4, "origin", { 0.5, 1.5, 2.5 } };
unsigned long volatile gdb_watched; /* the watcher's count */
unsigned long volatile gdb_spins;   /* the busy loop's */
unsigned long volatile gdb_adds;    /* the workers' gdb_add calls */
int volatile gdb_go;                /* set by the debugger: 1 fault path, 2 exit */
int volatile gdb_threads_running;   /* threads that run (and are known to core) */
char gdb_fault_kind[8] = "none";

int gdb_add(int a, int b)
{
	int sum = a + b;
	return sum;
}

int gdb_point_sum(struct gdb_point const *p) { return p->x + p->y; }

int gdb_level_three(int value)
{
	int tripled = value * 3;
	gdb_int += tripled;
	return tripled;
}

int gdb_level_two(int value)
{
	int result = gdb_level_three(value + 1);
	return result + 1;
}

int gdb_level_one(int value)
{
	int result = gdb_level_two(value + 1);
	return result + 1;
}

void gdb_busy_loop(void)
{
	while (!gdb_go) gdb_spins++;
}

void gdb_fault_segv(void)
{
	int volatile *nowhere = (int volatile *)0xdead0000UL;
	*nowhere = 1;
}

void gdb_fault_ill(void) { __asm__ volatile("ud2"); }

int gdb_fault_fpe(void)
{
	int volatile zero = 0;
	int volatile one = 1;
	/* cppcheck-suppress zerodiv ; the fault on purpose */
	return one / zero;
}

unsigned long volatile gdb_helper_runs;

void gdb_helper(void *argument)
{
	(void)argument;
	gdb_helper_runs++;
}

static void gdb_worker(void *argument)
{
	int base = (int)(long)argument;
	__atomic_add_fetch(&gdb_threads_running, 1, __ATOMIC_RELEASE);
	for (int i = 0;; i++) {
		gdb_adds += (unsigned long)gdb_add(base, i);
		usleep(1000);
	}
}

static void gdb_watcher(void *argument)
{
	(void)argument;
	__atomic_add_fetch(&gdb_threads_running, 1, __ATOMIC_RELEASE);
	for (;;) {
		gdb_watched = gdb_watched + 1;
		usleep(10000);
	}
}

/* the config stays open: the monitor lists the session (`monitor sessions`) */
static void gdb_fault_kind_read(struct env *env)
{
	static struct config config;
	if (config_init(&config, env) != CONFIG_OK) return;
	struct xml_copy_ret r =
	    xml_node_attribute_string(config.root, "fault", gdb_fault_kind, sizeof(gdb_fault_kind));
	if (r.result != XML_ACCESS_OK && r.result != XML_ACCESS_NOT_FOUND)
		printf("the config's fault attribute is too long; no fault\n");
	if (r.result != XML_ACCESS_OK) strcpy(gdb_fault_kind, "none");
}

static void gdb_thread_start(struct thread *thread, char const *name,
                             thread_entry_function entry, long argument)
{
	if (thread_create(thread, libc_env(), name, entry, (void *)argument,
	                  THREAD_STACK_SIZE_DEFAULT) != THREAD_OK)
		printf("could not start %s\n", name);
}

int main(void)
{
	static struct thread worker_1, worker_2, watcher;
	gdb_fault_kind_read(libc_env());
	printf("test-gdb_monitor: fault path \"%s\"\n", gdb_fault_kind);

	gdb_thread_start(&worker_1, "worker-1", gdb_worker, 100);
	gdb_thread_start(&worker_2, "worker-2", gdb_worker, 200);
	gdb_thread_start(&watcher, "watcher", gdb_watcher, 0);
	/* a thread that has not named itself to core yet cannot be paused */
	while (gdb_threads_running != 3) usleep(1000);

	int result = gdb_level_one(1);
	printf("test-gdb_monitor: gdb_level_one(1) is %d\n", result);

	for (;;) {
		gdb_busy_loop();
		printf("test-gdb_monitor: out of the busy loop with gdb_go %d\n", gdb_go);
		if (gdb_go != 3) break;
		static struct thread helper;
		gdb_thread_start(&helper, "helper", gdb_helper, 0);
		thread_join(&helper);
		printf("test-gdb_monitor: the helper came and went\n");
		gdb_go = 0;
	}

	if (gdb_go == 1) {
		if (strcmp(gdb_fault_kind, "segv") == 0) gdb_fault_segv();
		if (strcmp(gdb_fault_kind, "ill") == 0) gdb_fault_ill();
		if (strcmp(gdb_fault_kind, "fpe") == 0) printf("%d\n", gdb_fault_fpe());
	}
	printf("test-gdb_monitor: done\n");
	return 3;
}
