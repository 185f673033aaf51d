/*
 * Parsing and checking ELF64 x86-64 executables.  Every offset and size is
 * checked against the file, so a corrupt or truncated file gives an error
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

/* The largest program header table Linux reads (ELF_MIN_ALIGN). */
#define ELF_PHDRS_MAX_BYTES 4096

/*
 * elf_parse - the checks Linux makes of an executable's headers before it
 * commits to running it: the magic, the type (ET_EXEC or ET_DYN) and the
 * machine (the class, data encoding and versions are not looked at), and a
 * program header table of Elf64_Phdr entries, 1 to ELF_PHDRS_MAX_BYTES
 * bytes, inside the file.  A file shorter than the header is read as if
 * padded with zeros.  Returns 0, or -ENOEXEC.
 */
int elf_parse(const uint8_t *buf, size_t len, struct elf_image *img);

/*
 * elf_phdr_raw - program header @i as the file has it.  Returns 0, or
 * -ENOEXEC when @i is out of range.
 */
int elf_phdr_raw(const struct elf_image *img, unsigned i, Elf64_Phdr *ph);

/*
 * elf_phdr - program header @i, for simple loaders that copy segments
 * out of the file: -ENOEXEC also when a PT_LOAD/PT_INTERP segment's file
 * range leaves the file, or a PT_LOAD's sizes are inconsistent or its
 * address and offset disagree within a page.
 */
int elf_phdr(const struct elf_image *img, unsigned i, Elf64_Phdr *ph);

/*
 * elf_read - copy @len bytes at file offset @off, as Linux's kernel_read
 * for a loader: -EINVAL when the range does not fit in a (signed) file
 * position, -EIO when the file ends before @len bytes.
 */
int elf_read(const struct elf_image *img, uint64_t off, void *dst,
	     size_t len);

#endif
