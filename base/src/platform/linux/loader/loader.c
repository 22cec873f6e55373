/* SPDX-License-Identifier: MIT */
/**
 * \brief the loader stub: the first program of every component process
 *
 * Core starts it with one capability, the PD's bootstrap object (descriptor
 * LINUX_BOOTSTRAP_HANDLE). The stub maps every region of the component's
 * address space, MAP_FIXED|MAP_SHARED, with the dataspace descriptors core
 * hands out; then it unmaps its own writeable data and jumps to the entry
 * point with the parent capability's handle in rdi. What remains of the stub
 * is its text (which holds the syscall gadget core uses to end single
 * threads, see linux_loader_syscall_gadget) and the initial Linux stack.
 *
 * A failure ends the process with a distinct exit code that core reports
 * (linux_loader_exit_code in linux_loader.h).
 */

#include <util/elf.h>
#include <util/string.h>

#include "linux_abi.h"
#include "linux_loader.h"
#include "linux_session.h"
#include "syscall.h"

/* the ELF header of this very program, placed by the linker */
extern char const __ehdr_start[];

__attribute__((noreturn)) static void loader_fail(enum linux_loader_exit_code code)
{
	for (;;) linux_syscall1(SYS_exit_group, code);
}

static void loader_map_regions(struct linux_bootstrap_cap bootstrap)
{
	for (uint32_t index = 0;; index++) {
		struct linux_fd_cap fd = CAP_INVALID(linux_fd);
		struct rm_region_result r = linux_bootstrap_region(bootstrap, index, &fd);
		if (r.result == RM_NOT_ATTACHED) return;
		if (r.result != RM_OK) loader_fail(LINUX_LOADER_BOOTSTRAP_FAILED);

		long prot = LINUX_PROT_READ;
		if (r.region.writeable) prot |= LINUX_PROT_WRITE;
		if (r.region.executable) prot |= LINUX_PROT_EXEC;
		long at = linux_syscall6(SYS_mmap, (long)r.region.start, (long)r.region.size, prot,
		                         LINUX_MAP_SHARED | LINUX_MAP_FIXED, fd.cap.handle,
		                         (long)r.region.offset);
		cap_close(fd.cap);
		if (at != (long)r.region.start) loader_fail(LINUX_LOADER_MAP_FAILED);
	}
}

/*
 * The writeable segment of the stub itself, found through its own program
 * headers (which the kernel mapped with the ELF header): after the jump
 * nothing uses it. (Not util/elf: it validates a whole file in one buffer,
 * and the stub's own file is not mapped as one.)
 */
static void loader_own_data(uint64_t *start, uint64_t *size)
{
	*start = *size = 0;
	uint64_t phoff;
	uint16_t phentsize, phnum;
	memory_copy(&phoff, __ehdr_start + 32, sizeof(phoff));
	memory_copy(&phentsize, __ehdr_start + 54, sizeof(phentsize));
	memory_copy(&phnum, __ehdr_start + 56, sizeof(phnum));
	for (unsigned i = 0; i < phnum; i++) {
		char const *ph = __ehdr_start + phoff + (uint64_t)i * phentsize;
		uint32_t type, flags;
		uint64_t vaddr, memsz;
		memory_copy(&type, ph, sizeof(type));
		memory_copy(&flags, ph + 4, sizeof(flags));
		memory_copy(&vaddr, ph + 16, sizeof(vaddr));
		memory_copy(&memsz, ph + 40, sizeof(memsz));
		if (type != ELF_SEGMENT_LOAD || !(flags & ELF_SEGMENT_WRITABLE)) continue;
		*start = vaddr & ~4095ull;
		*size = ((vaddr + memsz + 4095) & ~4095ull) - *start;
		return;
	}
}

/* unmap the stub's data, switch to the component's stack, jump */
__attribute__((noreturn)) static void loader_enter(uint64_t ip, uint64_t sp, int parent_handle,
                                                   uint64_t data_start, uint64_t data_size)
{
	__asm__ volatile("syscall\n\t" /* munmap(data_start, data_size): no memory use after it */
	                 "mov %[sp], %%rsp\n\t"
	                 "xor %%ebp, %%ebp\n\t"
	                 "jmp *%[ip]\n\t"
	                 :
	                 : "a"((long)SYS_munmap), "D"(data_start),
	                   "S"(data_size), [sp] "r"(sp), [ip] "r"(ip), "d"((long)parent_handle)
	                 : "rcx", "r11", "memory");
	__builtin_unreachable();
}

__attribute__((used, noreturn)) void loader_main(void);
void loader_main(void)
{
	struct linux_bootstrap_cap bootstrap = { { LINUX_BOOTSTRAP_HANDLE } };
	loader_map_regions(bootstrap);

	struct parent_cap parent = CAP_INVALID(parent);
	struct linux_start_info_result start = linux_bootstrap_start_info(bootstrap, &parent);
	if (start.result != PD_OK) loader_fail(LINUX_LOADER_BOOTSTRAP_FAILED);
	cap_close(bootstrap.cap);

	uint64_t data_start, data_size;
	loader_own_data(&data_start, &data_size);
	/* rdi is set from rdx by the entry code of the component (see component_start.c) */
	loader_enter(start.info.ip, start.info.sp, parent.cap.handle, data_start, data_size);
}

/*
 * The gadget core uses to end one thread: it points the stopped thread's ip
 * here with rax = SYS_exit. It lives in the stub's text, which stays mapped.
 */
__asm__(".text\n"
        ".global linux_loader_syscall_gadget\n"
        "linux_loader_syscall_gadget:\n"
        "	syscall\n"
        "	ud2\n"
        ".global _start\n"
        "_start:\n"
        "	xor %ebp, %ebp\n"
        "	and $-16, %rsp\n"
        "	call loader_main\n"
        "	ud2\n");
