/* SPDX-License-Identifier: MIT */
/**
 * \brief randomized stress of base/allocator_avl against a byte-map reference
 *
 * The reference knows, for every address of a 64 KiB universe, whether it is
 * unmanaged, free or allocated (and by which allocation). From it each step
 * derives the one correct answer, best fit included, and after each step the
 * allocator's invariants and byte counts must match it. A failure prints the
 * seed and step; TEST_SEED=<n> reruns with another seed.
 */

#include "test_support.h"

enum {
	UNIVERSE = 0x10000,
	STEPS = 6000,
	UNMANAGED = 0,
	FREE = -1,
};

/* the universe starts at an odd-looking address, not at 0 */
static uintptr_t const BASE = 0x7f30000;

/* what the random steps did: every kind must have happened for a run to count */
enum outcome {
	ALLOC_FITTED,
	ALLOC_OUT_OF_SPACE,
	ALLOC_ADDR_OK,
	ALLOC_ADDR_CONFLICT,
	FREED,
	FREE_REJECTED,
	OUTCOMES
};

static unsigned outcomes[OUTCOMES];

struct record
{
	uintptr_t addr;
	size_t size;
};

struct reference
{
	int state[UNIVERSE]; /* UNMANAGED, FREE, or the record index (> 0) */
	struct record records[STEPS + 2];
	int record_count;
	int live[STEPS + 2]; /* indices of the live records, unordered */
	int live_count;
	size_t available, used;
};

struct run
{
	uintptr_t base;
	size_t size;
};

static struct reference ref;
static struct run runs[UNIVERSE / 2 + 1];

static bool in_universe(uintptr_t addr, size_t size)
{
	return addr >= BASE && size <= UNIVERSE && addr - BASE <= UNIVERSE - size;
}

/* whether every address of [addr, addr + size) is in `state` */
static bool all_in_state(uintptr_t addr, size_t size, int state)
{
	if (!in_universe(addr, size))
		return state == UNMANAGED && (addr >= BASE + UNIVERSE || addr + size <= BASE);
	for (size_t i = 0; i < size; i++)
		if (ref.state[addr - BASE + i] != state) return false;
	return true;
}

static void set_state(uintptr_t addr, size_t size, int state)
{
	for (size_t i = 0; i < size; i++) ref.state[addr - BASE + i] = state;
}

static void reference_add(uintptr_t addr, size_t size)
{
	set_state(addr, size, FREE);
	ref.available += size;
}

static void reference_allocate(uintptr_t addr, size_t size)
{
	int id = ++ref.record_count;
	ref.records[id] = (struct record){ addr, size };
	ref.live[ref.live_count++] = id;
	set_state(addr, size, id);
	ref.available -= size;
	ref.used += size;
}

static void reference_free(int id)
{
	for (int i = 0; i < ref.live_count; i++)
		if (ref.live[i] == id) ref.live[i] = ref.live[--ref.live_count];
	set_state(ref.records[id].addr, ref.records[id].size, FREE);
	ref.available += ref.records[id].size;
	ref.used -= ref.records[id].size;
}

/* the free runs, in address order */
static int collect_runs(void)
{
	int count = 0;
	for (size_t i = 0; i < UNIVERSE;) {
		if (ref.state[i] != FREE) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < UNIVERSE && ref.state[i] == FREE) i++;
		runs[count++] = (struct run){ BASE + start, i - start };
	}
	return count;
}

static int run_order(void const *x, void const *y)
{
	struct run const *a = x, *b = y;
	if (a->size != b->size) return a->size < b->size ? -1 : 1;
	return a->base < b->base ? -1 : a->base > b->base;
}

static bool run_fits(struct run const *r, size_t size, uintptr_t align, uintptr_t *start)
{
	uintptr_t aligned = (r->base + align - 1) & ~(align - 1);
	if (aligned - r->base >= r->size || r->size - (aligned - r->base) < size) return false;
	*start = aligned;
	return true;
}

