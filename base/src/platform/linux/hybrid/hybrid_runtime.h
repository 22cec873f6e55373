/* SPDX-License-Identifier: MIT */
/**
 * \brief what the files of the hybrid runtime share
 *
 * The runtime's process-wide state is one struct (hybrid_start.c); the other
 * files know only these functions.
 */

#ifndef _PLATFORM_LINUX_HYBRID_RUNTIME_H_
#define _PLATFORM_LINUX_HYBRID_RUNTIME_H_

#include <stdbool.h>
#include <stdint.h>

/*
 * The window of the address space where the runtime maps dataspaces: the low
 * part of the RM session's area (core's RM areas start at 16 MiB), where the
 * RM session's first fit places regions and the stack area lies
 * (ENV_STACK_AREA_START). A PIE host program and its libraries live far above.
 */
#define HYBRID_WINDOW_START 0x01000000ull
#define HYBRID_WINDOW_SIZE  (64ull << 30)

/**
 * Reserve the window (no access, no memory committed), so that nothing of
 * the host (glibc's mmap, brk) can take a part of it.
 *
 * \return false (logged to the console) if something occupies a part already
 */
bool hybrid_window_reserve(void) __attribute__((warn_unused_result));

#endif /* _PLATFORM_LINUX_HYBRID_RUNTIME_H_ */
