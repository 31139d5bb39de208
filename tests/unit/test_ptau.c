/*
 * test_ptau.c -- the .ptau reader (lib/io/ptau).
 *
 *  - Known answers: a prepared ptau of power 3 is built (testptau.h) from known
 *    tau, alpha, beta (Lagrange blocks by the O(n^2) inverse DFT), and
 *    every section read back through the range accessors equals the
 *    points computed independently by scalar multiplication;
 *  - every header field, section size and container fault, each with
 *    its exact error code; malformed points (coordinate >= q, off the
 *    curve, outside G2) in the three header points (at open) and in
 *    ranges (the smallest bad index is reported, with and without
 *    threads); accessor misuse;
 *  - zk_ptau_write: files with unknown sections before, between and
 *    after the known ones, opened from a file, from memory and from a
 *    pipe, come back byte-identical, also when written over themselves;
 *    NULL arguments, a missing directory and a directory in the way fail
 *    without leaving files; truncated and empty files on disk;
 *  - with node and tests/interop/node_modules: a ptau made by snarkjs
 *    (powersoftau new bn128 6, contribute, prepare phase2) opens, and its
 *    decoded points satisfy relations that fail for any decoding or
 *    offset error: pairings e(tau^(i+1) G1, G2) = e(tau^i G1, tau G2) and
 *    their alpha / beta analogues, and for each Lagrange block
 *    sum_j omega^(jm) L_j = tau^m X (section 12's extra block: the same,
 *    with the last power 0); zk_ptau_write gives back snarkjs's prepared
 *    and unprepared files byte for byte.
 */
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "curve/pairing.h"
#include "field/fr.h"
#include "io/binfile.h"
#include "io/ptau.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"
#include "testptau.h"
#include "util/err.h"
#include "util/pool.h"

static zk_pool *g_pool;

/* ------------------------------------------------------ known answers */

#define KP 3u
static toxic g_tx;

