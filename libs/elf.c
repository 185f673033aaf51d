/*
 * ELF64 header and program-header checks (see libs/elf.h).
 */
#include <libs/elf.h>
#include <libs/string.h>
#include <asm-generic/errno.h>

int elf_parse(const uint8_t *buf, size_t len, struct elf_image *img)
{
	Elf64_Ehdr *h = &img->ehdr;

	if (len < sizeof(*h))
		return -ENOEXEC;
	memcpy(h, buf, sizeof(*h));
	if (memcmp(h->e_ident, ELFMAG, SELFMAG) ||
	    h->e_ident[EI_CLASS] != ELFCLASS64 ||
	    h->e_ident[EI_DATA] != ELFDATA2LSB || h->e_machine != EM_X86_64 ||
	    (h->e_type != ET_EXEC && h->e_type != ET_DYN))
		return -ENOEXEC;
	if (h->e_phentsize != sizeof(Elf64_Phdr) || h->e_phnum == 0 ||
	    h->e_phnum > 1024 || h->e_phoff > len ||
	    (size_t)h->e_phnum * sizeof(Elf64_Phdr) > len - h->e_phoff)
		return -ENOEXEC;
	img->buf = buf;
	img->len = len;
	return 0;
}

int elf_phdr(const struct elf_image *img, unsigned i, Elf64_Phdr *ph)
{
	if (i >= img->ehdr.e_phnum)
		return -ENOEXEC;
	memcpy(ph, img->buf + img->ehdr.e_phoff + i * sizeof(*ph), sizeof(*ph));
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
