/*
 * The root file system at boot: a tmpfs filled from the initramfs (cpio
 * "newc"), as Linux unpacks its rootfs.  Regular files keep pointing at
 * the archive's bytes until written.  A corrupt archive stops the unpack
 * with a log line naming the last good entry; what was read before stays.
 */
#include <frame/log.h>
#include <libs/cpio.h>
#include <libs/string.h>
#include "fs/locks.h"
#include "fs/file.h"
#include "fs/internal.h"
#include "fs/devfs.h"
#include "fs/procfs.h"

/* Unpack one entry named @name (NUL-terminated, relative to the root). */
static int unpack_entry(const char *name, const struct cpio_entry *e)
{
	uint32_t type = e->mode & CPIO_S_IFMT, perm = e->mode & 07777;
	struct vfs_attr attr = { .valid = ATTR_UID | ATTR_GID | ATTR_MTIME,
				 .uid = e->uid,
				 .gid = e->gid,
				 .mtime = { e->mtime, 0 } };
	struct path p;
	int err;

	if (type == CPIO_S_IFDIR) {
		err = vfs_mkdir(AT_FDCWD, name, perm);
		if (err == -EEXIST) {
			attr.valid |= ATTR_MODE;
			attr.mode = perm;
			err = 0;
		}
	} else {
		/* the last entry of a name wins, as in Linux */
		err = vfs_unlink(AT_FDCWD, name);
		if (err && err != -ENOENT)
			return err;
		if (type == CPIO_S_IFLNK) {
			char target[VFS_PATH_MAX];

			if (e->size >= sizeof(target))
				return -ENAMETOOLONG;
			memcpy(target, e->data, e->size);
			target[e->size] = '\0';
			err = vfs_symlink(target, AT_FDCWD, name);
		} else if (type == CPIO_S_IFREG || type == CPIO_S_IFCHR ||
			   type == CPIO_S_IFBLK || type == CPIO_S_IFIFO ||
			   type == S_IFSOCK) {
			err = vfs_mknod(AT_FDCWD, name, e->mode,
					VFS_MKDEV(e->rdev_major,
						  e->rdev_minor));
		} else {
			return -EINVAL;
		}
	}
	if (err)
		return err;
	err = vfs_lookup(AT_FDCWD, name, 0, &p);
	if (err)
		return err;
	if (type == CPIO_S_IFREG)
		tmpfs_set_data(p.dentry->inode, e->data, e->size);
	if (type != CPIO_S_IFLNK)
		err = vfs_setattr(&p, &attr);
	path_put(&p);
	return err;
}

static int unpack(const uint8_t *buf, size_t len)
{
	char name[VFS_PATH_MAX + 1];
	struct cpio_iter it;
	struct cpio_entry e;
	int r;

	name[0] = '/';
	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &e)) == 1) {
		const char *n = e.name;
		size_t nlen = e.name_len;

		while (nlen && (n[0] == '/' || (n[0] == '.' && nlen > 1 &&
						n[1] == '/'))) {
			n++;
			nlen--;
		}
		if (!nlen || (nlen == 1 && n[0] == '.'))
			continue;
		if (nlen >= VFS_PATH_MAX) {
			fr_printk("initramfs: name too long, skipped\n");
			continue;
		}
		memcpy(name + 1, n, nlen);
		name[nlen + 1] = '\0';
		int err = unpack_entry(name, &e);

		if (err)
			fr_printk("initramfs: cannot unpack %s: error %d\n",
				  name, -err);
	}
	if (r < 0)
		fr_printk("initramfs: corrupt archive after %zu bytes; "
			  "unpacked what came before\n",
			  it.off);
	return r < 0 ? -EINVAL : 0;
}

int vfs_init(const uint8_t *initrd, size_t len)
{
	int err, dev_err;

	fr_mutex_init(&vfs_ns_lock);
	locks_init();
	vfs_register(&tmpfs_type);
	err = procfs_init();
	if (!err)
		err = devfs_init();
	if (err)
		return err;
	err = vfs_mount_root(&tmpfs_type);
	if (err)
		return err;
	err = unpack(initrd, len);
	/* /dev even after a corrupt archive (what was read stays) */
	dev_err = devfs_populate();
	if (dev_err)
		fr_printk("trellis: /dev: error %d\n", -dev_err);
	return err;
}
