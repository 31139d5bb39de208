/*
 * r1cs.c -- .r1cs version 1 reader and writer, and a small builder (see
 * r1cs.h).
 *
 * Layout checked against iden3 r1csfile src/r1csfile.js (readR1csHeader:
 * u32 n8, prime via binfileutils.readBigInt, u32 nVars/nOutputs/
 * nPubInputs/nPrvInputs, u64 nLabels, u32 nConstraints; readConstraints:
 * per combination u32 nIdx then nIdx times u32 idx + n8-byte value read
 * with F.fromRprLE, which in ffjavascript converts a plain little-endian
 * integer to Montgomery form, so the file holds standard form; readMap:
 * nVars u64) and against a file written by circom 2 (sections in the order
 * 2, 1, 3; coefficient -1 stored as r - 1).
 */
#include "io/r1cs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


#define R1CS_N8 32u
#define R1CS_SEC_HEADER 1u
#define R1CS_SEC_CONSTRAINTS 2u
#define R1CS_SEC_MAP 3u
#define R1CS_SEC_CUSTOM_GATES_LIST 4u
#define R1CS_HEADER_SIZE (4u + R1CS_N8 + 4u * 4u + 8u + 4u)
#define R1CS_TERM_SIZE (4u + R1CS_N8)

struct zk_r1cs {
    uint32_t n_wires, n_pub_out, n_pub_in, n_prv_in, n_constraints;
    uint64_t n_labels;
    int custom_gates;
    zk_r1cs_term *terms;
    size_t n_terms, cap_terms;
    size_t *off;      /* 3 * n_constraints + 1 entries */
    size_t cap_off;
    uint64_t *labels; /* n_wires entries */
};

static int term_cmp(const void *x, const void *y)
{
    uint32_t a = ((const zk_r1cs_term *)x)->wire;
    uint32_t b = ((const zk_r1cs_term *)y)->wire;
    return (a > b) - (a < b);
}

/* Sort t[0..n) by wire id if needed; 0, or -1 if a wire id repeats. */
static int lc_canonicalize(zk_r1cs_term *t, size_t n)
{
    size_t i;
    for (i = 1; i < n; i++)
        if (t[i - 1].wire >= t[i].wire)
            break;
    if (i >= n)
        return 0;  /* already strictly ascending: the usual case */
    qsort(t, n, sizeof *t, term_cmp);
    for (i = 1; i < n; i++)
        if (t[i - 1].wire == t[i].wire)
            return -1;
    return 0;
}

void zk_r1cs_free(zk_r1cs *cs)
{
    if (!cs)
        return;
    free(cs->terms);
    free(cs->off);
    free(cs->labels);
    free(cs);
}

/* ------------------------------------------------------------- reading */

