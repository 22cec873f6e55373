/* SPDX-License-Identifier: MIT */
/**
 * \brief the tracer thread's view of the traced threads: their records, what
 *        it makes of their stops and ends, and the requests about them
 *
 * Everything here runs in the tracer thread and owns the thread records and
 * the parked requests without a lock.
 *
 * How a stop is handled (tracer_handle_stop): a stop is either held (the
 * thread stays stopped until tracer_resume: an exception, or a stop that a
 * pause or kill_thread waits for) or the thread is continued at once. The
 * kernel's pending PTRACE_INTERRUPT trap is cleared by any ptrace stop, so
 * whenever a pause waits, the next stop of the thread is held, whatever it
 * is. An interrupt trap can also outlive the stop it was meant for (it was
 * sent just as the thread stopped for something else); such a stray
 * PTRACE_EVENT_STOP with nobody waiting is continued silently.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <base/log.h>
#include <base/panic.h>

#include "tracer_private.h"

/* every thread and process that a traced process creates is traced too */
enum {
	TRACER_OPTIONS = PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
	                 PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL,
};

/* a traced thread */
struct tracer_thread_record
{
	pid_t tid, pid;
	bool stopped;          /* held in a ptrace stop until resumed */
	bool exited;           /* passed its exit; THREAD_EXITED is queued */
	bool initial_stop_due; /* a new clone: its first stop is still to come */
	bool interrupted;      /* PTRACE_INTERRUPT sent, no stop seen since */
	bool stepping;         /* resumed with PTRACE_SINGLESTEP */
	bool spawning;         /* a spawned process before its execve */
	int pending_signal;    /* delivered on the next resume */
	struct tracer_stop stop;
	struct tracer_debug_cache debug;
};

/* a stop of a clone whose PTRACE_EVENT_CLONE has not been seen yet */
struct tracer_early_stop
{
	pid_t tid;
	int status;
};

/*
 * tracer thread: records
 */

static struct tracer_thread_record *tracer_record(struct tracer *t, pid_t tid)
{
	for (unsigned i = 0; i < t->thread_count; i++)
		if (t->threads[i].tid == tid) return &t->threads[i];
	return NULL;
}

/* the new record; pointers to other records are invalid afterwards */
static struct tracer_thread_record *tracer_record_add(struct tracer *t, pid_t tid, pid_t pid)
{
	if (t->thread_count == t->thread_capacity) {
		unsigned capacity = t->thread_capacity ? 2 * t->thread_capacity : 16;
		void *bigger = realloc(t->threads, capacity * sizeof(*t->threads));
		if (!bigger) panic("tracer: out of memory for %u thread records", capacity);
		t->threads = bigger;
		t->thread_capacity = capacity;
	}
	struct tracer_thread_record *record = &t->threads[t->thread_count++];
	*record = (struct tracer_thread_record){ .tid = tid, .pid = pid };
	return record;
}

/* pointers to records are invalid afterwards */
static void tracer_record_remove(struct tracer *t, struct tracer_thread_record *record)
{
	*record = t->threads[--t->thread_count];
}

static void tracer_early_add(struct tracer *t, pid_t tid, int status)
{
	if (t->early_count == t->early_capacity) {
		unsigned capacity = t->early_capacity ? 2 * t->early_capacity : 8;
		void *bigger = realloc(t->early, capacity * sizeof(*t->early));
		if (!bigger) panic("tracer: out of memory for %u early stops", capacity);
		t->early = bigger;
		t->early_capacity = capacity;
	}
	t->early[t->early_count++] = (struct tracer_early_stop){ tid, status };
}

/* remove the early stop of `tid`; false if there is none */
static bool tracer_early_take(struct tracer *t, pid_t tid, int *status)
{
	for (unsigned i = 0; i < t->early_count; i++) {
		if (t->early[i].tid != tid) continue;
		*status = t->early[i].status;
		t->early[i] = t->early[--t->early_count];
		return true;
	}
	return false;
}

static void tracer_queue_thread_event(struct tracer *t, enum tracer_event_type type,
                                      struct tracer_thread_record const *record)
{
	struct tracer_event event = { .type = type, .pid = record->pid, .tid = record->tid };
	if (type == TRACER_EVENT_THREAD_STOPPED) event.stop = record->stop;
	tracer_event_queue(t, &event);
}

static void tracer_park(struct tracer *t, struct tracer_request *request)
{
	request->next = t->parked;
	t->parked = request;
}

