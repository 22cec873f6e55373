/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/list: order, insertion, removal anywhere, iteration */

#include <util/list.h>

#include "unit_test.h"

struct item
{
	int value;
	struct list_element element;
};

enum { ITEMS = 5 };

static void items_init(struct item *items, int n)
{
	for (int i = 0; i < n; i++) items[i] = (struct item){ .value = i, .element = { NULL } };
}

/* the expectation of an empty queue or list: no values */
static int const nothing[1] = { 0 };

/* check that `list` holds exactly the values `expected[0..n-1]`, head first */
static void check_order(struct list const *list, int const *expected, int n)
{
	int i = 0;
	struct list_element *e;
	LIST_FOR_EACH(e, list)
	{
		CHECK(i < n);
		CHECK_EQ(LIST_CONTAINER(e, struct item, element)->value, expected[i]);
		i++;
	}
	CHECK_EQ(i, n);
	CHECK_EQ(list_empty(list), n == 0);
}

/* a list of items[0..n-1] in that order, built with insert_after */
static void build_in_order(struct list *list, struct item *items, int n)
{
	list_init(list);
	struct list_element *last = NULL;
	for (int i = 0; i < n; i++) {
		list_insert_after(list, last, &items[i].element);
		last = &items[i].element;
	}
}

TEST(empty_list)
{
	struct list list;
	list_init(&list);
	CHECK(list_empty(&list));
	CHECK(list_first(&list) == NULL);
	CHECK(LIST_CONTAINER(list_first(&list), struct item, element) == NULL);
	check_order(&list, nothing, 0);
}

TEST(remove_from_empty_list_reports_not_in_list)
{
	struct list list;
	struct item item = { 7, { NULL } };
	list_init(&list);
	CHECK_EQ(list_remove(&list, &item.element), LIST_REMOVE_NOT_IN_LIST);
	CHECK(list_empty(&list));
}

TEST(insert_puts_element_at_head)
{
	struct item items[ITEMS];
	struct list list;
	items_init(items, ITEMS);
	list_init(&list);
	for (int i = 0; i < ITEMS; i++) {
		list_insert(&list, &items[i].element);
		CHECK(list_first(&list) == &items[i].element);
	}
	int const expected[ITEMS] = { 4, 3, 2, 1, 0 };
	check_order(&list, expected, ITEMS);
}

TEST(container_recovers_object)
{
	struct item item = { 42, { NULL } };
	CHECK(LIST_CONTAINER(&item.element, struct item, element) == &item);
}

TEST(first_and_next_walk_the_list)
{
	struct item items[3];
	struct list list;
	items_init(items, 3);
	build_in_order(&list, items, 3);
	struct list_element *e = list_first(&list);
	CHECK(e == &items[0].element);
	e = list_next(e);
	CHECK(e == &items[1].element);
	e = list_next(e);
	CHECK(e == &items[2].element);
	CHECK(list_next(e) == NULL);
}

TEST(insert_after_null_inserts_at_head)
{
	struct item items[2];
	struct list list;
	items_init(items, 2);
	list_init(&list);
	list_insert_after(&list, NULL, &items[0].element);
	list_insert_after(&list, NULL, &items[1].element);
	int const expected[] = { 1, 0 };
	check_order(&list, expected, 2);
}

TEST(insert_after_middle_and_last)
{
	struct item items[ITEMS];
	struct list list;
	items_init(items, ITEMS);
	list_init(&list);
	list_insert(&list, &items[0].element);
	list_insert_after(&list, &items[0].element, &items[1].element); /* after last */
	list_insert_after(&list, &items[1].element, &items[2].element); /* after last */
	list_insert_after(&list, &items[0].element, &items[3].element); /* middle */
	list_insert_after(&list, &items[2].element, &items[4].element); /* after last */
	int const expected[] = { 0, 3, 1, 2, 4 };
	check_order(&list, expected, ITEMS);
	CHECK(list_next(&items[4].element) == NULL);
}

TEST(remove_head)
{
	struct item items[ITEMS];
	struct list list;
	items_init(items, ITEMS);
	build_in_order(&list, items, ITEMS);
	CHECK_EQ(list_remove(&list, &items[0].element), LIST_REMOVE_OK);
	CHECK(items[0].element.next == NULL);
	int const expected[] = { 1, 2, 3, 4 };
	check_order(&list, expected, 4);
}

