/*
 * test_agg_srs.c -- the SnarkPack SRS (lib/aggregate/srs).
 *
 *  - Dev SRS for n_max = 2, 8, 64: the generators at index 0, a != b,
 *    the power relations checked directly with pairings for several i
 *    (e(g_x[i+1], h) = e(g_x[i], h_x[1]), e(g_x[1], h_x[i]) = e(g,
 *    h_x[i+1]), the last index included), the structure check passes;
 *    bad n_max refused.
 *  - srs.bin: write / read (file and memory, with and without a pool)
 *    equal point by point, a second write byte-identical; every kind of
 *    malformed file refused with its code and where: container faults,
 *    header size, n_max (not a power of two, out of range, not matching
 *    the sections), sections missing or duplicated, a point off its curve,
 *    a coordinate >= p, a G2 point outside G2, swapped powers in each
 *    section, a foreign power, wrong generators, a = b, a = 1.
 *  - From two dev ptau files: the SRS equals the files' points; the same
 *    file twice, a too small file or n_max, a file whose tauG1[0] is not
 *    g, a file with swapped powers refused; contribution chains (section 7
 *    rewritten with hand-made records): a shared record refused, distinct
 *    records or none accepted, a malformed section 7 refused.
 *  - srs.vk.json: round trip, every rejection (wrong generators, g_a not
 *    matching h_a, bad n_max, protocol / curve, malformed points).
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/srs.h"
#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/pairing.h"
#include "field/fp.h"
#include "groth16/ptau_dev.h"
#include "io/binfile.h"
#include "io/ptau.h"
#include "tap.h"
#include "testfile.h"
#include "testptau.h"
#include "util/err.h"
#include "util/pool.h"

static zk_pool *g_pool;

/* ------------------------------------------------------------ helpers */

static buf_t load(const char *path)
{
    size_t n;
    uint8_t *b = get_file(path, &n);
    buf_t s = { b, n, n };
    return s;
}

static buf_t copy(const buf_t *a)
{
    buf_t s = { 0 };
    bput(&s, a->b, a->n);
    return s;
}

static int g1_all_eq(const zk_g1 *a, const zk_g1 *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!zk_g1_eq(&a[i], &b[i]))
            return 0;
    return 1;
}

static int g2_all_eq(const zk_g2 *a, const zk_g2 *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!zk_g2_eq(&a[i], &b[i]))
            return 0;
    return 1;
}

static int srs_eq(const zk_agg_srs *a, const zk_agg_srs *b)
{
    const size_t n = a->n_max;
    return n == b->n_max && zk_g1_eq(&a->g, &b->g) && zk_g2_eq(&a->h, &b->h) &&
           g1_all_eq(a->g_a, b->g_a, 2 * n) && g1_all_eq(a->g_b, b->g_b, 2 * n) &&
           g2_all_eq(a->h_a, b->h_a, n) && g2_all_eq(a->h_b, b->h_b, n);
}

/* Rebuild the iden3 container img: section `type` replaced by payload
 * (len bytes), or left out when drop, or duplicated when dup. */
static buf_t rebuild(const buf_t *img, const char magic[4], uint32_t type,
                     const uint8_t *payload, size_t len, int drop, int dup)
{
    zk_binfile *f;
    if (zk_binfile_open_mem(&f, img->b, img->n, magic, 1) != ZK_OK)
        bail_out("rebuild: open");
    const uint32_t ns = zk_binfile_nsections(f);
    buf_t s = { 0 };
    bput(&s, magic, 4);
    bput32(&s, 1);
    bput32(&s, ns - (drop ? 1 : 0) + (dup ? 1 : 0));
    for (uint32_t i = 0; i < ns; i++) {
        uint32_t t;
        const uint8_t *d;
        uint64_t sz;
        if (zk_binfile_section_at(f, i, &t, &d, &sz) != ZK_OK)
            bail_out("rebuild: section");
        for (int k = 0; k < (t == type && dup ? 2 : 1); k++) {
            if (t == type && drop)
                continue;
            size_t at;
            sec_begin(&s, t, &at);
            if (t == type && payload)
                bput(&s, payload, len);
            else
                bput(&s, d, (size_t)sz);
            sec_end(&s, at);
        }
    }
    zk_binfile_close(f);
    return s;
}

/* Point i of the G1 section k of an srs.bin / ptau image. */
static uint8_t *g1_at(buf_t *img, uint32_t k, size_t i)
{
    size_t off = sec_off(img, k);
    if (!off)
        bail_out("no section %u", k);
    return img->b + off + 64 * i;
}

