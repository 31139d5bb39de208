/*
 * contribute.c -- phase-2 contributions to a Groth16 .zkey and the checks
 * of a contribution chain (contribute.h), compatible with snarkjs 0.7:
 * src/zkey_contribute.js, zkey_verify_frominit.js, keypair.js (hashToG2),
 * misc.js (rngFromBeaconParams) and ffjavascript 0.2 (chacha.js,
 * wasm_field1.js / wasm_field2.js fromRng, wasm_curve.js fromRng).
 */
#include "groth16/contribute.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "curve/pairing.h"
#include "field/fp.h"
#include "field/fp2.h"
#include "field/fr.h"

/* ------------------------------------------------------------- bytes */

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void store_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void store_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ------------------------------------------------ ffjavascript's ChaCha */

/*
 * ffjavascript's ChaCha (chacha.js) is the ChaCha20 block function with the
 * 8 seed words as the key words, a 64-bit block counter in words 12-13
 * starting at 0 and a zero nonce, its output read word by word: exactly
 * DJB's ChaCha20 keystream (libsodium crypto_stream_chacha20) with the key
 * bytes the seed words in little-endian order.
 */
typedef struct {
    uint8_t key[crypto_stream_chacha20_KEYBYTES];
    uint64_t block;
    uint32_t w[16];
    unsigned idx;
} chacha_rng;

/* Seed from 32 bytes read as 8 big-endian words (snarkjs's DataView
 * getUint32 / readUInt32BE). */
static void rng_init(chacha_rng *g, const uint8_t seed[32])
{
    for (int i = 0; i < 8; i++)
        store_le32(g->key + 4 * i, load_be32(seed + 4 * i));
    g->block = 0;
    g->idx = 16;
}

static uint32_t rng_u32(chacha_rng *g)
{
    if (g->idx == 16) {
        static const uint8_t zero[64];
        static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
        uint8_t out[64];
        crypto_stream_chacha20_xor_ic(out, zero, sizeof out, nonce, g->block++,
                                      g->key);
        for (int i = 0; i < 16; i++)
            g->w[i] = load_le32(out + 4 * i);
        g->idx = 0;
    }
    return g->w[g->idx++];
}

/* nextU64: the first word is the high half. */
static uint64_t rng_u64(chacha_rng *g)
{
    uint64_t hi = rng_u32(g);
    return hi << 32 | rng_u32(g);
}

/*
 * F.fromRng for a 254-bit prime (Fp and Fr alike): four draws as the
 * little-endian limbs of v, v cut to 254 bits, redrawn while v >= modulus;
 * v is then taken as the MONTGOMERY form of the element (ffjavascript
 * returns its bytes without converting them), so the element is v / 2^256.
 */
static void mont_bytes_from_rng(uint8_t b[32], chacha_rng *g)
{
    uint64_t l[4];
    for (int i = 0; i < 4; i++)
        l[i] = rng_u64(g);
    l[3] &= (UINT64_C(1) << 62) - 1;
    for (int i = 0; i < 4; i++)
        store_le64(b + 8 * i, l[i]);
}

static void fp_from_rng(zk_fp *r, chacha_rng *g)
{
    uint8_t b[32];
    do
        mont_bytes_from_rng(b, g);
    while (zk_fp_from_mont_le(r, b) != ZK_OK);
}

static void fr_from_rng(zk_fr *r, chacha_rng *g)
{
    uint8_t b[32];
    do
        mont_bytes_from_rng(b, g);
    while (zk_fr_from_mont_le(r, b) != ZK_OK);
}

/* ffjavascript's isNegative on Fp: the canonical value is > (p - 1) / 2,
 * i.e. a > p - a = -a as integers (0 is not negative). */
static int fp_is_negative(const zk_fp *a)
{
    zk_fp n;
    uint64_t la[4], ln[4];
    zk_fp_neg(&n, a);
    zk_fp_to_limbs(la, a);
    zk_fp_to_limbs(ln, &n);
    for (int i = 3; i >= 0; i--)
        if (la[i] != ln[i])
            return la[i] > ln[i];
    return 0;
}

