/*
 * test_pairing -- the optimal ate pairing of BN254.
 *
 *  - bilinearity e(aP, bQ) = e(P, Q)^(ab), non-degeneracy, e^r = 1;
 *  - the fast final exponentiation equals f^(m (p^12 - 1)/r) with the
 *    exponent computed by GMP, m = 2z(6z^2 + 3z + 1) (snarkjs' convention);
 *  - multi-pairing = product of pairings, pairing_check, infinity;
 *  - Ethereum's published bn256Add / bn256ScalarMul / bn256Pairing
 *    precompile vectors (tests/vectors/, from go-ethereum);
 *  - @noble/curves' bn254 on random points (tests/vectors/bn254-noble.jsonl,
 *    or a file given as the first argument: the interop suite regenerates
 *    one with a fresh seed).
 */
#include <gmp.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/pairing.h"
#include "field/fp12.h"
#include "tap.h"

static void rand_g1(zk_g1 *p, zk_fr *k)
{
    zk_g1 g;
    zk_g1j j;
    zk_fr_random(k);
    zk_g1_generator(&g);
    zk_g1j_from_affine(&j, &g);
    zk_g1j_mul_var(&j, &j, k);
    zk_g1_from_jacobian(p, &j);
}

static void rand_g2(zk_g2 *q, zk_fr *k)
{
    zk_g2 g;
    zk_g2j j;
    zk_fr_random(k);
    zk_g2_generator(&g);
    zk_g2j_from_affine(&j, &g);
    zk_g2j_mul_var(&j, &j, k);
    zk_g2_from_jacobian(q, &j);
}

static void fp12_pow_fr(zk_fp12 *r, const zk_fp12 *a, const zk_fr *k)
{
    uint64_t e[4];
    zk_fr_to_limbs(e, k);
    zk_fp12_pow_var(r, a, e, 4);
}

