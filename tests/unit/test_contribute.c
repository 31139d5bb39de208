/*
 * test_contribute.c -- phase-2 contributions (lib/groth16/contribute):
 * hashToG2 against values snarkjs computed, a contribution's algebra
 * checked point by point with pairings on a synthetic key, the transcript
 * recomputed here, names, errors, every kind of tampering caught by the
 * chain check and the check against the initial key, and, when node and
 * the npm packages under tests/interop are installed, interop with
 * snarkjs: `zkey verify` (verifyFromR1cs) accepts our contribution alone
 * and between snarkjs contributions and a beacon, rejects tampered keys,
 * and prints the contribution hashes we compute; our checks accept the
 * keys snarkjs made.
 *
 * All files live in a mkdtemp directory that is removed at the end.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "curve/pairing.h"
#include "field/fr.h"
#include "groth16/contribute.h"
#include "io/r1cs.h"
#include "io/zkey.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"
#include "util/err.h"
#include "util/pool.h"

/* ------------------------------------------------------------ helpers */

static void random_g1s(zk_g1 *out, size_t n)
{
    zk_fr *k = malloc((n ? n : 1) * sizeof *k);
    zk_g1 g;
    if (!k)
        bail_out("oom");
    for (size_t i = 0; i < n; i++)
        zk_fr_random(&k[i]);
    zk_g1_generator(&g);
    if (zk_g1_fixed_base_batch(out, &g, k, n, NULL) != ZK_OK)
        bail_out("fixed_base_batch g1");
    free(k);
}

static void random_g2s(zk_g2 *out, size_t n)
{
    zk_fr *k = malloc((n ? n : 1) * sizeof *k);
    zk_g2 g;
    if (!k)
        bail_out("oom");
    for (size_t i = 0; i < n; i++)
        zk_fr_random(&k[i]);
    zk_g2_generator(&g);
    if (zk_g2_fixed_base_batch(out, &g, k, n, NULL) != ZK_OK)
        bail_out("fixed_base_batch g2");
    free(k);
}

/* A key shaped like `snarkjs groth16 setup` output (delta = 1, no
 * contribution) with random points; C[1] is the point at infinity, as for
 * a private wire that no constraint uses. */
static zk_zkey *synthetic_key(void)
{
    const uint32_t n_vars = 7, n_public = 2, log_domain = 3;
    zk_zkey *z = NULL;
    if (zk_zkey_alloc(&z, n_vars, n_public, log_domain, 5, 0) != ZK_OK || !z)
        bail_out("zk_zkey_alloc");
    random_g1s(&z->alpha1, 1);
    random_g1s(&z->beta1, 1);
    random_g2s(&z->beta2, 1);
    random_g2s(&z->gamma2, 1);
    zk_g1_generator(&z->delta1);
    zk_g2_generator(&z->delta2);
    random_g1s(z->ic, n_public + 1);
    random_g1s(z->a, n_vars);
    random_g1s(z->b1, n_vars);
    random_g2s(z->b2, n_vars);
    random_g1s(z->c, n_vars - n_public - 1);
    zk_g1_set_inf(&z->c[1]);
    random_g1s(z->h, 1u << log_domain);
    for (size_t i = 0; i < z->n_coefs; i++) {
        z->coefs[i].matrix = (uint32_t)(i & 1);
        z->coefs[i].row = (uint32_t)i;
        z->coefs[i].wire = (uint32_t)(i % n_vars);
        zk_fr_set_u64(&z->coefs[i].value, 1000 + i);
    }
    randombytes_buf(z->cs_hash, sizeof z->cs_hash);
    return z;
}

static zk_zkey *clone_key(const zk_zkey *z)
{
    zk_zkey *c = NULL;
    if (zk_zkey_clone(&c, z) != ZK_OK || !c)
        bail_out("zk_zkey_clone");
    return c;
}

static zk_zkey *contribute(const zk_zkey *in, const char *name, zk_pool *pool)
{
    zk_zkey *out = NULL;
    int rc = zk_groth16_contribute(&out, in, name, pool);
    if (rc != ZK_OK || !out)
        bail_out("zk_groth16_contribute: %s", zk_strerror(rc));
    return out;
}

/* e(a1, b2) == e(b1, a2) */
static int ratio_eq(const zk_g1 *a1, const zk_g1 *b1, const zk_g2 *a2, const zk_g2 *b2)
{
    zk_g1 p[2] = { *a1, *b1 };
    zk_g2 q[2] = { *b2, *a2 };
    zk_g1_neg(&p[1], &p[1]);
    return zk_pairing_check(p, q, 2);
}

static void g1_double(zk_g1 *p)
{
    zk_g1j j;
    zk_g1j_from_affine(&j, p);
    zk_g1j_dbl(&j, &j);
    zk_g1_from_jacobian(p, &j);
}

static void g2_double(zk_g2 *p)
{
    zk_g2j j;
    zk_g2j_from_affine(&j, p);
    zk_g2j_dbl(&j, &j);
    zk_g2_from_jacobian(p, &j);
}

