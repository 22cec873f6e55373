/* SPDX-License-Identifier: MIT */
/**
 * \brief `make bench`: RPC null and 4 KiB calls side by side with a raw
 *        SOCK_SEQPACKET round trip between the same two processes
 *
 * One client process (this one) and one server process (bench_server.c),
 * each with one thread. Every kind of round trip is measured in both
 * placements: both threads pinned to one CPU, then unpinned. Within a placement the
 * kinds take turns in batches, in a rotating order, so that drifting noise of
 * the machine hits every kind alike. Each call is timed on its own; the
 * table shows the median, the 10th and the 90th percentile. See doc/bench.md.
 */

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "bench_server.h"
#include "bench_tsv.h"

/* the kinds of round trip, in the order of the table */
enum bench_kind {
	BENCH_RAW,               /* reference: 64 bytes to the plain peer, 64 bytes back */
	BENCH_RPC_NULL,          /* the RPC null call */
	BENCH_RPC_SINK,          /* the RPC call with a 4 KiB in-buffer */
	BENCH_RAW_EPOLL,         /* breakdown: 64 bytes to the peer that waits in epoll */
	BENCH_RAW_EPOLL_CONTROL, /* breakdown: the same, both receive with a control buffer */
	BENCH_RAW_4K, /* breakdown: a raw request as large as the sink's, 64 bytes back */
	BENCH_KIND_COUNT,
};

static char const *const bench_kind_names[BENCH_KIND_COUNT] = {
	"raw 64 B echo (reference)",
	"rpc null",
	"rpc sink 4 KiB",
	"raw 64 B, epoll peer",
	"raw 64 B, epoll, cmsg buf",
	"raw 4 KiB, 64 B back",
};

/* what the server must serve for each kind */
static enum bench_mode const bench_kind_modes[BENCH_KIND_COUNT] = {
	BENCH_MODE_PLAIN, BENCH_MODE_RPC,           BENCH_MODE_RPC,
	BENCH_MODE_EPOLL, BENCH_MODE_EPOLL_CONTROL, BENCH_MODE_PLAIN,
};

enum {
	BENCH_RAW_SIZE = 64,
	/* the sink's request on the wire: header, length word, buffer */
	BENCH_SINK_WIRE = RPC_HEADER_SIZE + sizeof(uint32_t) + BENCH_SINK_MAX,
	BENCH_BATCH = 500,           /* timed calls of one kind in a row */
	BENCH_LEAD_IN = 20,          /* untimed calls before each batch, after the switch */
	BENCH_CALLS_DEFAULT = 50000, /* timed calls per kind and placement */
	BENCH_WARMUP = 2000,         /* untimed calls per kind after each placement change */
	BENCH_PLACEMENTS = 2,
	BENCH_TOGETHER_MIN = 90, /* % of batches on one CPU below which no breakdown is shown */
};

struct bench_stats
{
	uint32_t p10, median, p90; /* ns per call */
};

struct bench_placement
{
	char const *name;
	cpu_set_t cpus; /* for the client's and the server's thread */
	struct bench_stats stats[BENCH_KIND_COUNT];
	unsigned same_cpu[BENCH_KIND_COUNT]; /* % of batches that ended with both on one CPU */
};

struct bench_options
{
	unsigned rounds; /* batches of each kind per placement */
	char const *tsv; /* where to append the figures, or NULL */
};

/* the client's state: the server, the samples of one placement, the messages */
struct bench_client
{
	struct bench_server server;
	uint32_t *samples[BENCH_KIND_COUNT];
	unsigned char request[BENCH_SINK_WIRE];
	unsigned char reply[BENCH_RAW_REPLY];
};

static uint64_t bench_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* a raw round trip: `size` bytes out, the peer's answer in (with a control buffer if asked) */
static bool bench_raw_call(int socket, void const *request, size_t size, void *reply,
                           bool control)
{
	union
	{
		char buffer[BENCH_CONTROL_SPACE];
		struct cmsghdr align;
	} space;
	struct iovec iov = { (void *)request, size };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (sendmsg(socket, &msg, MSG_NOSIGNAL) != (ssize_t)size) return false;

	iov = (struct iovec){ reply, BENCH_RAW_REPLY };
	if (control) {
		msg.msg_control = space.buffer;
		msg.msg_controllen = sizeof(space.buffer);
	}
	size_t expected = size < BENCH_RAW_REPLY ? size : BENCH_RAW_REPLY;
	return recvmsg(socket, &msg, control ? MSG_CMSG_CLOEXEC : 0) == (ssize_t)expected &&
	       msg.msg_controllen == 0;
}

