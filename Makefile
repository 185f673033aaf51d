# Trellis top-level build.
#   make          build build/trellis.elf (kernel), build/mini.elf (demo kernel)
#   make run      boot Trellis in QEMU, serial console on the terminal
#   make test     run every test; last line is "N passed, N failed"
#   make iso      GRUB rescue ISO at build/trellis.iso
#   make gdb      QEMU halted with a GDB stub, symbols loaded
#   make run-mini boot the demonstration kernel (build/mini.elf)
#   make run-iso  boot the GRUB ISO
#   make bench    Trellis against Linux under QEMU: table, docs/bench/
#   make bench-smoke  every benchmark once on both kernels (part of test)

B := build
CC := gcc
LD := ld
OBJCOPY := objcopy
ARCH := x86_64

# Tools the build needs; tools/setup.sh installs them when one is missing.
NEEDED_TOOLS := gcc ld qemu-system-x86_64 musl-gcc cpio grub-mkrescue xorriso busybox \
	gnuplot expect
MISSING := $(strip $(foreach t,$(NEEDED_TOOLS),$(if $(shell command -v $(t) 2>/dev/null),,$(t))) \
	$(if $(wildcard /boot/vmlinuz-*),,linux-image))
ifneq ($(MISSING),)
$(info setup: missing $(MISSING); running tools/setup.sh)
$(shell bash tools/setup.sh >&2)
endif

GCC_INC := $(shell $(CC) -print-file-name=include)

# Linux UAPI headers (numbers and layouts come from Linux itself), exposed
# alone so that no libc header is reachable from kernel code.
UAPI := $(B)/uapi
UAPI_STAMP := $(UAPI)/.stamp

KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc -isystem $(GCC_INC) \
	-mcmodel=kernel -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-avx -mno-80387 \
	-fno-pic -fno-pie -fno-omit-frame-pointer -fno-strict-aliasing \
	-fstack-protector-strong -mstack-protector-guard=global \
	-ftrivial-auto-var-init=zero -fno-common \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes \
	-I frame/include -I libs/include -I $(UAPI) -MMD -MP

# Frame-private code additionally sees its private headers.
FRAME_CFLAGS := $(KCFLAGS) -I frame/arch/$(ARCH) -I frame/core
SERVICE_CFLAGS := $(KCFLAGS) -I kernel

