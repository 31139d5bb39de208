/*
 * test_gt -- G_T of BN254 (lib/curve/gt.h).
 *
 *  - the Frobenius split: p - r = 6z^2 and Phi_12(6z^2) = 0 mod r (GMP),
 *    frob(x) = x^(6z^2) on G_T, and zk_gt_split_var's congruence and
 *    64-bit bound on random and edge scalars;
 *  - zk_gt_pow_var against zk_fp12_pow_var (square-and-multiply) and
 *    against bilinearity e(aP, Q) = e(P, Q)^a; exponents 0, 1, 2, r-1
 *    and r (which is 0 as an Fr scalar); aliasing;
 *  - zk_gt_multi_pow_var against the product of reference powers for
 *    n = 0, 1, 2, 3, 17, 100;
 *  - the subgroup check's exponent has gcd r with p^4 - p^2 + 1 (GMP);
 *  - zk_gt_in_group_var against zk_fp12_in_gt on G_T elements, cyclotomic
 *    elements of other orders, random Fp12 elements, 0, 1, -1;
 *  - compressed (192-byte torus) and uncompressed (384-byte) encodings:
 *    round trips, canonical re-encoding, and every rejection class with its
 *    error code.
 * Inputs come from libsodium's generator.
 */
#include <gmp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/gt.h"
#include "curve/pairing.h"
#include "field/constants.h"
#include "field/fp12.h"
#include "tap.h"

static zk_fp12 GEN; /* e(G1, G2) */

static void mpz_of_limbs(mpz_t z, const uint64_t l[4])
{
    mpz_import(z, 4, -1, 8, 0, 0, l);
}

/* reference: square-and-multiply over the canonical limbs of k */
static void ref_pow(zk_fp12 *r, const zk_fp12 *a, const zk_fr *k)
{
    uint64_t e[4];
    zk_fr_to_limbs(e, k);
    zk_fp12_pow_var(r, a, e, 4);
}

static void rand_gt(zk_fp12 *x)
{
    zk_fr k;
    zk_fr_random(&k);
    ref_pow(x, &GEN, &k);
}

/* an element of the cyclotomic subgroup that is not in G_T:
 * f^((p^6 - 1)(p^2 + 1)) for a random f (its order divides
 * p^4 - p^2 + 1 = r h; it is outside G_T unless its h-part is trivial) */
static void rand_cyclotomic(zk_fp12 *g)
{
    zk_fp c[12];
    zk_fp12 f, t;
    for (int i = 0; i < 12; i++)
        zk_fp_random(&c[i]);
    zk_fp12_set_coeffs(&f, c);
    if (zk_fp12_inv(&t, &f) != 0)
        bail_out("random Fp12 element is zero");
    zk_fp12_conj(&f, &f);
    zk_fp12_mul(&f, &f, &t); /* f^(p^6 - 1) */
    zk_fp12_frobenius(&t, &f, 2);
    zk_fp12_mul(g, &t, &f); /* ^(p^2 + 1) */
}

static void fr_from_mpz(zk_fr *k, const mpz_t z)
{
    uint64_t l[4] = {0, 0, 0, 0};
    mpz_export(l, NULL, -1, 8, 0, 0, z);
    if (zk_fr_from_limbs(k, l) != 0)
        bail_out("fr_from_mpz: out of range");
}

