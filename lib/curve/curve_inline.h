/*
 * curve_inline.h -- the point template instantiated for G1 (g1_j_add, ...)
 * and G2 (g2_j_add, ...), for use inside libzkpar (internal).
 */
#ifndef ZK_CURVE_INLINE_H
#define ZK_CURVE_INLINE_H

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/frob_inline.h"
#include "field/tower_inline.h"

static const zk_fp ZK_G1_B_ ZK_UNUSED = {ZK_G1_B};
static const zk_fp2 ZK_G2_B_ ZK_UNUSED = {{ZK_TWIST_B_C0}, {ZK_TWIST_B_C1}};

#include "curve/group_g1.h"
#include "curve/point_impl.h"
#include "curve/group_undef.h"

#include "curve/group_g2.h"
#include "curve/point_impl.h"
#include "curve/group_undef.h"

/* psi(x, y) = (conj(x) xi^((p-1)/3), conj(y) xi^((p-1)/2)): the p-power
 * Frobenius of E(Fp12) carried to the twist (untwist, Frobenius, twist).
 * On G2 it acts as [p] = [6z^2] (p = r + 6z^2). */
MONT_INLINE void g2_psi(zk_g2 *r, const zk_g2 *q)
{
    zk_fp2 t;
    fp2_conj(&t, &q->x);
    fp2_mul(&r->x, &t, &ZK_FROB[1][2]);
    fp2_conj(&t, &q->y);
    fp2_mul(&r->y, &t, &ZK_FROB[1][3]);
}

#endif