/* On Fp2 (wasmcurves build_f2m): the sign of c1, or of c0 when c1 = 0. */
static int fp2_is_negative(const zk_fp2 *a)
{
    return zk_fp_is_zero(&a->c1) ? fp_is_negative(&a->c0) : fp_is_negative(&a->c1);
}

/* b' = 3 / (9 + u), the constant of the twist. */
static void g2_b(zk_fp2 *b)
{
    zk_fp2 xi;
    zk_fp_set_u64(&xi.c0, 9);
    zk_fp_set_u64(&xi.c1, 1);
    if (zk_fp2_inv(b, &xi) != ZK_OK) /* unreachable: 9 + u != 0 */
        zk_fp2_zero(b);
    zk_fp2 three;
    zk_fp_set_u64(&three.c0, 3);
    zk_fp_zero(&three.c1);
    zk_fp2_mul(b, b, &three);
}

/* The cofactor of G2 in E'(Fp2), 2p - r (ffjavascript bn128.js
 * cofactorG2), little-endian limbs. */
static const uint64_t G2_COFACTOR[4] = {
    0x345f2299c0f9fa8dULL, 0x06ceecda572a2489ULL,
    0xb85045b68181585eULL, 0x30644e72e131a029ULL };

void zk_groth16_hash_to_g2(zk_g2 *r, const uint8_t transcript[64])
{
    chacha_rng g;
    zk_fp2 x, y, rhs, b;
    int greatest;
    g2_b(&b);
    rng_init(&g, transcript);
    /* wasm_curve.js fromRng: x from F2.fromRng (c0, then c1), then one
     * draw for the sign, until x^3 + b' is a square */
    for (;;) {
        fp_from_rng(&x.c0, &g);
        fp_from_rng(&x.c1, &g);
        greatest = (int)(rng_u32(&g) & 1);
        zk_fp2_sqr(&rhs, &x);
        zk_fp2_mul(&rhs, &rhs, &x);
        zk_fp2_add(&rhs, &rhs, &b);
        if (zk_fp2_sqrt_var(&y, &rhs) == ZK_OK)
            break;
    }
    if (greatest ^ fp2_is_negative(&y))
        zk_fp2_neg(&y, &y);
    zk_g2 p = { x, y };
    /* clear the cofactor: [2p - r] P by double-and-add (public data) */
    zk_g2j acc, pj;
    zk_g2j_set_inf(&acc);
    zk_g2j_from_affine(&pj, &p);
    for (int i = 255; i >= 0; i--) {
        zk_g2j_dbl(&acc, &acc);
        if ((G2_COFACTOR[i / 64] >> (i % 64)) & 1)
            zk_g2j_add(&acc, &acc, &pj);
    }
    zk_g2_from_jacobian(r, &acc);
}

/* G1.fromRng (no cofactor on G1): the beacon's g1_s. */
static void g1_from_rng(zk_g1 *r, chacha_rng *g)
{
    zk_fp x, y, rhs, b;
    int greatest;
    zk_fp_set_u64(&b, 3);
    for (;;) {
        fp_from_rng(&x, g);
        greatest = (int)(rng_u32(g) & 1);
        zk_fp_sqr(&rhs, &x);
        zk_fp_mul(&rhs, &rhs, &x);
        zk_fp_add(&rhs, &rhs, &b);
        if (zk_fp_sqrt(&y, &rhs) == ZK_OK)
            break;
    }
    if (greatest ^ fp_is_negative(&y))
        zk_fp_neg(&y, &y);
    r->x = x;
    r->y = y;
}

/* ------------------------------------------------------------ hashing */

typedef crypto_generichash_blake2b_state blake_state;

static void blake_init(blake_state *st)
{
    crypto_generichash_blake2b_init(st, NULL, 0, 64);
}

static void hash_g1(blake_state *st, const zk_g1 *p)
{
    uint8_t b[64];
    zk_g1_to_eth(b, p); /* = ffjavascript toRprUncompressed */
    crypto_generichash_blake2b_update(st, b, sizeof b);
}

static void hash_g2(blake_state *st, const zk_g2 *p)
{
    uint8_t b[128];
    zk_g2_to_eth(b, p);
    crypto_generichash_blake2b_update(st, b, sizeof b);
}

