/*
 * point_impl.h -- short-Weierstrass (a = 0) point arithmetic, written once
 * and instantiated for G1 over Fp and G2 over Fp2 (internal).
 *
 * The including file defines, before including:
 *   PT_F        field element type            (zk_fp / zk_fp2)
 *   PT_A        affine point type {x, y}      (zk_g1 / zk_g2)
 *   PT_J        Jacobian point type {x, y, z} (zk_g1j / zk_g2j)
 *   PT(name)    prefix for the generated static functions (g1_##name)
 *   F_ADD F_SUB F_DBL F_MUL F_SQR F_NEG F_IS_ZERO F_EQ F_ZERO F_ONE F_INV
 *               the field's inline operations
 *   PT_B        pointer to the curve constant b (const PT_F *)
 *
 * Jacobian (X, Y, Z) stands for (X/Z^2, Y/Z^3); Z = 0 is the point at
 * infinity.  In affine form the point at infinity is (0, 0), which is on
 * neither curve (b != 0).  Formulas are from the Explicit-Formulas Database
 * (EFD, "g1p/shortw/jacobian-0"): dbl-2009-l, add-2007-bl, madd-2007-bl.
 * They are not complete: the additions branch on the exceptional cases
 * (P = Q, P = -Q, infinity), so they are variable-time in those cases.
 */

MONT_INLINE void PT(j_set_inf)(PT_J *r)
{
    F_ONE(&r->x);
    F_ONE(&r->y);
    F_ZERO(&r->z);
}

MONT_INLINE int PT(j_is_inf)(const PT_J *p) { return F_IS_ZERO(&p->z); }

MONT_INLINE int PT(a_is_inf)(const PT_A *p)
{
    return F_IS_ZERO(&p->x) && F_IS_ZERO(&p->y);
}

MONT_INLINE void PT(j_from_a)(PT_J *r, const PT_A *a)
{
    if (PT(a_is_inf)(a)) {
        PT(j_set_inf)(r);
        return;
    }
    r->x = a->x;
    r->y = a->y;
    F_ONE(&r->z);
}

/* dbl-2009-l: 2M + 5S */
static inline void PT(j_dbl)(PT_J *r, const PT_J *p)
{
    PT_F A, B, C, D, E, F, t;
    if (PT(j_is_inf)(p)) {
        *r = *p;
        return;
    }
    F_SQR(&A, &p->x);
    F_SQR(&B, &p->y);
    F_SQR(&C, &B);
    F_ADD(&t, &p->x, &B);
    F_SQR(&t, &t);
    F_SUB(&t, &t, &A);
    F_SUB(&t, &t, &C);
    F_DBL(&D, &t);
    F_DBL(&E, &A);
    F_ADD(&E, &E, &A);
    F_SQR(&F, &E);
    F_MUL(&t, &p->y, &p->z); /* before r->y is written: r may alias p */
    F_DBL(&r->z, &t);
    F_DBL(&t, &D);
    F_SUB(&r->x, &F, &t);
    F_SUB(&t, &D, &r->x);
    F_MUL(&t, &E, &t);
    F_DBL(&C, &C);
    F_DBL(&C, &C);
    F_DBL(&C, &C);
    F_SUB(&r->y, &t, &C);
}