static void tracer_unpark(struct tracer *t, struct tracer_request *request)
{
	for (struct tracer_request **r = &t->parked; *r; r = &(*r)->next) {
		if (*r != request) continue;
		*r = request->next;
		return;
	}
	panic("tracer: unparking a request that is not parked");
}

/* whether a parked request waits for `tid` to stop */
static bool tracer_stop_wanted(struct tracer *t, pid_t tid)
{
	for (struct tracer_request *r = t->parked; r; r = r->next) {
		if (r->tid != tid) continue;
		if (r->type == TRACER_REQUEST_PAUSE) return true;
		if (r->type == TRACER_REQUEST_KILL_THREAD && !r->u.kill.running) return true;
	}
	return false;
}

/* the parked kill_thread of `tid` that runs the gadget, or NULL */
static struct tracer_request *tracer_gadget_running(struct tracer *t, pid_t tid)
{
	for (struct tracer_request *r = t->parked; r; r = r->next)
		if (r->tid == tid && r->type == TRACER_REQUEST_KILL_THREAD && r->u.kill.running)
			return r;
	return NULL;
}

/*
 * tracer thread: running and stopping threads
 */

/* continue a thread from its ptrace stop */
static enum tracer_result tracer_continue(struct tracer_thread_record *record, int signal)
{
	record->stopped = false;
	record->stop = (struct tracer_stop){ 0 };
	long request = record->stepping ? PTRACE_SINGLESTEP : PTRACE_CONT;
	if (ptrace(request, record->tid, 0, (void *)(long)signal) == 0) return TRACER_OK;
	/* killed while stopped: its exit is on the way */
	if (errno == ESRCH) return TRACER_OK;
	log_error("tracer: ptrace(%s) of thread %d failed: %s",
	          record->stepping ? "PTRACE_SINGLESTEP" : "PTRACE_CONT", record->tid,
	          strerror(errno));
	return TRACER_FAILED;
}

/* hold a thread in its current stop */
static void tracer_hold(struct tracer_thread_record *record, struct tracer_stop const *stop)
{
	record->stopped = true;
	record->stop = *stop;
	struct user_regs_struct regs;
	if (record->stop.ip == 0 && ptrace(PTRACE_GETREGS, record->tid, 0, &regs) == 0)
		record->stop.ip = regs.rip;
}

static enum tracer_result tracer_interrupt(struct tracer_thread_record *record)
{
	/* a new clone stops by itself; an interrupt sent already is enough */
	if (record->initial_stop_due || record->interrupted) return TRACER_OK;
	if (ptrace(PTRACE_INTERRUPT, record->tid, 0, 0) < 0 && errno != ESRCH) {
		log_error("tracer: ptrace(PTRACE_INTERRUPT) of thread %d failed: %s", record->tid,
		          strerror(errno));
		return TRACER_FAILED;
	}
	record->interrupted = true;
	return TRACER_OK;
}

/* point a stopped thread at the gadget: exit(0) */
static enum tracer_result tracer_gadget_start(struct tracer_thread_record *record,
                                              struct tracer_request *request)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, record->tid, 0, &regs) < 0) {
		if (errno == ESRCH) return TRACER_EXITED;
		log_error("tracer: ptrace(PTRACE_GETREGS) of thread %d failed: %s", record->tid,
		          strerror(errno));
		return TRACER_FAILED;
	}
	request->u.kill.saved_regs = regs;
	request->u.kill.saved_stop = record->stop;
	request->u.kill.saved_signal = record->pending_signal;
	regs.rip = request->u.kill.gadget;
	regs.rax = SYS_exit;
	regs.rdi = 0;
	regs.orig_rax = (uint64_t)-1; /* no restart of an interrupted system call */
	if (ptrace(PTRACE_SETREGS, record->tid, 0, &regs) < 0) {
		if (errno == ESRCH) return TRACER_EXITED;
		log_error("tracer: ptrace(PTRACE_SETREGS) of thread %d failed: %s", record->tid,
		          strerror(errno));
		return TRACER_FAILED;
	}
	request->u.kill.running = true;
	record->stepping = false;
	record->pending_signal = 0;
	return tracer_continue(record, 0);
}

