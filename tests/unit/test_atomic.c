/*
 * test_atomic.c -- lib/io/atomic: regular files appear whole or not at
 * all; an existing device, FIFO or socket is written in place, never
 * replaced (/dev/null stays a character device, /dev/full gives ZK_EIO
 * with ENOSPC, a link to a device stays a link); a FIFO, which cannot
 * seek, receives the bytes of a spooled stream at the commit, and nothing
 * after an abort; binfile.h's writer, which seeks back to patch sizes,
 * writes through a FIFO the bytes it writes to a regular file.
 *
 * Files live in a mkdtemp directory that is removed at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/atomic.h"
#include "io/binfile.h"
#include "tap.h"
#include "testfile.h"
#include "util/err.h"

/* ------------------------------------------------------------ helpers */

/* The number of "NAME.tmp.*" entries of directory dir. */
static int temps_in(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp.") != NULL)
            n++;
    closedir(d);
    return n;
}

static int is_chr(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISCHR(st.st_mode);
}

/* A child that reads the FIFO path to its end into the file out (and gives
 * up after 20 s: a writer that never opens it); its pid. */
static pid_t reader(const char *fifo, const char *out)
{
    pid_t pid = fork();
    if (pid < 0)
        bail_out("fork: %s", strerror(errno));
    if (pid > 0)
        return pid;
    alarm(20);
    int in = open(fifo, O_RDONLY), o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || o < 0)
        _exit(2);
    char buf[4096];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(o, buf, (size_t)n) != n)
            _exit(3);
    _exit(n == 0 && close(o) == 0 ? 0 : 4);
}

