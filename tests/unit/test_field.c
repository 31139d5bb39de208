/*
 * test_field -- Fp and Fr against GMP mpz, the independent oracle.
 *
 * Every operation is run on edge values (0, 1, 2, m-1, m-2, m - 2^k, values
 * around 2^64, 2^128, 2^192, 2^253) and on 10^5 random values, in every
 * aliasing form (r = a, r = b, a = b), and compared with mpz arithmetic.
 * Everything runs once per multiplication kernel this CPU can run
 * (portable C, and MULX/ADX where available).
 */
#include <gmp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "field/fp.h"
#include "field/fr.h"
#include "field/kernel.h"
#include "tap.h"

#define NRAND 100000

/* Both fields have the same layout; one table of function pointers lets
 * one body of tests serve both. */
typedef struct { uint64_t l[4]; } el;
typedef struct {
    const char *name;
    const char *modulus;
    void (*add)(el *, const el *, const el *);
    void (*sub)(el *, const el *, const el *);
    void (*mul)(el *, const el *, const el *);
    void (*sqr)(el *, const el *);
    void (*neg)(el *, const el *);
    void (*dbl)(el *, const el *);
    int (*inv)(el *, const el *);
    void (*pow)(el *, const el *, const uint64_t *);
    int (*sqrt)(el *, const el *);
    int (*legendre)(const el *);
    void (*batch_inv)(el *, const el *, size_t);
    void (*to_limbs)(uint64_t *, const el *);
    int (*from_limbs)(el *, const uint64_t *);
    void (*to_bytes_le)(uint8_t *, const el *);
    void (*to_bytes_be)(uint8_t *, const el *);
    int (*from_bytes_le)(el *, const uint8_t *);
    int (*from_bytes_be)(el *, const uint8_t *);
    void (*to_mont_le)(uint8_t *, const el *);
    int (*from_mont_le)(el *, const uint8_t *);
    int (*from_dec)(el *, const char *);
    int (*from_hex)(el *, const char *);
    void (*to_dec)(char *, const el *);
    void (*to_hex)(char *, const el *);
    void (*random)(el *);
} field;

#define FIELD_TABLE(pre, T, mod)                                                     \
    {                                                                                \
        #pre, mod, (void (*)(el *, const el *, const el *))zk_##pre##_add,           \
            (void (*)(el *, const el *, const el *))zk_##pre##_sub,                  \
            (void (*)(el *, const el *, const el *))zk_##pre##_mul,                  \
            (void (*)(el *, const el *))zk_##pre##_sqr,                              \
            (void (*)(el *, const el *))zk_##pre##_neg,                              \
            (void (*)(el *, const el *))zk_##pre##_dbl,                              \
            (int (*)(el *, const el *))zk_##pre##_inv,                               \
            (void (*)(el *, const el *, const uint64_t *))zk_##pre##_pow,            \
            (int (*)(el *, const el *))zk_##pre##_sqrt,                              \
            (int (*)(const el *))zk_##pre##_legendre,                                \
            (void (*)(el *, const el *, size_t))zk_##pre##_batch_inv,                \
            (void (*)(uint64_t *, const el *))zk_##pre##_to_limbs,                   \
            (int (*)(el *, const uint64_t *))zk_##pre##_from_limbs,                  \
            (void (*)(uint8_t *, const el *))zk_##pre##_to_bytes_le,                 \
            (void (*)(uint8_t *, const el *))zk_##pre##_to_bytes_be,                 \
            (int (*)(el *, const uint8_t *))zk_##pre##_from_bytes_le,                \
            (int (*)(el *, const uint8_t *))zk_##pre##_from_bytes_be,                \
            (void (*)(uint8_t *, const el *))zk_##pre##_to_mont_le,                  \
            (int (*)(el *, const uint8_t *))zk_##pre##_from_mont_le,                 \
            (int (*)(el *, const char *))zk_##pre##_from_dec,                        \
            (int (*)(el *, const char *))zk_##pre##_from_hex,                        \
            (void (*)(char *, const el *))zk_##pre##_to_dec,                         \
            (void (*)(char *, const el *))zk_##pre##_to_hex,                         \
            (void (*)(el *))zk_##pre##_random                                        \
    }