static void test_constants(mpz_t p, mpz_t r, mpz_t z, mpz_t lam)
{
    static const uint64_t pl[4] = ZK_FP_MODULUS, rl[4] = ZK_FR_MODULUS;
    mpz_t t, u;
    mpz_inits(t, u, NULL);
    mpz_of_limbs(p, pl);
    mpz_of_limbs(r, rl);
    mpz_set_ui(z, ZK_BN_Z);
    mpz_mul(lam, z, z);
    mpz_mul_ui(lam, lam, 6);
    mpz_sub(t, p, r);
    ok(mpz_cmp(t, lam) == 0, "p - r == 6z^2 (so p = 6z^2 mod r)");
    /* lambda^4 - lambda^2 + 1 = 0 mod r */
    mpz_powm_ui(t, lam, 4, r);
    mpz_powm_ui(u, lam, 2, r);
    mpz_sub(t, t, u);
    mpz_add_ui(t, t, 1);
    ok(mpz_divisible_p(t, r), "lambda^4 - lambda^2 + 1 == 0 mod r");
    /* the subgroup check's exponent s = (2z+1) + 2z p^2 + p^3:
     * s = 0 mod r (through lambda) and gcd(s, p^4 - p^2 + 1) == r */
    {
        mpz_t s, phi, g;
        mpz_inits(s, phi, g, NULL);
        mpz_pow_ui(s, p, 3);
        mpz_pow_ui(t, p, 2);
        mpz_mul(t, t, z);
        mpz_addmul_ui(s, t, 2);
        mpz_addmul_ui(s, z, 2);
        mpz_add_ui(s, s, 1);
        mpz_pow_ui(phi, p, 4);
        mpz_pow_ui(t, p, 2);
        mpz_sub(phi, phi, t);
        mpz_add_ui(phi, phi, 1);
        mpz_gcd(g, s, phi);
        ok(mpz_cmp(g, r) == 0, "gcd((2z+1) + 2z p^2 + p^3, p^4 - p^2 + 1) == r");
        mpz_clears(s, phi, g, NULL);
    }

    /* frob^j(x) == x^(lambda^j) for x in G_T */
    int frob_ok = 1;
    for (int rep = 0; rep < 2; rep++) {
        zk_fp12 x, f, y;
        zk_fr lj;
        rand_gt(&x);
        for (unsigned j = 1; j <= 3; j++) {
            mpz_powm_ui(t, lam, j, r);
            fr_from_mpz(&lj, t);
            zk_fp12_frobenius(&f, &x, j);
            ref_pow(&y, &x, &lj);
            frob_ok &= zk_fp12_eq(&f, &y);
        }
    }
    ok(frob_ok, "frobenius^j(x) == x^(6z^2)^j on G_T, j = 1, 2, 3");
    mpz_clears(t, u, NULL);
}

static void test_split(const mpz_t r, const mpz_t z, const mpz_t lam)
{
    mpz_t acc, term, kz, bound, m;
    mpz_inits(acc, term, kz, bound, m, NULL);
    /* (7z + 3) / 2 */
    mpz_mul_ui(bound, z, 7);
    mpz_add_ui(bound, bound, 3);
    mpz_fdiv_q_2exp(bound, bound, 1);
    int cong = 1, small = 1;
    for (int it = 0; it < 1000 + 6; it++) {
        zk_fr k;
        uint64_t mag[4], kl[4];
        int neg[4];
        switch (it) {
        case 0: zk_fr_zero(&k); break;
        case 1: zk_fr_one(&k); break;
        case 2: zk_fr_one(&k); zk_fr_neg(&k, &k); break; /* r - 1 */
        case 3: fr_from_mpz(&k, lam); break;
        case 4: mpz_sub_ui(m, lam, 1); fr_from_mpz(&k, m); break;
        case 5: mpz_fdiv_q_2exp(m, r, 1); fr_from_mpz(&k, m); break;
        default: zk_fr_random(&k); break;
        }
        zk_gt_split_var(mag, neg, &k);
        zk_fr_to_limbs(kl, &k);
        mpz_of_limbs(kz, kl);
        mpz_set_ui(acc, 0);
        for (int i = 3; i >= 0; i--) {
            mpz_mul(acc, acc, lam);
            mpz_import(m, 1, -1, 8, 0, 0, &mag[i]);
            if (neg[i])
                mpz_sub(acc, acc, m);
            else
                mpz_add(acc, acc, m);
            small &= mpz_cmp(m, bound) <= 0;
        }
        mpz_sub(acc, acc, kz);
        cong &= mpz_divisible_p(acc, r) != 0;
    }
    ok(cong, "split: k == sum (+-mag_i) lambda^i mod r (0, 1, r-1, lambda, lambda-1, r/2, 1000 random)");
    ok(small, "split: every |k_i| <= (7z + 3)/2 < 2^64");
    mpz_clears(acc, term, kz, bound, m, NULL);
}