static uint8_t *g2_at(buf_t *img, uint32_t k, size_t i)
{
    size_t off = sec_off(img, k);
    if (!off)
        bail_out("no section %u", k);
    return img->b + off + 128 * i;
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

/* ------------------------------------------------------------ dev */

static void check_relations(const zk_agg_srs *s, const char *what)
{
    const size_t n = s->n_max;
    zk_g1 g;
    zk_g2 h;
    zk_g1_generator(&g);
    zk_g2_generator(&h);
    ok(zk_g1_eq(&s->g, &g) && zk_g2_eq(&s->h, &h) && zk_g1_eq(&s->g_a[0], &g) &&
           zk_g1_eq(&s->g_b[0], &g) && zk_g2_eq(&s->h_a[0], &h) && zk_g2_eq(&s->h_b[0], &h),
       "%s: g, h and the powers x^0 are the standard generators", what);
    ok(!zk_g1_eq(&s->g_a[1], &s->g_b[1]) && !zk_g1_eq(&s->g_a[1], &g) &&
           !zk_g1_is_inf(&s->g_a[1]) && !zk_g1_is_inf(&s->g_b[1]),
       "%s: a != b, neither 0 nor 1", what);
    const size_t gi[] = { 0, 1, n / 2, n - 1, n, 2 * n - 2 };
    const size_t hi[] = { 0, n / 2 - 1, n - 2 };
    for (int x = 0; x < 2; x++) {
        const zk_g1 *gx = x == 0 ? s->g_a : s->g_b;
        const zk_g2 *hx = x == 0 ? s->h_a : s->h_b;
        const char c = x == 0 ? 'a' : 'b';
        int good = 1;
        for (size_t k = 0; k < sizeof gi / sizeof *gi; k++)
            good &= pair_eq(&gx[gi[k] + 1], &h, &gx[gi[k]], &hx[1]);
        ok(good, "%s: e(g_%c[i+1], h) = e(g_%c[i], h_%c[1]) for i in {0, 1, n/2, n-1, n, 2n-2}",
           what, c, c, c);
        good = 1;
        for (size_t k = 0; k < sizeof hi / sizeof *hi; k++)
            good &= pair_eq(&gx[1], &hx[hi[k]], &g, &hx[hi[k] + 1]);
        ok(good, "%s: e(g_%c[1], h_%c[i]) = e(g, h_%c[i+1]) for i in {0, n/2-1, n-2}", what,
           c, c, c);
    }
    /* and a wrong relation does not hold (the check above can fail) */
    ok(!pair_eq(&s->g_a[2], &h, &s->g_a[1], &s->h_b[1]),
       "%s: e(g_a[2], h) != e(g_a[1], h_b[1])", what);
    const char *w = "x";
    is_int(zk_agg_srs_verify(s, g_pool, &w), ZK_OK, "%s: zk_agg_srs_verify accepts", what);
    is_str(w, NULL, "%s: where is NULL on success", what);
}

static void test_dev(void)
{
    const size_t ns[] = { 2, 8, 64 };
    for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
        zk_agg_srs *s = NULL;
        char what[32];
        snprintf(what, sizeof what, "dev n_max=%zu", ns[k]);
        int rc = zk_agg_srs_dev(&s, ns[k], k == 0 ? NULL : g_pool);
        if (!is_int(rc, ZK_OK, "%s: zk_agg_srs_dev", what) || !s)
            bail_out("dev");
        is_int((long long)s->n_max, (long long)ns[k], "%s: n_max", what);
        check_relations(s, what);
        zk_agg_srs_free(s);
    }
    zk_agg_srs *s = (zk_agg_srs *)1;
    const size_t bad[] = { 0, 1, 3, 6, ZK_AGG_SRS_MAX_N * 2 };
    int all = 1;
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        all &= zk_agg_srs_dev(&s, bad[k], NULL) == ZK_EINVAL && s == NULL;
        s = (zk_agg_srs *)1;
    }
    ok(all, "dev: n_max 0, 1, 3, 6, 2^21 refused (ZK_EINVAL, *out = NULL)");
    is_int(zk_agg_srs_dev(NULL, 8, NULL), ZK_EINVAL, "dev: NULL out");
    zk_agg_srs_free(NULL);
    ok(1, "zk_agg_srs_free(NULL)");
}

/* ------------------------------------------------------------ srs.bin */

static void test_roundtrip(void)
{
    const size_t ns[] = { 2, 8, 64 };
    for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
        zk_agg_srs *s, *r = NULL, *r2 = NULL, *r3 = NULL;
        const char *w = "x";
        if (zk_agg_srs_dev(&s, ns[k], g_pool) != ZK_OK)
            bail_out("dev");
        const char *p = tpath("srs.bin"), *p2 = tpath("srs2.bin");
        is_int(zk_agg_srs_write(p, s), ZK_OK, "n_max=%zu: write", ns[k]);
        buf_t img = load(p);
        is_int((long long)img.n,
               (long long)(12 + 5 * 12 + 196 + 2 * 2 * ns[k] * 64 + 2 * ns[k] * 128),
               "n_max=%zu: file size", ns[k]);
        int rc = zk_agg_srs_read(&r, p, g_pool, &w);
        ok(rc == ZK_OK && w == NULL && r && srs_eq(s, r),
           "n_max=%zu: read (pool) equals the SRS point by point (rc %d, %s)", ns[k], rc,
           w ? w : "-");
        rc = zk_agg_srs_read(&r2, p, NULL, &w);
        ok(rc == ZK_OK && r2 && srs_eq(s, r2), "n_max=%zu: read (no pool) equal", ns[k]);
        rc = zk_agg_srs_read_mem(&r3, img.b, img.n, g_pool, &w);
        ok(rc == ZK_OK && r3 && srs_eq(s, r3), "n_max=%zu: read_mem equal", ns[k]);
        is_int(zk_agg_srs_write(p2, r), ZK_OK, "n_max=%zu: write what was read", ns[k]);
        ok(files_equal(p, p2), "n_max=%zu: the second file is byte-identical", ns[k]);
        if (k == 1) {
            /* the writer's atomicity: a failed write leaves path as it was */
            is_int(zk_agg_srs_write(tpath("nodir/srs.bin"), s), ZK_EIO,
                   "write into a missing directory: ZK_EIO");
            zk_agg_srs bad = *s;
            bad.n_max = 6;
            is_int(zk_agg_srs_write(p2, &bad), ZK_EINVAL, "write with n_max 6: ZK_EINVAL");
            bad = *s;
            bad.h_b = NULL;
            is_int(zk_agg_srs_write(p2, &bad), ZK_EINVAL, "write with a NULL array");
            ok(files_equal(p, p2), "the refused writes left the old file");
        }
        bfree(&img);
        zk_agg_srs_free(s);
        zk_agg_srs_free(r);
        zk_agg_srs_free(r2);
        zk_agg_srs_free(r3);
        dir_clear();
    }
}

