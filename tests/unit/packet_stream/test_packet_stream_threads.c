/* SPDX-License-Identifier: MIT */
/**
 * \brief packet stream across threads: the blocking calls sleep until the
 *        peer's signal and return when it comes or their blocker is
 *        cancelled; a producer and a consumer thread pass many thousands of
 *        packets, checked for order and content, through roomy and tiny
 *        streams, with the blocking calls and as a source with quiet
 *        acknowledgements (alloc_quiet) that waits on its receiver; a
 *        blocking call of a quiet source turns the signals on and wakes; a
 *        sink that writes invalid acknowledgements without end ends
 *        alloc_quiet, alloc_wait and submit with PEER_CORRUPT
 */

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixture.h"
#include "sleeping.h"

/* ---- one blocking call in a thread of its own ------------------------------------ */

enum blocking_call { CALL_SUBMIT, CALL_GET, CALL_ACK, CALL_GET_ACKED, CALL_ALLOC_WAIT };

struct blocked
{
	struct fixture *f;
	enum blocking_call call;
	struct packet_descriptor packet;
	struct blocker *blocker;
	pid_t tid;
	int result;
	struct packet_descriptor got;
};

static void *blocked_run(void *argument)
{
	struct blocked *b = argument;
	__atomic_store_n(&b->tid, test_thread_id(), __ATOMIC_RELEASE);
	switch (b->call) {
	case CALL_SUBMIT:
		b->result = packet_stream_source_submit(&b->f->source, b->packet, b->blocker);
		break;
	case CALL_GET: {
		struct packet_stream_get_ret r = packet_stream_sink_get(&b->f->sink, b->blocker);
		b->result = r.result;
		b->got = r.packet;
		break;
	}
	case CALL_ACK:
		b->result = packet_stream_sink_ack(&b->f->sink, b->packet, b->blocker);
		break;
	case CALL_GET_ACKED: {
		struct packet_stream_get_ret r =
		    packet_stream_source_get_acked(&b->f->source, b->blocker);
		b->result = r.result;
		b->got = r.packet;
		break;
	}
	case CALL_ALLOC_WAIT: {
		struct packet_stream_alloc_ret r =
		    packet_stream_source_alloc_wait(&b->f->source, b->packet.size, b->blocker);
		b->result = r.result;
		b->got = r.packet;
		break;
	}
	}
	return NULL;
}

/* start the call and wait until it sleeps in the kernel */
static void blocked_start(struct blocked *b, pthread_t *thread, struct fixture *f,
                          enum blocking_call call, struct packet_descriptor packet,
                          struct blocker *blocker)
{
	*b = (struct blocked){
		.f = f, .call = call, .packet = packet, .blocker = blocker, .result = -1
	};
	CHECK_EQ(pthread_create(thread, NULL, blocked_run, b), 0);
	CHECK(test_wait_until_sleeping(&b->tid));
	CHECK_EQ(__atomic_load_n(&b->result, __ATOMIC_ACQUIRE), -1); /* still in the call */
}

static void fill_submit_queue(struct fixture *f)
{
	for (uint32_t i = 0; i < f->geometry.queue_size; i++) (void)fixture_send(f, 64, i);
}

TEST(a_blocked_submit_sleeps_until_the_sink_makes_room)
{
	alarm(20);
	struct fixture f;
	fixture_init(&f, 65536, 4, 0);
	fill_submit_queue(&f);
	struct packet_stream_alloc_ret extra = packet_stream_source_alloc(&f.source, 64);
	fixture_fill(packet_stream_source_content(&f.source, extra.packet), 64, 4);
	/* stale signals make the first wait return at once: it must wait again */
	CHECK_EQ(signal_submit(f.source.ack_avail, 1), SIGNAL_SUBMIT_OK);

	struct blocked b;
	pthread_t thread;
	blocked_start(&b, &thread, &f, CALL_SUBMIT, extra.packet, NULL);
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_OK);
	pthread_join(thread, NULL);
	CHECK_EQ(b.result, PACKET_STREAM_OK);
	for (uint32_t i = 1; i <= 4; i++) {
		struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(g.result, PACKET_STREAM_OK);
		CHECK(fixture_holds(g.content, 64, i));
	}
	fixture_destroy(&f);
}

