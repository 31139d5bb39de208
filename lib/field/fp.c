/* fp.c -- the base field Fp of BN254: the field template plus sqrt. */
#include "field/field_inline.h"

#define F_T zk_fp
#define F(name) zk_fp_##name
#define FI(name) fp_##name
#define F_MOD FP_MOD
#define F_ONE FP_ONE
#define F_R2 FP_R2
#define F_NINV ZK_FP_NINV
#define F_INV_EXP ZK_FP_INV_EXP
#define F_HALF ZK_FP_HALF
#include "field/field_impl.h"

int zk_fp_sqrt(zk_fp *r, const zk_fp *a)
{
    /* p = 3 mod 4: a^((p+1)/4) is a root whenever one exists */
    static const uint64_t e[4] = ZK_FP_SQRT_EXP;
    zk_fp t, c;
    mont_pow(t.l, a->l, e, FP_ONE, FP_MOD, ZK_FP_NINV);
    fp_sqr(&c, &t);
    if (!fp_eq(&c, a))
        return ZK_ENOTSQUARE;
    *r = t;
    return ZK_OK;
}

/*
 * r = 1/a in Fp, variable time (public data only): the extended Euclidean
 * algorithm of GMP's mpn layer (Lehmer / half-gcd steps, stack scratch
 * only), about 6x faster than the Fermat inversion.  a is in Montgomery
 * form, aR: gcdext gives (aR)^-1 = a^-1 R^-1, and a Montgomery
 * multiplication by R^3 turns that into a^-1 R.  Returns ZK_EZERO for 0.
 */
int zk_fp_inv_var(zk_fp *r, const zk_fp *a)
{
    static const uint64_t R3[4] = ZK_FP_R3;
    mp_limb_t u[4], v[4], g[4], s[5];
    mp_size_t sn;
    if (fp_is_zero(a))
        return ZK_EZERO;
    if (a->l[3] == 0 || sizeof(mp_limb_t) != sizeof(uint64_t))
        return zk_fp_inv(r, a); /* gcdext wants the top limb of u set */
    for (int i = 0; i < 4; i++) {
        u[i] = (mp_limb_t)a->l[i];
        v[i] = (mp_limb_t)FP_MOD[i];
    }
    /* g = s u + t v with u = aR, v = p, so s = (aR)^-1 mod p, |s| < p/2 */
    mpn_gcdext(g, s, &sn, u, 4, v, 4);
    uint64_t t[4] = {0, 0, 0, 0};
    mp_size_t an = sn < 0 ? -sn : sn;
    for (mp_size_t i = 0; i < an && i < 4; i++)
        t[i] = (uint64_t)s[i];
    if (sn < 0)
        mont_sub(t, FP_MOD, t, FP_MOD); /* p - |s| */
    mont_mul(r->l, t, R3, FP_MOD, ZK_FP_NINV);
    return ZK_OK;
}