/* Read img through a file and expect code rc and where w. */
static void expect_bad(const buf_t *img, int want, const char *want_where, const char *what)
{
    const char *p = tpath("bad.bin");
    put_file(p, img->b, img->n);
    zk_agg_srs *s = (zk_agg_srs *)1;
    const char *w = NULL;
    int rc = zk_agg_srs_read(&s, p, g_pool, &w);
    ok(rc == want && s == NULL && w && strcmp(w, want_where) == 0,
       "srs.bin %s: %s at '%s' (got %d %s at '%s')", what, zk_strerror(want), want_where, rc,
       zk_strerror(rc), w ? w : "NULL");
    if (s != (zk_agg_srs *)1)
        zk_agg_srs_free(s);
}

static void test_malformed(void)
{
    const size_t n = 8;
    zk_agg_srs *s;
    if (zk_agg_srs_dev(&s, n, g_pool) != ZK_OK)
        bail_out("dev");
    const char *p = tpath("srs.bin");
    if (zk_agg_srs_write(p, s) != ZK_OK)
        bail_out("write");
    buf_t good = load(p);
    buf_t b;
    zk_g1 g1;
    zk_g2 g2;
    zk_fp one;
    zk_fp_one(&one);

    /* the container */
    b = copy(&good);
    b.n--;
    expect_bad(&b, ZK_EENCODING, "container", "truncated by one byte");
    b.n = good.n / 2;
    expect_bad(&b, ZK_EENCODING, "container", "truncated to half");
    b.n = 10;
    expect_bad(&b, ZK_EENCODING, "container", "truncated to 10 bytes");
    bfree(&b);
    b = copy(&good);
    bput32(&b, 0);
    expect_bad(&b, ZK_EENCODING, "container", "with trailing bytes");
    bfree(&b);
    b = copy(&good);
    memcpy(b.b, "ptau", 4);
    expect_bad(&b, ZK_EFORMAT, "container", "with magic ptau");
    b.b[0] = 'z';
    b.b[4] = 2;
    expect_bad(&b, ZK_EFORMAT, "container", "version 2");
    bfree(&b);

    /* the header */
    const size_t h = sec_off(&good, 1);
    const uint32_t bad_n[] = { 6, 0, 1, 3, 1u << 21, 0xffffffffu };
    for (size_t k = 0; k < sizeof bad_n / sizeof *bad_n; k++) {
        b = copy(&good);
        for (int i = 0; i < 4; i++)
            b.b[h + (size_t)i] = (uint8_t)(bad_n[k] >> (8 * i));
        char what[48];
        snprintf(what, sizeof what, "n_max = %u", bad_n[k]);
        expect_bad(&b, ZK_EENCODING, "section 1 (header)", what);
        bfree(&b);
    }
    b = copy(&good);
    b.b[h] = 16; /* a power of two, not the sections' */
    expect_bad(&b, ZK_EENCODING, "section 2 (g_a)", "n_max = 16 with sections for 8");
    b.b[h] = 4;
    expect_bad(&b, ZK_EENCODING, "section 2 (g_a)", "n_max = 4 with sections for 8");
    bfree(&b);
    {
        uint8_t hdr[200];
        memcpy(hdr, good.b + h, 196);
        memset(hdr + 196, 0, 4);
        b = rebuild(&good, "zsrs", 1, hdr, 200, 0, 0);
        expect_bad(&b, ZK_EENCODING, "section 1 (header)", "header of 200 bytes");
        bfree(&b);
        b = rebuild(&good, "zsrs", 1, hdr, 195, 0, 0);
        expect_bad(&b, ZK_EENCODING, "section 1 (header)", "header of 195 bytes");
        bfree(&b);
    }
    b = copy(&good);
    zk_g1_to_iden3(b.b + h + 4, &s->g_a[1]);
    expect_bad(&b, ZK_EVERIFY, "section 1 (header): g", "g = a g");
    bfree(&b);
    b = copy(&good);
    zk_g2_generator(&g2);
    zk_fp_add(&g2.y.c0, &g2.y.c0, &one);
    zk_g2_to_iden3(b.b + h + 4 + 64, &g2);
    expect_bad(&b, ZK_ENOTONCURVE, "section 1 (header): h", "h off the curve");
    bfree(&b);

    /* sections missing or twice */
    static const char *const names[] = { "", "section 1 (header)", "section 2 (g_a)",
                                         "section 3 (g_b)", "section 4 (h_a)",
                                         "section 5 (h_b)" };
    for (uint32_t k = 1; k <= 5; k++) {
        char what[48];
        b = rebuild(&good, "zsrs", k, NULL, 0, 1, 0);
        snprintf(what, sizeof what, "without section %u", k);
        expect_bad(&b, ZK_EFORMAT, names[k], what);
        bfree(&b);
        b = rebuild(&good, "zsrs", k, NULL, 0, 0, 1);
        snprintf(what, sizeof what, "with section %u twice", k);
        expect_bad(&b, ZK_EFORMAT, names[k], what);
        bfree(&b);
    }
    b = rebuild(&good, "zsrs", 4, good.b + sec_off(&good, 4), 7 * 128, 0, 0);
    expect_bad(&b, ZK_EENCODING, "section 4 (h_a)", "section 4 one point short");
    bfree(&b);

    /* malformed points */
    b = copy(&good);
    g1 = s->g_a[5];
    zk_fp_add(&g1.y, &g1.y, &one);
    zk_g1_to_iden3(g1_at(&b, 2, 5), &g1);
    expect_bad(&b, ZK_ENOTONCURVE, "section 2 (g_a), point 5", "g_a[5] off the curve");
    bfree(&b);
    b = copy(&good);
    memset(g1_at(&b, 3, 2), 0xff, 32);
    expect_bad(&b, ZK_ERANGE, "section 3 (g_b), point 2", "g_b[2].x >= p");
    bfree(&b);
    b = copy(&good);
    q_le(g1_at(&b, 3, 15) + 32);
    expect_bad(&b, ZK_ERANGE, "section 3 (g_b), point 15", "g_b[15].y = p");
    bfree(&b);
    b = copy(&good);
    g1 = s->g_b[9];
    zk_fp_add(&g1.x, &g1.x, &one);
    zk_g1_to_iden3(g1_at(&b, 3, 9), &g1);
    zk_g1_to_iden3(g1_at(&b, 3, 12), &g1);
    expect_bad(&b, ZK_ENOTONCURVE, "section 3 (g_b), point 9",
               "g_b[9] and g_b[12] off the curve (the first reported)");
    bfree(&b);
    b = copy(&good);
    g2 = s->h_a[0];
    zk_fp_add(&g2.x.c1, &g2.x.c1, &one);
    zk_g2_to_iden3(g2_at(&b, 4, 0), &g2);
    expect_bad(&b, ZK_ENOTONCURVE, "section 4 (h_a), point 0", "h_a[0] off the curve");
    bfree(&b);
    b = copy(&good);
    zk_g2_twist_point_from_seed(&g2, 12345);
    zk_g2_to_iden3(g2_at(&b, 5, 3), &g2);
    expect_bad(&b, ZK_ENOTINGROUP, "section 5 (h_b), point 3", "h_b[3] outside G2");
    bfree(&b);
    b = copy(&good);
    memset(g2_at(&b, 4, 7) + 32, 0xff, 32);
    expect_bad(&b, ZK_ERANGE, "section 4 (h_a), point 7", "h_a[7].x.c1 >= p");
    bfree(&b);
    b = copy(&good);
    zk_g2_to_iden3(g2_at(&b, 5, 3), &g2);
    zk_g1 g1b = s->g_a[5];
    zk_fp_add(&g1b.y, &g1b.y, &one);
    zk_g1_to_iden3(g1_at(&b, 2, 13), &g1b);
    expect_bad(&b, ZK_ENOTONCURVE, "section 2 (g_a), point 13",
               "g_a[13] off the curve and h_b[3] outside G2 (section order)");
    bfree(&b);

    /* well-formed points, wrong structure */
    struct { uint32_t sec; size_t i, j; const char *where; } sw[] = {
        { 2, 3, 4, "section 2 (g_a)" },  { 2, 1, 2, "section 2 (g_a)" },
        { 3, 14, 15, "section 3 (g_b)" }, { 3, 7, 8, "section 3 (g_b)" },
        { 4, 2, 3, "section 4 (h_a)" },  { 5, 5, 6, "section 5 (h_b)" },
        { 5, 6, 7, "section 5 (h_b)" },
    };
    for (size_t k = 0; k < sizeof sw / sizeof *sw; k++) {
        char what[64];
        b = copy(&good);
        if (sw[k].sec <= 3)
            swap_bytes(g1_at(&b, sw[k].sec, sw[k].i), g1_at(&b, sw[k].sec, sw[k].j), 64);
        else
            swap_bytes(g2_at(&b, sw[k].sec, sw[k].i), g2_at(&b, sw[k].sec, sw[k].j), 128);
        snprintf(what, sizeof what, "section %u: powers %zu and %zu swapped", sw[k].sec,
                 sw[k].i, sw[k].j);
        expect_bad(&b, ZK_EVERIFY, sw[k].where, what);
        bfree(&b);
    }
    b = copy(&good);
    memcpy(g1_at(&b, 2, 7), g1_at(&b, 3, 7), 64);
    expect_bad(&b, ZK_EVERIFY, "section 2 (g_a)", "g_a[7] = b^7 g");
    bfree(&b);
    b = copy(&good);
    memcpy(g2_at(&b, 5, 7), g2_at(&b, 4, 7), 128);
    expect_bad(&b, ZK_EVERIFY, "section 5 (h_b)", "h_b[7] = a^7 h");
    bfree(&b);
    b = copy(&good);
    zk_g1_to_iden3(g1_at(&b, 3, 0), &s->g_a[1]);
    expect_bad(&b, ZK_EVERIFY, "section 3 (g_b), point 0", "g_b[0] != g");
    bfree(&b);
    b = copy(&good);
    zk_g2_to_iden3(g2_at(&b, 4, 0), &s->h_a[1]);
    expect_bad(&b, ZK_EVERIFY, "section 4 (h_a), point 0", "h_a[0] != h");
    bfree(&b);
    b = copy(&good);
    memcpy(g1_at(&b, 3, 0), g1_at(&b, 2, 0), 2 * n * 64);
    memcpy(g2_at(&b, 5, 0), g2_at(&b, 4, 0), n * 128);
    expect_bad(&b, ZK_EVERIFY, "sections 2 and 3: g_a[1] = g_b[1] (a = b)", "a = b");
    bfree(&b);
    b = copy(&good);
    for (size_t i = 1; i < 2 * n; i++)
        memcpy(g1_at(&b, 2, i), g1_at(&b, 2, 0), 64);
    for (size_t i = 1; i < n; i++)
        memcpy(g2_at(&b, 4, i), g2_at(&b, 4, 0), 128);
    expect_bad(&b, ZK_EVERIFY, "section 2 (g_a), point 1", "a = 1");
    bfree(&b);
    b = copy(&good);
    for (size_t i = 1; i < 2 * n; i++)
        memset(g1_at(&b, 3, i), 0, 64);
    for (size_t i = 1; i < n; i++)
        memset(g2_at(&b, 5, i), 0, 128);
    expect_bad(&b, ZK_EVERIFY, "section 3 (g_b), point 1", "b = 0");
    bfree(&b);

    /* the memory reader reports the same; bad arguments */
    b = copy(&good);
    swap_bytes(g2_at(&b, 4, 2), g2_at(&b, 4, 3), 128);
    zk_agg_srs *r = (zk_agg_srs *)1;
    const char *w = NULL;
    int rc = zk_agg_srs_read_mem(&r, b.b, b.n, NULL, &w);
    ok(rc == ZK_EVERIFY && r == NULL && w && strcmp(w, "section 4 (h_a)") == 0,
       "read_mem, no pool: swapped h_a powers refused at section 4");
    bfree(&b);
    rc = zk_agg_srs_read(&r, tpath("missing.bin"), NULL, &w);
    ok(rc == ZK_EIO && r == NULL && w && strcmp(w, "container") == 0,
       "a missing file: ZK_EIO at 'container'");
    is_int(zk_agg_srs_read(NULL, p, NULL, NULL), ZK_EINVAL, "read: NULL out");
    is_int(zk_agg_srs_read(&r, NULL, NULL, NULL), ZK_EINVAL, "read: NULL path");
    is_int(zk_agg_srs_read_mem(&r, NULL, 5, NULL, NULL), ZK_EINVAL, "read_mem: NULL data");
    is_int(zk_agg_srs_verify(NULL, NULL, NULL), ZK_EINVAL, "verify: NULL");

    /* the public verify on a tampered in-memory SRS */
    zk_g1 saved = s->g_b[3];
    s->g_b[3] = s->g_a[3];
    w = NULL;
    rc = zk_agg_srs_verify(s, g_pool, &w);
    ok(rc == ZK_EVERIFY && w && strcmp(w, "section 3 (g_b)") == 0,
       "verify: g_b[3] = a^3 g refused at section 3");
    s->g_b[3] = saved;
    is_int(zk_agg_srs_verify(s, NULL, NULL), ZK_OK, "verify: restored, no pool: accepted");

    bfree(&good);
    zk_agg_srs_free(s);
    dir_clear();
}

