/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of nic_drv's config (nic_slirp_config.h), of its frame
 *        ring (frame_ring.h), the ring also across two threads, and of its
 *        loop's wait for a deadline (timer_plan.h)
 */

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <frame_ring.h>
#include <nic_slirp_config.h>
#include <timer_plan.h>
#include <unit_test.h>

/* ---- config ------------------------------------------------------------------------- */

static struct nic_slirp_config config;
static char error[NIC_SLIRP_ERROR_SIZE];

static enum nic_slirp_config_result parse(char const *text)
{
	struct xml_parse_ret p = xml_parse(text, strlen(text));
	CHECK_EQ(p.result, XML_PARSE_OK);
	return nic_slirp_config_parse(p.root, &config, error);
}

/* the config must be refused with exactly `message` */
static void refused(char const *text, char const *message)
{
	CHECK_EQ(parse(text), NIC_SLIRP_CONFIG_INVALID);
	CHECK_STR(error, message);
}

TEST(config_defaults)
{
	CHECK_EQ(parse("<config/>"), NIC_SLIRP_CONFIG_OK);
	CHECK_EQ(config.mtu, 1500);
	uint8_t const mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	CHECK_MEM(config.mac, mac, 6);
	CHECK_EQ(config.keepalive, 30);
	CHECK_EQ(config.forward_count, 0);
	CHECK_STR(error, "");
}

TEST(config_forwards)
{
	CHECK_EQ(parse("<config mtu=\"65521\" mac=\"02:aB:00:00:00:ff\">"
	               "<forward proto=\"tcp\" host=\"127.0.0.1:8181\" guest=\"10.0.2.15:8181\"/>"
	               "<!-- a comment -->"
	               "<forward guest=\"10.0.2.254:1\" host=\"0.0.0.0:65535\" proto=\"udp\"/>"
	               "<forward proto=\"udp\" host=\"127.0.0.1:8181\" guest=\"10.0.2.15:53\"/>"
	               "</config>"),
	         NIC_SLIRP_CONFIG_OK);
	CHECK_EQ(config.mtu, 65521);
	uint8_t const mac[6] = { 0x02, 0xab, 0x00, 0x00, 0x00, 0xff };
	CHECK_MEM(config.mac, mac, 6);
	CHECK_EQ(config.forward_count, 3);
	CHECK_EQ(config.forwards[0].proto, NIC_SLIRP_TCP);
	CHECK_EQ_U(config.forwards[0].host_address, 0x7f000001);
	CHECK_EQ(config.forwards[0].host_port, 8181);
	CHECK_EQ_U(config.forwards[0].guest_address, 0x0a00020f);
	CHECK_EQ(config.forwards[0].guest_port, 8181);
	CHECK_EQ(config.forwards[1].proto, NIC_SLIRP_UDP);
	CHECK_EQ_U(config.forwards[1].host_address, 0);
	CHECK_EQ(config.forwards[1].host_port, 65535);
	CHECK_EQ_U(config.forwards[1].guest_address, 0x0a0002fe);
	CHECK_EQ(config.forwards[1].guest_port, 1);
	/* the same host port with another proto is another forward */
	CHECK_EQ(config.forwards[2].proto, NIC_SLIRP_UDP);
	CHECK_EQ(config.forwards[2].host_port, 8181);
}

TEST(config_as_many_forwards_as_allowed)
{
	char text[4096] = "<config>";
	for (unsigned i = 0; i < NIC_SLIRP_FORWARDS_MAX; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		         "<forward proto=\"tcp\" host=\"127.0.0.1:%u\" guest=\"10.0.2.15:80\"/>",
		         1000 + i);
	strcat(text, "</config>");
	CHECK_EQ(parse(text), NIC_SLIRP_CONFIG_OK);
	CHECK_EQ(config.forward_count, NIC_SLIRP_FORWARDS_MAX);
	CHECK_EQ(config.forwards[NIC_SLIRP_FORWARDS_MAX - 1].host_port,
	         1000 + NIC_SLIRP_FORWARDS_MAX - 1);

	/* one more */
	text[strlen(text) - strlen("</config>")] = 0;
	strcat(text,
	       "<forward proto=\"tcp\" host=\"127.0.0.1:2000\" guest=\"10.0.2.15:80\"/></config>");
	refused(text, "config: more than 16 forwards");
}

