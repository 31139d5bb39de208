/*
 * ptau.c -- .ptau reader and byte-identical writer (see ptau.h).
 *
 * Layout checked against snarkjs src/powersoftau_new.js (section sizes:
 * 2^(p+1) - 1 tauG1, 2^p tauG2, alphaTauG1, betaTauG1, one betaG2),
 * powersoftau_utils.js (writePTauHeader / readPTauHeader: n8, q, power,
 * ceremonyPower) and powersoftau_preparephase2.js (sections 12..15: the
 * Lagrange blocks of every power 0..p, section 12 one more).
 */
#include "io/ptau.h"

#include <stdlib.h>
#include <string.h>

#include "field/constants.h"
#include "io/binfile.h"

#define PTAU_N8 32u
#define PTAU_HEADER_SIZE (4u + PTAU_N8 + 4u + 4u)
#define G1_BYTES 64u
#define G2_BYTES 128u
#define N_SECTIONS 16u
/* Points decoded per pool task. */
#define RANGE_CHUNK 256u

/* How the bytes of a file opened by path are held. */

struct zk_ptau {
    zk_binfile *f;
    uint32_t power, ceremony_power;
    int prepared;
    const uint8_t *data[N_SECTIONS];
    uint64_t size[N_SECTIONS];   /* bytes */
    uint64_t points[N_SECTIONS]; /* 0 when absent / not a point section */
    zk_g1 alpha1, beta1;
    zk_g2 beta2;
};

/* 1 for a G1 section, 2 for G2, 0 for neither. */
static unsigned section_group(unsigned s)
{
    switch (s) {
    case 2: case 4: case 5: case 12: case 14: case 15: return 1;
    case 3: case 6: case 13: return 2;
    default: return 0;
    }
}

static const char *section_name(unsigned s)
{
    switch (s) {
    case 2: return "section 2 (tauG1)";
    case 3: return "section 3 (tauG2)";
    case 4: return "section 4 (alphaTauG1)";
    case 5: return "section 5 (betaTauG1)";
    case 6: return "section 6 (betaG2)";
    case 12: return "section 12 (tauG1, Lagrange basis)";
    case 13: return "section 13 (tauG2, Lagrange basis)";
    case 14: return "section 14 (alphaTauG1, Lagrange basis)";
    case 15: return "section 15 (betaTauG1, Lagrange basis)";
    default: return "section";
    }
}

/* The number of points section s must hold for power p (p <= 28). */
static uint64_t expected_points(unsigned s, uint32_t p)
{
    const uint64_t n = (uint64_t)1 << p;
    switch (s) {
    case 2: return 2 * n - 1;
    case 3: case 4: case 5: return n;
    case 6: return 1;
    case 12: return 4 * n - 1;
    case 13: case 14: case 15: return 2 * n - 1;
    default: return 0;
    }
}

static void set_where(const char **where, const char *w)
{
    if (where)
        *where = w;
}

static int decode(zk_ptau *t, const char **where)
{
    const uint8_t *h;
    uint64_t hsize;
    int rc;

    /* zk_binfile_open* accepted version 1 only */
    set_where(where, "header");
    if ((rc = zk_binfile_section(t->f, 1, &h, &hsize)) != ZK_OK)
        return rc;
    /* n8 and q first: a file for another curve is a format error even if
     * its header has another length. */
    if (hsize < 4)
        return ZK_EENCODING;
    if (zk_load_u32_le(h) != PTAU_N8)
        return ZK_EFORMAT;
    if (hsize != PTAU_HEADER_SIZE)
        return ZK_EENCODING;
    static const uint64_t q[4] = ZK_FP_MODULUS;
    for (unsigned i = 0; i < 4; i++)
        if (zk_load_u64_le(h + 4 + 8 * i) != q[i])
            return ZK_EFORMAT;
    t->power = zk_load_u32_le(h + 4 + PTAU_N8);
    t->ceremony_power = zk_load_u32_le(h + 8 + PTAU_N8);
    if (t->power > ZK_PTAU_MAX_POWER || t->ceremony_power < t->power ||
        t->ceremony_power > ZK_PTAU_MAX_POWER)
        return ZK_EENCODING;

    static const unsigned required[] = { 2, 3, 4, 5, 6 };
    static const unsigned lagrange[] = { 12, 13, 14, 15 };
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        unsigned s = required[i];
        set_where(where, section_name(s));
        if ((rc = zk_binfile_section(t->f, s, &t->data[s], &t->size[s])) != ZK_OK)
            return rc;
    }
    unsigned nlag = 0;
    for (size_t i = 0; i < sizeof lagrange / sizeof *lagrange; i++) {
        unsigned s = lagrange[i];
        set_where(where, section_name(s));
        /* absent (an unprepared file) is fine here; binfile reports a
         * duplicated section the same way, so two copies of one of them
         * count as absent and fail the all-or-none check below */
        if (zk_binfile_section(t->f, s, &t->data[s], &t->size[s]) == ZK_OK)
            nlag++;
    }
    if (nlag != 0 && nlag != 4) {
        set_where(where, "sections 12 to 15 (Lagrange bases)");
        return ZK_EFORMAT;
    }
    t->prepared = nlag == 4;

    for (unsigned s = 2; s < N_SECTIONS; s++) {
        unsigned g = section_group(s);
        if (g == 0 || (s >= 12 && !t->prepared))
            continue;
        uint64_t n = expected_points(s, t->power);
        if (t->size[s] != n * (g == 1 ? G1_BYTES : G2_BYTES)) {
            set_where(where, section_name(s));
            return ZK_EENCODING;
        }
        t->points[s] = n;
    }

    set_where(where, "alpha G1 (section 4, point 0)");
    if ((rc = zk_g1_from_iden3(&t->alpha1, t->data[4], G1_BYTES)) != ZK_OK)
        return rc;
    set_where(where, "beta G1 (section 5, point 0)");
    if ((rc = zk_g1_from_iden3(&t->beta1, t->data[5], G1_BYTES)) != ZK_OK)
        return rc;
    set_where(where, "beta G2 (section 6)");
    if ((rc = zk_g2_from_iden3(&t->beta2, t->data[6], G2_BYTES)) != ZK_OK)
        return rc;
    set_where(where, NULL);
    return ZK_OK;
}

