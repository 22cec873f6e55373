/* SPDX-License-Identifier: MIT */
/** \brief clock interpolation: a clock between real readings, from a tick counter */

#include <stddef.h>

#include <timer_session/clock_interpolation.h>

typedef unsigned __int128 clock_u128;

static uint64_t clock_add_saturated(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * `ticks` in microseconds at `rate`, rounded to the nearest (the rate is
 * truncated, so rounding down would make every estimate a hair short);
 * saturates. A product of 64-bit values fits 128 bits, and so does the sum.
 */
static uint64_t clock_ticks_to_us(uint64_t rate, uint64_t ticks)
{
	clock_u128 product = (clock_u128)ticks * rate;
	clock_u128 us = (product + (1ull << (CLOCK_INTERPOLATION_RATE_SHIFT - 1))) >>
	                CLOCK_INTERPOLATION_RATE_SHIFT;
	return us > UINT64_MAX ? UINT64_MAX : (uint64_t)us;
}

/*
 * The rate of `ticks` over `us`, in microseconds per tick with RATE_SHIFT
 * fractional bits; 0 when there is none (no ticks, or more than 2^40 ticks
 * per microsecond). `us << RATE_SHIFT` must fit 64 bits, so a baseline of
 * more than 2^24 us (16 s) is shortened, both sides alike: the bits dropped
 * are below the samples' widths. A 64-bit division: no 128-bit one, which
 * would need a helper of libgcc.
 */
static uint64_t clock_rate(uint64_t us, uint64_t ticks)
{
	if (us >> (64 - CLOCK_INTERPOLATION_RATE_SHIFT)) {
		unsigned shift = (64 - __builtin_clzll(us)) - (64 - CLOCK_INTERPOLATION_RATE_SHIFT);
		us >>= shift;
		ticks >>= shift;
	}
	if (ticks == 0) return 0;
	return (us << CLOCK_INTERPOLATION_RATE_SHIFT) / ticks;
}

void clock_interpolation_init(struct clock_interpolation *clock)
{
	*clock = (struct clock_interpolation){ .rate = 0 };
}

/* start the calibration over at `sample` (trusted: it becomes the anchor) */
static void clock_restart(struct clock_interpolation *clock, struct clock_sample sample,
                          bool trusted)
{
	clock->anchor = sample;
	clock->end = sample;
	clock->last = sample;
	clock->base_us = sample.us;
	clock->anchored = trusted;
	clock->rate = 0;
}

/* two samples that make a baseline */
struct clock_pair
{
	struct clock_sample from, to;
};

/*
 * Whether a pair may give the rate: CALIBRATION_MIN_US of real time apart,
 * and the samples' widths together at most 1/CLOCK_INTERPOLATION_WIDTH_SHARE
 * of the ticks between them (the rate's error is below that share).
 */
static bool clock_pair_usable(struct clock_pair p)
{
	uint64_t widths = clock_add_saturated(p.from.width, p.to.width);
	return p.to.us - p.from.us >= CLOCK_INTERPOLATION_CALIBRATION_MIN_US &&
	       (clock_u128)widths * CLOCK_INTERPOLATION_WIDTH_SHARE <= p.to.ticks - p.from.ticks;
}

/*
 * Whether pair `a` gives a more certain rate than `b`: its samples' widths
 * weigh less against its baseline, or as much over a longer baseline.
 * Cross-multiplied, in 128 bits.
 */
static bool clock_pair_better(struct clock_pair a, struct clock_pair b)
{
	uint64_t a_ticks = a.to.ticks - a.from.ticks, b_ticks = b.to.ticks - b.from.ticks;
	clock_u128 a_weight = (clock_u128)clock_add_saturated(a.from.width, a.to.width) * b_ticks;
	clock_u128 b_weight = (clock_u128)clock_add_saturated(b.from.width, b.to.width) * a_ticks;
	return a_weight < b_weight || (a_weight == b_weight && a_ticks > b_ticks);
}

/*
 * Whether `sample` is off what the rate predicts from the end of the baseline
 * by more than the samples' uncertainty plus 1/1024 of the interval: the
 * counter's rate changed.
 */
static bool clock_rate_changed(struct clock_interpolation const *clock,
                               struct clock_sample sample)
{
	uint64_t interval = sample.us - clock->end.us;
	uint64_t estimate = clock_ticks_to_us(clock->rate, sample.ticks - clock->end.ticks);
	uint64_t error = estimate > interval ? estimate - interval : interval - estimate;
	uint64_t widths = clock_add_saturated(clock->anchor.width,
	                                      clock_add_saturated(clock->end.width, sample.width));
	return error > clock_add_saturated(interval / 1024, clock_ticks_to_us(clock->rate, widths));
}

/*
 * The baseline after `sample`: the most certain usable pair of the anchor,
 * the end and the sample; after a change of the counter's rate, the latest
 * usable interval. No usable pair (calibrating): the anchor stays, unless the
 * sample is much narrower (the anchor's reading took long), and the sample
 * is the end.
 */
static struct clock_pair clock_baseline(struct clock_interpolation const *clock,
                                        struct clock_sample sample)
{
	struct clock_pair to_sample = { clock->end, sample };
	if (clock->rate && clock_pair_usable(to_sample) && clock_rate_changed(clock, sample)) {
		struct clock_pair latest = { clock->last, sample };
		return clock_pair_usable(latest) ? latest : to_sample;
	}

	struct clock_pair candidates[] = {
		{ clock->anchor, sample },
		{ clock->end, sample },
		{ clock->anchor, clock->end },
	};
	struct clock_pair const *best = NULL;
	for (unsigned i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (!clock_pair_usable(candidates[i])) continue;
		if (!best || clock_pair_better(candidates[i], *best)) best = &candidates[i];
	}
	if (best) return *best;

	bool narrower = (clock_u128)sample.width * 8 < clock->anchor.width;
	return (struct clock_pair){ narrower ? sample : clock->anchor, sample };
}

void clock_interpolation_feed(struct clock_interpolation *clock, uint64_t ticks_before,
                              uint64_t ticks_after, uint64_t us)
{
	if (ticks_after < ticks_before) {
		/* the counter went back during the reading: its ticks say nothing */
		clock_restart(clock, (struct clock_sample){ ticks_after, 0, us }, false);
		return;
	}
	struct clock_sample sample = {
		.ticks = ticks_before + (ticks_after - ticks_before) / 2,
		.width = ticks_after - ticks_before,
		.us = us,
	};
	/* the first trusted sample, or one that went backwards: the calibration starts over */
	if (!clock->anchored || sample.ticks < clock->last.ticks || us < clock->last.us) {
		clock_restart(clock, sample, true);
		return;
	}

	/* what the clock said for the sample's ticks, before this sample */
	uint64_t estimate = clock_add_saturated(
	    clock->base_us, clock_ticks_to_us(clock->rate, sample.ticks - clock->last.ticks));
	bool estimated = clock->rate != 0;

	struct clock_pair baseline = clock_baseline(clock, sample);
	clock->anchor = baseline.from;
	clock->end = baseline.to;
	clock->last = sample;
	clock->rate = clock_pair_usable(baseline)
	                  ? clock_rate(baseline.to.us - baseline.from.us,
	                               baseline.to.ticks - baseline.from.ticks)
	                  : 0;

	/*
	 * The base: the real clock was read at some tick between before and
	 * after, so at the midpoint it was at least the reading less the time
	 * from the midpoint to after, and at most the reading plus the time from
	 * before to the midpoint (at the new rate, so that the clock at `after`
	 * is never below the reading). The estimate if it lies there, else the
	 * nearer bound: a quick reading sets the clock to itself, one that took
	 * long (the thread was preempted in the call) leaves the estimate as it
	 * was instead of moving it by up to half its duration.
	 */
	clock->base_us = us;
	if (estimated && clock->rate) {
		uint64_t to_after = clock_ticks_to_us(clock->rate, ticks_after - sample.ticks);
		uint64_t low = us > to_after ? us - to_after : 0;
		uint64_t high = clock_add_saturated(
		    us, clock_ticks_to_us(clock->rate, sample.ticks - ticks_before));
		clock->base_us = estimate < low ? low : estimate > high ? high : estimate;
	}
}

bool clock_interpolation_due(struct clock_interpolation const *clock, uint64_t ticks)
{
	if (!clock->rate || ticks < clock->last.ticks) return true;
	uint64_t baseline_us = clock->end.us - clock->anchor.us;
	uint64_t horizon_us = baseline_us < CLOCK_INTERPOLATION_RESYNC_US
	                          ? baseline_us
	                          : CLOCK_INTERPOLATION_RESYNC_US;
	return clock_ticks_to_us(clock->rate, ticks - clock->last.ticks) >= horizon_us;
}

uint64_t clock_interpolation_now(struct clock_interpolation *clock, uint64_t ticks)
{
	uint64_t us = clock->base_us;
	if (clock->rate && ticks >= clock->last.ticks)
		us = clock_add_saturated(us, clock_ticks_to_us(clock->rate, ticks - clock->last.ticks));
	if (us < clock->returned_us) us = clock->returned_us;
	clock->returned_us = us;
	return us;
}
