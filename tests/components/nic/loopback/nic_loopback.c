/* SPDX-License-Identifier: MIT */
/**
 * \brief nic_loopback: a NIC driver whose device echoes every frame that the
 *        client transmits back to it as received (run/nic.run)
 *
 * The device code of a driver on <nic/driver.h>, and nothing else: no host
 * parts. A transmitted frame goes straight into the client's rx stream.
 * When that has no room (the client does not acknowledge its rx packets),
 * the device is busy: the helper keeps the frame and the rest of the tx
 * queue, and offers it again once the client acknowledged rx packets. So
 * the client's own backpressure on rx stops its tx, and no frame is lost.
 * A frame sent before rx is connected has nowhere to go and is dropped.
 *
 * Config: `<config frame_max="1514"/>` (the default), the largest frame.
 * The MAC address is 02:00:00:00:00:01 (locally administered).
 */

#include <base/log.h>
#include <nic/driver.h>
#include <os/config.h>

enum { LOOPBACK_FRAME_MAX = 1514 };

struct loopback
{
	struct nic_driver *driver;
};

static enum nic_driver_transmit_result loopback_transmit(void *state, void const *frame,
                                                         size_t size)
{
	struct loopback *loopback = state;
	switch (nic_driver_receive(loopback->driver, frame, size)) {
	case NIC_DRIVER_RECEIVE_OK:
		return NIC_DRIVER_TRANSMIT_OK;
	case NIC_DRIVER_RECEIVE_FULL:
		return NIC_DRIVER_TRANSMIT_BUSY;
	case NIC_DRIVER_RECEIVE_NO_CLIENT:
	case NIC_DRIVER_RECEIVE_INVALID_SIZE:
		break;
	}
	return NIC_DRIVER_TRANSMIT_DROPPED;
}

static struct nic_driver_ops const loopback_ops = { loopback_transmit };

static uint32_t loopback_frame_max(struct env *env)
{
	struct config config;
	if (config_init(&config, env) != CONFIG_OK) return LOOPBACK_FRAME_MAX;
	uint32_t frame_max = LOOPBACK_FRAME_MAX;
	if (xml_node_has_attribute(config.root, "frame_max")) {
		struct xml_unsigned_ret v = xml_node_attribute_unsigned(config.root, "frame_max");
		/* out of range: nic_driver_create refuses it with a message */
		frame_max = v.result == XML_ACCESS_OK && v.value <= UINT32_MAX ? (uint32_t)v.value : 0;
	}
	config_destroy(&config, env);
	return frame_max;
}

int component_construct(struct env *env)
{
	static struct loopback loopback;
	struct nic_driver_args args = {
		.mac = { { 0x02, 0, 0, 0, 0, 0x01 } },
		.frame_max = loopback_frame_max(env),
		.link_up = true,
	};
	struct nic_driver_create_ret created =
	    nic_driver_create(env, &loopback_ops, &loopback, &args);
	if (created.result != NIC_DRIVER_OK) return 1;
	loopback.driver = created.driver;
	if (nic_driver_announce(loopback.driver) != NIC_DRIVER_OK) return 1;
	nic_driver_serve(loopback.driver);
}
