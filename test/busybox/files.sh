# File handling through busybox sh and its applets, in the fresh tmpfs
# /tmp/work that test/regression/busybox_files.c prepares (with the
# applets as links in /tmp/bin, first in PATH).  Its output must be the
# same on Trellis as on Linux: files.out holds Linux's.  Only stable
# things are printed (no times, inode numbers or directory order).
# Pipes, command substitution and background jobs come last.

cd /tmp/work || exit 1

echo "== create, append, read"
echo hello > a
echo world >> a
cat a
printf 'x%sy\n' 1 2 > b
cat b
wc -c a
wc -l < a
: > empty
wc -c empty
cat a b > ab
wc -c ab

echo "== directories"
mkdir -p d/e/f
touch d/e/f/g d/h
ls d
ls -a d/e
ls -R d
mkdir d 2>&1
mkdir -p d/e 2>&1 && echo "mkdir -p on an existing directory: ok"
rmdir d 2>&1
rmdir d/e/f/g 2>&1

echo "== copy, move, remove, links"
cp a c
cmp a c && echo "cp: same"
mv c d/e/
ls d/e
ln -s ../a d/la
readlink d/la
cat d/la
ln a hard
stat -c '%h %s %F %n' a hard
rm hard
stat -c '%h %n' a
ln -s nowhere dangling
cat dangling 2>&1
[ -L dangling ] && echo "dangling is a link"
[ -e dangling ] || echo "dangling leads nowhere"
cp -r d d2
ls -R d2
rm -r d2
ls
rm d/la d/h
rm -r d/e
ls d
rmdir d
mv a a2
mv a2 a
mv nope x 2>&1

echo "== permissions and modes"
chmod 600 a
stat -c '%a %A %n' a
chmod u+x,g+r a
stat -c '%a %n' a
chmod 644 a
umask 027
touch u
mkdir ud
stat -c '%a %F %n' u ud
umask 022
stat -c '%F' /tmp/work
stat -c '%s %F %n' b empty

echo "== test operators"
[ -f a ] && echo "a is a file"
[ -d ud ] && echo "ud is a directory"
[ -s a ] && echo "a is not empty"
[ -s empty ] || echo "empty is empty"
[ -r a ] && [ -w a ] && echo "a is readable and writable"
[ -x a ] || echo "a is not executable"
chmod +x a
[ -x a ] && echo "now a is executable"
chmod -x a
[ -e nope ] || echo "nope does not exist"
[ a -ef a ] && echo "a is a"
ln a a_link
[ a -ef a_link ] && echo "a_link is a"
rm a_link

echo "== dd, od, truncate, cmp"
dd if=a of=part bs=1 skip=2 count=5 2>dd.err
cat dd.err
od -c part
truncate -s 10 part
stat -c '%s' part
od -c part
truncate -s 2 part
od -c part
cmp a b 2>&1
cmp a a && echo "cmp: equal"
dd if=a of=seek bs=4 seek=2 2>/dev/null
od -c seek

echo "== redirections"
exec 3> fd3
echo three >&3
echo more >&3
exec 3>&-
cat fd3
exec 4< a
read first <&4
read second <&4
exec 4<&-
echo "read: $first, $second"
cat < a > copy 2> err
cmp a copy && echo "copied through redirections"
{ echo one; echo two; } > grp
cat grp
echo appended >> grp
wc -l < grp
echo "no such dir" > nodir/x 2>&1 || echo "redirect into a missing directory failed"
cat nope 2> err
cat err
ls nope 2>&1
echo clobber > b
cat b
set -C
echo noclobber > b 2>/dev/null || echo "noclobber kept b"
set +C
cat b

echo "== cd and pwd"
mkdir -p p/q
ln -s p/q lq
cd p/q
pwd
cd ../..
pwd
cd lq
pwd
pwd -P
cd /tmp/work
cd nope 2>/dev/null || echo "cd nope failed"
pwd

echo "== reading a file in a loop"
n=0
while read line; do
	n=$((n + 1))
	echo "$n: $line"
done < a
for f in a b empty; do
	if [ -s "$f" ]; then echo "$f: has data"; else echo "$f: empty"; fi
done

echo "== text applets on files"
head -n 1 a
tail -n 1 a
sort -r a
grep -c o a
grep -n world a
sed 's/o/0/g' a
sed -i 's/hello/HELLO/' a
cat a
cut -c 1-3 a
tr a-z A-Z < a
uniq grp
expand grp > /dev/null && echo expand ok
md5sum a
sha1sum b

echo "== archives"
tar cf t.tar a b
mkdir x
tar xf t.tar -C x
ls x
cmp a x/a && echo "tar: a intact"
tar tf t.tar
cp a z
gzip z
ls z*
gunzip z.gz
cmp a z && echo "gzip: round trip"

echo "== find, du"
mkdir -p f/g
touch f/g/h f/i
find f -name h
find f -type d -name g
find f -type f -name i
du -s f > /dev/null && echo "du ok"

echo "== pipes, command substitution, background"
echo piped | cat
x=$(cat a)
echo "substituted: $x"
ls | wc -l
cat a | sort | head -n 1
sleep 0 &
wait $! && echo "waited"
echo "== done"
