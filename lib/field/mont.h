/*
 * mont.h -- fixed-width 4x64-bit Montgomery arithmetic, the template that
 * fp.c and fr.c instantiate (internal; not installed).
 *
 * Every function takes the modulus m and n' = -m^{-1} mod 2^64 as
 * arguments; they are static inline so that, called with the static const
 * constants of fp or fr, the compiler folds the modulus into the code.
 * Requirements on m: odd, 2^253 <= m < 2^254 (so a + b never overflows 256
 * bits and the "no-carry" CIOS variant below is valid: the top limb of m is
 * below 2^63 - 1).  Values are kept fully reduced, in [0, m).
 *
 * Time: everything here is constant-time (no branch or index depends on
 * values) except the functions whose names end in _var.
 * Aliasing: r may alias any input.
 */
#ifndef ZK_MONT_H
#define ZK_MONT_H

#include <stdint.h>
#include <string.h>

typedef unsigned __int128 zk_u128;

#define MONT_INLINE static inline __attribute__((always_inline))

/* (hi, lo) = a * b + c + d; never overflows 128 bits. */
#define MONT_MAC(lo, hi, a, b, c, d)                                     \
    do {                                                                 \
        zk_u128 t_ = (zk_u128)(a) * (b) + (c) + (d);                     \
        (lo) = (uint64_t)t_;                                             \
        (hi) = (uint64_t)(t_ >> 64);                                     \
    } while (0)

