/* SPDX-License-Identifier: MIT */
/** \brief core's RM session: regions in an AVL tree, free-address search, faults */

#include <base/panic.h>
#include <base/signal.h>
#include <util/avl.h>
#include <util/fifo.h>
#include <util/string.h>

#include "dataspace_component.h"
#include "rm_session_component.h"

RPC_SERVER(rm_session, RM_SESSION_RPC)
RPC_SERVER_OBJECT(rm_session)

struct rm_session_component
{
	struct rpc_object object;
	struct rpc_entrypoint *ep;
	struct allocator *alloc;
	uint64_t area_start;
	uint64_t area_end;
	struct avl_tree regions;                 /* struct rm_region_record by start */
	struct signal_context_cap fault_handler; /* ours; invalid: none */
	struct fifo faults;                      /* struct rm_fault_record, oldest first */
};

struct rm_region_record
{
	struct avl_node node;
	struct rm_region region;
	struct dataspace_component *ds; /* one reference is ours */
};

struct rm_fault_record
{
	struct fifo_element element;
	uint64_t thread_id;
	struct rm_fault fault;
};

/* ---- the region tree --------------------------------------------------------------- */

static struct rm_region_record *rm_record(struct avl_node const *node)
{
	return AVL_CONTAINER(node, struct rm_region_record, node);
}

static int rm_compare(struct avl_node const *a, struct avl_node const *b, void *context)
{
	(void)context;
	uint64_t x = rm_record(a)->region.start, y = rm_record(b)->region.start;
	return x < y ? -1 : x > y;
}

/* key: a start address */
static int rm_compare_key(void const *key, struct avl_node const *node, void *context)
{
	(void)context;
	uint64_t x = *(uint64_t const *)key, y = rm_record(node)->region.start;
	return x < y ? -1 : x > y;
}

static uint64_t rm_region_end(struct rm_region_record const *record)
{
	return record->region.start + record->region.size;
}

/* the region that contains `addr`, or NULL */
static struct rm_region_record *rm_region_containing(struct rm_session_component const *rm,
                                                     uint64_t addr)
{
	struct rm_region_record *r = rm_record(avl_tree_floor(&rm->regions, &addr, rm_compare_key));
	return r && addr < rm_region_end(r) ? r : 0;
}

/* whether [at, at + size) overlaps a region; size > 0 and no wrap */
static bool rm_overlaps(struct rm_session_component const *rm, uint64_t at, uint64_t size)
{
	uint64_t last = at + size - 1;
	struct rm_region_record *r = rm_record(avl_tree_floor(&rm->regions, &last, rm_compare_key));
	return r && rm_region_end(r) > at;
}

static bool rm_align_up(uint64_t value, uint64_t align, uint64_t *result)
{
	if (value > UINT64_MAX - (align - 1)) return false;
	*result = (value + align - 1) & ~(align - 1);
	return true;
}

/* the lowest free address of `size` bytes at `align`, first fit over the regions */
static bool rm_find_free(struct rm_session_component const *rm, uint64_t size, uint64_t align,
                         uint64_t *at)
{
	uint64_t candidate;
	if (!rm_align_up(rm->area_start, align, &candidate)) return false;
	struct avl_node *node;
	AVL_TREE_FOR_EACH(node, &rm->regions)
	{
		struct rm_region_record const *r = rm_record(node);
		if (rm_region_end(r) <= candidate) continue;
		if (candidate <= r->region.start && size <= r->region.start - candidate) {
			*at = candidate;
			return true;
		}
		if (!rm_align_up(rm_region_end(r), align, &candidate)) return false;
	}
	if (candidate > rm->area_end || size > rm->area_end - candidate) return false;
	*at = candidate;
	return true;
}

/* the natural alignment of a region: its size rounded down to a power of two, clamped */
static uint64_t rm_natural_alignment(uint64_t size)
{
	uint64_t align = PAGE_SIZE;
	while (align < RM_ATTACH_ALIGN_MAX && align * 2 <= size) align *= 2;
	return align;
}

/* ---- core's interface: regions ----------------------------------------------------- */

struct rm_attach_result rm_session_component_attach(struct rm_session_component *rm,
                                                    struct dataspace_component *ds,
                                                    struct rm_attach_args args)
{
	struct rm_attach_result r = { RM_INVALID_ARGUMENT, 0 };
	uint64_t ds_size = dataspace_component_size(ds);
	if (!page_aligned(args.offset) || args.offset >= ds_size) return r;
	uint64_t size = ds_size - args.offset;
	if (args.size != 0) {
		if (args.size > size) return r;
		size = page_round_up(args.size); /* cannot pass ds_size: that is page aligned */
	}
	if (args.use_at && !page_aligned(args.at)) return r;

	r.result = RM_PERMISSION_DENIED;
	if (args.writeable && !dataspace_component_writeable(ds)) return r;
	if (args.executable && !dataspace_component_executable(ds)) return r;

