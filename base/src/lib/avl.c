/* SPDX-License-Identifier: MIT */
/** \brief intrusive AVL tree with parent pointers, and its string-keyed variant */

#include <base/panic.h>
#include <util/avl.h>
#include <util/string.h>

/*
 * Invariants: for every node, child[0] < node < child[1] in the tree's order,
 * child->parent == node, height == 1 + max(height of the children) (an absent
 * child has height 0), and the heights of the two children differ by at most
 * one. Rebalancing walks from the changed place to the root and stops as soon
 * as a subtree keeps its former height, since nothing above it can change.
 */

/* deeper than any AVL tree of 2^64 nodes (1.44 * 64 + 2): the checker's bound */
enum { AVL_MAX_DEPTH = 96 };

static int avl_height(struct avl_node const *node) { return node ? node->height : 0; }

static int avl_balance(struct avl_node const *node)
{
	return avl_height(node->child[0]) - avl_height(node->child[1]);
}

static void avl_update_height(struct avl_node *node)
{
	int left = avl_height(node->child[0]), right = avl_height(node->child[1]);
	node->height = 1 + (left > right ? left : right);
}

/* make whatever pointed to `old` (its parent's child slot, or the root) point to `new` */
static void avl_replace_child(struct avl_tree *tree, struct avl_node *parent,
                              struct avl_node *old, struct avl_node *new)
{
	if (!parent)
		tree->root = new;
	else if (parent->child[0] == old)
		parent->child[0] = new;
	else
		parent->child[1] = new;
}

/*
 * Rotate around `node`: `dir` 0 rotates left (the right child rises), 1
 * rotates right. Returns the node that took `node`'s place.
 */
static struct avl_node *avl_rotate(struct avl_tree *tree, struct avl_node *node, int dir)
{
	struct avl_node *riser = node->child[!dir];
	struct avl_node *moved = riser->child[dir];

	node->child[!dir] = moved;
	if (moved) moved->parent = node;

	riser->parent = node->parent;
	avl_replace_child(tree, node->parent, node, riser);

	riser->child[dir] = node;
	node->parent = riser;

	avl_update_height(node);
	avl_update_height(riser);
	return riser;
}

/* restore the invariants from `node` up to the root after a change below it */
static void avl_rebalance(struct avl_tree *tree, struct avl_node *node)
{
	while (node) {
		int old_height = node->height;
		int balance = avl_balance(node);

		if (balance > 1) {
			/* left-heavy; a right-heavy left child needs a double rotation */
			if (avl_balance(node->child[0]) < 0) avl_rotate(tree, node->child[0], 0);
			node = avl_rotate(tree, node, 1);
		} else if (balance < -1) {
			if (avl_balance(node->child[1]) > 0) avl_rotate(tree, node->child[1], 1);
			node = avl_rotate(tree, node, 0);
		} else {
			avl_update_height(node);
		}
		if (node->height == old_height) return;
		node = node->parent;
	}
}

void avl_tree_init(struct avl_tree *tree, avl_compare_function compare, void *context)
{
	ASSERT(compare);
	tree->root = NULL;
	tree->compare = compare;
	tree->context = context;
	tree->count = 0;
}

enum avl_insert_result avl_tree_insert(struct avl_tree *tree, struct avl_node *node)
{
	struct avl_node *parent = NULL;
	struct avl_node **link = &tree->root;

	while (*link) {
		parent = *link;
		int order = tree->compare(node, parent, tree->context);
		if (order == 0) return AVL_INSERT_DUPLICATE;
		link = &parent->child[order > 0];
	}
	node->parent = parent;
	node->child[0] = node->child[1] = NULL;
	node->height = 1;
	*link = node;
	tree->count++;
	avl_rebalance(tree, parent);
	return AVL_INSERT_OK;
}

static struct avl_node *avl_extreme(struct avl_node *node, int dir)
{
	if (!node) return NULL;
	while (node->child[dir]) node = node->child[dir];
	return node;
}

void avl_tree_remove(struct avl_tree *tree, struct avl_node *node)
{
	/* a node of another tree (or of none) would corrupt both: O(log n) to rule out */
	struct avl_node const *top = node;
	while (top->parent) top = top->parent;
	if (top != tree->root) panic("avl_tree_remove: node %p is not in tree %p", node, tree);

	struct avl_node *parent = node->parent;
	struct avl_node *rebalance_from;

	if (node->child[0] && node->child[1]) {
		/* the successor (no left child) takes the node's place */
		struct avl_node *successor = avl_extreme(node->child[1], 0);
		if (successor->parent == node) {
			rebalance_from = successor;
		} else {
			struct avl_node *successor_parent = successor->parent;
			successor_parent->child[0] = successor->child[1];
			if (successor->child[1]) successor->child[1]->parent = successor_parent;
			successor->child[1] = node->child[1];
			node->child[1]->parent = successor;
			rebalance_from = successor_parent;
		}
		successor->child[0] = node->child[0];
		node->child[0]->parent = successor;
		successor->parent = parent;
		successor->height = node->height;
		avl_replace_child(tree, parent, node, successor);
	} else {
		struct avl_node *child = node->child[0] ? node->child[0] : node->child[1];
		if (child) child->parent = parent;
		avl_replace_child(tree, parent, node, child);
		rebalance_from = parent;
	}
	node->parent = node->child[0] = node->child[1] = NULL;
	node->height = 0;
	tree->count--;
	avl_rebalance(tree, rebalance_from);
}

struct avl_node *avl_tree_find(struct avl_tree const *tree, void const *key,
                               avl_key_compare_function compare)
{
	struct avl_node *node = tree->root;
	while (node) {
		int order = compare(key, node, tree->context);
		if (order == 0) return node;
		node = node->child[order > 0];
	}
	return NULL;
}

