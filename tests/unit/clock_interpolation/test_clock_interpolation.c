/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of the clock interpolation (<timer_session/clock_interpolation.h>),
 *        with invented counters and real clocks: no timer, no TSC
 */

#include <timer_session/clock_interpolation.h>

#include "unit_random.h"
#include "unit_test.h"

enum { MS = 1000, S = 1000000 };

/*
 * An invented world: a counter at `ticks_per_us` (or 1 tick per `us_per_tick`
 * for a slow one) starting at `ticks0` when the real clock says `us0`.
 */
struct world
{
	uint64_t ticks0, us0;
	uint64_t ticks_per_us; /* 0: use us_per_tick */
	uint64_t us_per_tick;
};

static uint64_t world_ticks(struct world const *w, uint64_t us)
{
	uint64_t since = us - w->us0;
	return w->ticks_per_us ? w->ticks0 + since * w->ticks_per_us
	                       : w->ticks0 + since / w->us_per_tick;
}

/* a reading at real time `us` that took no time */
static void feed_at(struct clock_interpolation *c, struct world const *w, uint64_t us)
{
	uint64_t t = world_ticks(w, us);
	clock_interpolation_feed(c, t, t, us);
}

/*
 * A reading that took `width_us` from `start_us` of world `w` (a counter that
 * counts ticks_per_us), the real clock read as `real_us` meanwhile; returns
 * the ticks at its start.
 */
static uint64_t feed_wide(struct clock_interpolation *c, struct world const *w,
                          uint64_t start_us, uint64_t width_us, uint64_t real_us)
{
	uint64_t before = world_ticks(w, start_us);
	clock_interpolation_feed(c, before, before + width_us * w->ticks_per_us, real_us);
	return before;
}

/* a fresh clock with real readings at `first_us` and `second_us` of world `w` */
static void clock_fed_twice(struct clock_interpolation *c, struct world const *w,
                            uint64_t first_us, uint64_t second_us)
{
	clock_interpolation_init(c);
	feed_at(c, w, first_us);
	feed_at(c, w, second_us);
}

/* the caller's way: a reading when one is due, else the estimate */
static uint64_t read_at(struct clock_interpolation *c, struct world const *w, uint64_t us,
                        unsigned *readings)
{
	uint64_t t = world_ticks(w, us);
	if (clock_interpolation_due(c, t)) {
		feed_at(c, w, us);
		if (readings) (*readings)++;
	}
	return clock_interpolation_now(c, t);
}

static uint64_t distance(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }

TEST(fresh_clock_is_due_and_reads_zero)
{
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	CHECK(clock_interpolation_due(&c, 0));
	CHECK(clock_interpolation_due(&c, 123456789));
	CHECK_EQ_U(clock_interpolation_now(&c, 5), 0);
}

