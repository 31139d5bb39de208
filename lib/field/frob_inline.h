/*
 * frob_inline.h -- Frobenius coefficients gamma[k][i] = xi^(i (p^k - 1)/6)
 * (internal).  frob^k(w^i) = gamma[k][i] w^i, since w^6 = xi.
 */
#ifndef ZK_FROB_INLINE_H
#define ZK_FROB_INLINE_H

#include "field/tower_inline.h"

#define FROB2(k, i) { { ZK_FROB##k##_##i##_C0 }, { ZK_FROB##k##_##i##_C1 } }
#define FROB_ONE { { ZK_FP_ONE }, { { 0, 0, 0, 0 } } }

static const zk_fp2 ZK_FROB[4][6] ZK_UNUSED = {
    {FROB_ONE, FROB_ONE, FROB_ONE, FROB_ONE, FROB_ONE, FROB_ONE},
    {FROB_ONE, FROB2(1, 1), FROB2(1, 2), FROB2(1, 3), FROB2(1, 4), FROB2(1, 5)},
    {FROB_ONE, FROB2(2, 1), FROB2(2, 2), FROB2(2, 3), FROB2(2, 4), FROB2(2, 5)},
    {FROB_ONE, FROB2(3, 1), FROB2(3, 2), FROB2(3, 3), FROB2(3, 4), FROB2(3, 5)},
};

#undef FROB2
#undef FROB_ONE

#endif
