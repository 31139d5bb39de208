/* fp2.c -- exported Fp2 arithmetic (the inline versions live in
 * tower_inline.h). */
#include "field/tower_inline.h"

void zk_fp2_zero(zk_fp2 *r) { fp2_set_zero(r); }
void zk_fp2_one(zk_fp2 *r) { fp2_set_one(r); }
void zk_fp2_add(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b) { fp2_add(r, a, b); }
void zk_fp2_sub(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b) { fp2_sub(r, a, b); }
void zk_fp2_neg(zk_fp2 *r, const zk_fp2 *a) { fp2_neg(r, a); }
void zk_fp2_mul(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b) { fp2_mul_impl(r, a, b); }
void zk_fp2_sqr(zk_fp2 *r, const zk_fp2 *a) { fp2_sqr_impl(r, a); }
void zk_fp2_mul_by_xi(zk_fp2 *r, const zk_fp2 *a) { fp2_mul_by_xi(r, a); }
void zk_fp2_conj(zk_fp2 *r, const zk_fp2 *a) { fp2_conj(r, a); }
int zk_fp2_inv(zk_fp2 *r, const zk_fp2 *a) { return fp2_inv(r, a); }
int zk_fp2_eq(const zk_fp2 *a, const zk_fp2 *b) { return fp2_eq(a, b); }
int zk_fp2_is_zero(const zk_fp2 *a) { return fp2_is_zero(a); }

void zk_fp2_random(zk_fp2 *r)
{
    zk_fp_random(&r->c0);
    zk_fp_random(&r->c1);
}

void zk_fp2_pow(zk_fp2 *r, const zk_fp2 *a, const uint64_t e[4])
{
    /* fixed 4-bit window with a scanned table: the operation sequence does
     * not depend on e */
    zk_fp2 tab[16], acc;
    fp2_set_one(&tab[0]);
    tab[1] = *a;
    for (int i = 2; i < 16; i++)
        fp2_mul(&tab[i], &tab[i - 1], a);
    fp2_set_one(&acc);
    for (int i = 63; i >= 0; i--) {
        unsigned nib = (unsigned)(e[i / 16] >> ((i % 16) * 4)) & 15;
        zk_fp2 sel;
        memset(&sel, 0, sizeof sel);
        for (unsigned j = 0; j < 16; j++) {
            uint64_t mask = 0 - (uint64_t)(j == nib);
            for (int k = 0; k < 4; k++) {
                sel.c0.l[k] |= tab[j].c0.l[k] & mask;
                sel.c1.l[k] |= tab[j].c1.l[k] & mask;
            }
        }
        for (int s = 0; s < 4 && i != 63; s++)
            fp2_sqr(&acc, &acc);
        fp2_mul(&acc, &acc, &sel);
    }
    *r = acc;
}

int zk_fp2_sqrt_var(zk_fp2 *r, const zk_fp2 *a)
{
    /* Adj, Rodriguez-Henriquez, "Square root computation over even
     * extension fields", Algorithm 9 (q = p^2, p = 3 mod 4). */
    static const uint64_t e34[4] = ZK_FP_SQRT_EXP; /* (p + 1) / 4 */
    static const uint64_t half[4] = ZK_FP_HALF;    /* (p - 1) / 2 */
    uint64_t pm3_4[4];
    zk_fp2 a1, alpha, a0, x0, t, minus_one;
    if (fp2_is_zero(a)) {
        fp2_set_zero(r);
        return ZK_OK;
    }
    /* (p - 3) / 4 = (p + 1) / 4 - 1 */
    memcpy(pm3_4, e34, sizeof pm3_4);
    pm3_4[0] -= 1; /* low limb of (p+1)/4 is non-zero: no borrow */
    zk_fp2_pow(&a1, a, pm3_4);
    fp2_sqr(&alpha, &a1);
    fp2_mul(&alpha, &alpha, a);
    fp2_conj(&a0, &alpha);
    fp2_mul(&a0, &a0, &alpha);
    fp2_set_one(&minus_one);
    fp2_neg(&minus_one, &minus_one);
    if (fp2_eq(&a0, &minus_one))
        return ZK_ENOTSQUARE;
    fp2_mul(&x0, &a1, a);
    if (fp2_eq(&alpha, &minus_one)) {
        /* x = u * x0 */
        zk_fp c0 = x0.c1;
        fp_neg(&t.c0, &c0);
        t.c1 = x0.c0;
    } else {
        zk_fp2 b;
        fp2_set_one(&b);
        fp2_add(&b, &b, &alpha);
        zk_fp2_pow(&b, &b, half);
        fp2_mul(&t, &b, &x0);
    }
    /* defensive: the algorithm is exact, but confirm */
    fp2_sqr(&a0, &t);
    if (!fp2_eq(&a0, a))
        return ZK_ENOTSQUARE;
    *r = t;
    return ZK_OK;
}