/* add-2007-bl: 11M + 5S */
static inline void PT(j_add)(PT_J *r, const PT_J *p, const PT_J *q)
{
    PT_F z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    if (PT(j_is_inf)(p)) {
        *r = *q;
        return;
    }
    if (PT(j_is_inf)(q)) {
        *r = *p;
        return;
    }
    F_SQR(&z1z1, &p->z);
    F_SQR(&z2z2, &q->z);
    F_MUL(&u1, &p->x, &z2z2);
    F_MUL(&u2, &q->x, &z1z1);
    F_MUL(&s1, &p->y, &q->z);
    F_MUL(&s1, &s1, &z2z2);
    F_MUL(&s2, &q->y, &p->z);
    F_MUL(&s2, &s2, &z1z1);
    F_SUB(&h, &u2, &u1);
    F_SUB(&rr, &s2, &s1);
    if (F_IS_ZERO(&h)) {
        if (F_IS_ZERO(&rr)) {
            PT(j_dbl)(r, p);
        } else {
            PT(j_set_inf)(r);
        }
        return;
    }
    F_DBL(&i, &h);
    F_SQR(&i, &i);
    F_MUL(&j, &h, &i);
    F_DBL(&rr, &rr);
    F_MUL(&v, &u1, &i);
    /* Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H, before p and q are overwritten */
    F_ADD(&t, &p->z, &q->z);
    F_SQR(&t, &t);
    F_SUB(&t, &t, &z1z1);
    F_SUB(&t, &t, &z2z2);
    F_MUL(&r->z, &t, &h);
    F_SQR(&t, &rr);
    F_SUB(&t, &t, &j);
    F_SUB(&t, &t, &v);
    F_SUB(&r->x, &t, &v);
    F_SUB(&t, &v, &r->x);
    F_MUL(&t, &rr, &t);
    F_MUL(&s1, &s1, &j);
    F_DBL(&s1, &s1);
    F_SUB(&r->y, &t, &s1);
}

/* madd-2007-bl (q affine): 7M + 4S */
static inline void PT(j_add_a)(PT_J *r, const PT_J *p, const PT_A *q)
{
    PT_F z1z1, u2, s2, h, hh, i, j, rr, v, t;
    if (PT(a_is_inf)(q)) {
        *r = *p;
        return;
    }
    if (PT(j_is_inf)(p)) {
        PT(j_from_a)(r, q);
        return;
    }
    F_SQR(&z1z1, &p->z);
    F_MUL(&u2, &q->x, &z1z1);
    F_MUL(&s2, &q->y, &p->z);
    F_MUL(&s2, &s2, &z1z1);
    F_SUB(&h, &u2, &p->x);
    F_SUB(&rr, &s2, &p->y);
    if (F_IS_ZERO(&h)) {
        if (F_IS_ZERO(&rr))
            PT(j_dbl)(r, p);
        else
            PT(j_set_inf)(r);
        return;
    }
    F_SQR(&hh, &h);
    F_DBL(&i, &hh);
    F_DBL(&i, &i);
    F_MUL(&j, &h, &i);
    F_DBL(&rr, &rr);
    F_MUL(&v, &p->x, &i);
    F_ADD(&t, &p->z, &h);
    F_SQR(&t, &t);
    F_SUB(&t, &t, &z1z1);
    F_SUB(&r->z, &t, &hh);
    F_MUL(&i, &p->y, &j); /* Y1 J, before r->y may overwrite p->y */
    F_SQR(&t, &rr);
    F_SUB(&t, &t, &j);
    F_SUB(&t, &t, &v);
    F_SUB(&r->x, &t, &v);
    F_SUB(&t, &v, &r->x);
    F_MUL(&t, &rr, &t);
    F_DBL(&i, &i);
    F_SUB(&r->y, &t, &i);
}

MONT_INLINE void PT(j_neg)(PT_J *r, const PT_J *p)
{
    r->x = p->x;
    F_NEG(&r->y, &p->y);
    r->z = p->z;
}

/* Projective equality: X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3. */
static inline int PT(j_eq)(const PT_J *p, const PT_J *q)
{
    PT_F z1z1, z2z2, a, b;
    int pi = PT(j_is_inf)(p), qi = PT(j_is_inf)(q);
    if (pi || qi)
        return pi && qi;
    F_SQR(&z1z1, &p->z);
    F_SQR(&z2z2, &q->z);
    F_MUL(&a, &p->x, &z2z2);
    F_MUL(&b, &q->x, &z1z1);
    if (!F_EQ(&a, &b))
        return 0;
    F_MUL(&a, &p->y, &z2z2);
    F_MUL(&a, &a, &q->z);
    F_MUL(&b, &q->y, &z1z1);
    F_MUL(&b, &b, &p->z);
    return F_EQ(&a, &b);
}

