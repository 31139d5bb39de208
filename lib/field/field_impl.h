/*
 * field_impl.h -- the exported API of a 254-bit prime field, instantiated by
 * fp.c and fr.c (internal; included once per field).
 *
 * The including file defines:
 *   F_T          the element type (zk_fp, zk_fr)
 *   F(name)      the exported name (zk_fp_##name)
 *   FI(name)     the inline op from field_inline.h (fp_##name)
 *   F_MOD, F_ONE, F_R2   static const uint64_t[4] arrays
 *   F_NINV       -m^{-1} mod 2^64
 *   F_INV_EXP, F_HALF    initializers of m - 2 and (m - 1) / 2
 */
#include <gmp.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

void F(zero)(F_T *r) { memset(r, 0, sizeof *r); }
void F(one)(F_T *r) { memcpy(r->l, F_ONE, 32); }

void F(set_u64)(F_T *r, uint64_t v)
{
    uint64_t t[4] = {v, 0, 0, 0};
    mont_mul(r->l, t, F_R2, F_MOD, F_NINV);
}

void F(add)(F_T *r, const F_T *a, const F_T *b) { FI(add)(r, a, b); }
void F(sub)(F_T *r, const F_T *a, const F_T *b) { FI(sub)(r, a, b); }
void F(neg)(F_T *r, const F_T *a) { FI(neg)(r, a); }
void F(dbl)(F_T *r, const F_T *a) { FI(dbl)(r, a); }
void F(mul)(F_T *r, const F_T *a, const F_T *b) { FI(mul)(r, a, b); }
void F(sqr)(F_T *r, const F_T *a) { FI(sqr)(r, a); }

void F(pow)(F_T *r, const F_T *a, const uint64_t e[4])
{
    mont_pow(r->l, a->l, e, F_ONE, F_MOD, F_NINV);
}

int F(inv)(F_T *r, const F_T *a)
{
    static const uint64_t e[4] = F_INV_EXP;
    int zero = mont_is_zero(a->l);
    mont_pow(r->l, a->l, e, F_ONE, F_MOD, F_NINV);
    return zero ? ZK_EZERO : ZK_OK;
}

/*
 * r = 1/a, variable time (public data only): the extended Euclidean
 * algorithm of GMP's mpn layer (Lehmer / half-gcd steps, stack scratch
 * only), about 6x faster than the Fermat inversion.  a is in Montgomery
 * form, aR: gcdext gives (aR)^-1 = a^-1 R^-1, and a Montgomery
 * multiplication by R^3 turns that into a^-1 R.  Returns ZK_EZERO for 0.
 */
int F(inv_var)(F_T *r, const F_T *a)
{
    static const uint64_t R3[4] = F_R3;
    mp_limb_t u[4], v[4], g[4], s[5];
    mp_size_t sn;
    if (mont_is_zero(a->l))
        return ZK_EZERO;
    if (a->l[3] == 0 || sizeof(mp_limb_t) != sizeof(uint64_t))
        return F(inv)(r, a); /* gcdext wants the top limb of u set */
    for (int i = 0; i < 4; i++) {
        u[i] = (mp_limb_t)a->l[i];
        v[i] = (mp_limb_t)F_MOD[i];
    }
    /* g = s u + t v with u = aR, v = the modulus, so s = (aR)^-1 */
    mpn_gcdext(g, s, &sn, u, 4, v, 4);
    uint64_t t[4] = {0, 0, 0, 0};
    mp_size_t an = sn < 0 ? -sn : sn;
    for (mp_size_t i = 0; i < an && i < 4; i++)
        t[i] = (uint64_t)s[i];
    if (sn < 0)
        mont_sub(t, F_MOD, t, F_MOD); /* modulus - |s| */
    mont_mul(r->l, t, R3, F_MOD, F_NINV);
    return ZK_OK;
}

void F(batch_inv)(F_T *out, const F_T *in, size_t n)
{
    F_T acc, t;
    if (n == 0)
        return;
    /* out[i] = product of the non-zero in[0..i) */
    memcpy(acc.l, F_ONE, 32);
    for (size_t i = 0; i < n; i++) {
        out[i] = acc;
        if (!mont_is_zero(in[i].l))
            FI(mul)(&acc, &acc, &in[i]);
    }
    if (F(inv)(&acc, &acc) != ZK_OK)
        return; /* cannot happen: acc is a product of non-zero elements */
    for (size_t i = n; i-- > 0;) {
        if (mont_is_zero(in[i].l)) {
            memset(&out[i], 0, sizeof out[i]);
            continue;
        }
        FI(mul)(&t, &acc, &out[i]);
        FI(mul)(&acc, &acc, &in[i]);
        out[i] = t;
    }
}

int F(legendre)(const F_T *a)
{
    static const uint64_t e[4] = F_HALF;
    F_T t;
    if (mont_is_zero(a->l))
        return 0;
    mont_pow(t.l, a->l, e, F_ONE, F_MOD, F_NINV);
    return (mont_eq_mask(t.l, F_ONE) & 1) ? 1 : -1;
}

