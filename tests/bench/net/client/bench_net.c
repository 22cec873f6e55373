/* SPDX-License-Identifier: MIT */
/**
 * \brief bench_net: the host side of the network benchmark (`make bench`,
 *        tests/bench/net/bench_net.run, doc/bench.md)
 *
 * Usage: bench_net [-b bytes] [-n round trips] [-r rounds] [-o figures.tsv] <port>
 *
 * Measures TCP against two servers of the same protocol (bench_net_server.c):
 * the component behind nic_drv's forward at 127.0.0.1:<port> (slirp and
 * lwIP: "vitrine") and a server thread of this program on host loopback
 * ("reference"). Per round and server: the throughput host -> server (sink
 * of `bytes`), server -> host (source of `bytes`, every byte checked) and
 * the round trip of a 64-byte echo (`round trips` of them, every reply
 * checked). Throughputs are the median over the rounds, the latency the
 * median over every round trip. Prints a table; with -o appends rows
 * (metric, unit, vitrine, reference, ratio) to the file, the header first
 * if it is new. It names the number of its connections to the component (3
 * per round). Exits 1 if anything fails, 2 on a usage error.
 */

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_tsv.h"

enum {
	HEADER_SIZE = 9,
	PATTERN_PERIOD = 251,
	ECHO_SIZE = 64,
	CHUNK = 256 * 1024,
	ROUNDS_MAX = 15,
	TARGETS = 2, /* 0: vitrine, 1: reference */
};

/* the figures of one server over all rounds */
struct bench_figures
{
	double sink_mbs[ROUNDS_MAX];
	double source_mbs[ROUNDS_MAX];
	uint32_t *rtt_ns; /* rounds * round_trips */
	size_t rtt_count;
};

static uint64_t bench_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/*
 * read exactly `length` bytes into `in`, or write them from `out`: one of the two
 * is null (two pointers, so that what is written stays const); false on an error
 * or an early end
 */
static bool bench_transfer_all(int fd, uint8_t *in, uint8_t const *out, size_t length)
{
	size_t done = 0;
	while (done < length) {
		ssize_t n =
		    in ? read(fd, in + done, length - done) : write(fd, out + done, length - done);
		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) return false;
		done += (size_t)n;
	}
	return true;
}

static bool bench_write_all(int fd, void const *data, size_t length)
{
	return bench_transfer_all(fd, NULL, data, length);
}

static bool bench_read_all(int fd, void *data, size_t length)
{
	return bench_transfer_all(fd, data, NULL, length);
}

static void bench_header(uint8_t header[HEADER_SIZE], char mode, uint64_t count)
{
	header[0] = (uint8_t)mode;
	for (unsigned i = 0; i < 8; i++) header[1 + i] = (uint8_t)(count >> (8 * i));
}

/* ---- the reference server on host loopback ------------------------------------------ */

/* serve one connection of the protocol, blocking; returns when the peer closes */
static void reference_serve(int fd, uint8_t *buffer, uint8_t const *source)
{
	uint8_t header[HEADER_SIZE];
	if (!bench_read_all(fd, header, HEADER_SIZE)) return;
	uint64_t count = 0;
	for (unsigned i = 0; i < 8; i++) count |= (uint64_t)header[1 + i] << (8 * i);
	if (header[0] == 'S') {
		while (count > 0) {
			ssize_t n = read(fd, buffer, count < CHUNK ? count : CHUNK);
			if (n <= 0) return;
			count -= (uint64_t)n;
		}
		if (!bench_write_all(fd, "K", 1)) return;
	} else if (header[0] == 'R') {
		uint64_t sent = 0;
		while (count > 0) {
			size_t offset = sent % PATTERN_PERIOD;
			size_t length = count < CHUNK ? count : CHUNK;
			if (!bench_write_all(fd, source + offset, length)) return;
			sent += length;
			count -= length;
		}
	} else if (header[0] == 'E') {
		for (;;) {
			ssize_t n = read(fd, buffer, CHUNK);
			if (n <= 0 || !bench_write_all(fd, buffer, (size_t)n)) return;
		}
	}
	while (read(fd, buffer, CHUNK) > 0) {} /* until the peer closes */
}

static void *reference_main(void *arg)
{
	int listener = *(int *)arg;
	uint8_t *buffer = malloc(CHUNK);
	uint8_t *source = malloc(CHUNK + PATTERN_PERIOD);
	if (!buffer || !source) abort();
	for (size_t i = 0; i < CHUNK + PATTERN_PERIOD; i++)
		source[i] = (uint8_t)(i % PATTERN_PERIOD);
	for (;;) {
		int fd = accept(listener, NULL, NULL);
		if (fd < 0) continue;
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		reference_serve(fd, buffer, source);
		close(fd);
	}
	return NULL;
}

/* ---- the client --------------------------------------------------------------------- */

