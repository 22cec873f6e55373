/* SPDX-License-Identifier: MIT */
/**
 * \brief intrusive singly linked list
 *
 * An object that can be in a list embeds a `struct list_element`; the list
 * links those elements and LIST_CONTAINER() gets back from an element to the
 * object around it. The list allocates nothing and owns nothing: the caller
 * keeps each object alive while it is in a list, and one element is in at
 * most one list at a time.
 *
 * Cost: init, insert, insert_after, first, next, empty are O(1); remove is
 * O(n) (a singly linked list must find the predecessor). No locking: a list
 * shared between threads is protected by its owner's lock.
 */

#ifndef _UTIL_LIST_H_
#define _UTIL_LIST_H_

#include <stdbool.h>
#include <stddef.h>

struct list_element
{
	struct list_element *next; /* NULL at the tail */
};

struct list
{
	struct list_element *first; /* NULL when empty */
};

/**
 * The object of type `type` whose member `member` is the element `element`,
 * or NULL when `element` is NULL (so `LIST_CONTAINER(list_first(l), ...)` of
 * an empty list is NULL). `element` must be a `struct list_element *`.
 */
#define LIST_CONTAINER(element, type, member)                                    \
	({                                                                           \
		struct list_element *list_container_element_ = (element);                \
		list_container_element_                                                  \
		    ? (type *)((char *)list_container_element_ - offsetof(type, member)) \
		    : (type *)NULL;                                                      \
	})

/**
 * Iterate `iterator` (a `struct list_element *` variable of the caller) over
 * the list from head to tail. The body must not remove or move `iterator`;
 * use LIST_FOR_EACH_SAFE for that. O(n).
 */
#define LIST_FOR_EACH(iterator, list) \
	for ((iterator) = (list)->first; (iterator); (iterator) = (iterator)->next)

/**
 * Like LIST_FOR_EACH, but the body may remove `iterator` from the list (and
 * reuse it elsewhere): `next_` (a second `struct list_element *` variable)
 * holds the successor. The body must not remove that successor.
 */
#define LIST_FOR_EACH_SAFE(iterator, next_, list)                                    \
	for ((iterator) = (list)->first, (next_) = (iterator) ? (iterator)->next : NULL; \
	     (iterator); (iterator) = (next_), (next_) = (iterator) ? (iterator)->next : NULL)

/** results of list_remove */
enum list_remove_result {
	LIST_REMOVE_OK = 0,      /* the element was in the list and is removed */
	LIST_REMOVE_NOT_IN_LIST, /* the element was not in this list; nothing changed */
};

/** Make `list` empty. Any elements it held are forgotten, not touched. O(1) */
static inline void list_init(struct list *list) { list->first = NULL; }

/** Whether `list` has no elements. O(1) */
static inline bool list_empty(struct list const *list) { return list->first == NULL; }

/** The head element of `list`, NULL when empty. O(1) */
static inline struct list_element *list_first(struct list const *list) { return list->first; }

/** The element after `element` in its list, NULL at the tail. O(1) */
static inline struct list_element *list_next(struct list_element const *element)
{
	return element->next;
}

/**
 * Insert `element` at the head of `list`. O(1)
 *
 * \param element  not in any list; stays owned by the caller, who keeps it
 *                 alive until it is removed
 */
void list_insert(struct list *list, struct list_element *element);

/**
 * Insert `element` right after `after`, or at the head when `after` is NULL.
 * O(1)
 *
 * \param after    an element of `list`, or NULL
 * \param element  not in any list (as for list_insert)
 */
void list_insert_after(struct list *list, struct list_element *after,
                       struct list_element *element);

/**
 * Remove `element` from `list`, wherever it is (head, middle, tail). O(n)
 *
 * \return LIST_REMOVE_OK           it was in the list and is unlinked now
 *                                  (its `next` is NULL)
 *         LIST_REMOVE_NOT_IN_LIST  it was not in this list: the list and the
 *                                  element are unchanged
 */
enum list_remove_result list_remove(struct list *list, struct list_element *element)
    __attribute__((warn_unused_result));

#endif /* _UTIL_LIST_H_ */