/* one round trip of `kind`; false if it failed or answered wrongly */
static bool bench_call(struct bench_client *c, enum bench_kind kind)
{
	int const *peers = c->server.peers;
	switch (kind) {
	case BENCH_RAW:
		return bench_raw_call(peers[BENCH_MODE_PLAIN], c->request, BENCH_RAW_SIZE, c->reply,
		                      false);
	case BENCH_RPC_NULL:
		return bench_null(c->server.cap) == BENCH_OK;
	case BENCH_RPC_SINK: {
		struct bench_sink_result r =
		    bench_sink(c->server.cap, RPC_BUFFER(c->request, BENCH_SINK_MAX));
		return r.result == BENCH_OK && r.size == BENCH_SINK_MAX;
	}
	case BENCH_RAW_EPOLL:
		return bench_raw_call(peers[BENCH_MODE_EPOLL], c->request, BENCH_RAW_SIZE, c->reply,
		                      false);
	case BENCH_RAW_EPOLL_CONTROL:
		return bench_raw_call(peers[BENCH_MODE_EPOLL_CONTROL], c->request, BENCH_RAW_SIZE,
		                      c->reply, true);
	case BENCH_RAW_4K:
		return bench_raw_call(peers[BENCH_MODE_PLAIN], c->request, BENCH_SINK_WIRE, c->reply,
		                      false);
	case BENCH_KIND_COUNT:
		break;
	}
	return false;
}

/* set the CPUs of this thread and of the server process's one thread */
static bool bench_placement_apply(struct bench_client *c, cpu_set_t const *cpus)
{
	return sched_setaffinity(0, sizeof(*cpus), cpus) == 0 &&
	       sched_setaffinity(c->server.pid, sizeof(*cpus), cpus) == 0;
}

/* the CPU that the server's thread ran on last (field 39 of /proc/<pid>/stat), or -1 */
static int bench_server_cpu(struct bench_client const *c)
{
	char path[64], line[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)c->server.pid);
	FILE *file = fopen(path, "r");
	if (!file) return -1;
	size_t size = fread(line, 1, sizeof(line) - 1, file);
	fclose(file);
	line[size] = 0;
	char *field = strrchr(line, ')'); /* the command name may hold anything */
	if (!field) return -1;
	for (int i = 2; i < 39 && field; i++) field = strchr(field + 1, ' ');
	return field ? atoi(field + 1) : -1;
}

static int bench_sample_compare(void const *a, void const *b)
{
	uint32_t x = *(uint32_t const *)a, y = *(uint32_t const *)b;
	return (x > y) - (x < y);
}

/* percentiles of `count` samples (sorts them) */
static struct bench_stats bench_stats_of(uint32_t *samples, size_t count)
{
	qsort(samples, count, sizeof(*samples), bench_sample_compare);
	return (struct bench_stats){ samples[count / 10], samples[count / 2],
		                         samples[count - 1 - count / 10] };
}

/* one timed batch of `kind` (server switched, lead-in calls first); false on a failure */
static bool bench_batch(struct bench_client *c, enum bench_kind kind, uint32_t *samples)
{
	if (bench_server_switch(&c->server, bench_kind_modes[kind]) != BENCH_SERVER_OK)
		return false;
	for (unsigned i = 0; i < BENCH_LEAD_IN; i++)
		if (!bench_call(c, kind)) return false;
	uint64_t last = bench_now();
	for (unsigned i = 0; i < BENCH_BATCH; i++) {
		if (!bench_call(c, kind)) return false;
		uint64_t now = bench_now();
		samples[i] = (uint32_t)(now - last);
		last = now;
	}
	return true;
}

/* measure every kind in one placement, in rotating order; false on a failure */
static bool bench_placement_measure(struct bench_client *c, struct bench_options const *o,
                                    struct bench_placement *placement)
{
	if (!bench_placement_apply(c, &placement->cpus)) {
		fprintf(stderr, "bench: cannot set the CPUs of the %s placement: %s\n", placement->name,
		        strerror(errno));
		return false;
	}
	for (unsigned k = 0; k < BENCH_KIND_COUNT; k++) {
		if (bench_server_switch(&c->server, bench_kind_modes[k]) != BENCH_SERVER_OK)
			goto failed;
		for (unsigned i = 0; i < BENCH_WARMUP; i++)
			if (!bench_call(c, k)) goto failed;
	}