/* ------------------------------------------------------------ ptau */

/* A contribution record of section 7 with fixed bytes from seed, and
 * plen bytes of parameters (a name). */
static void put_record(buf_t *s, uint8_t seed, uint32_t plen)
{
    uint8_t rec[1500];
    for (size_t i = 0; i < sizeof rec; i++)
        rec[i] = (uint8_t)(seed * 31u + i * 7u);
    bput(s, rec, sizeof rec);
    bput32(s, plen);
    if (plen >= 2) {
        uint8_t p[64] = { 1, (uint8_t)(plen - 2) };
        for (uint32_t i = 2; i < plen && i < sizeof p; i++)
            p[i] = 'a';
        bput(s, p, plen);
    }
}

/* A copy of the ptau at src at dst with section 7 holding the records of
 * seeds[0..n) (plen parameter bytes each). */
static void ptau_with_records(const char *dst, const char *src, const uint8_t *seeds,
                              uint32_t n, uint32_t plen)
{
    buf_t img = load(src), sec = { 0 };
    bput32(&sec, n);
    for (uint32_t i = 0; i < n; i++)
        put_record(&sec, seeds[i], plen);
    buf_t out = rebuild(&img, "ptau", 7, sec.b, sec.n, 0, 0);
    put_file(dst, out.b, out.n);
    bfree(&img);
    bfree(&sec);
    bfree(&out);
}