/* r = t - m if t >= m else t, constant time (t < 2m) */
MONT_INLINE void mont_reduce_once(uint64_t r[4], const uint64_t t[4],
                                  const uint64_t m[4])
{
    uint64_t s[4], borrow = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 d = (zk_u128)t[i] - m[i] - borrow;
        s[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    /* borrow = 1: t < m, keep t */
    uint64_t mask = 0 - borrow;
    for (int i = 0; i < 4; i++)
        r[i] = (t[i] & mask) | (s[i] & ~mask);
}

#if defined(__x86_64__) && defined(__GNUC__)
/* x86-64: add/sub chains with adc/sbb and a cmov selection; plain C with
 * 128-bit temporaries compiles to much slower code on gcc 12. */
MONT_INLINE void mont_add(uint64_t r[4], const uint64_t a[4],
                          const uint64_t b[4], const uint64_t m[4])
{
    uint64_t t0, t1, t2, t3, s0, s1, s2, s3;
    __asm__("movq 0(%[a]), %[t0]\n\t"
            "movq 8(%[a]), %[t1]\n\t"
            "movq 16(%[a]), %[t2]\n\t"
            "movq 24(%[a]), %[t3]\n\t"
            "addq 0(%[b]), %[t0]\n\t"
            "adcq 8(%[b]), %[t1]\n\t"
            "adcq 16(%[b]), %[t2]\n\t"
            "adcq 24(%[b]), %[t3]\n\t"
            "movq %[t0], %[s0]\n\t"
            "subq 0(%[m]), %[s0]\n\t"
            "movq %[t1], %[s1]\n\t"
            "sbbq 8(%[m]), %[s1]\n\t"
            "movq %[t2], %[s2]\n\t"
            "sbbq 16(%[m]), %[s2]\n\t"
            "movq %[t3], %[s3]\n\t"
            "sbbq 24(%[m]), %[s3]\n\t"
            "cmovcq %[t0], %[s0]\n\t"
            "cmovcq %[t1], %[s1]\n\t"
            "cmovcq %[t2], %[s2]\n\t"
            "cmovcq %[t3], %[s3]\n\t"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
              [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3)
            : [a] "r"(a), [b] "r"(b), [m] "r"(m)
            : "cc", "memory");
    r[0] = s0;
    r[1] = s1;
    r[2] = s2;
    r[3] = s3;
}

MONT_INLINE void mont_sub(uint64_t r[4], const uint64_t a[4],
                          const uint64_t b[4], const uint64_t m[4])
{
    uint64_t t0, t1, t2, t3, s0, s1, s2, s3;
    __asm__("movq 0(%[a]), %[t0]\n\t"
            "movq 8(%[a]), %[t1]\n\t"
            "movq 16(%[a]), %[t2]\n\t"
            "movq 24(%[a]), %[t3]\n\t"
            "subq 0(%[b]), %[t0]\n\t"
            "sbbq 8(%[b]), %[t1]\n\t"
            "sbbq 16(%[b]), %[t2]\n\t"
            "sbbq 24(%[b]), %[t3]\n\t"
            /* s = borrow ? m : 0 */
            "sbbq %[s0], %[s0]\n\t"
            "movq %[s0], %[s1]\n\t"
            "movq %[s0], %[s2]\n\t"
            "movq %[s0], %[s3]\n\t"
            "andq 0(%[m]), %[s0]\n\t"
            "andq 8(%[m]), %[s1]\n\t"
            "andq 16(%[m]), %[s2]\n\t"
            "andq 24(%[m]), %[s3]\n\t"
            "addq %[s0], %[t0]\n\t"
            "adcq %[s1], %[t1]\n\t"
            "adcq %[s2], %[t2]\n\t"
            "adcq %[s3], %[t3]\n\t"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
              [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3)
            : [a] "r"(a), [b] "r"(b), [m] "r"(m)
            : "cc", "memory");
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
}
#else
MONT_INLINE void mont_add(uint64_t r[4], const uint64_t a[4],
                          const uint64_t b[4], const uint64_t m[4])
{
    uint64_t t[4], c = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 s = (zk_u128)a[i] + b[i] + c;
        t[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    mont_reduce_once(r, t, m);
}

MONT_INLINE void mont_sub(uint64_t r[4], const uint64_t a[4],
                          const uint64_t b[4], const uint64_t m[4])
{
    uint64_t t[4], borrow = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 d = (zk_u128)a[i] - b[i] - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t mask = 0 - borrow, c = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 s = (zk_u128)t[i] + (m[i] & mask) + c;
        r[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
}

#endif

MONT_INLINE void mont_neg(uint64_t r[4], const uint64_t a[4],
                          const uint64_t m[4])
{
    /* m - a, or 0 when a == 0 */
    uint64_t nz = (a[0] | a[1] | a[2] | a[3]);
    uint64_t mask = 0 - (uint64_t)((nz | (0 - nz)) >> 63);
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 d = (zk_u128)m[i] - a[i] - borrow;
        r[i] = (uint64_t)d & mask;
        borrow = (uint64_t)(d >> 64) & 1;
    }
}

MONT_INLINE void mont_dbl(uint64_t r[4], const uint64_t a[4],
                          const uint64_t m[4])
{
    mont_add(r, a, a, m);
}

/* One CIOS round: t += a * bi, then t = (t + q m) / 2^64. */
#define MONT_ROUND(bi)                                                   \
    do {                                                                 \
        uint64_t A_, C_, q_, lo_;                                        \
        MONT_MAC(t0, A_, a[0], (bi), t0, 0);                             \
        q_ = t0 * ninv;                                                  \
        MONT_MAC(lo_, C_, q_, m[0], t0, 0);                              \
        (void)lo_;                                                       \
        MONT_MAC(t1, A_, a[1], (bi), t1, A_);                            \
        MONT_MAC(t0, C_, q_, m[1], t1, C_);                              \
        MONT_MAC(t2, A_, a[2], (bi), t2, A_);                            \
        MONT_MAC(t1, C_, q_, m[2], t2, C_);                              \
        MONT_MAC(t3, A_, a[3], (bi), t3, A_);                            \
        MONT_MAC(t2, C_, q_, m[3], t3, C_);                              \
        t3 = C_ + A_;                                                    \
    } while (0)

/*
 * Montgomery multiplication r = a b 2^-256 mod m: CIOS with the "no-carry"
 * shortcut (Acar's CIOS; the shortcut is from the gnark-crypto team's note
 * "Faster Montgomery multiplication", 2020): when the top limb of m is below
 * 2^63 - 1 the two carry words of CIOS never need a fifth limb.  Portable
 * C with 128-bit products; mont_mul dispatches to the MULX/ADX kernel of
 * mont_adx.h when the CPU has it.
 */
MONT_INLINE void mont_mul_c(uint64_t r[4], const uint64_t a[4],
                            const uint64_t b[4], const uint64_t m[4],
                            uint64_t ninv)
{
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    MONT_ROUND(b0);
    MONT_ROUND(b1);
    MONT_ROUND(b2);
    MONT_ROUND(b3);
    uint64_t t[4] = {t0, t1, t2, t3};
    mont_reduce_once(r, t, m);
}

#include "field/mont_adx.h"

/* Which multiplication kernel runs: set once at load time from the CPU's
 * features (BMI2 + ADX), overridable with zk_field_set_kernel(). */
extern int zk_mont_use_adx_ __attribute__((visibility("hidden")));

#ifdef ZK_HAVE_ADX_KERNEL
/* Out of line, so that the code inlined at every call site is the short
 * assembly kernel plus a call, and the portable kernel is compiled as a
 * function of its own (inlined next to the assembly it made gcc spill). */
static __attribute__((noinline, unused)) void
mont_mul_c_call(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                const uint64_t m[4], uint64_t ninv)
{
    mont_mul_c(r, a, b, m, ninv);
}
#endif

MONT_INLINE void mont_mul(uint64_t r[4], const uint64_t a[4],
                          const uint64_t b[4], const uint64_t m[4],
                          uint64_t ninv)
{
#ifdef ZK_HAVE_ADX_KERNEL
    if (__builtin_expect(zk_mont_use_adx_, 1))
        mont_mul_adx(r, a, b, m, ninv);
    else
        mont_mul_c_call(r, a, b, m, ninv);
#else
    mont_mul_c(r, a, b, m, ninv);
#endif
}

MONT_INLINE void mont_sqr(uint64_t r[4], const uint64_t a[4],
                          const uint64_t m[4], uint64_t ninv)
{
    mont_mul(r, a, a, m, ninv);
}

/* Constant time: returns all-ones when a == b, else 0. */
MONT_INLINE uint64_t mont_eq_mask(const uint64_t a[4], const uint64_t b[4])
{
    uint64_t d = (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]);
    return ((d | (0 - d)) >> 63) - 1;
}

MONT_INLINE int mont_is_zero(const uint64_t a[4])
{
    return (a[0] | a[1] | a[2] | a[3]) == 0;
}

/* r = a if mask is all-ones, else b; constant time. */
MONT_INLINE void mont_select(uint64_t r[4], uint64_t mask,
                             const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 0; i < 4; i++)
        r[i] = (a[i] & mask) | (b[i] & ~mask);
}

