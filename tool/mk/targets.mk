# SPDX-License-Identifier: MIT
# \brief templates that turn one target.mk fragment into build rules
#
# A fragment sets, relative to its own folder:
#   NAME        target name
#   TYPE        lib | component | host | test
#   SRC         C sources (globs allowed)
#   SRC_fs      sources only for the freestanding variant (lib only)
#   SRC_host    sources only for the host variants (lib only)
#   SRC_contrib sources in contrib/, relative to it and named one by one (no globs):
#               they exist only after `make prepare`, so they are not looked for
#               when the fragments are read, and prepare runs before they are needed
#   LIBS        libraries it links, by NAME, in link order
#   CFLAGS      extra compiler flags
#   LDLIBS      extra host link flags (host and test only), e.g. -lpthread
#   LINK_ADDRESS  component link address (component only)
#   VARIANTS    variants a lib is built in (default: fs host san)
#   UNIT_TEST   yes: the component is a freestanding unit test that `make test`
#               runs directly (it prints the harness's UNIT-RESULT line)
# and a lib for the components that name it in LIBS (and for itself):
#   EXPORT_CFLAGS  compiler flags, e.g. the include folder of a third-party library
#   EXPORT_LINK    archives linked after the libs, e.g. that library's own
#   EXPORT_DEPS    what must be made before compiling, e.g. the stamp of its build

FRAGMENT_VARS := NAME TYPE SRC SRC_fs SRC_host SRC_contrib LIBS CFLAGS LDLIBS LINK_ADDRESS VARIANTS \
	UNIT_TEST EXPORT_CFLAGS EXPORT_LINK EXPORT_DEPS

ALL_TARGETS :=
TEST_TARGETS :=
DEPFILES :=

# $(1): fragment path
define fragment_load
$(foreach v,$(FRAGMENT_VARS),$(eval $(v) :=))
include $(1)
$$(if $$(NAME),,$$(error $(1): NAME is not set))
$$(if $$(filter lib component host test,$$(TYPE)),,$$(error $(1): TYPE must be lib, component, host or test))
$$(eval $$(call target_$$(TYPE),$$(NAME),$(dir $(1)),$$(sort $$(wildcard $$(addprefix $(dir $(1)),$$(SRC)))) $$(addprefix contrib/,$$(SRC_contrib)),$$(LIBS),$$(CFLAGS)))
$$(if $$(SRC_contrib),$$(eval $$(addprefix contrib/,$$(SRC_contrib)): | $$(CONTRIB_STAMP)))
endef

# first pass, before any rule: what each lib exports, so that fragment order is free
# $(1): fragment path
define fragment_exports
$(foreach v,$(FRAGMENT_VARS),$(eval $(v) :=))
include $(1)
$$(if $$(filter lib,$$(TYPE)),$$(foreach v,EXPORT_CFLAGS EXPORT_LINK EXPORT_DEPS,$$(eval LIB_$$(NAME)_$$(v) := $$($$(v)))))
endef

# what the libs $(1) export
lib_exports = $(foreach l,$(1),$(LIB_$(l)_$(2)))

# objects of sources $(1) in variant $(2)
objects = $(patsubst %.c,$(BUILD)/$(2)/obj/%.o,$(1))

# library archives of names $(1) in variant $(2)
lib_files = $(foreach l,$(1),$(BUILD)/$(2)/lib/lib$(l).a)

# compile rule for sources $(1), variant $(2), extra flags $(3), libs $(4)
define compile_rule
$(call objects,$(1),$(2)): $(BUILD)/$(2)/obj/%.o: %.c tool/mk/flags.mk | $(call lib_exports,$(4),EXPORT_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "  CC [$(2)] $$<"
	@$(CC) $(CFLAGS_$(2)) $(call lib_exports,$(4),EXPORT_CFLAGS) $(3) -c $$< -o $$@
DEPFILES += $(patsubst %.o,%.d,$(call objects,$(1),$(2)))
endef

# $(1) name, $(2) dir, $(3) sources, $(4) libs, $(5) cflags
define target_lib
LIB_$(1)_SRC_fs := $(3) $(sort $(wildcard $(addprefix $(2),$(SRC_fs))))
LIB_$(1)_SRC_host := $(3) $(sort $(wildcard $(addprefix $(2),$(SRC_host))))
$$(foreach v,$(or $(VARIANTS),fs host san),$$(eval $$(call lib_variant,$(1),$$(v),$$(LIB_$(1)_SRC_$$(if $$(filter fs,$$(v)),fs,host)),$(5),$(4))))
ALL_TARGETS += $(foreach v,$(or $(VARIANTS),fs),$(BUILD)/$(v)/lib/lib$(1).a)
endef

# $(1) name, $(2) variant, $(3) sources, $(4) cflags, $(5) libs: compiled with the exports
# of the lib itself and of the libs it names (a lib on newlib names libc)
define lib_variant
$(call compile_rule,$(3),$(2),$(4),$(1) $(5))
$(BUILD)/$(2)/lib/lib$(1).a: $(call objects,$(3),$(2))
	@mkdir -p $$(dir $$@)
	@echo "  AR [$(2)] $$@"
	@rm -f $$@ && $(AR) rcs $$@ $$^
endef

define target_component
$(call compile_rule,$(3),fs,$(5),$(4))
$(BUILD)/bin/$(1): $(call objects,$(3),fs) $(call lib_files,$(4),fs) $(call lib_exports,$(4),EXPORT_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "  LD [fs] $$@"
	@$(CC) $(LDFLAGS_fs) -Wl,-Ttext-segment=$(or $(LINK_ADDRESS),$(COMPONENT_LINK_ADDRESS)) \
		-o $$@ $(call objects,$(3),fs) -Wl,--start-group $(call lib_files,$(4),fs) \
		$(call lib_exports,$(4),EXPORT_LINK) -Wl,--end-group -lgcc
	@$(call gdb_index,$$@)
ALL_TARGETS += $(BUILD)/bin/$(1)
TEST_TARGETS += $(if $(filter yes,$(UNIT_TEST)),$(BUILD)/bin/$(1))
.PHONY: $(1)
$(1): $(BUILD)/bin/$(1)
endef

define target_host
$(call compile_rule,$(3),host,$(5),$(4))
$(BUILD)/bin/$(1): $(call objects,$(3),host) $(call lib_files,$(4),host)
	@mkdir -p $$(dir $$@)
	@echo "  LD [host] $$@"
	@$(CC) $(LDFLAGS_host) -o $$@ $(call objects,$(3),host) \
		-Wl,--start-group $(call lib_files,$(4),host) -Wl,--end-group $(LDLIBS)
ALL_TARGETS += $(BUILD)/bin/$(1)
.PHONY: $(1)
$(1): $(BUILD)/bin/$(1)
endef

define target_test
$(call compile_rule,$(3),san,$(5) -Itests/unit/harness,$(4))
$(BUILD)/test/$(1): $(call objects,$(3),san) $(call lib_files,$(4) unit_test,san)
	@mkdir -p $$(dir $$@)
	@echo "  LD [san] $$@"
	@$(CC) $(LDFLAGS_san) -o $$@ $(call objects,$(3),san) \
		-Wl,--start-group $(call lib_files,$(4) unit_test,san) -Wl,--end-group $(LDLIBS)
ALL_TARGETS += $(BUILD)/test/$(1)
TEST_TARGETS += $(BUILD)/test/$(1)
.PHONY: $(1)
$(1): $(BUILD)/test/$(1)
endef