/* y^2 == x^3 + b (affine, not infinity) */
static inline int PT(a_on_curve)(const PT_A *p)
{
    PT_F l, r;
    F_SQR(&l, &p->y);
    F_SQR(&r, &p->x);
    F_MUL(&r, &r, &p->x);
    F_ADD(&r, &r, PT_B);
    return F_EQ(&l, &r);
}

static inline void PT(j_to_a)(PT_A *r, const PT_J *p)
{
    PT_F zi, zi2;
    if (PT(j_is_inf)(p)) {
        F_ZERO(&r->x);
        F_ZERO(&r->y);
        return;
    }
    if (F_INV(&zi, &p->z) != 0) {
        F_ZERO(&r->x); /* unreachable: z != 0 */
        F_ZERO(&r->y);
        return;
    }
    F_SQR(&zi2, &zi);
    F_MUL(&r->x, &p->x, &zi2);
    F_MUL(&zi2, &zi2, &zi);
    F_MUL(&r->y, &p->y, &zi2);
}

/* out[i] = affine(in[i]) with one inversion; scratch holds n field
 * elements.  out may alias in only as the same array of Jacobian points
 * is not possible (types differ), so out and in are distinct. */
static __attribute__((noinline, unused)) void PT(j_batch_to_a)(PT_A *out, const PT_J *in, size_t n, PT_F *scratch)
{
    PT_F acc, t, zi2;
    F_ONE(&acc);
    for (size_t i = 0; i < n; i++) {
        scratch[i] = acc;
        if (!PT(j_is_inf)(&in[i]))
            F_MUL(&acc, &acc, &in[i].z);
    }
    if (F_INV(&acc, &acc) != 0)
        return;
    for (size_t i = n; i-- > 0;) {
        if (PT(j_is_inf)(&in[i])) {
            F_ZERO(&out[i].x);
            F_ZERO(&out[i].y);
            continue;
        }
        F_MUL(&t, &acc, &scratch[i]); /* 1 / z_i */
        F_MUL(&acc, &acc, &in[i].z);
        F_SQR(&zi2, &t);
        F_MUL(&out[i].x, &in[i].x, &zi2);
        F_MUL(&zi2, &zi2, &t);
        F_MUL(&out[i].y, &in[i].y, &zi2);
    }
}

/* r = [k] p for an integer k of n limbs, variable time (public k). */
static __attribute__((noinline, unused)) void PT(j_mul_limbs_var)(PT_J *r, const PT_J *p, const uint64_t *k, size_t n)
{
    PT_J acc, base = *p;
    PT(j_set_inf)(&acc);
    for (size_t i = n * 64; i-- > 0;) {
        PT(j_dbl)(&acc, &acc);
        if ((k[i / 64] >> (i % 64)) & 1)
            PT(j_add)(&acc, &acc, &base);
    }
    *r = acc;
}

/* Homogeneous projective (x = X/Z, y = Y/Z; infinity is (0 : 1 : 0)) for
 * the complete formulas below. */
typedef struct { PT_F x, y, z; } PT(hp);

/* r = p + q with the complete formulas for a = 0 (Renes, Costello, Batina,
 * "Complete addition formulas for prime order elliptic curves", EUROCRYPT
 * 2016, Algorithm 7): no exceptional case at all, so also valid for p = q,
 * p = -q and infinity -- the same operations whatever the inputs.  b3 = 3b.
 * r may alias p or q. */
