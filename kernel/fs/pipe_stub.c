/* Placeholders until pipes land: FIFOs cannot be opened yet. */
#include "fs/pipe.h"

static int fifo_open_unsupported(struct inode *inode, struct file *f)
{
	(void)inode;
	(void)f;
	return -ENXIO;
}

const struct file_ops fifo_fops = { .open = fifo_open_unsupported };

long pipe_fcntl(struct file *f, unsigned cmd, uint64_t arg)
{
	(void)f;
	(void)cmd;
	(void)arg;
	return -EBADF;
}