static void test_algebra(void)
{
    zk_g1 g1, p, np;
    zk_g2 g2, q;
    zk_fp12 e, e1, e2, t;
    zk_fr a, b, ab;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    zk_pairing(&e, &g1, &g2);
    ok(!zk_fp12_is_one(&e), "e(G1, G2) != 1 (non-degenerate)");
    ok(zk_fp12_in_gt(&e), "e(G1, G2)^r == 1");

    int bil = 1;
    for (int i = 0; i < 3; i++) {
        rand_g1(&p, &a);
        rand_g2(&q, &b);
        zk_pairing(&e1, &p, &q);
        zk_fr_mul(&ab, &a, &b);
        fp12_pow_fr(&t, &e, &ab);
        bil &= zk_fp12_eq(&e1, &t);
    }
    ok(bil, "e(aG1, bG2) == e(G1, G2)^(ab) for random a, b");

    /* e(P, Q1 + Q2) = e(P, Q1) e(P, Q2) */
    {
        zk_g2 q1, q2, qs;
        zk_g2j j1, j2;
        rand_g1(&p, &a);
        rand_g2(&q1, &a);
        rand_g2(&q2, &b);
        zk_g2j_from_affine(&j1, &q1);
        zk_g2j_from_affine(&j2, &q2);
        zk_g2j_add(&j1, &j1, &j2);
        zk_g2_from_jacobian(&qs, &j1);
        zk_pairing(&e1, &p, &qs);
        zk_pairing(&e2, &p, &q1);
        zk_pairing(&t, &p, &q2);
        zk_fp12_mul(&e2, &e2, &t);
        ok(zk_fp12_eq(&e1, &e2), "e(P, Q1 + Q2) == e(P, Q1) e(P, Q2)");
    }

    /* the final exponentiation is exactly (p^12 - 1)/r */
    {
        mpz_t pp, rr, ex;
        zk_fp12 f, slow, fast;
        mpz_inits(pp, rr, ex, NULL);
        mpz_set_str(pp, "21888242871839275222246405745257275088696311157297823662689037894645226208583", 10);
        mpz_set_str(rr, "21888242871839275222246405745257275088548364400416034343698204186575808495617", 10);
        mpz_pow_ui(ex, pp, 12);
        mpz_sub_ui(ex, ex, 1);
        ok(mpz_divisible_p(ex, rr), "r divides p^12 - 1");
        mpz_divexact(ex, ex, rr);
        /* times m = 2z(6z^2 + 3z + 1), the convention shared with snarkjs */
        {
            mpz_t z, m;
            mpz_inits(z, m, NULL);
            mpz_set_str(z, "4965661367192848881", 10);
            mpz_mul(m, z, z);
            mpz_mul_ui(m, m, 6);
            mpz_addmul_ui(m, z, 3);
            mpz_add_ui(m, m, 1);
            mpz_mul(m, m, z);
            mpz_mul_2exp(m, m, 1);
            ok(!mpz_divisible_p(m, rr), "m = 2z(6z^2+3z+1) is prime to r (r is prime)");
            mpz_mul(ex, ex, m);
            mpz_clears(z, m, NULL);
        }
        size_t n = (mpz_sizeinbase(ex, 2) + 63) / 64;
        uint64_t *limbs = calloc(n, 8);
        mpz_export(limbs, NULL, -1, 8, 0, 0, ex);
        rand_g1(&p, &a);
        rand_g2(&q, &b);
        zk_miller_loop(&f, &p, &q, 1);
        zk_fp12_pow_var(&slow, &f, limbs, n);
        zk_final_exp(&fast, &f);
        ok(zk_fp12_eq(&slow, &fast), "final_exp(f) == f^(m (p^12-1)/r) with the exponent computed by GMP");
        ok(!zk_fp12_is_one(&fast) && zk_fp12_in_gt(&fast), "the pairing value lies in G_T");
        free(limbs);
        mpz_clears(pp, rr, ex, NULL);
    }

    /* multi-pairing and the product check */
    {
        zk_g1 ps[5];
        zk_g2 qs[5];
        zk_fp12 prod, m;
        zk_fp12_one(&prod);
        for (int i = 0; i < 5; i++) {
            rand_g1(&ps[i], &a);
            rand_g2(&qs[i], &b);
            zk_pairing(&t, &ps[i], &qs[i]);
            zk_fp12_mul(&prod, &prod, &t);
        }
        zk_multi_pairing(&m, ps, qs, 5);
        ok(zk_fp12_eq(&m, &prod), "multi_pairing of 5 == product of 5 pairings");
        /* e(P, Q) e(-P, Q) = 1 */
        zk_g1_neg(&np, &ps[0]);
        zk_g1 pp2[2] = {ps[0], np};
        zk_g2 qq2[2] = {qs[0], qs[0]};
        ok(zk_pairing_check(pp2, qq2, 2), "pairing_check(e(P,Q) e(-P,Q)) accepts");
        qq2[1] = qs[1];
        ok(!zk_pairing_check(pp2, qq2, 2), "pairing_check(e(P,Q) e(-P,Q')) rejects");
        ok(zk_pairing_check(NULL, NULL, 0), "pairing_check of no pairs is 1");
        /* a point at infinity contributes 1 */
        zk_g1 inf1;
        zk_g2 inf2;
        zk_g1_set_inf(&inf1);
        zk_g2_set_inf(&inf2);
        zk_pairing(&t, &inf1, &qs[0]);
        zk_pairing(&e1, &ps[0], &inf2);
        ok(zk_fp12_is_one(&t) && zk_fp12_is_one(&e1), "e(O, Q) = e(P, O) = 1");
        zk_g1 p3[3] = {ps[0], inf1, ps[1]};
        zk_g2 q3[3] = {qs[0], qs[2], qs[1]};
        zk_multi_pairing(&m, p3, q3, 3);
        zk_pairing(&t, &ps[0], &qs[0]);
        zk_pairing(&e1, &ps[1], &qs[1]);
        zk_fp12_mul(&t, &t, &e1);
        ok(zk_fp12_eq(&m, &t), "multi_pairing skips pairs with infinity");
        /* more than the Miller loop's stack capacity */
        zk_g1 pb[10];
        zk_g2 qb[10];
        zk_fp12_one(&prod);
        for (int i = 0; i < 10; i++) {
            pb[i] = ps[i % 5];
            qb[i] = qs[(i * 3) % 5];
            zk_pairing(&t, &pb[i], &qb[i]);
            zk_fp12_mul(&prod, &prod, &t);
        }
        zk_multi_pairing(&m, pb, qb, 10);
        ok(zk_fp12_eq(&m, &prod), "multi_pairing of 10 == product of 10 pairings");
        /* more pairs than one shared Miller loop takes (16), with
         * infinities among them */
        zk_g1 pm[40];
        zk_g2 qm[40];
        zk_fp12_one(&prod);
        for (int i = 0; i < 40; i++) {
            pm[i] = i % 13 == 5 ? inf1 : ps[i % 5];
            qm[i] = qs[(i * 2) % 5];
            zk_pairing(&t, &pm[i], &qm[i]);
            zk_fp12_mul(&prod, &prod, &t);
        }
        zk_multi_pairing(&m, pm, qm, 40);
        ok(zk_fp12_eq(&m, &prod), "multi_pairing of 40 (three chunks, infinities) == product");
    }
}

/* ---- Ethereum precompile vectors ---------------------------------------- */

static size_t unhex(uint8_t *out, size_t cap, const char *s)
{
    size_t n = strlen(s) / 2;
    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return 0;
        out[i] = (uint8_t)v;
    }
    return n;
}