TEST(config_link_errors)
{
	refused("<config mtu=\"575\"/>", "config: mtu is not a number in 576..65521");
	refused("<config mtu=\"65522\"/>", "config: mtu is not a number in 576..65521");
	refused("<config mtu=\"1500 \"/>", "config: mtu is not a number in 576..65521");
	refused("<config mtu=\"99999999999999999999999\"/>",
	        "config: mtu is not a number in 576..65521");
	CHECK_EQ(parse("<config mtu=\"576\"/>"), NIC_SLIRP_CONFIG_OK);
	refused("<config mac=\"01:00:00:00:00:01\"/>",
	        "config: mac \"01:00:00:00:00:01\" is not a unicast address xx:xx:xx:xx:xx:xx");
	refused("<config mac=\"52:54:00:12:34\"/>",
	        "config: mac \"52:54:00:12:34\" is not a unicast address xx:xx:xx:xx:xx:xx");
	refused("<config mac=\"52-54-00-12-34-56\"/>",
	        "config: mac \"52-54-00-12-34-56\" is not a unicast address xx:xx:xx:xx:xx:xx");
	refused("<config mac=\"52:54:00:12:34:5g\"/>",
	        "config: mac \"52:54:00:12:34:5g\" is not a unicast address xx:xx:xx:xx:xx:xx");
	refused("<config mtu=\"1500\" verbose=\"yes\"/>", "config: unknown attribute \"verbose\"");
	refused("<config><forwards/></config>", "config: unknown node <forwards>");
}

TEST(config_keepalive)
{
	/* numbers as everywhere in a config (util/arg_string): 0x hex and K suffixes too */
	struct
	{
		char const *text;
		uint32_t seconds;
	} const good[] = { { "0", 0 },       { "1", 1 },     { "600", 600 },
		               { "3600", 3600 }, { "0x1e", 30 }, { "1K", 1024 } };
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char text[96];
		snprintf(text, sizeof(text), "<config mtu=\"9000\" keepalive=\"%s\"/>", good[i].text);
		CHECK_EQ(parse(text), NIC_SLIRP_CONFIG_OK);
		CHECK_EQ(config.keepalive, good[i].seconds);
		CHECK_EQ(config.mtu, 9000);
	}

	char const *message = "config: keepalive is not a number of seconds in 0..3600 (0: off)";
	/* 4K is a number, 4096, above the bound */
	char const *bad[] = {
		"3601", "4K", "99999999999999999999999", "", "-1", "30s", " 30", "30 ", "off", "1.5"
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[96];
		snprintf(text, sizeof(text), "<config keepalive=\"%s\"/>", bad[i]);
		refused(text, message);
	}
	refused("<config keep-alive=\"30\"/>", "config: unknown attribute \"keep-alive\"");
}