/*
 * The answer the header promises for alloc_aligned: the first fitting block
 * among the first ALLOCATOR_AVL_FIT_SCAN big-enough ones in (size, address)
 * order; past them the smallest block of at least size + align - 1; failing
 * that any later fitting one. Returns false for OUT_OF_SPACE.
 */
static bool expected_fit(size_t size, uintptr_t align, uintptr_t *start)
{
	int count = collect_runs();
	qsort(runs, (size_t)count, sizeof(runs[0]), run_order);
	int i = 0;
	while (i < count && runs[i].size < size) i++;
	int tried = 0;
	for (; i < count && tried < ALLOCATOR_AVL_FIT_SCAN; i++, tried++)
		if (run_fits(&runs[i], size, align, start)) return true;
	if (i == count) return false;
	for (int j = i; j < count; j++)
		if (runs[j].size >= size + align - 1) return run_fits(&runs[j], size, align, start);
	for (; i < count; i++)
		if (run_fits(&runs[i], size, align, start)) return true;
	return false;
}

static void check_lookup(struct allocator_avl const *a, uintptr_t addr, uint64_t seed,
                         unsigned step)
{
	struct range_allocator_lookup_ret r = allocator_avl_lookup(a, addr);
	int state = in_universe(addr, 1) ? ref.state[addr - BASE] : UNMANAGED;
	if (state == UNMANAGED) {
		CHECK_RANDOM(r.result == RANGE_ALLOCATOR_LOOKUP_NOT_MANAGED, seed, step);
	} else if (state == FREE) {
		size_t low = addr - BASE;
		size_t high = low;
		while (low > 0 && ref.state[low - 1] == FREE) low--;
		while (high + 1 < UNIVERSE && ref.state[high + 1] == FREE) high++;
		CHECK_RANDOM(r.result == RANGE_ALLOCATOR_LOOKUP_FREE, seed, step);
		CHECK_RANDOM(r.base == BASE + low && r.size == high - low + 1, seed, step);
	} else {
		CHECK_RANDOM(r.result == RANGE_ALLOCATOR_LOOKUP_OK, seed, step);
		CHECK_RANDOM(r.base == ref.records[state].addr && r.size == ref.records[state].size,
		             seed, step);
	}
}

/* the blocks of `a` are exactly the reference's free runs and allocations */
static void check_blocks_match(struct allocator_avl const *a, uint64_t seed, unsigned step)
{
	static struct snapshot s;
	snapshot_take(a, &s);
	unsigned k = 0;
	for (size_t i = 0; i < UNIVERSE;) {
		int state = ref.state[i];
		size_t start = i;
		if (state == UNMANAGED) {
			i++;
			continue;
		}
		while (i < UNIVERSE && ref.state[i] == state) i++;
		CHECK_RANDOM(k < s.count, seed, step);
		CHECK_RANDOM(s.blocks[k].base == BASE + start && s.blocks[k].size == i - start, seed,
		             step);
		CHECK_RANDOM(s.blocks[k].used == (state != FREE), seed, step);
		k++;
	}
	CHECK_RANDOM(k == s.count, seed, step);
}

static size_t random_size(uint64_t *state)
{
	uint64_t r = unit_random_next(state);
	return 1 + (size_t)(unit_random_next(state) % (r % 4 == 0 ? 2048 : r % 4 == 1 ? 16 : 200));
}

static void setup_ranges(struct allocator_avl *a)
{
	static struct run const initial[] = {
		{ 0x0, 0x3000 },    { 0x4000, 0x2000 }, { 0x6000, 0x1000 }, /* touches the one before */
		{ 0x9001, 0x5fff }, { 0xf400, 0xc00 },
	};
	memset(&ref, 0, sizeof(ref));
	for (unsigned i = 0; i < sizeof(initial) / sizeof(initial[0]); i++) {
		CHECK_EQ(allocator_avl_add_range(a, BASE + initial[i].base, initial[i].size),
		         RANGE_ALLOCATOR_ADD_OK);
		reference_add(BASE + initial[i].base, initial[i].size);
	}
}