static void test_known(void)
{
    ptau_shape sh = ptau_good_shape(KP);
    sh.ceremony = 5; /* as after `powersoftau truncate` */
    buf_t s = ptau_build(KP, &g_tx, &sh, NULL);
    zk_ptau *p = NULL;
    const char *where = "unset";
    int rc = zk_ptau_open_mem(&p, s.b, s.n, &where);
    ok(rc == ZK_OK && where == NULL, "open a prepared ptau of power %u (rc %d)", KP, rc);
    if (rc != ZK_OK)
        bail_out("cannot continue");
    ok(zk_ptau_power(p) == KP && zk_ptau_ceremony_power(p) == 5 && zk_ptau_is_prepared(p),
       "power %u, ceremony power 5, prepared", zk_ptau_power(p));
    const uint64_t n = 1u << KP;
    ok(zk_ptau_section_points(p, 2) == 2 * n - 1 && zk_ptau_section_points(p, 3) == n &&
           zk_ptau_section_points(p, 4) == n && zk_ptau_section_points(p, 5) == n &&
           zk_ptau_section_points(p, 6) == 1 && zk_ptau_section_points(p, 12) == 4 * n - 1 &&
           zk_ptau_section_points(p, 13) == 2 * n - 1 &&
           zk_ptau_section_points(p, 14) == 2 * n - 1 &&
           zk_ptau_section_points(p, 15) == 2 * n - 1 && zk_ptau_section_points(p, 7) == 0 &&
           zk_ptau_section_points(p, 1) == 0 && zk_ptau_section_points(p, 99) == 0,
       "section point counts");
    ok(zk_ptau_lagrange_offset(0) == 0 && zk_ptau_lagrange_offset(3) == 7 &&
           zk_ptau_lagrange_offset(28) == (1u << 28) - 1,
       "Lagrange block offsets 2^k - 1");

    /* expected points, by double-and-add */
    zk_fr sc[64], one;
    zk_g1 want1[64], got1[64];
    zk_g2 want2[64], got2[64];
    zk_fr_one(&one);
    int64_t bad = 0;

    g1_muls(want1, &g_tx.alpha, 1);
    g1_muls(want1 + 1, &g_tx.beta, 1);
    g2_muls(want2, &g_tx.beta, 1);
    ok(zk_g1_eq(zk_ptau_alpha_g1(p), &want1[0]) && zk_g1_eq(zk_ptau_beta_g1(p), &want1[1]) &&
           zk_g2_eq(zk_ptau_beta_g2(p), &want2[0]),
       "alpha G1, beta G1, beta G2");

    zk_fr_one(&sc[0]);
    for (size_t i = 1; i < 2 * n; i++)
        zk_fr_mul(&sc[i], &sc[i - 1], &g_tx.tau);
    g1_muls(want1, sc, 2 * n - 1);
    rc = zk_ptau_g1_range(got1, p, 2, 0, 2 * n - 1, g_pool, &bad);
    ok(rc == ZK_OK && bad == -1 && memcmp(got1, want1, (2 * n - 1) * sizeof *got1) == 0,
       "section 2: tau^i G1, i < 2^(p+1) - 1");
    rc = zk_ptau_g1_range(got1, p, 2, 5, 4, NULL, &bad);
    ok(rc == ZK_OK && memcmp(got1, want1 + 5, 4 * sizeof *got1) == 0,
       "section 2 points 5..8, no pool");
    g2_muls(want2, sc, n);
    rc = zk_ptau_g2_range(got2, p, 3, 0, n, g_pool, &bad);
    ok(rc == ZK_OK && memcmp(got2, want2, n * sizeof *got2) == 0, "section 3: tau^i G2");
    for (unsigned sec = 4; sec <= 5; sec++) {
        zk_fr m[16];
        for (size_t i = 0; i < n; i++)
            zk_fr_mul(&m[i], &sc[i], sec == 4 ? &g_tx.alpha : &g_tx.beta);
        g1_muls(want1, m, n);
        rc = zk_ptau_g1_range(got1, p, sec, 0, n, g_pool, &bad);
        ok(rc == ZK_OK && memcmp(got1, want1, n * sizeof *got1) == 0,
           "section %u: %s tau^i G1", sec, sec == 4 ? "alpha" : "beta");
    }
    rc = zk_ptau_g2_range(got2, p, 6, 0, 1, NULL, &bad);
    g2_muls(want2, &g_tx.beta, 1);
    ok(rc == ZK_OK && zk_g2_eq(&got2[0], &want2[0]), "section 6 through the range accessor");

    /* every Lagrange block of sections 12..15 */
    int good = 1;
    for (unsigned sec = 12; sec <= 15; sec++) {
        const zk_fr *f = sec == 14 ? &g_tx.alpha : sec == 15 ? &g_tx.beta : &one;
        unsigned top = sec == 12 ? KP + 1 : KP;
        for (unsigned k = 0; k <= top; k++) {
            size_t nk = (size_t)1 << k;
            lagrange_dft(sc, k, &g_tx.tau, k == KP + 1 ? nk - 1 : nk, f);
            if (sec == 13) {
                g2_muls(want2, sc, nk);
                rc = zk_ptau_g2_range(got2, p, sec, zk_ptau_lagrange_offset(k), nk, g_pool,
                                      &bad);
                good &= rc == ZK_OK && memcmp(got2, want2, nk * sizeof *got2) == 0;
            } else {
                g1_muls(want1, sc, nk);
                rc = zk_ptau_g1_range(got1, p, sec, zk_ptau_lagrange_offset(k), nk, g_pool,
                                      &bad);
                good &= rc == ZK_OK && memcmp(got1, want1, nk * sizeof *got1) == 0;
            }
            if (!good) {
                diag("section %u block %u differs", sec, k);
                break;
            }
        }
    }
    ok(good, "sections 12..15: every Lagrange block L_j(tau) X, j in domain order");

    /* accessor misuse */
    is_int(zk_ptau_g1_range(got1, p, 3, 0, 1, NULL, &bad), ZK_EINVAL, "g1_range on a G2 section");
    is_int(zk_ptau_g2_range(got2, p, 12, 0, 1, NULL, &bad), ZK_EINVAL,
           "g2_range on a G1 section");
    is_int(zk_ptau_g1_range(got1, p, 7, 0, 1, NULL, &bad), ZK_EINVAL, "g1_range on section 7");
    is_int(zk_ptau_g1_range(got1, p, 1000, 0, 1, NULL, &bad), ZK_EINVAL,
           "g1_range on section 1000");
    is_int(zk_ptau_g1_range(got1, p, 2, 2 * n - 2, 2, NULL, &bad), ZK_EINVAL,
           "a range one past the end of section 2");
    is_int(zk_ptau_g1_range(got1, p, 2, UINT64_MAX, 1, NULL, &bad), ZK_EINVAL,
           "a first index of 2^64 - 1");
    is_int(zk_ptau_g1_range(got1, p, 2, 2 * n - 1, 0, NULL, &bad), ZK_OK,
           "an empty range at the end is fine");
    is_int(zk_ptau_g1_range(NULL, p, 2, 0, 0, NULL, NULL), ZK_OK, "empty range, NULL out");
    is_int(zk_ptau_g1_range(NULL, p, 2, 0, 1, NULL, NULL), ZK_EINVAL, "NULL out");
    is_int(zk_ptau_g1_range(got1, NULL, 2, 0, 1, NULL, NULL), ZK_EINVAL, "NULL ptau");

    /* the bytes after section 2: section 3's header and its first point */
    uint8_t ov[64];
    rc = zk_ptau_section2_overread(ov, p);
    size_t o3 = sec_off(&s, 3);
    ok(rc == ZK_OK && memcmp(ov, s.b + o3 - 12, 64) == 0,
       "section2_overread: section 3's type, size and first 52 bytes");
    zk_ptau_free(p);

    /* from a file, too */
    put_file(tpath("k.ptau"), s.b, s.n);
    rc = zk_ptau_open(&p, tpath("k.ptau"), NULL);
    ok(rc == ZK_OK && zk_ptau_power(p) == KP && zk_ptau_is_prepared(p) &&
           zk_ptau_g1_range(got1, p, 12, 0, 4 * n - 1, g_pool, &bad) == ZK_OK,
       "zk_ptau_open of the same bytes in a file");
    zk_ptau_free(p);
    remove(tpath("k.ptau"));
    is_int(zk_ptau_open(&p, tpath("missing.ptau"), NULL), ZK_EIO, "a missing file: ZK_EIO");
    bfree(&s);

    /* unprepared: no Lagrange sections */
    sh = ptau_good_shape(KP);
    sh.prepared = 0;
    s = ptau_build(KP, &g_tx, &sh, NULL);
    rc = zk_ptau_open_mem(&p, s.b, s.n, NULL);
    ok(rc == ZK_OK && !zk_ptau_is_prepared(p) && zk_ptau_section_points(p, 12) == 0,
       "an unprepared file opens, not prepared");
    if (rc == ZK_OK) {
        is_int(zk_ptau_g1_range(got1, p, 12, 0, 1, NULL, &bad), ZK_EFORMAT,
               "unprepared: section 12 -> ZK_EFORMAT");
        is_int(zk_ptau_g2_range(got2, p, 13, 0, 1, NULL, &bad), ZK_EFORMAT,
               "unprepared: section 13 -> ZK_EFORMAT");
        is_int(zk_ptau_g1_range(got1, p, 2, 0, 3, NULL, &bad), ZK_OK,
               "unprepared: section 2 reads");
    } else {
        skip(3, "no file");
    }
    zk_ptau_free(p);
    bfree(&s);
}