TEST(config_forward_errors)
{
	refused("<config><forward host=\"127.0.0.1:1\" guest=\"10.0.2.15:1\"/></config>",
	        "forward 1: no proto attribute");
	refused("<config><forward proto=\"sctp\" host=\"127.0.0.1:1\" guest=\"10.0.2.15:1\"/>"
	        "</config>",
	        "forward 1: proto \"sctp\" is neither tcp nor udp");
	refused("<config><forward proto=\"TCP\" host=\"127.0.0.1:1\" guest=\"10.0.2.15:1\"/>"
	        "</config>",
	        "forward 1: proto \"TCP\" is neither tcp nor udp");
	refused("<config><forward proto=\"tcp\" guest=\"10.0.2.15:1\"/></config>",
	        "forward 1: no host attribute");
	refused("<config><forward proto=\"tcp\" host=\"127.0.0.1:1\"/></config>",
	        "forward 1: no guest attribute");
	refused("<config><forward proto=\"tcp\" host=\"127.0.0.1:1\" guest=\"10.0.2.15:1\" "
	        "gest=\"x\"/></config>",
	        "forward 1: unknown attribute \"gest\"");
	refused("<config><forward proto=\"tcp\" host=\"127.0.0.1:8181\" guest=\"10.0.2.15:1\"/>"
	        "<forward proto=\"tcp\" host=\"localhost:8181\" guest=\"10.0.2.15:1\"/></config>",
	        "forward 2: host \"localhost:8181\" is not <IPv4 address>:<port 1..65535>");
	refused("<config><forward proto=\"tcp\" host=\"127.0.0.1:0\" guest=\"10.0.2.15:1\"/>"
	        "</config>",
	        "forward 1: host \"127.0.0.1:0\" is not <IPv4 address>:<port 1..65535>");
	refused("<config><forward proto=\"tcp\" host=\"127.0.0.1:1\" guest=\"10.0.2.15:65536\"/>"
	        "</config>",
	        "forward 1: guest \"10.0.2.15:65536\" is not <IPv4 address>:<port 1..65535>");
	char const *outside = "is no guest's address in 10.0.2.0/24 (not .0, .255, slirp's "
	                      "10.0.2.2 or 10.0.2.3)";
	char const *guests[] = { "10.0.3.15:1", "10.0.2.0:1", "10.0.2.255:1",
		                     "10.0.2.2:1",  "10.0.2.3:1", "11.0.2.15:1" };
	for (unsigned i = 0; i < sizeof(guests) / sizeof(guests[0]); i++) {
		char text[256], message[NIC_SLIRP_ERROR_SIZE];
		snprintf(text, sizeof(text),
		         "<config><forward proto=\"tcp\" host=\"127.0.0.1:1\" guest=\"%s\"/></config>",
		         guests[i]);
		snprintf(message, sizeof(message), "forward 1: guest \"%s\" %s", guests[i], outside);
		refused(text, message);
	}
	refused("<config><forward proto=\"tcp\" host=\"127.0.0.1:8181\" guest=\"10.0.2.15:1\"/>"
	        "<forward proto=\"udp\" host=\"127.0.0.1:8181\" guest=\"10.0.2.15:1\"/>"
	        "<forward proto=\"tcp\" host=\"127.0.0.1:8181\" guest=\"10.0.2.16:2\"/></config>",
	        "forward 3: tcp host 127.0.0.1:8181 is forward 1's already");
	/* a value too long for any endpoint */
	refused(
	    "<config><forward proto=\"tcp\" host=\"127.0.0.1:1111111111111111111111111111111111111"
	    "1111111111111\" guest=\"10.0.2.15:1\"/></config>",
	    "forward 1: host is too long (60 characters)");
}

TEST(endpoint_parse)
{
	uint32_t address = 1;
	uint16_t port = 1;
	CHECK(nic_slirp_endpoint_parse("255.255.255.255:65535", 21, &address, &port));
	CHECK_EQ_U(address, 0xffffffff);
	CHECK_EQ(port, 65535);
	CHECK(nic_slirp_endpoint_parse("0.0.0.0:1", 9, &address, &port));
	CHECK_EQ_U(address, 0);
	CHECK_EQ(port, 1);
	/* only the given length counts */
	CHECK(nic_slirp_endpoint_parse("10.0.2.15:80xyz", 12, &address, &port));
	CHECK_EQ_U(address, 0x0a00020f);
	CHECK_EQ(port, 80);

	char const *bad[] = { "",
		                  "1.2.3:4",
		                  "1.2.3.4",
		                  "1.2.3.4:",
		                  "1.2.3.4.5:6",
		                  "256.1.1.1:1",
		                  "01.2.3.4:5",
		                  "1.2.3.4:05",
		                  "1.2.3.4:65536",
		                  " 1.2.3.4:5",
		                  "1.2.3.4:5 ",
		                  "1..3.4:5",
		                  "1.2.3.4:-5",
		                  "1.2.3.4:99999999999" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		address = 7;
		port = 7;
		if (nic_slirp_endpoint_parse(bad[i], strlen(bad[i]), &address, &port))
			unit_test_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
		CHECK_EQ(address, 7);
		CHECK_EQ(port, 7);
	}
	char text[16];
	nic_slirp_address_format(0xc0a8fe01, text, sizeof(text));
	CHECK_STR(text, "192.168.254.1");
	nic_slirp_address_format(0xffffffff, text, sizeof(text));
	CHECK_STR(text, "255.255.255.255");
}

