/* SPDX-License-Identifier: MIT */
/**
 * \brief the entry of every component process: build the env, call
 *        component_construct, report the exit to the parent
 *
 * The loader stub jumps to _start on the main thread's stack (set up by the
 * parent) with the parent capability's handle in rdx.
 */

#include <base/env.h>
#include <base/log.h>
#include <base/platform_env.h>

#include "syscall.h"

/* the one environment of the component (DESIGN: no other runtime globals) */
static struct env component_env;

__attribute__((used, noreturn)) void component_startup(int parent_handle);
void component_startup(int parent_handle)
{
	struct env *env = &component_env;
	int code = env_init(env, (struct parent_cap){ { parent_handle } }, true);
	if (code != 0) {
		(void)parent_exit(env->parent, code);
		platform_env_exit(code);
	}
	env_exit(env, component_construct(env));
}

__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "	.cfi_startproc\n"
        "	.cfi_undefined %rip\n" /* the outermost frame: backtraces end here */
        "	mov %rdx, %rdi\n"
        "	xor %ebp, %ebp\n"
        "	and $-16, %rsp\n"
        "	call component_startup\n"
        "	ud2\n"
        "	.cfi_endproc\n");
