/*
 * gen_circuit -- write a random satisfiable R1CS and witnesses for it, for
 * benchmarks and the demo (no circom or node needed).
 *
 *   gen_circuit [-s SEED] LOG_N OUTDIR [NWITNESS]
 *
 * writes OUTDIR/circuit.r1cs with 2^LOG_N - 8 constraints (so that with
 * snarkjs's extra public rows the domain is 2^LOG_N) and NWITNESS (default
 * 1) witnesses OUTDIR/witness-NNNN.wtns with fresh random inputs.
 *
 * The circuit: wire 0 = 1, one public output, 2 public inputs, 4 private
 * inputs, then one wire per constraint, t_k = (3 random earlier wires with
 * random coefficients) * (2 random earlier wires with small coefficients),
 * so A is denser than B, as in circom circuits; the output is bound to the
 * last product by out * 1 = t.  The structure depends only on SEED; the
 * witnesses' inputs come from libsodium.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/fr.h"
#include "io/r1cs.h"
#include "io/wtns.h"

#define N_OUT 1u
#define N_IN 2u
#define N_PRV 4u
#define FIRST_T (1u + N_OUT + N_IN + N_PRV)

/* xorshift64*: the circuit's structure, reproducible from the seed */
static uint64_t rng_state;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

/* A random earlier wire for product k: 0, an input, or an earlier t. */
static uint32_t pick(uint32_t k)
{
    uint32_t span = 1 + N_IN + N_PRV + k; /* wire 0, the inputs, t_0..t_(k-1) */
    uint32_t r = (uint32_t)(rng() % span);
    return r == 0 ? 0 : r + N_OUT;
}

static int has(const zk_r1cs_term *t, size_t n, uint32_t wire)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].wire == wire)
            return 1;
    return 0;
}

/* The reason for a failed write: the OS's for I/O errors. */
static const char *why(int rc)
{
    return rc == ZK_EIO && errno != 0 ? strerror(errno) : zk_strerror(rc);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    int a = 1;
    if (a + 1 < argc && strcmp(argv[a], "-s") == 0) {
        seed = strtoull(argv[a + 1], NULL, 10);
        a += 2;
    }
    if (argc - a < 2 || argc - a > 3) {
        fprintf(stderr, "usage: gen_circuit [-s SEED] LOG_N OUTDIR [NWITNESS]\n");
        return 2;
    }
    unsigned log_n = (unsigned)atoi(argv[a]);
    const char *dir = argv[a + 1];
    unsigned nwit = argc - a == 3 ? (unsigned)atoi(argv[a + 2]) : 1;
    if (log_n < 4 || log_n > 26 || nwit > 10000) {
        fprintf(stderr, "gen_circuit: LOG_N must be 4..26, NWITNESS at most 10000\n");
        return 2;
    }
    rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;

    /* snarkjs's domain holds nConstraints + nPublic + 1 rows */
    uint32_t n_mul = (UINT32_C(1) << log_n) - 8 - N_OUT;
    uint32_t n_wires = FIRST_T + n_mul;
    zk_r1cs *cs;
    if (zk_r1cs_new(&cs, N_OUT, N_IN, N_PRV, n_wires) != 0)
        return 1;

    /* the structure: per product, terms of A and B */
    zk_r1cs_term(*ta)[3] = malloc((size_t)n_mul * sizeof *ta);
    zk_r1cs_term(*tb)[2] = malloc((size_t)n_mul * sizeof *tb);
    uint8_t *na = malloc(n_mul), *nb = malloc(n_mul);
    zk_fr *w = malloc((size_t)n_wires * sizeof *w);
    if (!ta || !tb || !na || !nb || !w) {
        fprintf(stderr, "gen_circuit: out of memory\n");
        return 1;
    }
    for (uint32_t k = 0; k < n_mul; k++) {
        na[k] = nb[k] = 0;
        for (int j = 0; j < 3; j++) {
            uint32_t wire = pick(k);
            if (has(ta[k], na[k], wire))
                continue;
            ta[k][na[k]].wire = wire;
            uint8_t b[32];
            for (int q = 0; q < 4; q++) {
                uint64_t v = rng();
                memcpy(b + 8 * q, &v, 8);
            }
            zk_fr_from_bytes_be_reduce(&ta[k][na[k]].coeff, b, sizeof b);
            na[k]++;
        }
        for (int j = 0; j < 2; j++) {
            uint32_t wire = pick(k);
            if (has(tb[k], nb[k], wire))
                continue;
            tb[k][nb[k]].wire = wire;
            zk_fr_set_u64(&tb[k][nb[k]].coeff, rng() % 1000 + 1);
            nb[k]++;
        }
        zk_r1cs_term c = { FIRST_T + k, { { 0 } } };
        zk_fr_one(&c.coeff);
        if (zk_r1cs_add_constraint(cs, ta[k], na[k], tb[k], nb[k], &c, 1) != 0)
            return 1;
    }
    zk_r1cs_term o = { 1, { { 0 } } }, one = { 0, { { 0 } } }, t = { n_wires - 1, { { 0 } } };
    zk_fr_one(&o.coeff);
    zk_fr_one(&one.coeff);
    zk_fr_one(&t.coeff);
    if (zk_r1cs_add_constraint(cs, &o, 1, &one, 1, &t, 1) != 0)
        return 1;

    char path[4096];
    snprintf(path, sizeof path, "%s/circuit.r1cs", dir);
    int rc = zk_r1cs_write(path, cs);
    if (rc != 0) {
        fprintf(stderr, "gen_circuit: %s: %s\n", path, why(rc));
        return 1;
    }

    for (unsigned i = 0; i < nwit; i++) {
        zk_fr_one(&w[0]);
        for (uint32_t j = 1 + N_OUT; j < FIRST_T; j++)
            zk_fr_random(&w[j]);
        for (uint32_t k = 0; k < n_mul; k++) {
            zk_fr va, vb, p;
            zk_fr_zero(&va);
            zk_fr_zero(&vb);
            for (unsigned j = 0; j < na[k]; j++) {
                zk_fr_mul(&p, &ta[k][j].coeff, &w[ta[k][j].wire]);
                zk_fr_add(&va, &va, &p);
            }
            for (unsigned j = 0; j < nb[k]; j++) {
                zk_fr_mul(&p, &tb[k][j].coeff, &w[tb[k][j].wire]);
                zk_fr_add(&vb, &vb, &p);
            }
            zk_fr_mul(&w[FIRST_T + k], &va, &vb);
        }
        w[1] = w[n_wires - 1];
        if (i == 0 && zk_r1cs_is_satisfied(cs, w, n_wires, NULL) != 0) {
            fprintf(stderr, "gen_circuit: internal error: witness does not satisfy\n");
            return 1;
        }
        snprintf(path, sizeof path, "%s/witness-%04u.wtns", dir, i);
        if ((rc = zk_wtns_write(path, w, n_wires)) != 0) {
            fprintf(stderr, "gen_circuit: %s: %s\n", path, why(rc));
            return 1;
        }
    }
    free(ta);
    free(tb);
    free(na);
    free(nb);
    free(w);
    zk_r1cs_free(cs);
    return 0;
}