static void test_pow(const mpz_t r)
{
    zk_fp12 a, x, y, one;
    zk_fr k;
    zk_gt_one(&one);

    int same = 1;
    for (int i = 0; i < 20; i++) {
        rand_gt(&a);
        zk_fr_random(&k);
        zk_gt_pow_var(&x, &a, &k);
        ref_pow(&y, &a, &k);
        same &= zk_gt_eq(&x, &y);
    }
    ok(same, "pow_var(a, k) == fp12_pow_var(a, k) (20 random)");

    /* small exponents exercise single digits and short chains */
    same = 1;
    for (uint64_t e = 0; e < 40; e++) {
        rand_gt(&a);
        zk_fr_set_u64(&k, e);
        zk_gt_pow_var(&x, &a, &k);
        ref_pow(&y, &a, &k);
        same &= zk_gt_eq(&x, &y);
    }
    ok(same, "pow_var(a, e) == fp12_pow_var(a, e) for e = 0..39");

    rand_gt(&a);
    zk_fr_zero(&k);
    zk_gt_pow_var(&x, &a, &k);
    ok(zk_gt_is_one(&x), "a^0 == 1");
    zk_fr_one(&k);
    zk_gt_pow_var(&x, &a, &k);
    ok(zk_gt_eq(&x, &a), "a^1 == a");
    zk_fr_set_u64(&k, 2);
    zk_gt_pow_var(&x, &a, &k);
    zk_gt_mul(&y, &a, &a);
    ok(zk_gt_eq(&x, &y), "a^2 == a a");
    zk_fr_one(&k);
    zk_fr_neg(&k, &k);
    zk_gt_pow_var(&x, &a, &k);
    zk_gt_inv(&y, &a);
    ok(zk_gt_eq(&x, &y), "a^(r-1) == inv(a) == conj(a)");
    zk_gt_mul(&y, &y, &a);
    ok(zk_gt_is_one(&y), "a inv(a) == 1");
    {
        /* r as an exponent: a^r == 1, the same as the Fr scalar r = 0 */
        uint64_t rl[4];
        mpz_export(rl, NULL, -1, 8, 0, 0, r);
        zk_fp12_pow_var(&y, &a, rl, 4);
        zk_fr_zero(&k);
        zk_gt_pow_var(&x, &a, &k);
        ok(zk_gt_is_one(&y) && zk_gt_eq(&x, &y), "a^r == 1 == pow_var(a, r mod r)");
    }
    zk_gt_pow_var(&x, &one, &k);
    zk_fr_random(&k);
    zk_gt_pow_var(&y, &one, &k);
    ok(zk_gt_is_one(&x) && zk_gt_is_one(&y), "1^k == 1");

    /* aliasing r == a */
    rand_gt(&a);
    zk_fr_random(&k);
    ref_pow(&y, &a, &k);
    x = a;
    zk_gt_pow_var(&x, &x, &k);
    ok(zk_gt_eq(&x, &y), "pow_var with r aliasing a");

    /* (a^k1)^k2 == a^(k1 k2) */
    {
        zk_fr k2, kk;
        zk_fr_random(&k2);
        zk_gt_pow_var(&x, &a, &k);
        zk_gt_pow_var(&x, &x, &k2);
        zk_fr_mul(&kk, &k, &k2);
        zk_gt_pow_var(&y, &a, &kk);
        ok(zk_gt_eq(&x, &y), "(a^k1)^k2 == a^(k1 k2)");
    }
}

static void test_bilinear(void)
{
    zk_g1 g1, p;
    zk_g2 g2;
    zk_g1j j;
    zk_fp12 lhs, rhs;
    zk_fr a;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    int good = 1;
    for (int i = 0; i < 3; i++) {
        zk_fr_random(&a);
        zk_g1j_from_affine(&j, &g1);
        zk_g1j_mul_var(&j, &j, &a);
        zk_g1_from_jacobian(&p, &j);
        zk_pairing(&lhs, &p, &g2);
        zk_gt_pow_var(&rhs, &GEN, &a);
        good &= zk_gt_eq(&lhs, &rhs);
    }
    ok(good, "e(aP, Q) == pow_var(e(P, Q), a) for 3 random a");
}

