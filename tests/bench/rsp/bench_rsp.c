/* SPDX-License-Identifier: MIT */
/**
 * \brief micro-benchmark of the RSP layer's per-byte costs: hex-encoded `m`
 *        replies, binary `x` replies and reading `X` packets, in MB/s of
 *        target memory
 *
 * Each figure is the best of several rounds over 64 MiB (the memory a
 * `dump binary memory` of the gdb benchmark reads), cut into packets of the
 * size given. The reference row is the usual per-nibble encoder of a stub,
 * for scale; the hex row's ratio to it is printed, and with `-o FILE`
 * appended to FILE as tab-separated rows (`make bench`: build/bench.tsv).
 * Usage: bench_rsp [-o FILE] [MiB]
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rsp/hex.h>
#include <rsp/packet.h>

#include "bench_tsv.h"

enum { ROUNDS = 5, MIB = 1024 * 1024 };

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* a result the compiler cannot drop */
static volatile size_t bench_sink;

/* the encoder of a typical stub: one nibble at a time, for scale */
static size_t reference_encode(char *out, uint8_t const *in, size_t n)
{
	static char const digits[] = "0123456789abcdef";
	size_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
		sum += (uint8_t)out[2 * i] + (uint8_t)out[2 * i + 1];
	}
	return sum;
}

/* `m` replies of `chunk` bytes each over the whole memory, through the writer */
static void replies_hex(uint8_t const *memory, size_t size, size_t chunk, char *packet)
{
	struct rsp_writer w;
	for (size_t at = 0; at < size; at += chunk) {
		rsp_writer_start(&w, packet, 2 * chunk + RSP_FRAME_OVERHEAD);
		size_t done = rsp_writer_put_hex(&w, memory + at, chunk);
		struct rsp_packet p = rsp_writer_finish(&w);
		bench_sink += done + p.length;
	}
}

static void replies_reference(uint8_t const *memory, size_t size, size_t chunk, char *packet)
{
	for (size_t at = 0; at < size; at += chunk)
		bench_sink += reference_encode(packet + 1, memory + at, chunk);
}

/* `x` replies: binary with escapes */
static void replies_binary(uint8_t const *memory, size_t size, size_t chunk, char *packet)
{
	struct rsp_writer w;
	for (size_t at = 0; at < size; at += chunk) {
		rsp_writer_start(&w, packet, 2 * chunk + RSP_FRAME_OVERHEAD);
		rsp_writer_put_char(&w, 'b');
		size_t done = rsp_writer_put_binary(&w, memory + at, chunk);
		struct rsp_packet p = rsp_writer_finish(&w);
		bench_sink += done + p.length;
	}
}

struct stream
{
	char *data;
	size_t length;
	size_t payload; /* target bytes it carries */
};

/* X packets of `chunk` bytes each, as gdb's `restore` sends them */
static struct stream make_x_stream(uint8_t const *memory, size_t size, size_t chunk)
{
	size_t packets = size / chunk;
	struct stream s = { malloc(packets * (2 * chunk + 64)), 0, packets * chunk };
	struct rsp_writer w;
	for (size_t k = 0; k < packets; k++) {
		rsp_writer_start(&w, s.data + s.length, 2 * chunk + 64);
		char header[48];
		snprintf(header, sizeof(header), "X%zx,%zx:", 0x10000000 + k * chunk, chunk);
		rsp_writer_put_text(&w, header);
		if (rsp_writer_put_binary(&w, memory + k * chunk, chunk) != chunk) abort();
		struct rsp_packet p = rsp_writer_finish(&w);
		if (p.result != RSP_WRITE_OK) abort();
		s.length += p.length;
	}
	return s;
}

/* read the stream in TCP-segment-sized pieces */
static void read_stream(struct stream const *s, size_t segment, char *buffer, size_t size)
{
	struct rsp_reader r;
	rsp_reader_init(&r, buffer, size);
	for (size_t at = 0; at < s->length; at += segment) {
		size_t n = s->length - at < segment ? s->length - at : segment;
		size_t done = 0;
		while (done < n) {
			struct rsp_read read = rsp_reader_feed(&r, s->data + at + done, n - done);
			done += read.consumed;
			if (read.event == RSP_READ_PACKET)
				bench_sink += read.length;
			else if (read.event != RSP_READ_MORE)
				abort();
		}
	}
}