/* one random operation of the alloc/alloc_addr/free family, checked */
static void random_allocation_step(struct allocator_avl *a, uint64_t *state, uint64_t seed,
                                   unsigned step)
{
	unsigned op = (unsigned)(unit_random_next(state) % 100);
	if (op < 45) {
		size_t size = random_size(state);
		uint64_t r = unit_random_next(state);
		unsigned align_log2 = (unsigned)(r % 3 == 0 ? (r >> 8) % 13 : (r >> 8) % 4);
		uintptr_t expected = 0;
		bool fit = expected_fit(size, (uintptr_t)1 << align_log2, &expected);
		struct range_allocator_alloc_ret got = allocator_avl_alloc_aligned(a, size, align_log2);
		if (fit) {
			CHECK_RANDOM(got.result == RANGE_ALLOCATOR_ALLOC_OK, seed, step);
			CHECK_RANDOM(got.addr == expected, seed, step);
			CHECK_RANDOM(all_in_state(got.addr, size, FREE), seed, step);
			reference_allocate(got.addr, size);
			outcomes[ALLOC_FITTED]++;
		} else {
			CHECK_RANDOM(got.result == RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE, seed, step);
			outcomes[ALLOC_OUT_OF_SPACE]++;
		}
	} else if (op < 60) {
		size_t size = random_size(state);
		uintptr_t addr = BASE - 64 + (uintptr_t)(unit_random_next(state) % (UNIVERSE + 128));
		struct range_allocator_alloc_ret got = allocator_avl_alloc_addr(a, size, addr);
		if (in_universe(addr, size) && all_in_state(addr, size, FREE)) {
			CHECK_RANDOM(got.result == RANGE_ALLOCATOR_ALLOC_OK && got.addr == addr, seed,
			             step);
			reference_allocate(addr, size);
			outcomes[ALLOC_ADDR_OK]++;
		} else {
			CHECK_RANDOM(got.result == RANGE_ALLOCATOR_ALLOC_CONFLICT, seed, step);
			outcomes[ALLOC_ADDR_CONFLICT]++;
		}
	} else if (op < 95) {
		if (ref.live_count == 0) return;
		int id = ref.live[unit_random_next(state) % (uint64_t)ref.live_count];
		CHECK_RANDOM(allocator_avl_free(a, ref.records[id].addr) == RANGE_ALLOCATOR_FREE_OK,
		             seed, step);
		reference_free(id);
		outcomes[FREED]++;
	} else {
		/* an address that may or may not start a block: often a freed one */
		uintptr_t addr =
		    ref.record_count && op < 98
		        ? ref.records[1 + unit_random_next(state) % (uint64_t)ref.record_count].addr
		        : BASE + (uintptr_t)(unit_random_next(state) % UNIVERSE);
		int owner = in_universe(addr, 1) ? ref.state[addr - BASE] : UNMANAGED;
		enum range_allocator_free_result got = allocator_avl_free(a, addr);
		if (owner > 0 && ref.records[owner].addr == addr) {
			CHECK_RANDOM(got == RANGE_ALLOCATOR_FREE_OK, seed, step);
			reference_free(owner);
			outcomes[FREED]++;
		} else {
			CHECK_RANDOM(got == RANGE_ALLOCATOR_FREE_NOT_ALLOCATED, seed, step);
			outcomes[FREE_REJECTED]++;
		}
	}
}