static const field FIELDS[2] = {
    FIELD_TABLE(fp, zk_fp,
                "21888242871839275222246405745257275088696311157297823662689037894645226208583"),
    FIELD_TABLE(fr, zk_fr,
                "21888242871839275222246405745257275088548364400416034343698204186575808495617"),
};

static mpz_t M;
static gmp_randstate_t RS;

static void z_of(mpz_t z, const field *f, const el *a)
{
    uint64_t v[4];
    f->to_limbs(v, a);
    mpz_import(z, 4, -1, 8, 0, 0, v);
}

static void el_of(const field *f, el *a, const mpz_t z)
{
    uint64_t v[4] = {0, 0, 0, 0};
    mpz_export(v, NULL, -1, 8, 0, 0, z);
    if (f->from_limbs(a, v) != 0)
        bail_out("el_of: value out of range");
}

/* The value set: edges then random. */
static size_t NVALS;
static mpz_t *VALS;

static void build_values(void)
{
    static const char *edges_expr[] = {"0", "1", "2", "3", "m-1", "m-2", "m-3"};
    size_t cap = 64 + NRAND;
    VALS = malloc(cap * sizeof *VALS);
    NVALS = 0;
    mpz_t t;
    mpz_init(t);
    for (size_t i = 0; i < sizeof edges_expr / sizeof *edges_expr; i++) {
        const char *e = edges_expr[i];
        mpz_init(VALS[NVALS]);
        if (e[0] == 'm')
            mpz_sub_ui(VALS[NVALS], M, (unsigned long)(e[2] - '0'));
        else
            mpz_set_ui(VALS[NVALS], (unsigned long)(e[0] - '0'));
        NVALS++;
    }
    /* m - 2^k and 2^k +- 1 for k at limb boundaries */
    static const unsigned ks[] = {1, 31, 32, 63, 64, 65, 127, 128, 129, 191, 192, 193, 252, 253};
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
        mpz_set_ui(t, 0);
        mpz_setbit(t, ks[i]);
        mpz_init(VALS[NVALS]);
        mpz_sub(VALS[NVALS++], M, t);
        mpz_init(VALS[NVALS]);
        mpz_sub_ui(VALS[NVALS++], t, 1);
        mpz_init_set(VALS[NVALS++], t);
        mpz_init(VALS[NVALS]);
        mpz_add_ui(VALS[NVALS++], t, 1);
    }
    for (size_t i = 0; i < NRAND; i++) {
        mpz_init(VALS[NVALS]);
        mpz_urandomm(VALS[NVALS++], RS, M);
    }
    mpz_clear(t);
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_SQR, OP_NEG, OP_DBL };

static void ref_op(int op, mpz_t r, const mpz_t a, const mpz_t b)
{
    switch (op) {
    case OP_ADD: mpz_add(r, a, b); break;
    case OP_SUB: mpz_sub(r, a, b); break;
    case OP_MUL: mpz_mul(r, a, b); break;
    case OP_SQR: mpz_mul(r, a, a); break;
    case OP_NEG: mpz_neg(r, a); break;
    case OP_DBL: mpz_mul_2exp(r, a, 1); break;
    }
    mpz_mod(r, r, M);
}

static void run_op(const field *f, int op, el *r, const el *a, const el *b)
{
    switch (op) {
    case OP_ADD: f->add(r, a, b); break;
    case OP_SUB: f->sub(r, a, b); break;
    case OP_MUL: f->mul(r, a, b); break;
    case OP_SQR: f->sqr(r, a); break;
    case OP_NEG: f->neg(r, a); break;
    case OP_DBL: f->dbl(r, a); break;
    }
}

/* Every aliasing form: 0 fresh r, 1 r = a, 2 r = b, 3 a = b (fresh r),
 * 4 r = a = b. */
