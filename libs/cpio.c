/*
 * newc cpio reader (see libs/cpio.h).
 */
#include <libs/cpio.h>
#include <libs/string.h>
#include <asm-generic/errno.h>

#define HDR_LEN 110

static int hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -EINVAL;
	}
	*out = v;
	return 0;
}

void cpio_iter_init(struct cpio_iter *it, const uint8_t *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
}

static size_t pad4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

static int next_raw(struct cpio_iter *it, struct cpio_entry *e)
{
	const uint8_t *h;
	uint32_t f[13];
	size_t name_off, data_off;

	/* trailing zero padding after the last archive is allowed */
	while (it->off < it->len && it->buf[it->off] == 0)
		it->off++;
	if (it->off == it->len)
		return 0;
	if (it->len - it->off < HDR_LEN)
		return -EINVAL;
	h = it->buf + it->off;
	if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))
		return -EINVAL;
	for (int i = 0; i < 13; i++)
		if (hex8(h + 6 + 8 * i, &f[i]))
			return -EINVAL;
	/* f: ino mode uid gid nlink mtime filesize devmaj devmin rdevmaj
	 * rdevmin namesize check */
	name_off = it->off + HDR_LEN;
	if (f[11] == 0 || f[11] > it->len - name_off)
		return -EINVAL;
	data_off = pad4(name_off + f[11]);
	if (data_off > it->len || f[6] > it->len - data_off)
		return -EINVAL;
	e->name = (const char *)(it->buf + name_off);
	e->name_len = f[11] - 1;
	if (e->name[e->name_len] != '\0')
		return -EINVAL;
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->mtime = f[5];
	e->rdev_major = f[9];
	e->rdev_minor = f[10];
	e->data = it->buf + data_off;
	e->size = f[6];
	it->off = pad4(data_off + f[6]);
	if (it->off > it->len)
		it->off = it->len;
	return 1;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	int r;

	/* a trailer may be followed by another archive (concatenation) */
	while ((r = next_raw(it, e)) == 1 && e->name_len == 10 &&
	       !memcmp(e->name, "TRAILER!!!", 10))
		;
	return r;
}

static void strip(const char **s, size_t *n)
{
	while (*n && **s == '/')
		(*s)++, (*n)--;
	if (*n >= 2 && (*s)[0] == '.' && (*s)[1] == '/') {
		*s += 2;
		*n -= 2;
	}
	while (*n && **s == '/')
		(*s)++, (*n)--;
}

int cpio_find(const uint8_t *buf, size_t len, const char *path,
	      struct cpio_entry *e)
{
	struct cpio_iter it;
	const char *want = path;
	size_t want_len = strlen(path);
	int r;

	strip(&want, &want_len);
	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, e)) == 1) {
		const char *name = e->name;
		size_t n = e->name_len;

		strip(&name, &n);
		if (n == want_len && !memcmp(name, want, n))
			return 0;
	}
	return r < 0 ? r : -ENOENT;
}

static void root_entry(struct cpio_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->name = "";
	e->mode = CPIO_S_IFDIR | 0755;
}

/*
 * Find @dir/@name (@n bytes) exactly; @dir is "" for the root.  The last
 * entry of that name counts, as when Linux unpacks the archive (a later
 * one replaces an earlier one, e.g. in concatenated archives).
 */
static int find_in(const uint8_t *buf, size_t len, const char *dir,
		   const char *name, size_t n, struct cpio_entry *e)
{
	size_t dlen = strlen(dir);
	struct cpio_entry cur;
	struct cpio_iter it;
	bool found = false;
	int r;

	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &cur)) == 1) {
		const char *s = cur.name;
		size_t sn = cur.name_len;

		strip(&s, &sn);
		if (dlen) {
			if (sn <= dlen || memcmp(s, dir, dlen) || s[dlen] != '/')
				continue;
			s += dlen + 1;
			sn -= dlen + 1;
		}
		if (sn == n && !memcmp(s, name, n)) {
			*e = cur;
			found = true;
		}
	}
	if (r < 0)
		return r;
	return found ? 0 : -ENOENT;
}

/* Replace the start of w->rest, up to @off, by the @tlen bytes of
 * @target: the walk goes on with the link's target followed by what came
 * after the link (nothing, or "/" and more). */
static int splice_link(struct cpio_walk *w, const uint8_t *target,
		       size_t tlen, size_t off)
{
	size_t rlen = strlen(w->rest + off);

	if (tlen + rlen >= sizeof(w->rest))
		return -ENAMETOOLONG;
	memmove(w->rest + tlen, w->rest + off, rlen + 1);
	memcpy(w->rest, target, tlen);
	return 0;
}

int cpio_resolve(const uint8_t *buf, size_t len, const char *path,
		 bool follow, struct cpio_walk *w, struct cpio_entry *e)
{
	size_t pos = 0, links = 0;

	if (!*path)
		return -ENOENT;
	if (str_copy(w->rest, path, sizeof(w->rest)) >= sizeof(w->rest))
		return -ENAMETOOLONG;
	w->dir[0] = '\0';
	root_entry(e);
	for (;;) {
		const char *name;
		size_t n, after, dlen;
		bool last, slash;
		int err;

		while (w->rest[pos] == '/')
			pos++;
		if (!w->rest[pos])
			return 0; /* e is the directory reached */
		name = w->rest + pos;
		for (n = 0; name[n] && name[n] != '/'; n++)
			;
		after = pos + n;
		slash = w->rest[after] == '/';
		while (w->rest[after] == '/')
			after++;
		last = !w->rest[after];
		if (n > CPIO_NAME_MAX)
			return -ENAMETOOLONG;
		if (n == 1 && name[0] == '.') {
			pos = after;
			continue;
		}
		dlen = strlen(w->dir);
		if (n == 2 && name[0] == '.' && name[1] == '.') {
			while (dlen && w->dir[dlen - 1] != '/')
				dlen--;
			w->dir[dlen ? dlen - 1 : 0] = '\0';
			if (w->dir[0]) {
				err = find_in(buf, len, "", w->dir,
					      strlen(w->dir), e);
				if (err)
					return err;
			} else {
				root_entry(e);
			}
			pos = after;
			continue;
		}
		err = find_in(buf, len, w->dir, name, n, e);
		if (err)
			return err;
		if ((e->mode & CPIO_S_IFMT) == CPIO_S_IFLNK &&
		    (!last || follow || slash)) {
			size_t tlen = e->size;
			const uint8_t *nul = memchr(e->data, 0, tlen);

			if (nul)
				tlen = (size_t)(nul - e->data);
			if (++links > CPIO_MAXSYMLINKS)
				return -ELOOP;
			if (!tlen)
				return -ENOENT;
			/* a relative target starts from the link's directory,
			 * which w->dir still is; an absolute one from the root */
			if (e->data[0] == '/')
				w->dir[0] = '\0';
			err = splice_link(w, e->data, tlen, pos + n);
			if (err)
				return err;
			pos = 0;
			continue;
		}
		if (last && !slash)
			return 0;
		if ((e->mode & CPIO_S_IFMT) != CPIO_S_IFDIR)
			return -ENOTDIR;
		if (dlen + 1 + n >= sizeof(w->dir))
			return -ENAMETOOLONG;
		if (dlen)
			w->dir[dlen++] = '/';
		memcpy(w->dir + dlen, name, n);
		w->dir[dlen + n] = '\0';
		pos = after;
	}
}
