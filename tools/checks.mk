# Build rules of the framekernel boundary's static checks (included by the
# top-level Makefile).
#   make checks     every check: safe C, frame exports, component policy,
#                   rights in types (compile-failure fixtures, zero cost),
#                   frame API contract, TCB; one "ok - check/NAME" or
#                   "not ok - check/NAME (why)" line each (tools/checks.sh)
#   make tcb        print the TCB figures and write them to docs/tcb.md
#   make frame-api  regenerate docs/frame-api.md from the frame headers
#
# Components (comps/<name>/, see comps/README.md) build into $(B)/comps/
# with only their allowed include paths; COMPS_OBJ lists their objects for
# the kernel's link.

# Tools the checks need beyond the build's; tools/setup.sh installs them.
CHECK_TOOLS := clang-14 cloc python3 nm
CHECK_MISSING := $(strip $(foreach t,$(CHECK_TOOLS),$(if $(shell command -v $(t) 2>/dev/null),,$(t))))
ifneq ($(CHECK_MISSING),)
$(info setup: missing $(CHECK_MISSING); running tools/setup.sh)
$(shell bash tools/setup.sh >&2)
endif

COMPS := $(patsubst comps/%/manifest,%,$(wildcard comps/*/manifest))
COMPS_C := $(foreach c,$(COMPS),$(shell find comps/$(c) -name '*.c' | sort))
COMPS_OBJ := $(patsubst %,$(B)/%.o,$(COMPS_C))

# comps/NAME/x.c -> the include flags of NAME (its own directory and the
# public headers of the components it may use).
comp_name = $(word 2,$(subst /, ,$(1)))

$(B)/comps/%.c.o: comps/%.c $(UAPI_STAMP) components.policy
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) $(shell python3 tools/boundary.py cflags $(call comp_name,$<)) -c $< -o $@

.PHONY: checks tcb frame-api

checks: $(B)/frame.o $(KERNEL_OBJ) $(MINI_OBJ) $(COMPS_OBJ) $(B)/libs.a
	@B='$(B)' CC='$(CC)' LD='$(LD)' LDSCRIPT='$(LDSCRIPT)' KCFLAGS='$(KCFLAGS)' \
		SERVICE_CFLAGS='$(SERVICE_CFLAGS)' KERNEL_C='$(KERNEL_C)' \
		KERNEL_OBJ='$(KERNEL_OBJ)' LIBS_C='$(LIBS_C)' MINI_C='$(MINI_C)' \
		HOSTED_SERVICE_CFLAGS='$(HOSTED_SERVICE_CFLAGS)' \
		bash tools/checks.sh

tcb: $(B)/frame.o
	@python3 tools/tcb.py --frame-obj $(B)/frame.o --output docs/tcb.md

frame-api:
	@python3 tools/gen-frame-api.py -o docs/frame-api.md
