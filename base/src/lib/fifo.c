/* SPDX-License-Identifier: MIT */
/** \brief intrusive FIFO queue: enqueue, dequeue, removal of any element */

#include <base/panic.h>
#include <util/fifo.h>

void fifo_enqueue(struct fifo *fifo, struct fifo_element *element)
{
	/* a queued element would end up linked twice: a corrupted queue */
	ASSERT(element != NULL && element->fifo == NULL);
	element->next = NULL;
	element->prev = fifo->tail;
	element->fifo = fifo;
	if (fifo->tail)
		fifo->tail->next = element;
	else
		fifo->head = element;
	fifo->tail = element;
}

/* unlink `element`, which is in `fifo` */
static void fifo_unlink(struct fifo *fifo, struct fifo_element *element)
{
	if (element->prev)
		element->prev->next = element->next;
	else
		fifo->head = element->next;
	if (element->next)
		element->next->prev = element->prev;
	else
		fifo->tail = element->prev;
	element->next = NULL;
	element->prev = NULL;
	element->fifo = NULL;
}

struct fifo_element *fifo_dequeue(struct fifo *fifo)
{
	struct fifo_element *head = fifo->head;
	if (head) fifo_unlink(fifo, head);
	return head;
}

enum fifo_remove_result fifo_remove(struct fifo *fifo, struct fifo_element *element)
{
	if (element->fifo != fifo) return FIFO_REMOVE_NOT_QUEUED;
	fifo_unlink(fifo, element);
	return FIFO_REMOVE_OK;
}