	unsigned same_cpu[BENCH_KIND_COUNT] = { 0 };
	for (unsigned round = 0; round < o->rounds; round++) {
		for (unsigned turn = 0; turn < BENCH_KIND_COUNT; turn++) {
			enum bench_kind kind = (round + turn) % BENCH_KIND_COUNT;
			if (!bench_batch(c, kind, c->samples[kind] + (size_t)round * BENCH_BATCH))
				goto failed;
			if (sched_getcpu() == bench_server_cpu(c)) same_cpu[kind]++;
		}
	}
	for (unsigned k = 0; k < BENCH_KIND_COUNT; k++) {
		placement->stats[k] = bench_stats_of(c->samples[k], (size_t)o->rounds * BENCH_BATCH);
		placement->same_cpu[k] = 100 * same_cpu[k] / o->rounds;
	}
	return true;

failed:
	fprintf(stderr, "bench: a round trip failed in the %s placement\n", placement->name);
	return false;
}

static double bench_ratio(struct bench_placement const *p, enum bench_kind kind,
                          enum bench_kind reference)
{
	return (double)p->stats[kind].median / (double)p->stats[reference].median;
}

static void bench_print(struct bench_placement const *placements, unsigned count)
{
	printf("\n%-9s %-26s %8s %8s %8s %9s %9s\n", "placement", "round trip", "median", "p10",
	       "p90", "/ raw 64", "same CPU");
	for (unsigned p = 0; p < count; p++) {
		struct bench_placement const *pl = &placements[p];
		for (unsigned k = 0; k < BENCH_KIND_COUNT; k++) {
			struct bench_stats const *s = &pl->stats[k];
			printf("%-9s %-26s %8u %8u %8u %9.2f %8u%%\n", pl->name, bench_kind_names[k],
			       s->median, s->p10, s->p90, bench_ratio(pl, k, BENCH_RAW), pl->same_cpu[k]);
		}
	}
	printf("(ns per round trip, each call timed on its own; same CPU: share of batches that "
	       "ended with client and server on one CPU)\n\nwhere the time goes (differences of "
	       "medians):\n");
	for (unsigned p = 0; p < count; p++) {
		struct bench_placement const *pl = &placements[p];
		struct bench_stats const *st = pl->stats;
		int epoll = (int)st[BENCH_RAW_EPOLL].median - (int)st[BENCH_RAW].median;
		int control = (int)st[BENCH_RAW_EPOLL_CONTROL].median - (int)st[BENCH_RAW_EPOLL].median;
		int null = (int)st[BENCH_RPC_NULL].median - (int)st[BENCH_RAW].median;
		int sink = (int)st[BENCH_RPC_SINK].median - (int)st[BENCH_RAW_4K].median;
		unsigned together = 100;
		for (unsigned k = 0; k < BENCH_KIND_COUNT; k++)
			if (pl->same_cpu[k] < together) together = pl->same_cpu[k];
		if (together < BENCH_TOGETHER_MIN) {
			printf("  %-9s client and server were on different CPUs after %u%% of the batches "
			       "or more: cross-CPU wake-ups dominate, no breakdown\n",
			       pl->name, 100 - together);
			continue;
		}
		printf("  %-9s rpc null - raw 64 B  %+6d = epoll_wait %+5d, control buffers %+5d, "
		       "rest %+5d\n",
		       pl->name, null, epoll, control, null - epoll - control);
		printf("  %-9s rpc sink - raw 4 KiB %+6d = epoll_wait %+5d, control buffers %+5d, "
		       "rest %+5d\n",
		       pl->name, sink, epoll, control, sink - epoll - control);
	}
	printf("  (rest: the RPC code of client and server; for the sink also copying the 4 KiB "
	       "into the message)\n");
	printf("\ntarget: rpc null / raw <= 1.20 at the same placement:");
	for (unsigned p = 0; p < count; p++) {
		double ratio = bench_ratio(&placements[p], BENCH_RPC_NULL, BENCH_RAW);
		printf(" %s %.2f (%s)", placements[p].name, ratio, ratio <= 1.2 ? "met" : "missed");
	}
	printf("\n");
}