static json_t *load_vectors(const char *name)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    json_error_t err;
    snprintf(path, sizeof path, "%s/tests/vectors/%s", top ? top : ".", name);
    json_t *j = json_load_file(path, 0, &err);
    if (!j || !json_is_array(j))
        bail_out("cannot read %s: %s", path, err.text);
    return j;
}

static void test_eth_vectors(void)
{
    json_t *v;
    size_t i;
    json_t *e;
    int pass, total;

    v = load_vectors("bn256Add.json");
    pass = total = 0;
    json_array_foreach(v, i, e) {
        uint8_t in[128] = {0}, want[64], got[64];
        zk_g1 a, b, r;
        zk_g1j ja;
        unhex(in, sizeof in, json_string_value(json_object_get(e, "Input")));
        unhex(want, sizeof want, json_string_value(json_object_get(e, "Expected")));
        total++;
        if (zk_g1_from_eth(&a, in, 64) || zk_g1_from_eth(&b, in + 64, 64)) {
            diag("bn256Add %s: input rejected", json_string_value(json_object_get(e, "Name")));
            continue;
        }
        zk_g1j_from_affine(&ja, &a);
        zk_g1j_add_affine(&ja, &ja, &b);
        zk_g1_from_jacobian(&r, &ja);
        zk_g1_to_eth(got, &r);
        pass += memcmp(got, want, 64) == 0;
    }
    ok(total > 10 && pass == total, "bn256Add: %d of %d Ethereum vectors", pass, total);
    json_decref(v);

    v = load_vectors("bn256ScalarMul.json");
    pass = total = 0;
    json_array_foreach(v, i, e) {
        uint8_t in[96] = {0}, want[64], got[64];
        zk_g1 a, r;
        zk_g1j ja;
        zk_fr k;
        unhex(in, sizeof in, json_string_value(json_object_get(e, "Input")));
        unhex(want, sizeof want, json_string_value(json_object_get(e, "Expected")));
        total++;
        if (zk_g1_from_eth(&a, in, 64))
            continue;
        /* the precompile takes any 256-bit scalar; [k]P = [k mod r]P */
        zk_fr_from_bytes_be_reduce(&k, in + 64, 32);
        zk_g1j_from_affine(&ja, &a);
        zk_g1j_mul_var(&ja, &ja, &k);
        zk_g1_from_jacobian(&r, &ja);
        zk_g1_to_eth(got, &r);
        pass += memcmp(got, want, 64) == 0;
    }
    ok(total > 10 && pass == total, "bn256ScalarMul: %d of %d Ethereum vectors", pass, total);
    json_decref(v);

    v = load_vectors("bn256Pairing.json");
    pass = total = 0;
    json_array_foreach(v, i, e) {
        const char *hex = json_string_value(json_object_get(e, "Input"));
        size_t len = strlen(hex) / 2, n = len / 192, bad = 0;
        uint8_t *in = malloc(len + 1), want[32];
        zk_g1 *ps = malloc((n + 1) * sizeof *ps);
        zk_g2 *qs = malloc((n + 1) * sizeof *qs);
        unhex(in, len, hex);
        unhex(want, 32, json_string_value(json_object_get(e, "Expected")));
        total++;
        for (size_t k = 0; k < n; k++)
            bad |= zk_g1_from_eth(&ps[k], in + 192 * k, 64) ||
                   zk_g2_from_eth(&qs[k], in + 192 * k + 64, 128);
        if (!bad && len % 192 == 0) {
            int res = zk_pairing_check(ps, qs, n);
            pass += want[31] == (uint8_t)res;
        }
        free(in);
        free(ps);
        free(qs);
    }
    ok(total > 10 && pass == total, "bn256Pairing: %d of %d Ethereum vectors", pass, total);
    json_decref(v);
}

/* ---- @noble/curves cross-check ----------------------------------------- */

static int g1_of(zk_g1 *p, json_t *j)
{
    if (json_is_null(j)) {
        zk_g1_set_inf(p);
        return 0;
    }
    const char *s[3] = {json_string_value(json_array_get(j, 0)),
                        json_string_value(json_array_get(j, 1)), "1"};
    if (!s[0] || !s[1])
        return -1;
    return zk_g1_from_dec(p, s);
}

static int g2_of(zk_g2 *q, json_t *j)
{
    if (json_is_null(j)) {
        zk_g2_set_inf(q);
        return 0;
    }
    json_t *x = json_array_get(j, 0), *y = json_array_get(j, 1);
    const char *s[6] = {json_string_value(json_array_get(x, 0)), json_string_value(json_array_get(x, 1)),
                        json_string_value(json_array_get(y, 0)), json_string_value(json_array_get(y, 1)),
                        "1", "0"};
    for (int i = 0; i < 4; i++)
        if (!s[i])
            return -1;
    return zk_g2_from_dec(q, s);
}

