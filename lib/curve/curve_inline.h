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

/* G1 over Fp */
#define PT_F zk_fp
#define PT_A zk_g1
#define PT_J zk_g1j
#define PT(name) g1_##name
#define F_ADD fp_add
#define F_SUB fp_sub
#define F_DBL fp_dbl
#define F_MUL fp_mul
#define F_SQR fp_sqr
#define F_NEG fp_neg
#define F_IS_ZERO fp_is_zero
#define F_EQ fp_eq
#define F_ZERO fp_set_zero
#define F_ONE fp_set_one
#define F_INV zk_fp_inv
#define PT_B (&ZK_G1_B_)
#include "curve/point_impl.h"
#undef PT_F
#undef PT_A
#undef PT_J
#undef PT
#undef F_ADD
#undef F_SUB
#undef F_DBL
#undef F_MUL
#undef F_SQR
#undef F_NEG
#undef F_IS_ZERO
#undef F_EQ
#undef F_ZERO
#undef F_ONE
#undef F_INV
#undef PT_B

/* G2 over Fp2 */
#define PT_F zk_fp2
#define PT_A zk_g2
#define PT_J zk_g2j
#define PT(name) g2_##name
#define F_ADD fp2_add
#define F_SUB fp2_sub
#define F_DBL fp2_dbl
#define F_MUL fp2_mul
#define F_SQR fp2_sqr
#define F_NEG fp2_neg
#define F_IS_ZERO fp2_is_zero
#define F_EQ fp2_eq
#define F_ZERO fp2_set_zero
#define F_ONE fp2_set_one
#define F_INV fp2_inv
#define PT_B (&ZK_G2_B_)
#include "curve/point_impl.h"
#undef PT_F
#undef PT_A
#undef PT_J
#undef PT
#undef F_ADD
#undef F_SUB
#undef F_DBL
#undef F_MUL
#undef F_SQR
#undef F_NEG
#undef F_IS_ZERO
#undef F_EQ
#undef F_ZERO
#undef F_ONE
#undef F_INV
#undef PT_B

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
