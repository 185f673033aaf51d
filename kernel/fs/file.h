/*
 * Open files, the per-process fd table, and the working directory and
 * root (what CLONE_FILES and CLONE_FS share).
 *
 * An open file's rights are capabilities: the fd table hands out a
 * file_reader only for a file opened for reading and a file_writer only
 * for one opened for writing (checked once, in the order bad fd → missing
 * right, as DESIGN.md §3 asks), and vfs_read/vfs_write take only those
 * handles, so no path writes through a read-only open file.
 */
#ifndef KERNEL_FS_FILE_H
#define KERNEL_FS_FILE_H

#include <frame/rights.h>
#include "fs/vfs.h"

/* f_mode bits: the rights an open file carries. */
#define FMODE_READ 1
#define FMODE_WRITE 2
#define FMODE_PATH 4 /* O_PATH: no I/O at all */

struct file {
	int refs; /* atomic: fds, calls in progress, mappings */
	struct path path;
	struct inode *inode;
	const struct file_ops *fop;
	unsigned mode;	 /* FMODE_* */
	unsigned flags;	 /* O_* status flags (O_APPEND, O_NONBLOCK...) */
	uint64_t pos;	 /* guarded by pos_lock */
	struct fr_mutex pos_lock;
	union { /* the object's state for this open */
		struct pipe *pipe;
		struct tty *tty;
		struct proc_entry *proc;
		uint8_t *seq; /* a generated file's text (procfs) */
		struct eventfd_ctx *eventfd; /* anonymous inodes (anon_inode.h) */
		struct signalfd_ctx *signalfd;
	} priv;
	/* objects that lead back to open files (and so to the read and
	 * write capabilities), which safe C keeps out of the union */
	struct eventpoll *priv_ep;
	struct timerfd_ctx *priv_timerfd;
	size_t seq_len;
	bool pipe_writer; /* this end of a pipe writes */
	unsigned pipe_version; /* FIFO reader: the writer opens it has seen */
	const char *anon_name; /* an anonymous inode's: "[eventfd]"... */
	/* the epoll items watching this file (fs/eventpoll.c); they go
	 * when the file does (eventpoll_release) */
	struct epitem *ep_links;
};

/*
 * file_status_flags - @f's flags as F_GETFL gives them: the access mode
 * (or O_PATH) and the status flags.
 */
unsigned file_status_flags(const struct file *f);

/* file_is_stream - whether @f has no position (pipes, sockets, anonymous
 * inodes): pread and pwrite give -ESPIPE. */
bool file_is_stream(const struct file *f);

/* Handles with the right to read, and to write, an open file. */
FR_HANDLE(file_reader, struct file);
FR_HANDLE(file_writer, struct file);

/* The open file behind a handle (for its other fields). */
struct file *file_reader_file(file_reader r);
struct file *file_writer_file(file_writer w);

/*
 * file_open - open the inode at @p (referenced; the file takes its own
 * reference) with O_* @flags: checks permissions, calls the file system's
 * open.  Returns the file (one reference) or NULL with @err.
 */
struct file *file_open(const struct path *p, unsigned flags, int *err);

/*
 * file_new - an open file on @inode with no path (pipes, memfd): @mode
 * FMODE_*, @fop.  Takes a reference to @inode.
 */
struct file *file_new(struct inode *inode, const struct file_ops *fop,
		      unsigned mode, unsigned flags);

void file_get(struct file *f);
void file_put(struct file *f);

/* file_as_reader / file_as_writer - a handle when @f has the right, else
 * -EBADF (with a reference taken on success). */
int file_as_reader(struct file *f, file_reader *out);
int file_as_writer(struct file *f, file_writer *out);
void file_reader_put(file_reader r);
void file_writer_put(file_writer w);

/*
 * vfs_read / vfs_write - read or write @len bytes at *@pos (or at the
 * file's own position when @pos is NULL, advancing it; O_APPEND writes at
 * the end).  Return the bytes moved or an error.
 */
long vfs_read(file_reader r, const struct iobuf *b, size_t len,
	      uint64_t *pos);
long vfs_write(file_writer w, const struct iobuf *b, size_t len,
	       uint64_t *pos);

/* vfs_open - open @path from @dirfd as openat(2) does (O_CREAT with
 * @mode, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_TMPFILE is
 * -EOPNOTSUPP).  Returns the file or NULL with @err. */
struct file *vfs_open(int dirfd, const char *path, unsigned flags,
		      uint32_t mode, int *err);

/* The per-process fd table. */
struct fd_table {
	int refs; /* atomic: processes sharing it (CLONE_FILES) */
	struct fr_mutex lock;
	int size;	     /* slots */
	struct file **files; /* NULL: free */
	uint64_t *cloexec;   /* one bit per slot */
};

struct fd_table *fd_table_new(void);
/* A copy for fork (each file gains a reference), or NULL. */
struct fd_table *fd_table_copy(struct fd_table *t);
void fd_table_get(struct fd_table *t);
void fd_table_put(struct fd_table *t);
/* fd_table_open_console - open /dev/console as fds 0, 1 and 2 of @t
 * (PID 1's), as Linux does; without one, a log line and no fds. */
void fd_table_open_console(struct fd_table *t);
/* Close the O_CLOEXEC fds (exec). */
void fd_table_exec(struct fd_table *t);

/*
 * fd_install - put @f in the lowest free slot >= @min of the caller's
 * table (taking over the caller's reference).  Returns the fd, or -EMFILE
 * (RLIMIT_NOFILE).  @cloexec sets FD_CLOEXEC.
 */
int fd_install(struct file *f, int min, bool cloexec);
/* fd_install_at - dup2: @f at @fd, closing what was there. */
int fd_install_at(struct file *f, int fd, bool cloexec);

/* fd_get - the file at @fd (referenced), or NULL (-EBADF). */
struct file *fd_get(int fd);
/* fd_reader / fd_writer - a handle for @fd, or -EBADF when @fd is not
 * open or lacks the right. */
int fd_reader(int fd, file_reader *out);
int fd_writer(int fd, file_writer *out);
int fd_close(int fd);
/* The caller's RLIMIT_NOFILE: fds are below it. */
int fd_limit(void);
int fd_get_cloexec(int fd);	/* 0/1, or -EBADF */
int fd_set_cloexec(int fd, bool on);
/* The number of open fds and the table's size, for /proc. */
struct fd_table *current_files(void);

/* The working directory and root, shared by CLONE_FS. */
struct fs_context {
	int refs; /* atomic */
	struct fr_mutex lock;
	struct path root, cwd;
	unsigned umask; /* atomic: CLONE_FS shares it too, as on Linux */
};

struct fs_context *fs_context_new(const struct path *root);
/* A context at the root of the tree (PID 1's). */
struct fs_context *fs_context_new_root(void);
struct fs_context *fs_context_copy(struct fs_context *fs);
void fs_context_put(struct fs_context *fs);
void fs_context_get(struct fs_context *fs);
struct fs_context *current_fs(void);
/* Referenced copies of the caller's root and cwd. */
void fs_get_root(struct path *out);
void fs_get_cwd(struct path *out);
/* Replace the cwd / root (takes the reference of @p). */
void fs_set_cwd(struct path *p);
void fs_set_root(struct path *p);

#endif
