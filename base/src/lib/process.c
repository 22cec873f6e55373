/* SPDX-License-Identifier: MIT */
/** \brief process: ELF segments into RAM dataspaces of the child, stack, main thread */

#include <base/hybrid.h>
#include <base/log.h>
#include <base/process.h>
#include <util/elf.h>
#include <util/string.h>

enum { PROCESS_SEGMENTS_MAX = 16 };

struct process_loading
{
	struct process_args const *args;
	struct dataspace_cap ds[PROCESS_SEGMENTS_MAX + 1]; /* segments and the stack */
	unsigned ds_count;
	bool hybrid; /* a host program that the platform starts itself (base/hybrid.h) */
};

static void process_loading_free(struct process_loading *l)
{
	for (unsigned i = 0; i < l->ds_count; i++) {
		(void)ram_session_free(l->args->ram, l->ds[i]);
		cap_close(l->ds[i].cap);
	}
	l->ds_count = 0;
}

static enum process_result process_ram_alloc(struct process_loading *l, uint64_t size,
                                             struct dataspace_cap *ds)
{
	enum ram_session_result r = ram_session_alloc(l->args->ram, size, ds);
	if (r != RAM_OK) {
		log_error("process %s: %lu bytes of RAM denied (%d)", l->args->name,
		          (unsigned long)size, (int)r);
		return r == RAM_OUT_OF_QUOTA ? PROCESS_OUT_OF_QUOTA : PROCESS_START_FAILED;
	}
	l->ds[l->ds_count++] = *ds;
	return PROCESS_OK;
}

static enum process_result process_rm_attach(struct process_loading *l, struct dataspace_cap ds,
                                             struct rm_attach_args args)
{
	struct rm_attach_result r = rm_session_attach(l->args->rm, ds, args);
	if (r.result == RM_OK) return PROCESS_OK;
	log_error("process %s: region [%lx, %lx) denied by the RM session (%d)", l->args->name,
	          (unsigned long)args.at, (unsigned long)(args.at + args.size), (int)r.result);
	return PROCESS_REGION_DENIED;
}

static enum process_result process_load_segment(struct process_loading *l,
                                                struct elf_segment const *segment)
{
	uint64_t start = segment->vaddr & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t size = page_round_up(segment->vaddr + segment->memsz) - start;
	if (l->ds_count == PROCESS_SEGMENTS_MAX) {
		log_error("process %s: more than %d segments", l->args->name, PROCESS_SEGMENTS_MAX);
		return PROCESS_INVALID_ELF;
	}

	struct dataspace_cap ds;
	enum process_result r = process_ram_alloc(l, size, &ds);
	if (r != PROCESS_OK) return r;

	/* the dataspace comes zeroed: only the file bytes need copying */
	if (segment->filesz) {
		void *local = l->args->local->attach(l->args->local_state, ds, size, true);
		if (!local) return PROCESS_LOCAL_ATTACH_FAILED;
		memory_copy((char *)local + (segment->vaddr - start), segment->bytes, segment->filesz);
		l->args->local->detach(l->args->local_state, local, size);
	}

	struct rm_attach_args args = { .size = size,
		                           .at = start,
		                           .use_at = true,
		                           .executable = (segment->flags & ELF_SEGMENT_EXECUTABLE) != 0,
		                           .writeable = (segment->flags & ELF_SEGMENT_WRITABLE) != 0 };
	return process_rm_attach(l, ds, args);
}

