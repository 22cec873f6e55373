/* SPDX-License-Identifier: MIT */
/** \brief unit tests of the GDB monitor's config: target, RAM, its config, port, start mode */

#include <gdb_server/monitor_config.h>
#include <util/string.h>

#include "unit_test.h"

static enum gdb_monitor_config_result parse(char const *text, struct gdb_monitor_config *out)
{
	struct xml_parse_ret doc = xml_parse(text, string_length(text));
	if (doc.result != XML_PARSE_OK) return (enum gdb_monitor_config_result) - 1;
	return gdb_monitor_config_parse(doc.root, out);
}

TEST(monitor_config_of_the_issue)
{
	static char const text[] = "<config><target name=\"test-gdb_monitor\" ram=\"8M\">"
	                           " <config fault=\"segv\"><arg value=\"x\"/></config> </target>"
	                           " <tcp port=\"8181\"/> <wait/></config>";
	struct gdb_monitor_config c;
	CHECK_EQ(parse(text, &c), GDB_MONITOR_CONFIG_OK);
	CHECK_STR(c.name, "test-gdb_monitor");
	CHECK_STR(c.binary, "test-gdb_monitor");
	CHECK_EQ_U(c.ram, 8 << 20);
	CHECK_EQ_U(c.port, 8181);
	CHECK(c.wait);
	char const expected[] = "<config fault=\"segv\"><arg value=\"x\"/></config>";
	CHECK(c.config != 0);
	CHECK_EQ_U(c.config_length, sizeof(expected) - 1);
	CHECK_MEM(c.config, expected, c.config_length);
	CHECK(c.config > text && c.config < text + sizeof(text)); /* in the document */
}

TEST(monitor_config_defaults)
{
	struct gdb_monitor_config c;
	CHECK_EQ(parse("<config><target name=\"t\"/></config>", &c), GDB_MONITOR_CONFIG_OK);
	CHECK_STR(c.name, "t");
	CHECK_STR(c.binary, "t");
	CHECK_EQ_U(c.ram, GDB_MONITOR_CONFIG_RAM_DEFAULT);
	CHECK_EQ_U(c.port, GDB_MONITOR_CONFIG_PORT_DEFAULT);
	CHECK(!c.wait);
	CHECK(c.config == 0 && c.config_length == 0);
	CHECK_EQ(parse("<config><target name=\"t\"/><tcp/></config>", &c), GDB_MONITOR_CONFIG_OK);
	CHECK_EQ_U(c.port, GDB_MONITOR_CONFIG_PORT_DEFAULT);
}

TEST(monitor_config_binary_and_resource_node)
{
	struct gdb_monitor_config c;
	CHECK_EQ(parse("<config><target name=\"a\" binary=\"b\">"
	               "<resource name=\"RAM\" quantum=\"512K\"/></target></config>",
	               &c),
	         GDB_MONITOR_CONFIG_OK);
	CHECK_STR(c.name, "a");
	CHECK_STR(c.binary, "b");
	CHECK_EQ_U(c.ram, 512 << 10);
	CHECK_EQ(parse("<config><target name=\"a\"><resource name=\"CPU\" quantum=\"x\"/></target>"
	               "</config>",
	               &c),
	         GDB_MONITOR_CONFIG_OK);
	CHECK_EQ_U(c.ram, GDB_MONITOR_CONFIG_RAM_DEFAULT);
}

TEST(monitor_config_errors_leave_the_output)
{
	struct gdb_monitor_config c;
	memory_set(&c, 0x5a, sizeof(c));
	struct gdb_monitor_config before = c;
	static struct
	{
		char const *text;
		enum gdb_monitor_config_result result;
	} const bad[] = {
		{ "<config/>", GDB_MONITOR_CONFIG_NO_TARGET },
		{ "<config><target/></config>", GDB_MONITOR_CONFIG_NO_TARGET },
		{ "<config><target name=\"\"/></config>", GDB_MONITOR_CONFIG_BAD_NAME },
		{ "<config><target name=\"a\" binary=\"\"/></config>", GDB_MONITOR_CONFIG_BAD_NAME },
		{ "<config><target "
		  "name=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"/>"
		  "</config>",
		  GDB_MONITOR_CONFIG_BAD_NAME },
		{ "<config><target name=\"a\" ram=\"lots\"/></config>", GDB_MONITOR_CONFIG_BAD_RAM },
		{ "<config><target name=\"a\" ram=\"0\"/></config>", GDB_MONITOR_CONFIG_BAD_RAM },
		{ "<config><target name=\"a\"><resource name=\"RAM\"/></target></config>",
		  GDB_MONITOR_CONFIG_BAD_RAM },
		{ "<config><target name=\"a\"/><tcp port=\"0\"/></config>",
		  GDB_MONITOR_CONFIG_BAD_PORT },
		{ "<config><target name=\"a\"/><tcp port=\"65536\"/></config>",
		  GDB_MONITOR_CONFIG_BAD_PORT },
		{ "<config><target name=\"a\"/><tcp port=\"http\"/></config>",
		  GDB_MONITOR_CONFIG_BAD_PORT },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(parse(bad[i].text, &c), bad[i].result);
		CHECK_MEM(&c, &before, sizeof(c));
		CHECK(string_length(gdb_monitor_config_result_text(bad[i].result)) > 5);
	}
	CHECK_EQ(parse("<config><target name=\"a\"/><tcp port=\"65535\"/></config>", &c),
	         GDB_MONITOR_CONFIG_OK);
	CHECK_EQ_U(c.port, 65535);
}