/* the gadget raised an exception: back to the state from before, paused */
static void tracer_gadget_undo(struct tracer_thread_record *record,
                               struct tracer_request *request)
{
	if (ptrace(PTRACE_SETREGS, record->tid, 0, &request->u.kill.saved_regs) < 0)
		log_error("tracer: ptrace(PTRACE_SETREGS) of thread %d failed: %s", record->tid,
		          strerror(errno));
	record->stop = request->u.kill.saved_stop;
	record->pending_signal = request->u.kill.saved_signal;
	log_error("tracer: kill_thread: thread %d did not exit through the gadget at %#llx",
	          record->tid, (unsigned long long)request->u.kill.gadget);
}

/*
 * Complete or advance the parked requests of `tid` after its state changed.
 * `record` is NULL once the thread is reaped.
 */
static void tracer_parked_update(struct tracer *t, pid_t tid,
                                 struct tracer_thread_record *record)
{
	struct tracer_request *next;
	for (struct tracer_request *r = t->parked; r; r = next) {
		next = r->next;
		if (r->tid != tid) continue;
		bool gone = !record || record->exited;
		enum tracer_result result = TRACER_OK;
		switch (r->type) {
		case TRACER_REQUEST_PAUSE:
			if (gone)
				result = TRACER_EXITED;
			else if (!record->stopped)
				continue;
			break;
		case TRACER_REQUEST_KILL_THREAD:
			if (gone) break;
			if (!record->stopped) continue;
			if (r->u.kill.running) {
				tracer_gadget_undo(record, r);
				result = TRACER_INVALID_GADGET;
				break;
			}
			result = tracer_gadget_start(record, r);
			if (result == TRACER_OK) continue; /* wait for its exit */
			break;
		case TRACER_REQUEST_KILL_PROCESS:
			if (record) continue;
			break;
		case TRACER_REQUEST_SPAWN:
			if (record && record->spawning) continue;
			if (!record) {
				result = tracer_spawn_failure(r->u.spawn.error_fd, r->u.spawn.path);
				r->tid = 0;
			}
			close(r->u.spawn.error_fd);
			break;
		default:
			panic("tracer: request type %d cannot be parked", r->type);
		}
		tracer_unpark(t, r);
		tracer_complete(t, r, result);
	}
}

/* a kernel-generated exception signal: what it is, or CPU_EXCEPTION_NONE */
static enum cpu_exception tracer_classify(struct tracer_thread_record *record,
                                          siginfo_t const *info, struct tracer_stop *stop)
{
	/* si_code <= 0: sent by a process (kill, tgkill, sigqueue), not raised by the CPU */
	if (info->si_code <= 0) return CPU_EXCEPTION_NONE;
	stop->signal = info->si_signo;
	stop->si_code = info->si_code;
	switch (info->si_signo) {
	case SIGSEGV:
		stop->fault_address = (uint64_t)info->si_addr;
		return CPU_EXCEPTION_PAGE_FAULT;
	case SIGBUS:
		stop->fault_address = (uint64_t)info->si_addr;
		return CPU_EXCEPTION_BUS;
	case SIGILL:
		return CPU_EXCEPTION_ILLEGAL;
	case SIGFPE:
		return CPU_EXCEPTION_ARITHMETIC;
	case SIGTRAP:
		break;
	default:
		return CPU_EXCEPTION_NONE;
	}
	/* an int3: whatever dr6 still holds of an earlier debug exception */
	if (info->si_code == SI_KERNEL) return CPU_EXCEPTION_BREAKPOINT;
	uint64_t dr6 = 0;
	if (tracer_registers_debug_read(record->tid, 6, &dr6) && (dr6 & TRACER_DR6_HITS))
		(void)tracer_registers_debug_write(record->tid, 6, dr6 & ~(uint64_t)TRACER_DR6_HITS);
	stop->dr6 = dr6;
	if (info->si_code == TRAP_HWBKPT || (dr6 & TRACER_DR6_WATCHPOINTS))
		return CPU_EXCEPTION_WATCHPOINT;
	if (info->si_code == TRAP_TRACE || (dr6 & TRACER_DR6_STEP) || record->stepping)
		return CPU_EXCEPTION_STEP;
	return CPU_EXCEPTION_BREAKPOINT;
}

static bool tracer_stop_signal(int signal)
{
	return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
}