TEST(due_until_the_baseline_spans_calibration_min)
{
	struct world w = { .ticks0 = 1000000, .us0 = 500, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_interpolation_init(&c);

	/* readings every millisecond: a rate only at CALIBRATION_MIN_US */
	uint64_t us = 500;
	for (; us < 500 + CLOCK_INTERPOLATION_CALIBRATION_MIN_US; us += MS) {
		feed_at(&c, &w, us);
		CHECK(clock_interpolation_due(&c, world_ticks(&w, us + 1)));
		/* without a rate the clock is the latest reading */
		CHECK_EQ_U(clock_interpolation_now(&c, world_ticks(&w, us + 700)), us);
	}
	feed_at(&c, &w, us);
	CHECK(!clock_interpolation_due(&c, world_ticks(&w, us + 1)));
	CHECK(distance(clock_interpolation_now(&c, world_ticks(&w, us + 700)), us + 700) <= 1);
}

TEST(calibrated_estimates_follow_the_counter)
{
	struct world w = { .ticks0 = 77, .us0 = 1000, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 1000, 1000 + 2 * S);
	CHECK(c.rate != 0);
	for (uint64_t d = 0; d < S; d += 12345) {
		uint64_t now = clock_interpolation_now(&c, world_ticks(&w, 1000 + 2 * S + d));
		CHECK(distance(now, 1000 + 2 * S + d) <= 1);
	}
}

/* a counter of any rate is calibrated: the rate is measured, never assumed */
TEST(counters_of_different_rates)
{
	struct world worlds[] = {
		{ .ticks0 = 5, .us0 = 0, .ticks_per_us = 1 },           /* 1 MHz */
		{ .ticks0 = 5, .us0 = 0, .ticks_per_us = 2400 },        /* 2.4 GHz */
		{ .ticks0 = 5, .us0 = 0, .ticks_per_us = 4100 },        /* 4.1 GHz */
		{ .ticks0 = 5, .us0 = 0, .ticks_per_us = 1000000 },     /* 1 THz: far beyond CPUs */
		{ .ticks0 = 5, .us0 = 0, .us_per_tick = 2 },            /* 500 kHz */
		{ .ticks0 = 5, .us0 = 0, .us_per_tick = 1000 },         /* 1 kHz */
		{ .ticks0 = 1ull << 50, .us0 = 7, .ticks_per_us = 19 }, /* odd start */
	};
	for (unsigned i = 0; i < sizeof(worlds) / sizeof(worlds[0]); i++) {
		struct world const *w = &worlds[i];
		uint64_t const tick_us = w->ticks_per_us ? 1 : w->us_per_tick;
		struct clock_interpolation c;
		clock_interpolation_init(&c);
		unsigned readings = 0;
		uint64_t previous = 0;
		/* a caller that reads every 250 us for 5 s of real time */
		for (uint64_t us = w->us0; us < w->us0 + 5 * S; us += 250) {
			uint64_t now = read_at(&c, w, us, &readings);
			CHECK(now >= previous);
			/* off by at most a tick (and a microsecond of rounding) */
			CHECK(distance(now, us) <= tick_us + 1);
			previous = now;
		}
		/* one each 250 us to calibrate, 7 that double the baseline, then one a second,
		 * and three to spare: no more */
		CHECK(readings < CLOCK_INTERPOLATION_CALIBRATION_MIN_US / 250 + 1 + 7 +
		                     5 * S / CLOCK_INTERPOLATION_RESYNC_US + 1 + 3);
		/* and at least the calibration's */
		CHECK(readings > CLOCK_INTERPOLATION_CALIBRATION_MIN_US / 250 + 1);
	}
}

TEST(resync_horizon_is_the_baseline_up_to_a_second)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 1000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 10 * MS);
	/* a baseline of 10 ms: due 10 ms after the latest reading */
	CHECK(!clock_interpolation_due(&c, world_ticks(&w, 20 * MS - 1)));
	CHECK(clock_interpolation_due(&c, world_ticks(&w, 20 * MS)));
	feed_at(&c, &w, 20 * MS);
	CHECK(!clock_interpolation_due(&c, world_ticks(&w, 40 * MS - 1)));
	CHECK(clock_interpolation_due(&c, world_ticks(&w, 40 * MS)));
	/* a baseline of 3 s: due a second after the latest reading */
	feed_at(&c, &w, 3 * S);
	CHECK(!clock_interpolation_due(&c, world_ticks(&w, 4 * S - 1)));
	CHECK(clock_interpolation_due(&c, world_ticks(&w, 4 * S)));
	CHECK(clock_interpolation_due(&c, UINT64_MAX)); /* absurdly far */
}

TEST(estimate_ahead_of_a_resync_holds_the_clock)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 1000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	uint64_t ahead = clock_interpolation_now(&c, world_ticks(&w, 2 * S + 500 * MS));
	CHECK_EQ_U(ahead, 2 * S + 500 * MS);

	/* the real clock says 300 us less at those ticks (within the rate's tolerance) */
	uint64_t t = world_ticks(&w, 2 * S + 500 * MS);
	clock_interpolation_feed(&c, t, t, 2 * S + 500 * MS - 300);
	CHECK_EQ_U(clock_interpolation_now(&c, t), ahead);
	CHECK_EQ_U(clock_interpolation_now(&c, t + 200 * 1000), ahead);    /* estimate 200 us on */
	CHECK_EQ_U(clock_interpolation_now(&c, t + 300 * 1000), ahead);    /* caught up */
	CHECK(clock_interpolation_now(&c, t + 400 * 1000) > ahead);        /* passed it */
	CHECK(clock_interpolation_now(&c, t + 400 * 1000) <= ahead + 101); /* at its own pace */
}

