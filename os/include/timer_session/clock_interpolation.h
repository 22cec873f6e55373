/* SPDX-License-Identifier: MIT */
/**
 * \brief clock interpolation: a clock between real readings, from a tick counter
 *
 * A real clock that is expensive to read (the Timer session's elapsed_us, an
 * RPC) and a counter that is cheap to read but counts at an unknown rate (the
 * CPU's time-stamp counter, <base/timestamp.h>) make a clock that is both
 * cheap and right: read the real clock now and then, calibrate the counter
 * against it, and in between turn the ticks since the last real reading into
 * microseconds. This module is the arithmetic alone: it reads neither clock.
 * The caller passes ticks and real readings in; timer_connection_now_us() in
 * <timer_session/connection.h> is its user.
 *
 * A real reading is a sample: the counter read right before and right after
 * the call that read the real clock, and what that clock said. The sample's
 * ticks are the midpoint of the two (where the real clock was read, within
 * half the call's duration, its "width").
 *
 * Calibration. The rate (microseconds per tick) is measured over a
 * baseline: from the anchor, an early sample, to the end, a later one. The
 * longer the baseline, the less the samples' widths weigh. A baseline counts
 * when it spans CLOCK_INTERPOLATION_CALIBRATION_MIN_US of real time and the
 * two samples' widths are at most 1/CLOCK_INTERPOLATION_WIDTH_SHARE of it;
 * until then there is no rate, and every reading is real. At each sample the
 * baseline becomes the most certain (least width per tick, then longest) of
 * anchor-to-sample, end-to-sample and anchor-to-end:
 *   - normally the anchor stays and the sample is the new end;
 *   - a reading that took long (the thread was preempted during the call)
 *     becomes no end, and an anchor of that kind is replaced once a better
 *     pair comes (while calibrating: by a sample eight times narrower);
 *   - if a sample is off what the rate predicted by more than the samples'
 *     widths plus 1/1024 of the interval, the counter's rate changed, and the
 *     baseline starts over from the latest interval that counts.
 *
 * Estimates count from the base: the clock at the latest sample's ticks.
 * Without a rate that is the reading. With one, the reading only says that
 * the real clock was read somewhere between before and after; the base is
 * the estimate from the sample before if that fits in there, else the
 * nearer end. So a quick reading sets the clock to itself (within half its
 * width), and a reading that took long leaves the estimate where it was
 * instead of moving it by up to half its duration.
 *
 * When a real reading is due (clock_interpolation_due):
 *   - without a rate (the first CALIBRATION_MIN_US of readings, or after the
 *     counter went backwards);
 *   - when the counter is below the latest sample's (another CPU's counter,
 *     a counter that was reset);
 *   - when the estimated time since the latest sample reaches the baseline
 *     or CLOCK_INTERPOLATION_RESYNC_US, whichever is shorter: the estimate
 *     never reaches further than the rate was measured over, so the rate's
 *     error costs at most about the samples' widths, and once calibrated the
 *     resynchronisation interval doubles up to a second. An absurd estimate
 *     (a jump of the counter by years) is past that too.
 *
 * Monotonic: clock_interpolation_now() never returns less than it returned
 * before, nor, from the end of a real reading on (ticks at or past its
 * ticks_after), less than what that reading said. A real reading that is
 * earlier than the estimates returned before it (the counter ran a little
 * fast) holds the clock where it was until the new estimate passes it.
 *
 * The arithmetic cannot overflow: ticks and microseconds are 64-bit and only
 * their differences are scaled (with a 128-bit product); estimates saturate.
 *
 * Not thread-safe: one struct is used by one thread at a time (or under the
 * caller's lock). No allocation, no system call, freestanding.
 */

#ifndef _TIMER_SESSION_CLOCK_INTERPOLATION_H_
#define _TIMER_SESSION_CLOCK_INTERPOLATION_H_

#include <stdbool.h>
#include <stdint.h>

enum {
	/* the shortest baseline that gives a rate, in microseconds of the real clock */
	CLOCK_INTERPOLATION_CALIBRATION_MIN_US = 10000,
	/* the longest estimate between real readings, in microseconds */
	CLOCK_INTERPOLATION_RESYNC_US = 1000000,
	/* a baseline counts when its samples' widths are at most this share of it */
	CLOCK_INTERPOLATION_WIDTH_SHARE = 64,
	/* fractional bits of the rate (microseconds per tick) */
	CLOCK_INTERPOLATION_RATE_SHIFT = 40,
};

/* one real reading */
struct clock_sample
{
	uint64_t ticks; /* the counter at the midpoint of the reading */
	uint64_t width; /* ticks from before the reading to after it */
	uint64_t us;    /* what the real clock said */
};

/*
 * The interpolation's state. The fields are public so that the struct can be
 * embedded (in a timer connection); only the functions below change them.
 */
struct clock_interpolation
{
	struct clock_sample anchor; /* the start of the baseline (if `anchored`) */
	struct clock_sample end;    /* the end of the baseline */
	struct clock_sample last;   /* the latest sample (all 0 before the first) */
	uint64_t base_us;           /* the clock at last.ticks (see the file comment) */
	/*
	 * microseconds per tick << CLOCK_INTERPOLATION_RATE_SHIFT; 0: no rate.
	 * Per tick rather than ticks per microsecond: an estimate is then a
	 * multiplication and a shift, no division. At 3 GHz the rate holds
	 * some 366 million units: a part in 10^8.
	 */
	uint64_t rate;
	uint64_t returned_us; /* the latest value that now() returned */
	bool anchored;        /* `anchor` holds a sample whose ticks can be trusted */
};

/** start without samples: the first reading is due */
void clock_interpolation_init(struct clock_interpolation *clock);

/**
 * Take in a real reading.
 *
 * \param ticks_before  the counter right before the real clock was read
 * \param ticks_after   the counter right after it
 * \param us            what the real clock said; it must not go backwards
 *                      (a reading below the one before drops the rate, as
 *                      when the counter goes backwards)
 *
 * A counter that went backwards (ticks_after below ticks_before, or the
 * midpoint below the latest sample's) drops the rate and the anchor: the next
 * readings start the calibration over. The values that now() returns stay
 * monotonic across that.
 */
void clock_interpolation_feed(struct clock_interpolation *clock, uint64_t ticks_before,
                              uint64_t ticks_after, uint64_t us);

/**
 * Whether the next value should come from a real reading, with the counter at
 * `ticks` (see the file comment for when). Changes nothing.
 */
bool clock_interpolation_due(struct clock_interpolation const *clock, uint64_t ticks)
    __attribute__((warn_unused_result));

/**
 * The clock in microseconds with the counter at `ticks`: the base (the
 * clock at the latest sample) plus the ticks since that sample at the
 * calibrated rate, and never less than the value returned before. Without a
 * rate, or with `ticks` below the latest sample's, it is the base (or the
 * value returned before):
 * ask clock_interpolation_due() first and feed a reading when it says so.
 * Before any reading it returns 0.
 */
uint64_t clock_interpolation_now(struct clock_interpolation *clock, uint64_t ticks)
    __attribute__((warn_unused_result));

#endif /* _TIMER_SESSION_CLOCK_INTERPOLATION_H_ */