static void test_binary(const field *f, int op, const char *opname, int unary)
{
    mpz_t ra, rb, want, got;
    mpz_inits(ra, rb, want, got, NULL);
    long fails[5] = {0, 0, 0, 0, 0};
    size_t n = 0;
    for (size_t i = 0; i < NVALS; i++) {
        /* b: for the edge values pair each with each edge; else random */
        size_t j = i < 64 ? (i * 7 + 3) % NVALS : (size_t)gmp_urandomm_ui(RS, NVALS);
        for (size_t pass = 0; pass < (i < 64 ? 64u : 1u); pass++, n++) {
            size_t jj = i < 64 ? pass : j;
            el a, b, r;
            el_of(f, &a, VALS[i]);
            el_of(f, &b, VALS[jj]);
            ref_op(op, want, VALS[i], VALS[jj]);
            run_op(f, op, &r, &a, &b);
            z_of(got, f, &r);
            fails[0] += mpz_cmp(got, want) != 0;
            r = a;
            run_op(f, op, &r, &r, &b);
            z_of(got, f, &r);
            fails[1] += mpz_cmp(got, want) != 0;
            if (!unary) {
                r = b;
                run_op(f, op, &r, &a, &r);
                z_of(got, f, &r);
                fails[2] += mpz_cmp(got, want) != 0;
            }
            ref_op(op, want, VALS[i], VALS[i]);
            run_op(f, op, &r, &a, &a);
            z_of(got, f, &r);
            fails[3] += mpz_cmp(got, want) != 0;
            r = a;
            run_op(f, op, &r, &r, &r);
            z_of(got, f, &r);
            fails[4] += mpz_cmp(got, want) != 0;
        }
    }
    static const char *forms[5] = {"r fresh", "r = a", "r = b", "a = b", "r = a = b"};
    for (int k = 0; k < 5; k++) {
        if (unary && k == 2)
            continue;
        ok(fails[k] == 0, "%s %s matches GMP on %zu inputs (%s)", f->name, opname, n,
           forms[k]);
    }
    mpz_clears(ra, rb, want, got, NULL);
}

static void test_inverse(const field *f)
{
    mpz_t want, got;
    mpz_inits(want, got, NULL);
    long fails = 0, alias = 0;
    size_t n = 0;
    for (size_t i = 1; i < NVALS; i++) {
        if (mpz_sgn(VALS[i]) == 0)
            continue;
        el a, r;
        el_of(f, &a, VALS[i]);
        mpz_invert(want, VALS[i], M);
        fails += f->inv(&r, &a) != 0;
        z_of(got, f, &r);
        fails += mpz_cmp(got, want) != 0;
        if (f->inv(&a, &a) != 0)
            alias++;
        z_of(got, f, &a);
        alias += mpz_cmp(got, want) != 0;
        n++;
    }
    ok(fails == 0, "%s inv matches mpz_invert on %zu inputs", f->name, n);
    ok(alias == 0, "%s inv matches mpz_invert with r = a", f->name);
    el z, r;
    memset(&z, 0, sizeof z);
    ok(f->inv(&r, &z) == ZK_EZERO, "%s inv(0) returns ZK_EZERO", f->name);
    mpz_clears(want, got, NULL);
}

static void test_batch_inv(const field *f)
{
    static const size_t sizes[] = {0, 1, 2, 3, 17, 1000};
    long fails = 0;
    mpz_t want, got;
    mpz_inits(want, got, NULL);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        el *in = malloc((n + 1) * sizeof *in), *out = malloc((n + 1) * sizeof *out);
        for (size_t i = 0; i < n; i++) {
            /* every fifth entry zero */
            size_t k = i % 5 == 4 ? 0 : 1 + (size_t)gmp_urandomm_ui(RS, NVALS - 1);
            el_of(f, &in[i], VALS[k]);
        }
        f->batch_inv(out, in, n);
        for (size_t i = 0; i < n; i++) {
            z_of(got, f, &in[i]);
            if (mpz_sgn(got) == 0)
                mpz_set_ui(want, 0);
            else
                mpz_invert(want, got, M);
            z_of(got, f, &out[i]);
            fails += mpz_cmp(got, want) != 0;
        }
        free(in);
        free(out);
    }
    ok(fails == 0, "%s batch_inv matches mpz_invert (sizes 0..1000, zeros kept)", f->name);
    mpz_clears(want, got, NULL);
}