/* Wrap the opened container f (taken over: closed on error) in a zk_ptau. */
static int open_common(zk_ptau **out, zk_binfile *f, const char **where)
{
    zk_ptau *t = calloc(1, sizeof *t);
    if (!t) {
        zk_binfile_close(f);
        return ZK_ENOMEM;
    }
    t->f = f;
    int rc = decode(t, where);
    if (rc != ZK_OK) {
        zk_ptau_free(t);
        return rc;
    }
    *out = t;
    return ZK_OK;
}

int zk_ptau_open(zk_ptau **out, const char *path, const char **where)
{
    set_where(where, NULL);
    if (out)
        *out = NULL;
    if (!out || !path)
        return ZK_EINVAL;
    zk_binfile *f;
    int rc = zk_binfile_open(&f, path, "ptau", ZK_PTAU_VERSION);
    if (rc != ZK_OK) {
        set_where(where, "container");
        return rc;
    }
    return open_common(out, f, where);
}

int zk_ptau_open_mem(zk_ptau **out, const uint8_t *data, size_t len,
                     const char **where)
{
    set_where(where, NULL);
    if (out)
        *out = NULL;
    if (!out || (!data && len > 0))
        return ZK_EINVAL;
    zk_binfile *f;
    int rc = zk_binfile_open_mem(&f, data, len, "ptau", ZK_PTAU_VERSION);
    if (rc != ZK_OK) {
        set_where(where, "container");
        return rc;
    }
    return open_common(out, f, where);
}

void zk_ptau_free(zk_ptau *p)
{
    if (!p)
        return;
    zk_binfile_close(p->f);
    free(p);
}

uint32_t zk_ptau_power(const zk_ptau *p) { return p->power; }
uint32_t zk_ptau_ceremony_power(const zk_ptau *p) { return p->ceremony_power; }
int zk_ptau_is_prepared(const zk_ptau *p) { return p->prepared; }
const zk_g1 *zk_ptau_alpha_g1(const zk_ptau *p) { return &p->alpha1; }
const zk_g1 *zk_ptau_beta_g1(const zk_ptau *p) { return &p->beta1; }
const zk_g2 *zk_ptau_beta_g2(const zk_ptau *p) { return &p->beta2; }

uint64_t zk_ptau_section_points(const zk_ptau *p, unsigned section)
{
    return section < N_SECTIONS ? p->points[section] : 0;
}

/* ------------------------------------------------------------ ranges */

typedef struct {
    const uint8_t *src; /* the first point of the range */
    void *out;
    size_t count;
    unsigned g;         /* 1 or 2 */
    size_t *bad;        /* per chunk: offset of the first bad point, or SIZE_MAX */
    int *err;           /* per chunk: its error */
} range_job;

