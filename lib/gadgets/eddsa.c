/*
 * eddsa.c -- EdDSA-Poseidon verification in-circuit (see eddsa.h).
 *
 * circomlib's eddsaposeidon.circom checks S < l, hashes, multiplies by
 * 8 with three doublings of A, tests [8] A != identity, and compares
 * [S] Base8 with R8 + [hm] [8] A.  Here: A and R8 are also checked on the
 * curve, hm's 254 canonical bits times [4] A are taken as the scalar
 * 2 hm (a constant 0 below them), which spares the third doubling, and
 * the equation is folded into the last addition.
 */
#include "gadgets/eddsa.h"

#include "gadgets/bits.h"
#include "gadgets/poseidon.h"
#include "sig/eddsa.h"

/* The placeholder signature: sk = 32 zero bytes, msg = 0 (checked by
 * tests/unit/test_geddsa.c against zk_eddsa_pubkey and zk_eddsa_sign). */
static const char *const PH_AX =
    "2243843412859640413200492983325359184897533479849766123277972463524512481395";
static const char *const PH_AY =
    "19725677809460891655919095720878683214604130794206177685201817065424327714739";
static const char *const PH_R8X =
    "10609034294109799764109498402482278566957752701216690693372080018947124055761";
static const char *const PH_R8Y =
    "17070720410229921760261275344588962968191345111777390163877374385503590195871";
static const char *const PH_S =
    "608489734620251942650160408370858557016476404108161280600496912295257248662";

#define S_BITS 251 /* l < 2^251 */

static void dec(zk_fr *r, const char *s)
{
    if (zk_fr_from_dec(r, s) != ZK_OK)
        zk_fr_zero(r); /* not reached: the strings are canonical */
}

void zk_g_eddsa_placeholder(zk_bj *a, zk_fr *s, zk_bj *r8, zk_fr *msg)
{
    if (a) {
        dec(&a->x, PH_AX);
        dec(&a->y, PH_AY);
    }
    if (r8) {
        dec(&r8->x, PH_R8X);
        dec(&r8->y, PH_R8Y);
    }
    if (s)
        dec(s, PH_S);
    if (msg)
        zk_fr_zero(msg);
}

static int lc_const(const zk_cs *cs, zk_lc a, zk_fr *val)
{
    zk_fr_zero(val);
    for (size_t i = 0; i < zk_lc_len(a); i++) {
        zk_var v;
        zk_fr c;
        if (zk_lc_get(&v, &c, cs, a, i) != ZK_OK || v.id != 0)
            return 0;
        zk_fr_add(val, val, &c);
    }
    return 1;
}

/* c + en (x - c): one constraint unless en or x - c is constant. */
static zk_lc subst(zk_cs *cs, zk_lc en, zk_lc x, const zk_fr *c)
{
    zk_lc cl = zk_lc_const(cs, c), d = zk_lc_sub(cs, x, cl);
    zk_fr k;
    zk_lc p;
    if (lc_const(cs, en, &k))
        p = zk_lc_scale(cs, d, &k);
    else if (lc_const(cs, d, &k))
        p = zk_lc_scale(cs, en, &k);
    else
        p = zk_lc_var(cs, zk_cs_mul(cs, en, d));
    return zk_lc_add(cs, cl, p);
}

static inline unsigned limb_bit(const uint64_t l[4], size_t i)
{
    return (unsigned)(l[i / 64] >> (i % 64)) & 1u;
}

/*
 * bits[0..n) of x (n <= 253) constrained boolean and, as an integer,
 * <= le (whose top set bit is n - 1), most significant bit first: eq =
 * "the bits above equal le's" (a product, updated at the 1 bits of le
 * while a 0 bit remains below); at a 1 bit b (b - 1) = 0, at a 0 bit
 * b (1 - eq - b) = 0, which makes b boolean and 0 while eq = 1.  bits[0]
 * is the folded x - sum 2^i bits[i].  n + (number of 1 bits of le above
 * its lowest 0 bit) - 1 constraints.  (bits.c's decompose() with a
 * general bound; gadgets/bits.h exports it only for r - 1.)
 */
static void num2bits_le(zk_cs *cs, zk_lc *bits, size_t n, zk_lc x,
                        const uint64_t le[4])
{
    zk_fr xv;
    uint64_t xl[4];
    zk_lc_eval(&xv, cs, x);
    zk_fr_to_limbs(xl, &xv);
    zk_var v[S_BITS];
    zk_fr coef[S_BITS];
    zk_fr_one(&coef[0]);
    for (size_t i = 1; i < n; i++) {
        zk_fr b;
        zk_fr_set_u64(&b, limb_bit(xl, i));
        v[i] = zk_cs_alloc(cs, &b);
        zk_fr_dbl(&coef[i], &coef[i - 1]);
    }
    for (size_t i = 1; i < n; i++)
        zk_fr_neg(&coef[i], &coef[i]);
    bits[0] = zk_lc_add(cs, x, zk_lc_from_terms(cs, v + 1, coef + 1, n - 1));
    for (size_t i = 1; i < n; i++)
        bits[i] = zk_lc_var(cs, v[i]);

    size_t low0 = 0;
    while (limb_bit(le, low0))
        low0++;
    zk_lc one = zk_lc_const_u64(cs, 1), eq = one;
    int eq_one = 1;
    for (size_t i = n; i-- > 0;) {
        if (limb_bit(le, i)) {
            zk_cs_assert_bool(cs, bits[i]);
            if (i > low0) {
                eq = eq_one ? bits[i]
                            : zk_lc_var(cs, zk_cs_mul(cs, eq, bits[i]));
                eq_one = 0;
            }
        } else {
            zk_lc f = zk_lc_sub(cs, zk_lc_sub(cs, one, eq), bits[i]);
            zk_cs_enforce(cs, bits[i], f, zk_lc_zero());
        }
    }
}

