/*
 * gen_poseidon.c -- derive the Poseidon constants circomlib uses, with GMP.
 *
 * Run as `gen_poseidon > lib/hash/poseidon_constants.h`.  The committed
 * header is this program's output; tests/cli/poseidon_constants.bats
 * re-runs it and compares byte for byte, so a constant can only change
 * together with its derivation.  `gen_poseidon T` stops at width T
 * (2 <= T <= 17; default ZK_GEN_T_MAX below).
 *
 * Parameters (circomlib / circomlibjs): Poseidon over BN254's scalar field
 * r, S-box x^5, width t = inputs + 1, R_F = 8 full rounds and R_P partial
 * rounds from circomlib's table (t = 2..17).
 *
 * Plain constants: the reference procedure of the Poseidon authors
 * (Grassi, Khovratovich, Rechberger, Roy, Schofnegger, "Poseidon: A New
 * Hash Function for Zero-Knowledge Proof Systems", USENIX Security 2021,
 * eprint 2019/458; script generate_parameters_grain.sage of the
 * hadeshash repository), run by circomlib as
 * `generate_parameters_grain.sage 1 0 254 t 8 R_P r`:
 *   - an 80-bit Grain LFSR, b_{i+80} = b_{i+62} + b_{i+51} + b_{i+38} +
 *     b_{i+23} + b_{i+13} + b_i, seeded with field = 1 (2 bits),
 *     S-box = 0 (4 bits), n = 254 (12 bits), t (12 bits), R_F (10 bits),
 *     R_P (10 bits), then 30 ones, most significant bit first; the first
 *     160 outputs are discarded;
 *   - output bits are self-shrunk: of each pair (a, b), b is emitted when
 *     a = 1 and the pair is dropped when a = 0;
 *   - a field element takes 254 emitted bits, most significant first;
 *     round constants reject values >= r and draw again;
 *   - then the MDS matrix: 2t further 254-bit values, reduced mod r (no
 *     rejection), x_0..x_{t-1}, y_0..y_{t-1}, drawn again as a whole when
 *     two coincide or some x_i + y_j = 0; M[i][j] = 1 / (x_i + y_j), a
 *     Cauchy matrix.  Later versions of the script also run the
 *     "algorithm 1-3" subspace-trail checks (eprint 2020/500) and redraw
 *     when they fail; circomlib's matrices are the first draws, which
 *     tests/unit/test_poseidon confirms against circomlibjs.
 * The permutation is, for each round r: add C[r t + i], apply x^5 to every
 * element (full rounds: the first and last R_F / 2) or to element 0
 * (partial rounds), then state'[i] = sum_j M[i][j] state[j].
 *
 * Optimized constants: circomlib's poseidon.circom and circomlibjs's
 * poseidon_opt evaluate the same permutation with the round-constant
 * folding and the sparse partial-round matrices of the Poseidon paper's
 * appendix B (as implemented in filecoin's neptune); circomlibjs derives
 * them in tools/poseidon_optimize_constants.js.  With the transposed matrix
 * N = M^T (the row-vector convention v' = v N used there):
 *   - C': round 0's constants; for each other full round of the first
 *     half, C_{r} N^-1 (the addition moves in front of the previous
 *     round's mix, so it is pre-multiplied by the inverse mix); for the
 *     partial rounds the constants are pushed backwards through N^-1, each
 *     round keeping only its element 0 (R_P scalars), the remainder of the
 *     vector ending up added before the first partial round (t values,
 *     placed after the first half); the last three full rounds' constants
 *     C_{r} N^-1 likewise;
 *   - S, P: going backwards from the last partial round, factor its
 *     matrix as X = D S with D = diag(1, X[1..][1..]) and S sparse (first
 *     row of X, first column (X00, X^[1..][1..]^-1 X[1..][0]), identity
 *     below); D commutes with that round's S-box and element-0 constant,
 *     so it moves into the round before, whose matrix becomes N D.  After
 *     R_P steps the remaining dense matrix is P, applied once at the end
 *     of the first half.  Each S is stored as
 *     [S00, S10..S(t-1)0, S01..S0(t-1)] (2t - 1 values), in the order the
 *     rounds apply them.
 * Before printing a width's tables the generator checks (with mpz) that
 * the optimized and plain permutations agree on four inputs; it exits
 * with status 2 when they do not.
 *
 * Output: zk_fr initializers in Montgomery form (x 2^256 mod r), four
 * little-endian 64-bit limbs, the form lib/field/fr.h uses.
 */