/* ------------------------------------------------------ malformed files */

static void expect_open(const buf_t *s, int want, const char *want_where, const char *what)
{
    zk_ptau *p = (zk_ptau *)1;
    const char *where = NULL;
    int rc = zk_ptau_open_mem(&p, s->b, s->n, &where);
    ok(rc == want && (want == ZK_OK ? p != NULL : p == NULL) &&
           (!want_where || (where && strstr(where, want_where) != NULL)),
       "%s: %s (got %d, where \"%s\")", what, zk_strerror(want), rc, where ? where : "-");
    if (rc == ZK_OK)
        zk_ptau_free(p);
}

static void test_malformed(void)
{
    const unsigned P = 2;
    ptau_shape sh;
    buf_t s;

#define CASE(FIELD, VALUE, WANT, WHERE, WHAT) \
    do {                                      \
        sh = ptau_good_shape(P);              \
        sh.FIELD = VALUE;                     \
        s = ptau_build(P, &g_tx, &sh, NULL);  \
        expect_open(&s, WANT, WHERE, WHAT);   \
        bfree(&s);                            \
    } while (0)

    CASE(magic, "zkey", ZK_EFORMAT, NULL, "magic \"zkey\"");
    CASE(version, 2, ZK_EFORMAT, NULL, "version 2");
    CASE(n8, 48, ZK_EFORMAT, "header", "n8 = 48");
    CASE(q_is_r, 1, ZK_EFORMAT, "header", "q = r (a file for another field)");
    CASE(extra_hdr, 1, ZK_EENCODING, "header", "a 48-byte header");
    CASE(power, 29, ZK_EENCODING, "header", "power 29");
    CASE(ceremony, 1, ZK_EENCODING, "header", "ceremonyPower < power");
    CASE(ceremony, 29, ZK_EENCODING, "header", "ceremonyPower 29");
    sh = ptau_good_shape(P);
    sh.power = sh.ceremony = 3;
    s = ptau_build(P, &g_tx, &sh, NULL);
    expect_open(&s, ZK_EENCODING, "section 2", "power 3 on sections of power 2");
    bfree(&s);
    CASE(short3, 1, ZK_EENCODING, "section 3", "section 3 one point short");
    CASE(skip6, 1, ZK_EFORMAT, "section 6", "section 6 missing");
    CASE(prepared, 2, ZK_EFORMAT, "12 to 15", "sections 12..14 without 15");
#undef CASE

    /* container faults on a good file */
    sh = ptau_good_shape(P);
    s = ptau_build(P, &g_tx, &sh, NULL);
    expect_open(&s, ZK_OK, NULL, "the unmodified file");
    {
        int good = 1;
        for (size_t cut = 0; cut < s.n; cut += 1 + cut / 7) {
            zk_ptau *p;
            int rc = zk_ptau_open_mem(&p, s.b, cut, NULL);
            if (rc != ZK_EENCODING) {
                diag("cut at %zu: %d", cut, rc);
                good = 0;
            }
            if (rc == ZK_OK)
                zk_ptau_free(p);
        }
        ok(good, "every truncation: ZK_EENCODING");
    }
    /* a section 13 one point longer than the power says */
    {
        buf_t m = { 0 };
        size_t o13 = sec_off(&s, 13);
        uint64_t sz = zk_load_u64_le(s.b + o13 - 8) + 128;
        uint8_t extra[128] = { 0 };
        size_t end13 = o13 + (size_t)(sz - 128);
        bput(&m, s.b, o13 - 8);
        bput64(&m, sz);
        bput(&m, s.b + o13, end13 - o13);
        bput(&m, extra, 128);
        bput(&m, s.b + end13, s.n - end13);
        expect_open(&m, ZK_EENCODING, "section 13", "section 13 one point too long");
        bfree(&m);
    }
    /* trailing garbage */
    {
        buf_t m = { 0 };
        bput(&m, s.b, s.n);
        bput32(&m, 0);
        expect_open(&m, ZK_EENCODING, "container", "trailing bytes");
        bfree(&m);
    }
    /* the three header points */
    struct {
        unsigned sec;
        int kind; /* 0 x >= q, 1 off curve, 2 outside G2 */
        int want;
        const char *where;
    } hp[] = {
        { 4, 0, ZK_ERANGE, "alpha G1" },       { 4, 1, ZK_ENOTONCURVE, "alpha G1" },
        { 5, 0, ZK_ERANGE, "beta G1" },        { 5, 1, ZK_ENOTONCURVE, "beta G1" },
        { 6, 0, ZK_ERANGE, "beta G2" },        { 6, 1, ZK_ENOTONCURVE, "beta G2" },
        { 6, 2, ZK_ENOTINGROUP, "beta G2" },
    };
    for (size_t i = 0; i < sizeof hp / sizeof *hp; i++) {
        buf_t m = { 0 };
        bput(&m, s.b, s.n);
        uint8_t *pt = m.b + sec_off(&m, hp[i].sec);
        if (hp[i].kind == 0) {
            q_le(pt); /* x = q exactly */
        } else if (hp[i].kind == 1) {
            pt[33] ^= 4;
        } else {
            zk_g2 tw;
            zk_g2_twist_point_from_seed(&tw, 77);
            zk_g2_to_iden3(pt, &tw);
        }
        char what[64];
        snprintf(what, sizeof what, "%s kind %d", hp[i].where, hp[i].kind);
        expect_open(&m, hp[i].want, hp[i].where, what);
        bfree(&m);
    }
    /* but a bad point elsewhere does not stop open */
    {
        buf_t m = { 0 };
        bput(&m, s.b, s.n);
        m.b[sec_off(&m, 4) + 64 + 33] ^= 4; /* alpha tau G1 */
        expect_open(&m, ZK_OK, NULL, "a bad point 1 of section 4 is not read at open");
        bfree(&m);
    }
    expect_open(&(buf_t){ NULL, 0, 0 }, ZK_EENCODING, NULL, "an empty buffer");
    {
        zk_ptau *p;
        is_int(zk_ptau_open_mem(NULL, s.b, s.n, NULL), ZK_EINVAL, "open_mem(NULL out)");
        is_int(zk_ptau_open_mem(&p, NULL, 5, NULL), ZK_EINVAL, "open_mem(NULL, 5)");
        is_int(zk_ptau_open(&p, NULL, NULL), ZK_EINVAL, "open(NULL path)");
        zk_ptau_free(NULL);
        ok(1, "zk_ptau_free(NULL)");
    }
    bfree(&s);
}