static void test_pow_sqrt(const field *f)
{
    mpz_t e, want, got, t;
    mpz_inits(e, want, got, t, NULL);
    long pf = 0, sf = 0, lf = 0, nsq = 0, sq = 0;
    for (size_t i = 0; i < 3000; i++) {
        size_t k = i < 64 ? i : (size_t)gmp_urandomm_ui(RS, NVALS);
        el a, r;
        uint64_t ev[4] = {0, 0, 0, 0};
        el_of(f, &a, VALS[k]);
        mpz_urandomb(e, RS, 256);
        if (i % 7 == 0)
            mpz_set_ui(e, i); /* small exponents, including 0 */
        mpz_export(ev, NULL, -1, 8, 0, 0, e);
        mpz_powm(want, VALS[k], e, M);
        f->pow(&r, &a, ev);
        z_of(got, f, &r);
        pf += mpz_cmp(got, want) != 0;

        int leg = mpz_legendre(VALS[k], M);
        lf += f->legendre(&a) != leg;
        int rc = f->sqrt(&r, &a);
        if (leg == -1) {
            sf += rc != ZK_ENOTSQUARE;
            nsq++;
        } else {
            z_of(got, f, &r);
            mpz_mul(t, got, got);
            mpz_mod(t, t, M);
            sf += rc != 0 || mpz_cmp(t, VALS[k]) != 0;
            sq++;
        }
    }
    ok(pf == 0, "%s pow matches mpz_powm on 3000 inputs", f->name);
    ok(lf == 0, "%s legendre matches mpz_legendre", f->name);
    ok(sf == 0 && nsq > 100 && sq > 100,
       "%s sqrt: %ld squares rooted, %ld non-squares refused", f->name, sq, nsq);
    mpz_clears(e, want, got, t, NULL);
}

static void test_encodings(const field *f)
{
    long fails = 0;
    mpz_t got;
    mpz_init(got);
    char dec[80], hex[67], *gd;
    for (size_t i = 0; i < 2000; i++) {
        size_t k = i < 64 ? i : (size_t)gmp_urandomm_ui(RS, NVALS);
        el a, b;
        uint8_t le[32], be[32], ml[32];
        el_of(f, &a, VALS[k]);
        f->to_bytes_le(le, &a);
        f->to_bytes_be(be, &a);
        mpz_import(got, 32, -1, 1, 0, 0, le);
        fails += mpz_cmp(got, VALS[k]) != 0;
        mpz_import(got, 32, 1, 1, 0, 0, be);
        fails += mpz_cmp(got, VALS[k]) != 0;
        fails += f->from_bytes_le(&b, le) != 0 || memcmp(&a, &b, sizeof a) != 0;
        fails += f->from_bytes_be(&b, be) != 0 || memcmp(&a, &b, sizeof a) != 0;
        f->to_mont_le(ml, &a);
        fails += f->from_mont_le(&b, ml) != 0 || memcmp(&a, &b, sizeof a) != 0;
        f->to_dec(dec, &a);
        gd = mpz_get_str(NULL, 10, VALS[k]);
        fails += strcmp(dec, gd) != 0;
        free(gd);
        fails += f->from_dec(&b, dec) != 0 || memcmp(&a, &b, sizeof a) != 0;
        f->to_hex(hex, &a);
        fails += strlen(hex) != 66;
        fails += f->from_hex(&b, hex) != 0 || memcmp(&a, &b, sizeof a) != 0;
    }
    ok(fails == 0, "%s bytes (le, be, Montgomery le), decimal and hex round-trip and match GMP",
       f->name);

    /* Montgomery form really is x * 2^256 mod m */
    {
        el a;
        uint8_t ml[32];
        mpz_t w;
        mpz_init(w);
        el_of(f, &a, VALS[NVALS - 1]);
        f->to_mont_le(ml, &a);
        mpz_import(got, 32, -1, 1, 0, 0, ml);
        mpz_set_ui(w, 0);
        mpz_setbit(w, 256);
        mpz_mul(w, w, VALS[NVALS - 1]);
        mpz_mod(w, w, M);
        ok(mpz_cmp(w, got) == 0, "%s Montgomery bytes are x * 2^256 mod m", f->name);
        mpz_clear(w);
    }

    /* rejections: m, m + 1, 2^256 - 1 in every encoding */
    {
        el b;
        uint8_t le[32], be[32];
        mpz_t bad;
        mpz_init(bad);
        const char *what[3] = {"m", "m+1", "2^256-1"};
        for (int c = 0; c < 3; c++) {
            if (c == 0) mpz_set(bad, M);
            if (c == 1) mpz_add_ui(bad, M, 1);
            if (c == 2) { mpz_set_ui(bad, 0); mpz_setbit(bad, 256); mpz_sub_ui(bad, bad, 1); }
            memset(le, 0, 32);
            mpz_export(le, NULL, -1, 1, 0, 0, bad);
            for (int i = 0; i < 32; i++)
                be[i] = le[31 - i];
            char *ds = mpz_get_str(NULL, 10, bad), *hs = mpz_get_str(NULL, 16, bad);
            ok(f->from_bytes_le(&b, le) == ZK_ERANGE && f->from_bytes_be(&b, be) == ZK_ERANGE &&
                   f->from_mont_le(&b, le) == ZK_ERANGE && f->from_dec(&b, ds) == ZK_ERANGE &&
                   f->from_hex(&b, hs) == ZK_ERANGE,
               "%s rejects %s in every encoding with ZK_ERANGE", f->name, what[c]);
            free(ds);
            free(hs);
        }
        mpz_clear(bad);
    }
    {
        el b;
        ok(f->from_dec(&b, "") == ZK_EENCODING && f->from_dec(&b, "-1") == ZK_EENCODING &&
               f->from_dec(&b, "12a") == ZK_EENCODING && f->from_dec(&b, " 1") == ZK_EENCODING &&
               f->from_hex(&b, "0x") == ZK_EENCODING && f->from_hex(&b, "0xg") == ZK_EENCODING &&
               f->from_dec(&b, "1e5") == ZK_EENCODING,
           "%s string parsers reject bad syntax with ZK_EENCODING", f->name);
        ok(f->from_dec(&b, "000000000000000000000000000000000000000000000000000000000000000000"
                           "00000000000000000000000000000000000000000042") == 0 &&
               f->from_dec(&b, "1000000000000000000000000000000000000000000000000000000000"
                               "00000000000000000000000") == ZK_ERANGE,
           "%s decimal: leading zeros accepted, 79 significant digits out of range", f->name);
    }
    mpz_clear(got);
}

