# SPDX-License-Identifier: MIT
# \brief top-level build: discovers the target.mk fragments and builds them
#
# Targets: all (default), prepare, deps, test, unit, fuzz, check, bench, bench/gdb, run/<scenario>, clean.
# See doc/build.md for the fragment format.

PLATFORM ?= linux
PLATFORMS := linux x86_64
BUILD ?= build/$(PLATFORM)

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

include tool/mk/flags.mk
include tool/mk/targets.mk

# every target.mk below these folders, minus the platform folders of other platforms
FRAGMENT_ROOTS := base os net gdb_monitor tests
OTHER_PLATFORMS := $(filter-out $(PLATFORM),$(PLATFORMS))
FRAGMENTS := $(sort $(shell find $(FRAGMENT_ROOTS) -name target.mk \
	$(foreach p,$(OTHER_PLATFORMS),-not -path '*/$(p)/*') 2>/dev/null))

CONTRIB_STAMP := contrib/.prepared
NEWLIB_STAMP := build/newlib/.built
NEWLIB_INSTALL := build/newlib/install

# the libFuzzer targets tests/fuzz/<name>/ (tool/fuzz): `make fuzz` runs each for
# FUZZ_SECONDS, `make test` briefly, as one test each
FUZZ_TARGETS := $(sort $(patsubst tests/fuzz/%/fuzz.conf,%,$(wildcard tests/fuzz/*/fuzz.conf)))
FUZZ_SECONDS ?= 60

$(foreach f,$(FRAGMENTS),$(eval $(call fragment_exports,$(f))))
$(foreach f,$(FRAGMENTS),$(eval $(call fragment_load,$(f))))

.PHONY: all deps prepare test unit fuzz check bench bench/gdb clean

all: $(ALL_TARGETS) $(NEWLIB_STAMP)

deps:
	@tool/deps

# contrib/ and the newlib build are made once; `make prepare` re-verifies them
prepare: deps
	@tool/prepare

# grouped: one prepare makes both, and a changed lock or script reruns it
$(CONTRIB_STAMP) $(NEWLIB_STAMP) &: tool/contrib.lock tool/prepare
	@tool/deps
	@tool/prepare

test: $(CONTRIB_STAMP) $(NEWLIB_STAMP) $(TEST_TARGETS)
	@BUILD=$(BUILD) BUILD_LOG_DIR=$(BUILD)/log tool/run_tests $(TEST_TARGETS) \
		$(addprefix fuzz/,$(FUZZ_TARGETS)) tests/run_tool/test_run_tool $(sort $(wildcard run/*.run))

# the unit tests alone, without prepare and run scripts (quick, for development)
unit: $(TEST_TARGETS)
	@BUILD_LOG_DIR=$(BUILD)/log RUN_SCRIPTS=no tool/run_tests $(TEST_TARGETS)

# the fuzz targets for FUZZ_SECONDS each (clang's libFuzzer; doc/rsp.md)
fuzz:
	@BUILD=$(BUILD) tool/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# a scenario: the run tool executes run/<name>.run (which builds what it needs)
run/%: $(CONTRIB_STAMP) $(NEWLIB_STAMP)
	@BUILD=$(BUILD) run/tool/run run/$*.run

# the benchmarks (doc/bench.md): a table on stdout, the figures appended to build/bench.tsv;
# the network and gdb benchmarks are run scripts outside run/, so `make test` leaves them out
bench: $(BUILD)/bin/bench_rpc $(BUILD)/bin/bench_rsp $(CONTRIB_STAMP) $(NEWLIB_STAMP)
	@mkdir -p build
	@$(BUILD)/bin/bench_rpc -o build/bench.tsv
	@$(BUILD)/bin/bench_rsp -o build/bench.tsv
	@BUILD=$(BUILD) BENCH_TSV=build/bench.tsv run/tool/run tests/bench/net/bench_net.run
	@BUILD=$(BUILD) BENCH_TSV=build/bench.tsv run/tool/run tests/bench/gdb/bench_gdb.run

# the gdb benchmark alone; BENCH_GDB_RUNS=1 for a quick look (doc/bench.md)
bench/gdb: $(CONTRIB_STAMP) $(NEWLIB_STAMP)
	@mkdir -p build
	@BUILD=$(BUILD) BENCH_TSV=build/bench.tsv run/tool/run tests/bench/gdb/bench_gdb.run

check:
	@tool/check

clean:
	rm -rf $(BUILD)

-include $(DEPFILES)
