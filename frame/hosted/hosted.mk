# The hosted target: the frame's API over Linux (frame/hosted/), so that the
# services and every KTEST run as an ordinary process under sanitizers.
# Included at the end of the top-level Makefile; see docs/hosted.md.
#
#   make hosted-ktest [KTEST=prefix]   KTESTs under ASan + UBSan, 1 CPU
#   make hosted-tsan [KTEST=prefix]    the task, lock and SMP KTESTs under TSan +
#                                      UBSan, one host thread per CPU
#                                      (HOSTED_TSAN_CPUS, 2)
#   make hosted-debug                  build/hosted/debug/trellis-hosted: -O0,
#                                      no sanitizer, for gdb
#   make hosted-gdb KTEST=suite.name   that binary under gdb
#   make parity                        every exported frame function has a
#                                      kernel and a hosted half (part of `make`)
#   make hosted-fixtures               the checks catch deliberate bugs
#   make hosted-libc-names             no service function has a libc name
#   make hosted-target-neutral         services preprocess identically for
#                                      both targets; KTESTs only in shared code
#   make hosted-test                   all of the checks above
#
# Each check prints "ok - NAME" or "not ok - NAME (why)" lines.
#
# Core, libs and services compile with the same restricted headers as in
# the kernel target (-nostdinc: frame/include, libs/include, the UAPI);
# only frame/hosted/*.c sees the host's C library.  libs/string.c is left
# out: the host C library provides the C names it defines.
#
# Uses the top-level Makefile's B, CC, LD, OBJCOPY, GCC_INC, UAPI,
# UAPI_STAMP, LIBS_C, KERNEL_C, FRAME_OBJ and SERVICE_CFLAGS, and its rule
# for $(B)/kernel/syscall/table.[ch]: include it after they are defined.

HOSTED_CC ?= $(CC)
HB := $(B)/hosted
HOSTED_CONFIGS := asan tsan debug
KTEST ?=
HOSTED_TSAN_CPUS ?= 2
# The task, lock, SMP and epoll KTESTs, which run under TSan on several
# CPUs (epoll: callback waiters woken from another CPU).
HOSTED_TSAN_SUITES ?= task sync smp eventpoll
HOSTED_TIMEOUT ?= 300

HOSTED_SAN_asan := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
HOSTED_SAN_tsan := -O1 -fsanitize=thread,undefined -fno-sanitize-recover=all
HOSTED_SAN_debug := -O0

HOSTED_CFLAGS := -std=gnu11 -g -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-common -ftrivial-auto-var-init=zero -fstack-protector-strong \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
	-Wmissing-prototypes -MMD -MP
HOSTED_FREESTANDING := -ffreestanding -fno-builtin -nostdinc -isystem $(GCC_INC) \
	-I frame/include -I libs/include -I $(UAPI)
HOSTED_CORE_CFLAGS := $(HOSTED_CFLAGS) $(HOSTED_FREESTANDING) -I frame/hosted -I frame/core
HOSTED_TARGET_CFLAGS := $(HOSTED_CFLAGS) -D_GNU_SOURCE -I frame/include -I libs/include \
	-I frame/hosted -I frame/core
HOSTED_LIBS_CFLAGS := $(HOSTED_CFLAGS) $(HOSTED_FREESTANDING)
HOSTED_SERVICE_CFLAGS := $(HOSTED_CFLAGS) $(HOSTED_FREESTANDING) -I kernel -I $(B)/kernel/syscall

