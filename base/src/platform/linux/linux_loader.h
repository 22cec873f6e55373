/* SPDX-License-Identifier: MIT */
/**
 * \brief what core and the loader stub agree on besides the bootstrap interface
 */

#ifndef _LINUX_LOADER_H_
#define _LINUX_LOADER_H_

/** exit codes of a loader stub that could not start its component */
enum linux_loader_exit_code {
	LINUX_LOADER_BOOTSTRAP_FAILED = 125, /* core's bootstrap object refused or vanished */
	LINUX_LOADER_MAP_FAILED = 126,       /* a region could not be mapped where it belongs */
};

/** the name of the stub's `syscall` instruction that core uses to end a single thread */
#define LINUX_LOADER_SYSCALL_GADGET "linux_loader_syscall_gadget"

/** the loader's link address: below every component region (RM areas start at 16 MiB) */
#define LINUX_LOADER_LINK_ADDRESS 0x00400000

#endif /* _LINUX_LOADER_H_ */
