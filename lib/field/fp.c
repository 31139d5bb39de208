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
#define F_R3 ZK_FP_R3
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
