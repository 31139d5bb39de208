/* group_g2.h -- G2 over Fp2; see group_g1.h (internal). */
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
