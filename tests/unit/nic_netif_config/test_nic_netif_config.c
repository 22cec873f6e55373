/* SPDX-License-Identifier: MIT */
/**
 * \brief unit test: the <net> node of a component's config (nic_netif_config.h)
 */

#include <nic_netif/nic_netif_config.h>
#include <unit_test.h>
#include <util/string.h>

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* parse `text` as a whole config; the document must be well-formed */
static struct nic_netif_config_ret parse(char const *text, struct nic_netif_config *out)
{
	struct xml_parse_ret doc = xml_parse(text, string_length(text));
	CHECK_EQ(doc.result, XML_PARSE_OK);
	return nic_netif_config_parse(doc.root, out);
}

/* the result of a config that must fail, with the attribute it names ("" for none) */
static void check_error(char const *text, enum nic_netif_config_result want,
                        char const *attribute)
{
	struct nic_netif_config out = { .dhcp = false, .address = 0x12345678 };
	struct nic_netif_config_ret r = parse(text, &out);
	CHECK_EQ(r.result, want);
	CHECK_EQ_U(r.attribute.name.length, string_length(attribute));
	CHECK_MEM(r.attribute.name.start, attribute, string_length(attribute));
	CHECK_EQ_U(out.address, 0x12345678); /* untouched */
}

static bool ip4(char const *text, uint32_t *address)
{
	return nic_netif_config_ip4_parse(text, string_length(text), address);
}

TEST(no_net_node_is_dhcp)
{
	struct nic_netif_config out = { .address = 1 };
	CHECK_EQ(parse("<config><tcp port=\"1\"/></config>", &out).result, NIC_NETIF_CONFIG_OK);
	CHECK(out.dhcp);
	CHECK_EQ_U(out.address, 0);
	CHECK_EQ(parse("<config/>", &out).result, NIC_NETIF_CONFIG_OK);
	CHECK(out.dhcp);
}

TEST(dhcp)
{
	struct nic_netif_config out = { 0 };
	CHECK_EQ(parse("<config><net dhcp=\"yes\"/></config>", &out).result, NIC_NETIF_CONFIG_OK);
	CHECK(out.dhcp);
	CHECK_EQ_U(out.address, 0);
	CHECK_EQ_U(out.netmask, 0);
	CHECK_EQ_U(out.gateway, 0);
	out.dhcp = false;
	CHECK_EQ(parse("<config><net dhcp=\"true\"></net></config>", &out).result,
	         NIC_NETIF_CONFIG_OK);
	CHECK(out.dhcp);
}

TEST(static_address)
{
	struct nic_netif_config out = { .dhcp = true };
	char const *text = "<config><net address=\"10.0.2.15\" netmask=\"255.255.255.0\" "
	                   "gateway=\"10.0.2.2\"/></config>";
	CHECK_EQ(parse(text, &out).result, NIC_NETIF_CONFIG_OK);
	CHECK(!out.dhcp);
	CHECK_EQ_U(out.address, IP(10, 0, 2, 15));
	CHECK_EQ_U(out.netmask, IP(255, 255, 255, 0));
	CHECK_EQ_U(out.gateway, IP(10, 0, 2, 2));
}

TEST(static_address_attribute_order_free_gateway_optional)
{
	struct nic_netif_config out = { .gateway = 7 };
	CHECK_EQ(parse("<config><net netmask=\"255.0.0.0\" dhcp=\"no\" address=\"10.1.2.3\"/>"
	               "</config>",
	               &out)
	             .result,
	         NIC_NETIF_CONFIG_OK);
	CHECK(!out.dhcp);
	CHECK_EQ_U(out.address, IP(10, 1, 2, 3));
	CHECK_EQ_U(out.netmask, IP(255, 0, 0, 0));
	CHECK_EQ_U(out.gateway, 0);
}

TEST(point_to_point_and_host_masks)
{
	struct nic_netif_config out;
	/* /31 and /32 have no network or broadcast address: both ends are hosts */
	CHECK_EQ(parse("<config><net address=\"10.0.0.0\" netmask=\"255.255.255.254\" "
	               "gateway=\"10.0.0.1\"/></config>",
	               &out)
	             .result,
	         NIC_NETIF_CONFIG_OK);
	CHECK_EQ_U(out.gateway, IP(10, 0, 0, 1));
	CHECK_EQ(parse("<config><net address=\"10.0.0.255\" netmask=\"255.255.255.255\"/></config>",
	               &out)
	             .result,
	         NIC_NETIF_CONFIG_OK);
	/* the largest network, /1 */
	CHECK_EQ(parse("<config><net address=\"10.0.0.1\" netmask=\"128.0.0.0\"/></config>", &out)
	             .result,
	         NIC_NETIF_CONFIG_OK);
}

