/* SPDX-License-Identifier: MIT */
/**
 * \brief intrusive AVL tree with parent pointers, and a tree keyed by strings
 *
 * An object that can be in a tree embeds a `struct avl_node`; AVL_CONTAINER()
 * gets back from a node to the object around it. The order is given by a
 * compare function fixed at avl_tree_init(); lookups take a key-compare
 * function, so a tree can be searched by anything that orders like its nodes
 * (an address, a size, a name). Equal nodes are not allowed: make the order
 * total (for instance by a tie-break on the address of the object).
 *
 * The tree allocates nothing and owns nothing: the caller keeps each object
 * alive while it is in a tree, and a node is in at most one tree at a time.
 *
 * Cost: insert, remove, find, lower/upper bound and floor are O(log n);
 * first and last are O(log n); next and prev are O(log n) at worst and O(1)
 * amortized over a whole walk. No locking: a tree shared between threads is
 * protected by its owner's lock.
 */

#ifndef _UTIL_AVL_H_
#define _UTIL_AVL_H_

#include <stdbool.h>
#include <stddef.h>

/** a place in a tree; its fields belong to the tree code */
struct avl_node
{
	struct avl_node *parent;   /* NULL at the root */
	struct avl_node *child[2]; /* [0] smaller, [1] greater */
	int height;                /* of the subtree rooted here: a leaf is 1 */
};

/**
 * Order of two nodes of a tree.
 *
 * \return  negative if `a` goes before `b`, 0 if equal, positive if after
 */
typedef int (*avl_compare_function)(struct avl_node const *a, struct avl_node const *b,
                                    void *context);

/**
 * Order of a key relative to a node.
 *
 * \return  negative if `key` goes before `node`, 0 if it matches, positive if
 *          it goes after. Must be consistent with the tree's compare function.
 */
typedef int (*avl_key_compare_function)(void const *key, struct avl_node const *node,
                                        void *context);

struct avl_tree
{
	struct avl_node *root;
	avl_compare_function compare;
	void *context; /* passed to every compare and key-compare call */
	size_t count;
};

/**
 * The object of type `type` whose member `member` is the node `node`, or
 * NULL when `node` is NULL (so the result of a failed lookup can be converted
 * directly). `node` must be a `struct avl_node *`.
 */
#define AVL_CONTAINER(node, type, member)                                                    \
	({                                                                                       \
		struct avl_node const *avl_container_node_ = (node);                                 \
		avl_container_node_ ? (type *)((char *)avl_container_node_ - offsetof(type, member)) \
		                    : (type *)NULL;                                                  \
	})

/**
 * Iterate `iterator` (a `struct avl_node *` of the caller) over `tree` in
 * ascending order. The body must not remove `iterator`; remember
 * avl_node_next() before removing.
 */
#define AVL_TREE_FOR_EACH(iterator, tree) \
	for ((iterator) = avl_tree_first(tree); (iterator); (iterator) = avl_node_next(iterator))

/**
 * Make `tree` empty with order `compare`.
 *
 * \param compare  total order of the nodes
 * \param context  handed to `compare` and to every key-compare function
 */
void avl_tree_init(struct avl_tree *tree, avl_compare_function compare, void *context);

/** results of avl_tree_insert */
enum avl_insert_result {
	AVL_INSERT_OK = 0,    /* `node` is in the tree */
	AVL_INSERT_DUPLICATE, /* a node that compares equal is in the tree already;
	                         nothing changed and `node` is not in the tree */
};

/**
 * Insert `node` at its place in the order. O(log n)
 *
 * \param node  not in any tree; its fields are overwritten. The caller keeps
 *              the object alive until it is removed.
 */
enum avl_insert_result avl_tree_insert(struct avl_tree *tree, struct avl_node *node)
    __attribute__((warn_unused_result));

/**
 * Remove `node` from `tree`. O(log n)
 *
 * \param node  must be in `tree` (checked by an assertion: removing a node of
 *              another tree is a bug). Afterwards it is in no tree and may be
 *              reinserted or freed.
 */
void avl_tree_remove(struct avl_tree *tree, struct avl_node *node);

/**
 * The node that matches `key` exactly, NULL if none. O(log n)
 *
 * \param compare  orders `key` against nodes; gets the tree's context
 */
struct avl_node *avl_tree_find(struct avl_tree const *tree, void const *key,
                               avl_key_compare_function compare);

