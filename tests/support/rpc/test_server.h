/* SPDX-License-Identifier: MIT */
/** \brief the RPC tests' server: a real process serving the tester interfaces */

#ifndef _TEST_SERVER_H_
#define _TEST_SERVER_H_

#include <sys/types.h>

#include "test_interface.h"

struct test_server
{
	pid_t pid;
	struct tester_cap cap; /* of a tester_ext object when `extended` */
};

/** fork a server process and receive the capability of its tester object */
struct test_server test_server_spawn(bool extended);

/** kill the server process and wait for it */
void test_server_kill(struct test_server *server);

#endif /* _TEST_SERVER_H_ */
