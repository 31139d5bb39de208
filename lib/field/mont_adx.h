/*
 * mont_adx.h -- Montgomery multiplication with MULX/ADCX/ADOX (x86-64 with
 * BMI2 and ADX), the same contract as mont_mul in mont.h (internal).
 *
 * Each of the four rounds adds a * b[i] and then q * m (q = t0 * n') to a
 * five-limb accumulator using two independent carry chains (CF through
 * adcx for the low halves, OF through adox for the high halves), then drops
 * the zero low limb by renaming registers instead of moving them.  With
 * m < 2^254 and a, b < m the accumulator stays below 2^320 and ends below
 * 2m, so one conditional subtraction (cmov, constant time) finishes.
 * r is written only after every read, so it may alias a or b.  The block
 * is volatile with a "memory" clobber (its result goes to memory, not to
 * an output operand): naming each array as an "m" operand instead needs
 * more registers than clang has at -O0 or under ASan.
 */
#ifndef ZK_MONT_ADX_H
#define ZK_MONT_ADX_H

#include <stdint.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define ZK_HAVE_ADX_KERNEL 1

/* one round: T = (x0..x3), x4 is the fresh top limb */
#define ADX_ROUND(boff, x0, x1, x2, x3, x4)                                   \
    "movq " boff "(%[b]), %%rdx\n\t"                                          \
    "xorl %k[" x4 "], %k[" x4 "]\n\t"                                         \
    "mulxq 0(%[a]), %[lo], %[hi]\n\t"                                         \
    "adcxq %[lo], %[" x0 "]\n\t"                                              \
    "adoxq %[hi], %[" x1 "]\n\t"                                              \
    "mulxq 8(%[a]), %[lo], %[hi]\n\t"                                         \
    "adcxq %[lo], %[" x1 "]\n\t"                                              \
    "adoxq %[hi], %[" x2 "]\n\t"                                              \
    "mulxq 16(%[a]), %[lo], %[hi]\n\t"                                        \
    "adcxq %[lo], %[" x2 "]\n\t"                                              \
    "adoxq %[hi], %[" x3 "]\n\t"                                              \
    "mulxq 24(%[a]), %[lo], %[hi]\n\t"                                        \
    "adcxq %[lo], %[" x3 "]\n\t"                                              \
    "adoxq %[hi], %[" x4 "]\n\t"                                              \
    "movl $0, %k[lo]\n\t"                                                     \
    "adcxq %[lo], %[" x4 "]\n\t"                                              \
    "movq %[" x0 "], %%rdx\n\t"                                               \
    "imulq %[ninv], %%rdx\n\t"                                                \
    "xorl %k[lo], %k[lo]\n\t"                                                 \
    "mulxq 0(%[m]), %[lo], %[hi]\n\t"                                         \
    "adcxq %[lo], %[" x0 "]\n\t"                                              \
    "adoxq %[hi], %[" x1 "]\n\t"                                              \
    "mulxq 8(%[m]), %[lo], %[hi]\n\t"                                         \
    "adcxq %[lo], %[" x1 "]\n\t"                                              \
    "adoxq %[hi], %[" x2 "]\n\t"                                              \
    "mulxq 16(%[m]), %[lo], %[hi]\n\t"                                        \
    "adcxq %[lo], %[" x2 "]\n\t"                                              \
    "adoxq %[hi], %[" x3 "]\n\t"                                              \
    "mulxq 24(%[m]), %[lo], %[hi]\n\t"                                        \
    "adcxq %[lo], %[" x3 "]\n\t"                                              \
    "adoxq %[hi], %[" x4 "]\n\t"                                              \
    "movl $0, %k[" x0 "]\n\t"                                                 \
    "adcxq %[" x0 "], %[" x4 "]\n\t"

static inline __attribute__((always_inline)) void
mont_mul_adx(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
             const uint64_t m[4], uint64_t ninv)
{
    uint64_t t0, t1, t2, t3, t4, lo, hi;
    __asm__ volatile(
        "xorl %k[t0], %k[t0]\n\t"
        "xorl %k[t1], %k[t1]\n\t"
        "xorl %k[t2], %k[t2]\n\t"
        "xorl %k[t3], %k[t3]\n\t"
        ADX_ROUND("0", "t0", "t1", "t2", "t3", "t4")
        ADX_ROUND("8", "t1", "t2", "t3", "t4", "t0")
        ADX_ROUND("16", "t2", "t3", "t4", "t0", "t1")
        ADX_ROUND("24", "t3", "t4", "t0", "t1", "t2")
        /* result (t4, t0, t1, t2); subtract m if it is >= m */
        "movq %[t4], %%rdx\n\t"
        "subq 0(%[m]), %%rdx\n\t"
        "movq %[t0], %[lo]\n\t"
        "sbbq 8(%[m]), %[lo]\n\t"
        "movq %[t1], %[hi]\n\t"
        "sbbq 16(%[m]), %[hi]\n\t"
        "movq %[t2], %[t3]\n\t"
        "sbbq 24(%[m]), %[t3]\n\t"
        "cmovncq %%rdx, %[t4]\n\t"
        "cmovncq %[lo], %[t0]\n\t"
        "cmovncq %[hi], %[t1]\n\t"
        "cmovncq %[t3], %[t2]\n\t"
        "movq %[t4], 0(%[r])\n\t"
        "movq %[t0], 8(%[r])\n\t"
        "movq %[t1], 16(%[r])\n\t"
        "movq %[t2], 24(%[r])\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
          [t4] "=&r"(t4), [lo] "=&r"(lo), [hi] "=&r"(hi)
        : [a] "r"(a), [b] "r"(b), [m] "r"(m), [r] "r"(r), [ninv] "r"(ninv)
        : "rdx", "cc", "memory");
}

#undef ADX_ROUND
#endif

#endif
