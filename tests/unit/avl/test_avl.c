/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/avl: random operations against a sorted array, the checker */

#include <stdlib.h>

#include <util/avl.h>

#include "unit_random.h"
#include "unit_test.h"

/* a fixed seed so a failure reproduces; TEST_SEED=<n> in the environment overrides it */
static uint64_t test_seed(void)
{
	char const *text = getenv("TEST_SEED");
	return text ? strtoull(text, NULL, 0) : 0x5eed0fa71u;
}

struct item
{
	int key;
	struct avl_node node;
};

static int item_key(struct avl_node const *node)
{
	return AVL_CONTAINER(node, struct item, node)->key;
}

static int compare_int(int a, int b) { return a < b ? -1 : a > b; }

static int item_compare(struct avl_node const *a, struct avl_node const *b, void *context)
{
	(void)context;
	return compare_int(item_key(a), item_key(b));
}

static int item_key_compare(void const *key, struct avl_node const *node, void *context)
{
	(void)context;
	return compare_int(*(int const *)key, item_key(node));
}

/* context: a pointer to +1 or -1, the direction of the order */
static int item_compare_directed(struct avl_node const *a, struct avl_node const *b,
                                 void *context)
{
	return *(int *)context * compare_int(item_key(a), item_key(b));
}

static void insert_ok(struct avl_tree *tree, struct item *item)
{
	CHECK_EQ(avl_tree_insert(tree, &item->node), AVL_INSERT_OK);
}

/* the height bound of an AVL tree of n nodes: h < 1.4405 log2(n + 2), with log2 rounded up */
static bool height_within_avl_bound(int height, size_t n)
{
	int log2_ceiling = 0;
	while (((size_t)1 << log2_ceiling) < n + 2) log2_ceiling++;
	return height <= (int)(1.4405 * log2_ceiling);
}

TEST(empty_tree)
{
	struct avl_tree tree;
	avl_tree_init(&tree, item_compare, NULL);
	int key = 3;
	CHECK(avl_tree_empty(&tree));
	CHECK_EQ(avl_tree_count(&tree), 0);
	CHECK(avl_tree_first(&tree) == NULL);
	CHECK(avl_tree_last(&tree) == NULL);
	CHECK(avl_tree_find(&tree, &key, item_key_compare) == NULL);
	CHECK(avl_tree_lower_bound(&tree, &key, item_key_compare) == NULL);
	CHECK(avl_tree_upper_bound(&tree, &key, item_key_compare) == NULL);
	CHECK(avl_tree_floor(&tree, &key, item_key_compare) == NULL);
	CHECK(AVL_CONTAINER(avl_tree_first(&tree), struct item, node) == NULL);
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_OK);
}

TEST(single_node_insert_and_remove)
{
	struct avl_tree tree;
	struct item item = { .key = 5 };
	avl_tree_init(&tree, item_compare, NULL);
	insert_ok(&tree, &item);
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_OK);
	CHECK(avl_tree_first(&tree) == &item.node);
	CHECK(avl_tree_last(&tree) == &item.node);
	CHECK(avl_node_next(&item.node) == NULL);
	CHECK(avl_node_prev(&item.node) == NULL);
	avl_tree_remove(&tree, &item.node);
	CHECK(avl_tree_empty(&tree));
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_OK);
	/* a removed node can go in again */
	insert_ok(&tree, &item);
	CHECK_EQ(avl_tree_count(&tree), 1);
}

TEST(duplicate_is_rejected_and_changes_nothing)
{
	struct avl_tree tree;
	struct item a = { .key = 1 }, b = { .key = 2 }, twin = { .key = 2 };
	avl_tree_init(&tree, item_compare, NULL);
	insert_ok(&tree, &a);
	insert_ok(&tree, &b);
	CHECK_EQ(avl_tree_insert(&tree, &twin.node), AVL_INSERT_DUPLICATE);
	CHECK_EQ(avl_tree_count(&tree), 2);
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_OK);
	int key = 2;
	CHECK(avl_tree_find(&tree, &key, item_key_compare) == &b.node);
}

enum { SEQUENTIAL = 1000 };