static inline void PT(hp_add)(PT(hp) *r, const PT(hp) *p, const PT(hp) *q, const PT_F *b3)
{
    PT_F t0, t1, t2, t3, t4, x3, y3, z3;
    F_MUL(&t0, &p->x, &q->x);
    F_MUL(&t1, &p->y, &q->y);
    F_MUL(&t2, &p->z, &q->z);
    F_ADD(&t3, &p->x, &p->y);
    F_ADD(&t4, &q->x, &q->y);
    F_MUL(&t3, &t3, &t4);
    F_ADD(&t4, &t0, &t1);
    F_SUB(&t3, &t3, &t4);
    F_ADD(&t4, &p->y, &p->z);
    F_ADD(&x3, &q->y, &q->z);
    F_MUL(&t4, &t4, &x3);
    F_ADD(&x3, &t1, &t2);
    F_SUB(&t4, &t4, &x3);
    F_ADD(&x3, &p->x, &p->z);
    F_ADD(&y3, &q->x, &q->z);
    F_MUL(&x3, &x3, &y3);
    F_ADD(&y3, &t0, &t2);
    F_SUB(&y3, &x3, &y3);
    F_DBL(&x3, &t0);
    F_ADD(&t0, &x3, &t0);
    F_MUL(&t2, b3, &t2);
    F_ADD(&z3, &t1, &t2);
    F_SUB(&t1, &t1, &t2);
    F_MUL(&y3, b3, &y3);
    F_MUL(&x3, &t4, &y3);
    F_MUL(&t2, &t3, &t1);
    F_SUB(&x3, &t2, &x3);
    F_MUL(&y3, &y3, &t0);
    F_MUL(&t1, &t1, &z3);
    F_ADD(&y3, &t1, &y3);
    F_MUL(&t0, &t0, &t3);
    F_MUL(&z3, &z3, &t4);
    F_ADD(&z3, &z3, &t0);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* r = [k] p, k < 2^256, for SECRET k: fixed 4-bit windows over the
 * complete formulas above, the table read by a full masked scan.  The
 * sequence of field operations and memory accesses is the same for every
 * k and p (the field operations are constant time), apart from the final
 * conversion back to Jacobian coordinates. */
static __attribute__((noinline, unused)) void PT(j_mul_ct)(PT_J *r, const PT_J *p, const uint64_t k[4])
{
    PT(hp) tab[16], acc, sel;
    PT_F b3, t;
    F_DBL(&b3, PT_B);
    F_ADD(&b3, &b3, PT_B);
    /* Jacobian (X, Y, Z) -> homogeneous (X Z, Y, Z^3); infinity (1, 1, 0)
     * becomes (0, 1, 0) */
    F_ZERO(&tab[0].x);
    F_ONE(&tab[0].y);
    F_ZERO(&tab[0].z);
    F_MUL(&tab[1].x, &p->x, &p->z);
    tab[1].y = p->y;
    F_SQR(&t, &p->z);
    F_MUL(&tab[1].z, &t, &p->z);
    for (int i = 2; i < 16; i++)
        PT(hp_add)(&tab[i], &tab[i - 1], &tab[1], &b3);
    acc = tab[0];
    for (int i = 63; i >= 0; i--) {
        unsigned nib = (unsigned)(k[i / 16] >> ((i % 16) * 4)) & 15;
        for (int d = 0; d < 4; d++)
            PT(hp_add)(&acc, &acc, &acc, &b3);
        memset(&sel, 0, sizeof sel);
        for (unsigned j = 0; j < 16; j++) {
            uint64_t mask = 0 - (uint64_t)(j == nib);
            const uint64_t *src = (const uint64_t *)&tab[j];
            uint64_t *dst = (uint64_t *)&sel;
            for (size_t w = 0; w < sizeof sel / 8; w++)
                dst[w] |= src[w] & mask;
        }
        PT(hp_add)(&acc, &acc, &sel, &b3);
    }
    /* homogeneous (X, Y, Z) -> Jacobian (X Z, Y Z^2, Z) */
    if (F_IS_ZERO(&acc.z)) {
        PT(j_set_inf)(r);
        return;
    }
    F_MUL(&r->x, &acc.x, &acc.z);
    F_SQR(&t, &acc.z);
    F_MUL(&r->y, &acc.y, &t);
    r->z = acc.z;
}