#include <assert.h>
#include <gmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZK_GEN_T_MAX 7 /* default: widths 2..7 (1..6 inputs) */
#define RF 8
static const unsigned RP_TAB[16] = {56, 57, 56, 60, 60, 63, 64, 63,
                                    60, 66, 60, 65, 70, 60, 64, 68};
#define NBITS 254

static mpz_t R, W; /* r and 2^256 */

static void *xmalloc(size_t n)
{
    void *p = calloc(n ? n : 1, 1);
    if (!p) {
        fprintf(stderr, "gen_poseidon: out of memory\n");
        exit(2);
    }
    return p;
}

/* ---- vectors and matrices of mpz, all reduced mod r -------------------- */

static mpz_t *vec_new(size_t n)
{
    mpz_t *v = xmalloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        mpz_init(v[i]);
    return v;
}

static void vec_free(mpz_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpz_clear(v[i]);
    free(v);
}

/* a t x t matrix is a vector of t*t entries, row-major */
#define AT(m, t, i, j) ((m)[(size_t)(i) * (t) + (j)])

static void mat_copy(mpz_t *d, mpz_t *s, size_t t)
{
    for (size_t i = 0; i < t * t; i++)
        mpz_set(d[i], s[i]);
}

/* d = a * b (d must not alias a or b) */
static void mat_mul(mpz_t *d, mpz_t *a, mpz_t *b, size_t t)
{
    for (size_t i = 0; i < t; i++)
        for (size_t j = 0; j < t; j++) {
            mpz_set_ui(AT(d, t, i, j), 0);
            for (size_t k = 0; k < t; k++)
                mpz_addmul(AT(d, t, i, j), AT(a, t, i, k), AT(b, t, k, j));
            mpz_mod(AT(d, t, i, j), AT(d, t, i, j), R);
        }
}

static void mat_transpose(mpz_t *d, mpz_t *s, size_t t)
{
    for (size_t i = 0; i < t; i++)
        for (size_t j = 0; j < t; j++)
            mpz_set(AT(d, t, i, j), AT(s, t, j, i));
}

/* d = s^-1 by Gauss-Jordan elimination mod r (the inverse is unique, so
 * the pivoting order does not matter). */
static void mat_inv(mpz_t *d, mpz_t *s, size_t t)
{
    mpz_t *a = vec_new(t * t), f;
    mpz_init(f);
    mat_copy(a, s, t);
    for (size_t i = 0; i < t; i++)
        for (size_t j = 0; j < t; j++)
            mpz_set_ui(AT(d, t, i, j), i == j);
    for (size_t c = 0; c < t; c++) {
        size_t p = c;
        while (p < t && mpz_sgn(AT(a, t, p, c)) == 0)
            p++;
        if (p == t) {
            fprintf(stderr, "gen_poseidon: singular matrix\n");
            exit(2);
        }
        for (size_t j = 0; j < t; j++) {
            mpz_swap(AT(a, t, p, j), AT(a, t, c, j));
            mpz_swap(AT(d, t, p, j), AT(d, t, c, j));
        }
        int okinv = mpz_invert(f, AT(a, t, c, c), R);
        assert(okinv);
        for (size_t j = 0; j < t; j++) {
            mpz_mul(AT(a, t, c, j), AT(a, t, c, j), f);
            mpz_mod(AT(a, t, c, j), AT(a, t, c, j), R);
            mpz_mul(AT(d, t, c, j), AT(d, t, c, j), f);
            mpz_mod(AT(d, t, c, j), AT(d, t, c, j), R);
        }
        for (size_t i = 0; i < t; i++) {
            if (i == c || mpz_sgn(AT(a, t, i, c)) == 0)
                continue;
            mpz_set(f, AT(a, t, i, c));
            for (size_t j = 0; j < t; j++) {
                mpz_submul(AT(a, t, i, j), f, AT(a, t, c, j));
                mpz_mod(AT(a, t, i, j), AT(a, t, i, j), R);
                mpz_submul(AT(d, t, i, j), f, AT(d, t, c, j));
                mpz_mod(AT(d, t, i, j), AT(d, t, i, j), R);
            }
        }
    }
    mpz_clear(f);
    vec_free(a, t * t);
}