int zk_r1cs_decode(zk_r1cs **out, const zk_binfile *f)
{
    if (out)
        *out = NULL;
    if (!out || !f)
        return ZK_EINVAL;
    if (zk_binfile_version(f) != ZK_R1CS_VERSION)
        return ZK_EFORMAT;

    const uint8_t *h, *d, *m;
    uint64_t hsize, dsize, msize;
    int rc = zk_binfile_section(f, R1CS_SEC_HEADER, &h, &hsize);
    if (rc != ZK_OK)
        return rc;
    rc = zk_binfile_section(f, R1CS_SEC_CONSTRAINTS, &d, &dsize);
    if (rc != ZK_OK)
        return rc;
    rc = zk_binfile_section(f, R1CS_SEC_MAP, &m, &msize);
    if (rc != ZK_OK)
        return rc;

    /* Header. */
    if ((rc = zk_binfile_check_fr_prefix(h, hsize, R1CS_HEADER_SIZE)) != ZK_OK)
        return rc;
    const uint8_t *p = h + 4 + R1CS_N8;
    uint32_t n_wires = zk_load_u32_le(p);
    uint32_t n_pub_out = zk_load_u32_le(p + 4);
    uint32_t n_pub_in = zk_load_u32_le(p + 8);
    uint32_t n_prv_in = zk_load_u32_le(p + 12);
    uint64_t n_labels = zk_load_u64_le(p + 16);
    uint32_t n_cons = zk_load_u32_le(p + 24);
    if ((uint64_t)n_wires <
        1u + (uint64_t)n_pub_out + (uint64_t)n_pub_in + (uint64_t)n_prv_in)
        return ZK_EENCODING;

    /* Map section: exactly one u64 per wire. */
    if (msize != (uint64_t)n_wires * 8u)
        return ZK_EENCODING;

    /* Constraints, pass 1: sizes only, before allocating anything.  Every
     * constraint takes at least 12 bytes, every term 36. */
    if ((uint64_t)n_cons > dsize / 12u)
        return ZK_EENCODING;
    uint64_t pos = 0, total = 0;
    for (uint64_t k = 0; k < 3u * (uint64_t)n_cons; k++) {
        if (dsize - pos < 4)
            return ZK_EENCODING;
        uint32_t nt = zk_load_u32_le(d + pos);
        pos += 4;
        if ((uint64_t)nt > (dsize - pos) / R1CS_TERM_SIZE)
            return ZK_EENCODING;
        pos += (uint64_t)nt * R1CS_TERM_SIZE;
        total += nt;
    }
    if (pos != dsize)
        return ZK_EENCODING;
    /* total <= dsize / 36, 3 * n_cons < dsize / 4 and n_wires = msize / 8,
     * all backed by bytes of a mapped file: only 32-bit hosts can trip. */
#if SIZE_MAX / 8 < UINT32_MAX
    if (total > SIZE_MAX / sizeof(zk_r1cs_term) ||
        3u * (uint64_t)n_cons + 1u > SIZE_MAX / sizeof(size_t) ||
        (uint64_t)n_wires > SIZE_MAX / sizeof(uint64_t))
        return ZK_ENOMEM;
#endif

    zk_r1cs *cs = calloc(1, sizeof *cs);
    if (!cs)
        return ZK_ENOMEM;
    cs->n_wires = n_wires;
    cs->n_pub_out = n_pub_out;
    cs->n_pub_in = n_pub_in;
    cs->n_prv_in = n_prv_in;
    cs->n_labels = n_labels;
    cs->n_constraints = n_cons;
    cs->cap_off = 3u * (size_t)n_cons + 1u;
    cs->off = malloc(cs->cap_off * sizeof *cs->off);
    cs->labels = malloc((size_t)n_wires * sizeof *cs->labels);
    /* At least one slot so that terms is never NULL (no NULL + 0). */
    cs->terms = malloc((total ? (size_t)total : 1u) * sizeof *cs->terms);
    if (!cs->off || !cs->labels || !cs->terms) {
        zk_r1cs_free(cs);
        return ZK_ENOMEM;
    }
    cs->cap_terms = (size_t)total;

    /* Pass 2: decode and validate values. */
    size_t q = 0, t = 0;
    cs->off[0] = 0;
    for (size_t k = 0; k < 3u * (size_t)n_cons; k++) {
        uint32_t nt = zk_load_u32_le(d + q);
        q += 4;
        zk_r1cs_term *lc = cs->terms + t;
        for (uint32_t j = 0; j < nt; j++, q += R1CS_TERM_SIZE) {
            lc[j].wire = zk_load_u32_le(d + q);
            if (lc[j].wire >= n_wires) {
                zk_r1cs_free(cs);
                return ZK_EENCODING;
            }
            rc = zk_fr_from_bytes_le(&lc[j].coeff, d + q + 4);
            if (rc != ZK_OK) {
                zk_r1cs_free(cs);
                return rc;
            }
        }
        if (lc_canonicalize(lc, nt) != 0) {
            zk_r1cs_free(cs);
            return ZK_EENCODING;
        }
        t += nt;
        cs->off[k + 1] = t;
    }
    cs->n_terms = t;

    for (uint32_t i = 0; i < n_wires; i++)
        cs->labels[i] = zk_load_u64_le(m + (size_t)i * 8u);

    const uint8_t *g;
    uint64_t gsize;
    cs->custom_gates =
        zk_binfile_section(f, R1CS_SEC_CUSTOM_GATES_LIST, &g, &gsize) ==
        ZK_OK;

    *out = cs;
    return ZK_OK;
}

int zk_r1cs_read(zk_r1cs **out, const char *path)
{
    if (out)
        *out = NULL;
    if (!out || !path)
        return ZK_EINVAL;
    zk_binfile *f;
    int rc = zk_binfile_open(&f, path, "r1cs", ZK_R1CS_VERSION);
    if (rc != ZK_OK)
        return rc;
    rc = zk_r1cs_decode(out, f);
    zk_binfile_close(f);
    return rc;
}

/* ------------------------------------------------------------- writing */