int F(eq)(const F_T *a, const F_T *b) { return FI(eq)(a, b); }
int F(is_zero)(const F_T *a) { return mont_is_zero(a->l); }
int F(is_one)(const F_T *a) { return (int)(mont_eq_mask(a->l, F_ONE) & 1); }

void F(to_limbs)(uint64_t out[4], const F_T *a)
{
    static const uint64_t one[4] = {1, 0, 0, 0};
    mont_mul(out, a->l, one, F_MOD, F_NINV);
}

int F(from_limbs)(F_T *r, const uint64_t in[4])
{
    if (!mont_lt(in, F_MOD))
        return ZK_ERANGE;
    mont_mul(r->l, in, F_R2, F_MOD, F_NINV);
    return ZK_OK;
}

int F(is_odd)(const F_T *a)
{
    uint64_t v[4];
    F(to_limbs)(v, a);
    return (int)(v[0] & 1);
}

static void F(limbs_to_le)(uint8_t out[32], const uint64_t v[4])
{
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(v[i / 8] >> (8 * (i % 8)));
}

static void F(le_to_limbs)(uint64_t v[4], const uint8_t in[32])
{
    for (int i = 0; i < 4; i++) {
        v[i] = 0;
        for (int j = 7; j >= 0; j--)
            v[i] = (v[i] << 8) | in[8 * i + j];
    }
}

void F(to_bytes_le)(uint8_t out[32], const F_T *a)
{
    uint64_t v[4];
    F(to_limbs)(v, a);
    F(limbs_to_le)(out, v);
}

void F(to_bytes_be)(uint8_t out[32], const F_T *a)
{
    uint8_t le[32];
    F(to_bytes_le)(le, a);
    for (int i = 0; i < 32; i++)
        out[i] = le[31 - i];
}

int F(from_bytes_le)(F_T *r, const uint8_t in[32])
{
    uint64_t v[4];
    F(le_to_limbs)(v, in);
    return F(from_limbs)(r, v);
}

int F(from_bytes_be)(F_T *r, const uint8_t in[32])
{
    uint8_t le[32];
    for (int i = 0; i < 32; i++)
        le[i] = in[31 - i];
    return F(from_bytes_le)(r, le);
}

void F(to_mont_le)(uint8_t out[32], const F_T *a)
{
    F(limbs_to_le)(out, a->l);
}

int F(from_mont_le)(F_T *r, const uint8_t in[32])
{
    uint64_t v[4];
    F(le_to_limbs)(v, in);
    if (!mont_lt(v, F_MOD))
        return ZK_ERANGE;
    memcpy(r->l, v, 32);
    return ZK_OK;
}

/* Parse digits in the given base (10 or 16) into an element. */
static int F(from_str)(F_T *r, const char *s, int base)
{
    mpz_t z;
    uint64_t v[4] = {0, 0, 0, 0};
    size_t n = 0;
    const char *d = s;
    if (s == NULL)
        return ZK_EINVAL;
    if (base == 16 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
        d += 2;
    if (*d == '\0')
        return ZK_EENCODING;
    for (const char *c = d; *c; c++) {
        int ok = base == 10 ? (*c >= '0' && *c <= '9')
                            : ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') ||
                               (*c >= 'A' && *c <= 'F'));
        if (!ok)
            return ZK_EENCODING;
    }
    /* skip leading zeros; more than 77 significant digits cannot be < m */
    while (d[0] == '0' && d[1] != '\0')
        d++;
    if (strlen(d) > (base == 10 ? 77u : 64u))
        return ZK_ERANGE;
    mpz_init(z);
    if (mpz_set_str(z, d, base) != 0) {
        mpz_clear(z);
        return ZK_EENCODING;
    }
    if (mpz_sizeinbase(z, 2) > 256) {
        mpz_clear(z);
        return ZK_ERANGE;
    }
    mpz_export(v, &n, -1, sizeof v[0], 0, 0, z);
    mpz_clear(z);
    return F(from_limbs)(r, v);
}

int F(from_dec)(F_T *r, const char *s) { return F(from_str)(r, s, 10); }
int F(from_hex)(F_T *r, const char *s) { return F(from_str)(r, s, 16); }

void F(to_dec)(char out[80], const F_T *a)
{
    uint64_t v[4];
    mpz_t z;
    F(to_limbs)(v, a);
    mpz_init(z);
    mpz_import(z, 4, -1, sizeof v[0], 0, 0, v);
    mpz_get_str(out, 10, z);
    mpz_clear(z);
}

void F(to_hex)(char out[67], const F_T *a)
{
    uint64_t v[4];
    F(to_limbs)(v, a);
    snprintf(out, 67, "0x%016llx%016llx%016llx%016llx", (unsigned long long)v[3],
             (unsigned long long)v[2], (unsigned long long)v[1], (unsigned long long)v[0]);
}

void F(random)(F_T *r)
{
    /* rejection sampling of 254-bit integers: uniform, ~1.3 draws */
    uint64_t v[4];
    for (;;) {
        randombytes_buf(v, sizeof v);
        v[3] &= (UINT64_C(1) << 62) - 1;
        if (mont_lt(v, F_MOD))
            break;
    }
    mont_mul(r->l, v, F_R2, F_MOD, F_NINV);
    sodium_memzero(v, sizeof v);
}