/* a signal-delivery-stop: hold an exception, pass anything else on */
static void tracer_signal_stop(struct tracer *t, struct tracer_thread_record *record,
                               int signal)
{
	siginfo_t info;
	struct tracer_stop stop = { 0 };
	if (ptrace(PTRACE_GETSIGINFO, record->tid, 0, &info) < 0) {
		if (errno != ESRCH)
			log_error("tracer: ptrace(PTRACE_GETSIGINFO) of thread %d failed: %s", record->tid,
			          strerror(errno));
		info = (siginfo_t){ .si_signo = signal, .si_code = SI_USER };
	}
	stop.exception = tracer_classify(record, &info, &stop);
	if (stop.exception != CPU_EXCEPTION_NONE) {
		tracer_hold(record, &stop);
		/* a gadget's fault is the gadget's failure, not the thread's exception */
		if (!tracer_gadget_running(t, record->tid))
			tracer_queue_thread_event(t, TRACER_EVENT_THREAD_STOPPED, record);
		return;
	}
	int deliver = tracer_stop_signal(signal) ? 0 : signal;
	if (tracer_stop_wanted(t, record->tid)) {
		record->pending_signal = deliver;
		tracer_hold(record, &(struct tracer_stop){ .exception = CPU_EXCEPTION_PAUSED });
		return;
	}
	(void)tracer_continue(record, deliver);
}

static pid_t tracer_process_of(pid_t tid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	FILE *file = fopen(path, "re");
	if (!file) return 0;
	char line[128];
	int pid = 0;
	while (fgets(line, sizeof(line), file))
		if (sscanf(line, "Tgid: %d", &pid) == 1) break;
	fclose(file);
	return pid;
}

static void tracer_handle_status(struct tracer *t, pid_t tid, int status);

/* the parent of a clone is in its PTRACE_EVENT_CLONE, _FORK or _VFORK stop */
static void tracer_clone(struct tracer *t, struct tracer_thread_record *parent)
{
	unsigned long message = 0;
	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &message) < 0) {
		log_error("tracer: ptrace(PTRACE_GETEVENTMSG) of thread %d failed: %s", parent->tid,
		          strerror(errno));
		return;
	}
	pid_t tid = (pid_t)message;
	/* a fork, or a clone without CLONE_THREAD, is a process of its own */
	pid_t pid = tracer_process_of(tid);
	if (pid == 0) pid = parent->pid;

	struct tracer_thread_record *record = tracer_record_add(t, tid, pid);
	record->initial_stop_due = true;
	tracer_queue_thread_event(t, TRACER_EVENT_THREAD_CREATED, record);
	int status;
	if (tracer_early_take(t, tid, &status)) tracer_handle_status(t, tid, status);
}

/* the process of `record` (its main thread) completed an execve */
static void tracer_exec(struct tracer *t, struct tracer_thread_record *record)
{
	record->debug.known = false; /* an execve clears the debug registers */
	if (record->spawning) {
		record->spawning = false;
		return;
	}
	/*
	 * A later execve ended every other thread. If one of them made it, it
	 * goes on under the main thread's tid: its own tid is gone without a
	 * report of its own.
	 */
	record->exited = false;
	unsigned long former = 0;
	if (ptrace(PTRACE_GETEVENTMSG, record->tid, 0, &former) < 0) return;
	pid_t former_tid = (pid_t)former;
	struct tracer_thread_record *execing = tracer_record(t, former_tid);
	if (former_tid == record->tid || !execing) return;
	if (!execing->exited) tracer_queue_thread_event(t, TRACER_EVENT_THREAD_EXITED, execing);
	tracer_record_remove(t, execing);
	tracer_parked_update(t, former_tid, NULL);
}

static void tracer_handle_stop(struct tracer *t, struct tracer_thread_record *record,
                               int status)
{
	pid_t tid = record->tid;
	int event = (unsigned)status >> 16;
	record->initial_stop_due = false;
	record->interrupted = false;

	switch (event) {
	case 0:
		tracer_signal_stop(t, record, WSTOPSIG(status));
		break;
	case PTRACE_EVENT_EXIT:
		/* a spawned child whose execve failed never was a process to report */
		if (!record->exited && !record->spawning) {
			record->exited = true;
			tracer_queue_thread_event(t, TRACER_EVENT_THREAD_EXITED, record);
		}
		(void)tracer_continue(record, 0);
		break;
	default:
		/* an interrupt, a new clone's first stop, a group-stop, or an event */
		if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
		    event == PTRACE_EVENT_VFORK)
			tracer_clone(t, record);
		if (event == PTRACE_EVENT_EXEC) tracer_exec(t, record);
		record = tracer_record(t, tid);
		if (tracer_stop_wanted(t, tid))
			tracer_hold(record, &(struct tracer_stop){ .exception = CPU_EXCEPTION_PAUSED });
		else
			(void)tracer_continue(record, 0);
		break;
	}
	tracer_parked_update(t, tid, tracer_record(t, tid));
}