static void expect_ptau(const char *a, const char *b, size_t n, int want, const char *want_why,
                        const char *what)
{
    zk_agg_srs *s = (zk_agg_srs *)1;
    const char *why = NULL;
    int rc = zk_agg_srs_from_ptau_files(&s, a, b, n, g_pool, &why);
    ok(rc == want && (want == ZK_OK ? s != NULL : s == NULL) &&
           (want_why == NULL ? rc != ZK_OK || why == NULL
                             : why != NULL && strstr(why, want_why) != NULL),
       "from ptau %s: %s (got %d %s, why '%s')", what, zk_strerror(want), rc, zk_strerror(rc),
       why ? why : "NULL");
    if (rc == ZK_OK && s) {
        const char *w = NULL;
        ok(zk_agg_srs_verify(s, NULL, &w) == ZK_OK, "from ptau %s: the SRS verifies", what);
    }
    if (s != (zk_agg_srs *)1)
        zk_agg_srs_free(s);
}

static void test_ptau(void)
{
    const size_t n = 8; /* needs power 4 */
    /* own copies: tpath's buffers are reused after 8 calls */
    char pa[4352], pb[4352], ps[4352];
    snprintf(pa, sizeof pa, "%s", tpath("a.ptau"));
    snprintf(pb, sizeof pb, "%s", tpath("b.ptau"));
    snprintf(ps, sizeof ps, "%s", tpath("small.ptau"));
    if (zk_ptau_dev_write(pa, 4, g_pool) != ZK_OK || zk_ptau_dev_write(pb, 4, g_pool) != ZK_OK ||
        zk_ptau_dev_write(ps, 3, g_pool) != ZK_OK)
        bail_out("dev ptau");

    zk_agg_srs *s = NULL;
    const char *why = "x";
    int rc = zk_agg_srs_from_ptau_files(&s, pa, pb, n, g_pool, &why);
    ok(rc == ZK_OK && s && why == NULL, "from two dev ptau files (power 4), n_max 8 (rc %d %s)",
       rc, why ? why : "-");
    if (!s)
        bail_out("from ptau");
    zk_ptau *ta, *tb;
    if (zk_ptau_open(&ta, pa, NULL) != ZK_OK || zk_ptau_open(&tb, pb, NULL) != ZK_OK)
        bail_out("ptau open");
    {
        zk_g1 *g1 = malloc(2 * n * sizeof *g1);
        zk_g2 *g2 = malloc(n * sizeof *g2);
        if (!g1 || !g2)
            bail_out("oom");
        int same = zk_ptau_g1_range(g1, ta, 2, 0, 2 * n, NULL, NULL) == ZK_OK &&
                   g1_all_eq(g1, s->g_a, 2 * n) &&
                   zk_ptau_g2_range(g2, ta, 3, 0, n, NULL, NULL) == ZK_OK &&
                   g2_all_eq(g2, s->h_a, n);
        ok(same, "g_a, h_a are ptau A's first 2n tauG1 and n tauG2 points");
        same = zk_ptau_g1_range(g1, tb, 2, 0, 2 * n, NULL, NULL) == ZK_OK &&
               g1_all_eq(g1, s->g_b, 2 * n) &&
               zk_ptau_g2_range(g2, tb, 3, 0, n, NULL, NULL) == ZK_OK &&
               g2_all_eq(g2, s->h_b, n);
        ok(same, "g_b, h_b are ptau B's");
        free(g1);
        free(g2);
    }
    check_relations(s, "ptau SRS");
    {
        zk_agg_srs *s2 = NULL;
        rc = zk_agg_srs_from_ptau(&s2, ta, tb, n, NULL, &why);
        ok(rc == ZK_OK && s2 && srs_eq(s, s2), "zk_agg_srs_from_ptau (handles, no pool): same SRS");
        zk_agg_srs_free(s2);
        s2 = (zk_agg_srs *)1;
        rc = zk_agg_srs_from_ptau(&s2, ta, ta, n, NULL, &why);
        ok(rc == ZK_EVERIFY && s2 == NULL && why && strstr(why, "same tau"),
           "zk_agg_srs_from_ptau: one handle twice refused");
        s2 = NULL;
        rc = zk_agg_srs_from_ptau(&s2, ta, tb, 2, NULL, &why);
        ok(rc == ZK_OK && s2 && s2->n_max == 2 && g1_all_eq(s2->g_a, s->g_a, 4) &&
               g2_all_eq(s2->h_b, s->h_b, 2),
           "n_max 2 from the same files: a prefix of the n_max 8 SRS");
        zk_agg_srs_free(s2);
        is_int(zk_agg_srs_from_ptau(&s2, ta, tb, 6, NULL, NULL), ZK_EINVAL, "n_max 6: ZK_EINVAL");
        is_int(zk_agg_srs_from_ptau(&s2, NULL, tb, 8, NULL, NULL), ZK_EINVAL, "NULL ptau");
    }
    zk_ptau_free(ta);
    zk_ptau_free(tb);
    /* its file and vk round trip */
    {
        const char *p = tpath("srs.bin");
        zk_agg_srs *r = NULL;
        ok(zk_agg_srs_write(p, s) == ZK_OK && zk_agg_srs_read(&r, p, g_pool, NULL) == ZK_OK &&
               srs_eq(s, r),
           "the ptau SRS: write / read round trip");
        zk_agg_srs_free(r);
    }
    zk_agg_srs_free(s);

    expect_ptau(pa, pa, n, ZK_EVERIFY, "same tau", "the same file twice");
    {
        buf_t img = load(pa);
        const char *pc = tpath("a_copy.ptau");
        put_file(pc, img.b, img.n);
        expect_ptau(pa, pc, n, ZK_EVERIFY, "same tau", "a file and its copy");
        bfree(&img);
    }
    expect_ptau(pa, ps, n, ZK_EVERIFY, "ptau B: power 3 is too small for n_max = 8",
                "B of power 3 for n_max 8");
    expect_ptau(ps, pb, n, ZK_EVERIFY, "ptau A: power 3 is too small", "A of power 3");
    expect_ptau(pa, pb, 16, ZK_EVERIFY, "ptau A: power 4 is too small for n_max = 16",
                "power 4 for n_max 16");
    expect_ptau(pa, ps, 4, ZK_OK, NULL, "A of power 4, B of power 3, n_max 4");
    expect_ptau(pa, tpath("none.ptau"), n, ZK_EIO, "ptau B", "a missing file");

    /* tampered points in a ptau */
    {
        buf_t img = load(pb);
        buf_t t = copy(&img);
        const char *pt = tpath("t.ptau");
        memcpy(g1_at(&t, 2, 0), g1_at(&t, 2, 1), 64);
        put_file(pt, t.b, t.n);
        expect_ptau(pa, pt, n, ZK_EVERIFY, "ptau B: tauG1[0] is not the G1 generator",
                    "B with tauG1[0] = tau g");
        bfree(&t);
        t = copy(&img);
        memcpy(g2_at(&t, 3, 0), g2_at(&t, 3, 1), 128);
        put_file(pt, t.b, t.n);
        expect_ptau(pt, pa, n, ZK_EVERIFY, "ptau A: tauG2[0] is not the G2 generator",
                    "A with tauG2[0] = tau h");
        bfree(&t);
        t = copy(&img);
        swap_bytes(g1_at(&t, 2, 9), g1_at(&t, 2, 10), 64);
        put_file(pt, t.b, t.n);
        expect_ptau(pa, pt, n, ZK_EVERIFY, "ptau B: section 2 (tauG1) is not the powers",
                    "B with tauG1 9 and 10 swapped");
        expect_ptau(pa, pt, 4, ZK_OK, NULL, "the same with n_max 4 (the swap is past 2n)");
        bfree(&t);
        t = copy(&img);
        swap_bytes(g2_at(&t, 3, 4), g2_at(&t, 3, 5), 128);
        put_file(pt, t.b, t.n);
        expect_ptau(pt, pa, n, ZK_EVERIFY, "ptau A: section 3 (tauG2) is not the powers",
                    "A with tauG2 4 and 5 swapped");
        bfree(&t);
        t = copy(&img);
        zk_g2 q;
        zk_g2_twist_point_from_seed(&q, 99);
        zk_g2_to_iden3(g2_at(&t, 3, 6), &q);
        put_file(pt, t.b, t.n);
        expect_ptau(pa, pt, n, ZK_ENOTINGROUP, "ptau B: section 3 (tauG2), point 6",
                    "B with tauG2[6] outside G2");
        bfree(&t);
        bfree(&img);
    }

    /* contribution chains */
    {
        char ca[4352], cb[4352], cc[4352];
        snprintf(ca, sizeof ca, "%s", tpath("ca.ptau"));
        snprintf(cb, sizeof cb, "%s", tpath("cb.ptau"));
        snprintf(cc, sizeof cc, "%s", tpath("cc.ptau"));
        const uint8_t chain[] = { 1, 2, 3 }, other[] = { 7, 8 };
        ptau_with_records(ca, pa, chain, 2, 0);     /* A: contributions 1, 2 */
        ptau_with_records(cb, pb, chain, 3, 0);     /* B: 1, 2, 3 (one chain) */
        ptau_with_records(cc, pb, other, 2, 6);     /* C: 7, 8 (named) */
        expect_ptau(ca, cb, n, ZK_EVERIFY, "share a contribution (1 of A, 1 of B)",
                    "A and B sharing their first contributions");
        ptau_with_records(cb, pb, chain + 1, 2, 0); /* B: 2, 3 */
        expect_ptau(ca, cb, n, ZK_EVERIFY, "share a contribution (2 of A, 1 of B)",
                    "B sharing A's second contribution");
        expect_ptau(ca, cc, n, ZK_OK, NULL, "distinct contribution chains");
        expect_ptau(cc, ca, n, ZK_OK, NULL, "distinct chains, other order");
        expect_ptau(ca, pb, n, ZK_OK, NULL, "A with contributions, B a dev file (none)");
        expect_ptau(pa, pb, n, ZK_OK, NULL, "two dev files without contributions");
        /* malformed section 7 */
        buf_t img = load(pa), sec = { 0 };
        bput32(&sec, 2);
        put_record(&sec, 1, 0);
        buf_t out = rebuild(&img, "ptau", 7, sec.b, sec.n, 0, 0);
        put_file(cc, out.b, out.n);
        bfree(&out);
        expect_ptau(pa, cc, n, ZK_EENCODING, "ptau B: section 7 (contributions)",
                    "B with 2 contributions announced, 1 present");
        bfree(&sec);
        bput32(&sec, 1);
        put_record(&sec, 1, 40);
        sec.n -= 3;
        out = rebuild(&img, "ptau", 7, sec.b, sec.n, 0, 0);
        put_file(cc, out.b, out.n);
        bfree(&out);
        expect_ptau(cc, pb, n, ZK_EENCODING, "ptau A: section 7 (contributions)",
                    "A with parameters running past section 7");
        bfree(&sec);
        bput32(&sec, 0);
        bput32(&sec, 0);
        out = rebuild(&img, "ptau", 7, sec.b, sec.n, 0, 0);
        put_file(cc, out.b, out.n);
        bfree(&out);
        expect_ptau(cc, pb, n, ZK_EENCODING, "ptau A: section 7", "A with bytes after 0 records");
        bfree(&sec);
        out = rebuild(&img, "ptau", 7, NULL, 0, 1, 0);
        put_file(cc, out.b, out.n);
        bfree(&out);
        expect_ptau(cc, pb, n, ZK_OK, NULL, "A without section 7 (nothing to compare)");
        bfree(&img);
    }
    dir_clear();
}

