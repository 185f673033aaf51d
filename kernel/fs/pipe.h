/*
 * Pipes and FIFOs: a ring buffer shared by a reading and a writing
 * end.  pipe(2) makes an anonymous pipe whose two ends are open files on
 * an inode of the internal "pipefs"; a FIFO (an S_IFIFO inode in any file
 * system) gets its pipe at the first open and loses it at the last close.
 *
 * As Linux: 16 pages (65536 bytes) by default, resized by F_SETPIPE_SZ to
 * a power-of-two number of pages; writes of at most PIPE_BUF bytes are
 * atomic; a read returns what is there (at most what was asked), 0 once
 * no writer is left; a write without readers raises SIGPIPE and fails
 * with -EPIPE.  A writer with O_DIRECT (pipe2) writes packets: one page
 * each, read by one read each, their rest dropped when the read is
 * shorter.
 */
#ifndef KERNEL_FS_PIPE_H
#define KERNEL_FS_PIPE_H

#include "fs/file.h"

#define PIPE_BUF 4096		/* atomic write size */
#define PIPE_DEF_PAGES 16	/* default capacity in pages */
#define PIPE_PAGE 4096		/* buffer page size (the capacity's unit) */

/*
 * pipe_max_size / pipe_set_max_size - /proc/sys/fs/pipe-max-size, the
 * largest F_SETPIPE_SZ without privilege (1 MiB).  Setting rounds as
 * F_SETPIPE_SZ does; -EINVAL above 2 GiB.  Context: any.
 */
unsigned pipe_max_size(void);
int pipe_set_max_size(uint64_t size);

/* One page of a pipe's ring: the bytes [offset, offset + len) of page. */
struct pipe_buffer {
	uint8_t *page;	  /* made at the slot's first use, kept */
	uint16_t offset, len;
	bool packet;	  /* written in packet mode: read whole or cut */
	bool can_merge;	  /* small writes may append to it */
};

/*
 * One pipe: a ring of npages buffers, from tail (the oldest, read first)
 * to head, each holding what one write put in a page (small writes append
 * to the last one while its page has room), as Linux's ring, so that the
 * capacity and the room for a write are counted in pages as there.  head,
 * tail and the end counts are written under lock but read without it
 * (atomically) by the conditions that sleeping readers, writers and
 * openers test.
 */
struct pipe {
	struct fr_mutex lock;	    /* the buffers and npages */
	struct fr_waitqueue rd_wait; /* woken when data comes or writers go */
	struct fr_waitqueue wr_wait; /* woken when room comes or readers go */
	struct pipe_buffer *bufs;   /* npages slots */
	size_t npages;		    /* capacity in pages (a power of two) */
	uint64_t head, tail;	    /* atomic reads: slots filled, emptied */
	int readers, writers;	    /* atomic reads: open ends */
	unsigned r_counter, w_counter; /* atomic: opens for reading/writing */
	int users;		    /* [inode lock] files attached */
};

/* The operations of an anonymous pipe's ends and of an opened FIFO. */
extern const struct file_ops pipe_fops;
extern const struct file_ops fifo_fops;

/*
 * pipe_create - a new anonymous pipe: its read end in @rd and its write
 * end in @wr, with the status flags @flags (O_NONBLOCK, O_DIRECT).
 * Returns 0 or -ENOMEM.
 */
int pipe_create(unsigned flags, struct file **rd, struct file **wr);

/*
 * pipe_fcntl - F_GETPIPE_SZ / F_SETPIPE_SZ on @f.  Returns the capacity
 * in bytes, or -EBADF (not a pipe), -EINVAL, -EBUSY (more data than the
 * new size), -EPERM (above pipe_max_size without privilege), -ENOMEM.
 */
long pipe_fcntl(struct file *f, unsigned cmd, uint64_t arg);

/* pipe_of - the pipe behind @f, or NULL when @f is no pipe or FIFO. */
struct pipe *pipe_of(struct file *f);

#endif