/* a traced thread (or a child that never was) is gone */
static void tracer_handle_reaped(struct tracer *t, pid_t tid, int status)
{
	struct tracer_thread_record *record = tracer_record(t, tid);
	if (!record) {
		int ignored;
		if (!tracer_early_take(t, tid, &ignored))
			log_warning("tracer: reaped child %d that was not traced", (int)tid);
		return;
	}
	pid_t pid = record->pid;
	if (record->spawning) {
		tracer_record_remove(t, record);
		tracer_parked_update(t, tid, NULL);
		return;
	}
	if (tid == pid) {
		/* the main thread is reaped last; any other record of the process goes first */
		for (unsigned i = 0; i < t->thread_count;) {
			struct tracer_thread_record *other = &t->threads[i];
			if (other->pid != pid || other->tid == pid) {
				i++;
				continue;
			}
			pid_t other_tid = other->tid;
			if (!other->exited) tracer_queue_thread_event(t, TRACER_EVENT_THREAD_EXITED, other);
			tracer_record_remove(t, other);
			tracer_parked_update(t, other_tid, NULL);
		}
		record = tracer_record(t, tid);
	}
	if (!record->exited) tracer_queue_thread_event(t, TRACER_EVENT_THREAD_EXITED, record);
	tracer_record_remove(t, record);
	if (tid == pid) {
		struct tracer_event event = { .type = TRACER_EVENT_PROCESS_EXITED, .pid = pid };
		if (WIFEXITED(status))
			event.exit_code = WEXITSTATUS(status);
		else
			event.signal = WTERMSIG(status);
		tracer_event_queue(t, &event);
	}
	tracer_parked_update(t, tid, NULL);
}

static void tracer_handle_status(struct tracer *t, pid_t tid, int status)
{
	if (!WIFSTOPPED(status)) {
		tracer_handle_reaped(t, tid, status);
		return;
	}
	struct tracer_thread_record *record = tracer_record(t, tid);
	if (record)
		tracer_handle_stop(t, record, status);
	else
		tracer_early_add(t, tid, status); /* a clone, announced by its parent soon */
}

void tracer_threads_reap(struct tracer *t)
{
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, WNOHANG | __WALL);
		if (tid == 0) return;
		if (tid < 0) {
			if (errno == EINTR) continue;
			if (errno != ECHILD) log_error("tracer: waitpid failed: %s", strerror(errno));
			return;
		}
		tracer_handle_status(t, tid, status);
	}
}

/*
 * tracer thread: requests
 */

/* the record of a thread that requests may address, or a result why there is none */
static enum tracer_result tracer_request_record(struct tracer *t, pid_t tid,
                                                struct tracer_thread_record **record)
{
	*record = tracer_record(t, tid);
	if (!*record || (*record)->spawning) return TRACER_NO_SUCH_THREAD;
	if ((*record)->exited) return TRACER_EXITED;
	return TRACER_OK;
}

static void tracer_spawn_request(struct tracer *t, struct tracer_request *r)
{
	int error_fd = -1;
	pid_t pid = 0;
	enum tracer_result result =
	    tracer_spawn_process(r->u.spawn.path, r->u.spawn.argv, r->u.spawn.fds,
	                         r->u.spawn.fd_count, TRACER_OPTIONS, &pid, &error_fd);
	if (result != TRACER_OK) {
		tracer_complete(t, r, result);
		return;
	}
	struct tracer_thread_record *record = tracer_record_add(t, pid, pid);
	record->spawning = true;
	r->tid = pid;
	r->u.spawn.error_fd = error_fd;
	tracer_park(t, r);
}