/* Wait for the reader; 1 when it read to the end. */
static int reader_done(pid_t pid)
{
    int st;
    return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* A small binfile with two sections (the writer seeks back to patch each
 * section's size); the writer's result. */
static int write_bin(const char *path)
{
    zk_binwriter *w;
    int rc = zk_binwriter_begin(&w, path, "test", 1, 2);
    if (rc != ZK_OK)
        return rc;
    uint8_t big[10000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 1);
    if ((rc = zk_binwriter_section_begin(w, 1)) != ZK_OK ||
        (rc = zk_binwriter_u32(w, 0xdeadbeef)) != ZK_OK ||
        (rc = zk_binwriter_section_end(w)) != ZK_OK ||
        (rc = zk_binwriter_section_begin(w, 2)) != ZK_OK ||
        (rc = zk_binwriter_section_write(w, big, sizeof big)) != ZK_OK ||
        (rc = zk_binwriter_section_end(w)) != ZK_OK) {
        zk_binwriter_abort(w);
        return rc;
    }
    return zk_binwriter_commit(w);
}

/* ------------------------------------------------------------ tests */

static void test_regular(void)
{
    zk_atomic_file *f = NULL;
    int rc = zk_atomic_open(&f, tpath("a.txt"));
    ok(rc == ZK_OK && fputs("hello", zk_atomic_stream(f)) >= 0 && !exists(tpath("a.txt")) &&
           temps_in(g_dir) == 1,
       "a regular file is written under a temporary name");
    rc = rc == ZK_OK ? zk_atomic_commit(f) : rc;
    char *t = read_text(tpath("a.txt"));
    ok(rc == ZK_OK && t && strcmp(t, "hello") == 0 && temps_in(g_dir) == 0,
       "and renamed into place by the commit");
    free(t);
    rc = zk_atomic_open(&f, tpath("a.txt"));
    if (rc == ZK_OK) {
        fputs("other", zk_atomic_stream(f));
        zk_atomic_abort(f);
    }
    t = read_text(tpath("a.txt"));
    ok(rc == ZK_OK && t && strcmp(t, "hello") == 0 && temps_in(g_dir) == 0,
       "an abort leaves the old file and no temporary file");
    free(t);
    dir_clear();
}

static void test_devices(void)
{
    if (!is_chr("/dev/null") || !is_chr("/dev/full")) {
        skip(5, "no /dev/null or /dev/full");
        return;
    }
    int before = temps_in("/dev");
    zk_atomic_file *f = NULL;
    int rc = zk_atomic_write_file("/dev/null", "x", 1);
    ok(rc == ZK_OK && is_chr("/dev/null") && temps_in("/dev") == before,
       "/dev/null is written in place (%d) and stays a character device", rc);
    rc = write_bin("/dev/null");
    ok(rc == ZK_OK && is_chr("/dev/null"), "binfile.h's writer to /dev/null: %d", rc);

    /* a link to /dev/null in a directory: written through, still a link */
    struct stat st;
    rc = symlink("/dev/null", tpath("null")) == 0 ? write_bin(tpath("null")) : -99;
    ok(rc == ZK_OK && lstat(tpath("null"), &st) == 0 && S_ISLNK(st.st_mode) &&
           temps_in(g_dir) == 0 && is_chr("/dev/null"),
       "a link to /dev/null stays a link (%d)", rc);

    static char big[1 << 16];
    rc = zk_atomic_open(&f, "/dev/full");
    int wrc = ZK_OK, err = 0;
    if (rc == ZK_OK) {
        errno = 0;
        (void)fwrite(big, 1, sizeof big, zk_atomic_stream(f));
        wrc = zk_atomic_commit(f);
        err = errno;
    }
    ok(rc == ZK_OK && wrc == ZK_EIO && err == ENOSPC && is_chr("/dev/full"),
       "/dev/full: opened in place (%d), the commit says ZK_EIO (%d), ENOSPC (%s)", rc, wrc,
       strerror(err));
    errno = 0;
    rc = write_bin("/dev/full");
    err = errno;
    ok(rc == ZK_EIO && err == ENOSPC && is_chr("/dev/full") && temps_in("/dev") == before,
       "binfile.h's writer to /dev/full: ZK_EIO (%d), ENOSPC (%s)", rc, strerror(err));
    dir_clear();
}

static void test_fifo(void)
{
    const char *fifo = tpath("fifo"), *got = tpath("got");
    if (mkfifo(fifo, 0600) != 0) {
        skip(5, "mkfifo: %s", strerror(errno));
        return;
    }
    struct stat st;

    /* a stream that seeks back, as binfile.h's writer does */
    pid_t pid = reader(fifo, got);
    zk_atomic_file *f = NULL;
    int rc = zk_atomic_open(&f, fifo), crc = -99;
    if (rc == ZK_OK) {
        FILE *fp = zk_atomic_stream(f);
        fputs("hello, world", fp);
        fseek(fp, 0, SEEK_SET);
        fputc('J', fp);
        fseek(fp, 0, SEEK_END);
        fputc('!', fp);
        crc = zk_atomic_commit(f);
    }
    int done = reader_done(pid);
    char *t = read_text(got);
    ok(rc == ZK_OK && crc == ZK_OK && done && t && strcmp(t, "Jello, world!") == 0,
       "a FIFO receives the spooled stream at the commit, seeks included: \"%s\"",
       t ? t : "(none)");
    free(t);
    ok(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode) && temps_in(g_dir) == 0,
       "the FIFO stays a FIFO, no temporary file");

    /* binfile.h's writer: the same bytes as in a regular file */
    int r1 = write_bin(tpath("reg.bin"));
    pid = reader(fifo, got);
    int r2 = write_bin(fifo);
    done = reader_done(pid);
    ok(r1 == ZK_OK && r2 == ZK_OK && done && files_equal(tpath("reg.bin"), got),
       "binfile.h's writer through a FIFO: the bytes of the regular file (%d, %d)", r1, r2);

    /* an abort sends nothing */
    pid = reader(fifo, got);
    rc = zk_atomic_open(&f, fifo);
    if (rc == ZK_OK) {
        fputs("not for the reader", zk_atomic_stream(f));
        zk_atomic_abort(f);
    }
    done = reader_done(pid);
    size_t n = 99;
    uint8_t *b = get_file(got, &n);
    ok(rc == ZK_OK && done && b && n == 0, "an abort sends nothing to the FIFO (%zu bytes)", n);
    free(b);

    /* a reader gone: EPIPE (SIGPIPE ignored), the FIFO untouched */
    signal(SIGPIPE, SIG_IGN);
    pid = reader(fifo, got);
    rc = zk_atomic_open(&f, fifo);
    int fd = open(fifo, O_RDONLY | O_NONBLOCK); /* keep the FIFO open: no EOF race */
    kill(pid, SIGKILL);
    (void)reader_done(pid);
    if (fd >= 0)
        close(fd);
    int err = 0;
    crc = -99;
    if (rc == ZK_OK) {
        fputs("nobody reads this", zk_atomic_stream(f));
        errno = 0;
        crc = zk_atomic_commit(f);
        err = errno;
    }
    signal(SIGPIPE, SIG_DFL);
    ok(rc == ZK_OK && crc == ZK_EIO && err == EPIPE && stat(fifo, &st) == 0 &&
           S_ISFIFO(st.st_mode),
       "a FIFO without a reader at the commit: ZK_EIO (%d), EPIPE (%s)", crc, strerror(err));
    dir_clear();
}

int main(void)
{
    testdir_make("zkpar-test-atomic");
    test_regular();
    test_devices();
    test_fifo();
    testdir_remove();
    return done_testing();
}