TEST(a_blocked_get_sleeps_until_a_submit)
{
	alarm(20);
	struct fixture f;
	fixture_init(&f, 65536, 4, 0);
	struct blocked b;
	pthread_t thread;
	blocked_start(&b, &thread, &f, CALL_GET, (struct packet_descriptor){ 0, 0 }, NULL);
	struct packet_descriptor p = fixture_send(&f, 300, 7);
	pthread_join(thread, NULL);
	CHECK_EQ(b.result, PACKET_STREAM_OK);
	CHECK_EQ(b.got.offset, p.offset);
	CHECK_EQ(b.got.size, 300);
	fixture_destroy(&f);
}

TEST(a_blocked_ack_sleeps_until_the_source_takes_one)
{
	alarm(20);
	struct fixture f;
	fixture_init(&f, 65536, 2, 0);
	struct packet_descriptor got[3];
	for (unsigned i = 0; i < 3; i++) {
		(void)fixture_send(&f, 64, i);
		struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(g.result, PACKET_STREAM_OK);
		got[i] = g.packet;
		if (i < 2) CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	}
	struct blocked b;
	pthread_t thread;
	blocked_start(&b, &thread, &f, CALL_ACK, got[2], NULL);
	struct packet_stream_get_ret a = packet_stream_source_try_get_acked(&f.source);
	CHECK_EQ(a.result, PACKET_STREAM_OK);
	pthread_join(thread, NULL);
	CHECK_EQ(b.result, PACKET_STREAM_OK);
	for (unsigned i = 1; i < 3; i++) {
		a = packet_stream_source_try_get_acked(&f.source);
		CHECK_EQ(a.result, PACKET_STREAM_OK);
		CHECK_EQ(a.packet.offset, got[i].offset);
	}
	fixture_destroy(&f);
}

/* alloc_wait of 100 bytes blocks until the sink acknowledges the one packet in flight */
static void alloc_wait_until_acked(struct fixture *f, struct blocked *b)
{
	pthread_t thread;
	blocked_start(b, &thread, f, CALL_ALLOC_WAIT, (struct packet_descriptor){ 0, 100 }, NULL);
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&f->sink);
	CHECK_EQ(packet_stream_sink_try_ack(&f->sink, g.packet), PACKET_STREAM_OK);
	pthread_join(thread, NULL);
	CHECK_EQ(b->result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(b->got.size, 100);
}

TEST(a_blocked_get_acked_and_alloc_wait_sleep_until_an_acknowledgement)
{
	alarm(20);
	struct fixture f;
	fixture_init(&f, 4096, 4, 0);
	struct packet_descriptor whole = fixture_send(&f, 4096, 1);
	struct blocked b;
	pthread_t thread;
	alloc_wait_until_acked(&f, &b);
	struct packet_stream_get_ret g;
	CHECK_EQ(packet_stream_source_release(&f.source, whole),
	         PACKET_STREAM_RELEASE_NOT_ALLOCATED);
	struct packet_descriptor small = b.got;

	blocked_start(&b, &thread, &f, CALL_GET_ACKED, (struct packet_descriptor){ 0, 0 }, NULL);
	CHECK_EQ(packet_stream_source_try_submit(&f.source, small), PACKET_STREAM_OK);
	g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	pthread_join(thread, NULL);
	CHECK_EQ(b.result, PACKET_STREAM_OK);
	CHECK_EQ(b.got.offset, small.offset);
	CHECK_EQ(b.got.size, 100);
	fixture_destroy(&f);
}