TEST(ip4_parse_strict)
{
	uint32_t a = 0;
	CHECK(ip4("0.0.0.0", &a));
	CHECK_EQ_U(a, 0);
	CHECK(ip4("255.255.255.255", &a));
	CHECK_EQ_U(a, 0xffffffffu);
	CHECK(ip4("1.20.199.7", &a));
	CHECK_EQ_U(a, IP(1, 20, 199, 7));
	char const *bad[] = { "",         "1",         "1.2.3",     "1.2.3.4.",  "1.2.3.4.5",
		                  ".1.2.3",   "1..2.3",    "256.1.1.1", "1.1.1.256", "1.2.3.0004",
		                  "01.2.3.4", "1.2.3.00",  "1.2.3.4 ",  " 1.2.3.4",  "1.2.3.-4",
		                  "1.2.3.4x", "0x1.2.3.4", "1,2,3,4",   "1000.2.3.4" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		a = 0x5a5a5a5a;
		CHECK(!ip4(bad[i], &a));
		CHECK_EQ_U(a, 0x5a5a5a5a);
	}
	/* the length bounds the text: no NUL needed, nothing read beyond */
	CHECK(nic_netif_config_ip4_parse("10.0.2.15999", 8, &a));
	CHECK_EQ_U(a, IP(10, 0, 2, 1));
	CHECK(!nic_netif_config_ip4_parse("10.0.2.15", 6, &a));
}

TEST(ip4_format)
{
	char buf[16];
	nic_netif_config_ip4_format(IP(10, 0, 2, 15), buf, sizeof buf);
	CHECK_STR(buf, "10.0.2.15");
	nic_netif_config_ip4_format(0xffffffffu, buf, sizeof buf);
	CHECK_STR(buf, "255.255.255.255");
	nic_netif_config_ip4_format(0, buf, sizeof buf);
	CHECK_STR(buf, "0.0.0.0");
}

TEST(node_and_attribute_errors)
{
	check_error("<config><net dhcp=\"yes\"/><net dhcp=\"yes\"/></config>",
	            NIC_NETIF_CONFIG_DUPLICATE_NODE, "");
	check_error("<config><net dhcp=\"yes\" mtu=\"9000\"/></config>",
	            NIC_NETIF_CONFIG_UNKNOWN_ATTRIBUTE, "mtu");
	check_error("<config><net Address=\"10.0.2.15\" netmask=\"255.0.0.0\"/></config>",
	            NIC_NETIF_CONFIG_UNKNOWN_ATTRIBUTE, "Address");
	check_error("<config><net dhcp=\"maybe\"/></config>", NIC_NETIF_CONFIG_BAD_DHCP, "dhcp");
	check_error("<config><net/></config>", NIC_NETIF_CONFIG_NO_ADDRESS, "");
	check_error("<config><net dhcp=\"no\"/></config>", NIC_NETIF_CONFIG_NO_ADDRESS, "dhcp");
	check_error("<config><net netmask=\"255.0.0.0\"/></config>", NIC_NETIF_CONFIG_NO_ADDRESS,
	            "");
}

TEST(dhcp_takes_no_static_part)
{
	check_error("<config><net dhcp=\"yes\" address=\"10.0.2.15\"/></config>",
	            NIC_NETIF_CONFIG_DHCP_AND_STATIC, "address");
	check_error("<config><net netmask=\"255.0.0.0\" dhcp=\"yes\"/></config>",
	            NIC_NETIF_CONFIG_DHCP_AND_STATIC, "netmask");
	check_error("<config><net dhcp=\"yes\" gateway=\"10.0.2.2\"/></config>",
	            NIC_NETIF_CONFIG_DHCP_AND_STATIC, "gateway");
}