/* add or remove a random range of the universe, checked */
static void random_range_step(struct allocator_avl *a, uint64_t *state, uint64_t seed,
                              unsigned step)
{
	size_t size = 1 + (size_t)(unit_random_next(state) % 512);
	uintptr_t addr = BASE + (uintptr_t)(unit_random_next(state) % (UNIVERSE - size + 1));
	if (unit_random_next(state) % 2) {
		enum range_allocator_add_result got = allocator_avl_add_range(a, addr, size);
		if (all_in_state(addr, size, UNMANAGED)) {
			CHECK_RANDOM(got == RANGE_ALLOCATOR_ADD_OK, seed, step);
			reference_add(addr, size);
		} else {
			CHECK_RANDOM(got == RANGE_ALLOCATOR_ADD_OVERLAP, seed, step);
		}
	} else {
		/* often the whole, the start or the end of a free block instead */
		struct range_allocator_lookup_ret free = allocator_avl_lookup(a, addr);
		unsigned shape = (unsigned)(unit_random_next(state) % 4);
		if (free.result == RANGE_ALLOCATOR_LOOKUP_FREE && shape < 3) {
			size = shape == 0 ? free.size : 1 + (size_t)(unit_random_next(state) % free.size);
			addr = shape == 2 ? free.base + free.size - size : free.base;
		}
		enum range_allocator_remove_result got = allocator_avl_remove_range(a, addr, size);
		if (all_in_state(addr, size, FREE)) {
			CHECK_RANDOM(got == RANGE_ALLOCATOR_REMOVE_OK, seed, step);
			set_state(addr, size, UNMANAGED);
			ref.available -= size;
		} else {
			CHECK_RANDOM(got == RANGE_ALLOCATOR_REMOVE_NOT_FREE, seed, step);
		}
	}
}

static void check_step(struct allocator_avl const *a, uint64_t *state, uint64_t seed,
                       unsigned step)
{
	CHECK_RANDOM(allocator_avl_check(a), seed, step);
	CHECK_RANDOM(allocator_avl_available(a) == ref.available, seed, step);
	CHECK_RANDOM(allocator_avl_used(a) == ref.used, seed, step);
	check_lookup(a, BASE - 8 + (uintptr_t)(unit_random_next(state) % (UNIVERSE + 16)), seed,
	             step);
	if (step % 256 == 0) check_blocks_match(a, seed, step);
}

static void free_everything(struct allocator_avl *a, uint64_t seed)
{
	while (ref.live_count) {
		int id = ref.live[ref.live_count - 1];
		CHECK_RANDOM(allocator_avl_free(a, ref.records[id].addr) == RANGE_ALLOCATOR_FREE_OK,
		             seed, STEPS);
		reference_free(id);
	}
	CHECK(allocator_avl_check(a));
	CHECK_EQ(allocator_avl_used(a), 0);
}

TEST(random_alloc_free_against_reference)
{
	uint64_t seed = test_seed(0xa110ca7e), state = seed;
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	setup_ranges(&a);
	size_t original = ref.available;

	for (unsigned step = 0; step < STEPS; step++) {
		random_allocation_step(&a, &state, seed, step);
		check_step(&a, &state, seed, step);
	}
	/* the run went through every kind of outcome, exhaustion included */
	for (unsigned i = 0; i < OUTCOMES; i++) CHECK(outcomes[i] > 0);
	free_everything(&a, seed);

	/* exactly the original ranges are left, merged where they touch */
	static struct snapshot s;
	snapshot_take(&a, &s);
	static struct snapshot_block const expected[] = {
		{ 0x0, 0x3000, false },
		{ 0x4000, 0x3000, false },
		{ 0x9001, 0x5fff, false },
		{ 0xf400, 0xc00, false },
	};
	CHECK_EQ(s.count, 4);
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ_U(s.blocks[i].base, BASE + expected[i].base);
		CHECK_EQ_U(s.blocks[i].size, expected[i].size);
		CHECK(!s.blocks[i].used);
	}
	CHECK_EQ(allocator_avl_available(&a), original);
	CHECK_EQ(slab_used_blocks(&a.metadata), 4);
	allocator_avl_destroy(&a);
	CHECK_EQ(b.outstanding, 0);
}

TEST(random_with_ranges_added_and_removed)
{
	uint64_t seed = test_seed(0x7a9e5eed), state = seed;
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	setup_ranges(&a);

	for (unsigned step = 0; step < STEPS; step++) {
		if (unit_random_next(&state) % 8 == 0)
			random_range_step(&a, &state, seed, step);
		else
			random_allocation_step(&a, &state, seed, step);
		check_step(&a, &state, seed, step);
	}
	free_everything(&a, seed);
	check_blocks_match(&a, seed, STEPS);
	allocator_avl_destroy(&a);
	CHECK_EQ(b.outstanding, 0);
}
