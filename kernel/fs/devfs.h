/*
 * /dev: the memory character devices (null, zero, full, random, urandom:
 * major 1, as in Linux) and the device nodes, directories and links of a
 * Debian system's /dev, made in the root file system at boot (Linux's
 * devtmpfs is a tmpfs too).
 */
#ifndef KERNEL_FS_DEVFS_H
#define KERNEL_FS_DEVFS_H

/* Linux's numbers of the devices /dev holds. */
#define MEM_MAJOR 1
#define MEM_NULL_MINOR 3
#define MEM_ZERO_MINOR 5
#define MEM_FULL_MINOR 7
#define MEM_RANDOM_MINOR 8
#define MEM_URANDOM_MINOR 9
#define TTY_MAJOR 4
#define TTYAUX_MAJOR 5

struct file_ops;

/* mem_fops - the operations of memory device @minor, or NULL. */
const struct file_ops *mem_fops(unsigned minor);

/* devfs_init - register the memory devices.  Returns 0 or an error. */
int devfs_init(void);

/*
 * devfs_populate - make /dev (if missing) in the mounted root and fill
 * it: the memory devices, tty, console, ptmx, ttyS0, the directories pts
 * and shm, and the links fd, stdin, stdout and stderr into /proc/self/fd.
 * A node that exists already is left alone.  Returns 0 or the first
 * error other than -EEXIST.
 */
int devfs_populate(void);

#endif