int zk_g_eddsa_verify(zk_cs *cs, zk_lc enabled, zk_g_bj_pt a, zk_lc s,
                      zk_g_bj_pt r8, zk_lc msg)
{
    zk_cs_push(cs, "eddsa");
    size_t mark = zk_cs_mark(cs);

    /* enabled = 0: the placeholder instead of the inputs */
    zk_cs_push(cs, "enabled");
    zk_bj pa, pr;
    zk_fr ps, pm, ev;
    zk_g_eddsa_placeholder(&pa, &ps, &pr, &pm);
    if (lc_const(cs, enabled, &ev)) {
        if (!zk_fr_is_zero(&ev) && !zk_fr_is_one(&ev))
            zk_cs_fail(cs, ZK_EINVAL);
    } else {
        zk_cs_assert_bool(cs, enabled);
    }
    /* one allocating call per statement (cs.h: evaluation order) */
    zk_g_bj_pt ea, er;
    ea.x = subst(cs, enabled, a.x, &pa.x);
    ea.y = subst(cs, enabled, a.y, &pa.y);
    zk_lc es = subst(cs, enabled, s, &ps);
    er.x = subst(cs, enabled, r8.x, &pr.x);
    er.y = subst(cs, enabled, r8.y, &pr.y);
    zk_lc em = subst(cs, enabled, msg, &pm);
    zk_cs_pop(cs);

    /* A, R8 on the curve; [4] A with x != 0 (A not of small order) */
    zk_g_bj_pt a2, a4;
    zk_cs_push(cs, "a");
    zk_g_bj_on_curve_dbl(cs, &a2, ea);
    zk_cs_pop(cs);
    zk_cs_push(cs, "r8");
    zk_g_bj_assert_on_curve(cs, er);
    zk_cs_pop(cs);
    zk_cs_push(cs, "small_order");
    zk_g_bj_dbl(cs, &a4, a2);
    zk_g_assert_nonzero(cs, a4.x);
    zk_cs_pop(cs);

    /* S < l */
    zk_lc sbits[S_BITS];
    uint64_t lm1[4] = ZK_BJ_ORDER;
    lm1[0] -= 1; /* l is odd */
    zk_cs_push(cs, "s_range");
    num2bits_le(cs, sbits, S_BITS, es, lm1);
    zk_cs_pop(cs);

    /* hm and its canonical bits */
    zk_lc hin[5] = {er.x, er.y, ea.x, ea.y, em}, hm;
    (void)zk_g_poseidon(cs, &hm, hin, 5);
    zk_lc hb[1 + ZK_G_FR_BITS];
    hb[0] = zk_lc_zero(); /* the scalar 2 hm */
    zk_cs_push(cs, "h_bits");
    zk_g_num2bits_strict(cs, hb + 1, hm);
    zk_cs_pop(cs);

    /* [8 hm] A = [2 hm] [4] A, [S] Base8, and the equation */
    zk_g_bj_pt right, left;
    zk_cs_push(cs, "mul_a");
    zk_g_bj_mul(cs, &right, hb, 1 + ZK_G_FR_BITS, a4);
    zk_cs_pop(cs);
    zk_cs_push(cs, "mul_b8");
    zk_g_bj_mul_base8(cs, &left, sbits, S_BITS);
    zk_cs_pop(cs);
    zk_cs_push(cs, "equation");
    zk_g_bj_add_assert(cs, er, right, left);
    zk_cs_pop(cs);

    zk_cs_release(cs, mark);
    zk_cs_pop(cs);
    return zk_cs_err(cs);
}

int zk_g_eddsa_verify_native(const zk_fr *enabled, const zk_bj *a,
                             const zk_fr *s, const zk_bj *r8,
                             const zk_fr *msg)
{
    if (!enabled || !a || !s || !r8 || !msg)
        return ZK_EINVAL;
    if (zk_fr_is_zero(enabled))
        return ZK_OK;
    if (!zk_fr_is_one(enabled))
        return ZK_EVERIFY;
    zk_eddsa_sig sig;
    sig.r8 = *r8;
    zk_fr_to_limbs(sig.s, s);
    return zk_eddsa_verify(a, msg, &sig) == ZK_OK ? ZK_OK : ZK_EVERIFY;
}