static void g1_add_gen(zk_g1 *p)
{
    zk_g1 g;
    zk_g1j j;
    zk_g1_generator(&g);
    zk_g1j_from_affine(&j, p);
    zk_g1j_add_affine(&j, &j, &g);
    zk_g1_from_jacobian(p, &j);
}

static int contributions_equal(const zk_zkey_contribution *a,
                               const zk_zkey_contribution *b)
{
    return zk_g1_eq(&a->delta_after, &b->delta_after) && zk_g1_eq(&a->g1_s, &b->g1_s) &&
           zk_g1_eq(&a->g1_sx, &b->g1_sx) && zk_g2_eq(&a->g2_spx, &b->g2_spx) &&
           memcmp(a->transcript, b->transcript, 64) == 0 && a->type == b->type &&
           a->has_name == b->has_name && strcmp(a->name, b->name) == 0;
}

static int g1_arrays_equal(const zk_g1 *a, const zk_g1 *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!zk_g1_eq(&a[i], &b[i]))
            return 0;
    return 1;
}

static void to_hex(char *out, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

/* ------------------------------------------------------ hash to G2 */

/* snarkjs keypair.js hashToG2 of the 64 bytes (13 i + 101 t) mod 256,
 * computed by snarkjs 0.7.6 / ffjavascript 0.2.63: x.c0, x.c1, y.c0, y.c1. */
static const struct {
    int t;
    const char *c[4];
} HASH_TO_G2_KAT[] = {
    { 0, { "17131810648793839014251509013541575158035547372445509541248025252645018742590",
           "15796565496392626706112144564040057851393463377205363734741005053811979670526",
           "12249216381486746402889258893294441581327431581156222652221141895651981004496",
           "13856971938371503576513594466927498901182047160400000468964400118780631892595" } },
    { 1, { "11115676330566475568835566580506279155177567730704305643436261289433414585270",
           "13888466368509856156965054698576634061648168502292294688631403811260631942197",
           "14005415674022297496828808166014812297507768505766670586320937107342410442065",
           "2391259917917623461543843983870469768524194897409985001427235929937249327566" } },
    { 7, { "19449786935558022995935787820226960238995734192146941109918774405840478510266",
           "8471586524274636490440603440395880219731404164364450029314814411790707995164",
           "12729586231463131190705298356212760474432554247501274798232627608823837858040",
           "6481704898079954302736504266036296844662242311627097352319017520503010038797" } },
};

static void kat_hash(uint8_t h[64], int t)
{
    for (int i = 0; i < 64; i++)
        h[i] = (uint8_t)((i * 13 + t * 101) & 255);
}

static void test_hash_to_g2(void)
{
    for (size_t k = 0; k < sizeof HASH_TO_G2_KAT / sizeof HASH_TO_G2_KAT[0]; k++) {
        uint8_t h[64];
        kat_hash(h, HASH_TO_G2_KAT[k].t);
        zk_g2 p, want;
        zk_groth16_hash_to_g2(&p, h);
        const char *in[6] = { HASH_TO_G2_KAT[k].c[0], HASH_TO_G2_KAT[k].c[1],
                              HASH_TO_G2_KAT[k].c[2], HASH_TO_G2_KAT[k].c[3], "1", "0" };
        if (zk_g2_from_dec(&want, in) != ZK_OK)
            bail_out("KAT point %zu does not decode", k);
        ok(zk_g2_eq(&p, &want), "hashToG2 KAT %zu equals snarkjs's point", k);
    }
    uint8_t h[64], h2[64];
    kat_hash(h, 0);
    zk_g2 p, q;
    zk_groth16_hash_to_g2(&p, h);
    ok(zk_g2_is_on_curve(&p) && zk_g2_in_subgroup_slow(&p) && !zk_g2_is_inf(&p),
       "hashToG2 gives a point of G2 ([r] P = 0 after clearing the cofactor)");
    memcpy(h2, h, 64);
    h2[63] ^= 1;
    zk_groth16_hash_to_g2(&q, h2);
    ok(zk_g2_eq(&p, &q), "only the first 32 bytes seed the generator (as snarkjs)");
    memcpy(h2, h, 64);
    h2[31] ^= 0x80;
    zk_groth16_hash_to_g2(&q, h2);
    ok(!zk_g2_eq(&p, &q), "one bit of the seed changes the point");
}

/* ------------------------------------------------ synthetic contributions */

/* transcript of a first contribution, recomputed from its definition:
 * BLAKE2b-512(csHash || x||y(g1_s) || x||y(g1_sx)), big-endian coordinates */
static void first_transcript(uint8_t out[64], const uint8_t cs_hash[64],
                             const zk_zkey_contribution *c)
{
    crypto_generichash_state st;
    uint8_t b[64];
    crypto_generichash_init(&st, NULL, 0, 64);
    crypto_generichash_update(&st, cs_hash, 64);
    zk_fp_to_bytes_be(b, &c->g1_s.x);
    zk_fp_to_bytes_be(b + 32, &c->g1_s.y);
    crypto_generichash_update(&st, b, 64);
    zk_fp_to_bytes_be(b, &c->g1_sx.x);
    zk_fp_to_bytes_be(b + 32, &c->g1_sx.y);
    crypto_generichash_update(&st, b, 64);
    crypto_generichash_final(&st, out, 64);
}

static void test_contribute_algebra(zk_pool *pool)
{
    zk_zkey *init = synthetic_key();
    zk_zkey *ref = clone_key(init);
    zk_zkey *z = contribute(init, "alice", pool);
    const size_t n_priv = init->n_vars - init->n_public - 1;

    ok(z->n_contributions == 1 && init->n_contributions == 0,
       "one contribution appended; the input key keeps none");
    ok(zk_g1_eq(&init->delta1, &ref->delta1) && zk_g2_eq(&init->delta2, &ref->delta2) &&
       g1_arrays_equal(init->c, ref->c, n_priv) &&
       g1_arrays_equal(init->h, ref->h, init->domain_size),
       "the input key is not modified");
    const zk_zkey_contribution *c = &z->contributions[0];
    ok(c->type == 0 && c->has_name && strcmp(c->name, "alice") == 0,
       "type 0 (contribution), name \"alice\" stored");

    int same = z->n_vars == init->n_vars && z->n_public == init->n_public &&
               z->domain_size == init->domain_size && z->log_domain == init->log_domain &&
               z->n_coefs == init->n_coefs &&
               zk_g1_eq(&z->alpha1, &init->alpha1) && zk_g1_eq(&z->beta1, &init->beta1) &&
               zk_g2_eq(&z->beta2, &init->beta2) && zk_g2_eq(&z->gamma2, &init->gamma2) &&
               g1_arrays_equal(z->ic, init->ic, init->n_public + 1) &&
               g1_arrays_equal(z->a, init->a, init->n_vars) &&
               g1_arrays_equal(z->b1, init->b1, init->n_vars) &&
               memcmp(z->cs_hash, init->cs_hash, 64) == 0;
    for (uint32_t i = 0; same && i < init->n_vars; i++)
        same = zk_g2_eq(&z->b2[i], &init->b2[i]);
    for (size_t i = 0; same && i < init->n_coefs; i++)
        same = z->coefs[i].matrix == init->coefs[i].matrix &&
               z->coefs[i].row == init->coefs[i].row &&
               z->coefs[i].wire == init->coefs[i].wire &&
               zk_fr_eq(&z->coefs[i].value, &init->coefs[i].value);
    ok(same, "sizes, alpha, beta, gamma, IC, coefficients, A, B1, B2, csHash unchanged");

    zk_g1 g1;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    ok(!zk_g1_eq(&z->delta1, &init->delta1) && ratio_eq(&g1, &z->delta1, &g2, &z->delta2),
       "delta changed, e(delta1, G2) = e(G1, delta2)");
    ok(zk_g1_eq(&c->delta_after, &z->delta1), "deltaAfter = the new delta1");

    /* C'_i delta' = C_i delta for every point, each by its own pairing */
    int all = 1;
    for (size_t i = 0; i < n_priv; i++)
        all &= ratio_eq(&z->c[i], &init->c[i], &init->delta2, &z->delta2);
    ok(all && zk_g1_is_inf(&z->c[1]) && !zk_g1_eq(&z->c[0], &init->c[0]),
       "every C point divided by the factor of delta (infinity stays)");
    all = 1;
    for (size_t i = 0; i < init->domain_size; i++)
        all &= ratio_eq(&z->h[i], &init->h[i], &init->delta2, &z->delta2) &&
               !zk_g1_eq(&z->h[i], &init->h[i]);
    ok(all, "every H point divided by the factor of delta");

    uint8_t t[64];
    first_transcript(t, init->cs_hash, c);
    ok(memcmp(t, c->transcript, 64) == 0,
       "transcript = BLAKE2b-512(csHash || U(g1_s) || U(g1_sx))");
    zk_g2 sp;
    zk_groth16_hash_to_g2(&sp, c->transcript);
    ok(ratio_eq(&c->g1_s, &c->g1_sx, &sp, &c->g2_spx) && !zk_g1_is_inf(&c->g1_s),
       "e(g1_s, g2_spx) = e(g1_sx, hashToG2(transcript))");
    ok(ratio_eq(&init->delta1, &c->delta_after, &sp, &c->g2_spx),
       "deltaAfter / delta = g2_spx / g2_sp");

    const char *why = "x";
    int64_t idx = 7;
    is_int(zk_groth16_contributions_verify(z, &why, &idx), ZK_OK, "chain check accepts it");
    ok(why == NULL && idx == -1, "no reason, index -1 on success");
    is_int(zk_groth16_contributions_verify(init, NULL, NULL), ZK_OK,
           "chain check accepts the initial key (no contribution, delta = 1)");
    is_int(zk_groth16_verify_from_init(init, z, pool, &why, &idx), ZK_OK,
           "check against the initial key accepts it");

    /* a second contribution, same name: chained, and unlike a sibling */
    zk_zkey *z2 = contribute(z, "alice", NULL);
    zk_zkey *sib = contribute(init, "alice", pool);
    ok(z2->n_contributions == 2 && contributions_equal(&z2->contributions[0], c) &&
       strcmp(z2->contributions[1].name, "alice") == 0,
       "second contribution keeps the first one");
    is_int(zk_groth16_verify_from_init(init, z2, NULL, NULL, NULL), ZK_OK,
           "a chain of two verifies against the initial key");
    ok(!zk_g1_eq(&sib->delta1, &z->delta1) && !zk_g1_eq(&sib->c[0], &z->c[0]) &&
       !zk_g1_eq(&sib->h[0], &z->h[0]) &&
       memcmp(sib->contributions[0].transcript, c->transcript, 64) != 0 &&
       !zk_g1_eq(&sib->contributions[0].g1_s, &c->g1_s),
       "two contributions with the same name give different keys");
    uint8_t h1[64], h2[64];
    zk_groth16_contribution_hash(h1, c);
    zk_groth16_contribution_hash(h2, &sib->contributions[0]);
    ok(memcmp(h1, h2, 64) != 0, "and different contribution hashes");
    is_int(zk_groth16_verify_from_init(init, sib, NULL, NULL, NULL), ZK_OK,
           "the sibling descends from the initial key too");
    is_int(zk_groth16_verify_from_init(z, sib, NULL, NULL, NULL), ZK_EINVAL,
           "a contributed key is refused as the initial key");

    zk_zkey_free(sib);
    zk_zkey_free(z2);
    zk_zkey_free(z);
    zk_zkey_free(ref);
    zk_zkey_free(init);
}

static void test_names(void)
{
    zk_zkey *init = synthetic_key();
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        { NULL, NULL },
        { "", NULL },
        { "x", "x" },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
        { "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbXYZ",
          "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
        /* 63 bytes then a 2-byte character: cut before it */
        { "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\xc3\xa9",
          "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc" },
        /* 2-byte characters: 64 bytes is 32 whole ones */
        { "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
          "\xc3\xa9\xc3\xa9" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        zk_zkey *z = contribute(init, cases[k].in, NULL);
        const zk_zkey_contribution *c = &z->contributions[0];
        if (cases[k].want == NULL)
            ok(!c->has_name && c->name[0] == '\0', "name case %zu: none stored", k);
        else
            ok(c->has_name && strcmp(c->name, cases[k].want) == 0 &&
               strlen(c->name) <= ZK_CONTRIBUTION_NAME_MAX,
               "name case %zu: \"%s\" (%zu bytes)", k, c->name, strlen(c->name));
        zk_zkey_free(z);
    }
    zk_zkey_free(init);
}

static void test_errors(void)
{
    zk_zkey *init = synthetic_key();
    zk_zkey *out = (zk_zkey *)init;
    is_int(zk_groth16_contribute(NULL, init, "n", NULL), ZK_EINVAL, "NULL out");
    is_int(zk_groth16_contribute(&out, NULL, "n", NULL), ZK_EINVAL, "NULL key");
    ok(out == NULL, "*out = NULL on error");

    zk_zkey k = *init; /* shallow: never freed */
    k.h = NULL;
    k.b2 = NULL;
    out = init;
    is_int(zk_groth16_contribute(&out, &k, "n", NULL), ZK_EINVAL,
           "a key without proving sections (VK only)");
    ok(out == NULL, "*out = NULL for it");
    k = *init;
    k.n_contributions = UINT32_MAX;
    zk_zkey_contribution dummy;
    k.contributions = &dummy; /* never read: refused before */
    is_int(zk_groth16_contribute(&out, &k, "n", NULL), ZK_EINVAL,
           "a key with UINT32_MAX contributions");
    k = *init;
    k.domain_size = 6;
    is_int(zk_groth16_contribute(&out, &k, "n", NULL), ZK_EINVAL,
           "a domain size that is not 2^log_domain");

    is_int(zk_groth16_contributions_verify(NULL, NULL, NULL), ZK_EINVAL, "verify NULL key");
    k = *init;
    k.n_contributions = 1;
    k.contributions = NULL;
    is_int(zk_groth16_contributions_verify(&k, NULL, NULL), ZK_EINVAL,
           "verify: contributions NULL with a count");
    is_int(zk_groth16_verify_from_init(NULL, init, NULL, NULL, NULL), ZK_EINVAL,
           "verify_from_init NULL init");
    is_int(zk_groth16_verify_from_init(init, NULL, NULL, NULL, NULL), ZK_EINVAL,
           "verify_from_init NULL key");
    k = *init;
    k.h = NULL;
    is_int(zk_groth16_verify_from_init(init, &k, NULL, NULL, NULL), ZK_EINVAL,
           "verify_from_init a key without H");
    zk_zkey_free(init);
}

/* One tampering: mutate a clone of good, expect both checks to answer. */
typedef void (*tamper_fn)(zk_zkey *z);

static void t_transcript(zk_zkey *z) { z->contributions[z->n_contributions - 1].transcript[5] ^= 1; }
static void t_g1_sx(zk_zkey *z) { g1_double(&z->contributions[z->n_contributions - 1].g1_sx); }
static void t_g2_spx(zk_zkey *z) { g2_double(&z->contributions[z->n_contributions - 1].g2_spx); }
static void t_g2_spx_twist(zk_zkey *z)
{
    zk_g2_twist_point_from_seed(&z->contributions[z->n_contributions - 1].g2_spx, 5);
}
static void t_delta_all(zk_zkey *z)
{
    /* deltaAfter, delta1 and delta2 all doubled: consistent with each
     * other, but not with the public key */
    g1_double(&z->contributions[z->n_contributions - 1].delta_after);
    g1_double(&z->delta1);
    g2_double(&z->delta2);
}
static void t_delta_key(zk_zkey *z)
{
    g1_double(&z->delta1);
    g2_double(&z->delta2);
}
static void t_delta2(zk_zkey *z) { g2_double(&z->delta2); }
static void t_first_of_two(zk_zkey *z) { z->contributions[0].transcript[63] ^= 0x40; }
static void t_cs_hash(zk_zkey *z) { z->cs_hash[0] ^= 1; }
static void t_beacon(zk_zkey *z)
{
    zk_zkey_contribution *c = &z->contributions[z->n_contributions - 1];
    c->type = 1;
    c->num_iterations_exp = 2;
    c->beacon_hash_len = 4;
    memcpy(c->beacon_hash, "abcd", 4);
}
static void t_c(zk_zkey *z) { g1_add_gen(&z->c[2]); }
static void t_h(zk_zkey *z) { g1_add_gen(&z->h[1]); }
static void t_a(zk_zkey *z) { g1_add_gen(&z->a[0]); }
static void t_ic(zk_zkey *z) { g1_add_gen(&z->ic[1]); }
static void t_b2(zk_zkey *z) { g2_double(&z->b2[3]); }
static void t_coef(zk_zkey *z) { zk_fr_add(&z->coefs[2].value, &z->coefs[2].value, &z->coefs[0].value); }
static void t_alpha(zk_zkey *z) { g1_add_gen(&z->alpha1); }

static void test_tamper(void)
{
    zk_zkey *init = synthetic_key();
    zk_zkey *one = contribute(init, "one", NULL);
    zk_zkey *two = contribute(one, "two", NULL);
    static const struct {
        const char *what;
        tamper_fn fn;
        int on_two;      /* tamper the 2-contribution key */
        int chain_fails; /* the chain check alone sees it */
        const char *why; /* expected reason (prefix) */
        int64_t index;
    } cases[] = {
        { "transcript", t_transcript, 0, 1, "inconsistent transcript", 0 },
        { "g1_sx", t_g1_sx, 0, 1, "inconsistent transcript", 0 },
        { "g2_spx doubled", t_g2_spx, 0, 1, "public key G1 and G2", 0 },
        { "g2_spx off G2", t_g2_spx_twist, 0, 1, "contribution point not in its group", 0 },
        { "deltaAfter and delta doubled", t_delta_all, 0, 1, "deltaAfter does not follow", 0 },
        { "second deltaAfter and delta doubled", t_delta_all, 1, 1, "deltaAfter does not follow", 1 },
        { "delta1 and delta2 doubled", t_delta_key, 0, 1, "delta1 is not the last", -1 },
        { "delta2 doubled", t_delta2, 0, 1, "delta2 does not match", -1 },
        { "first of two transcripts", t_first_of_two, 1, 1, "inconsistent transcript", 0 },
        { "circuit hash", t_cs_hash, 1, 1, "circuit hash differs", -1 },
        { "claimed beacon", t_beacon, 1, 1, "key of the beacon", 1 },
        { "one C point", t_c, 0, 0, "C section", -1 },
        { "one H point", t_h, 1, 0, "H section", -1 },
        { "one A point", t_a, 0, 0, "A section", -1 },
        { "one IC point", t_ic, 0, 0, "IC section", -1 },
        { "one B2 point", t_b2, 0, 0, "B2 section", -1 },
        { "one coefficient", t_coef, 0, 0, "coefficients", -1 },
        { "alpha1", t_alpha, 0, 0, "alpha1", -1 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        zk_zkey *z = clone_key(cases[k].on_two ? two : one);
        cases[k].fn(z);
        const char *why = NULL;
        int64_t idx = 99;
        int rc_chain = zk_groth16_contributions_verify(z, NULL, NULL);
        int rc = zk_groth16_verify_from_init(init, z, NULL, &why, &idx);
        int want_chain = cases[k].chain_fails ? ZK_EVERIFY : ZK_OK;
        /* the circuit hash is compared before the chain by verify_from_init */
        ok(rc_chain == want_chain && rc == ZK_EVERIFY && why &&
           strncmp(why, cases[k].why, strlen(cases[k].why)) == 0 && idx == cases[k].index,
           "tampered %s: chain check %s, check from init says \"%s\" at %lld",
           cases[k].what, rc_chain == ZK_OK ? "passes" : "fails", why ? why : "(none)",
           (long long)idx);
        zk_zkey_free(z);
    }
    /* the untampered keys pass */
    ok(zk_groth16_verify_from_init(init, one, NULL, NULL, NULL) == ZK_OK &&
       zk_groth16_verify_from_init(init, two, NULL, NULL, NULL) == ZK_OK,
       "the untampered keys pass");
    /* a beacon exponent above the limit cannot be checked */
    zk_zkey *z = clone_key(one);
    t_beacon(z);
    z->contributions[0].num_iterations_exp = 41;
    is_int(zk_groth16_contributions_verify(z, NULL, NULL), ZK_EUNSUPPORTED,
           "beacon of 2^41 iterations: not checked (ZK_EUNSUPPORTED)");
    zk_zkey_free(z);
    zk_zkey_free(two);
    zk_zkey_free(one);
    zk_zkey_free(init);
}

static void test_roundtrip(void)
{
    zk_zkey *init = synthetic_key();
    zk_zkey *z = contribute(init, "round trip", NULL);
    zk_zkey *back = NULL;
    int rc = zk_zkey_write(tpath("rt.zkey"), z);
    is_int(rc, ZK_OK, "write the contributed key");
    rc = rc ? rc : zk_zkey_read(&back, tpath("rt.zkey"), ZK_ZKEY_CHECK_G2, NULL, NULL, NULL);
    is_int(rc, ZK_OK, "read it back");
    ok(back && back->n_contributions == 1 &&
       contributions_equal(&back->contributions[0], &z->contributions[0]) &&
       zk_g1_eq(&back->delta1, &z->delta1) && zk_g2_eq(&back->delta2, &z->delta2) &&
       g1_arrays_equal(back->h, z->h, z->domain_size),
       "the contribution, delta and H survive the file");
    ok(back && zk_groth16_verify_from_init(init, back, NULL, NULL, NULL) == ZK_OK,
       "the read-back key verifies");
    zk_zkey *vk = NULL;
    zk_zkey *o = (zk_zkey *)z;
    if (zk_zkey_read(&vk, tpath("rt.zkey"), ZK_ZKEY_VK_ONLY, NULL, NULL, NULL) == ZK_OK) {
        is_int(zk_groth16_contribute(&o, vk, "n", NULL), ZK_EINVAL,
               "contribute to a ZK_ZKEY_VK_ONLY key: ZK_EINVAL");
        is_int(zk_groth16_contributions_verify(vk, NULL, NULL), ZK_OK,
               "but its chain can be checked");
    } else {
        ok(0, "read VK only");
        ok(0, "read VK only");
    }
    zk_zkey_free(vk);
    zk_zkey_free(back);
    zk_zkey_free(z);
    zk_zkey_free(init);
    dir_clear();
}

/* ------------------------------------------------------------ interop */

static zk_fr fr_u64(uint64_t v)
{
    zk_fr x;
    zk_fr_set_u64(&x, v);
    return x;
}

/* z = x y, q = z (z + 3), q = out + 2 y: 3 constraints over the wires
 * 0 one, 1 out (public output), 2 x (public input), 3 y (private input),
 * 4 z, 5 q. */
static void write_circuit(const char *path)
{
    zk_r1cs *cs = NULL;
    if (zk_r1cs_new(&cs, 1, 1, 1, 6) != ZK_OK)
        bail_out("zk_r1cs_new");
    zk_r1cs_term a[2], b[2], c[2];
    a[0] = (zk_r1cs_term){ 2, fr_u64(1) };
    b[0] = (zk_r1cs_term){ 3, fr_u64(1) };
    c[0] = (zk_r1cs_term){ 4, fr_u64(1) };
    int rc = zk_r1cs_add_constraint(cs, a, 1, b, 1, c, 1);
    a[0] = (zk_r1cs_term){ 4, fr_u64(1) };
    b[0] = (zk_r1cs_term){ 0, fr_u64(3) };
    b[1] = (zk_r1cs_term){ 4, fr_u64(1) };
    c[0] = (zk_r1cs_term){ 5, fr_u64(1) };
    rc |= zk_r1cs_add_constraint(cs, a, 1, b, 2, c, 1);
    a[0] = (zk_r1cs_term){ 5, fr_u64(1) };
    b[0] = (zk_r1cs_term){ 0, fr_u64(1) };
    c[0] = (zk_r1cs_term){ 1, fr_u64(1) };
    c[1] = (zk_r1cs_term){ 3, fr_u64(2) };
    rc |= zk_r1cs_add_constraint(cs, a, 1, b, 1, c, 2);
    if (rc != 0 || zk_r1cs_write(path, cs) != ZK_OK)
        bail_out("build the circuit");
    zk_r1cs_free(cs);
}

/* "RESULT <file> <0|1>" -> 1 / 0, -1 when absent */
static int node_result(const char *out, const char *file)
{
    char key[256];
    snprintf(key, sizeof key, "RESULT %s ", file);
    const char *p = strstr(out, key);
    return p ? p[strlen(key)] == '1' : -1;
}

/* "HASH <file> <i> <hex> <name>" -> 1 when hex matches, 0 when not, -1
 * when the line is absent */
static int node_hash(const char *out, const char *file, uint32_t i, const char *hex,
                     const char *name)
{
    char key[256];
    snprintf(key, sizeof key, "HASH %s %u ", file, i);
    const char *p = strstr(out, key);
    if (!p)
        return -1;
    p += strlen(key);
    if (strncmp(p, hex, 128) != 0 || p[128] != ' ')
        return 0;
    p += 129;
    size_t nl = strcspn(p, "\n");
    return strlen(name) == nl && strncmp(p, name, nl) == 0;
}

static zk_zkey *read_key(const char *name)
{
    zk_zkey *z = NULL;
    const char *where = NULL;
    int rc = zk_zkey_read(&z, tpath(name), ZK_ZKEY_CHECK_G2, NULL, &where, NULL);
    if (rc != ZK_OK)
        bail_out("read %s: %s (%s)", name, zk_strerror(rc), where ? where : "-");
    return z;
}

static void write_key(const char *name, const zk_zkey *z)
{
    if (zk_zkey_write(tpath(name), z) != ZK_OK)
        bail_out("write %s", name);
}

#define SETUP_JS \
    "import * as s from \"%s/snarkjs/main.js\";\n" \
    "const curve = await s.curves.getCurveFromName(\"bn128\");\n" \
    "await s.powersOfTau.newAccumulator(curve, 6, \"p0.ptau\");\n" \
    "await s.powersOfTau.contribute(\"p0.ptau\", \"p1.ptau\", \"p\", \"e1\");\n" \
    "await s.powersOfTau.preparePhase2(\"p1.ptau\", \"pot.ptau\");\n" \
    "await s.zKey.newZKey(\"c.r1cs\", \"pot.ptau\", \"init.zkey\");\n" \
    "await s.zKey.contribute(\"init.zkey\", \"s1.zkey\", \"snark one\", \"e2\");\n" \
    "await curve.terminate();\n" \
    "process.exit(0);\n"

/* contribute after ours, a beacon, then verify every file named */
#define VERIFY_JS \
    "import * as s from \"%s/snarkjs/main.js\";\n" \
    "let cur = null;\n" \
    "const logger = { debug() {}, warn() {},\n" \
    "  error(m) { console.log(\"ERR \" + cur + \" \" + m); },\n" \
    "  info(m) {\n" \
    "    const k = m.match(/^contribution #(\\d+) (.*):\\n([\\s\\S]*)$/);\n" \
    "    if (k) console.log(\"HASH \" + cur + \" \" + (k[1] - 1) + \" \" +\n" \
    "                       k[3].replace(/\\s+/g, \"\") + \" \" + k[2]);\n" \
    "  } };\n" \
    "await s.zKey.contribute(\"mix.zkey\", \"mix2.zkey\", \"snark three\", \"e3\");\n" \
    "await s.zKey.beacon(\"mix2.zkey\", \"mix3.zkey\", \"the beacon\",\n" \
    "  \"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20\", 10,\n" \
    "  logger);\n" \
    "for (const f of process.argv.slice(2)) {\n" \
    "  cur = f;\n" \
    "  let r;\n" \
    "  try { r = await s.zKey.verifyFromR1cs(\"c.r1cs\", \"pot.ptau\", f, logger); }\n" \
    "  catch (e) { r = false; console.log(\"EXC \" + f + \" \" + e.message); }\n" \
    "  console.log(\"RESULT \" + f + \" \" + (r === true ? 1 : 0));\n" \
    "}\n" \
    "process.exit(0);\n"

#define INTEROP_TESTS 17

static void test_interop(void)
{
    const char *nm = interop_dir("snarkjs/main.js");
    if (!nm) {
        skip(INTEROP_TESTS, "%s", interop_why());
        return;
    }
    write_circuit(tpath("c.r1cs"));
    if (node_mjs("setup", "", SETUP_JS, nm) != 0 || !exists(tpath("s1.zkey"))) {
        diag_file("setup.err", 3000);
        skip(INTEROP_TESTS, "snarkjs setup failed");
        dir_clear();
        return;
    }
    zk_zkey *init = read_key("init.zkey");
    zk_zkey *s1 = read_key("s1.zkey");
    const char *why = NULL;
    int64_t idx = -1;
    int rc = zk_groth16_verify_from_init(init, s1, NULL, &why, &idx);
    ok(rc == ZK_OK, "our check accepts snarkjs's contribution (%s)", why ? why : "ok");

    /* ours alone, and ours after snarkjs's */
    zk_zkey *ours = contribute(init, "zkpar one", NULL);
    zk_zkey *mix = contribute(s1, "zkpar two", NULL);
    write_key("ours.zkey", ours);
    write_key("mix.zkey", mix);

    /* tampered copies of ours */
    static const struct {
        const char *file;
        tamper_fn fn;
    } bad[] = {
        { "t_delta.zkey", t_delta_all },
        { "t_transcript.zkey", t_transcript },
        { "t_c.zkey", t_c },
        { "t_h.zkey", t_h },
    };
    const size_t nbad = sizeof bad / sizeof bad[0];
    for (size_t k = 0; k < nbad; k++) {
        zk_zkey *t = clone_key(ours);
        bad[k].fn(t);
        write_key(bad[k].file, t);
        zk_zkey_free(t);
    }

    rc = node_mjs("verify",
                  "ours.zkey mix3.zkey t_delta.zkey t_transcript.zkey t_c.zkey t_h.zkey",
                  VERIFY_JS, nm);
    char *out = read_text(tpath("verify.out"));
    if (rc != 0) {
        diag("node exit %d:\n%s", rc, out);
        diag_file("verify.err", 3000);
    }
    is_int(node_result(out, "ours.zkey"), 1, "snarkjs zkey verify accepts our contribution");
    is_int(node_result(out, "mix3.zkey"), 1,
           "snarkjs zkey verify accepts snarkjs, ours, snarkjs, beacon");
    for (size_t k = 0; k < nbad; k++)
        is_int(node_result(out, bad[k].file), 0, "snarkjs zkey verify rejects %s",
               bad[k].file);

    /* the file snarkjs extended */
    zk_zkey *mix3 = exists(tpath("mix3.zkey")) ? read_key("mix3.zkey") : NULL;
    ok(mix3 && mix3->n_contributions == 4 &&
       contributions_equal(&mix3->contributions[0], &s1->contributions[0]) &&
       contributions_equal(&mix3->contributions[1], &mix->contributions[1]) &&
       mix3->contributions[3].type == 1,
       "snarkjs kept our contribution in the chain");
    why = NULL;
    rc = mix3 ? zk_groth16_verify_from_init(init, mix3, NULL, &why, &idx) : -100;
    ok(rc == ZK_OK, "our check accepts snarkjs, ours, snarkjs, beacon (%s)",
       why ? why : "ok");

    /* contribution hashes and names as snarkjs prints them */
    int hashes = mix3 != NULL;
    for (uint32_t i = 0; mix3 && i < mix3->n_contributions; i++) {
        uint8_t h[64];
        char hex[129];
        zk_groth16_contribution_hash(h, &mix3->contributions[i]);
        to_hex(hex, h, 64);
        hashes &= node_hash(out, "mix3.zkey", i, hex, mix3->contributions[i].name) == 1;
    }
    ok(hashes, "the 4 contribution hashes and names equal snarkjs's");
    {
        uint8_t h[64];
        char hex[129];
        zk_groth16_contribution_hash(h, &ours->contributions[0]);
        to_hex(hex, h, 64);
        is_int(node_hash(out, "ours.zkey", 0, hex, "zkpar one"), 1,
               "snarkjs reads our name and hashes our contribution as we do");
    }

    /* our checks reject what snarkjs rejected, read back from the files */
    for (size_t k = 0; k < nbad; k++) {
        zk_zkey *t = read_key(bad[k].file);
        why = NULL;
        rc = zk_groth16_verify_from_init(init, t, NULL, &why, &idx);
        ok(rc == ZK_EVERIFY, "our check rejects %s (%s)", bad[k].file, why ? why : "-");
        zk_zkey_free(t);
    }
    /* a beacon whose hash is changed */
    if (mix3) {
        zk_zkey *t = clone_key(mix3);
        t->contributions[3].beacon_hash[0] ^= 1;
        why = NULL;
        rc = zk_groth16_contributions_verify(t, &why, &idx);
        ok(rc == ZK_EVERIFY && idx == 3, "a changed beacon hash is caught (%s)",
           why ? why : "-");
        zk_zkey_free(t);
    } else {
        ok(0, "a changed beacon hash is caught (no mix3.zkey)");
    }
    /* snarkjs's contribution of our key still verifies */
    zk_zkey *mix2 = exists(tpath("mix2.zkey")) ? read_key("mix2.zkey") : NULL;
    ok(mix2 && zk_groth16_contributions_verify(mix2, NULL, NULL) == ZK_OK &&
       strcmp(mix2->contributions[2].name, "snark three") == 0,
       "snarkjs's contribution on top of ours passes our chain check");

    free(out);
    zk_zkey_free(mix2);
    zk_zkey_free(mix3);
    zk_zkey_free(mix);
    zk_zkey_free(ours);
    zk_zkey_free(s1);
    zk_zkey_free(init);
    dir_clear();
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    testdir_make("zkpar-contribute");
    zk_pool *pool = NULL;
    if (zk_pool_new(&pool, 2) != ZK_OK)
        bail_out("zk_pool_new");

    test_hash_to_g2();
    test_contribute_algebra(pool);
    test_contribute_algebra(NULL);
    test_names();
    test_errors();
    test_tamper();
    test_roundtrip();
    test_interop();

    zk_pool_free(pool);
    testdir_remove();
    return done_testing();
}