/* zkey_utils.js hashPubKey */
static void hash_pubkey(blake_state *st, const zk_zkey_contribution *c)
{
    hash_g1(st, &c->delta_after);
    hash_g1(st, &c->g1_s);
    hash_g1(st, &c->g1_sx);
    hash_g2(st, &c->g2_spx);
    crypto_generichash_blake2b_update(st, c->transcript, sizeof c->transcript);
}

void zk_groth16_contribution_hash(uint8_t out[64], const zk_zkey_contribution *c)
{
    blake_state st;
    blake_init(&st);
    hash_pubkey(&st, c);
    crypto_generichash_blake2b_final(&st, out, 64);
}

/* transcript = H(acc || U(g1_s) || U(g1_sx)), acc = the running hash of
 * csHash and the earlier public keys (left unchanged). */
static void challenge(uint8_t out[64], const blake_state *acc, const zk_g1 *g1_s,
                      const zk_g1 *g1_sx)
{
    blake_state st = *acc;
    hash_g1(&st, g1_s);
    hash_g1(&st, g1_sx);
    crypto_generichash_blake2b_final(&st, out, 64);
}

/* -------------------------------------------------------- contribute */

/* Store name (NULL or "" = none), cut to at most 64 bytes without
 * splitting a UTF-8 sequence. */
static void set_name(zk_zkey_contribution *c, const char *name)
{
    memset(c->name, 0, sizeof c->name);
    c->has_name = 0;
    if (name == NULL)
        return;
    size_t len = strlen(name);
    if (len > ZK_CONTRIBUTION_NAME_MAX) {
        len = ZK_CONTRIBUTION_NAME_MAX;
        while (len > 0 && ((unsigned char)name[len] & 0xc0) == 0x80)
            len--;
    }
    memcpy(c->name, name, len);
    c->has_name = len > 0;
}

/* out[i] = [k] in[i] for SECRET k, constant time per point, in chunks on
 * the pool; each chunk is normalized with one constant-time inversion. */
#define SCALE_CHUNK 64

typedef struct {
    const zk_g1 *in;
    zk_g1 *out;
    size_t n;
    const zk_fr *k;
    zk_meter *meter; /* one unit per point */
} scale_job;

static void scale_task(void *arg, size_t ci)
{
    const scale_job *job = arg;
    size_t lo = ci * SCALE_CHUNK;
    size_t m = job->n - lo < SCALE_CHUNK ? job->n - lo : SCALE_CHUNK;
    zk_g1j t[SCALE_CHUNK];
    zk_fp pre[SCALE_CHUNK], acc, zi, zi2;
    zk_g1j p;
    for (size_t i = 0; i < m; i++) {
        zk_g1j_from_affine(&p, &job->in[lo + i]);
        zk_g1j_mul(&t[i], &p, job->k);
    }
    /* Montgomery's trick; which points are infinity is public */
    zk_fp_one(&acc);
    for (size_t i = 0; i < m; i++) {
        pre[i] = acc;
        if (!zk_g1j_is_inf(&t[i]))
            zk_fp_mul(&acc, &acc, &t[i].z);
    }
    if (zk_fp_inv(&acc, &acc) != ZK_OK) /* unreachable: a product of z != 0 */
        zk_fp_zero(&acc);
    for (size_t i = m; i-- > 0;) {
        zk_g1 *o = &job->out[lo + i];
        if (zk_g1j_is_inf(&t[i])) {
            zk_g1_set_inf(o);
            continue;
        }
        zk_fp_mul(&zi, &acc, &pre[i]);
        zk_fp_mul(&acc, &acc, &t[i].z);
        zk_fp_sqr(&zi2, &zi);
        zk_fp_mul(&o->x, &t[i].x, &zi2);
        zk_fp_mul(&zi2, &zi2, &zi);
        zk_fp_mul(&o->y, &t[i].y, &zi2);
    }
    /* the projective forms depend on k: do not leave them behind */
    sodium_memzero(t, sizeof t);
    sodium_memzero(pre, sizeof pre);
    sodium_memzero(&acc, sizeof acc);
    sodium_memzero(&zi, sizeof zi);
    sodium_memzero(&zi2, sizeof zi2);
    zk_meter_add(job->meter, m);
}

