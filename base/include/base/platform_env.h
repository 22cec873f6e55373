/* SPDX-License-Identifier: MIT */
/**
 * \brief the platform's half of the component runtime
 *
 * libbase (env.c, thread.c) is the same on every platform; these functions
 * are implemented by the platform (base/src/platform/<platform>/component/).
 * Components do not call them.
 */

#ifndef _BASE_PLATFORM_ENV_H_
#define _BASE_PLATFORM_ENV_H_

#include <base/env.h>

/**
 * Make a region that the RM session has just recorded accessible: on Linux
 * map the dataspace's descriptor there (on a kernel with real page tables
 * this is the kernel's business, and the function does nothing).
 *
 * \param size  the region's size in bytes (args->size resolved)
 */
enum env_result platform_env_map(struct dataspace_cap ds, uint64_t address, uint64_t size,
                                 struct rm_attach_args const *args)
    __attribute__((warn_unused_result));

/** undo platform_env_map */
void platform_env_unmap(uint64_t address, uint64_t size);

/** end the process with `code` */
__attribute__((noreturn)) void platform_env_exit(int code);

#endif /* _BASE_PLATFORM_ENV_H_ */