/* ascending and descending insertion are the worst cases for an unbalanced tree */
TEST(sequential_insertion_stays_balanced)
{
	static struct item items[SEQUENTIAL];
	for (int direction = 0; direction < 2; direction++) {
		struct avl_tree tree;
		avl_tree_init(&tree, item_compare, NULL);
		for (int i = 0; i < SEQUENTIAL; i++) {
			items[i].key = direction ? SEQUENTIAL - i : i;
			insert_ok(&tree, &items[i]);
			CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_OK);
			CHECK(height_within_avl_bound(tree.root->height, avl_tree_count(&tree)));
		}
		/* remove from one end: the other worst case */
		for (int i = 0; i < SEQUENTIAL; i++) {
			avl_tree_remove(&tree, avl_tree_first(&tree));
			CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_OK);
			if (!avl_tree_empty(&tree))
				CHECK(height_within_avl_bound(tree.root->height, avl_tree_count(&tree)));
		}
		CHECK(avl_tree_empty(&tree));
	}
}

/* --- randomized against a sorted array ---------------------------------------- */

enum { KEY_RANGE = 4096, RANDOM_STEPS = 20000 };

struct reference
{
	int keys[KEY_RANGE];
	int count;
};

/* index of the first key >= key */
static int reference_lower_bound(struct reference const *ref, int key)
{
	int low = 0, high = ref->count;
	while (low < high) {
		int mid = (low + high) / 2;
		if (ref->keys[mid] < key)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

static bool reference_contains(struct reference const *ref, int key)
{
	int i = reference_lower_bound(ref, key);
	return i < ref->count && ref->keys[i] == key;
}

static void reference_insert(struct reference *ref, int key)
{
	int i = reference_lower_bound(ref, key);
	memmove(&ref->keys[i + 1], &ref->keys[i], (size_t)(ref->count - i) * sizeof(int));
	ref->keys[i] = key;
	ref->count++;
}

static void reference_remove(struct reference *ref, int key)
{
	int i = reference_lower_bound(ref, key);
	memmove(&ref->keys[i], &ref->keys[i + 1], (size_t)(ref->count - i - 1) * sizeof(int));
	ref->count--;
}

/* the whole tree, both directions, equals the reference */
static void check_walk(struct avl_tree const *tree, struct reference const *ref, uint64_t seed,
                       unsigned step)
{
	int i = 0;
	struct avl_node *node;
	AVL_TREE_FOR_EACH(node, tree)
	{
		CHECK_RANDOM(i < ref->count && item_key(node) == ref->keys[i], seed, step);
		i++;
	}
	CHECK_RANDOM(i == ref->count, seed, step);
	for (node = avl_tree_last(tree); node; node = avl_node_prev(node)) {
		i--;
		CHECK_RANDOM(i >= 0 && item_key(node) == ref->keys[i], seed, step);
	}
	CHECK_RANDOM(i == 0, seed, step);
}

/* find, lower bound, upper bound and floor of `key` agree with the reference */
static void check_lookups(struct avl_tree const *tree, struct reference const *ref, int key,
                          uint64_t seed, unsigned step)
{
	int i = reference_lower_bound(ref, key);
	bool present = i < ref->count && ref->keys[i] == key;

	struct avl_node *found = avl_tree_find(tree, &key, item_key_compare);
	CHECK_RANDOM(present ? found && item_key(found) == key : found == NULL, seed, step);

	struct avl_node *lower = avl_tree_lower_bound(tree, &key, item_key_compare);
	CHECK_RANDOM(i < ref->count ? lower && item_key(lower) == ref->keys[i] : lower == NULL,
	             seed, step);

	int upper_index = present ? i + 1 : i;
	struct avl_node *upper = avl_tree_upper_bound(tree, &key, item_key_compare);
	CHECK_RANDOM(upper_index < ref->count ? upper && item_key(upper) == ref->keys[upper_index]
	                                      : upper == NULL,
	             seed, step);

	int floor_index = present ? i : i - 1;
	struct avl_node *floor = avl_tree_floor(tree, &key, item_key_compare);
	CHECK_RANDOM(floor_index >= 0 ? floor && item_key(floor) == ref->keys[floor_index]
	                              : floor == NULL,
	             seed, step);
}

TEST(random_insert_remove_against_sorted_array)
{
	static struct item items[KEY_RANGE];
	static struct reference ref;
	uint64_t seed = test_seed(), state = seed;
	struct avl_tree tree;

	avl_tree_init(&tree, item_compare, NULL);
	for (int k = 0; k < KEY_RANGE; k++) items[k].key = k;

	for (unsigned step = 0; step < RANDOM_STEPS; step++) {
		/* lean towards insertion in the first half, towards removal in the second */
		unsigned insert_bias = step < RANDOM_STEPS / 2 ? 70 : 30;
		int key = (int)(unit_random_next(&state) % KEY_RANGE);
		bool want_insert = unit_random_next(&state) % 100 < insert_bias;

		if (want_insert) {
			enum avl_insert_result r = avl_tree_insert(&tree, &items[key].node);
			if (reference_contains(&ref, key)) {
				CHECK_RANDOM(r == AVL_INSERT_DUPLICATE, seed, step);
			} else {
				CHECK_RANDOM(r == AVL_INSERT_OK, seed, step);
				reference_insert(&ref, key);
			}
		} else if (reference_contains(&ref, key)) {
			avl_tree_remove(&tree, &items[key].node);
			reference_remove(&ref, key);
		}
		CHECK_RANDOM(avl_tree_check(&tree) == AVL_CHECK_OK, seed, step);
		CHECK_RANDOM(avl_tree_count(&tree) == (size_t)ref.count, seed, step);
		check_lookups(&tree, &ref, (int)(unit_random_next(&state) % (KEY_RANGE + 2)) - 1, seed,
		              step);
		if (step % 512 == 0) check_walk(&tree, &ref, seed, step);
	}
	check_walk(&tree, &ref, seed, RANDOM_STEPS);
	CHECK(height_within_avl_bound(tree.root ? tree.root->height : 0, avl_tree_count(&tree)));

	/* drain in random order */
	unsigned step = RANDOM_STEPS;
	while (ref.count) {
		int key = ref.keys[unit_random_next(&state) % (uint64_t)ref.count];
		avl_tree_remove(&tree, &items[key].node);
		reference_remove(&ref, key);
		CHECK_RANDOM(avl_tree_check(&tree) == AVL_CHECK_OK, seed, step);
		step++;
	}
	CHECK(avl_tree_empty(&tree));
}

TEST(removal_during_walk_with_saved_successor)
{
	static struct item items[100];
	struct avl_tree tree;
	avl_tree_init(&tree, item_compare, NULL);
	for (int i = 0; i < 100; i++) {
		items[i].key = i;
		insert_ok(&tree, &items[i]);
	}
	/* remove every odd key while walking */
	struct avl_node *node = avl_tree_first(&tree);
	while (node) {
		struct avl_node *next = avl_node_next(node);
		if (item_key(node) % 2) avl_tree_remove(&tree, node);
		node = next;
	}
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_OK);
	CHECK_EQ(avl_tree_count(&tree), 50);
	int expected = 0;
	AVL_TREE_FOR_EACH(node, &tree)
	{
		CHECK_EQ(item_key(node), expected);
		expected += 2;
	}
}

TEST(compare_gets_the_context)
{
	static struct item items[50];
	int direction = -1;
	struct avl_tree tree;
	avl_tree_init(&tree, item_compare_directed, &direction);
	for (int i = 0; i < 50; i++) {
		items[i].key = i;
		insert_ok(&tree, &items[i]);
	}
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_OK);
	CHECK_EQ(item_key(avl_tree_first(&tree)), 49);
	CHECK_EQ(item_key(avl_tree_last(&tree)), 0);
}