static void test_multi_pow(void)
{
    static const size_t ns[] = {0, 1, 2, 3, 17, 100};
    zk_fp12 *a = malloc(100 * sizeof *a);
    zk_fr *k = malloc(100 * sizeof *k);
    if (!a || !k)
        bail_out("out of memory");
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        size_t n = ns[t];
        zk_fp12 got, want, y;
        for (size_t i = 0; i < n; i++) {
            rand_gt(&a[i]);
            zk_fr_random(&k[i]);
        }
        if (n >= 17) { /* edge scalars and a repeated base among them */
            zk_fr_zero(&k[1]);
            zk_fr_one(&k[2]);
            zk_fr_one(&k[3]);
            zk_fr_neg(&k[3], &k[3]);
            a[4] = a[5];
            zk_fr_set_u64(&k[6], 7);
        }
        zk_gt_one(&want);
        for (size_t i = 0; i < n; i++) {
            ref_pow(&y, &a[i], &k[i]);
            zk_gt_mul(&want, &want, &y);
        }
        int rc = zk_gt_multi_pow_var(&got, a, k, n);
        ok(rc == 0 && zk_gt_eq(&got, &want),
           "multi_pow_var of %zu == product of fp12_pow_var", n);
    }
    free(a);
    free(k);
}

static void test_in_group(void)
{
    zk_fp12 x, one, mone, zero;
    zk_fp c[12];
    int agree = 1, yes = 1, no = 1;
    for (int i = 0; i < 5; i++) {
        rand_gt(&x);
        yes &= zk_gt_in_group_var(&x) == 1;
        agree &= zk_fp12_in_gt(&x) == 1;
        rand_cyclotomic(&x);
        no &= zk_gt_in_group_var(&x) == 0;
        agree &= zk_fp12_in_gt(&x) == 0;
        for (int j = 0; j < 12; j++)
            zk_fp_random(&c[j]);
        zk_fp12_set_coeffs(&x, c);
        no &= zk_gt_in_group_var(&x) == 0;
        agree &= zk_fp12_in_gt(&x) == 0;
    }
    zk_gt_one(&one);
    zk_fp12_zero(&zero);
    zk_fp12_sub(&mone, &zero, &one);
    yes &= zk_gt_in_group_var(&one) == 1;
    no &= zk_gt_in_group_var(&zero) == 0 && zk_gt_in_group_var(&mone) == 0;
    agree &= zk_fp12_in_gt(&one) && !zk_fp12_in_gt(&zero) && !zk_fp12_in_gt(&mone);
    ok(yes, "in_group_var accepts 1 and 5 random G_T elements");
    ok(no, "in_group_var rejects 0, -1, 5 cyclotomic non-G_T and 5 random Fp12 elements");
    ok(agree, "zk_fp12_in_gt gives the same answers");
}

/* a cyclotomic element outside G_T whose h-part is checked: g^h is in G_T
 * (h = (p^4 - p^2 + 1)/r), g itself is not */
static void make_bad(zk_fp12 *g, const mpz_t p, const mpz_t r)
{
    mpz_t h, t;
    mpz_inits(h, t, NULL);
    mpz_pow_ui(h, p, 4);
    mpz_pow_ui(t, p, 2);
    mpz_sub(h, h, t);
    mpz_add_ui(h, h, 1);
    if (!mpz_divisible_p(h, r))
        bail_out("r does not divide p^4 - p^2 + 1");
    mpz_divexact(h, h, r);
    size_t nl = (mpz_sizeinbase(h, 2) + 63) / 64;
    uint64_t *hl = calloc(nl, 8);
    if (!hl)
        bail_out("out of memory");
    mpz_export(hl, NULL, -1, 8, 0, 0, h);
    zk_fp12 gh, u, v;
    rand_cyclotomic(g);
    zk_fp12_frobenius(&u, g, 2);
    zk_fp12_frobenius(&v, &u, 2);
    zk_fp12_mul(&v, &v, g);
    zk_fp12_pow_var(&gh, g, hl, nl);
    ok(zk_fp12_eq(&u, &v) && !zk_fp12_in_gt(g) && zk_fp12_in_gt(&gh),
       "test element g: g^(p^4-p^2+1) = 1, g not in G_T, g^h in G_T");
    free(hl);
    mpz_clears(h, t, NULL);
}