/*
 * A source with quiet acknowledgements (the last alloc_quiet found room,
 * so the signals are off) calls a blocking call that must wait: it turns
 * the signals on itself and sleeps until the acknowledgement, which would
 * not signal otherwise (it does not fill the queue), or until the sink
 * makes room in the submit queue.
 */
TEST(blocking_calls_of_a_quiet_source_sleep_until_the_sink_acknowledges)
{
	alarm(20);
	struct fixture f;
	fixture_init(&f, 4096, 8, 0);
	struct blocked b;
	pthread_t thread;

	/* alloc_wait: the whole buffer in flight */
	(void)fixture_send_quiet(&f, 4096, 0);
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);
	alloc_wait_until_acked(&f, &b);
	struct packet_stream_get_ret g;
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);
	CHECK_EQ(packet_stream_source_release(&f.source, b.got), PACKET_STREAM_RELEASE_OK);
	CHECK_EQ(packet_stream_source_available(&f.source), 4096);

	/* get_acked: a packet in flight, quiet again */
	struct packet_descriptor sent = fixture_send_quiet(&f, 300, 1);
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);
	blocked_start(&b, &thread, &f, CALL_GET_ACKED, (struct packet_descriptor){ 0, 0 }, NULL);
	g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	pthread_join(thread, NULL);
	CHECK_EQ(b.result, PACKET_STREAM_OK);
	CHECK_EQ(b.got.offset, sent.offset);
	CHECK_EQ(b.got.size, 300);
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);
	CHECK_EQ(packet_stream_source_release(&f.source, b.got), PACKET_STREAM_RELEASE_OK);

	/* submit: the submit queue full, quiet again */
	struct packet_descriptor queued[8];
	for (uint32_t i = 0; i < 8; i++) queued[i] = fixture_send_quiet(&f, 64, i);
	struct packet_stream_alloc_quiet_ret q = packet_stream_source_alloc_quiet(&f.source, 64);
	CHECK_EQ(q.result, PACKET_STREAM_ALLOC_OK);
	fixture_fill(packet_stream_source_content(&f.source, q.packet), 64, 8);
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);
	blocked_start(&b, &thread, &f, CALL_SUBMIT, q.packet, NULL);
	g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(g.packet.offset, queued[0].offset);
	pthread_join(thread, NULL);
	CHECK_EQ(b.result, PACKET_STREAM_OK);
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);
	for (uint32_t i = 1; i <= 8; i++) {
		g = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(g.result, PACKET_STREAM_OK);
		CHECK(fixture_holds(g.content, 64, i));
	}
	fixture_destroy(&f);
}

/* the sink of the next case: acknowledges what it holds, then takes and acknowledges two more
 */
struct stalled_sink
{
	struct fixture *f;
	struct packet_descriptor held;
	pid_t tid;
	int result;
};

static void *stalled_sink_run(void *argument)
{
	struct stalled_sink *s = argument;
	__atomic_store_n(&s->tid, test_thread_id(), __ATOMIC_RELEASE);
	int result = packet_stream_sink_ack(&s->f->sink, s->held, NULL);
	for (uint32_t i = 3; i <= 4 && result == PACKET_STREAM_OK; i++) {
		/* 3 was submitted before, 4 fills the queue while this thread waits */
		struct packet_stream_get_ret g = packet_stream_sink_get(&s->f->sink, NULL);
		result = g.result;
		if (result == PACKET_STREAM_OK && !fixture_holds(g.content, 64, i)) result = -2;
		if (result == PACKET_STREAM_OK)
			result = packet_stream_sink_ack(&s->f->sink, g.packet, NULL);
	}
	__atomic_store_n(&s->result, result, __ATOMIC_RELEASE);
	return NULL;
}