/**
 * Lower bound: the first node that is not before `key` (node >= key), NULL if
 * every node goes before `key`. O(log n)
 */
struct avl_node *avl_tree_lower_bound(struct avl_tree const *tree, void const *key,
                                      avl_key_compare_function compare);

/**
 * Upper bound: the first node that goes after `key` (node > key), NULL if
 * none does. O(log n)
 */
struct avl_node *avl_tree_upper_bound(struct avl_tree const *tree, void const *key,
                                      avl_key_compare_function compare);

/**
 * Floor: the last node that does not go after `key` (node <= key), NULL if
 * every node goes after `key`. For address-ordered trees this finds the
 * object that may contain an address. O(log n)
 */
struct avl_node *avl_tree_floor(struct avl_tree const *tree, void const *key,
                                avl_key_compare_function compare);

/** The smallest node of `tree`, NULL if empty. O(log n) */
struct avl_node *avl_tree_first(struct avl_tree const *tree);

/** The greatest node of `tree`, NULL if empty. O(log n) */
struct avl_node *avl_tree_last(struct avl_tree const *tree);

/** The node after `node` in its tree, NULL at the end. `node` must be in a tree. */
struct avl_node *avl_node_next(struct avl_node const *node);

/** The node before `node` in its tree, NULL at the start. `node` must be in a tree. */
struct avl_node *avl_node_prev(struct avl_node const *node);

/** Number of nodes in `tree`. O(1) */
static inline size_t avl_tree_count(struct avl_tree const *tree) { return tree->count; }

/** Whether `tree` holds no node. O(1) */
static inline bool avl_tree_empty(struct avl_tree const *tree) { return tree->root == NULL; }

/** results of avl_tree_check, one per broken invariant */
enum avl_check_result {
	AVL_CHECK_OK = 0,  /* every invariant holds */
	AVL_CHECK_PARENT,  /* a child's parent pointer does not point to its parent,
	                      or the root has a parent */
	AVL_CHECK_HEIGHT,  /* a stored height differs from the subtree's height */
	AVL_CHECK_BALANCE, /* two sibling subtrees differ in height by more than 1 */
	AVL_CHECK_ORDER,   /* an in-order neighbour is not strictly greater */
	AVL_CHECK_COUNT,   /* the node count differs from the stored count */
};

/**
 * Verify every invariant of `tree`: parent links, heights, balance, strict
 * ascending order, count. For tests and debugging: O(n). The walk never goes
 * deeper than any AVL tree can be, so even a corrupt (cyclic) tree ends with
 * a result rather than a stack overflow.
 */
enum avl_check_result avl_tree_check(struct avl_tree const *tree)
    __attribute__((warn_unused_result));

/* --- a tree of objects named by strings ------------------------------------------ */

/** a node keyed by a NUL-terminated name */
struct avl_string_node
{
	struct avl_node node;
	char const *name; /* not owned: lives at least as long as the node is in a tree */
};

/** a tree of avl_string_nodes in the byte order of their names (string_compare) */
struct avl_string_tree
{
	struct avl_tree tree;
};

/** Make `tree` empty. */
void avl_string_tree_init(struct avl_string_tree *tree);

/**
 * Insert `node` under `name`. O(log n) string compares
 *
 * \param name  not copied: must stay valid and unchanged while `node` is in
 *              the tree
 * \return      AVL_INSERT_OK, or AVL_INSERT_DUPLICATE if a node of the same
 *              name is in the tree (nothing changed)
 */
enum avl_insert_result avl_string_tree_insert(struct avl_string_tree *tree,
                                              struct avl_string_node *node, char const *name)
    __attribute__((warn_unused_result));

/** The node named `name`, NULL if none. O(log n) string compares */
struct avl_string_node *avl_string_tree_find(struct avl_string_tree const *tree,
                                             char const *name);

/** Remove `node`, which must be in `tree`. O(log n) */
void avl_string_tree_remove(struct avl_string_tree *tree, struct avl_string_node *node);

/** The node with the smallest name, NULL if empty; walk on with avl_string_node_next. */
struct avl_string_node *avl_string_tree_first(struct avl_string_tree const *tree);

/** The node with the next greater name, NULL at the end. */
struct avl_string_node *avl_string_node_next(struct avl_string_node const *node);

#endif /* _UTIL_AVL_H_ */