TEST(address_errors)
{
	check_error("<config><net address=\"10.0.2\" netmask=\"255.0.0.0\"/></config>",
	            NIC_NETIF_CONFIG_NOT_AN_ADDRESS, "address");
	check_error("<config><net address=\"10.0.2.15\"/></config>", NIC_NETIF_CONFIG_NO_NETMASK,
	            "address");
	check_error("<config><net address=\"10.0.2.15\" netmask=\"255.0.255.0\"/></config>",
	            NIC_NETIF_CONFIG_BAD_NETMASK, "netmask");
	check_error("<config><net address=\"10.0.2.15\" netmask=\"0.0.0.0\"/></config>",
	            NIC_NETIF_CONFIG_BAD_NETMASK, "netmask");
	check_error("<config><net address=\"10.0.2.15\" netmask=\"255.255.255.1\"/></config>",
	            NIC_NETIF_CONFIG_BAD_NETMASK, "netmask");
	check_error("<config><net address=\"10.0.2.15\" netmask=\"24\"/></config>",
	            NIC_NETIF_CONFIG_NOT_AN_ADDRESS, "netmask");
	char const *not_unicast[] = { "0.0.0.0",   "0.1.2.3",   "127.0.0.1",      "224.0.0.1",
		                          "239.1.1.1", "240.0.0.1", "255.255.255.255" };
	for (size_t i = 0; i < sizeof not_unicast / sizeof not_unicast[0]; i++) {
		char text[128];
		(void)string_copy(text, "<config><net netmask=\"255.255.255.0\" address=\"", 128);
		size_t l = string_length(text);
		(void)string_copy(text + l, not_unicast[i], 128 - l);
		l = string_length(text);
		(void)string_copy(text + l, "\"/></config>", 128 - l);
		check_error(text, NIC_NETIF_CONFIG_NOT_UNICAST, "address");
	}
	check_error("<config><net address=\"10.0.2.0\" netmask=\"255.255.255.0\"/></config>",
	            NIC_NETIF_CONFIG_NETWORK_ADDRESS, "address");
	check_error("<config><net address=\"10.0.2.255\" netmask=\"255.255.255.0\"/></config>",
	            NIC_NETIF_CONFIG_NOT_UNICAST, "address");
	check_error("<config><net address=\"10.0.0.4\" netmask=\"255.255.255.252\"/></config>",
	            NIC_NETIF_CONFIG_NETWORK_ADDRESS, "address");
}

TEST(gateway_errors)
{
	check_error("<config><net address=\"10.0.2.15\" netmask=\"255.255.255.0\" "
	            "gateway=\"10.0.3.1\"/></config>",
	            NIC_NETIF_CONFIG_GATEWAY_ELSEWHERE, "gateway");
	check_error("<config><net address=\"10.0.2.15\" netmask=\"255.255.255.0\" "
	            "gateway=\"10.0.2.15\"/></config>",
	            NIC_NETIF_CONFIG_GATEWAY_IS_ADDRESS, "gateway");
	check_error("<config><net address=\"10.0.2.15\" netmask=\"255.255.255.0\" "
	            "gateway=\"10.0.2.255\"/></config>",
	            NIC_NETIF_CONFIG_NOT_UNICAST, "gateway");
	check_error("<config><net address=\"10.0.2.15\" netmask=\"255.255.255.0\" "
	            "gateway=\"10.0.2.0\"/></config>",
	            NIC_NETIF_CONFIG_NETWORK_ADDRESS, "gateway");
	check_error("<config><net address=\"10.0.2.15\" netmask=\"255.255.255.0\" "
	            "gateway=\"10.0.2\"/></config>",
	            NIC_NETIF_CONFIG_NOT_AN_ADDRESS, "gateway");
}

TEST(messages)
{
	char buf[160];
	struct nic_netif_config out;
	struct nic_netif_config_ret r =
	    parse("<config><net address=\"10.0.2\" netmask=\"255.0.0.0\"/></config>", &out);
	size_t length = nic_netif_config_message(r, buf, sizeof buf);
	CHECK_STR(buf, "<net address=\"10.0.2\">: not an IPv4 address (a.b.c.d, each 0..255)");
	CHECK_EQ_U(length, string_length(buf));
	r = parse("<config><net/></config>", &out);
	(void)nic_netif_config_message(r, buf, sizeof buf);
	CHECK_STR(buf, "<net>: neither dhcp=\"yes\" nor an address");
	/* cut to the buffer, NUL-terminated, the whole length reported */
	length = nic_netif_config_message(r, buf, 8);
	CHECK_STR(buf, "<net>: ");
	CHECK_EQ_U(length, string_length("<net>: neither dhcp=\"yes\" nor an address"));
	/* every result has words of its own */
	for (int i = NIC_NETIF_CONFIG_OK; i <= NIC_NETIF_CONFIG_GATEWAY_IS_ADDRESS; i++)
		CHECK(!string_equal(nic_netif_config_result_text((enum nic_netif_config_result)i),
		                    "unknown"));
	CHECK_STR(nic_netif_config_result_text((enum nic_netif_config_result)99), "unknown");
}