/* Bad points inside ranges: the smallest bad index wins, with any pool. */
static void test_bad_ranges(void)
{
    const unsigned P = 9; /* 1023 and 512 points: several pool tasks */
    ptau_shape sh = ptau_good_shape(P);
    sh.prepared = 0;
    toxic tx = g_tx;
    buf_t s = ptau_build(P, &tx, &sh, NULL);
    const size_t n2 = 1023, n3 = 512;
    zk_g1 *g1 = malloc(n2 * sizeof *g1);
    zk_g2 *g2 = malloc(n3 * sizeof *g2);
    size_t o2 = sec_off(&s, 2), o3 = sec_off(&s, 3);

    struct {
        unsigned sec;
        size_t idx[2];
        int kind[2]; /* 0 >= q, 1 off curve, 2 outside G2 */
        int want;
        int64_t want_bad;
    } c[] = {
        { 2, { 900, 9 }, { 1, 0 }, ZK_ERANGE, 9 },
        { 2, { 1022, 600 }, { 0, 1 }, ZK_ENOTONCURVE, 600 },
        { 2, { 3, 4 }, { 1, 0 }, ZK_ENOTONCURVE, 3 },
        { 3, { 400, 270 }, { 2, 1 }, ZK_ENOTONCURVE, 270 },
        { 3, { 511, 300 }, { 0, 2 }, ZK_ENOTINGROUP, 300 },
        { 3, { 5, 511 }, { 2, 0 }, ZK_ENOTINGROUP, 5 },
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        buf_t m = { 0 };
        bput(&m, s.b, s.n);
        const size_t psz = c[i].sec == 2 ? 64 : 128;
        for (int k = 0; k < 2; k++) {
            uint8_t *pt = m.b + (c[i].sec == 2 ? o2 : o3) + c[i].idx[k] * psz;
            if (c[i].kind[k] == 0) {
                memset(pt + 24, 0xff, 8); /* x's top limb */
            } else if (c[i].kind[k] == 1) {
                pt[psz / 2 + 1] ^= 2;
            } else {
                zk_g2 tw;
                zk_g2_twist_point_from_seed(&tw, 1 + i);
                zk_g2_to_iden3(pt, &tw);
            }
        }
        zk_ptau *p;
        if (zk_ptau_open_mem(&p, m.b, m.n, NULL) != ZK_OK)
            bail_out("open");
        for (int pl = 0; pl < 2; pl++) {
            int64_t bad = 12345;
            int rc = c[i].sec == 2 ? zk_ptau_g1_range(g1, p, 2, 0, n2, pl ? g_pool : NULL, &bad)
                                   : zk_ptau_g2_range(g2, p, 3, 0, n3, pl ? g_pool : NULL, &bad);
            ok(rc == c[i].want && bad == c[i].want_bad,
               "section %u, bad points %zu and %zu (%s): %s at %lld (got %d at %lld)",
               c[i].sec, c[i].idx[0], c[i].idx[1], pl ? "pool" : "serial",
               zk_strerror(c[i].want), (long long)c[i].want_bad, rc, (long long)bad);
        }
        /* a range that stops before the bad points is fine */
        int64_t bad = 0;
        size_t lo = c[i].idx[0] < c[i].idx[1] ? c[i].idx[0] : c[i].idx[1];
        int rc = c[i].sec == 2 ? zk_ptau_g1_range(g1, p, 2, 0, lo, g_pool, &bad)
                               : zk_ptau_g2_range(g2, p, 3, 0, lo, g_pool, &bad);
        ok(rc == ZK_OK && bad == -1, "... the %zu points before them are fine", lo);
        zk_ptau_free(p);
        bfree(&m);
    }
    free(g1);
    free(g2);
    bfree(&s);
}

