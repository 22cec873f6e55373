/* SPDX-License-Identifier: MIT */
/**
 * \brief test-memory: a variable that the parent reads and changes through
 *        the child's RM session (run/memory.run)
 */

#include <base/env.h>
#include <base/log.h>
#include <base/signal.h>

uint64_t volatile memory_value = 0x1111;
uint64_t volatile memory_ack;

int component_construct(struct env *env)
{
	(void)env;
	log_info("memory_value is 0x%lx", (unsigned long)memory_value);
	while (memory_value == 0x1111) __asm__ volatile("pause");
	log_info("memory_value changed to 0x%lx", (unsigned long)memory_value);
	memory_ack = 1;

	/* stay, so that the run script can compare the process's mappings */
	static struct signal_receiver receiver;
	static struct signal_slot slot;
	if (signal_receiver_init(&receiver, &slot, 1) != SIGNAL_RECEIVER_OK) return 1;
	struct signal s = signal_receiver_wait(&receiver);
	return s.result == SIGNAL_OK ? 0 : 1;
}