static void bench_tsv_row(FILE *file, char const *metric, char const *placement,
                          struct bench_placement const *p, enum bench_kind kind,
                          enum bench_kind reference)
{
	fprintf(file, "%s_%s\tns\t%u\t%u\t%.2f\n", metric, placement, p->stats[kind].median,
	        p->stats[reference].median, bench_ratio(p, kind, reference));
}

/* append the figures to `path`, with the header line if the file is new or empty */
static bool bench_tsv_append(char const *path, struct bench_placement const *placements,
                             unsigned count)
{
	FILE *file = bench_tsv_open(path);
	if (!file) return false;
	for (unsigned p = 0; p < count; p++) {
		struct bench_placement const *pl = &placements[p];
		bench_tsv_row(file, "rpc_null", pl->name, pl, BENCH_RPC_NULL, BENCH_RAW);
		bench_tsv_row(file, "rpc_sink4k", pl->name, pl, BENCH_RPC_SINK, BENCH_RAW);
		bench_tsv_row(file, "rpc_sink4k_vs_raw4k", pl->name, pl, BENCH_RPC_SINK, BENCH_RAW_4K);
	}
	return fclose(file) == 0;
}

static bool bench_options_parse(int argc, char **argv, struct bench_options *o)
{
	unsigned long calls = BENCH_CALLS_DEFAULT;
	o->tsv = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			o->tsv = argv[++i];
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			char *end;
			calls = strtoul(argv[++i], &end, 10);
			if (*end || calls < BENCH_BATCH || calls > 10000000) return false;
		} else {
			return false;
		}
	}
	o->rounds = (unsigned)(calls / BENCH_BATCH);
	return true;
}

int main(int argc, char **argv)
{
	struct bench_options options;
	if (!bench_options_parse(argc, argv, &options)) {
		fprintf(stderr, "usage: %s [-n calls per kind and placement] [-o figures.tsv]\n",
		        argv[0]);
		return 2;
	}

	struct bench_placement placements[BENCH_PLACEMENTS] = { { .name = "pinned" },
		                                                    { .name = "unpinned" } };
	cpu_set_t *all = &placements[1].cpus;
	if (sched_getaffinity(0, sizeof(*all), all) < 0) return 1;
	int pinned_cpu = -1;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, all)) pinned_cpu = cpu;
	CPU_ZERO(&placements[0].cpus);
	CPU_SET(pinned_cpu, &placements[0].cpus);

	struct bench_client *c = calloc(1, sizeof(*c));
	if (!c) return 1;
	for (unsigned k = 0; k < BENCH_KIND_COUNT; k++) {
		c->samples[k] = calloc((size_t)options.rounds * BENCH_BATCH, sizeof(uint32_t));
		if (!c->samples[k]) return 1;
	}
	for (size_t i = 0; i < sizeof(c->request); i++) c->request[i] = (unsigned char)i;

	printf("rpc bench: %u calls per kind and placement (%u rounds of %u, kinds interleaved), "
	       "%u warm-up calls; pinned: both processes on CPU %d; unpinned: CPUs allowed %d\n",
	       options.rounds * BENCH_BATCH, options.rounds, (unsigned)BENCH_BATCH,
	       (unsigned)BENCH_WARMUP, pinned_cpu, CPU_COUNT(all));
	fflush(stdout);
	if (bench_server_spawn(&c->server) != BENCH_SERVER_OK) {
		fprintf(stderr, "bench: cannot start the server process\n");
		return 1;
	}
	bool ok = true;
	for (unsigned p = 0; p < BENCH_PLACEMENTS && ok; p++)
		ok = bench_placement_measure(c, &options, &placements[p]);
	bench_server_stop(&c->server);
	if (!ok) return 1;

	bench_print(placements, BENCH_PLACEMENTS);
	if (options.tsv) {
		if (!bench_tsv_append(options.tsv, placements, BENCH_PLACEMENTS)) {
			fprintf(stderr, "bench: cannot append to %s\n", options.tsv);
			return 1;
		}
		printf("figures appended to %s\n", options.tsv);
	}
	for (unsigned k = 0; k < BENCH_KIND_COUNT; k++) free(c->samples[k]);
	free(c);
	return 0;
}