TEST(a_blocked_submit_makes_room_for_a_sink_that_waits_to_acknowledge)
{
	/*
	 * The sink waits for room in the full acknowledgement queue before it
	 * takes more; the source waits for room in the full submit queue. The
	 * source's wait takes the acknowledgements, so both go on.
	 */
	alarm(20);
	struct fixture f;
	fixture_init(&f, 65536, 2, 0);
	for (uint32_t i = 0; i < 2; i++) {
		(void)fixture_send(&f, 64, i);
		struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	}
	(void)fixture_send(&f, 64, 2);
	(void)fixture_send(&f, 64, 3);
	struct stalled_sink s = { &f, { 0, 0 }, 0, -1 };
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(g.result, PACKET_STREAM_OK);
	s.held = g.packet;
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, stalled_sink_run, &s), 0);
	CHECK(test_wait_until_sleeping(&s.tid)); /* in its acknowledgement */

	(void)fixture_send(&f, 64, 4); /* fills the submit queue again */
	struct packet_stream_alloc_ret a = packet_stream_source_alloc(&f.source, 64);
	fixture_fill(packet_stream_source_content(&f.source, a.packet), 64, 5);
	CHECK_EQ(packet_stream_source_try_submit(&f.source, a.packet), PACKET_STREAM_QUEUE_FULL);
	CHECK_EQ(packet_stream_source_submit(&f.source, a.packet, NULL), PACKET_STREAM_OK);

	/* submit released some of the acknowledged packets; the rest, until only 5 is out */
	while (packet_stream_source_available(&f.source) < 65536 - 64) {
		struct packet_stream_get_ret acked = packet_stream_source_get_acked(&f.source, NULL);
		CHECK_EQ(acked.result, PACKET_STREAM_OK);
		CHECK_EQ(packet_stream_source_release(&f.source, acked.packet),
		         PACKET_STREAM_RELEASE_OK);
	}
	pthread_join(thread, NULL);
	CHECK_EQ(s.result, PACKET_STREAM_OK);
	struct packet_stream_release_acked_ret r;
	g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(g.result, PACKET_STREAM_OK);
	CHECK(fixture_holds(g.content, 64, 5));
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.result, PACKET_STREAM_OK);
	CHECK_EQ(r.released, 1);
	CHECK_EQ(r.rejected, 0);
	CHECK_EQ(packet_stream_source_available(&f.source), 65536);
	fixture_destroy(&f);
}

TEST(a_cancelled_blocker_ends_each_blocking_call_and_changes_nothing)
{
	alarm(20);
	struct fixture f;
	fixture_init(&f, 4096, 2, 0);
	struct blocker blocker;
	struct blocked b;
	pthread_t thread;

	/* cancelled while blocked: a full submit queue */
	struct packet_descriptor first = fixture_send(&f, 1000, 0);
	(void)fixture_send(&f, 1000, 1);
	struct packet_stream_alloc_ret extra = packet_stream_source_alloc(&f.source, 1000);
	blocker_init(&blocker);
	blocked_start(&b, &thread, &f, CALL_SUBMIT, extra.packet, &blocker);
	blocker_cancel(&blocker);
	pthread_join(thread, NULL);
	CHECK_EQ(b.result, PACKET_STREAM_CANCELLED);
	struct packet_stream_ring *submit = fixture_ring(&f, f.geometry.submit_offset);
	CHECK_EQ(submit->head, 2);

	/* cancelled before: every blocking call returns at once */
	CHECK_EQ(packet_stream_source_submit(&f.source, extra.packet, &blocker),
	         PACKET_STREAM_CANCELLED);
	CHECK_EQ(packet_stream_source_get_acked(&f.source, &blocker).result,
	         PACKET_STREAM_CANCELLED);
	CHECK_EQ(packet_stream_source_alloc_wait(&f.source, 2000, &blocker).result,
	         PACKET_STREAM_ALLOC_CANCELLED);
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(g.packet.offset, first.offset);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_ack(&f.sink, g.packet, &blocker), PACKET_STREAM_CANCELLED);
	CHECK_EQ(packet_stream_sink_get(&f.sink, &blocker).result, PACKET_STREAM_CANCELLED);
	struct packet_stream_ring *ack = fixture_ring(&f, f.geometry.ack_offset);
	CHECK_EQ(ack->head, 2);

	/* cancelled while blocked: an empty submit queue */
	blocker_reset(&blocker);
	blocked_start(&b, &thread, &f, CALL_GET, (struct packet_descriptor){ 0, 0 }, &blocker);
	blocker_cancel(&blocker);
	pthread_join(thread, NULL);
	CHECK_EQ(b.result, PACKET_STREAM_CANCELLED);
	CHECK_EQ(submit->tail, 2);
	fixture_destroy(&f);
}