static int scale_points(zk_g1 *out, const zk_g1 *in, size_t n, const zk_fr *k,
                        zk_pool *pool)
{
    if (n == 0)
        return ZK_OK;
    scale_job job = { in, out, n, k, zk_pool_meter(pool) };
    return zk_pool_run(pool, (n + SCALE_CHUNK - 1) / SCALE_CHUNK, scale_task, &job);
}

/* The secrets of one contribution, in sodium_malloc memory. */
typedef struct {
    uint8_t rnd[64];
    zk_fr x, xinv, s;
    zk_g1j t1;
    zk_g2j t2;
} contrib_secrets;

/* a uniform non-zero element of Fr: 512 random bits reduced mod r */
static void random_nonzero(zk_fr *r, uint8_t rnd[64])
{
    do {
        randombytes_buf(rnd, 64);
        zk_fr_from_bytes_be_reduce(r, rnd, 64);
    } while (zk_fr_is_zero(r));
    sodium_memzero(rnd, 64);
}

static int key_is_complete(const zk_zkey *z)
{
    size_t n_priv = (size_t)z->n_vars - z->n_public - 1;
    return z->n_public < z->n_vars && z->a != NULL && z->b1 != NULL &&
           z->b2 != NULL && z->h != NULL && z->ic != NULL &&
           (z->c != NULL || n_priv == 0) && (z->coefs != NULL || z->n_coefs == 0) &&
           (z->contributions != NULL || z->n_contributions == 0) &&
           z->domain_size >= 2 && z->log_domain <= ZK_ZKEY_MAX_LOG_DOMAIN &&
           z->domain_size == UINT32_C(1) << z->log_domain;
}

static void copy_arr(void *dst, const void *src, size_t n, size_t size)
{
    if (n > 0)
        memcpy(dst, src, n * size);
}