/* d = v * m, v a row vector (d must not alias v) */
static void vec_mul_mat(mpz_t *d, mpz_t *v, mpz_t *m, size_t t)
{
    for (size_t j = 0; j < t; j++) {
        mpz_set_ui(d[j], 0);
        for (size_t i = 0; i < t; i++)
            mpz_addmul(d[j], v[i], AT(m, t, i, j));
        mpz_mod(d[j], d[j], R);
    }
}

/* ---- the Grain LFSR ------------------------------------------------------ */

typedef struct {
    uint8_t s[80]; /* ring buffer: bit i of the window is s[(head + i) % 80] */
    unsigned head;
} grain;

static unsigned grain_step(grain *g)
{
#define B(i) g->s[(g->head + (i)) % 80]
    unsigned nb = B(62) ^ B(51) ^ B(38) ^ B(23) ^ B(13) ^ B(0);
#undef B
    g->s[g->head] = (uint8_t)nb; /* drop bit 0, append the new bit */
    g->head = (g->head + 1) % 80;
    return nb;
}

static void grain_push(grain *g, unsigned *k, unsigned long v, unsigned bits)
{
    for (unsigned i = bits; i-- > 0;)
        g->s[(*k)++] = (uint8_t)((v >> i) & 1);
}

static void grain_init(grain *g, unsigned t, unsigned rp)
{
    unsigned k = 0;
    grain_push(g, &k, 1, 2);      /* field: GF(p) */
    grain_push(g, &k, 0, 4);      /* S-box: x^alpha */
    grain_push(g, &k, NBITS, 12); /* n */
    grain_push(g, &k, t, 12);
    grain_push(g, &k, RF, 10);
    grain_push(g, &k, rp, 10);
    while (k < 80)
        g->s[k++] = 1;
    g->head = 0;
    for (int i = 0; i < 160; i++)
        (void)grain_step(g);
}

/* one self-shrunk output bit */
static unsigned grain_bit(grain *g)
{
    for (;;) {
        unsigned a = grain_step(g);
        unsigned b = grain_step(g);
        if (a)
            return b;
    }
}

/* x = the next NBITS output bits, most significant first */
static void grain_int(mpz_t x, grain *g)
{
    mpz_set_ui(x, 0);
    for (int i = 0; i < NBITS; i++) {
        mpz_mul_2exp(x, x, 1);
        if (grain_bit(g))
            mpz_add_ui(x, x, 1);
    }
}

/* ---- parameters of one width -------------------------------------------- */

typedef struct {
    unsigned t, rp;
    mpz_t *c;            /* (RF + rp) * t plain round constants */
    mpz_t *m;            /* t x t plain MDS: state'[i] = sum_j m[i][j] s[j] */
    mpz_t *oc;           /* RF * t + rp optimized round constants */
    mpz_t *os;           /* rp * (2t - 1) sparse matrices */
    mpz_t *om, *op;      /* t x t: M^T and the pre-partial dense matrix */
} params;