static enum process_result process_load(struct process_loading *l, struct process *process,
                                        void const *elf, uint64_t elf_size)
{
	struct elf_image image;
	enum elf_result e = elf_image_init(&image, elf, elf_size);
	/* a hybrid is the platform's to start, as it is: nothing to load here */
	enum hybrid_mark mark = e == ELF_OK ? hybrid_image_mark(&image) : HYBRID_MARK_NONE;
	if (mark == HYBRID_MARK_OTHER_VERSION) {
		log_error("process %s: a hybrid of another runtime version", l->args->name);
		return PROCESS_INVALID_ELF;
	}
	if (mark == HYBRID_MARK_OK) {
		l->hybrid = true;
		process->entry = 0;
		return PROCESS_OK;
	}
	if (e != ELF_OK) {
		log_error("process %s: not a loadable executable (%s)", l->args->name,
		          elf_result_string(e));
		return PROCESS_INVALID_ELF;
	}
	/* before the type: a host program (PIE, so ET_DYN) is told by its interpreter */
	for (unsigned i = 0; i < image.program_count; i++) {
		struct elf_segment segment;
		if (elf_image_program_header(&image, i, &segment) == ELF_OK &&
		    segment.type == ELF_SEGMENT_INTERP) {
			log_error("process %s: dynamically linked executables are not supported "
			          "(a host program without the hybrid runtime)",
			          l->args->name);
			return PROCESS_INVALID_ELF;
		}
	}
	if (image.type != ELF_TYPE_EXEC) {
		log_error("process %s: not a loadable executable (not ET_EXEC)", l->args->name);
		return PROCESS_INVALID_ELF;
	}
	for (unsigned i = 0; i < image.load_count; i++) {
		struct elf_segment segment;
		if (elf_image_load_segment(&image, i, &segment) != ELF_OK) return PROCESS_INVALID_ELF;
		if (i > 0) {
			struct elf_segment previous;
			if (elf_image_load_segment(&image, i - 1, &previous) != ELF_OK ||
			    page_round_up(previous.vaddr + previous.memsz) > (segment.vaddr & ~4095ull)) {
				log_error("process %s: segments %u and %u share a page", l->args->name, i - 1,
				          i);
				return PROCESS_INVALID_ELF;
			}
		}
		enum process_result r = process_load_segment(l, &segment);
		if (r != PROCESS_OK) return r;
	}
	process->entry = image.entry;
	return PROCESS_OK;
}

static enum process_result process_stack(struct process_loading *l, uint64_t *sp)
{
	struct dataspace_cap ds;
	enum process_result r = process_ram_alloc(l, ENV_MAIN_STACK_SIZE, &ds);
	if (r != PROCESS_OK) return r;
	uint64_t top = ENV_STACK_AREA_START + ENV_STACK_SLOT_SIZE;
	struct rm_attach_args args = { .size = ENV_MAIN_STACK_SIZE,
		                           .at = top - ENV_MAIN_STACK_SIZE,
		                           .use_at = true,
		                           .writeable = true };
	*sp = top;
	return process_rm_attach(l, ds, args);
}

static enum process_result process_main_thread(struct process_loading *l,
                                               struct process *process, uint64_t sp)
{
	struct process_args const *a = l->args;
	if (pd_session_assign_parent(a->pd, a->parent) != PD_OK ||
	    pd_session_bind_address_space(a->pd, a->address_space) != PD_OK) {
		log_error("process %s: the PD session refused the parent or address space", a->name);
		return PROCESS_START_FAILED;
	}
	enum cpu_session_result r =
	    cpu_session_create_thread(a->cpu, a->pd, "main", &process->main_thread);
	if (r == CPU_OK) r = cpu_session_start(a->cpu, process->main_thread, process->entry, sp);
	if (r != CPU_OK) {
		log_error("process %s: the CPU session refused the main thread (%d)", a->name, (int)r);
		return PROCESS_START_FAILED;
	}
	return PROCESS_OK;
}

enum process_result process_start(struct process *process, struct process_args const *args)
{
	struct process_loading l = { .args = args };
	memory_set(process, 0, sizeof(*process));
	process->main_thread = CAP_INVALID(cpu_thread);

	struct dataspace_info_result info = dataspace_info(args->elf);
	if (info.result != DATASPACE_OK) {
		log_error("process %s: the executable's dataspace is invalid", args->name);
		return PROCESS_INVALID_ELF;
	}
	void *elf = args->local->attach(args->local_state, args->elf, info.info.size, false);
	if (!elf) return PROCESS_LOCAL_ATTACH_FAILED;
	enum process_result r = process_load(&l, process, elf, info.info.size);
	args->local->detach(args->local_state, elf, info.info.size);

	uint64_t sp = 0;
	if (r == PROCESS_OK) r = l.hybrid ? platform_process_hybrid(args) : process_stack(&l, &sp);
	if (r == PROCESS_OK) r = process_main_thread(&l, process, sp);
	if (r != PROCESS_OK) {
		process_loading_free(&l);
		cap_close(process->main_thread.cap);
		process->main_thread = CAP_INVALID(cpu_thread);
		return r;
	}
	/* the child's RAM session owns the dataspaces; our capabilities are not needed */
	for (unsigned i = 0; i < l.ds_count; i++) cap_close(l.ds[i].cap);
	return PROCESS_OK;
}