/* ---- frame ring ----------------------------------------------------------------------- */

static _Alignas(8) uint8_t memory[1024];

static void fill(uint8_t *frame, size_t size, unsigned seed)
{
	for (size_t i = 0; i < size; i++) frame[i] = (uint8_t)(seed * 31 + i);
}

static void expect_frame(struct frame_ring *ring, size_t size, unsigned seed)
{
	struct frame_ring_frame f = frame_ring_peek(ring);
	CHECK(f.data != NULL);
	CHECK_EQ(f.size, size);
	uint8_t want[1024];
	fill(want, size, seed);
	CHECK_MEM(f.data, want, size);
	frame_ring_pop(ring);
}

TEST(ring_init)
{
	struct frame_ring ring;
	CHECK_EQ(frame_ring_init(&ring, memory, 1000), FRAME_RING_INIT_INVALID);
	CHECK_EQ(frame_ring_init(&ring, memory, 32), FRAME_RING_INIT_INVALID);
	CHECK_EQ(frame_ring_init(&ring, memory + 4, 512), FRAME_RING_INIT_INVALID);
	CHECK_EQ(frame_ring_init(&ring, memory, 64), FRAME_RING_INIT_OK);
	CHECK_EQ(ring.frame_max, 24);
	CHECK_EQ(frame_ring_init(&ring, memory, 1024), FRAME_RING_INIT_OK);
	CHECK_EQ(ring.frame_max, 504);
	CHECK(frame_ring_empty(&ring));
	CHECK(frame_ring_peek(&ring).data == NULL);
	CHECK_EQ(frame_ring_peek(&ring).size, 0);
}

TEST(ring_sizes)
{
	struct frame_ring ring;
	CHECK_EQ(frame_ring_init(&ring, memory, 1024), FRAME_RING_INIT_OK);
	uint8_t frame[1024];
	fill(frame, 505, 1);
	CHECK_EQ(frame_ring_push(&ring, frame, 0).result, FRAME_RING_PUSH_INVALID);
	CHECK_EQ(frame_ring_push(&ring, frame, 505).result, FRAME_RING_PUSH_INVALID);
	CHECK(frame_ring_empty(&ring));

	struct frame_ring_push_ret r = frame_ring_push(&ring, frame, 504);
	CHECK_EQ(r.result, FRAME_RING_PUSH_OK);
	CHECK(r.was_empty);
	CHECK_EQ(frame_ring_used(&ring), 512);
	fill(frame, 1, 2);
	r = frame_ring_push(&ring, frame, 1);
	CHECK_EQ(r.result, FRAME_RING_PUSH_OK);
	CHECK(!r.was_empty);
	CHECK_EQ(frame_ring_used(&ring), 528); /* 8 + 1 padded to 8 */
	expect_frame(&ring, 504, 1);
	expect_frame(&ring, 1, 2);
	CHECK(frame_ring_empty(&ring));
}