static int fr_of(zk_fr *k, json_t *j)
{
    return json_is_string(j) ? zk_fr_from_dec(k, json_string_value(j)) : -1;
}

static void test_noble(const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int pass[6] = {0}, total[6] = {0};
    static const char *ops[6] = {"g1_mul", "g1_add", "g2_mul", "g2_add", "pairing", "generators"};
    if (!f)
        bail_out("cannot open %s", path);
    while (getline(&line, &cap, f) > 0) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        const char *op = json_string_value(json_object_get(o, "op"));
        int k = -1, good = 0;
        if (!op)
            bail_out("%s: bad line", path);
        for (int i = 0; i < 6; i++)
            if (strcmp(op, ops[i]) == 0 || (i == 4 && strcmp(op, "pairing_gen") == 0))
                k = i;
        if (k < 0)
            bail_out("%s: unknown op %s", path, op);
        if (k == 0 || k == 2) {
            zk_fr s;
            if (fr_of(&s, json_object_get(o, "k")) == 0) {
                if (k == 0) {
                    zk_g1 g, want, got;
                    zk_g1j j;
                    zk_g1_generator(&g);
                    zk_g1j_from_affine(&j, &g);
                    zk_g1j_mul(&j, &j, &s);
                    zk_g1_from_jacobian(&got, &j);
                    good = g1_of(&want, json_object_get(o, "out")) == 0 && zk_g1_eq(&got, &want);
                } else {
                    zk_g2 g, want, got;
                    zk_g2j j;
                    zk_g2_generator(&g);
                    zk_g2j_from_affine(&j, &g);
                    zk_g2j_mul(&j, &j, &s);
                    zk_g2_from_jacobian(&got, &j);
                    good = g2_of(&want, json_object_get(o, "out")) == 0 && zk_g2_eq(&got, &want);
                }
            }
        } else if (k == 1) {
            zk_g1 a, b, want, got;
            zk_g1j j;
            if (g1_of(&a, json_object_get(o, "a")) == 0 && g1_of(&b, json_object_get(o, "b")) == 0 &&
                g1_of(&want, json_object_get(o, "out")) == 0) {
                zk_g1j_from_affine(&j, &a);
                zk_g1j_add_affine(&j, &j, &b);
                zk_g1_from_jacobian(&got, &j);
                good = zk_g1_eq(&got, &want);
            }
        } else if (k == 3) {
            zk_g2 a, b, want, got;
            zk_g2j j;
            if (g2_of(&a, json_object_get(o, "a")) == 0 && g2_of(&b, json_object_get(o, "b")) == 0 &&
                g2_of(&want, json_object_get(o, "out")) == 0) {
                zk_g2j_from_affine(&j, &a);
                zk_g2j_add_affine(&j, &j, &b);
                zk_g2_from_jacobian(&got, &j);
                good = zk_g2_eq(&got, &want);
            }
        } else if (k == 4) {
            zk_g1 p;
            zk_g2 q;
            zk_fp want[12], got[12];
            zk_fp12 e;
            json_t *out = json_object_get(o, "out");
            good = g1_of(&p, json_object_get(o, "p")) == 0 && g2_of(&q, json_object_get(o, "q")) == 0 &&
                   json_array_size(out) == 12;
            for (size_t c = 0; good && c < 12; c++)
                good = zk_fp_from_dec(&want[c], json_string_value(json_array_get(out, c))) == 0;
            if (good) {
                zk_pairing(&e, &p, &q);
                zk_fp12_get_coeffs(got, &e);
                for (int c = 0; c < 12; c++)
                    good &= zk_fp_eq(&got[c], &want[c]);
            }
        } else {
            zk_g1 g1, n1;
            zk_g2 g2, n2;
            zk_g1_generator(&g1);
            zk_g2_generator(&g2);
            good = g1_of(&n1, json_object_get(o, "g1")) == 0 && g2_of(&n2, json_object_get(o, "g2")) == 0 &&
                   zk_g1_eq(&g1, &n1) && zk_g2_eq(&g2, &n2);
        }
        total[k]++;
        pass[k] += good;
        if (!good)
            diag("noble mismatch: %.200s", line);
        json_decref(o);
    }
    free(line);
    fclose(f);
    for (int i = 0; i < 6; i++)
        ok(total[i] > 0 && pass[i] == total[i], "@noble/curves %s: %d of %d cases agree", ops[i],
           pass[i], total[i]);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    test_algebra();
    test_eth_vectors();
    if (argc > 1) {
        test_noble(argv[1]);
    } else {
        const char *top = getenv("top_srcdir");
        char path[4096];
        snprintf(path, sizeof path, "%s/tests/vectors/bn254-noble.jsonl", top ? top : ".");
        test_noble(path);
    }
    return done_testing();
}