	uint64_t at = args.at;
	if (args.use_at) {
		r.result = RM_OUT_OF_RANGE;
		if (at < rm->area_start || at > rm->area_end || size > rm->area_end - at) return r;
		r.result = RM_REGION_CONFLICT;
		if (rm_overlaps(rm, at, size)) return r;
	} else {
		r.result = RM_NO_SPACE;
		if (!rm_find_free(rm, size, rm_natural_alignment(size), &at) &&
		    !rm_find_free(rm, size, PAGE_SIZE, &at))
			return r;
	}

	r.result = RM_OUT_OF_METADATA;
	struct allocator_alloc_ret a = allocator_alloc(rm->alloc, sizeof(struct rm_region_record));
	if (a.result != ALLOCATOR_OK) return r;
	struct rm_region_record *record = a.ptr;
	*record = (struct rm_region_record){
		.region = { at, size, args.offset, args.writeable, args.executable },
		.ds = ds,
	};
	enum avl_insert_result inserted = avl_tree_insert(&rm->regions, &record->node);
	ASSERT(inserted == AVL_INSERT_OK); /* the overlap check excluded an equal start */
	dataspace_component_ref(ds);
	r.result = RM_OK;
	r.at = at;
	return r;
}

static void rm_region_remove(struct rm_session_component *rm, struct rm_region_record *record)
{
	avl_tree_remove(&rm->regions, &record->node);
	dataspace_component_unref(record->ds);
	allocator_free(rm->alloc, record, sizeof(*record));
}

enum rm_session_result rm_session_component_detach(struct rm_session_component *rm, uint64_t at)
{
	struct rm_region_record *record =
	    rm_record(avl_tree_find(&rm->regions, &at, rm_compare_key));
	if (!record) return RM_NOT_ATTACHED;
	rm_region_remove(rm, record);
	return RM_OK;
}

static struct rm_session_component_region rm_region_info(struct rm_region_record const *r)
{
	if (!r) return (struct rm_session_component_region){ false, { 0, 0, 0, false, false }, 0 };
	return (struct rm_session_component_region){ true, r->region, r->ds };
}

size_t rm_session_component_region_count(struct rm_session_component const *rm)
{
	return avl_tree_count(&rm->regions);
}

struct rm_session_component_region
rm_session_component_region_at_index(struct rm_session_component const *rm, size_t index)
{
	if (index >= avl_tree_count(&rm->regions)) return rm_region_info(0);
	struct avl_node *node = avl_tree_first(&rm->regions);
	for (size_t i = 0; i < index; i++) node = avl_node_next(node);
	return rm_region_info(rm_record(node));
}

struct rm_session_component_region
rm_session_component_region_find(struct rm_session_component const *rm, uint64_t addr)
{
	return rm_region_info(rm_region_containing(rm, addr));
}

/* ---- core's interface: faults ------------------------------------------------------ */

static struct rm_fault_record *rm_fault_find(struct rm_session_component const *rm,
                                             uint64_t thread_id)
{
	struct fifo_element *element;
	FIFO_FOR_EACH(element, &rm->faults)
	{
		struct rm_fault_record *f = FIFO_CONTAINER(element, struct rm_fault_record, element);
		if (f->thread_id == thread_id) return f;
	}
	return 0;
}

static bool rm_fault_notify(struct rm_session_component *rm)
{
	return cap_valid(rm->fault_handler.cap) &&
	       signal_submit(rm->fault_handler, 1) == SIGNAL_SUBMIT_OK;
}

bool rm_session_component_fault_record(struct rm_session_component *rm, uint64_t thread_id,
                                       struct rm_fault const *fault)
{
	struct rm_fault_record *record = rm_fault_find(rm, thread_id);
	if (record) {
		enum fifo_remove_result removed = fifo_remove(&rm->faults, &record->element);
		ASSERT(removed == FIFO_REMOVE_OK);
	} else {
		struct allocator_alloc_ret a =
		    allocator_alloc(rm->alloc, sizeof(struct rm_fault_record));
		if (a.result != ALLOCATOR_OK) return false;
		record = a.ptr;
		fifo_element_init(&record->element);
	}
	record->thread_id = thread_id;
	record->fault = *fault;
	record->fault.thread[RM_THREAD_NAME_MAX - 1] = 0;
	fifo_enqueue(&rm->faults, &record->element);
	return rm_fault_notify(rm);
}

void rm_session_component_fault_clear(struct rm_session_component *rm, uint64_t thread_id)
{
	struct rm_fault_record *record = rm_fault_find(rm, thread_id);
	if (!record) return;
	enum fifo_remove_result removed = fifo_remove(&rm->faults, &record->element);
	ASSERT(removed == FIFO_REMOVE_OK);
	allocator_free(rm->alloc, record, sizeof(*record));
}

/* ---- RPC --------------------------------------------------------------------------- */

static struct rm_attach_result rm_rpc_attach(void *state, struct dataspace_cap ds_cap,
                                             struct rm_attach_args args)
{
	struct rm_session_component *rm = state;
	struct dataspace_component *ds = dataspace_component_lookup(rm->ep, ds_cap);
	cap_close(ds_cap.cap);
	if (!ds) return (struct rm_attach_result){ RM_INVALID_DATASPACE, 0 };
	return rm_session_component_attach(rm, ds, args);
}

