/*
 * group_g1.h, group_g2.h, group_undef.h -- the macro sets that instantiate
 * the group templates (point_impl.h, msm_impl.h) for G1 over Fp and G2
 * over Fp2 (internal).  Include one of the first two, then the template(s),
 * then group_undef.h.  The includer has field/tower_inline.h and the curve
 * constants ZK_G1_B_ / ZK_G2_B_ (curve_inline.h) in scope.
 */
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
