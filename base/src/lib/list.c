/* SPDX-License-Identifier: MIT */
/** \brief intrusive singly linked list: insertion and removal */

#include <base/panic.h>
#include <util/list.h>

void list_insert(struct list *list, struct list_element *element)
{
	/* inserting the head again would make it its own successor: a loop */
	ASSERT(element != NULL && element != list->first);
	element->next = list->first;
	list->first = element;
}

void list_insert_after(struct list *list, struct list_element *after,
                       struct list_element *element)
{
	if (!after) {
		list_insert(list, element);
		return;
	}
	ASSERT(element != NULL && element != after && element != after->next);
	element->next = after->next;
	after->next = element;
}

enum list_remove_result list_remove(struct list *list, struct list_element *element)
{
	/* `link` points at the pointer that refers to the current element */
	for (struct list_element **link = &list->first; *link; link = &(*link)->next) {
		if (*link != element) continue;
		*link = element->next;
		element->next = NULL;
		return LIST_REMOVE_OK;
	}
	return LIST_REMOVE_NOT_IN_LIST;
}