TEST_EXPECT_DEATH(removing_a_node_of_another_tree_panics)
{
	struct avl_tree one, two;
	struct item a = { .key = 1 }, b = { .key = 2 };
	avl_tree_init(&one, item_compare, NULL);
	avl_tree_init(&two, item_compare, NULL);
	insert_ok(&one, &a);
	insert_ok(&two, &b);
	avl_tree_remove(&one, &b.node);
}

TEST_EXPECT_DEATH(removing_twice_panics)
{
	struct avl_tree tree;
	struct item a = { .key = 1 }, b = { .key = 2 };
	avl_tree_init(&tree, item_compare, NULL);
	insert_ok(&tree, &a);
	insert_ok(&tree, &b);
	avl_tree_remove(&tree, &b.node);
	avl_tree_remove(&tree, &b.node);
}

/* --- the checker finds what it claims to find --------------------------------- */

/* a balanced tree of keys 0..6: root 3 */
static void build_seven(struct avl_tree *tree, struct item *items)
{
	avl_tree_init(tree, item_compare, NULL);
	int order[7] = { 3, 1, 5, 0, 2, 4, 6 };
	for (int i = 0; i < 7; i++) {
		items[order[i]].key = order[i];
		insert_ok(tree, &items[order[i]]);
	}
	CHECK_EQ(avl_tree_check(tree), AVL_CHECK_OK);
	CHECK(tree->root == &items[3].node);
}