/* ------------------------------------------------------------ vk */

static void expect_vk_bad(json_t *j, int want, const char *want_where, const char *what)
{
    zk_agg_vk vk;
    memset(&vk, 0x5a, sizeof vk);
    const char *w = NULL;
    int rc = zk_agg_vk_decode(&vk, j, &w);
    unsigned char first = ((unsigned char *)&vk)[0];
    ok(rc == want && w && strcmp(w, want_where) == 0 && first == 0x5a,
       "vk %s: %s at '%s' (got %d %s at '%s'), out untouched", what, zk_strerror(want),
       want_where, rc, zk_strerror(rc), w ? w : "NULL");
    json_decref(j);
}

/* A copy of the encoding of vk with key set to v (stolen) or removed
 * (v NULL). */
static json_t *vk_with(const zk_agg_vk *vk, const char *key, json_t *v)
{
    json_t *j = zk_agg_vk_encode(vk);
    if (!j)
        bail_out("encode");
    if (v)
        json_object_set_new(j, key, v);
    else
        json_object_del(j, key);
    return j;
}

static json_t *g1_json_t(const zk_g1 *p)
{
    zk_agg_vk t;
    memset(&t, 0, sizeof t);
    t.n_max = 2;
    t.g_a = *p;
    json_t *j = zk_agg_vk_encode(&t);
    json_t *r = json_deep_copy(json_object_get(j, "g_a"));
    json_decref(j);
    return r;
}

