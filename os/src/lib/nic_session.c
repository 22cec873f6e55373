/* SPDX-License-Identifier: MIT */
/** \brief Nic session: the stream layout and the quota that both sides compute */

#include <nic_session/nic_session.h>

bool nic_session_geometry(uint64_t buf_size, struct packet_stream_geometry *geometry)
{
	if (buf_size < NIC_SESSION_BUF_MIN || buf_size > NIC_SESSION_BUF_MAX) return false;
	return packet_stream_geometry_init(geometry, buf_size, NIC_SESSION_QUEUE_SIZE) ==
	       PACKET_STREAM_GEOMETRY_OK;
}

uint64_t nic_session_ram_quota(uint64_t tx_buf_size, uint64_t rx_buf_size)
{
	struct packet_stream_geometry tx, rx;
	if (!nic_session_geometry(tx_buf_size, &tx) || !nic_session_geometry(rx_buf_size, &rx))
		return 0;
	return tx.total_size + rx.total_size + NIC_SESSION_RAM_META;
}