int zk_r1cs_write(const char *path, const zk_r1cs *cs)
{
    if (!path || !cs)
        return ZK_EINVAL;

    zk_binwriter *w;
    int rc = zk_binwriter_begin(&w, path, "r1cs", ZK_R1CS_VERSION, 3);
    if (rc != ZK_OK)
        return rc;
    /* Errors are sticky in the writer; checking each call stops early. */
    if ((rc = zk_binwriter_section_begin(w, R1CS_SEC_HEADER)) == ZK_OK &&
        (rc = zk_binwriter_fr_prefix(w)) == ZK_OK &&
        (rc = zk_binwriter_u32(w, cs->n_wires)) == ZK_OK &&
        (rc = zk_binwriter_u32(w, cs->n_pub_out)) == ZK_OK &&
        (rc = zk_binwriter_u32(w, cs->n_pub_in)) == ZK_OK &&
        (rc = zk_binwriter_u32(w, cs->n_prv_in)) == ZK_OK &&
        (rc = zk_binwriter_u64(w, cs->n_labels)) == ZK_OK &&
        (rc = zk_binwriter_u32(w, cs->n_constraints)) == ZK_OK &&
        (rc = zk_binwriter_section_end(w)) == ZK_OK &&
        (rc = zk_binwriter_section_begin(w, R1CS_SEC_CONSTRAINTS)) ==
            ZK_OK) {
        size_t nlc = 3u * (size_t)cs->n_constraints;
        for (size_t k = 0; k < nlc && rc == ZK_OK; k++) {
            size_t a = cs->off[k], b = cs->off[k + 1];
            rc = zk_binwriter_u32(w, (uint32_t)(b - a));
            for (size_t j = a; j < b && rc == ZK_OK; j++) {
                uint8_t buf[R1CS_TERM_SIZE];
                uint32_t wi = cs->terms[j].wire;
                for (unsigned s = 0; s < 4; s++)
                    buf[s] = (uint8_t)(wi >> (8 * s));
                zk_fr_to_bytes_le(buf + 4, &cs->terms[j].coeff);
                rc = zk_binwriter_section_write(w, buf, sizeof buf);
            }
        }
        if (rc == ZK_OK &&
            (rc = zk_binwriter_section_end(w)) == ZK_OK &&
            (rc = zk_binwriter_section_begin(w, R1CS_SEC_MAP)) == ZK_OK) {
            for (uint32_t i = 0; i < cs->n_wires && rc == ZK_OK; i++)
                rc = zk_binwriter_u64(w, cs->labels[i]);
            if (rc == ZK_OK)
                rc = zk_binwriter_section_end(w);
        }
    }
    if (rc != ZK_OK) {
        zk_binwriter_abort(w);
        return rc;
    }
    return zk_binwriter_commit(w);
}

/* ------------------------------------------------------------- builder */

int zk_r1cs_new(zk_r1cs **out, uint32_t n_pub_out, uint32_t n_pub_in,
                uint32_t n_prv_in, uint32_t n_wires)
{
    if (out)
        *out = NULL;
    if (!out)
        return ZK_EINVAL;
    if ((uint64_t)n_wires <
        1u + (uint64_t)n_pub_out + (uint64_t)n_pub_in + (uint64_t)n_prv_in)
        return ZK_EINVAL;
#if SIZE_MAX / 8 < UINT32_MAX
    if ((uint64_t)n_wires > SIZE_MAX / sizeof(uint64_t))
        return ZK_ENOMEM;
#endif
    zk_r1cs *cs = calloc(1, sizeof *cs);
    if (!cs)
        return ZK_ENOMEM;
    cs->n_wires = n_wires;
    cs->n_pub_out = n_pub_out;
    cs->n_pub_in = n_pub_in;
    cs->n_prv_in = n_prv_in;
    cs->n_labels = n_wires;
    cs->cap_off = 16;
    cs->off = malloc(cs->cap_off * sizeof *cs->off);
    cs->cap_terms = 16;
    cs->terms = malloc(cs->cap_terms * sizeof *cs->terms);
    cs->labels = malloc((size_t)n_wires * sizeof *cs->labels);
    if (!cs->off || !cs->terms || !cs->labels) {
        zk_r1cs_free(cs);
        return ZK_ENOMEM;
    }
    cs->off[0] = 0;
    for (uint32_t i = 0; i < n_wires; i++)
        cs->labels[i] = i;
    *out = cs;
    return ZK_OK;
}

/* Grow *p (of *cap elements of size sz) to hold at least need. */
static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return ZK_OK;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return ZK_ENOMEM;
        nc *= 2;
    }
    if (nc > SIZE_MAX / sz)
        return ZK_ENOMEM;
    void *q = realloc(*p, nc * sz);
    if (!q)
        return ZK_ENOMEM;
    *p = q;
    *cap = nc;
    return ZK_OK;
}