int zk_groth16_contribute(zk_zkey **out, const zk_zkey *in, const char *name,
                          zk_pool *pool)
{
    if (out == NULL)
        return ZK_EINVAL;
    *out = NULL;
    if (in == NULL || !key_is_complete(in) || in->n_contributions == UINT32_MAX)
        return ZK_EINVAL;
    if (sodium_init() < 0)
        return ZK_ENOMEM; /* libsodium could not initialize (no memory) */

    const uint32_t n_c = in->n_contributions;
    const size_t n_priv = (size_t)in->n_vars - in->n_public - 1;
    zk_zkey *z = NULL;
    int rc = zk_zkey_alloc(&z, in->n_vars, in->n_public, in->log_domain,
                           in->n_coefs, n_c + 1);
    if (rc != ZK_OK)
        return rc;
    /* everything but delta, C, H and the new contribution is copied */
    z->n_vars = in->n_vars;
    z->n_public = in->n_public;
    z->domain_size = in->domain_size;
    z->log_domain = in->log_domain;
    z->alpha1 = in->alpha1;
    z->beta1 = in->beta1;
    z->beta2 = in->beta2;
    z->gamma2 = in->gamma2;
    copy_arr(z->ic, in->ic, (size_t)in->n_public + 1, sizeof *z->ic);
    copy_arr(z->coefs, in->coefs, in->n_coefs, sizeof *z->coefs);
    z->n_coefs = in->n_coefs;
    copy_arr(z->a, in->a, in->n_vars, sizeof *z->a);
    copy_arr(z->b1, in->b1, in->n_vars, sizeof *z->b1);
    copy_arr(z->b2, in->b2, in->n_vars, sizeof *z->b2);
    memcpy(z->cs_hash, in->cs_hash, sizeof z->cs_hash);
    copy_arr(z->contributions, in->contributions, n_c, sizeof *z->contributions);
    z->n_contributions = n_c + 1;

    contrib_secrets *sec = sodium_malloc(sizeof *sec);
    if (sec == NULL) {
        zk_zkey_free(z);
        return ZK_ENOMEM;
    }
    random_nonzero(&sec->x, sec->rnd);
    random_nonzero(&sec->s, sec->rnd);
    if (zk_fr_inv(&sec->xinv, &sec->x) != ZK_OK) { /* unreachable: x != 0 */
        rc = ZK_EINVAL;
        goto fail;
    }

    zk_zkey_contribution *c = &z->contributions[n_c];
    memset(c, 0, sizeof *c);
    zk_g1 g1;
    zk_g1j pj;
    zk_g2j qj;
    /* the public key: g1_s = [s] G1 (a uniform point; s is not kept),
     * g1_sx = [x] g1_s */
    zk_g1_generator(&g1);
    zk_g1j_from_affine(&pj, &g1);
    zk_g1j_mul(&sec->t1, &pj, &sec->s);
    zk_g1_from_jacobian(&c->g1_s, &sec->t1);
    zk_g1j_from_affine(&pj, &c->g1_s);
    zk_g1j_mul(&sec->t1, &pj, &sec->x);
    zk_g1_from_jacobian(&c->g1_sx, &sec->t1);

    /* transcript, g2_sp and g2_spx = [x] g2_sp */
    blake_state acc;
    blake_init(&acc);
    crypto_generichash_blake2b_update(&acc, in->cs_hash, sizeof in->cs_hash);
    for (uint32_t i = 0; i < n_c; i++)
        hash_pubkey(&acc, &in->contributions[i]);
    challenge(c->transcript, &acc, &c->g1_s, &c->g1_sx);
    zk_g2 sp;
    zk_groth16_hash_to_g2(&sp, c->transcript);
    zk_g2j_from_affine(&qj, &sp);
    zk_g2j_mul(&sec->t2, &qj, &sec->x);
    zk_g2_from_jacobian(&c->g2_spx, &sec->t2);

    /* delta *= x */
    zk_g1j_from_affine(&pj, &in->delta1);
    zk_g1j_mul(&sec->t1, &pj, &sec->x);
    zk_g1_from_jacobian(&z->delta1, &sec->t1);
    zk_g2j_from_affine(&qj, &in->delta2);
    zk_g2j_mul(&sec->t2, &qj, &sec->x);
    zk_g2_from_jacobian(&z->delta2, &sec->t2);
    c->delta_after = z->delta1;
    c->type = 0;
    set_name(c, name);

    /* C and H /= x */
    zk_meter_begin(zk_pool_meter(pool), "contribute", (uint64_t)n_priv + in->domain_size);
    rc = scale_points(z->c, in->c, n_priv, &sec->xinv, pool);
    if (rc == ZK_OK)
        rc = scale_points(z->h, in->h, in->domain_size, &sec->xinv, pool);
    zk_meter_end(zk_pool_meter(pool));
    if (rc != ZK_OK)
        goto fail;
    sodium_free(sec); /* wipes */
    *out = z;
    return ZK_OK;

fail:
    sodium_free(sec);
    zk_zkey_free(z);
    return rc;
}

/* ------------------------------------------------------------ verify */

/* misc.js sameRatio: none of the points is infinity and
 * e(a1, b2) = e(b1, a2), i.e. b1 / a1 = b2 / a2 in the exponent. */
static int same_ratio(const zk_g1 *a1, const zk_g1 *b1, const zk_g2 *a2,
                      const zk_g2 *b2)
{
    if (zk_g1_is_inf(a1) || zk_g1_is_inf(b1) || zk_g2_is_inf(a2) || zk_g2_is_inf(b2))
        return 0;
    zk_g1 p[2];
    zk_g2 q[2];
    p[0] = *a1;
    q[0] = *b2;
    zk_g1_neg(&p[1], b1);
    q[1] = *a2;
    return zk_pairing_check(p, q, 2);
}

/* The largest beacon exponent checked: 2^40 SHA-256 evaluations. */
#define BEACON_MAX_EXP 40u

/* misc.js rngFromBeaconParams then the beacon's key (zkey_beacon.js):
 * ZK_OK when c's g1_s, g1_sx are those of its beacon, else ZK_EVERIFY. */