static int bench_connect(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) return -1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* host -> server: MB/s (1e6 bytes per second), or a negative value on failure */
static double bench_sink(uint16_t port, uint64_t bytes, uint8_t *buffer)
{
	int fd = bench_connect(port);
	if (fd < 0) return -1;
	uint8_t header[HEADER_SIZE];
	bench_header(header, 'S', bytes);
	memset(buffer, 0x5a, CHUNK);
	uint64_t start = bench_now_ns();
	bool ok = bench_write_all(fd, header, HEADER_SIZE);
	for (uint64_t left = bytes; ok && left > 0;) {
		size_t length = left < CHUNK ? (size_t)left : CHUNK;
		ok = bench_write_all(fd, buffer, length);
		left -= length;
	}
	char answer = 0;
	ok = ok && bench_read_all(fd, &answer, 1) && answer == 'K';
	uint64_t ns = bench_now_ns() - start;
	close(fd);
	return ok ? (double)bytes * 1000.0 / (double)ns : -1;
}

/* server -> host, every byte checked: MB/s, or a negative value on failure */
static double bench_source(uint16_t port, uint64_t bytes, uint8_t *buffer)
{
	int fd = bench_connect(port);
	if (fd < 0) return -1;
	uint8_t header[HEADER_SIZE];
	bench_header(header, 'R', bytes);
	uint64_t start = bench_now_ns();
	bool ok = bench_write_all(fd, header, HEADER_SIZE);
	uint64_t got = 0;
	while (ok && got < bytes) {
		uint64_t want = bytes - got;
		ssize_t n = read(fd, buffer, want < CHUNK ? (size_t)want : CHUNK);
		if (n <= 0) {
			ok = false;
			break;
		}
		for (ssize_t i = 0; i < n; i++)
			if (buffer[i] != (uint8_t)((got + (uint64_t)i) % PATTERN_PERIOD)) ok = false;
		got += (uint64_t)n;
	}
	uint64_t ns = bench_now_ns() - start;
	close(fd);
	return ok ? (double)bytes * 1000.0 / (double)ns : -1;
}

/* 64-byte echoes, each timed into `rtt_ns`; false on failure */
static bool bench_echo(uint16_t port, unsigned round_trips, uint32_t *rtt_ns)
{
	int fd = bench_connect(port);
	if (fd < 0) return false;
	uint8_t header[HEADER_SIZE];
	bench_header(header, 'E', 0);
	bool ok = bench_write_all(fd, header, HEADER_SIZE);
	uint8_t out[ECHO_SIZE], in[ECHO_SIZE];
	for (unsigned i = 0; ok && i < round_trips + 20; i++) {
		for (unsigned j = 0; j < ECHO_SIZE; j++) out[j] = (uint8_t)(i * 7 + j);
		uint64_t start = bench_now_ns();
		ok = bench_write_all(fd, out, ECHO_SIZE) && bench_read_all(fd, in, ECHO_SIZE) &&
		     memcmp(in, out, ECHO_SIZE) == 0;
		if (i >= 20) rtt_ns[i - 20] = (uint32_t)(bench_now_ns() - start); /* 20 lead-in */
	}
	close(fd);
	return ok;
}

static int bench_compare_u32(void const *a, void const *b)
{
	uint32_t x = *(uint32_t const *)a, y = *(uint32_t const *)b;
	return x < y ? -1 : x > y;
}

static int bench_compare_double(void const *a, void const *b)
{
	double x = *(double const *)a, y = *(double const *)b;
	return x < y ? -1 : x > y;
}

static double bench_median_double(double *values, unsigned count)
{
	qsort(values, count, sizeof(*values), bench_compare_double);
	return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

struct bench_options
{
	uint64_t bytes;
	unsigned round_trips;
	unsigned rounds;
	char const *tsv;
	uint16_t port;
};

static bool bench_options_parse(struct bench_options *o, int argc, char **argv)
{
	o->bytes = 64u << 20;
	o->round_trips = 2000;
	o->rounds = 5;
	o->tsv = NULL;
	o->port = 0;
	for (int i = 1; i < argc; i++) {
		char *end = NULL;
		if (strcmp(argv[i], "-b") == 0 && i + 1 < argc) {
			o->bytes = strtoull(argv[++i], &end, 0);
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			o->round_trips = (unsigned)strtoul(argv[++i], &end, 0);
		} else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
			o->rounds = (unsigned)strtoul(argv[++i], &end, 0);
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			o->tsv = argv[++i];
			continue;
		} else if (i == argc - 1 && argv[i][0] != '-') {
			unsigned long port = strtoul(argv[i], &end, 10);
			if (port == 0 || port > 65535) return false;
			o->port = (uint16_t)port;
		} else {
			return false;
		}
		if (!end || *end) return false;
	}
	return o->port != 0 && o->bytes > 0 && o->round_trips > 0 && o->rounds > 0 &&
	       o->rounds <= ROUNDS_MAX;
}