TEST(checker_detects_broken_parent_link)
{
	struct avl_tree tree;
	struct item items[7];
	build_seven(&tree, items);
	items[0].node.parent = &items[3].node;
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_PARENT);
}

TEST(checker_detects_wrong_height)
{
	struct avl_tree tree;
	struct item items[7];
	build_seven(&tree, items);
	items[1].node.height = 3;
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_HEIGHT);
}

TEST(checker_detects_imbalance)
{
	struct avl_tree tree;
	struct item items[7];
	build_seven(&tree, items);
	/* cut the right subtree of the root away, with consistent heights */
	items[3].node.child[1] = NULL;
	items[3].node.height = 3;
	tree.count = 4;
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_BALANCE);
}

TEST(checker_detects_disorder)
{
	struct avl_tree tree;
	struct item items[7];
	build_seven(&tree, items);
	items[0].key = 10;
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_ORDER);
}

TEST(checker_detects_wrong_count)
{
	struct avl_tree tree;
	struct item items[7];
	build_seven(&tree, items);
	tree.count = 8;
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_COUNT);
}

TEST(checker_survives_a_cycle)
{
	struct avl_tree tree;
	struct item items[7];
	build_seven(&tree, items);
	items[0].node.child[0] = &items[3].node;
	CHECK_EQ(avl_tree_check(&tree), AVL_CHECK_PARENT);
}

/* --- string tree ----------------------------------------------------------------- */

TEST(string_tree_insert_find_remove)
{
	static char const *names[] = { "rm", "cpu", "ram", "pd", "log", "rom", "io_mem", "irq" };
	enum { N = sizeof(names) / sizeof(names[0]) };
	struct avl_string_node nodes[N];
	struct avl_string_tree tree;
	avl_string_tree_init(&tree);

	for (int i = 0; i < N; i++)
		CHECK_EQ(avl_string_tree_insert(&tree, &nodes[i], names[i]), AVL_INSERT_OK);
	CHECK_EQ(avl_tree_check(&tree.tree), AVL_CHECK_OK);

	/* a different pointer with the same text finds the node */
	char buffer[8];
	strcpy(buffer, "ram");
	CHECK(avl_string_tree_find(&tree, buffer) == &nodes[2]);
	CHECK(avl_string_tree_find(&tree, "ra") == NULL);
	CHECK(avl_string_tree_find(&tree, "ramx") == NULL);
	CHECK(avl_string_tree_find(&tree, "") == NULL);

	struct avl_string_node twin;
	CHECK_EQ(avl_string_tree_insert(&tree, &twin, buffer), AVL_INSERT_DUPLICATE);

	/* iteration is in byte order */
	char const *expected[] = { "cpu", "io_mem", "irq", "log", "pd", "ram", "rm", "rom" };
	int i = 0;
	for (struct avl_string_node *n = avl_string_tree_first(&tree); n;
	     n = avl_string_node_next(n))
		CHECK_STR(n->name, expected[i++]);
	CHECK_EQ(i, N);

	avl_string_tree_remove(&tree, &nodes[0]);
	CHECK(avl_string_tree_find(&tree, "rm") == NULL);
	CHECK(avl_string_tree_find(&tree, "rom") == &nodes[5]);
	CHECK_EQ(avl_tree_count(&tree.tree), N - 1);
	CHECK_EQ(avl_tree_check(&tree.tree), AVL_CHECK_OK);
}

TEST(string_tree_empty_name_and_prefixes)
{
	struct avl_string_node a, b, c;
	struct avl_string_tree tree;
	avl_string_tree_init(&tree);
	CHECK(avl_string_tree_first(&tree) == NULL);
	CHECK_EQ(avl_string_tree_insert(&tree, &a, ""), AVL_INSERT_OK);
	CHECK_EQ(avl_string_tree_insert(&tree, &b, "a"), AVL_INSERT_OK);
	CHECK_EQ(avl_string_tree_insert(&tree, &c, "ab"), AVL_INSERT_OK);
	CHECK(avl_string_tree_find(&tree, "") == &a);
	CHECK(avl_string_tree_find(&tree, "a") == &b);
	CHECK(avl_string_tree_find(&tree, "ab") == &c);
	CHECK(avl_string_tree_first(&tree) == &a);
}
