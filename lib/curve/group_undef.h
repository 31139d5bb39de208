/* group_undef.h -- ends an instantiation begun with group_g1.h or
 * group_g2.h (internal). */
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