# Sources: the same wildcards as the kernel build, so new KTESTs
# (frame/core/*_test.c, kernel/**/*_test.c) are picked up by both.
HOSTED_FRAME_C := $(wildcard frame/core/*.c frame/hosted/*.c)
HOSTED_LIBS_C := $(filter-out libs/string.c,$(LIBS_C))
HOSTED_SERVICE_C := $(KERNEL_C)
HOSTED_UAF_FIXTURE_C := test/hosted/uaf_fixture.c

# hosted_objs CONFIG, SOURCES
hosted_objs = $(patsubst %,$(HB)/$(1)/%.o,$(2))
HOSTED_SYSCALL_TABLE_OBJ = $(HB)/$(1)/gen/kernel/syscall/table.c.o

define hosted_config
$(HB)/$(1)/frame/core/%.c.o: frame/core/%.c $(UAPI_STAMP)
	@mkdir -p $$(@D)
	@echo "  CC      $$< [hosted $(1)]"
	@$(HOSTED_CC) $(HOSTED_CORE_CFLAGS) $(HOSTED_SAN_$(1)) -c $$< -o $$@

$(HB)/$(1)/frame/hosted/%.c.o: frame/hosted/%.c
	@mkdir -p $$(@D)
	@echo "  CC      $$< [hosted $(1)]"
	@$(HOSTED_CC) $(HOSTED_TARGET_CFLAGS) $(HOSTED_SAN_$(1)) -c $$< -o $$@

$(HB)/$(1)/libs/%.c.o: libs/%.c $(UAPI_STAMP)
	@mkdir -p $$(@D)
	@echo "  CC      $$< [hosted $(1)]"
	@$(HOSTED_CC) $(HOSTED_LIBS_CFLAGS) $(HOSTED_SAN_$(1)) -c $$< -o $$@

$(HB)/$(1)/kernel/%.c.o: kernel/%.c $(UAPI_STAMP) $(B)/kernel/syscall/table.h
	@mkdir -p $$(@D)
	@echo "  CC      $$< [hosted $(1)]"
	@$(HOSTED_CC) $(HOSTED_SERVICE_CFLAGS) $(HOSTED_SAN_$(1)) -c $$< -o $$@

$(HB)/$(1)/test/%.c.o: test/%.c $(UAPI_STAMP)
	@mkdir -p $$(@D)
	@echo "  CC      $$< [hosted $(1)]"
	@$(HOSTED_CC) $(HOSTED_SERVICE_CFLAGS) $(HOSTED_SAN_$(1)) -c $$< -o $$@

$(call HOSTED_SYSCALL_TABLE_OBJ,$(1)): $(B)/kernel/syscall/table.c $(B)/kernel/syscall/table.h
	@mkdir -p $$(@D)
	@echo "  CC      $$< [hosted $(1)]"
	@$(HOSTED_CC) $(HOSTED_SERVICE_CFLAGS) $(HOSTED_SAN_$(1)) -c $$< -o $$@

# The same link-time boundary as the kernel's: only the exports (and the
# process entry) stay global.
$(HB)/$(1)/frame.o: $(call hosted_objs,$(1),$(HOSTED_FRAME_C)) frame/exports.txt \
		frame/hosted/host-entry.txt
	@echo "  LD      $$@ (exports only)"
	@$(LD) -r -o $(HB)/$(1)/frame.all.o $(call hosted_objs,$(1),$(HOSTED_FRAME_C))
	@$(OBJCOPY) --keep-global-symbols=frame/exports.txt \
		--keep-global-symbols=frame/hosted/host-entry.txt $(HB)/$(1)/frame.all.o $$@

$(HB)/$(1)/libs.a: $(call hosted_objs,$(1),$(HOSTED_LIBS_C))
	@echo "  AR      $$@"
	@rm -f $$@ && ar rcs $$@ $$^

$(HB)/$(1)/trellis-hosted: $(HB)/$(1)/frame.o $(call hosted_objs,$(1),$(HOSTED_SERVICE_C)) \
		$(call HOSTED_SYSCALL_TABLE_OBJ,$(1)) $(HB)/$(1)/libs.a
	@echo "  LD      $$@"
	@$(HOSTED_CC) $(HOSTED_SAN_$(1)) -o $$@ $(HB)/$(1)/frame.o \
		$(call hosted_objs,$(1),$(HOSTED_SERVICE_C)) \
		$(call HOSTED_SYSCALL_TABLE_OBJ,$(1)) $(HB)/$(1)/libs.a -lpthread
endef

$(foreach c,$(HOSTED_CONFIGS),$(eval $(call hosted_config,$(c))))

# The ASan binary plus the use-after-free fixture, for hosted-fixtures only.
$(HB)/asan/trellis-hosted-uaf-fixture: $(HB)/asan/trellis-hosted \
		$(call hosted_objs,asan,$(HOSTED_UAF_FIXTURE_C))
	@echo "  LD      $@"
	@$(HOSTED_CC) $(HOSTED_SAN_asan) -o $@ $(HB)/asan/frame.o \
		$(call hosted_objs,asan,$(HOSTED_SERVICE_C) $(HOSTED_UAF_FIXTURE_C)) \
		$(call HOSTED_SYSCALL_TABLE_OBJ,asan) $(HB)/asan/libs.a -lpthread

HOSTED_KTEST_WORD = $(if $(KTEST),ktest=$(KTEST),ktest)

.PHONY: hosted-ktest hosted-tsan hosted-debug hosted-gdb parity hosted-fixtures \
	hosted-libc-names hosted-target-neutral hosted-test hosted-build

hosted-build: $(foreach c,asan tsan,$(HB)/$(c)/trellis-hosted) \
	$(HB)/asan/trellis-hosted-uaf-fixture

hosted-ktest: $(HB)/asan/trellis-hosted
	@TIMEOUT=$(HOSTED_TIMEOUT) bash tools/hosted-ktest.sh hosted/asan $< $(HOSTED_KTEST_WORD)

# One run per suite of HOSTED_TSAN_SUITES (or KTEST alone when given).
hosted-tsan: $(HB)/tsan/trellis-hosted
	@rc=0; \
	for filter in $(if $(KTEST),$(KTEST),$(HOSTED_TSAN_SUITES)); do \
		TIMEOUT=$(HOSTED_TIMEOUT) bash tools/hosted-ktest.sh hosted/tsan/$$filter $< \
			-smp $(HOSTED_TSAN_CPUS) ktest=$$filter || rc=1; \
	done; \
	exit $$rc

hosted-debug: $(HB)/debug/trellis-hosted

hosted-gdb: $(HB)/debug/trellis-hosted
	gdb -q --args $< $(HOSTED_KTEST_WORD)

# Parity: part of the default build, so that `make` fails when a frame
# function lacks one of its halves.
all: parity
parity: $(B)/frame.o $(HB)/asan/frame.o tools/check-parity.sh frame/hosted/host-provided.txt
	@bash tools/check-parity.sh frame/exports.txt frame/hosted/host-provided.txt \
		$(B)/frame.o $(HB)/asan/frame.o $(UAPI)

# A symbol whose two halves live in target files (not in frame/core).
HOSTED_FIXTURE_SYMBOL := fr_poweroff

hosted-fixtures: $(HB)/asan/trellis-hosted-uaf-fixture $(B)/frame.o $(HB)/asan/frame.o \
		$(FRAME_OBJ)
	@rc=0; \
	bash tools/hosted-fixtures.sh uaf $(HB)/asan/trellis-hosted-uaf-fixture || rc=1; \
	bash tools/hosted-fixtures.sh parity-hosted $(HOSTED_FIXTURE_SYMBOL) \
		frame/exports.txt frame/hosted/host-provided.txt $(UAPI) $(B)/frame.o -- \
		$(call hosted_objs,asan,$(HOSTED_FRAME_C)) || rc=1; \
	bash tools/hosted-fixtures.sh parity-kernel $(HOSTED_FIXTURE_SYMBOL) \
		frame/exports.txt frame/hosted/host-provided.txt $(UAPI) $(HB)/asan/frame.o -- \
		$(FRAME_OBJ) || rc=1; \
	bash tools/hosted-fixtures.sh fault pagefault $(HB)/asan/trellis-hosted \
		'runtime error: member access within null pointer' crash_write_record || rc=1; \
	bash tools/hosted-fixtures.sh fault stack $(HB)/asan/trellis-hosted \
		'AddressSanitizer: stack-overflow' crash_recurse || rc=1; \
	exit $$rc

# Services (and libs/) preprocess to the same text for both targets, and
# no KTEST lives in a target's own directory.
hosted-target-neutral: $(UAPI_STAMP) $(B)/kernel/syscall/table.h
	@KERNEL_FLAGS='$(SERVICE_CFLAGS) -I $(B)/kernel/syscall' \
	HOSTED_FLAGS='$(HOSTED_SERVICE_CFLAGS) $(HOSTED_SAN_asan)' \
		bash tools/check-target-neutral.sh $(HOSTED_SERVICE_C) $(HOSTED_LIBS_C)

# No service or libs/ function may take a C-library name (DESIGN.md §7).
hosted-libc-names: $(HB)/asan/trellis-hosted
	@bash tools/check-libc-names.sh $(call hosted_objs,asan,$(HOSTED_SERVICE_C) $(HOSTED_LIBS_C)) \
		$(call HOSTED_SYSCALL_TABLE_OBJ,asan)

# Everything, as tools/test.sh runs it: build first, then every check
# even when an earlier one failed.
hosted-test: hosted-build
	@rc=0; \
	for check in parity hosted-target-neutral hosted-libc-names hosted-ktest \
		hosted-tsan hosted-fixtures; do \
		$(MAKE) -s --no-print-directory $$check || rc=1; \
	done; \
	exit $$rc