/* ------------------------------------------------------------ writing */

/* s with an unknown section of `size` bytes (a byte pattern seeded by
 * type) inserted before the section that starts at payload offset `at`
 * (the header of that section is at at - 12; at == s->n + 12 appends). */
static buf_t with_unknown(const buf_t *s, size_t at, uint32_t type, size_t size)
{
    buf_t m = { 0 };
    bput(&m, s->b, at - 12);
    bput32(&m, type);
    bput64(&m, size);
    for (size_t i = 0; i < size; i++) {
        uint8_t c = (uint8_t)(type * 31 + i * 7);
        bput(&m, &c, 1);
    }
    if (at - 12 < s->n)
        bput(&m, s->b + at - 12, s->n - (at - 12));
    /* one more section in the file header */
    uint32_t n = zk_load_u32_le(m.b + 8) + 1;
    for (int i = 0; i < 4; i++)
        m.b[8 + i] = (uint8_t)(n >> (8 * i));
    return m;
}

static int file_is(const char *path, const buf_t *want)
{
    if (!exists(path))
        return 0;
    size_t n;
    uint8_t *b = get_file(path, &n);
    int same = n == want->n && memcmp(b, want->b, n) == 0;
    free(b);
    return same;
}

/* zk_ptau_open of a pipe fed by a child process with s. */
static int open_pipe(zk_ptau **p, const buf_t *s)
{
    int fds[2];
    if (pipe(fds) != 0)
        bail_out("pipe");
    pid_t pid = fork();
    if (pid < 0)
        bail_out("fork");
    if (pid == 0) {
        close(fds[0]);
        size_t off = 0;
        while (off < s->n) {
            ssize_t w = write(fds[1], s->b + off, s->n - off);
            if (w <= 0)
                _exit(1);
            off += (size_t)w;
        }
        _exit(0);
    }
    close(fds[1]);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    int rc = zk_ptau_open(p, path, NULL);
    close(fds[0]);
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        bail_out("pipe writer");
    return rc;
}