static void range_task(void *arg, size_t c)
{
    range_job *j = arg;
    size_t lo = c * RANGE_CHUNK;
    size_t hi = lo + RANGE_CHUNK < j->count ? lo + RANGE_CHUNK : j->count;
    j->bad[c] = SIZE_MAX;
    j->err[c] = ZK_OK;
    for (size_t i = lo; i < hi; i++) {
        int rc;
        if (j->g == 1)
            rc = zk_g1_from_iden3((zk_g1 *)j->out + i, j->src + i * G1_BYTES, G1_BYTES);
        else
            rc = zk_g2_from_iden3((zk_g2 *)j->out + i, j->src + i * G2_BYTES, G2_BYTES);
        if (rc != ZK_OK) {
            j->bad[c] = i;
            j->err[c] = rc;
            return;
        }
    }
}

static int range(void *out, const zk_ptau *p, unsigned g, unsigned section,
                 uint64_t first, size_t count, zk_pool *pool, int64_t *bad)
{
    if (bad)
        *bad = -1;
    if (!p || (!out && count > 0) || section >= N_SECTIONS || section_group(section) != g)
        return ZK_EINVAL;
    if (section >= 12 && !p->prepared)
        return ZK_EFORMAT;
    uint64_t n = p->points[section];
    if (first > n || count > n - first)
        return ZK_EINVAL;
    if (count == 0)
        return ZK_OK;

    size_t nchunks = (count + RANGE_CHUNK - 1) / RANGE_CHUNK;
    size_t *badv = malloc(nchunks * sizeof *badv);
    int *errv = malloc(nchunks * sizeof *errv);
    if (!badv || !errv) {
        free(badv);
        free(errv);
        return ZK_ENOMEM;
    }
    range_job j = { p->data[section] + first * (g == 1 ? G1_BYTES : G2_BYTES),
                    out, count, g, badv, errv };
    int rc = zk_pool_run(pool, nchunks, range_task, &j);
    for (size_t c = 0; rc == ZK_OK && c < nchunks; c++) {
        if (errv[c] != ZK_OK) {
            rc = errv[c];
            if (bad)
                *bad = (int64_t)(first + badv[c]);
        }
    }
    free(badv);
    free(errv);
    return rc;
}

int zk_ptau_g1_range(zk_g1 *out, const zk_ptau *p, unsigned section,
                     uint64_t first, size_t count, zk_pool *pool, int64_t *bad)
{
    return range(out, p, 1, section, first, count, pool, bad);
}

int zk_ptau_g2_range(zk_g2 *out, const zk_ptau *p, unsigned section,
                     uint64_t first, size_t count, zk_pool *pool, int64_t *bad)
{
    return range(out, p, 2, section, first, count, pool, bad);
}

int zk_ptau_section2_overread(uint8_t out[64], const zk_ptau *p)
{
    if (!out || !p)
        return ZK_EINVAL;
    /* The sections are slices of one mapping, so the byte after section
     * 2's payload is the type field of whichever section the file places
     * next; find it among the sections we know (snarkjs writes 3 next). */
    uintptr_t end = (uintptr_t)p->data[2] + (uintptr_t)p->size[2];
    for (uint32_t s = 1; s < N_SECTIONS; s++) {
        const uint8_t *d;
        uint64_t sz;
        if (zk_binfile_section(p->f, s, &d, &sz) != ZK_OK || d == NULL)
            continue;
        if ((uintptr_t)d != end + 12)
            continue;
        if (sz < 52)
            return ZK_EUNSUPPORTED;
        for (unsigned i = 0; i < 4; i++)
            out[i] = (uint8_t)(s >> (8 * i));
        for (unsigned i = 0; i < 8; i++)
            out[4 + i] = (uint8_t)(sz >> (8 * i));
        memcpy(out + 12, d, 52);
        return ZK_OK;
    }
    return ZK_EUNSUPPORTED;
}

/* ------------------------------------------------------------ writing */

int zk_ptau_write(const char *path, const zk_ptau *p)
{
    if (!path || !p)
        return ZK_EINVAL;
    /* Every section in file order, unknown ones included: the same bytes.
     * The writer's temporary file and rename let path be the open file. */
    const uint32_t nsec = zk_binfile_nsections(p->f);
    zk_binwriter *w;
    int rc = zk_binwriter_begin(&w, path, "ptau", zk_binfile_version(p->f), nsec);
    if (rc != ZK_OK)
        return rc;
    for (uint32_t i = 0; i < nsec && rc == ZK_OK; i++) {
        uint32_t type;
        const uint8_t *data;
        uint64_t size;
        if ((rc = zk_binfile_section_at(p->f, i, &type, &data, &size)) == ZK_OK &&
            (rc = zk_binwriter_section_begin(w, type)) == ZK_OK &&
            (rc = zk_binwriter_section_write(w, data, (size_t)size)) == ZK_OK)
            rc = zk_binwriter_section_end(w);
    }
    if (rc != ZK_OK) {
        zk_binwriter_abort(w);
        return rc;
    }
    return zk_binwriter_commit(w);
}