static void test_random(const field *f)
{
    /* the top two bits of a uniform element are not all clear, values vary */
    el a, b;
    int distinct = 1, high = 0;
    mpz_t z;
    mpz_init(z);
    f->random(&a);
    for (int i = 0; i < 64; i++) {
        f->random(&b);
        distinct &= memcmp(&a, &b, sizeof a) != 0;
        z_of(z, f, &b);
        high |= mpz_sizeinbase(z, 2) >= 252;
        distinct &= mpz_cmp(z, M) < 0;
    }
    ok(distinct && high, "%s random: in range, distinct, full width", f->name);
    mpz_clear(z);
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init failed");
    gmp_randinit_default(RS);
    gmp_randseed_ui(RS, 20261124);
    mpz_init(M);
    for (int kern = ZK_KERNEL_PORTABLE; kern <= ZK_KERNEL_ADX; kern++) {
    if (zk_field_set_kernel((zk_field_kernel)kern) != 0) {
        skip(1, "%s kernel: not available on this CPU", zk_field_kernel_name((zk_field_kernel)kern));
        continue;
    }
    diag("kernel: %s", zk_field_kernel_name((zk_field_kernel)kern));
    for (int fi = 0; fi < 2; fi++) {
        const field *f = &FIELDS[fi];
        mpz_set_str(M, f->modulus, 10);
        build_values();
        test_binary(f, OP_ADD, "add", 0);
        test_binary(f, OP_SUB, "sub", 0);
        test_binary(f, OP_MUL, "mul", 0);
        test_binary(f, OP_SQR, "sqr", 1);
        test_binary(f, OP_NEG, "neg", 1);
        test_binary(f, OP_DBL, "dbl", 1);
        test_inverse(f);
        test_batch_inv(f);
        test_pow_sqrt(f);
        test_encodings(f);
        test_random(f);
        for (size_t i = 0; i < NVALS; i++)
            mpz_clear(VALS[i]);
        free(VALS);
    }
    }
    /* Fp's variable-time inversion (GMP extended Euclid) against Fermat,
     * including small values (top limb of the Montgomery form zero) */
    {
        long fails = 0;
        for (int i = 0; i < 20000; i++) {
            zk_fp a, x, y;
            if (i < 64)
                zk_fp_set_u64(&a, (uint64_t)i + 1);
            else
                zk_fp_random(&a);
            if (i % 3 == 0)
                a.l[3] = 0; /* a valid residue with a zero top limb */
            if (zk_fp_is_zero(&a))
                continue;
            fails += zk_fp_inv(&x, &a) != 0 || zk_fp_inv_var(&y, &a) != 0 || !zk_fp_eq(&x, &y);
        }
        zk_fp z, r;
        zk_fp_zero(&z);
        ok(fails == 0, "fp inv_var matches the constant-time inversion on 20000 values");
        ok(zk_fp_inv_var(&r, &z) == ZK_EZERO, "fp inv_var(0) returns ZK_EZERO");
    }
    {
        long fails = 0;
        for (int i = 0; i < 20000; i++) {
            zk_fr a, x, y;
            if (i < 64)
                zk_fr_set_u64(&a, (uint64_t)i + 1);
            else
                zk_fr_random(&a);
            if (i % 3 == 0)
                a.l[3] = 0; /* a valid residue with a zero top limb */
            if (zk_fr_is_zero(&a))
                continue;
            fails += zk_fr_inv(&x, &a) != 0 || zk_fr_inv_var(&y, &a) != 0 || !zk_fr_eq(&x, &y);
        }
        zk_fr z, r;
        zk_fr_zero(&z);
        ok(fails == 0, "fr inv_var matches the constant-time inversion on 20000 values");
        ok(zk_fr_inv_var(&r, &z) == ZK_EZERO, "fr inv_var(0) returns ZK_EZERO");
    }

    /* Fr specifics */
    {
        zk_fr w, t;
        int good = 1;
        for (unsigned k = 0; k <= 28; k++) {
            if (zk_fr_root_of_unity(&w, k) != 0) { good = 0; break; }
            t = w;
            for (unsigned i = 0; i < k; i++) {
                if (zk_fr_is_one(&t)) good = 0; /* order below 2^k */
                zk_fr_sqr(&t, &t);
            }
            good &= zk_fr_is_one(&t);
        }
        ok(good, "fr root_of_unity(k) has order exactly 2^k for k = 0..28");
        ok(zk_fr_root_of_unity(&w, 29) == ZK_EINVAL, "fr root_of_unity(29) is refused");
        char dec[80];
        zk_fr_root_of_unity(&w, 28) == 0 ? (void)0 : bail_out("root");
        zk_fr_to_dec(dec, &w);
        mpz_t z, g;
        mpz_inits(z, g, NULL);
        mpz_set_str(M, FIELDS[1].modulus, 10);
        mpz_sub_ui(z, M, 1);
        mpz_tdiv_q_2exp(z, z, 28);
        mpz_set_ui(g, 5);
        mpz_powm(g, g, z, M);
        char *gs = mpz_get_str(NULL, 10, g);
        ok(strcmp(gs, dec) == 0, "fr 2^28-th root of unity is 5^((r-1)/2^28) = %s", dec);
        free(gs);

        /* bytes reduction against mpz */
        long fails = 0;
        for (int i = 0; i < 1000; i++) {
            uint8_t buf[64];
            size_t n = (size_t)(i % 65);
            randombytes_buf(buf, sizeof buf);
            zk_fr_from_bytes_be_reduce(&t, buf, n);
            mpz_import(z, n, 1, 1, 0, 0, buf);
            if (n == 0) mpz_set_ui(z, 0);
            mpz_mod(z, z, M);
            uint64_t v[4];
            zk_fr_to_limbs(v, &t);
            mpz_import(g, 4, -1, 8, 0, 0, v);
            fails += mpz_cmp(z, g) != 0;
        }
        ok(fails == 0, "fr from_bytes_be_reduce matches mpz_mod for 0..64 bytes");
        mpz_clears(z, g, NULL);
    }
    mpz_clear(M);
    gmp_randclear(RS);
    return done_testing();
}