static void test_write(void)
{
    ptau_shape sh = ptau_good_shape(2);
    buf_t s = ptau_build(2, &g_tx, &sh, NULL);
    buf_t u1 = with_unknown(&s, sec_off(&s, 12), 8, 13);      /* between 7 and 12 */
    buf_t u2 = with_unknown(&u1, 24, 1000, 5);                /* before section 1 */
    buf_t u3 = with_unknown(&u2, u2.n + 12, 0xffffffffu, 0);  /* empty, at the end */
    const buf_t *files[] = { &s, &u1, &u2, &u3 };
    const char *names[] = { "a prepared file", "+ section 8 between 7 and 12",
                            "+ section 1000 before the header section",
                            "+ an empty section 2^32 - 1 at the end" };
    for (size_t i = 0; i < 4; i++) {
        const buf_t *f = files[i];
        zk_ptau *p = NULL;
        put_file(tpath("in.ptau"), f->b, f->n);
        int rc = zk_ptau_open(&p, tpath("in.ptau"), NULL);
        ok(rc == ZK_OK && zk_ptau_write(tpath("out.ptau"), p) == ZK_OK &&
               file_is(tpath("out.ptau"), f),
           "%s: opened from a file, written back byte-identical (%zu bytes)", names[i], f->n);
        /* over itself, while it is open: the handle keeps the old bytes */
        zk_g1 pt[4];
        int64_t bad;
        ok(p && zk_ptau_write(tpath("in.ptau"), p) == ZK_OK && file_is(tpath("in.ptau"), f) &&
               zk_ptau_g1_range(pt, p, 12, 0, 4, NULL, &bad) == ZK_OK,
           "%s: written over its own file while open", names[i]);
        zk_ptau_free(p);
        p = NULL;
        rc = zk_ptau_open_mem(&p, f->b, f->n, NULL);
        ok(rc == ZK_OK && zk_ptau_write(tpath("out2.ptau"), p) == ZK_OK &&
               file_is(tpath("out2.ptau"), f),
           "%s: opened from memory, written back byte-identical", names[i]);
        zk_ptau_free(p);
    }
    /* the pipe path of zk_ptau_open (read into memory, not mapped) */
    {
        zk_ptau *p = NULL;
        int rc = open_pipe(&p, &u3);
        ok(rc == ZK_OK && zk_ptau_is_prepared(p) && zk_ptau_write(tpath("out3.ptau"), p) == ZK_OK &&
               file_is(tpath("out3.ptau"), &u3),
           "opened from a pipe (%zu bytes), written back byte-identical (rc %d)", u3.n, rc);
        zk_ptau_free(p);
        buf_t cut = { u3.b, u3.n - 1, u3.n };
        p = (zk_ptau *)1;
        rc = open_pipe(&p, &cut);
        ok(rc == ZK_EENCODING && p == NULL, "a truncated file from a pipe: ZK_EENCODING (%d)", rc);
    }
    /* errors */
    {
        zk_ptau *p = NULL;
        if (zk_ptau_open_mem(&p, s.b, s.n, NULL) != ZK_OK)
            bail_out("open");
        is_int(zk_ptau_write(NULL, p), ZK_EINVAL, "write(NULL path)");
        is_int(zk_ptau_write(tpath("x.ptau"), NULL), ZK_EINVAL, "write(NULL ptau)");
        ok(!exists(tpath("x.ptau")), "... and nothing written");
        is_int(zk_ptau_write(tpath("no/such/dir.ptau"), p), ZK_EIO, "write into a missing directory: ZK_EIO");
        if (mkdir(tpath("adir"), 0755) != 0)
            bail_out("mkdir");
        int before = dir_entries();
        is_int(zk_ptau_write(tpath("adir"), p), ZK_EIO, "write over a directory: ZK_EIO");
        ok(dir_entries() == before && exists(tpath("adir")),
           "... the directory is still there and no temporary file is left");
        rmdir(tpath("adir"));
        put_file(tpath("keep.ptau"), (const uint8_t *)"old", 3);
        ok(zk_ptau_write(tpath("keep.ptau"), p) == ZK_OK && file_is(tpath("keep.ptau"), &s),
           "write replaces an existing file");
        zk_ptau_free(p);
    }
    /* files on disk that do not open */
    {
        zk_ptau *p = (zk_ptau *)1;
        const char *where = NULL;
        put_file(tpath("cut.ptau"), s.b, s.n - 5);
        int rc = zk_ptau_open(&p, tpath("cut.ptau"), &where);
        ok(rc == ZK_EENCODING && p == NULL && where && strcmp(where, "container") == 0,
           "a truncated file on disk: ZK_EENCODING in the container (%d)", rc);
        put_file(tpath("empty.ptau"), NULL, 0);
        p = (zk_ptau *)1;
        rc = zk_ptau_open(&p, tpath("empty.ptau"), NULL);
        ok(rc == ZK_EENCODING && p == NULL, "an empty file: ZK_EENCODING (%d)", rc);
        p = (zk_ptau *)1;
        rc = zk_ptau_open(&p, g_dir, NULL);
        ok(rc == ZK_EIO && p == NULL, "a directory: ZK_EIO (%d)", rc);
        remove(tpath("cut.ptau"));
        remove(tpath("empty.ptau"));
    }
    remove(tpath("in.ptau"));
    remove(tpath("out.ptau"));
    remove(tpath("out2.ptau"));
    remove(tpath("out3.ptau"));
    remove(tpath("keep.ptau"));
    bfree(&s);
    bfree(&u1);
    bfree(&u2);
    bfree(&u3);
}

/* ------------------------------------------------------------ snarkjs */

/* For the Lagrange block of size 2^k at section `lsec` against the
 * powers section `psec`: sum_j omega^(jm) L_j == power m for m in {0, 1,
 * n - 1}, except that for `last` (section 12's extra block) power n - 1
 * is 0. */