TEST(ring_full_and_wrap)
{
	struct frame_ring ring;
	CHECK_EQ(frame_ring_init(&ring, memory, 1024), FRAME_RING_INIT_OK);
	uint8_t frame[1024];

	/* 100-byte frames take 112 bytes: 9 fit (1008), the 10th does not */
	unsigned pushed = 0;
	for (;;) {
		fill(frame, 100, pushed);
		struct frame_ring_push_ret r = frame_ring_push(&ring, frame, 100);
		if (r.result == FRAME_RING_PUSH_FULL) break;
		CHECK_EQ(r.result, FRAME_RING_PUSH_OK);
		CHECK_EQ(r.was_empty, pushed == 0);
		pushed++;
	}
	CHECK_EQ(pushed, 9);
	CHECK_EQ(frame_ring_used(&ring), 1008);

	/* a FULL push changed nothing */
	expect_frame(&ring, 100, 0);
	expect_frame(&ring, 100, 1);
	/* 224 free, but only 16 before the end: the pad takes them, and 200 needs 208 at 0 */
	fill(frame, 200, 100);
	CHECK_EQ(frame_ring_push(&ring, frame, 200).result, FRAME_RING_PUSH_OK);
	CHECK_EQ(frame_ring_used(&ring), 7 * 112 + 16 + 208);
	/* the last 16 bytes take a 1-byte frame exactly, then nothing more */
	fill(frame, 1, 101);
	CHECK_EQ(frame_ring_push(&ring, frame, 1).result, FRAME_RING_PUSH_OK);
	CHECK_EQ(frame_ring_used(&ring), 1024);
	CHECK_EQ(frame_ring_push(&ring, frame, 1).result, FRAME_RING_PUSH_FULL);
	for (unsigned i = 2; i < 9; i++) expect_frame(&ring, 100, i);
	expect_frame(&ring, 200, 100); /* after the pad */
	expect_frame(&ring, 1, 101);
	CHECK(frame_ring_empty(&ring));
	CHECK(frame_ring_peek(&ring).data == NULL);

	/* wrap many times over, with sizes that leave every kind of remainder */
	unsigned next_in = 0, next_out = 0;
	size_t bytes_in = 0;
	for (unsigned round = 0; round < 5000; round++) {
		size_t size = 1 + (round * 37) % 300;
		fill(frame, size, next_in);
		struct frame_ring_push_ret r = frame_ring_push(&ring, frame, size);
		if (r.result == FRAME_RING_PUSH_FULL) {
			CHECK(!frame_ring_empty(&ring));
			struct frame_ring_frame f = frame_ring_peek(&ring);
			expect_frame(&ring, f.size, next_out++);
			continue;
		}
		CHECK_EQ(r.result, FRAME_RING_PUSH_OK);
		next_in++;
		bytes_in += size;
		if (round % 3 == 0) {
			struct frame_ring_frame f = frame_ring_peek(&ring);
			expect_frame(&ring, f.size, next_out++);
		}
		CHECK(frame_ring_used(&ring) <= 1024);
	}
	while (!frame_ring_empty(&ring)) {
		struct frame_ring_frame f = frame_ring_peek(&ring);
		expect_frame(&ring, f.size, next_out++);
	}
	CHECK_EQ(next_in, next_out);
	CHECK(bytes_in > 200 * sizeof(memory)); /* the ring went round hundreds of times */
}

TEST_EXPECT_DEATH(ring_pop_empty)
{
	struct frame_ring ring;
	CHECK_EQ(frame_ring_init(&ring, memory, 1024), FRAME_RING_INIT_OK);
	frame_ring_pop(&ring);
}

/* two threads: every frame arrives once, in order; a consumer that sleeps
   on "empty" is woken by was_empty (here: a counting semaphore of wake-ups) */
enum { THREAD_FRAMES = 200000 };

struct ring_threads
{
	struct frame_ring ring;
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	unsigned wakeups;
};

static void *producer(void *argument)
{
	struct ring_threads *t = argument;
	uint8_t frame[300];
	for (unsigned i = 0; i < THREAD_FRAMES;) {
		size_t size = 4 + i % 200;
		fill(frame, size, i);
		memcpy(frame, &i, sizeof(i));
		struct frame_ring_push_ret r = frame_ring_push(&t->ring, frame, size);
		if (r.result == FRAME_RING_PUSH_FULL) continue; /* spin: the consumer drains */
		if (r.result != FRAME_RING_PUSH_OK) abort();
		if (r.was_empty) {
			pthread_mutex_lock(&t->mutex);
			t->wakeups++;
			pthread_cond_signal(&t->cond);
			pthread_mutex_unlock(&t->mutex);
		}
		i++;
	}
	return NULL;
}

