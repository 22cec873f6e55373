/* SPDX-License-Identifier: MIT */
/**
 * \brief a TCP peer that vanishes without a FIN or RST, as one whose machine
 *        was switched off or lost its network (run/gdb_monitor_keepalive.run)
 *
 * Usage:
 *   tcp_vanish probe   whether this process may put a socket into TCP repair
 *                      mode: "tcp_vanish: repair mode available", exit 0, or
 *                      "tcp_vanish: repair mode refused: <why>", exit 2
 *   tcp_vanish <port>  connect to 127.0.0.1:<port>, say "tcp_vanish:
 *                      connected from port <local port>", wait for a line on
 *                      stdin, then vanish: "tcp_vanish: vanished", exit 0
 * Any other failure: one line that says why, exit 1.
 *
 * A socket in repair mode (TCP_REPAIR, Linux, CAP_NET_ADMIN) is closed without
 * a word to its peer: neither the FIN of a close nor the RST of a close with
 * unread data goes out, and the connection is forgotten by this host's TCP.
 * The peer learns of it only when it sends, a keepalive probe for instance:
 * this host's TCP answers that with a RST, since it knows no such connection.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { TCP_VANISH_FAILED = 1, TCP_VANISH_REFUSED = 2 };

static int tcp_vanish_fail(char const *what)
{
	printf("tcp_vanish: %s failed: %s\n", what, strerror(errno));
	return TCP_VANISH_FAILED;
}

/* put `fd` into repair mode: 0, or -1 with errno if the kernel refuses */
static int tcp_vanish_repair(int fd)
{
	int on = TCP_REPAIR_ON;
	return setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on));
}

static int tcp_vanish_probe(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) return tcp_vanish_fail("socket");
	if (tcp_vanish_repair(fd) != 0) {
		printf("tcp_vanish: repair mode refused: TCP_REPAIR: %s%s\n", strerror(errno),
		       errno == EPERM ? " (it needs CAP_NET_ADMIN)" : "");
		return TCP_VANISH_REFUSED;
	}
	close(fd);
	printf("tcp_vanish: repair mode available\n");
	return 0;
}

static int tcp_vanish_connect(char const *port_text)
{
	char *end;
	unsigned long port = strtoul(port_text, &end, 10);
	if (*port_text == 0 || *end != 0 || port == 0 || port > 65535) {
		printf("tcp_vanish: \"%s\" is no port\n", port_text);
		return TCP_VANISH_FAILED;
	}
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) return tcp_vanish_fail("socket");
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) return tcp_vanish_fail("connect");
	struct sockaddr_in from;
	socklen_t length = sizeof(from);
	if (getsockname(fd, (struct sockaddr *)&from, &length) != 0)
		return tcp_vanish_fail("getsockname");
	printf("tcp_vanish: connected from port %u\n", (unsigned)ntohs(from.sin_port));

	char line[64];
	if (!fgets(line, sizeof(line), stdin)) {
		printf("tcp_vanish: no line on stdin\n");
		return TCP_VANISH_FAILED;
	}
	if (tcp_vanish_repair(fd) != 0) return tcp_vanish_fail("TCP_REPAIR");
	if (close(fd) != 0) return tcp_vanish_fail("close");
	printf("tcp_vanish: vanished\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "probe") == 0) return tcp_vanish_probe();
	if (argc == 2) return tcp_vanish_connect(argv[1]);
	printf("usage: tcp_vanish probe | tcp_vanish <port>\n");
	return TCP_VANISH_FAILED;
}