static void test_compress(const mpz_t p, const mpz_t r)
{
    uint8_t buf[ZK_GT_COMPRESSED_BYTES], buf2[ZK_GT_COMPRESSED_BYTES];
    uint8_t pbe[32];
    zk_fp12 x, y, one, sentinel;
    {
        uint64_t pl[4] = ZK_FP_MODULUS;
        for (int i = 0; i < 32; i++)
            pbe[31 - i] = (uint8_t)(pl[i / 8] >> (8 * (i % 8)));
    }
    zk_gt_one(&one);

    /* round trips of random pairings */
    int rt = 1, canon = 1;
    for (int i = 0; i < 10; i++) {
        zk_g1 g1, pp;
        zk_g2 g2;
        zk_g1j j;
        zk_fr a;
        zk_g1_generator(&g1);
        zk_g2_generator(&g2);
        zk_fr_random(&a);
        zk_g1j_from_affine(&j, &g1);
        zk_g1j_mul_var(&j, &j, &a);
        zk_g1_from_jacobian(&pp, &j);
        zk_pairing(&x, &pp, &g2);
        zk_gt_compress(buf, &x);
        rt &= zk_gt_decompress(&y, buf, sizeof buf) == 0 && zk_gt_eq(&x, &y);
        rt &= (buf[0] & ZK_GT_FLAG_MASK) == 0;
        zk_gt_compress(buf2, &y);
        canon &= memcmp(buf, buf2, sizeof buf) == 0;
    }
    ok(rt, "compress/decompress round trip of 10 random pairings (flags 00)");
    ok(canon, "re-compressing a decoded element gives the same bytes");

    zk_gt_compress(buf, &one);
    int idenc = buf[0] == ZK_GT_FLAG_IDENTITY;
    for (size_t i = 1; i < sizeof buf; i++)
        idenc &= buf[i] == 0;
    ok(idenc, "1 compresses to 0x40 followed by 191 zero bytes");
    rand_gt(&y);
    ok(zk_gt_decompress(&y, buf, sizeof buf) == 0 && zk_gt_is_one(&y),
       "the identity encoding decompresses to 1");

    /* rejections; *r must stay untouched */
    rand_gt(&x);
    zk_gt_compress(buf, &x);
    rand_gt(&sentinel);
    y = sentinel;
    is_int(zk_gt_decompress(&y, buf, 191), ZK_EENCODING, "decompress: 191 bytes -> ZK_EENCODING");
    is_int(zk_gt_decompress(&y, buf, 0), ZK_EENCODING, "decompress: 0 bytes -> ZK_EENCODING");
    {
        uint8_t big[193];
        memcpy(big, buf, 192);
        big[192] = 0;
        is_int(zk_gt_decompress(&y, big, sizeof big), ZK_EENCODING, "decompress: 193 bytes -> ZK_EENCODING");
    }
    memcpy(buf2, buf, sizeof buf);
    buf2[0] |= 0x80;
    is_int(zk_gt_decompress(&y, buf2, sizeof buf2), ZK_EENCODING, "decompress: flag 10 -> ZK_EENCODING");
    buf2[0] |= 0xc0;
    is_int(zk_gt_decompress(&y, buf2, sizeof buf2), ZK_EENCODING, "decompress: flag 11 -> ZK_EENCODING");
    memcpy(buf2, buf, sizeof buf);
    buf2[0] = (uint8_t)((buf2[0] & 0x3f) | ZK_GT_FLAG_IDENTITY);
    is_int(zk_gt_decompress(&y, buf2, sizeof buf2), ZK_EENCODING,
           "decompress: identity flag over a torus value -> ZK_EENCODING");
    memset(buf2, 0, sizeof buf2);
    buf2[0] = ZK_GT_FLAG_IDENTITY | 0x01;
    is_int(zk_gt_decompress(&y, buf2, sizeof buf2), ZK_EENCODING,
           "decompress: identity flag with a low bit of byte 0 set -> ZK_EENCODING");
    buf2[0] = ZK_GT_FLAG_IDENTITY;
    buf2[191] = 1;
    is_int(zk_gt_decompress(&y, buf2, sizeof buf2), ZK_EENCODING,
           "decompress: identity flag with a non-zero last byte -> ZK_EENCODING");

    int range = 1;
    for (int c = 0; c < 6; c++) {
        memcpy(buf2, buf, sizeof buf);
        memcpy(buf2 + 32 * c, pbe, 32); /* exactly p */
        range &= zk_gt_decompress(&y, buf2, sizeof buf2) == ZK_ERANGE;
        buf2[32 * c + 31] = 0xff; /* p + 0xb8 */
        range &= zk_gt_decompress(&y, buf2, sizeof buf2) == ZK_ERANGE;
        if (c > 0) {
            memset(buf2 + 32 * c, 0xff, 32); /* 2^256 - 1 */
            range &= zk_gt_decompress(&y, buf2, sizeof buf2) == ZK_ERANGE;
        }
    }
    memcpy(buf2, buf, sizeof buf);
    buf2[0] = 0x3f; /* flags 00, first coefficient >= 2^253 + ... > p */
    memset(buf2 + 1, 0xff, 31);
    range &= zk_gt_decompress(&y, buf2, sizeof buf2) == ZK_ERANGE;
    ok(range, "decompress: a coefficient >= p (each of the 6) -> ZK_ERANGE");

    memset(buf2, 0, sizeof buf2);
    is_int(zk_gt_decompress(&y, buf2, sizeof buf2), ZK_ENOTINGROUP,
           "decompress: b = 0 (the element -1) -> ZK_ENOTINGROUP");

    {
        zk_fp12 g;
        make_bad(&g, p, r);
        zk_gt_compress(buf2, &g);
        is_int(zk_gt_decompress(&y, buf2, sizeof buf2), ZK_ENOTINGROUP,
               "decompress: cyclotomic element not of order r -> ZK_ENOTINGROUP");
        /* the torus map itself is right: the same element uncompressed */
        uint8_t raw[ZK_GT_BYTES];
        zk_gt_to_bytes(raw, &g);
        is_int(zk_gt_from_bytes(&y, raw, sizeof raw), ZK_ENOTINGROUP,
               "from_bytes: cyclotomic element not of order r -> ZK_ENOTINGROUP");
    }

    /* random strings: raw (mostly out of range or bad flags), and with
     * every coefficient forced below 2^253 < p (a torus element, almost
     * never in G_T) */
    int rej_raw = 1, rej_masked = 1;
    for (int i = 0; i < 20; i++) {
        randombytes_buf(buf2, sizeof buf2);
        int rc = zk_gt_decompress(&y, buf2, sizeof buf2);
        rej_raw &= rc == ZK_EENCODING || rc == ZK_ERANGE || rc == ZK_ENOTINGROUP;
        for (int c = 0; c < 6; c++)
            buf2[32 * c] &= 0x1f;
        rej_masked &= zk_gt_decompress(&y, buf2, sizeof buf2) == ZK_ENOTINGROUP;
    }
    ok(rej_raw, "decompress: 20 random 192-byte strings are rejected");
    ok(rej_masked, "decompress: 20 random in-range torus values -> ZK_ENOTINGROUP");
    ok(zk_gt_eq(&y, &sentinel), "decoders leave r unchanged on every error");
}