/* ---- a producer and a consumer thread -------------------------------------------- */

struct flow
{
	struct fixture *f;
	uint32_t count;
	uint64_t size_max;
	uint32_t bad; /* packets the consumer found out of order or with wrong content */
	uint64_t bytes;
};

static uint64_t flow_size(struct flow const *flow, uint32_t sequence)
{
	/* deterministic sizes: every size from 1 up, and the largest now and then */
	uint64_t x = (uint64_t)sequence * 2654435761u;
	if (sequence % 97 == 0) return flow->size_max;
	return 1 + (x >> 7) % flow->size_max;
}

static void *flow_consumer(void *argument)
{
	struct flow *flow = argument;
	for (uint32_t expected = 0; expected < flow->count; expected++) {
		struct packet_stream_get_ret g = packet_stream_sink_get(&flow->f->sink, NULL);
		if (g.result != PACKET_STREAM_OK || g.packet.size != flow_size(flow, expected) ||
		    !fixture_holds(g.content, g.packet.size, expected))
			flow->bad++;
		flow->bytes += g.packet.size;
		if (packet_stream_sink_ack(&flow->f->sink, g.packet, NULL) != PACKET_STREAM_OK)
			flow->bad++;
	}
	return NULL;
}

/* the producer with the blocking calls; the bytes it sent */
static uint64_t flow_produce(struct flow *flow)
{
	struct packet_stream_source *source = &flow->f->source;
	uint64_t sent = 0;
	for (uint32_t sequence = 0; sequence < flow->count; sequence++) {
		uint64_t size = flow_size(flow, sequence);
		struct packet_stream_alloc_ret a = packet_stream_source_alloc_wait(source, size, NULL);
		CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
		fixture_fill(packet_stream_source_content(source, a.packet), size, sequence);
		CHECK_EQ(packet_stream_source_submit(source, a.packet, NULL), PACKET_STREAM_OK);
		sent += size;
	}
	return sent;
}

/*
 * The producer of a source with quiet acknowledgements, driven as the Nic
 * users drive theirs: try_ calls and alloc_quiet only, and a wait on its
 * receiver while there is no room. Each wake-up takes the acknowledgements
 * back (the consumer may wait for room to acknowledge). A wake-up that is
 * lost hangs it. The bytes it sent.
 */
static uint64_t flow_produce_quiet(struct flow *flow)
{
	struct packet_stream_source *source = &flow->f->source;
	uint64_t sent = 0;
	for (uint32_t sequence = 0; sequence < flow->count;) {
		uint64_t size = flow_size(flow, sequence);
		struct packet_stream_alloc_quiet_ret a = packet_stream_source_alloc_quiet(source, size);
		CHECK_EQ(a.rejected, 0);
		if (a.result == PACKET_STREAM_ALLOC_OK) {
			fixture_fill(packet_stream_source_content(source, a.packet), size, sequence);
			enum packet_stream_result r = packet_stream_source_try_submit(source, a.packet);
			if (r == PACKET_STREAM_OK) {
				sent += size;
				sequence++;
				continue;
			}
			CHECK_EQ(r, PACKET_STREAM_QUEUE_FULL);
			CHECK_EQ(packet_stream_source_release(source, a.packet), PACKET_STREAM_RELEASE_OK);
		} else {
			CHECK_EQ(a.result, PACKET_STREAM_ALLOC_NO_SPACE);
		}
		CHECK_EQ(signal_receiver_wait(&flow->f->source_receiver).result, SIGNAL_OK);
		CHECK_EQ(packet_stream_source_release_all(source).result, PACKET_STREAM_OK);
	}
	/* the blocking calls of flow_run turn the acknowledgement signals on themselves */
	return sent;
}