/* the hex rows per packet size, with the header line if the file is new or empty */
static bool tsv_append(char const *path, size_t const chunks[3], double const hex[3],
                       double const reference[3])
{
	FILE *file = bench_tsv_open(path);
	if (!file) return false;
	for (size_t c = 0; c < 3; c++)
		fprintf(file, "rsp_hex_reply_%zuk\tMB/s\t%.0f\t%.0f\t%.2f\n", chunks[c] / 1024, hex[c],
		        reference[c], hex[c] / reference[c]);
	return fclose(file) == 0;
}

typedef void (*reply_function)(uint8_t const *, size_t, size_t, char *);

static double best_rate(reply_function f, uint8_t const *memory, size_t size, size_t chunk,
                        char *packet)
{
	double best = 0;
	for (int round = 0; round < ROUNDS; round++) {
		double start = now_seconds();
		f(memory, size, chunk, packet);
		double rate = (double)size / (now_seconds() - start) / 1e6;
		if (rate > best) best = rate;
	}
	return best;
}

int main(int argc, char **argv)
{
	char const *tsv = NULL;
	int arg = 1;
	if (arg + 1 < argc && !strcmp(argv[arg], "-o")) {
		tsv = argv[arg + 1];
		arg += 2;
	}
	int mib = arg < argc ? atoi(argv[arg]) : 64;
	if (mib < 1 || arg + 1 < argc) {
		fprintf(stderr, "usage: bench_rsp [-o FILE] [MiB]\n");
		return 2;
	}
	size_t size = (size_t)mib * MIB;
	uint8_t *memory = malloc(size);
	char *packet = malloc(2 * 65536 + 64);
	char *buffer = malloc(65536 + 64);
	if (!memory || !packet || !buffer) return 1;
	uint32_t seed = 1;
	for (size_t i = 0; i < size; i++) {
		seed = seed * 1664525 + 1013904223;
		memory[i] = (uint8_t)(seed >> 24);
	}

	size_t const chunks[] = { 4096, 16384, 32768 };
	printf("%-34s %8s %8s %8s   (MB/s of target memory, best of %d over %zu MiB)\n", "",
	       "4 KiB", "16 KiB", "32 KiB", ROUNDS, size / MIB);
	struct
	{
		char const *name;
		reply_function f;
	} const rows[] = {
		{ "m reply: hex (rsp_writer_put_hex)", replies_hex },
		{ "m reply: per-nibble reference", replies_reference },
		{ "x reply: binary (put_binary)", replies_binary },
	};
	double rates[sizeof(rows) / sizeof(rows[0])][3];
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		printf("%-34s", rows[r].name);
		for (size_t c = 0; c < 3; c++) {
			rates[r][c] = best_rate(rows[r].f, memory, size, chunks[c], packet);
			printf(" %8.0f", rates[r][c]);
		}
		printf("\n");
	}
	/* rows 0 and 1: the writer's hex against the per-nibble reference */
	printf("%-34s", "m reply: ratio hex / reference");
	for (size_t c = 0; c < 3; c++) printf(" %8.2f", rates[0][c] / rates[1][c]);
	printf("\n");
	if (tsv && !tsv_append(tsv, chunks, rates[0], rates[1])) {
		fprintf(stderr, "bench_rsp: cannot append to %s\n", tsv);
		return 1;
	}

	printf("%-34s", "X read: 1460 B segments");
	for (size_t c = 0; c < 3; c++) {
		struct stream s = make_x_stream(memory, size, chunks[c]);
		double best = 0;
		for (int round = 0; round < ROUNDS; round++) {
			double start = now_seconds();
			read_stream(&s, 1460, buffer, 65536 + 64);
			double rate = (double)s.payload / (now_seconds() - start) / 1e6;
			if (rate > best) best = rate;
		}
		printf(" %8.0f", best);
		free(s.data);
	}
	printf("\n");
	free(memory);
	free(packet);
	free(buffer);
	return 0;
}