TEST(never_below_the_latest_reading)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 1000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	/* the real clock is 1 ms ahead of the estimate: the clock jumps to it */
	uint64_t t = world_ticks(&w, 2 * S + 100 * MS);
	clock_interpolation_feed(&c, t, t, 2 * S + 101 * MS);
	CHECK(clock_interpolation_now(&c, t) >= 2 * S + 101 * MS);
}

TEST(counter_backwards_between_readings)
{
	struct world w = { .ticks0 = 1000000000, .us0 = 0, .ticks_per_us = 1000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	uint64_t before = clock_interpolation_now(&c, world_ticks(&w, 2 * S + 5 * MS));

	/* another CPU's counter, 1 s behind: due, and no estimate goes back */
	uint64_t behind = world_ticks(&w, 2 * S + 6 * MS) - 1000 * 1000000;
	CHECK(clock_interpolation_due(&c, behind));
	CHECK_EQ_U(clock_interpolation_now(&c, behind), before);

	/* a reading there starts the calibration over: due until it spans 10 ms again */
	clock_interpolation_feed(&c, behind, behind, 2 * S + 6 * MS);
	CHECK(c.rate == 0);
	CHECK(clock_interpolation_due(&c, behind + 1000));
	CHECK(clock_interpolation_now(&c, behind + 1000) >= 2 * S + 6 * MS);
	clock_interpolation_feed(&c, behind + 10 * MS * 1000, behind + 10 * MS * 1000,
	                         2 * S + 16 * MS);
	CHECK(!clock_interpolation_due(&c, behind + 10 * MS * 1000 + 1000));
	CHECK(distance(clock_interpolation_now(&c, behind + 11 * MS * 1000), 2 * S + 17 * MS) <= 1);
}

TEST(counter_backwards_during_a_reading)
{
	struct world w = { .ticks0 = 1000000000, .us0 = 0, .ticks_per_us = 1000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	uint64_t t = world_ticks(&w, 3 * S);
	clock_interpolation_feed(&c, t, t - 5000, 3 * S);
	CHECK(!c.anchored);
	CHECK(c.rate == 0);
	CHECK(clock_interpolation_due(&c, t));
	CHECK(clock_interpolation_now(&c, t) >= 3 * S);

	/* the next reading is the new anchor, and 10 ms later there is a rate again */
	feed_at(&c, &w, 3 * S + 1 * MS);
	CHECK(c.anchored);
	CHECK_EQ_U(c.anchor.us, 3 * S + 1 * MS);
	feed_at(&c, &w, 3 * S + 11 * MS);
	CHECK(!clock_interpolation_due(&c, world_ticks(&w, 3 * S + 12 * MS)));
}

TEST(real_clock_backwards_starts_over)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 1000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	uint64_t returned = clock_interpolation_now(&c, world_ticks(&w, 2 * S));
	uint64_t t = world_ticks(&w, 2 * S + 10 * MS);
	clock_interpolation_feed(&c, t, t, 1 * S);
	CHECK(c.rate == 0);
	CHECK(clock_interpolation_now(&c, t) >= returned);
}

/*
 * 3000 ticks per us for 10 s, then `ticks_per_us` (a CPU that changed its
 * clock) and one reading at 11 s: the world after the change
 */
static struct world rate_changed_at_10s(struct clock_interpolation *c, uint64_t ticks_per_us)
{
	struct world fast = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 3000 };
	clock_interpolation_init(c);
	for (uint64_t us = 0; us <= 10 * S; us += S) feed_at(c, &fast, us);
	struct world slow = { .ticks0 = world_ticks(&fast, 10 * S),
		                  .us0 = 10 * S,
		                  .ticks_per_us = ticks_per_us };
	feed_at(c, &slow, 11 * S);
	return slow;
}

TEST(rate_change_is_followed)
{
	struct clock_interpolation c;
	struct world slow = rate_changed_at_10s(&c, 2000);
	/* the first reading after the change is 1/3 off the estimate: the anchor moves */
	CHECK_EQ_U(c.anchor.us, 10 * S);
	uint64_t now = clock_interpolation_now(&c, world_ticks(&slow, 11 * S + 500 * MS));
	CHECK(distance(now, 11 * S + 500 * MS) <= 1);
}