static int beacon_check(const zk_zkey_contribution *c)
{
    if (c->num_iterations_exp > BEACON_MAX_EXP)
        return ZK_EUNSUPPORTED;
    uint8_t h[crypto_hash_sha256_BYTES];
    const uint8_t *in = c->beacon_hash;
    size_t len = c->beacon_hash_len;
    uint64_t n = UINT64_C(1) << c->num_iterations_exp;
    for (uint64_t i = 0; i < n; i++) {
        crypto_hash_sha256(h, in, len);
        in = h;
        len = sizeof h;
    }
    chacha_rng g;
    rng_init(&g, h);
    zk_fr k;
    zk_g1 s, sx;
    zk_g1j t;
    fr_from_rng(&k, &g);
    g1_from_rng(&s, &g);
    zk_g1j_from_affine(&t, &s);
    zk_g1j_mul_var(&t, &t, &k);
    zk_g1_from_jacobian(&sx, &t);
    return zk_g1_eq(&s, &c->g1_s) && zk_g1_eq(&sx, &c->g1_sx) ? ZK_OK : ZK_EVERIFY;
}

static int fail_at(const char **why, int64_t *index, const char *w, int64_t i)
{
    if (why != NULL)
        *why = w;
    if (index != NULL)
        *index = i;
    return ZK_EVERIFY;
}

int zk_groth16_contributions_verify(const zk_zkey *z, const char **why,
                                    int64_t *index)
{
    if (why != NULL)
        *why = NULL;
    if (index != NULL)
        *index = -1;
    if (z == NULL || (z->contributions == NULL && z->n_contributions > 0))
        return ZK_EINVAL;

    blake_state acc;
    blake_init(&acc);
    crypto_generichash_blake2b_update(&acc, z->cs_hash, sizeof z->cs_hash);
    zk_g1 cur;
    zk_g1_generator(&cur);
    for (uint32_t i = 0; i < z->n_contributions; i++) {
        const zk_zkey_contribution *c = &z->contributions[i];
        if (!zk_g1_is_on_curve(&c->delta_after) || !zk_g1_is_on_curve(&c->g1_s) ||
            !zk_g1_is_on_curve(&c->g1_sx) || !zk_g2_is_on_curve(&c->g2_spx) ||
            !zk_g2_in_subgroup(&c->g2_spx))
            return fail_at(why, index, "contribution point not in its group", i);
        uint8_t t[64];
        challenge(t, &acc, &c->g1_s, &c->g1_sx);
        if (sodium_memcmp(t, c->transcript, sizeof t) != 0)
            return fail_at(why, index, "inconsistent transcript", i);
        zk_g2 sp;
        zk_groth16_hash_to_g2(&sp, c->transcript);
        if (!same_ratio(&c->g1_s, &c->g1_sx, &sp, &c->g2_spx))
            return fail_at(why, index,
                           "public key G1 and G2 do not have the same ratio", i);
        if (!same_ratio(&cur, &c->delta_after, &sp, &c->g2_spx))
            return fail_at(why, index, "deltaAfter does not follow the public key", i);
        if (c->type == 1) {
            int rc = beacon_check(c);
            if (rc == ZK_EVERIFY)
                return fail_at(why, index, "key of the beacon does not match", i);
            if (rc != ZK_OK)
                return rc;
        }
        hash_pubkey(&acc, c);
        cur = c->delta_after;
    }
    if (!zk_g1_eq(&z->delta1, &cur))
        return fail_at(why, index, "delta1 is not the last contribution's deltaAfter", -1);
    zk_g1 g1;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    if (!same_ratio(&g1, &cur, &g2, &z->delta2))
        return fail_at(why, index, "delta2 does not match delta1", -1);
    return ZK_OK;
}

/* e(sum rho_i p0_i, d0) == e(sum rho_i p_i, d) for random 128-bit rho:
 * p = p0 times one common factor d0 / d (zkey_verify_frominit.js
 * sectionHasSameRatio).  *same receives the answer. */
static int points_same_ratio(int *same, const zk_g1 *p0, const zk_g1 *p, size_t n,
                             const zk_g2 *d0, const zk_g2 *d, zk_pool *pool)
{
    *same = 1;
    if (n == 0)
        return ZK_OK;
    zk_fr *rho = malloc(n * sizeof *rho);
    if (rho == NULL)
        return ZK_ENOMEM;
    uint8_t b[16];
    for (size_t i = 0; i < n; i++) {
        randombytes_buf(b, sizeof b);
        zk_fr_from_bytes_be_reduce(&rho[i], b, sizeof b);
    }
    zk_g1j r0, r;
    int rc = zk_msm_g1(&r0, p0, rho, n, pool);
    if (rc == ZK_OK)
        rc = zk_msm_g1(&r, p, rho, n, pool);
    free(rho);
    if (rc != ZK_OK)
        return rc;
    zk_g1 pp[2];
    zk_g2 qq[2];
    zk_g1_from_jacobian(&pp[0], &r0);
    zk_g1_from_jacobian(&pp[1], &r);
    zk_g1_neg(&pp[1], &pp[1]);
    qq[0] = *d0;
    qq[1] = *d;
    *same = zk_pairing_check(pp, qq, 2);
    return ZK_OK;
}