/* the reference server: a listener on 127.0.0.1 and its thread; its port, 0 on failure */
static uint16_t reference_start(int *listener)
{
	*listener = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t length = sizeof(a);
	pthread_t thread;
	if (*listener < 0 || bind(*listener, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(*listener, 4) != 0 ||
	    getsockname(*listener, (struct sockaddr *)&a, &length) != 0 ||
	    pthread_create(&thread, NULL, reference_main, listener) != 0)
		return 0;
	pthread_detach(thread);
	return ntohs(a.sin_port);
}

int main(int argc, char **argv)
{
	struct bench_options o;
	if (!bench_options_parse(&o, argc, argv)) {
		fprintf(stderr,
		        "usage: %s [-b bytes] [-n round trips] [-r rounds (1..%d)] [-o figures.tsv]"
		        " <port of the component's forward>\n",
		        argv[0], ROUNDS_MAX);
		return 2;
	}
	static int listener;
	uint16_t ports[TARGETS] = { o.port, reference_start(&listener) };
	char const *names[TARGETS] = { "vitrine", "reference" };
	if (!ports[1]) {
		fprintf(stderr, "bench_net: no reference server: %s\n", strerror(errno));
		return 1;
	}
	uint8_t *buffer = malloc(CHUNK);
	struct bench_figures f[TARGETS];
	for (unsigned t = 0; t < TARGETS; t++) {
		f[t].rtt_count = (size_t)o.rounds * o.round_trips;
		f[t].rtt_ns = malloc(f[t].rtt_count * sizeof(uint32_t));
		if (!f[t].rtt_ns || !buffer) return 1;
	}
	/* rounds interleave the servers, so slow drifts of the machine hit both alike */
	for (unsigned r = 0; r < o.rounds; r++) {
		for (unsigned t = 0; t < TARGETS; t++) {
			f[t].sink_mbs[r] = bench_sink(ports[t], o.bytes, buffer);
			f[t].source_mbs[r] = bench_source(ports[t], o.bytes, buffer);
			bool echo = bench_echo(ports[t], o.round_trips, f[t].rtt_ns + r * o.round_trips);
			if (f[t].sink_mbs[r] < 0 || f[t].source_mbs[r] < 0 || !echo) {
				fprintf(stderr, "bench_net: round %u, %s: %s failed\n", r, names[t],
				        f[t].sink_mbs[r] < 0     ? "host -> server"
				        : f[t].source_mbs[r] < 0 ? "server -> host"
				                                 : "echo");
				return 1;
			}
		}
	}
	double sink[TARGETS], source[TARGETS], rtt_us[TARGETS];
	for (unsigned t = 0; t < TARGETS; t++) {
		sink[t] = bench_median_double(f[t].sink_mbs, o.rounds);
		source[t] = bench_median_double(f[t].source_mbs, o.rounds);
		qsort(f[t].rtt_ns, f[t].rtt_count, sizeof(uint32_t), bench_compare_u32);
		rtt_us[t] = f[t].rtt_ns[f[t].rtt_count / 2] / 1000.0;
	}
	printf("TCP, %llu bytes per transfer, median of %u rounds; %u round trips per round\n",
	       (unsigned long long)o.bytes, o.rounds, o.round_trips);
	printf("%-34s %6s %10s %10s %7s\n", "TCP", "unit", "vitrine", "reference", "ratio");
	struct
	{
		char const *metric, *label, *unit;
		double vitrine, reference, ratio;
	} rows[] = {
		{ "net_tcp_host_to_component", "host -> component", "MB/s", sink[0], sink[1],
		  sink[0] / sink[1] },
		{ "net_tcp_component_to_host", "component -> host", "MB/s", source[0], source[1],
		  source[0] / source[1] },
		{ "net_tcp_echo64_rtt", "64 B echo round trip (median)", "us", rtt_us[0], rtt_us[1],
		  rtt_us[1] / rtt_us[0] },
	};
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		printf("%-34s %6s %10.1f %10.1f %7.3f\n", rows[i].label, rows[i].unit, rows[i].vitrine,
		       rows[i].reference, rows[i].ratio);
	printf("ratio: vitrine / reference for throughput, reference / vitrine for the round trip"
	       " (above 1: vitrine is better)\n");
	printf("connections to the component: %u\n", o.rounds * 3);
	if (o.tsv) {
		FILE *file = bench_tsv_open(o.tsv);
		if (!file) {
			fprintf(stderr, "bench_net: cannot append to %s\n", o.tsv);
			return 1;
		}
		for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			fprintf(file, "%s\t%s\t%.1f\t%.1f\t%.3f\n", rows[i].metric, rows[i].unit,
			        rows[i].vitrine, rows[i].reference, rows[i].ratio);
		if (fclose(file) != 0) return 1;
		printf("figures appended to %s\n", o.tsv);
	}
	return 0;
}