TEST(rate_change_of_one_percent_is_followed)
{
	struct clock_interpolation c;
	struct world slow = rate_changed_at_10s(&c, 2970);
	CHECK_EQ_U(c.anchor.us, 10 * S);
	/* the old rate would be 10 ms off after a second */
	uint64_t now = clock_interpolation_now(&c, world_ticks(&slow, 12 * S - 1));
	CHECK(distance(now, 12 * S - 1) <= 1);
}

TEST(a_reading_is_placed_at_the_midpoint)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 1000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	/* a reading that took 100 us and read the real clock halfway */
	uint64_t before = feed_wide(&c, &w, 3 * S, 100, 3 * S + 50);
	CHECK_EQ_U(c.last.width, 100 * w.ticks_per_us);
	CHECK_EQ_U(clock_interpolation_now(&c, before + 100 * w.ticks_per_us), 3 * S + 100);
}

/* readings that took 2 ms: the real clock read at the start, or at the end */
TEST(a_long_reading_moves_the_estimate_only_as_far_as_it_must)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 1000 };
	/* the reading's 2 ms in the counter's ticks */
	uint64_t const wide = 2 * MS * w.ticks_per_us;
	for (int late = 0; late <= 1; late++) {
		struct clock_interpolation c;
		clock_fed_twice(&c, &w, 0, 2 * S);
		uint64_t before = feed_wide(&c, &w, 3 * S, 2 * MS, late ? 3 * S + 2 * MS : 3 * S);
		/* the estimate fitted the reading: it stays, no jump by 1 ms either way */
		CHECK_EQ_U(c.base_us, 3 * S + 1 * MS);
		/* 1 us after the reading's end */
		CHECK(distance(clock_interpolation_now(&c, before + wide + w.ticks_per_us),
		               3 * S + 2 * MS + 1) <= 1);
	}

	/* a long reading that the estimate does not fit: the clock goes to its nearer end */
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	uint64_t before = feed_wide(&c, &w, 3 * S, 2 * MS, 3 * S + 2 * MS + 600);
	CHECK_EQ_U(c.base_us, 3 * S + 1 * MS + 600);
	CHECK(clock_interpolation_now(&c, before + wide) >= 3 * S + 2 * MS + 600);
	clock_fed_twice(&c, &w, 0, 2 * S);
	feed_wide(&c, &w, 3 * S, 2 * MS, 3 * S - 600);
	CHECK_EQ_U(c.base_us, 3 * S + 1 * MS - 600);
}

TEST(jitter_within_the_widths_keeps_the_anchor)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	/* readings that took 20 us (60000 ticks), the real clock read anywhere in them */
	uint64_t offsets[] = { 0, 20, 10, 3, 17, 20, 0, 12 };
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		feed_wide(&c, &w, i * S, 20, i * S + offsets[i]);
		CHECK_EQ_U(c.anchor.us, 0);
	}
	/* over 7 s the rate's error is at most 20 us: a few ppm */
	uint64_t now = clock_interpolation_now(&c, world_ticks(&w, 7 * S + 500 * MS));
	CHECK(distance(now, 7 * S + 500 * MS + 12) <= 20);
}

TEST(a_wide_first_reading_is_replaced_while_calibrating)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	/* the first reading took 4 ms (preempted), the real clock was read at its start */
	clock_interpolation_feed(&c, 0, world_ticks(&w, 4 * MS), 0);
	/* with that anchor the rate would be 20% off: no rate, and a new anchor */
	feed_at(&c, &w, 10 * MS);
	CHECK(c.rate == 0);
	CHECK(clock_interpolation_due(&c, world_ticks(&w, 11 * MS)));
	CHECK_EQ_U(c.anchor.us, 10 * MS);
	feed_at(&c, &w, 20 * MS);
	CHECK(!clock_interpolation_due(&c, world_ticks(&w, 21 * MS)));
	CHECK(distance(clock_interpolation_now(&c, world_ticks(&w, 29 * MS)), 29 * MS) <= 1);
}

