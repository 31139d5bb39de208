/*
 * field_inline.h -- inline Fp and Fr operations for use inside libzkpar
 * (internal; not installed).  The exported zk_fp_* / zk_fr_* functions are
 * thin wrappers around these; library code calls these directly so that
 * the tower, curve and MSM code inline the arithmetic.
 */
#ifndef ZK_FIELD_INLINE_H
#define ZK_FIELD_INLINE_H

#include "field/constants.h"
#include "field/fp.h"
#include "field/fr.h"
#include "field/mont.h"

#define ZK_UNUSED __attribute__((unused))

static const uint64_t FP_MOD[4] ZK_UNUSED = ZK_FP_MODULUS;
static const uint64_t FP_ONE[4] ZK_UNUSED = ZK_FP_ONE;
static const uint64_t FP_R2[4] ZK_UNUSED = ZK_FP_R2;
static const uint64_t FR_MOD[4] ZK_UNUSED = ZK_FR_MODULUS;
static const uint64_t FR_ONE[4] ZK_UNUSED = ZK_FR_ONE;
static const uint64_t FR_R2[4] ZK_UNUSED = ZK_FR_R2;

#define FIELD_OPS(pre, T, MOD, NINV)                                         \
    MONT_INLINE void pre##_add(T *r, const T *a, const T *b)                 \
    { mont_add(r->l, a->l, b->l, MOD); }                                     \
    MONT_INLINE void pre##_sub(T *r, const T *a, const T *b)                 \
    { mont_sub(r->l, a->l, b->l, MOD); }                                     \
    MONT_INLINE void pre##_neg(T *r, const T *a)                             \
    { mont_neg(r->l, a->l, MOD); }                                           \
    MONT_INLINE void pre##_dbl(T *r, const T *a)                             \
    { mont_dbl(r->l, a->l, MOD); }                                           \
    MONT_INLINE void pre##_mul(T *r, const T *a, const T *b)                 \
    { mont_mul(r->l, a->l, b->l, MOD, NINV); }                               \
    MONT_INLINE void pre##_sqr(T *r, const T *a)                             \
    { mont_sqr(r->l, a->l, MOD, NINV); }                                     \
    MONT_INLINE int pre##_eq(const T *a, const T *b)                         \
    { return (int)(mont_eq_mask(a->l, b->l) & 1); }                          \
    MONT_INLINE int pre##_is_zero(const T *a) { return mont_is_zero(a->l); } \
    MONT_INLINE void pre##_set_zero(T *r) { memset(r, 0, sizeof *r); }

FIELD_OPS(fp, zk_fp, FP_MOD, ZK_FP_NINV)
FIELD_OPS(fr, zk_fr, FR_MOD, ZK_FR_NINV)

MONT_INLINE void fp_set_one(zk_fp *r) { memcpy(r->l, FP_ONE, 32); }
MONT_INLINE void fr_set_one(zk_fr *r) { memcpy(r->l, FR_ONE, 32); }
MONT_INLINE int fp_is_one(const zk_fp *a)
{ return (int)(mont_eq_mask(a->l, FP_ONE) & 1); }
MONT_INLINE int fr_is_one(const zk_fr *a)
{ return (int)(mont_eq_mask(a->l, FR_ONE) & 1); }

/* Canonical integer <-> Montgomery (no range check). */
MONT_INLINE void fp_from_int(zk_fp *r, const uint64_t v[4])
{ mont_mul(r->l, v, FP_R2, FP_MOD, ZK_FP_NINV); }
MONT_INLINE void fr_from_int(zk_fr *r, const uint64_t v[4])
{ mont_mul(r->l, v, FR_R2, FR_MOD, ZK_FR_NINV); }
MONT_INLINE void fp_to_int(uint64_t v[4], const zk_fp *a)
{ static const uint64_t one[4] = {1, 0, 0, 0}; mont_mul(v, a->l, one, FP_MOD, ZK_FP_NINV); }
MONT_INLINE void fr_to_int(uint64_t v[4], const zk_fr *a)
{ static const uint64_t one[4] = {1, 0, 0, 0}; mont_mul(v, a->l, one, FR_MOD, ZK_FR_NINV); }

#endif
