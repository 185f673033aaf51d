/*
 * ELF64 header and program-header checks (see libs/elf.h).
 */
#include <libs/elf.h>
#include <libs/string.h>
#include <asm-generic/errno.h>

int elf_parse(const uint8_t *buf, size_t len, struct elf_image *img)
{
	Elf64_Ehdr *h = &img->ehdr;
	uint64_t size;

	memset(h, 0, sizeof(*h));
	memcpy(h, buf, len < sizeof(*h) ? len : sizeof(*h));
	if (memcmp(h->e_ident, ELFMAG, SELFMAG) ||
	    (h->e_type != ET_EXEC && h->e_type != ET_DYN) ||
	    h->e_machine != EM_X86_64)
		return -ENOEXEC;
	size = (uint64_t)h->e_phnum * sizeof(Elf64_Phdr);
	if (h->e_phentsize != sizeof(Elf64_Phdr) || size == 0 ||
	    size > ELF_PHDRS_MAX_BYTES || h->e_phoff > len ||
	    size > len - h->e_phoff)
		return -ENOEXEC;
	img->buf = buf;
	img->len = len;
	return 0;
}

int elf_phdr_raw(const struct elf_image *img, unsigned i, Elf64_Phdr *ph)
{
	if (i >= img->ehdr.e_phnum)
		return -ENOEXEC;
	memcpy(ph, img->buf + img->ehdr.e_phoff + i * sizeof(*ph), sizeof(*ph));
	return 0;
}

int elf_phdr(const struct elf_image *img, unsigned i, Elf64_Phdr *ph)
{
	int err = elf_phdr_raw(img, i, ph);

	if (err)
		return err;
	if (ph->p_type == PT_LOAD || ph->p_type == PT_INTERP) {
		if (ph->p_offset > img->len ||
		    ph->p_filesz > img->len - ph->p_offset)
			return -ENOEXEC;
	}
	if (ph->p_type == PT_LOAD) {
		if (ph->p_filesz > ph->p_memsz ||
		    ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
			return -ENOEXEC;
		if (ph->p_align > 1 &&
		    (ph->p_vaddr % 4096) != (ph->p_offset % 4096))
			return -ENOEXEC;
	}
	return 0;
}

int elf_read(const struct elf_image *img, uint64_t off, void *dst,
	     size_t len)
{
	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return -EINVAL;
	if (off > img->len || len > img->len - off)
		return -EIO;
	memcpy(dst, img->buf + off, len);
	return 0;
}