TEST(remove_tail)
{
	struct item items[ITEMS];
	struct list list;
	items_init(items, ITEMS);
	build_in_order(&list, items, ITEMS);
	CHECK_EQ(list_remove(&list, &items[4].element), LIST_REMOVE_OK);
	int const expected[] = { 0, 1, 2, 3 };
	check_order(&list, expected, 4);
	/* the new tail can take a successor again */
	list_insert_after(&list, &items[3].element, &items[4].element);
	int const again[] = { 0, 1, 2, 3, 4 };
	check_order(&list, again, 5);
}

TEST(remove_middle)
{
	struct item items[ITEMS];
	struct list list;
	items_init(items, ITEMS);
	build_in_order(&list, items, ITEMS);
	CHECK_EQ(list_remove(&list, &items[2].element), LIST_REMOVE_OK);
	int const expected[] = { 0, 1, 3, 4 };
	check_order(&list, expected, 4);
}

TEST(remove_missing_changes_nothing)
{
	struct item items[ITEMS], stranger = { 99, { NULL } };
	struct list list, other;
	items_init(items, ITEMS);
	build_in_order(&list, items, 3);
	/* an element of another list is not in this one, and stays where it is */
	list_init(&other);
	list_insert(&other, &items[3].element);
	list_insert(&other, &items[4].element);

	CHECK_EQ(list_remove(&list, &stranger.element), LIST_REMOVE_NOT_IN_LIST);
	CHECK_EQ(list_remove(&list, &items[4].element), LIST_REMOVE_NOT_IN_LIST);
	CHECK(items[4].element.next == &items[3].element);
	int const expected[] = { 0, 1, 2 };
	check_order(&list, expected, 3);
	int const expected_other[] = { 4, 3 };
	check_order(&other, expected_other, 2);
}

TEST(remove_twice_reports_second_time)
{
	struct item items[3];
	struct list list;
	items_init(items, 3);
	build_in_order(&list, items, 3);
	CHECK_EQ(list_remove(&list, &items[1].element), LIST_REMOVE_OK);
	CHECK_EQ(list_remove(&list, &items[1].element), LIST_REMOVE_NOT_IN_LIST);
	int const expected[] = { 0, 2 };
	check_order(&list, expected, 2);
}

TEST(remove_all_leaves_empty_list)
{
	struct item items[ITEMS];
	struct list list;
	items_init(items, ITEMS);
	build_in_order(&list, items, ITEMS);
	int const order[ITEMS] = { 2, 0, 4, 1, 3 };
	for (int i = 0; i < ITEMS; i++)
		CHECK_EQ(list_remove(&list, &items[order[i]].element), LIST_REMOVE_OK);
	CHECK(list_empty(&list));
	CHECK(list_first(&list) == NULL);
}

TEST(single_element_list)
{
	struct item item = { 5, { NULL } };
	struct list list;
	list_init(&list);
	list_insert(&list, &item.element);
	CHECK(!list_empty(&list));
	CHECK(list_next(list_first(&list)) == NULL);
	CHECK_EQ(list_remove(&list, &item.element), LIST_REMOVE_OK);
	CHECK(list_empty(&list));
}

TEST(for_each_safe_allows_removing_current)
{
	struct item items[6];
	struct list list;
	items_init(items, 6);
	build_in_order(&list, items, 6);
	struct list_element *e, *next;
	int visited = 0;
	LIST_FOR_EACH_SAFE(e, next, &list)
	{
		visited++;
		if (LIST_CONTAINER(e, struct item, element)->value % 2 == 0)
			CHECK_EQ(list_remove(&list, e), LIST_REMOVE_OK);
	}
	CHECK_EQ(visited, 6);
	int const expected[] = { 1, 3, 5 };
	check_order(&list, expected, 3);
}

TEST(for_each_on_empty_list_runs_no_body)
{
	struct list list;
	list_init(&list);
	struct list_element *e, *next;
	LIST_FOR_EACH(e, &list) CHECK(false);
	LIST_FOR_EACH_SAFE(e, next, &list) CHECK(false);
}

TEST_EXPECT_DEATH(inserting_the_head_again_is_caught)
{
	struct item item = { 1, { NULL } };
	struct list list;
	list_init(&list);
	list_insert(&list, &item.element);
	list_insert(&list, &item.element);
}

TEST_EXPECT_DEATH(inserting_an_element_after_itself_is_caught)
{
	struct item item = { 1, { NULL } };
	struct list list;
	list_init(&list);
	list_insert(&list, &item.element);
	list_insert_after(&list, &item.element, &item.element);
}