struct avl_node *avl_tree_lower_bound(struct avl_tree const *tree, void const *key,
                                      avl_key_compare_function compare)
{
	struct avl_node *node = tree->root, *best = NULL;
	while (node) {
		if (compare(key, node, tree->context) <= 0) {
			best = node;
			node = node->child[0];
		} else {
			node = node->child[1];
		}
	}
	return best;
}

struct avl_node *avl_tree_upper_bound(struct avl_tree const *tree, void const *key,
                                      avl_key_compare_function compare)
{
	struct avl_node *node = tree->root, *best = NULL;
	while (node) {
		if (compare(key, node, tree->context) < 0) {
			best = node;
			node = node->child[0];
		} else {
			node = node->child[1];
		}
	}
	return best;
}

struct avl_node *avl_tree_floor(struct avl_tree const *tree, void const *key,
                                avl_key_compare_function compare)
{
	struct avl_node *node = tree->root, *best = NULL;
	while (node) {
		if (compare(key, node, tree->context) >= 0) {
			best = node;
			node = node->child[1];
		} else {
			node = node->child[0];
		}
	}
	return best;
}

struct avl_node *avl_tree_first(struct avl_tree const *tree)
{
	return avl_extreme(tree->root, 0);
}

struct avl_node *avl_tree_last(struct avl_tree const *tree)
{
	return avl_extreme(tree->root, 1);
}

/* the in-order neighbour of `node` in direction `dir` (1: next, 0: previous) */
static struct avl_node *avl_step(struct avl_node const *node, int dir)
{
	if (node->child[dir]) return avl_extreme(node->child[dir], !dir);
	struct avl_node *parent = node->parent;
	while (parent && parent->child[dir] == node) {
		node = parent;
		parent = parent->parent;
	}
	return parent;
}

struct avl_node *avl_node_next(struct avl_node const *node) { return avl_step(node, 1); }

struct avl_node *avl_node_prev(struct avl_node const *node) { return avl_step(node, 0); }

/* structure of the subtree at `node`: parent links, heights, balance; counts the nodes */
static enum avl_check_result avl_check_subtree(struct avl_node const *node, unsigned depth,
                                               size_t *count)
{
	if (!node) return AVL_CHECK_OK;
	if (depth > AVL_MAX_DEPTH) return AVL_CHECK_HEIGHT;
	if (node->child[0] && node->child[0] == node->child[1]) return AVL_CHECK_PARENT;

	for (int dir = 0; dir < 2; dir++) {
		struct avl_node const *child = node->child[dir];
		if (!child) continue;
		/* checked before descending: every node is reached from its one parent */
		if (child->parent != node) return AVL_CHECK_PARENT;
		enum avl_check_result result = avl_check_subtree(child, depth + 1, count);
		if (result != AVL_CHECK_OK) return result;
	}
	int left = avl_height(node->child[0]), right = avl_height(node->child[1]);
	if (node->height != 1 + (left > right ? left : right)) return AVL_CHECK_HEIGHT;
	if (left - right > 1 || right - left > 1) return AVL_CHECK_BALANCE;
	(*count)++;
	return AVL_CHECK_OK;
}

enum avl_check_result avl_tree_check(struct avl_tree const *tree)
{
	if (tree->root && tree->root->parent) return AVL_CHECK_PARENT;

	size_t count = 0;
	enum avl_check_result result = avl_check_subtree(tree->root, 0, &count);
	if (result != AVL_CHECK_OK) return result;
	if (count != tree->count) return AVL_CHECK_COUNT;

	struct avl_node const *previous = NULL;
	for (struct avl_node const *node = avl_tree_first(tree); node; node = avl_node_next(node)) {
		if (previous && tree->compare(previous, node, tree->context) >= 0)
			return AVL_CHECK_ORDER;
		previous = node;
	}
	return AVL_CHECK_OK;
}

/* --- string-keyed tree ----------------------------------------------------------- */

static struct avl_string_node const *avl_string_node_of(struct avl_node const *node)
{
	return AVL_CONTAINER(node, struct avl_string_node const, node);
}

static int avl_string_compare(struct avl_node const *a, struct avl_node const *b, void *context)
{
	(void)context;
	return string_compare(avl_string_node_of(a)->name, avl_string_node_of(b)->name);
}

static int avl_string_key_compare(void const *key, struct avl_node const *node, void *context)
{
	(void)context;
	return string_compare((char const *)key, avl_string_node_of(node)->name);
}

void avl_string_tree_init(struct avl_string_tree *tree)
{
	avl_tree_init(&tree->tree, avl_string_compare, NULL);
}

enum avl_insert_result avl_string_tree_insert(struct avl_string_tree *tree,
                                              struct avl_string_node *node, char const *name)
{
	ASSERT(name);
	node->name = name;
	return avl_tree_insert(&tree->tree, &node->node);
}

struct avl_string_node *avl_string_tree_find(struct avl_string_tree const *tree,
                                             char const *name)
{
	return AVL_CONTAINER(avl_tree_find(&tree->tree, name, avl_string_key_compare),
	                     struct avl_string_node, node);
}

void avl_string_tree_remove(struct avl_string_tree *tree, struct avl_string_node *node)
{
	avl_tree_remove(&tree->tree, &node->node);
}

struct avl_string_node *avl_string_tree_first(struct avl_string_tree const *tree)
{
	return AVL_CONTAINER(avl_tree_first(&tree->tree), struct avl_string_node, node);
}

struct avl_string_node *avl_string_node_next(struct avl_string_node const *node)
{
	return AVL_CONTAINER(avl_node_next(&node->node), struct avl_string_node, node);
}
