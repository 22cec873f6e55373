/* SPDX-License-Identifier: MIT */
/**
 * \brief test-nic-vanish: a Nic client that sends frames without receiving
 *        any until its tx queue is full, and exits then, its session open
 *        (run/nic.run, started by test-nic)
 *
 * When it exits, the driver holds a full tx queue of its frames, a frame
 * it could not deliver, and a full rx queue: the parent closes the session,
 * and the driver must forget all of it and serve the next client. Log
 * lines: `sending without receiving`, `leaving in the middle of a burst`
 * (exit code 0), and `... frames in flight` on a line of its own; a failure
 * is an `Error: ` line and exit code 1.
 */

#include <base/log.h>
#include <nic_session/connection.h>

enum { VANISH_FRAME = 64, VANISH_FRAMES_MAX = 4096 };

int component_construct(struct env *env)
{
	static struct nic_connection nic;
	struct nic_connection_args args = { .label = "",
		                                .tx_buf_size = NIC_SESSION_BUF_MIN,
		                                .rx_buf_size = NIC_SESSION_BUF_MIN };
	enum nic_connection_result r = nic_connection_init(&nic, env, &args);
	if (r != NIC_CONNECTION_OK) {
		log_error("no Nic connection (%d)", (int)r);
		return 1;
	}
	log_info("sending without receiving");
	unsigned sent = 0;
	for (; sent < VANISH_FRAMES_MAX; sent++) {
		struct packet_stream_alloc_ret a = packet_stream_source_alloc(&nic.tx, VANISH_FRAME);
		if (a.result != PACKET_STREAM_ALLOC_OK) break;
		uint8_t *frame = packet_stream_source_content(&nic.tx, a.packet);
		for (unsigned i = 0; i < VANISH_FRAME; i++) frame[i] = (uint8_t)(sent + i);
		if (packet_stream_source_try_submit(&nic.tx, a.packet) != PACKET_STREAM_OK) break;
	}
	if (sent == VANISH_FRAMES_MAX) {
		log_error("the tx stream never filled up");
		return 1;
	}
	log_info("%u frames in flight", sent);
	log_info("leaving in the middle of a burst");
	return 0; /* without closing: the parent does */
}