static void derive_plain(params *p)
{
    unsigned t = p->t, n = (RF + p->rp) * t;
    grain g;
    grain_init(&g, t, p->rp);
    p->c = vec_new(n);
    for (unsigned i = 0; i < n; i++) {
        do
            grain_int(p->c[i], &g);
        while (mpz_cmp(p->c[i], R) >= 0);
    }
    p->m = vec_new((size_t)t * t);
    mpz_t *xy = vec_new(2 * t), s;
    mpz_init(s);
    for (;;) {
        int bad = 0;
        for (unsigned i = 0; i < 2 * t; i++) {
            grain_int(xy[i], &g);
            mpz_mod(xy[i], xy[i], R);
        }
        for (unsigned i = 0; i < 2 * t && !bad; i++)
            for (unsigned j = i + 1; j < 2 * t && !bad; j++)
                bad = mpz_cmp(xy[i], xy[j]) == 0;
        if (bad)
            continue; /* the script redraws the whole list */
        for (unsigned i = 0; i < t && !bad; i++)
            for (unsigned j = 0; j < t && !bad; j++) {
                mpz_add(s, xy[i], xy[t + j]);
                mpz_mod(s, s, R);
                if (mpz_sgn(s) == 0)
                    bad = 1;
                else
                    mpz_invert(AT(p->m, t, i, j), s, R);
            }
        if (!bad)
            break;
    }
    mpz_clear(s);
    vec_free(xy, 2 * t);
}

static void derive_opt(params *p)
{
    unsigned t = p->t, rp = p->rp, hf = RF / 2;
    size_t tt = (size_t)t * t;
    mpz_t *ninv = vec_new(tt), *acc = vec_new(t), *tmp = vec_new(t);
    p->om = vec_new(tt);
    p->op = vec_new(tt);
    p->oc = vec_new((size_t)RF * t + rp);
    p->os = vec_new((size_t)rp * (2 * t - 1));
    mat_transpose(p->om, p->m, t);
    mat_inv(ninv, p->om, t);

    /* round constants */
    size_t k = 0;
    for (unsigned i = 0; i < t; i++)
        mpz_set(p->oc[k++], p->c[i]);
    for (unsigned r = 1; r < hf; r++) {
        vec_mul_mat(tmp, &p->c[(size_t)r * t], ninv, t);
        for (unsigned i = 0; i < t; i++)
            mpz_set(p->oc[k++], tmp[i]);
    }
    mpz_t *part = vec_new(rp);
    for (unsigned i = 0; i < t; i++)
        mpz_set(acc[i], p->c[(size_t)(hf + rp) * t + i]);
    for (unsigned r = hf + rp - 1; r >= hf; r--) {
        vec_mul_mat(tmp, acc, ninv, t);
        mpz_set(part[r - hf], tmp[0]);
        mpz_set_ui(tmp[0], 0);
        for (unsigned i = 0; i < t; i++) {
            mpz_add(acc[i], tmp[i], p->c[(size_t)r * t + i]);
            mpz_mod(acc[i], acc[i], R);
        }
    }
    vec_mul_mat(tmp, acc, ninv, t);
    for (unsigned i = 0; i < t; i++)
        mpz_set(p->oc[k++], tmp[i]);
    for (unsigned r = 0; r < rp; r++)
        mpz_set(p->oc[k++], part[r]);
    for (unsigned r = hf + rp + 1; r < RF + rp; r++) {
        vec_mul_mat(tmp, &p->c[(size_t)r * t], ninv, t);
        for (unsigned i = 0; i < t; i++)
            mpz_set(p->oc[k++], tmp[i]);
    }
    assert(k == (size_t)RF * t + rp);
    vec_free(part, rp);

    /* sparse factorization, one partial round at a time */
    mpz_t *cur = vec_new(tt), *mp = vec_new(tt), *nxt = vec_new(tt);
    mpz_t *hat = vec_new((size_t)(t - 1) * (t - 1));
    mpz_t *hinv = vec_new((size_t)(t - 1) * (t - 1));
    mpz_t *w = vec_new(t - 1);
    mat_copy(cur, p->om, t);
    size_t per = 2 * (size_t)t - 1;
    for (unsigned i = 0; i < rp; i++) {
        /* cur = mp * (sparse): mp = diag(1, hat), hat = cur[1..][1..],
         * w' = hat^-1 * cur[1..][0] */
        for (unsigned a = 0; a < t; a++)
            for (unsigned b = 0; b < t; b++) {
                if (a > 0 && b > 0) {
                    mpz_set(AT(hat, t - 1, a - 1, b - 1), AT(cur, t, a, b));
                    mpz_set(AT(mp, t, a, b), AT(cur, t, a, b));
                } else {
                    mpz_set_ui(AT(mp, t, a, b), a == 0 && b == 0);
                }
            }
        for (unsigned a = 1; a < t; a++)
            mpz_set(w[a - 1], AT(cur, t, a, 0));
        mat_inv(hinv, hat, t - 1);
        /* stored in reverse order of derivation: the last factor found is
         * the one applied first */
        mpz_t *sv = &p->os[(size_t)(rp - 1 - i) * per];
        mpz_set(sv[0], AT(cur, t, 0, 0));
        for (unsigned a = 0; a + 1 < t; a++) {
            mpz_set_ui(sv[1 + a], 0);
            for (unsigned b = 0; b + 1 < t; b++)
                mpz_addmul(sv[1 + a], AT(hinv, t - 1, a, b), w[b]);
            mpz_mod(sv[1 + a], sv[1 + a], R);
        }
        for (unsigned b = 1; b < t; b++)
            mpz_set(sv[t + b - 1], AT(cur, t, 0, b));
        mat_mul(nxt, p->om, mp, t);
        mat_copy(cur, nxt, t);
    }
    mat_copy(p->op, cur, t);

    vec_free(cur, tt);
    vec_free(mp, tt);
    vec_free(nxt, tt);
    vec_free(hat, (size_t)(t - 1) * (t - 1));
    vec_free(hinv, (size_t)(t - 1) * (t - 1));
    vec_free(w, t - 1);
    vec_free(ninv, tt);
    vec_free(acc, t);
    vec_free(tmp, t);
}