static enum rm_session_result rm_rpc_detach(void *state, uint64_t at)
{
	return rm_session_component_detach(state, at);
}

static struct rm_region_result rm_rpc_region(void *state, uint64_t addr,
                                             struct dataspace_cap *ds)
{
	struct rm_session_component *rm = state;
	struct rm_region_result r = { RM_NOT_ATTACHED, { 0, 0, 0, false, false } };
	struct rm_region_record *record = rm_region_containing(rm, addr);
	if (!record) record = rm_record(avl_tree_upper_bound(&rm->regions, &addr, rm_compare_key));
	if (!record) return r;
	r.result = RM_OK;
	r.region = record->region;
	/* invalid when the owner has freed the dataspace (or out of endpoints) */
	*ds = dataspace_component_cap(record->ds);
	return r;
}

static enum rm_session_result rm_rpc_fault_handler(void *state,
                                                   struct signal_context_cap handler)
{
	struct rm_session_component *rm = state;
	if (cap_valid(handler.cap) && signal_submit(handler, 0) != SIGNAL_SUBMIT_OK) {
		cap_close(handler.cap);
		return RM_INVALID_ARGUMENT;
	}
	cap_close(rm->fault_handler.cap);
	rm->fault_handler = handler;
	/* a handler that comes late learns of the faults that wait already */
	if (!fifo_empty(&rm->faults)) rm_fault_notify(rm);
	return RM_OK;
}

static struct rm_fault_result rm_rpc_fault_state(void *state)
{
	struct rm_session_component const *rm = state;
	struct rm_fault_result r;
	memory_set(&r, 0, sizeof(r));
	r.result = RM_OK;
	r.fault.kind = RM_FAULT_NONE;
	struct fifo_element *oldest = fifo_head(&rm->faults);
	if (oldest) r.fault = FIFO_CONTAINER(oldest, struct rm_fault_record, element)->fault;
	return r;
}

static struct rm_session_ops const rm_rpc_ops = {
	.attach = rm_rpc_attach,
	.detach = rm_rpc_detach,
	.region = rm_rpc_region,
	.fault_handler = rm_rpc_fault_handler,
	.fault_state = rm_rpc_fault_state,
};

/* ---- core's interface: the session ------------------------------------------------- */

struct rm_session_component_create_ret rm_session_component_create(struct rpc_entrypoint *ep,
                                                                   struct allocator *alloc,
                                                                   uint64_t area_start,
                                                                   uint64_t area_end)
{
	ASSERT(page_aligned(area_start) && page_aligned(area_end) && area_start < area_end);
	struct rm_session_component_create_ret r = { RM_SESSION_COMPONENT_OUT_OF_METADATA, 0,
		                                         CAP_INVALID(rm_session) };
	struct allocator_alloc_ret a = allocator_alloc(alloc, sizeof(struct rm_session_component));
	if (a.result != ALLOCATOR_OK) return r;

	struct rm_session_component *rm = a.ptr;
	*rm = (struct rm_session_component){
		.ep = ep,
		.alloc = alloc,
		.area_start = area_start,
		.area_end = area_end,
		.fault_handler = CAP_INVALID(signal_context),
	};
	avl_tree_init(&rm->regions, rm_compare, 0);
	fifo_init(&rm->faults);
	struct rm_session_cap cap = rm_session_manage(ep, &rm->object, &rm_rpc_ops, rm);
	if (!cap_valid(cap.cap)) {
		rpc_entrypoint_dissolve(ep, &rm->object);
		allocator_free(alloc, rm, sizeof(*rm));
		r.result = RM_SESSION_COMPONENT_NO_RESOURCES;
		return r;
	}
	r.result = RM_SESSION_COMPONENT_OK;
	r.rm = rm;
	r.cap = cap;
	return r;
}

void rm_session_component_destroy(struct rm_session_component *rm)
{
	rpc_entrypoint_dissolve(rm->ep, &rm->object);
	struct avl_node *node;
	while ((node = avl_tree_first(&rm->regions))) rm_region_remove(rm, rm_record(node));
	struct fifo_element *element;
	while ((element = fifo_dequeue(&rm->faults)))
		allocator_free(rm->alloc, FIFO_CONTAINER(element, struct rm_fault_record, element),
		               sizeof(struct rm_fault_record));
	cap_close(rm->fault_handler.cap);
	allocator_free(rm->alloc, rm, sizeof(*rm));
}

struct rm_session_cap rm_session_component_cap(struct rm_session_component *rm)
{
	return rm_session_object_cap(&rm->object);
}

struct rm_session_component *rm_session_component_lookup(struct rpc_entrypoint *ep,
                                                         struct rm_session_cap cap)
{
	struct rpc_object *object = rpc_entrypoint_lookup(ep, cap.cap);
	if (!object || object->dispatch != rm_session_dispatch || object->ops != &rm_rpc_ops)
		return 0;
	return object->state;
}