static void flow_run(uint64_t buffer_size, uint32_t queue_size, uint32_t count,
                     uint64_t size_max, bool quiet)
{
	alarm(60);
	struct fixture f;
	fixture_init(&f, buffer_size, queue_size, 0xffffff00u);
	struct flow flow = { &f, count, size_max, 0, 0 };
	pthread_t consumer;
	CHECK_EQ(pthread_create(&consumer, NULL, flow_consumer, &flow), 0);

	uint64_t sent = quiet ? flow_produce_quiet(&flow) : flow_produce(&flow);
	/*
	 * Every packet comes back: the buffer is whole again. (The consumer may
	 * wait for room for its last acknowledgements: take them before joining.
	 * A quiet source's get_acked turns the acknowledgement signals on.)
	 */
	while (packet_stream_source_available(&f.source) < buffer_size) {
		struct packet_stream_get_ret a = packet_stream_source_get_acked(&f.source, NULL);
		CHECK_EQ(a.result, PACKET_STREAM_OK);
		CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	}
	pthread_join(consumer, NULL);
	CHECK_EQ(flow.bad, 0);
	CHECK_EQ(flow.bytes, sent);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_QUEUE_EMPTY);
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_QUEUE_EMPTY);
	fixture_destroy(&f);
}

TEST(two_threads_pass_100000_packets_through_a_roomy_stream)
{
	flow_run(1 << 20, 256, 100000, 1514, false);
}

TEST(two_threads_pass_50000_packets_through_a_tiny_stream)
{
	/* two slots and room for two of the largest packets: backpressure all the time */
	flow_run(4096, 2, 50000, 2048, false);
}

TEST(two_threads_pass_50000_packets_that_fill_the_buffer)
{
	/* queues far larger than what the buffer holds: the allocation waits */
	flow_run(16384, 1024, 50000, 9000, false);
}

TEST(a_quiet_source_passes_100000_packets_through_a_roomy_stream)
{
	flow_run(1 << 20, 256, 100000, 1514, true);
}

TEST(a_quiet_source_passes_50000_packets_through_a_tiny_stream)
{
	flow_run(4096, 2, 50000, 2048, true);
}

TEST(a_quiet_source_passes_50000_packets_that_fill_the_buffer)
{
	/* the allocation waits: only the signals that alloc_quiet turns on wake it */
	flow_run(16384, 1024, 50000, 9000, true);
}

/* ---- a hostile sink ------------------------------------------------------------------ */

struct hostile_sink
{
	struct fixture *f;
	bool stop;
	uint64_t written;
};

/* acknowledgements of no packet in flight, as fast as the queue takes them */
static void *hostile_sink_run(void *argument)
{
	struct hostile_sink *h = argument;
	while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE))
		if (packet_stream_sink_try_ack(&h->f->sink, (struct packet_descriptor){ 64, 64 }) ==
		    PACKET_STREAM_OK)
			__atomic_add_fetch(&h->written, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * Start the sink; it and the calling source go on a CPU each where the
 * case may use two. What the hostile-sink cases check needs a sink that
 * writes while the source takes: on one CPU the two take turns and it
 * never does, and the scheduler may put them there when other processes
 * keep the CPUs busy.
 */
static void hostile_sink_start(struct hostile_sink *h, pthread_t *thread)
{
	CHECK_EQ(pthread_create(thread, NULL, hostile_sink_run, h), 0);
	cpu_set_t allowed;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || CPU_COUNT(&allowed) < 2) return;
	int cpus[2];
	int found = 0;
	for (int cpu = 0; cpu < CPU_SETSIZE && found < 2; cpu++)
		if (CPU_ISSET(cpu, &allowed)) cpus[found++] = cpu;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpus[0], &one);
	CHECK_EQ(pthread_setaffinity_np(*thread, sizeof(one), &one), 0);
	CPU_ZERO(&one);
	CPU_SET(cpus[1], &one);
	CHECK_EQ(pthread_setaffinity_np(pthread_self(), sizeof(one), &one), 0);
}