FRAME_C := $(wildcard frame/core/*.c frame/arch/$(ARCH)/*.c)
FRAME_S := $(wildcard frame/arch/$(ARCH)/*.S)
LIBS_C := $(wildcard libs/*.c)
KERNEL_C := $(shell find kernel -name '*.c' | sort)
MINI_C := $(wildcard demo/mini/*.c)

FRAME_OBJ := $(patsubst %,$(B)/%.o,$(FRAME_C) $(FRAME_S))
LIBS_OBJ := $(patsubst %,$(B)/%.o,$(LIBS_C))
KERNEL_OBJ := $(patsubst %,$(B)/%.o,$(KERNEL_C)) $(B)/kernel/syscall/table.c.o
MINI_OBJ := $(patsubst %,$(B)/%.o,$(MINI_C))

LDSCRIPT := frame/arch/$(ARCH)/kernel.ld

.PHONY: all run run-mini run-iso test iso gdb clean regress bench bench-smoke
all: $(B)/trellis.elf $(B)/mini.elf

$(UAPI_STAMP):
	@mkdir -p $(UAPI)
	@ln -sfn /usr/include/linux $(UAPI)/linux
	@ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	@ln -sfn /usr/include/$(shell $(CC) -dumpmachine)/asm $(UAPI)/asm
	@touch $@

$(B)/frame/%.c.o: frame/%.c $(UAPI_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(FRAME_CFLAGS) -c $< -o $@

$(B)/frame/%.S.o: frame/%.S $(UAPI_STAMP)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(FRAME_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# The vDSO (frame/arch/x86_64/vdso/): user-mode code built as a shared
# object of its own and embedded in the frame (vdso_image.S).  It must
# need no relocation: nothing relocates it when it is mapped.
VDSO_DIR := frame/arch/$(ARCH)/vdso
VDSO_SO := $(B)/vdso/vdso.so
VDSO_CFLAGS := -std=gnu11 -O2 -fPIC -ffreestanding -fno-builtin -nostdinc -isystem $(GCC_INC) \
	-I frame/core -I frame/arch/$(ARCH) -I $(UAPI) -fvisibility=hidden \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
	-mno-sse -mno-mmx -mno-avx -mno-80387 \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes \
	-MMD -MP
VDSO_LDFLAGS := -shared -nostdlib -Wl,-T,$(VDSO_DIR)/vdso.lds -Wl,--hash-style=both \
	-Wl,-soname=linux-vdso.so.1 -Wl,--no-undefined -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack

$(B)/vdso/%.c.o: $(VDSO_DIR)/%.c $(UAPI_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $< [vdso]"
	@$(CC) $(VDSO_CFLAGS) -c $< -o $@

$(VDSO_SO): $(patsubst $(VDSO_DIR)/%.c,$(B)/vdso/%.c.o,$(wildcard $(VDSO_DIR)/*.c)) $(VDSO_DIR)/vdso.lds
	@echo "  LD      $@"
	@$(CC) $(VDSO_LDFLAGS) -o $@ $(filter %.o,$^)
	@LC_ALL=C readelf -r $@ | grep -q 'There are no relocations' || \
		{ echo "vdso: $@ needs relocations"; readelf -r $@; rm -f $@; exit 1; }

$(B)/frame/arch/$(ARCH)/vdso_image.S.o: $(VDSO_SO)
$(B)/frame/arch/$(ARCH)/vdso_image.S.o: FRAME_CFLAGS += -DVDSO_SO='"$(VDSO_SO)"'

# memcpy, memmove and memset stay plain byte loops in safe C; the loop
# vectorizer turns them into 8-byte word loops (general-purpose registers:
# the kernel has no SIMD) when the pointers are aligned, which -O2's
# cheapest cost model does not allow.  A byte per iteration was most of
# the cost of small system calls under QEMU's TCG.
$(B)/libs/string.c.o: KCFLAGS += -ftree-loop-vectorize -fvect-cost-model=dynamic

$(B)/libs/%.c.o: libs/%.c $(UAPI_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(B)/kernel/%.c.o: kernel/%.c $(UAPI_STAMP) $(B)/kernel/syscall/table.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(SERVICE_CFLAGS) -I $(B)/kernel/syscall -c $< -o $@

$(B)/demo/%.c.o: demo/%.c $(UAPI_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

# The system-call table is generated from Linux's syscall_64.tbl form.
$(B)/kernel/syscall/table.h $(B)/kernel/syscall/table.c &: kernel/syscall/syscall_64.tbl tools/gen-syscalls.sh
	@mkdir -p $(dir $@)
	bash tools/gen-syscalls.sh $< $(B)/kernel/syscall

$(B)/kernel/syscall/table.c.o: $(B)/kernel/syscall/table.c
	@echo "  CC      $<"
	@$(CC) $(SERVICE_CFLAGS) -I $(B)/kernel/syscall -c $< -o $@

# The frame is linked into one object whose only global symbols are its
# exports: a service calling a frame internal does not link.
$(B)/frame.o: $(FRAME_OBJ) frame/exports.txt
	@echo "  LD      $@ (exports only)"
	@$(LD) -r -o $(B)/frame.all.o $(FRAME_OBJ)
	@$(OBJCOPY) --keep-global-symbols=frame/exports.txt $(B)/frame.all.o $@

$(B)/libs.a: $(LIBS_OBJ)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

# Two links: the second adds the symbol table for backtraces in .ksyms,
# which the linker script places last so that no other address moves.
define link_kernel
	@echo "  LD      $@"
	@$(LD) -n --no-warn-rwx-segments -T $(LDSCRIPT) -o $@.pass1 $(1)
	@bash tools/ksyms.sh $@.pass1 $@.ksyms.S
	@$(CC) -c $@.ksyms.S -o $@.ksyms.o
	@$(LD) -n --no-warn-rwx-segments -T $(LDSCRIPT) -o $@ $(1) $@.ksyms.o
	@cmp -s <(nm $@.pass1 | awk '!/ksyms|__kernel_end/ {print $$1, $$3}') <(nm $@ | awk '!/ksyms|__kernel_end/ {print $$1, $$3}') || \
		{ echo "ksyms: symbol addresses moved between links"; rm -f $@; exit 1; }
endef

SHELL := /bin/bash

$(B)/trellis.elf: $(B)/frame.o $(KERNEL_OBJ) $(B)/libs.a $(LDSCRIPT) tools/ksyms.sh
	$(call link_kernel,$(B)/frame.o $(KERNEL_OBJ) $(B)/libs.a)

$(B)/mini.elf: $(B)/frame.o $(MINI_OBJ) $(B)/libs.a $(LDSCRIPT) tools/ksyms.sh
	$(call link_kernel,$(B)/frame.o $(MINI_OBJ) $(B)/libs.a)

# Regression programs (static musl) and the default initramfs.
regress: $(B)/regress/.stamp
$(B)/regress/.stamp: $(wildcard test/regression/*.c test/regression/*.h) tools/build-regress.sh
	bash tools/build-regress.sh $(B)/regress
	@touch $@

$(B)/initramfs.cpio: $(B)/regress/.stamp tools/mkinitramfs.sh tools/mkcpio.sh \
		tools/mkexec-files.sh tools/mkbadelf.py $(wildcard test/busybox/*) \
		$(shell find rootfs -type f)
	bash tools/mkinitramfs.sh $@ $(B)/regress

# The demonstration's user program and its initramfs (/init only).
$(B)/demo/root/init: test/demo/hello_mini.c
	@mkdir -p $(dir $@)
	musl-gcc -static -O2 -Wall -Werror -o $@ $<

$(B)/demo/initramfs.cpio: $(B)/demo/root/init tools/mkcpio.sh
	bash tools/mkcpio.sh $@ $(B)/demo/root

SMP ?= 1
QEMU_FLAGS := -m 512M -smp $(SMP) -nic none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4
# The serial console on this terminal for the interactive targets: keys
# such as ^C and ^Z go to the guest (signal=off), Ctrl-A x leaves QEMU and
# Ctrl-A c switches to its monitor (mux).
QEMU_CONSOLE := -display none -chardev stdio,id=con,mux=on,signal=off \
	-serial chardev:con -mon chardev=con
APPEND ?= console=ttyS0

run: all $(B)/initramfs.cpio
	qemu-system-x86_64 $(QEMU_FLAGS) $(QEMU_CONSOLE) \
		-kernel $(B)/trellis.elf -initrd $(B)/initramfs.cpio -append "$(APPEND)"; true

run-mini: $(B)/mini.elf $(B)/demo/initramfs.cpio
	qemu-system-x86_64 $(QEMU_FLAGS) $(QEMU_CONSOLE) \
		-kernel $(B)/mini.elf -initrd $(B)/demo/initramfs.cpio -append "$(APPEND)"; true

run-iso: $(B)/trellis.iso
	qemu-system-x86_64 $(QEMU_FLAGS) $(QEMU_CONSOLE) -cdrom $<; true

gdb: all $(B)/initramfs.cpio
	qemu-system-x86_64 $(QEMU_FLAGS) $(QEMU_CONSOLE) -s -S \
		-kernel $(B)/trellis.elf -initrd $(B)/initramfs.cpio -append "$(APPEND)" & \
	gdb -q $(B)/trellis.elf -ex 'target remote :1234'; kill %1 2>/dev/null; true

iso: $(B)/trellis.iso
$(B)/trellis.iso: $(B)/trellis.elf $(B)/initramfs.cpio tools/mkiso.sh
	bash tools/mkiso.sh $@ $(B)/trellis.elf $(B)/initramfs.cpio

# Benchmarks (test/bench/, tools/bench/): `make bench` boots Linux and
# Trellis alternately and writes docs/bench/; `make bench-smoke` runs every
# benchmark once on both kernels and checks only that each gave a result.
BENCH_SRC := $(wildcard test/bench/*.c test/bench/*.h)
$(B)/bench/initramfs.cpio: $(BENCH_SRC) tools/bench/build.sh tools/mkcpio.sh
	bash tools/bench/build.sh $(B)/bench

bench: $(B)/trellis.elf $(B)/bench/initramfs.cpio
	python3 tools/bench/harness.py --trellis $(B)/trellis.elf \
		--initrd $(B)/bench/initramfs.cpio

bench-smoke: $(B)/trellis.elf $(B)/bench/initramfs.cpio
	python3 tools/bench/harness.py --smoke --trellis $(B)/trellis.elf \
		--initrd $(B)/bench/initramfs.cpio

test: all $(B)/initramfs.cpio $(B)/demo/initramfs.cpio $(B)/trellis.iso
	bash tools/test.sh

clean:
	rm -rf $(B)

include frame/hosted/hosted.mk

include tools/checks.mk

-include $(shell find $(B) -name '*.d' 2>/dev/null)
