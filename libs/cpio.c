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