/* Plain integer comparison: 1 when a < m (a is a valid residue). */
MONT_INLINE int mont_lt(const uint64_t a[4], const uint64_t m[4])
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 d = (zk_u128)a[i] - m[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return (int)borrow;
}

/* r = a^e, e given as 4 little-endian limbs, fixed 4-bit window; the
 * sequence of operations depends only on the bit length of the loop
 * (256), not on e (table lookups are by scan, so e may be secret). */
MONT_INLINE void mont_pow(uint64_t r[4], const uint64_t a[4],
                          const uint64_t e[4], const uint64_t one[4],
                          const uint64_t m[4], uint64_t ninv)
{
    uint64_t tab[16][4], acc[4];
    memcpy(tab[0], one, 32);
    memcpy(tab[1], a, 32);
    for (int i = 2; i < 16; i++)
        mont_mul(tab[i], tab[i - 1], a, m, ninv);
    memcpy(acc, one, 32);
    for (int i = 63; i >= 0; i--) {
        unsigned nib = (unsigned)(e[i / 16] >> ((i % 16) * 4)) & 15;
        uint64_t sel[4] = {0, 0, 0, 0};
        for (unsigned j = 0; j < 16; j++) {
            uint64_t mask = 0 - (uint64_t)(j == nib);
            for (int k = 0; k < 4; k++)
                sel[k] |= tab[j][k] & mask;
        }
        if (i != 63) {
            mont_sqr(acc, acc, m, ninv);
            mont_sqr(acc, acc, m, ninv);
            mont_sqr(acc, acc, m, ninv);
            mont_sqr(acc, acc, m, ninv);
        }
        mont_mul(acc, acc, sel, m, ninv);
    }
    memcpy(r, acc, 32);
}

#endif