int zk_r1cs_add_constraint(zk_r1cs *cs,
                           const zk_r1cs_term *a, size_t na,
                           const zk_r1cs_term *b, size_t nb,
                           const zk_r1cs_term *c, size_t nc)
{
    if (!cs || (!a && na) || (!b && nb) || (!c && nc))
        return ZK_EINVAL;
    if (cs->n_constraints == UINT32_MAX)
        return ZK_EINVAL;
    const zk_r1cs_term *src[3] = {a, b, c};
    size_t cnt[3] = {na, nb, nc};
    for (int j = 0; j < 3; j++) {
        /* Distinct wire ids are < nWires, so a longer list repeats one. */
        if (cnt[j] > cs->n_wires)
            return ZK_EINVAL;
        for (size_t i = 0; i < cnt[j]; i++)
            if (src[j][i].wire >= cs->n_wires)
                return ZK_EINVAL;
    }
    size_t add = na + nb + nc;  /* each <= nWires < 2^32: no overflow */
    if (add > SIZE_MAX - cs->n_terms)
        return ZK_ENOMEM;
    size_t nlc = 3u * (size_t)cs->n_constraints;
    if (nlc > SIZE_MAX - 4)
        return ZK_ENOMEM;
    int rc = grow((void **)&cs->terms, &cs->cap_terms, cs->n_terms + add,
                  sizeof *cs->terms);
    if (rc == ZK_OK)
        rc = grow((void **)&cs->off, &cs->cap_off, nlc + 4,
                  sizeof *cs->off);
    if (rc != ZK_OK)
        return rc;

    size_t t = cs->n_terms;
    for (int j = 0; j < 3; j++) {
        if (cnt[j] > 0)
            memcpy(cs->terms + t, src[j], cnt[j] * sizeof *cs->terms);
        if (lc_canonicalize(cs->terms + t, cnt[j]) != 0)
            return ZK_EINVAL;  /* n_terms and off untouched: cs unchanged */
        t += cnt[j];
        cs->off[nlc + 1 + (size_t)j] = t;
    }
    cs->n_terms = t;
    cs->n_constraints++;
    return ZK_OK;
}

/* ----------------------------------------------------------- accessors */

uint32_t zk_r1cs_n_wires(const zk_r1cs *cs) { return cs->n_wires; }
uint32_t zk_r1cs_n_pub_out(const zk_r1cs *cs) { return cs->n_pub_out; }
uint32_t zk_r1cs_n_pub_in(const zk_r1cs *cs) { return cs->n_pub_in; }
uint32_t zk_r1cs_n_prv_in(const zk_r1cs *cs) { return cs->n_prv_in; }
uint64_t zk_r1cs_n_labels(const zk_r1cs *cs) { return cs->n_labels; }
uint32_t zk_r1cs_n_constraints(const zk_r1cs *cs)
{
    return cs->n_constraints;
}
size_t zk_r1cs_n_terms(const zk_r1cs *cs) { return cs->n_terms; }
int zk_r1cs_uses_custom_gates(const zk_r1cs *cs) { return cs->custom_gates; }
const zk_r1cs_term *zk_r1cs_terms(const zk_r1cs *cs) { return cs->terms; }
const size_t *zk_r1cs_lc_offsets(const zk_r1cs *cs) { return cs->off; }
const uint64_t *zk_r1cs_labels(const zk_r1cs *cs) { return cs->labels; }

const zk_r1cs_term *zk_r1cs_lc(const zk_r1cs *cs, uint32_t i,
                               unsigned which, size_t *n)
{
    if (n)
        *n = 0;
    if (!cs || i >= cs->n_constraints || which > 2)
        return NULL;
    size_t k = 3u * (size_t)i + which;
    if (n)
        *n = cs->off[k + 1] - cs->off[k];
    return cs->terms + cs->off[k];
}

/* ------------------------------------------------------------ checking */

static void lc_eval(zk_fr *acc, const zk_r1cs_term *t, size_t n,
                    const zk_fr *w)
{
    zk_fr_zero(acc);
    for (size_t i = 0; i < n; i++) {
        zk_fr x;
        zk_fr_mul(&x, &t[i].coeff, &w[t[i].wire]);
        zk_fr_add(acc, acc, &x);
    }
}

int zk_r1cs_is_satisfied(const zk_r1cs *cs, const zk_fr *witness, size_t n,
                         size_t *first_bad)
{
    if (first_bad)
        *first_bad = 0;
    if (!cs || !witness || n != cs->n_wires || !zk_fr_is_one(&witness[0]))
        return ZK_EINVAL;
    for (uint32_t i = 0; i < cs->n_constraints; i++) {
        const size_t *o = cs->off + 3u * (size_t)i;
        zk_fr va, vb, vc;
        lc_eval(&va, cs->terms + o[0], o[1] - o[0], witness);
        lc_eval(&vb, cs->terms + o[1], o[2] - o[1], witness);
        lc_eval(&vc, cs->terms + o[2], o[3] - o[2], witness);
        zk_fr_mul(&va, &va, &vb);
        if (!zk_fr_eq(&va, &vc)) {
            if (first_bad)
                *first_bad = i;
            return ZK_EVERIFY;
        }
    }
    return ZK_OK;
}
