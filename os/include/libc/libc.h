/* SPDX-License-Identifier: MIT */
/**
 * \brief the framework's side of the C library: the env of a component with main()
 *
 * A component that links `libc` may implement main(argc, argv) instead of
 * component_construct(); the library then implements component_construct:
 * argv are the `<arg value="..."/>` nodes of the component's config, and the
 * return value of main is the exit code (through exit(), so atexit handlers
 * run and stdio is flushed). A component that implements component_construct
 * itself uses the C library just as well.
 */

#ifndef _LIBC_LIBC_H_
#define _LIBC_LIBC_H_

#include <base/env.h>

/** the component's env (also before main, and from every thread) */
struct env *libc_env(void);

#endif /* _LIBC_LIBC_H_ */