/* kill everything, reap it all, fail whatever still waits */
static void tracer_threads_shut_down(struct tracer *t)
{
	for (unsigned i = 0; i < t->thread_count; i++)
		if (t->threads[i].tid == t->threads[i].pid) kill(t->threads[i].pid, SIGKILL);
	for (unsigned i = 0; i < t->early_count; i++) kill(t->early[i].tid, SIGKILL);

	while (t->thread_count || t->early_count) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR) continue;
			if (errno != ECHILD) log_error("tracer: waitpid failed: %s", strerror(errno));
			break;
		}
		if (WIFSTOPPED(status)) {
			/* an exit stop of a kernel that stops even for SIGKILL */
			(void)ptrace(PTRACE_CONT, tid, 0, 0);
			continue;
		}
		int ignored;
		struct tracer_thread_record *record = tracer_record(t, tid);
		if (record)
			tracer_record_remove(t, record);
		else
			(void)tracer_early_take(t, tid, &ignored);
	}
	t->thread_count = 0;
	t->early_count = 0;
	while (t->parked) {
		struct tracer_request *r = t->parked;
		t->parked = r->next;
		if (r->type == TRACER_REQUEST_SPAWN) close(r->u.spawn.error_fd);
		tracer_complete(t, r,
		                r->type == TRACER_REQUEST_KILL_PROCESS ? TRACER_OK : TRACER_EXITED);
	}
	t->stopping = true;
}

void tracer_threads_serve(struct tracer *t, struct tracer_request *r)
{
	struct tracer_thread_record *record = NULL;
	enum tracer_result result = TRACER_OK;

	if (t->stopping) {
		tracer_complete(t, r, TRACER_FAILED);
		return;
	}
	switch (r->type) {
	case TRACER_REQUEST_SPAWN:
		tracer_spawn_request(t, r);
		return;
	case TRACER_REQUEST_DESTROY:
		tracer_threads_shut_down(t);
		break;
	case TRACER_REQUEST_THREAD_OF:
		r->u.owner = tracer_request_record(t, r->tid, &record) == TRACER_OK ? record->pid : 0;
		break;
	case TRACER_REQUEST_PAUSE:
		result = tracer_request_record(t, r->tid, &record);
		if (result != TRACER_OK || record->stopped) break;
		result = tracer_interrupt(record);
		if (result != TRACER_OK) break;
		tracer_park(t, r);
		return;
	case TRACER_REQUEST_KILL_THREAD:
		result = tracer_request_record(t, r->tid, &record);
		if (result != TRACER_OK) break;
		r->u.kill.running = false;
		tracer_park(t, r);
		if (record->stopped)
			tracer_parked_update(t, r->tid, record);
		else if (tracer_interrupt(record) != TRACER_OK) {
			tracer_unpark(t, r);
			result = TRACER_FAILED;
			break;
		}
		return;
	case TRACER_REQUEST_KILL_PROCESS:
		record = tracer_record(t, r->tid);
		if (!record || record->pid != r->tid || record->spawning) {
			result = TRACER_NO_SUCH_THREAD;
			break;
		}
		if (kill(r->tid, SIGKILL) < 0) {
			log_error("tracer: kill(%d, SIGKILL) failed: %s", (int)r->tid, strerror(errno));
			result = TRACER_FAILED;
			break;
		}
		tracer_park(t, r);
		return;
	case TRACER_REQUEST_RESUME:
	case TRACER_REQUEST_DELIVER:
		result = tracer_request_record(t, r->tid, &record);
		if (result != TRACER_OK) break;
		if (!record->stopped) {
			result = TRACER_NOT_STOPPED;
			break;
		}
		int signal = record->pending_signal;
		record->pending_signal = 0;
		if (r->type == TRACER_REQUEST_RESUME) {
			record->stepping = r->u.single_step;
		} else {
			/* an exception stop's signal (0 for a pause) goes to the thread after all */
			record->stepping = false;
			if (record->stop.signal) signal = record->stop.signal;
		}
		result = tracer_continue(record, signal);
		break;
	case TRACER_REQUEST_STATE:
		*r->u.state_out = (struct cpu_state){ 0 };
		result = tracer_request_record(t, r->tid, &record);
		if (result != TRACER_OK) break;
		if (!record->stopped) {
			result = TRACER_NOT_STOPPED;
			break;
		}
		result = tracer_registers_read(r->tid, &record->debug, r->u.state_out);
		r->u.state_out->stopped = 1;
		r->u.state_out->exception = record->stop.exception;
		r->u.state_out->fault_address = record->stop.fault_address;
		break;
	case TRACER_REQUEST_SET_STATE:
		result = tracer_request_record(t, r->tid, &record);
		if (result != TRACER_OK) break;
		if (!record->stopped) {
			result = TRACER_NOT_STOPPED;
			break;
		}
		result = tracer_registers_write(r->tid, &record->debug, r->u.state_in);
		break;
	}
	tracer_complete(t, r, result);
}