static void test_uncompressed(void)
{
    uint8_t buf[ZK_GT_BYTES], buf2[ZK_GT_BYTES];
    zk_fp12 x, y, one, sentinel;
    zk_gt_one(&one);
    int rt = 1;
    for (int i = 0; i < 5; i++) {
        rand_gt(&x);
        zk_gt_to_bytes(buf, &x);
        rt &= zk_gt_from_bytes(&y, buf, sizeof buf) == 0 && zk_gt_eq(&x, &y);
        zk_gt_to_bytes(buf2, &y);
        rt &= memcmp(buf, buf2, sizeof buf) == 0;
    }
    ok(rt, "to_bytes/from_bytes round trip of 5 random G_T elements");
    {
        zk_fp c[12];
        zk_fp12_get_coeffs(c, &x);
        uint8_t be[32];
        zk_fp_to_bytes_be(be, &c[7]);
        ok(memcmp(be, buf + 32 * 7, 32) == 0, "to_bytes: coefficient 7 at offset 224, big-endian");
    }
    zk_gt_to_bytes(buf, &one);
    int oneenc = 1;
    for (int i = 0; i < ZK_GT_BYTES; i++)
        oneenc &= buf[i] == (i == 31);
    ok(oneenc && zk_gt_from_bytes(&y, buf, sizeof buf) == 0 && zk_gt_is_one(&y),
       "1 encodes as c0.c0.c0 = 1 (byte 31 = 0x01, all else 0) and decodes back");

    rand_gt(&sentinel);
    y = sentinel;
    rand_gt(&x);
    zk_gt_to_bytes(buf, &x);
    is_int(zk_gt_from_bytes(&y, buf, 383), ZK_EENCODING, "from_bytes: 383 bytes -> ZK_EENCODING");
    is_int(zk_gt_from_bytes(&y, buf, 192), ZK_EENCODING, "from_bytes: 192 bytes -> ZK_EENCODING");
    int range = 1;
    for (int c = 0; c < 12; c++) {
        uint64_t pl[4] = ZK_FP_MODULUS;
        memcpy(buf2, buf, sizeof buf);
        for (int i = 0; i < 32; i++)
            buf2[32 * c + 31 - i] = (uint8_t)(pl[i / 8] >> (8 * (i % 8)));
        range &= zk_gt_from_bytes(&y, buf2, sizeof buf2) == ZK_ERANGE;
        buf2[32 * c] |= 0xc0;
        range &= zk_gt_from_bytes(&y, buf2, sizeof buf2) == ZK_ERANGE;
    }
    ok(range, "from_bytes: a coefficient >= p (each of the 12) -> ZK_ERANGE");
    memset(buf2, 0, sizeof buf2);
    is_int(zk_gt_from_bytes(&y, buf2, sizeof buf2), ZK_ENOTINGROUP, "from_bytes: 0 -> ZK_ENOTINGROUP");
    {
        zk_fp12 mone, zero;
        zk_fp12_zero(&zero);
        zk_fp12_sub(&mone, &zero, &one);
        zk_gt_to_bytes(buf2, &mone);
        is_int(zk_gt_from_bytes(&y, buf2, sizeof buf2), ZK_ENOTINGROUP, "from_bytes: -1 -> ZK_ENOTINGROUP");
    }
    {
        zk_fp c[12];
        zk_fp12 f;
        for (int i = 0; i < 12; i++)
            zk_fp_random(&c[i]);
        zk_fp12_set_coeffs(&f, c);
        zk_gt_to_bytes(buf2, &f);
        is_int(zk_gt_from_bytes(&y, buf2, sizeof buf2), ZK_ENOTINGROUP,
               "from_bytes: random Fp12 element -> ZK_ENOTINGROUP");
    }
    buf[100] ^= 1; /* an in-range change to a valid element */
    is_int(zk_gt_from_bytes(&y, buf, sizeof buf), ZK_ENOTINGROUP,
           "from_bytes: one flipped bit of a valid element -> ZK_ENOTINGROUP");
    ok(zk_gt_eq(&y, &sentinel), "from_bytes leaves r unchanged on errors");
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init failed");
    plan(58);
    {
        zk_g1 g1;
        zk_g2 g2;
        zk_g1_generator(&g1);
        zk_g2_generator(&g2);
        zk_pairing(&GEN, &g1, &g2);
    }
    mpz_t p, r, z, lam;
    mpz_inits(p, r, z, lam, NULL);
    test_constants(p, r, z, lam);
    test_split(r, z, lam);
    test_pow(r);
    test_bilinear();
    test_multi_pow();
    test_in_group();
    test_compress(p, r);
    test_uncompressed();
    mpz_clears(p, r, z, lam, NULL);
    return done_testing();
}