static json_t *g2_json_t(const zk_g2 *p)
{
    zk_agg_vk t;
    memset(&t, 0, sizeof t);
    t.n_max = 2;
    t.h_a = *p;
    json_t *j = zk_agg_vk_encode(&t);
    json_t *r = json_deep_copy(json_object_get(j, "h_a"));
    json_decref(j);
    return r;
}

static void test_vk(void)
{
    zk_agg_srs *s;
    if (zk_agg_srs_dev(&s, 16, g_pool) != ZK_OK)
        bail_out("dev");
    zk_agg_vk vk, back;
    zk_agg_srs_vk(&vk, s);
    ok(vk.n_max == 16 && zk_g1_eq(&vk.g, &s->g) && zk_g2_eq(&vk.h, &s->h) &&
           zk_g1_eq(&vk.g_a, &s->g_a[1]) && zk_g1_eq(&vk.g_b, &s->g_b[1]) &&
           zk_g2_eq(&vk.h_a, &s->h_a[1]) && zk_g2_eq(&vk.h_b, &s->h_b[1]),
       "zk_agg_srs_vk: n_max, g, h and the first powers");

    json_t *j = zk_agg_vk_encode(&vk);
    char *txt = json_dumps(j, JSON_COMPACT);
    static const char prefix[] = "{\"protocol\":\"snarkpack\",\"curve\":\"bn128\",\"n_max\":16,"
                                 "\"g\":[\"1\",\"2\",\"1\"],\"h\":[[\"";
    ok(txt && strncmp(txt, prefix, sizeof prefix - 1) == 0,
       "encode: keys in order, n_max a number, g = [\"1\", \"2\", \"1\"] (%.90s)", txt ? txt : "NULL");
    json_error_t err;
    json_t *j2 = txt ? json_loads(txt, 0, &err) : NULL;
    const char *w = "x";
    int rc = zk_agg_vk_decode(&back, j2, &w);
    ok(rc == ZK_OK && w == NULL && back.n_max == vk.n_max && zk_g1_eq(&back.g, &vk.g) &&
           zk_g2_eq(&back.h, &vk.h) && zk_g1_eq(&back.g_a, &vk.g_a) &&
           zk_g1_eq(&back.g_b, &vk.g_b) && zk_g2_eq(&back.h_a, &vk.h_a) &&
           zk_g2_eq(&back.h_b, &vk.h_b),
       "vk JSON text round trip (rc %d)", rc);
    free(txt);
    json_decref(j2);
    json_decref(j);
    {
        json_t *k = zk_agg_vk_encode(&vk);
        json_object_set_new(k, "curve", json_string("bn254"));
        json_object_set_new(k, "comment", json_string("ignored"));
        ok(zk_agg_vk_decode(&back, k, NULL) == ZK_OK, "curve bn254 and an unknown key accepted");
        json_decref(k);
    }

    zk_g1 g1;
    zk_g2 g2;
    zk_fp one;
    zk_fp_one(&one);
    expect_vk_bad(vk_with(&vk, "g", g1_json_t(&vk.g_a)), ZK_EVERIFY, "g", "g = a g");
    expect_vk_bad(vk_with(&vk, "h", g2_json_t(&vk.h_b)), ZK_EVERIFY, "h", "h = b h");
    zk_g1j t;
    zk_g1j_from_affine(&t, &vk.g_a);
    zk_g1j_add_affine(&t, &t, &vk.g);
    zk_g1_from_jacobian(&g1, &t);
    expect_vk_bad(vk_with(&vk, "g_a", g1_json_t(&g1)), ZK_EVERIFY, "pairing check",
                  "g_a = (a + 1) g, not matching h_a");
    expect_vk_bad(vk_with(&vk, "h_b", g2_json_t(&vk.h_a)), ZK_EVERIFY, "pairing check",
                  "h_b = a h, not matching g_b");
    {
        json_t *k = vk_with(&vk, "g_a", g1_json_t(&vk.g_b));
        json_object_set_new(k, "g_b", g1_json_t(&vk.g_a));
        expect_vk_bad(k, ZK_EVERIFY, "pairing check", "g_a and g_b exchanged");
    }
    expect_vk_bad(vk_with(&vk, "g_b", g1_json_t(&vk.g_a)), ZK_EVERIFY, "g_b", "g_b = g_a");
    expect_vk_bad(vk_with(&vk, "g_a", g1_json_t(&vk.g)), ZK_EVERIFY, "g_a", "g_a = g (a = 1)");
    zk_g1_set_inf(&g1);
    expect_vk_bad(vk_with(&vk, "g_b", g1_json_t(&g1)), ZK_EVERIFY, "g_b", "g_b infinity");
    g1 = vk.g_a;
    zk_fp_add(&g1.y, &g1.y, &one);
    expect_vk_bad(vk_with(&vk, "g_a", g1_json_t(&g1)), ZK_ENOTONCURVE, "g_a", "g_a off curve");
    zk_g2_twist_point_from_seed(&g2, 5);
    expect_vk_bad(vk_with(&vk, "h_a", g2_json_t(&g2)), ZK_ENOTINGROUP, "h_a",
                  "h_a outside G2");
    expect_vk_bad(vk_with(&vk, "h_b", json_string("1")), ZK_EENCODING, "h_b", "h_b a string");
    expect_vk_bad(vk_with(&vk, "h_b", NULL), ZK_EENCODING, "h_b", "h_b missing");
    expect_vk_bad(vk_with(&vk, "g", json_pack("[sss]", "1", "2", "2")), ZK_EENCODING, "g",
                  "g with z = 2");
    expect_vk_bad(vk_with(&vk, "n_max", json_integer(6)), ZK_EENCODING, "n_max", "n_max 6");
    expect_vk_bad(vk_with(&vk, "n_max", json_integer(1)), ZK_EENCODING, "n_max", "n_max 1");
    expect_vk_bad(vk_with(&vk, "n_max", json_integer(1 << 21)), ZK_EENCODING, "n_max",
                  "n_max 2^21");
    expect_vk_bad(vk_with(&vk, "n_max", json_integer(-8)), ZK_EENCODING, "n_max", "n_max -8");
    expect_vk_bad(vk_with(&vk, "n_max", json_string("16")), ZK_EENCODING, "n_max",
                  "n_max a string");
    expect_vk_bad(vk_with(&vk, "n_max", NULL), ZK_EENCODING, "n_max", "n_max missing");
    expect_vk_bad(vk_with(&vk, "protocol", json_string("groth16")), ZK_EFORMAT, "protocol",
                  "protocol groth16");
    expect_vk_bad(vk_with(&vk, "protocol", NULL), ZK_EENCODING, "protocol", "protocol missing");
    expect_vk_bad(vk_with(&vk, "curve", json_string("bls12381")), ZK_EFORMAT, "curve",
                  "curve bls12381");
    expect_vk_bad(json_array(), ZK_EENCODING, "(root)", "an array");
    j = json_object();
    is_int(zk_agg_vk_decode(NULL, j, NULL), ZK_EINVAL, "decode: NULL out");
    json_decref(j);
    is_int(zk_agg_vk_decode(&back, NULL, NULL), ZK_EINVAL, "decode: NULL json");
    ok(zk_agg_vk_encode(NULL) == NULL, "encode: NULL");
    zk_agg_srs_free(s);
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    testdir_make("zkpar-agg-srs");
    if (zk_pool_new(&g_pool, 2) != ZK_OK)
        bail_out("pool");

    test_dev();
    test_roundtrip();
    test_malformed();
    test_ptau();
    test_vk();

    zk_pool_free(g_pool);
    dir_clear();
    testdir_remove();
    return done_testing();
}
