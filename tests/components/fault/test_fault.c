/* SPDX-License-Identifier: MIT */
/** \brief test-fault: reads an unmapped address at the label fault_read (run/fault.run) */

#include <base/env.h>
#include <base/log.h>

uint64_t fault_read(uint64_t const *address);
__asm__(".text\n"
        ".global fault_read\n"
        "fault_read:\n"
        "	mov (%rdi), %rax\n"
        "	ret\n");

int component_construct(struct env *env)
{
	(void)env;
	log_info("reading 0xdead0000");
	uint64_t value = fault_read((uint64_t const *)0xdead0000);
	log_error("the read returned 0x%lx", (unsigned long)value);
	return 1;
}