TEST(a_wider_anchor_is_replaced_by_a_better_pair)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	/* 100 us, read at its start: usable over 10 ms (the widths are 1/100), 0.5% off */
	clock_interpolation_feed(&c, 0, world_ticks(&w, 100), 0);
	feed_at(&c, &w, 10 * MS);
	CHECK(c.rate != 0);
	CHECK_EQ_U(c.anchor.us, 0);
	/* from 10 ms to 20 ms, two quick readings: the better pair */
	feed_at(&c, &w, 20 * MS);
	CHECK_EQ_U(c.anchor.us, 10 * MS);
	CHECK_EQ_U(c.end.us, 20 * MS);
	CHECK(distance(clock_interpolation_now(&c, world_ticks(&w, 30 * MS)), 30 * MS) <= 1);
}

TEST(a_wide_reading_is_no_end_of_the_baseline)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	/* 3 ms, read at its start: as an end, it would make the rate 750 ppm off */
	feed_wide(&c, &w, 3 * S, 3 * MS, 3 * S);
	CHECK_EQ_U(c.end.us, 2 * S);
	CHECK_EQ_U(c.last.us, 3 * S);
	CHECK(distance(clock_interpolation_now(&c, world_ticks(&w, 3 * S + 900 * MS)),
	               3 * S + 900 * MS) <= 1);
}

TEST(horizon_is_the_baseline_without_a_wide_reading_after_it)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 10 * MS);
	/* a reading of 1 ms at 15 ms: no end (64 ms would be needed), the baseline is 10 ms */
	feed_wide(&c, &w, 15 * MS, 1 * MS, 15 * MS + 500);
	CHECK_EQ_U(c.end.us, 10 * MS);
	CHECK(!clock_interpolation_due(&c, world_ticks(&w, 25 * MS)));
	CHECK(clock_interpolation_due(&c, world_ticks(&w, 25 * MS + 500)));
}

TEST(rate_change_after_a_wide_reading_starts_from_it)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 2 * S);
	/* a reading of 3 ms at 3 s, the real clock read at its midpoint: no end */
	uint64_t before = feed_wide(&c, &w, 3 * S, 3 * MS, 3 * S + 1500);
	CHECK_EQ_U(c.end.us, 2 * S);
	/* from there on 2000 ticks per us: the rate of the latest interval, not a mix */
	struct world slow = { .ticks0 = before + 1500 * 3000,
		                  .us0 = 3 * S + 1500,
		                  .ticks_per_us = 2000 };
	feed_at(&c, &slow, 4 * S);
	CHECK_EQ_U(c.anchor.us, 3 * S + 1500);
	CHECK(distance(clock_interpolation_now(&c, world_ticks(&slow, 4 * S + 900 * MS)),
	               4 * S + 900 * MS) <= 1);
}

TEST(only_baselines_well_above_the_widths_give_a_rate)
{
	struct world w = { .ticks0 = 0, .us0 = 0, .ticks_per_us = 3000 };
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	/* readings of 200 us every millisecond: a rate once the baseline is 64 x 400 us */
	for (uint64_t us = 0; us <= 30 * MS; us += MS) {
		feed_wide(&c, &w, us, 200, us + 100);
		bool usable = us >= CLOCK_INTERPOLATION_WIDTH_SHARE * 400;
		CHECK((c.rate != 0) == usable);
		CHECK_EQ_U(c.anchor.us, 100);
		CHECK(distance(c.base_us, us + 100) <= 1); /* each a reading at its midpoint */
	}
}

/* ticks and microseconds of a century, at 4 GHz: no overflow, and still exact */
TEST(long_runs_do_not_overflow)
{
	uint64_t const century_us = 100ull * 365 * 24 * 3600 * S;
	struct world w = { .ticks0 = 1000, .us0 = 0, .ticks_per_us = 4000 };
	CHECK(world_ticks(&w, century_us) > (1ull << 63)); /* the counter's top bit is in use */
	struct clock_interpolation c;
	clock_fed_twice(&c, &w, 0, 20 * MS);
	feed_at(&c, &w, century_us);
	CHECK(!clock_interpolation_due(&c, world_ticks(&w, century_us + 999 * MS)));
	uint64_t now = clock_interpolation_now(&c, world_ticks(&w, century_us + 999 * MS));
	CHECK(distance(now, century_us + 999 * MS) <= 1);

	/* a real clock near its end: estimates saturate instead of wrapping */
	struct clock_interpolation e;
	clock_interpolation_init(&e);
	clock_interpolation_feed(&e, 0, 0, UINT64_MAX - 2 * S);
	clock_interpolation_feed(&e, 1000 * S, 1000 * S, UINT64_MAX - 1 * S);
	CHECK(e.rate != 0);
	CHECK_EQ_U(clock_interpolation_now(&e, 1000 * S + 1000 * 500 * MS), UINT64_MAX - S / 2);
	CHECK_EQ_U(clock_interpolation_now(&e, UINT64_MAX), UINT64_MAX);
	CHECK_EQ_U(clock_interpolation_now(&e, 1000 * S), UINT64_MAX); /* never back */
}