/* ---- self-check: the two forms of the permutation agree ----------------- */

static void pow5(mpz_t x)
{
    mpz_powm_ui(x, x, 5, R);
}

/* s = s N for the row-vector convention, i.e. s'[i] = sum_j n[j][i] s[j] */
static void mix_rows(mpz_t *s, mpz_t *n, mpz_t *tmp, unsigned t)
{
    vec_mul_mat(tmp, s, n, t);
    for (unsigned i = 0; i < t; i++)
        mpz_set(s[i], tmp[i]);
}

static void perm_plain(const params *p, mpz_t *s, mpz_t *tmp)
{
    unsigned t = p->t;
    for (unsigned r = 0; r < RF + p->rp; r++) {
        for (unsigned i = 0; i < t; i++) {
            mpz_add(s[i], s[i], p->c[(size_t)r * t + i]);
            mpz_mod(s[i], s[i], R);
        }
        int full = r < RF / 2 || r >= RF / 2 + p->rp;
        for (unsigned i = 0; i < (full ? t : 1); i++)
            pow5(s[i]);
        for (unsigned i = 0; i < t; i++) {
            mpz_set_ui(tmp[i], 0);
            for (unsigned j = 0; j < t; j++)
                mpz_addmul(tmp[i], AT(p->m, t, i, j), s[j]);
            mpz_mod(tmp[i], tmp[i], R);
        }
        for (unsigned i = 0; i < t; i++)
            mpz_set(s[i], tmp[i]);
    }
}

