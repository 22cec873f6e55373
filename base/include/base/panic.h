/* SPDX-License-Identifier: MIT */
/**
 * \brief panics and assertions: how a component reports a bug in itself
 *
 * A bug (a broken invariant, a double free) ends the component with a message
 * that names it. Bad input from outside is never a bug: it gets a result enum.
 */

#ifndef _BASE_PANIC_H_
#define _BASE_PANIC_H_

/**
 * Print "[<label>] panic: <message>" to the platform's last-resort output and
 * end the component abnormally. Never returns.
 */
void panic(char const *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/**
 * Name the component in panic messages.
 *
 * \param label  a string that lives as long as the component (not copied)
 */
void panic_set_label(char const *label);

#define ASSERT(cond)                                                                  \
	do {                                                                              \
		if (!(cond)) panic("%s:%d: assertion failed: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#endif /* _BASE_PANIC_H_ */
