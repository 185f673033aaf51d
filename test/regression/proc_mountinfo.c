/* /proc/self/mountinfo: a line per mount with its id, its parent's id,
 * the device of its file system (stat's st_dev), its root "/", its
 * place (a space escaped as \040), its own options, " - ", the type, the
 * source and the file system's options.  A tmpfs is mounted nosuid,nodev
 * at a place with a space in its name: its line is checked field by
 * field; its parent is the mount that holds that place; its id is the
 * mnt_id of a file opened in it (fdinfo), and no two lines share an id. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "check.h"
#include "proc_util.h"

#define PLACE "/tmp/mount info"
#define PLACE_MANGLED "/tmp/mount\\040info"
#define MAX_LINES 64

struct line {
    int id, parent;
    unsigned major, minor;
    char root[256], place[256], opts[256], type[64], source[256], super[256];
};

static struct line lines[MAX_LINES];
static int nlines;

/* Parse /proc/self/mountinfo into lines[]; the count, or -1. */
static int read_mountinfo(void)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char buf[1024];

    nlines = 0;
    if (!f)
        return -1;
    while (nlines < MAX_LINES && fgets(buf, sizeof(buf), f)) {
        struct line *l = &lines[nlines];
        char *dash = strstr(buf, " - ");

        if (!dash || sscanf(buf, "%d %d %u:%u %255s %255s %255s", &l->id, &l->parent, &l->major,
                            &l->minor, l->root, l->place, l->opts) != 7 ||
            sscanf(dash + 3, "%63s %255s %255s", l->type, l->source, l->super) != 3) {
            CHECK(0, "malformed line: %s", buf);
            continue;
        }
        nlines++;
    }
    fclose(f);
    return nlines;
}

static struct line *by_place(const char *place)
{
    struct line *found = NULL;

    for (int i = 0; i < nlines; i++)
        if (!strcmp(lines[i].place, place))
            found = &lines[i]; /* the last: the one on top */
    return found;
}

/* The mount under @l's place: the line whose place is the longest proper
 * prefix of it, as a directory. */
static struct line *holder_of(const struct line *l)
{
    struct line *best = NULL;
    size_t best_len = 0;

    for (int i = 0; i < nlines; i++) {
        const char *p = lines[i].place;
        size_t n = strlen(p);

        if (&lines[i] == l || n >= strlen(l->place) || strncmp(l->place, p, n))
            continue;
        if (strcmp(p, "/") && l->place[n] != '/')
            continue;
        if (!best || n >= best_len) {
            best = &lines[i];
            best_len = n;
        }
    }
    return best;
}

/* fdinfo's mnt_id of @fd, or -1. */
static int mnt_id_of(int fd)
{
    char path[64], buf[512], *p;
    int f, n;

    snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
    f = open(path, O_RDONLY);
    if (f < 0)
        return -1;
    n = read(f, buf, sizeof(buf) - 1);
    close(f);
    buf[n > 0 ? n : 0] = '\0';
    p = strstr(buf, "mnt_id:\t");
    return p ? atoi(p + 8) : -1;
}

int main(void)
{
    struct line *mi, *proc, *holder;
    struct stat st;
    int fd;

    mount_proc();
    mkdir("/tmp", 01777);
    CHECK(mkdir(PLACE, 0755) == 0 || errno == EEXIST, "mkdir: errno %d", errno);
    CHECK(mount("mi-source", PLACE, "tmpfs", MS_NOSUID | MS_NODEV, NULL) == 0,
          "mount tmpfs: errno %d", errno);

    CHECK(read_mountinfo() >= 2, "mountinfo: %d lines", nlines);
    mi = by_place(PLACE_MANGLED);
    CHECK(mi != NULL, "no line for " PLACE_MANGLED);
    proc = by_place("/proc");
    CHECK(proc != NULL, "no line for /proc");
    if (!mi || !proc)
        return check_result("proc_mountinfo");

    CHECK(!strcmp(mi->root, "/"), "root %s", mi->root);
    CHECK(!strncmp(mi->opts, "rw,nosuid,nodev", 15), "mount options %s", mi->opts);
    CHECK(!strcmp(mi->type, "tmpfs") && !strcmp(mi->source, "mi-source"), "type %s source %s",
          mi->type, mi->source);
    CHECK(!strncmp(mi->super, "rw", 2), "super options %s", mi->super);
    CHECK(stat(PLACE, &st) == 0, "stat");
    CHECK(mi->major == major(st.st_dev) && mi->minor == minor(st.st_dev),
          "device %u:%u, stat says %u:%u", mi->major, mi->minor, major(st.st_dev),
          minor(st.st_dev));
    holder = holder_of(mi);
    CHECK(holder && mi->parent == holder->id, "parent %d, the mount at %s is %d", mi->parent,
          holder ? holder->place : "?", holder ? holder->id : -1);

    CHECK(!strcmp(proc->type, "proc") && !strcmp(proc->root, "/"), "proc: type %s root %s",
          proc->type, proc->root);
    CHECK(stat("/proc", &st) == 0 && proc->major == major(st.st_dev) &&
              proc->minor == minor(st.st_dev),
          "proc device %u:%u", proc->major, proc->minor);

    fd = open(PLACE "/file", O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0 && mnt_id_of(fd) == mi->id, "fdinfo mnt_id %d, mountinfo id %d",
          mnt_id_of(fd), mi->id);
    close(fd);
    fd = open("/proc/self/stat", O_RDONLY);
    CHECK(mnt_id_of(fd) == proc->id, "proc: fdinfo mnt_id %d, mountinfo id %d", mnt_id_of(fd),
          proc->id);
    close(fd);

    for (int i = 0; i < nlines; i++)
        for (int j = i + 1; j < nlines; j++)
            CHECK(lines[i].id != lines[j].id, "id %d twice", lines[i].id);

    /* gone once unmounted */
    CHECK(umount(PLACE) == 0, "umount: errno %d", errno);
    read_mountinfo();
    CHECK(by_place(PLACE_MANGLED) == NULL, "still listed after umount");
    rmdir(PLACE);
    return check_result("proc_mountinfo");
}