/* circomlibjs's poseidon_opt.js schedule */
static void perm_opt(const params *p, mpz_t *s, mpz_t *tmp)
{
    unsigned t = p->t, rp = p->rp, hf = RF / 2;
    size_t k = 0, per = 2 * (size_t)t - 1;
    for (unsigned i = 0; i < t; i++) {
        mpz_add(s[i], s[i], p->oc[k++]);
        mpz_mod(s[i], s[i], R);
    }
    for (unsigned r = 0; r < hf; r++) {
        for (unsigned i = 0; i < t; i++) {
            pow5(s[i]);
            mpz_add(s[i], s[i], p->oc[k++]);
            mpz_mod(s[i], s[i], R);
        }
        mix_rows(s, r + 1 < hf ? p->om : p->op, tmp, t);
    }
    for (unsigned r = 0; r < rp; r++) {
        const mpz_t *sv = (const mpz_t *)&p->os[r * per];
        pow5(s[0]);
        mpz_add(s[0], s[0], p->oc[k++]);
        mpz_mod(s[0], s[0], R);
        mpz_set_ui(tmp[0], 0);
        for (unsigned j = 0; j < t; j++)
            mpz_addmul(tmp[0], sv[j], s[j]);
        for (unsigned j = 1; j < t; j++) {
            mpz_addmul(s[j], s[0], sv[t + j - 1]);
            mpz_mod(s[j], s[j], R);
        }
        mpz_mod(s[0], tmp[0], R);
    }
    for (unsigned r = 0; r < hf; r++) {
        for (unsigned i = 0; i < t; i++) {
            pow5(s[i]);
            if (r + 1 < hf) {
                mpz_add(s[i], s[i], p->oc[k++]);
                mpz_mod(s[i], s[i], R);
            }
        }
        mix_rows(s, p->om, tmp, t);
    }
    assert(k == (size_t)RF * t + rp);
}

static void self_check(const params *p)
{
    unsigned t = p->t;
    mpz_t *a = vec_new(t), *b = vec_new(t), *tmp = vec_new(t);
    for (unsigned trial = 0; trial < 4; trial++) {
        for (unsigned i = 0; i < t; i++) {
            /* fixed, spread-out inputs: 0, small, r - 1, and mixtures */
            mpz_set_ui(a[i], (unsigned long)(trial * 1000003u + i * 7919u));
            if (trial == 2)
                mpz_sub_ui(a[i], R, 1 + i);
            if (trial == 3)
                mpz_powm_ui(a[i], p->c[i], 3 + i, R);
            mpz_set(b[i], a[i]);
        }
        perm_plain(p, a, tmp);
        perm_opt(p, b, tmp);
        for (unsigned i = 0; i < t; i++)
            if (mpz_cmp(a[i], b[i]) != 0) {
                fprintf(stderr, "gen_poseidon: t = %u: optimized and plain "
                                "permutations differ\n", t);
                exit(2);
            }
    }
    vec_free(a, t);
    vec_free(b, t);
    vec_free(tmp, t);
}

/* ---- printing ------------------------------------------------------------ */

static void print_vec(const char *what, unsigned t, mpz_t *v, size_t n,
                      const char *comment)
{
    mpz_t x;
    mpz_init(x);
    printf("/* %s */\nstatic const zk_fr ZK_POSEIDON_%s_T%u[%zu] = {\n",
           comment, what, t, n);
    for (size_t i = 0; i < n; i++) {
        uint64_t l[4];
        assert(mpz_sgn(v[i]) >= 0 && mpz_cmp(v[i], R) < 0);
        mpz_mul(x, v[i], W);
        mpz_mod(x, x, R);
        for (int j = 0; j < 4; j++) {
            l[j] = mpz_get_ui(x); /* unsigned long is 64-bit (checked) */
            mpz_tdiv_q_2exp(x, x, 64);
        }
        printf("{{0x%016llx,0x%016llx,0x%016llx,0x%016llx}},\n",
               (unsigned long long)l[0], (unsigned long long)l[1],
               (unsigned long long)l[2], (unsigned long long)l[3]);
    }
    printf("};\n");
    mpz_clear(x);
}