static int coefs_equal(const zk_zkey *a, const zk_zkey *b)
{
    if (a->n_coefs != b->n_coefs)
        return 0;
    for (size_t i = 0; i < a->n_coefs; i++) {
        const zk_zkey_coef *x = &a->coefs[i], *y = &b->coefs[i];
        if (x->matrix != y->matrix || x->row != y->row || x->wire != y->wire ||
            !zk_fr_eq(&x->value, &y->value))
            return 0;
    }
    return 1;
}

static int g1s_equal(const zk_g1 *a, const zk_g1 *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!zk_g1_eq(&a[i], &b[i]))
            return 0;
    return 1;
}

static int g2s_equal(const zk_g2 *a, const zk_g2 *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!zk_g2_eq(&a[i], &b[i]))
            return 0;
    return 1;
}

int zk_groth16_verify_from_init(const zk_zkey *init, const zk_zkey *z, zk_pool *pool,
                                const char **why, int64_t *index)
{
    if (why != NULL)
        *why = NULL;
    if (index != NULL)
        *index = -1;
    if (init == NULL || z == NULL || !key_is_complete(init) || !key_is_complete(z))
        return ZK_EINVAL;
    zk_g1 g1;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    if (init->n_contributions != 0 || !zk_g1_eq(&init->delta1, &g1) ||
        !zk_g2_eq(&init->delta2, &g2))
        return ZK_EINVAL; /* not an initial key */
    if (init->n_vars != z->n_vars || init->n_public != z->n_public ||
        init->domain_size != z->domain_size)
        return fail_at(why, index, "different circuit parameters", -1);
    if (!zk_g1_eq(&init->alpha1, &z->alpha1))
        return fail_at(why, index, "alpha1 differs", -1);
    if (!zk_g1_eq(&init->beta1, &z->beta1))
        return fail_at(why, index, "beta1 differs", -1);
    if (!zk_g2_eq(&init->beta2, &z->beta2))
        return fail_at(why, index, "beta2 differs", -1);
    if (!zk_g2_eq(&init->gamma2, &z->gamma2))
        return fail_at(why, index, "gamma2 differs", -1);
    if (memcmp(init->cs_hash, z->cs_hash, sizeof z->cs_hash) != 0)
        return fail_at(why, index, "circuit hash differs", -1);

    int rc = zk_groth16_contributions_verify(z, why, index);
    if (rc != ZK_OK)
        return rc;

    if (!g1s_equal(init->ic, z->ic, (size_t)z->n_public + 1))
        return fail_at(why, index, "IC section differs", -1);
    if (!coefs_equal(init, z))
        return fail_at(why, index, "coefficients section differs", -1);
    if (!g1s_equal(init->a, z->a, z->n_vars))
        return fail_at(why, index, "A section differs", -1);
    if (!g1s_equal(init->b1, z->b1, z->n_vars))
        return fail_at(why, index, "B1 section differs", -1);
    if (!g2s_equal(init->b2, z->b2, z->n_vars))
        return fail_at(why, index, "B2 section differs", -1);

    int same;
    rc = points_same_ratio(&same, init->c, z->c, (size_t)z->n_vars - z->n_public - 1,
                           &init->delta2, &z->delta2, pool);
    if (rc != ZK_OK)
        return rc;
    if (!same)
        return fail_at(why, index, "C section does not match delta", -1);
    rc = points_same_ratio(&same, init->h, z->h, z->domain_size, &init->delta2,
                           &z->delta2, pool);
    if (rc != ZK_OK)
        return rc;
    if (!same)
        return fail_at(why, index, "H section does not match delta", -1);
    return ZK_OK;
}