static int check_block(const zk_ptau *p, unsigned lsec, unsigned psec, unsigned k, int last)
{
    const size_t n = (size_t)1 << k;
    int g2 = lsec == 13;
    zk_g1 *l1 = malloc(n * sizeof *l1), pw1[1];
    zk_g2 *l2 = malloc(n * sizeof *l2), pw2[1];
    zk_fr *sc = malloc(n * sizeof *sc), om;
    int good = 1;
    int64_t bad;
    if (zk_fr_root_of_unity(&om, k) != ZK_OK)
        bail_out("root");
    good &= (g2 ? zk_ptau_g2_range(l2, p, lsec, zk_ptau_lagrange_offset(k), n, g_pool, &bad)
                : zk_ptau_g1_range(l1, p, lsec, zk_ptau_lagrange_offset(k), n, g_pool, &bad)) ==
            ZK_OK;
    size_t ms[3] = { 0, 1, n - 1 };
    for (int t = 0; t < 3 && good; t++) {
        size_t m = ms[t];
        if (m >= n)
            continue;
        zk_fr wm, x;
        uint64_t e[4] = { m, 0, 0, 0 };
        zk_fr_pow(&wm, &om, e);
        zk_fr_one(&x);
        for (size_t j = 0; j < n; j++) {
            sc[j] = x;
            zk_fr_mul(&x, &x, &wm);
        }
        int zero = last && m == n - 1;
        if (g2) {
            zk_g2j r;
            zk_g2 a;
            good &= zk_msm_g2(&r, l2, sc, n, NULL) == ZK_OK;
            zk_g2_from_jacobian(&a, &r);
            if (zero) {
                good &= zk_g2_is_inf(&a);
            } else {
                good &= zk_ptau_g2_range(pw2, p, psec, m, 1, NULL, &bad) == ZK_OK;
                good &= zk_g2_eq(&a, &pw2[0]);
            }
        } else {
            zk_g1j r;
            zk_g1 a;
            good &= zk_msm_g1(&r, l1, sc, n, NULL) == ZK_OK;
            zk_g1_from_jacobian(&a, &r);
            if (zero) {
                good &= zk_g1_is_inf(&a);
            } else {
                good &= zk_ptau_g1_range(pw1, p, psec, m, 1, NULL, &bad) == ZK_OK;
                good &= zk_g1_eq(&a, &pw1[0]);
            }
        }
    }
    free(l1);
    free(l2);
    free(sc);
    return good;
}

