/*
 * Parsing and checking ELF64 x86-64 executables.  Every offset and size is
 * checked against the file, so a corrupt or truncated file gives -ENOEXEC
 * rather than an out-of-bounds read.
 */
#ifndef LIBS_ELF_H
#define LIBS_ELF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/elf.h>

struct elf_image {
	const uint8_t *buf;
	size_t len;
	Elf64_Ehdr ehdr;
};

/*
 * elf_parse - check the ELF header of @buf.  Returns 0, or -ENOEXEC when
 * it is not a 64-bit little-endian x86-64 executable or shared object, or
 * its program header table does not fit in the file.
 */
int elf_parse(const uint8_t *buf, size_t len, struct elf_image *img);

/*
 * elf_phdr - program header @i.  Returns 0 or -ENOEXEC when out of range
 * or when a PT_LOAD/PT_INTERP segment's file range leaves the file or its
 * sizes are inconsistent.
 */
int elf_phdr(const struct elf_image *img, unsigned i, Elf64_Phdr *ph);

#endif
