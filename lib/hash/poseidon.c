/*
 * poseidon.c -- Poseidon over BN254's Fr, circomlib's parameters.
 *
 * The permutation runs in the optimized form of the Poseidon paper's
 * appendix B (eprint 2019/458; circomlib's poseidon.circom and circomlibjs's
 * poseidon_opt.js use the same constants and schedule, see poseidon.h):
 * round constants folded through the inverse MDS so that partial rounds
 * add one constant, and each partial-round mix a sparse matrix (2t - 1
 * multiplications instead of t^2).  For t = 3 that is about 600 Montgomery
 * multiplications per permutation instead of about 830.
 */
#include "hash/poseidon.h"

#include "field/field_inline.h"
#include "hash/poseidon_constants.h"

_Static_assert(ZK_POSEIDON_T_MAX == ZK_POSEIDON_WIDTH_MAX,
               "poseidon.h and poseidon_constants.h disagree on the widths");
_Static_assert(ZK_POSEIDON_ROUNDS_F == 8, "the schedule assumes 8 full rounds");

#define ENTRY(T, RP)                                                           \
    {T, ZK_POSEIDON_ROUNDS_F, RP, ZK_POSEIDON_C_T##T, ZK_POSEIDON_M_T##T,      \
     ZK_POSEIDON_OC_T##T, ZK_POSEIDON_OS_T##T, ZK_POSEIDON_OM_T##T,            \
     ZK_POSEIDON_OP_T##T},
static const zk_poseidon_params PARAMS[] = {ZK_POSEIDON_WIDTHS(ENTRY)};
#undef ENTRY

const zk_poseidon_params *zk_poseidon_params_get(size_t t)
{
    if (t < 2 || t > ZK_POSEIDON_T_MAX)
        return NULL;
    return &PARAMS[t - 2];
}

MONT_INLINE void pow5(zk_fr *x)
{
    zk_fr x2;
    fr_sqr(&x2, x);
    fr_sqr(&x2, &x2);
    fr_mul(x, &x2, x);
}

/* s = mix_X(s): s'[i] = sum_j X[j t + i] s[j], for outputs i < n_out */
MONT_INLINE void mix(zk_fr *s, const zk_fr *x, unsigned t, unsigned n_out)
{
    zk_fr o[ZK_POSEIDON_T_MAX], p;
    for (unsigned i = 0; i < n_out; i++) {
        fr_mul(&o[i], &x[i], &s[0]);
        for (unsigned j = 1; j < t; j++) {
            fr_mul(&p, &x[j * t + i], &s[j]);
            fr_add(&o[i], &o[i], &p);
        }
    }
    for (unsigned i = 0; i < n_out; i++)
        s[i] = o[i];
}

/* One full round of the first or second half: x^5 on every element, add
 * the next t constants (when c is not NULL), mix. */
MONT_INLINE void full_round(zk_fr *s, const zk_fr *c, const zk_fr *x,
                            unsigned t, unsigned n_out)
{
    for (unsigned i = 0; i < t; i++) {
        pow5(&s[i]);
        if (c)
            fr_add(&s[i], &s[i], &c[i]);
    }
    mix(s, x, t, n_out);
}

/* The permutation for a width t known at compile time at each call site
 * (the switch below), so that every loop over t unrolls.  Only the first
 * n_out elements of the result are computed (the last mix is the only
 * place where that saves work). */
MONT_INLINE void permute_t(zk_fr *s, const zk_poseidon_params *p, unsigned t,
                           unsigned n_out)
{
    const zk_fr *c = p->opt_c, *sp = p->opt_s;
    const unsigned rp = p->rounds_p, per = 2 * t - 1;
    for (unsigned i = 0; i < t; i++)
        fr_add(&s[i], &s[i], &c[i]);
    c += t;
    for (unsigned r = 0; r < 3; r++, c += t)
        full_round(s, c, p->opt_m, t, t);
    full_round(s, c, p->opt_p, t, t);
    c += t;
    for (unsigned r = 0; r < rp; r++, sp += per) {
        /* The products that do not depend on this round's S-box come
         * first, so that they overlap its three dependent multiplications
         * (the S-box chain is the critical path). */
        zk_fr s0 = s[0], acc, q;
        fr_mul(&acc, &sp[1], &s[1]);
        for (unsigned j = 2; j < t; j++) {
            fr_mul(&q, &sp[j], &s[j]);
            fr_add(&acc, &acc, &q);
        }
        pow5(&s0);
        fr_add(&s0, &s0, &c[r]);
        fr_mul(&q, &sp[0], &s0);
        fr_add(&s[0], &acc, &q);
        for (unsigned j = 1; j < t; j++) {
            fr_mul(&q, &s0, &sp[t + j - 1]);
            fr_add(&s[j], &s[j], &q);
        }
    }
    c += rp;
    for (unsigned r = 0; r < 3; r++, c += t)
        full_round(s, c, p->opt_m, t, t);
    full_round(s, NULL, p->opt_m, t, n_out);
}

static void permute(zk_fr *s, unsigned t, unsigned n_out)
{
    const zk_poseidon_params *p = &PARAMS[t - 2];
    switch (t) {
    case 2: permute_t(s, p, 2, n_out); break;
    case 3: permute_t(s, p, 3, n_out); break;
    case 4: permute_t(s, p, 4, n_out); break;
    case 5: permute_t(s, p, 5, n_out); break;
    case 6: permute_t(s, p, 6, n_out); break;
    case 7: permute_t(s, p, 7, n_out); break;
    default: permute_t(s, p, t, n_out); break; /* wider generated tables */
    }
}

int zk_poseidon_permute(zk_fr *state, size_t t)
{
    if (!state || t < 2 || t > ZK_POSEIDON_T_MAX)
        return ZK_EINVAL;
    permute(state, (unsigned)t, (unsigned)t);
    return ZK_OK;
}

int zk_poseidon_ex(zk_fr *out, size_t n_out, const zk_fr *in, size_t n,
                   const zk_fr *init)
{
    if (!out || !in || n < 1 || n > ZK_POSEIDON_MAX_INPUTS || n_out < 1 ||
        n_out > n + 1)
        return ZK_EINVAL;
    zk_fr s[ZK_POSEIDON_T_MAX];
    if (init)
        s[0] = *init;
    else
        fr_set_zero(&s[0]);
    for (size_t i = 0; i < n; i++)
        s[i + 1] = in[i];
    permute(s, (unsigned)n + 1, (unsigned)n_out);
    for (size_t i = 0; i < n_out; i++)
        out[i] = s[i];
    return ZK_OK;
}

int zk_poseidon(zk_fr *out, const zk_fr *in, size_t n)
{
    return zk_poseidon_ex(out, 1, in, n, NULL);
}