TEST(counter_that_stands_still_gives_no_rate)
{
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	clock_interpolation_feed(&c, 500, 500, 0);
	clock_interpolation_feed(&c, 500, 500, 50 * MS);
	CHECK(c.rate == 0);
	CHECK(clock_interpolation_due(&c, 500));
	CHECK_EQ_U(clock_interpolation_now(&c, 500), 50 * MS);
}

TEST(counter_beyond_2_to_the_40_ticks_per_us_gives_no_rate)
{
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	clock_interpolation_feed(&c, 0, 0, 0);
	uint64_t t = (1ull << 41) * 10 * MS;
	clock_interpolation_feed(&c, t, t, 10 * MS);
	CHECK(c.rate == 0);
	CHECK(clock_interpolation_due(&c, t + 1));
}

/* a caller's whole life: readings stay rare, the clock stays close and monotonic */
TEST(caller_loop_over_a_minute)
{
	struct world w = { .ticks0 = 123456, .us0 = 42, .ticks_per_us = 2900 };
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	unsigned readings = 0;
	uint64_t previous = 0, worst = 0;
	for (uint64_t us = 42; us < 42 + 60ull * S; us += 97) {
		uint64_t now = read_at(&c, &w, us, &readings);
		CHECK(now >= previous);
		if (c.rate && distance(now, us) > worst) worst = distance(now, us);
		previous = now;
	}
	CHECK(worst <= 1);
	/* one each 97 us to calibrate, 7 that double the baseline, then one a second */
	CHECK(readings <= CLOCK_INTERPOLATION_CALIBRATION_MIN_US / 97 + 1 + 7 +
	                      60 * S / CLOCK_INTERPOLATION_RESYNC_US);
}

/*
 * A caller whose readings take 5 to 50 us, one in 50 of them 2 to 5 ms (the
 * thread preempted), the real clock read anywhere in them, at 3100 ticks per
 * us: monotonic, never below a reading once it ended, and close.
 */
TEST(random_readings_keep_the_promises)
{
	struct world w = { .ticks0 = 999, .us0 = 10, .ticks_per_us = 3100 };
	struct clock_interpolation c;
	clock_interpolation_init(&c);
	uint64_t state = 0x9e3779b97f4a7c15ull, previous = 0, worst = 0;
	unsigned readings = 0;
	for (uint64_t us = 10; us < 10 + 30ull * S;) {
		uint64_t t = world_ticks(&w, us);
		if (clock_interpolation_due(&c, t)) {
			uint64_t width_us = 5 + unit_random_next(&state) % 46;
			if (unit_random_next(&state) % 50 == 0)
				width_us = 2000 + unit_random_next(&state) % 3001;
			uint64_t read_us = us + unit_random_next(&state) % (width_us + 1);
			us += width_us;
			clock_interpolation_feed(&c, t, world_ticks(&w, us), read_us);
			t = world_ticks(&w, us);
			readings++;
			uint64_t now = clock_interpolation_now(&c, t);
			CHECK(now >= read_us);
			CHECK(now >= previous);
			previous = now;
		}
		uint64_t now = clock_interpolation_now(&c, t);
		CHECK(now >= previous);
		if (c.rate && distance(now, us) > worst) worst = distance(now, us);
		previous = now;
		us += 1 + unit_random_next(&state) % 300;
	}
	/* the error: half a quick reading, plus the rate's error over at most its baseline */
	CHECK(worst <= 100);
	/* some 65 readings to calibrate (each call), 7 that double the baseline, 30 */
	CHECK(readings <= 150);
}