int main(int argc, char **argv)
{
    unsigned tmax = ZK_GEN_T_MAX;
    if (sizeof(unsigned long) != 8 || GMP_LIMB_BITS != 64) {
        fprintf(stderr, "gen_poseidon: needs 64-bit unsigned long and limbs\n");
        return 2;
    }
    if (argc == 2) {
        char *end;
        unsigned long v = strtoul(argv[1], &end, 10);
        tmax = argv[1][0] >= '0' && argv[1][0] <= '9' && *end == '\0' &&
                       v >= 2 && v <= 17
                   ? (unsigned)v
                   : 0;
    }
    if (argc > 2 || tmax == 0) {
        fprintf(stderr, "usage: gen_poseidon [T_MAX (2..17, default %d)]\n",
                ZK_GEN_T_MAX);
        return 2;
    }
    mpz_inits(R, W, NULL);
    mpz_setbit(W, 256);
    mpz_set_str(R, "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", 16);
    assert(mpz_probab_prime_p(R, 50) && mpz_sizeinbase(R, 2) == NBITS);
    /* x^5 is a permutation of Fr: gcd(5, r - 1) = 1 */
    assert(mpz_fdiv_ui(R, 5) != 1);

    printf("/*\n * poseidon_constants.h -- GENERATED by lib/hash/gen_poseidon.c; "
           "do not edit.\n"
           " * tests/cli/poseidon_constants.bats re-derives this file and "
           "compares it.\n"
           " * Poseidon over BN254's Fr with circomlib's parameters: x^5, "
           "8 full rounds,\n"
           " * widths t = 2..%u.  Elements are zk_fr in Montgomery form.  "
           "Included by\n"
           " * lib/hash/poseidon.c only; others reach the tables through "
           "zk_poseidon_params_get().\n"
           " *\n"
           " * Per width t (array suffix _T<t>):\n"
           " *   C  (8 + R_P) t plain round constants, round-major\n"
           " *   M  t x t plain MDS matrix, row-major: "
           "state'[i] = sum_j M[i t + j] state[j]\n"
           " *   OC, OS, OM, OP  circomlib's POSEIDON_C/S/M/P(t) "
           "(poseidon_constants.circom),\n"
           " *   in the order that file lists them; OM is M transposed.\n"
           " */\n"
           "#ifndef ZK_POSEIDON_CONSTANTS_H\n#define ZK_POSEIDON_CONSTANTS_H\n\n"
           "#include \"field/fr.h\"\n\n",
           tmax);
    printf("#define ZK_POSEIDON_T_MAX %u\n#define ZK_POSEIDON_ROUNDS_F %d\n",
           tmax, RF);
    printf("/* X(t, R_P) for t = 2..%u */\n#define ZK_POSEIDON_WIDTHS(X)", tmax);
    for (unsigned t = 2; t <= tmax; t++)
        printf(" X(%u, %u)", t, RP_TAB[t - 2]);
    printf("\n");

    for (unsigned t = 2; t <= tmax; t++) {
        params p;
        memset(&p, 0, sizeof p);
        p.t = t;
        p.rp = RP_TAB[t - 2];
        derive_plain(&p);
        derive_opt(&p);
        self_check(&p);
        char c[160];
        printf("\n");
        snprintf(c, sizeof c, "t = %u, R_P = %u: round constants (Grain LFSR)",
                 t, p.rp);
        print_vec("C", t, p.c, (size_t)(RF + p.rp) * t, c);
        print_vec("M", t, p.m, (size_t)t * t, "MDS matrix (Cauchy, Grain LFSR)");
        print_vec("OC", t, p.oc, (size_t)RF * t + p.rp,
                  "optimized round constants (POSEIDON_C)");
        print_vec("OS", t, p.os, (size_t)p.rp * (2 * t - 1),
                  "sparse partial-round matrices (POSEIDON_S)");
        print_vec("OM", t, p.om, (size_t)t * t, "M transposed (POSEIDON_M)");
        print_vec("OP", t, p.op, (size_t)t * t,
                  "dense matrix before the partial rounds (POSEIDON_P)");
        vec_free(p.c, (size_t)(RF + p.rp) * t);
        vec_free(p.m, (size_t)t * t);
        vec_free(p.oc, (size_t)RF * t + p.rp);
        vec_free(p.os, (size_t)p.rp * (2 * t - 1));
        vec_free(p.om, (size_t)t * t);
        vec_free(p.op, (size_t)t * t);
    }
    printf("\n#endif\n");
    mpz_clears(R, W, NULL);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
}