static void test_snarkjs(const char *nm)
{
    int st = node_mjs("pot", "",
                      "import * as s from \"%s/snarkjs/main.js\";\n"
                      "const c = await s.curves.getCurveFromName(\"bn128\");\n"
                      "await s.powersOfTau.newAccumulator(c, 6, \"p0.ptau\");\n"
                      "await s.powersOfTau.contribute(\"p0.ptau\", \"p1.ptau\", \"t\", "
                      "\"entropy 42\");\n"
                      "await s.powersOfTau.preparePhase2(\"p1.ptau\", \"p2.ptau\");\n"
                      "await c.terminate();\n"
                      "process.exit(0);\n",
                      nm);
    if (st != 0) {
        diag("snarkjs failed (exit %d)", st);
        diag_file("pot.err", 2000);
        skip(11, "snarkjs powersoftau failed");
        return;
    }
    zk_ptau *p1 = NULL, *p = NULL;
    const char *where = NULL;
    int rc = zk_ptau_open(&p1, tpath("p1.ptau"), &where);
    ok(rc == ZK_OK && zk_ptau_power(p1) == 6 && zk_ptau_ceremony_power(p1) == 6 &&
           !zk_ptau_is_prepared(p1),
       "snarkjs contributed ptau: power 6, not prepared (rc %d %s)", rc, where ? where : "");
    zk_ptau_free(p1);
    rc = zk_ptau_open(&p, tpath("p2.ptau"), &where);
    ok(rc == ZK_OK && zk_ptau_power(p) == 6 && zk_ptau_ceremony_power(p) == 6 &&
           zk_ptau_is_prepared(p),
       "snarkjs prepared ptau: power 6, prepared (rc %d %s)", rc, where ? where : "");
    if (rc != ZK_OK) {
        skip(9, "cannot open");
        return;
    }
    const size_t n = 64;
    zk_g1 *t1 = malloc(2 * n * sizeof *t1), *a1 = malloc(n * sizeof *a1),
          *b1 = malloc(n * sizeof *b1);
    zk_g2 *t2 = malloc(n * sizeof *t2);
    int64_t bad;
    rc = zk_ptau_g1_range(t1, p, 2, 0, 2 * n - 1, g_pool, &bad);
    if (rc == ZK_OK)
        rc = zk_ptau_g2_range(t2, p, 3, 0, n, g_pool, &bad);
    if (rc == ZK_OK)
        rc = zk_ptau_g1_range(a1, p, 4, 0, n, g_pool, &bad);
    if (rc == ZK_OK)
        rc = zk_ptau_g1_range(b1, p, 5, 0, n, g_pool, &bad);
    is_int(rc, ZK_OK, "sections 2..5 decode and validate in full");
    zk_g1 g1;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    ok(zk_g1_eq(&t1[0], &g1) && zk_g2_eq(&t2[0], &g2) && !zk_g1_eq(&t1[1], &g1) &&
           zk_g1_eq(&a1[0], zk_ptau_alpha_g1(p)) && zk_g1_eq(&b1[0], zk_ptau_beta_g1(p)),
       "tau^0 = generators, tau != 1, alpha/beta G1 = point 0 of sections 4/5");
    int good = pair_eq(zk_ptau_beta_g1(p), &g2, &g1, zk_ptau_beta_g2(p));
    size_t idx[] = { 0, 1, 17, 62 };
    for (size_t q = 0; q < 4; q++) {
        size_t i = idx[q];
        good &= pair_eq(&t1[i + 1], &g2, &t1[i], &t2[1]);   /* tau^(i+1) */
        good &= pair_eq(&t1[i], &g2, &g1, &t2[i]);          /* G1 ~ G2 */
        good &= pair_eq(&a1[i], &g2, zk_ptau_alpha_g1(p), &t2[i]);
        good &= pair_eq(&b1[i], &g2, &t1[i], zk_ptau_beta_g2(p));
    }
    good &= pair_eq(&t1[2 * n - 2], &g2, &t1[n - 1], &t2[n - 1]); /* the last tau power */
    ok(good, "pairing relations between sections 2..6");

    good = 1;
    for (unsigned k = 0; k <= 6 && good; k++) {
        good &= check_block(p, 12, 2, k, 0);
        good &= check_block(p, 13, 3, k, 0);
        good &= check_block(p, 14, 4, k, 0);
        good &= check_block(p, 15, 5, k, 0);
        if (!good)
            diag("block %u", k);
    }
    ok(good, "sections 12..15, blocks 2^0..2^6: sum_j omega^(jm) L_j = tau^m X");
    ok(check_block(p, 12, 2, 7, 1), "section 12, block 2^7: the same with tau^127 taken as 0");
    uint8_t ov[64];
    ok(zk_ptau_section2_overread(ov, p) == ZK_OK && zk_load_u32_le(ov) == 3 &&
           zk_load_u64_le(ov + 4) == n * 128,
       "snarkjs writes section 3 right after section 2");
    /* a bad point inside snarkjs's file */
    {
        size_t len;
        uint8_t *b = get_file(tpath("p2.ptau"), &len);
        buf_t m = { b, len, len };
        size_t o13 = sec_off(&m, 13);
        zk_g2 tw;
        zk_g2_twist_point_from_seed(&tw, 5);
        zk_g2_to_iden3(m.b + o13 + 40 * 128, &tw);
        zk_ptau *pb;
        rc = zk_ptau_open_mem(&pb, m.b, m.n, NULL);
        zk_g2 *l = malloc(64 * sizeof *l);
        if (rc == ZK_OK)
            rc = zk_ptau_g2_range(l, pb, 13, 31, 32, g_pool, &bad);
        ok(rc == ZK_ENOTINGROUP && bad == 40,
           "a twist point put in snarkjs's section 13: ZK_ENOTINGROUP at 40 (%d, %lld)", rc,
           (long long)bad);
        free(l);
        zk_ptau_free(pb);
        bfree(&m);
    }
    /* zk_ptau_write: snarkjs's files come back byte for byte */
    {
        static const char *const f[] = { "p1.ptau", "p2.ptau" };
        for (int i = 0; i < 2; i++) {
            size_t len;
            uint8_t *b = get_file(tpath(f[i]), &len);
            buf_t want = { b, len, len };
            zk_ptau *q = NULL;
            rc = zk_ptau_open(&q, tpath(f[i]), NULL);
            ok(rc == ZK_OK && zk_ptau_write(tpath("rt.ptau"), q) == ZK_OK &&
                   file_is(tpath("rt.ptau"), &want),
               "zk_ptau_write of snarkjs's %s: byte-identical (%zu bytes)",
               i ? "prepared ptau" : "contributed ptau", len);
            zk_ptau_free(q);
            free(b);
        }
    }
    free(t1);
    free(a1);
    free(b1);
    free(t2);
    zk_ptau_free(p);
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    testdir_make("zkpar-ptau");
    if (zk_pool_new(&g_pool, 3) != ZK_OK)
        bail_out("pool");
    zk_fr_set_u64(&g_tx.tau, 0xfeedbeef);
    zk_fr_sqr(&g_tx.tau, &g_tx.tau);
    zk_fr_sqr(&g_tx.tau, &g_tx.tau);
    zk_fr_sqr(&g_tx.tau, &g_tx.tau);
    zk_fr_set_u64(&g_tx.alpha, 77);
    zk_fr_set_u64(&g_tx.beta, 0x123456789ULL);
    zk_fr_neg(&g_tx.beta, &g_tx.beta);

    test_known();
    test_malformed();
    test_bad_ranges();
    test_write();
    const char *nm = interop_dir("snarkjs/src/powersoftau_preparephase2.js");
    if (nm)
        test_snarkjs(nm);
    else
        skip(11, "%s", interop_why());

    zk_pool_free(g_pool);
    dir_clear();
    testdir_remove();
    return done_testing();
}