TEST(ring_two_threads)
{
	static _Alignas(8) uint8_t big[4096];
	struct ring_threads t;
	CHECK_EQ(frame_ring_init(&t.ring, big, sizeof(big)), FRAME_RING_INIT_OK);
	pthread_mutex_init(&t.mutex, NULL);
	pthread_cond_init(&t.cond, NULL);
	t.wakeups = 0;
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, producer, &t), 0);
	unsigned sleeps = 0;
	for (unsigned i = 0; i < THREAD_FRAMES;) {
		struct frame_ring_frame f = frame_ring_peek(&t.ring);
		if (!f.data) {
			/* sleep until a push found the ring empty: a lost wake-up times out here */
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 10;
			pthread_mutex_lock(&t.mutex);
			int waited = 0;
			while (t.wakeups == 0 && waited == 0)
				waited = pthread_cond_timedwait(&t.cond, &t.mutex, &until);
			bool woken = t.wakeups > 0;
			if (woken) t.wakeups--;
			pthread_mutex_unlock(&t.mutex);
			if (!woken) unit_test_fail(__FILE__, __LINE__, "frame %u: no wake-up in 10 s", i);
			sleeps++;
			continue;
		}
		unsigned sequence;
		memcpy(&sequence, f.data, sizeof(sequence));
		CHECK_EQ(sequence, i);
		CHECK_EQ(f.size, 4 + i % 200);
		uint8_t want[300];
		fill(want, f.size, i);
		CHECK_MEM((uint8_t const *)f.data + 4, want + 4, f.size - 4);
		frame_ring_pop(&t.ring);
		i++;
	}
	CHECK_EQ(pthread_join(thread, NULL), 0);
	CHECK(frame_ring_empty(&t.ring));
	printf("# ring_two_threads: %u sleeps\n", sleeps);
}

/* ---- the loop's wait for a deadline ------------------------------------------------ */

enum { MS = 1000000 };

TEST(timer_plan_due_or_none)
{
	/* due: poll() returns at once, whatever the timer holds */
	CHECK_EQ(timer_plan_poll_timeout(0), 0);
	CHECK_EQ(timer_plan_arm_ns(5 * MS, 0, 0), 0);
	CHECK_EQ(timer_plan_arm_ns(5 * MS, 0, 7 * MS), 0);
	/* no deadline: sleep, the timer left as it is */
	CHECK_EQ(timer_plan_poll_timeout(TIMER_PLAN_NONE), -1);
	CHECK_EQ(timer_plan_arm_ns(5 * MS, TIMER_PLAN_NONE, 0), 0);
}

TEST(timer_plan_arms_once_for_slirps_fast_timer)
{
	/* slirp's "in 2 ms" in pass after pass: armed at the first, kept after */
	CHECK_EQ(timer_plan_poll_timeout(2), -1); /* the timer ends the sleep */
	int64_t armed = timer_plan_arm_ns(10 * MS, 2, 0);
	CHECK_EQ(armed, 12 * MS);
	for (int64_t now = 10 * MS + 50000; now < armed; now += 50000)
		CHECK_EQ(timer_plan_arm_ns(now, 2, armed), 0);
	/* the same deadline is no reason to arm again */
	CHECK_EQ(timer_plan_arm_ns(10 * MS, 2, armed), 0);
}

TEST(timer_plan_arms_again_for_an_earlier_deadline)
{
	/* armed for slirp's slow timer, then its fast timer is due sooner */
	CHECK_EQ(timer_plan_arm_ns(10 * MS, 2, 510 * MS), 12 * MS);
	/* a timeout of 49 days (the largest one short of none): armed, and poll() sleeps */
	CHECK_EQ(timer_plan_arm_ns(10 * MS, TIMER_PLAN_NONE - 1, 0),
	         10 * MS + (int64_t)(TIMER_PLAN_NONE - 1) * MS);
	CHECK_EQ(timer_plan_poll_timeout(TIMER_PLAN_NONE - 1), -1);
}
