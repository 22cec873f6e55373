# SPDX-License-Identifier: MIT
# \brief compiler flags of the three build variants
#
# fs    freestanding component code: no glibc, no PIE, linked at a fixed address
# host  ordinary host programs (tools, hybrid components, benchmarks)
# san   host programs with AddressSanitizer and UBSan (unit tests)

CC := gcc
AR := ar
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

CFLAGS_COMMON := -std=gnu11 -g -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Ibase/include -Ios/include -MMD -MP

CFLAGS_fs := $(CFLAGS_COMMON) -ffreestanding -fno-pie -fno-stack-protector \
	-fno-builtin-printf -fno-tree-loop-distribute-patterns -nostdinc -idirafter $(GCC_INCLUDE) -fno-omit-frame-pointer
CFLAGS_host := $(CFLAGS_COMMON) -D_GNU_SOURCE
CFLAGS_san := $(CFLAGS_host) -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all

LDFLAGS_fs := -ffreestanding -fno-pie -static -nostdlib -Wl,-z,noexecstack \
	-Wl,--build-id=none
LDFLAGS_host :=
LDFLAGS_san := -fsanitize=address,undefined

# a component's ELF carries a .gdb_index (GDB's own tool, from the gdb package): GDB
# reading it looks its symbols up in that index instead of scanning the DWARF first
# (doc/build.md, "Debug information"); without the tool, as before `make deps`, an ELF
# goes without and says so. Objects depend on this file (and so every link follows): a
# change of it compiles everything again
GDB_ADD_INDEX := gdb-add-index
gdb_index = if command -v $(GDB_ADD_INDEX) >/dev/null; then $(GDB_ADD_INDEX) $(1); \
	else echo "  $(1) without .gdb_index: no $(GDB_ADD_INDEX) (make deps installs gdb)"; fi

# components are linked at this address unless their fragment says otherwise
COMPONENT_LINK_ADDRESS := 0x01000000

comma := ,
