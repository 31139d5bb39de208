/*
 * testnode.h -- helpers for unit tests that check zkpar against the
 * JavaScript implementations installed under tests/interop/node_modules
 * (snarkjs, circomlibjs, r1csfile, circom2, ...), run with node.
 *
 * Finding them.  Interop points must skip cleanly, with the same count,
 * when node or the modules are missing:
 *
 *   interop_modules()   the absolute path of
 *                       $top_srcdir/tests/interop/node_modules ("." for
 *                       an unset $top_srcdir; make check sets it), or NULL
 *                       when that directory does not exist
 *   node_available()    1 when `node --version` runs (asked once)
 *   interop_dir(probe)  interop_modules() when the file probe, a path
 *                       below it (e.g. "snarkjs/cli.js"), exists and node
 *                       runs; otherwise NULL, and interop_why() tells why
 *   interop_why()       why the last interop_dir() gave NULL, a phrase for
 *                       skip(n, "%s", interop_why())
 *
 *       const char *nm = interop_dir("circomlibjs/main.js");
 *       if (!nm) {
 *           skip(7, "%s", interop_why());
 *           return;
 *       }
 *
 * Running things.  Commands run with the test directory g_dir
 * (testfile.h) as their working directory, so plain file names refer to
 * files there:
 *
 *   node_mjs(name, args, fmt, ...)
 *                       writes the ES module g_dir/<name>.mjs from the
 *                       printf format fmt (typically importing from
 *                       "%s/snarkjs/main.js" with the interop_dir() path
 *                       as argument; no shell quoting needed), then runs
 *                       `node <name>.mjs <args>` with its stdout in
 *                       g_dir/<name>.out and its stderr in g_dir/<name>.err
 *   sh_run(log, fmt, ...)
 *                       runs the printf-formatted shell command with its
 *                       stdout and stderr in g_dir/<log>
 *
 * Both return the command's exit status: 0 for success, 1..255 for
 * failure, -1 when the shell could not run it or died of a signal.  Read
 * the output with read_text(tpath("<name>.out")) (testfile.h); on failure
 * diag_file(name, max) shows the start of what the command printed.
 *
 * Header-only, everything static inline.  Include after testfile.h.
 */
#ifndef ZK_TESTS_UNIT_TESTNODE_H
#define ZK_TESTS_UNIT_TESTNODE_H

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tap.h"
#include "testfile.h"

static const char *testnode_why_ = "interop_dir() not called";

static inline const char *interop_modules(void)
{
    static char abs[PATH_MAX];
    char dir[4096];
    const char *top = getenv("top_srcdir");
    snprintf(dir, sizeof dir, "%s/tests/interop/node_modules",
             top && *top ? top : ".");
    return realpath(dir, abs);
}

static inline int node_available(void)
{
    static int have = -1;
    if (have < 0)
        have = system("node --version >/dev/null 2>&1") == 0;
    return have;
}

static inline const char *interop_dir(const char *probe)
{
    static char why[4352];
    const char *nm = interop_modules();
    char path[PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", nm ? nm : "", probe);
    if (!nm || !exists(path)) {
        snprintf(why, sizeof why, "no tests/interop/node_modules/%s", probe);
        testnode_why_ = why;
        return NULL;
    }
    if (!node_available()) {
        testnode_why_ = "node not available";
        return NULL;
    }
    return nm;
}

static inline const char *interop_why(void)
{
    return testnode_why_;
}

/* system(cmd) as an exit status: 0..255, or -1 (not run, or a signal). */
static inline int testnode_system_(const char *cmd)
{
    fflush(stdout);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* fmt/ap formatted into a malloc'ed string. */
static inline char *testnode_vfmt_(const char *fmt, va_list ap) TAP_PRINTF_(1, 0);
static inline char *testnode_vfmt_(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        bail_out("bad format");
    char *s = malloc((size_t)n + 1);
    if (!s)
        bail_out("out of memory");
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static inline int node_mjs(const char *name, const char *args, const char *fmt, ...)
    TAP_PRINTF_(3, 4);
static inline int node_mjs(const char *name, const char *args, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *src = testnode_vfmt_(fmt, ap);
    va_end(ap);
    char file[256];
    snprintf(file, sizeof file, "%s.mjs", name);
    put_file(tpath(file), (const uint8_t *)src, strlen(src));
    free(src);
    size_t n = strlen(g_dir) + 3 * strlen(name) + strlen(args) + 64;
    char *cmd = malloc(n);
    if (!cmd)
        bail_out("out of memory");
    snprintf(cmd, n, "cd '%s' && node '%s.mjs' %s > '%s.out' 2> '%s.err'", g_dir, name,
             args, name, name);
    int st = testnode_system_(cmd);
    free(cmd);
    return st;
}

static inline int sh_run(const char *log, const char *fmt, ...) TAP_PRINTF_(2, 3);
static inline int sh_run(const char *log, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *body = testnode_vfmt_(fmt, ap);
    va_end(ap);
    size_t n = strlen(g_dir) + strlen(body) + strlen(log) + 32;
    char *cmd = malloc(n);
    if (!cmd)
        bail_out("out of memory");
    snprintf(cmd, n, "cd '%s' && (%s) > '%s' 2>&1", g_dir, body, log);
    free(body);
    int st = testnode_system_(cmd);
    free(cmd);
    return st;
}

/* diag the first max bytes of g_dir/name (nothing if it is absent). */
static inline void diag_file(const char *name, size_t max)
{
    if (!exists(tpath(name)))
        return;
    char *t = read_text(tpath(name));
    size_t n = strlen(t);
    diag("%s%s:\n%.*s", name, n > max ? " (start)" : "", (int)(n > max ? max : n), t);
    free(t);
}

#endif /* ZK_TESTS_UNIT_TESTNODE_H */
