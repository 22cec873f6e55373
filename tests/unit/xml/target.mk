# SPDX-License-Identifier: MIT
# unit tests of util/xml
NAME := test_xml
TYPE := test
SRC := *.c
LIBS := base platform