TEST(alloc_quiet_ends_its_look_at_a_sink_that_writes_invalid_acknowledgements_without_end)
{
	alarm(20); /* a sink that never writes, or a look without end, fails here */
	struct fixture f;
	fixture_init(&f, 4096, 8, 0);
	struct packet_stream_alloc_ret whole = packet_stream_source_alloc(&f.source, 4096);
	CHECK_EQ(whole.result, PACKET_STREAM_ALLOC_OK);
	struct hostile_sink h = { &f, false, 0 };
	pthread_t thread;
	hostile_sink_start(&h, &thread);
	/* until the sink has filled the queue of 8; it refills each slot as the source takes it */
	while (__atomic_load_n(&h.written, __ATOMIC_RELAXED) < 8) sched_yield();
	struct packet_stream_alloc_quiet_ret r;
	do {
		r = packet_stream_source_alloc_quiet(&f.source, 64);
		CHECK(r.result == PACKET_STREAM_ALLOC_NO_SPACE ||
		      r.result == PACKET_STREAM_ALLOC_PEER_CORRUPT);
		CHECK_EQ(packet_stream_source_available(&f.source), 0); /* nothing released */
	} while (r.result != PACKET_STREAM_ALLOC_PEER_CORRUPT);
	alarm(0);
	__atomic_store_n(&h.stop, true, __ATOMIC_RELEASE);
	CHECK_EQ(pthread_join(thread, NULL), 0);
	CHECK_EQ(packet_stream_source_release(&f.source, whole.packet), PACKET_STREAM_RELEASE_OK);
	fixture_destroy(&f);
}

/*
 * alloc_wait takes every acknowledgement there is (release_all), submit a
 * queue's worth at a time and goes on without waiting while more are
 * there: at a sink that refills the queue with invalid ones as fast as
 * they are taken, both end with PEER_CORRUPT instead of going on for ever.
 */
TEST(alloc_wait_and_submit_end_at_a_sink_that_writes_invalid_acknowledgements_without_end)
{
	alarm(20); /* a sink that never writes, or a call that goes on without end, fails here */
	struct fixture f;
	fixture_init(&f, 4096, 8, 0);
	/* the submit queue full and the rest of the buffer allocated: both calls must wait */
	for (uint32_t i = 0; i < 8; i++) (void)fixture_send(&f, 128, i);
	struct packet_stream_alloc_ret rest = packet_stream_source_alloc(&f.source, 4096 - 8 * 128);
	CHECK_EQ(rest.result, PACKET_STREAM_ALLOC_OK);
	/* the sink's {64, 64} lies inside the first packet: no packet of the stream */
	struct hostile_sink h = { &f, false, 0 };
	pthread_t thread;
	hostile_sink_start(&h, &thread);
	while (__atomic_load_n(&h.written, __ATOMIC_RELAXED) < 8) sched_yield();

	CHECK_EQ(packet_stream_source_alloc_wait(&f.source, 64, NULL).result,
	         PACKET_STREAM_ALLOC_PEER_CORRUPT);
	CHECK_EQ(packet_stream_source_submit(&f.source, rest.packet, NULL),
	         PACKET_STREAM_PEER_CORRUPT);
	alarm(0);
	__atomic_store_n(&h.stop, true, __ATOMIC_RELEASE);
	CHECK_EQ(pthread_join(thread, NULL), 0);
	CHECK_EQ(packet_stream_source_release(&f.source, rest.packet), PACKET_STREAM_RELEASE_OK);
	fixture_destroy(&f);
}
