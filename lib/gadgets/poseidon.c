/*
 * gadgets/poseidon.c -- Poseidon in-circuit with circomlib's optimized
 * schedule (poseidon.circom: Ark, Sigma, Mix, MixS, MixLast; the constants
 * and the schedule are those of zk_poseidon_params in hash/poseidon.h,
 * which zk_poseidon evaluates natively).  Only the S-boxes make
 * constraints; see gadgets/poseidon.h for the counts.
 */
#include "gadgets/poseidon.h"

#include <pthread.h>
#include <stdint.h>

#define TMAX ZK_POSEIDON_WIDTH_MAX

/* Misuse: the sticky ZK_EINVAL (in every mode), returned too. */
static int fail_inval(zk_cs *cs)
{
    zk_cs_fail(cs, ZK_EINVAL);
    return ZK_EINVAL;
}

/* 1 when x has no term on a variable other than ONE (its value is then a
 * build-time constant, known in every mode), with that constant in *c. */
static int lc_constant(zk_fr *c, const zk_cs *cs, zk_lc x)
{
    zk_fr_zero(c);
    if (zk_lc_len(x) == 0)
        return 1;
    zk_var v;
    if (zk_lc_len(x) != 1 || zk_lc_get(&v, c, cs, x, 0) != ZK_OK ||
        v.id != ZK_CS_ONE.id) {
        zk_fr_zero(c);
        return 0;
    }
    return 1;
}

/* x^5 as an LC: circomlib's Sigma (x2 = x*x, x4 = x2*x2, x5 = x4*x), or
 * the constant c^5 when x is a constant c (no constraint, as circom's
 * constant propagation). */
static zk_lc sbox(zk_cs *cs, zk_lc x)
{
    zk_fr c;
    if (lc_constant(&c, cs, x)) {
        zk_fr c2;
        zk_fr_sqr(&c2, &c);
        zk_fr_sqr(&c2, &c2);
        zk_fr_mul(&c, &c2, &c);
        return zk_lc_const(cs, &c);
    }
    zk_var x2 = zk_cs_mul(cs, x, x);
    zk_lc l2 = zk_lc_var(cs, x2);
    zk_var x4 = zk_cs_mul(cs, l2, l2);
    zk_var x5 = zk_cs_mul(cs, zk_lc_var(cs, x4), x);
    return zk_lc_var(cs, x5);
}

/* s = mix_X(s) for the first n_out outputs: s'[i] = sum_j X[j t + i] s[j]
 * (circomlib's Mix / MixLast). */
static void mix(zk_cs *cs, zk_lc *s, const zk_fr *x, unsigned t,
                unsigned n_out)
{
    zk_lc o[TMAX];
    zk_fr col[TMAX];
    for (unsigned i = 0; i < n_out; i++) {
        for (unsigned j = 0; j < t; j++)
            col[j] = x[j * t + i];
        o[i] = zk_lc_combine(cs, col, s, t);
    }
    for (unsigned i = 0; i < n_out; i++)
        s[i] = o[i];
}

/* One full round: x^5 on every element, add c[0..t) (when c is not NULL),
 * mix with x; then drop the scratch above mark, keeping s. */
static void full_round(zk_cs *cs, zk_lc *s, const zk_fr *c, const zk_fr *x,
                       unsigned t, unsigned n_out, size_t mark)
{
    for (unsigned i = 0; i < t; i++) {
        s[i] = sbox(cs, s[i]);
        if (c)
            s[i] = zk_lc_add_const(cs, s[i], &c[i]);
    }
    mix(cs, s, x, t, n_out);
    zk_cs_release_keep(cs, mark, s, n_out);
}

/* 1 / S_r[0] for every partial round r of every width (0 where S_r[0] is
 * 0, which circomlib's tables never have: such a round simply takes the
 * plain form, as does every round if pthread_once failed and left the
 * table zero), computed once per process. */
#define RP_MAX 64
static struct {
    zk_fr s0[TMAX - 1][RP_MAX];
} g_inv;
static pthread_once_t g_inv_once = PTHREAD_ONCE_INIT;

static void inv_init(void)
{
    for (unsigned t = 2; t <= TMAX; t++) {
        const zk_poseidon_params *p = zk_poseidon_params_get(t);
        unsigned rp = p->rounds_p < RP_MAX ? p->rounds_p : RP_MAX;
        zk_fr s0[RP_MAX];
        for (unsigned r = 0; r < rp; r++)
            s0[r] = p->opt_s[r * (2 * t - 1)];
        zk_fr_batch_inv(g_inv.s0[t - 2], s0, rp);
    }
}

/*
 * One partial round on the state LCs s[0..t): S = the round's 2t - 1
 * sparse-matrix entries, c = its constant.  Plain form (circomlib's Sigma
 * and MixS): x = s[0], Sigma makes x2, x4, x5 = x4 * x, and
 *     s0 = x5 + c,  s[0] = sum_j S[j] s[j] (with s[0] = s0),
 *     s[k] += S[t+k-1] s0 for k >= 1.
 * Each partial S-box input is then a combination of every earlier
 * partial S-box output (up to t + R_P terms), written three times per
 * round (x * x, and x4 * x).
 */
static void partial_plain(zk_cs *cs, zk_lc *s, const zk_fr *S, const zk_fr *c,
                          unsigned t)
{
    zk_lc nx[TMAX];
    zk_lc s0 = zk_lc_add_const(cs, sbox(cs, s[0]), c);
    s[0] = s0;
    nx[0] = zk_lc_combine(cs, S, s, t);
    for (unsigned j = 1; j < t; j++)
        nx[j] = zk_lc_add_scaled(cs, s[j], &S[t + j - 1], s0);
    for (unsigned j = 0; j < t; j++)
        s[j] = nx[j];
}

/*
 * The same round with the next S-box input as the variable instead of
 * x5, as circom --O2 ends up doing when it substitutes the linear signals
 * away:
 *     u = S[0] (x5 + c) + rest,   rest = sum_{k>=1} S[k] s[k],
 * is allocated (its value from x4 * x), and the third constraint is
 *     (S[0] x4) * x = u - S[0] c - rest,
 * which is S[0] times x4 * x = x5 with x5 eliminated: the same solutions,
 * the same counts (u stands where x5 stood), but the long combination is
 * written once (in C) instead of three times, and the next round's S-box
 * reads the single variable u.  The state goes on with s[0] = u and
 * s[k] += S[t+k-1] s0, s0 = x5 + c = (u - rest) / S[0]; inv_s0 = 1 / S[0].
 * Not for the last partial round, whose successor is a full round.
 */
static void partial_u(zk_cs *cs, zk_lc *s, const zk_fr *S, const zk_fr *c,
                      const zk_fr *inv_s0, unsigned t)
{
    zk_lc x = s[0];
    zk_var x2 = zk_cs_mul(cs, x, x);
    zk_lc l2 = zk_lc_var(cs, x2);
    zk_var x4 = zk_cs_mul(cs, l2, l2);
    /* -rest; then u - rest appends u (the newest variable) in place, as
     * -rest is the arena's newest LC at that point. */
    zk_fr neg[TMAX];
    for (unsigned j = 1; j < t; j++)
        zk_fr_neg(&neg[j], &S[j]);
    zk_lc nrest = zk_lc_combine(cs, neg + 1, s + 1, t - 1);
    zk_fr uv;
    zk_fr_zero(&uv);
    if (zk_cs_has_values(cs)) {
        zk_fr xv, x4v, rv;
        zk_lc_eval(&xv, cs, x);
        zk_cs_val(&x4v, cs, x4);
        zk_lc_eval(&rv, cs, nrest);
        zk_fr_mul(&uv, &x4v, &xv);
        zk_fr_add(&uv, &uv, c);
        zk_fr_mul(&uv, &uv, &S[0]);
        zk_fr_sub(&uv, &uv, &rv);
    }
    zk_var u = zk_cs_alloc(cs, &uv);
    zk_lc u_rest = zk_lc_add_var(cs, nrest, u);
    zk_fr m;
    zk_fr_mul(&m, &S[0], c);
    zk_fr_neg(&m, &m);
    zk_cs_enforce(cs, zk_lc_term(cs, x4, &S[0]), x,
                  zk_lc_add_const(cs, u_rest, &m));
    for (unsigned j = 1; j < t; j++) {
        zk_fr f;
        zk_fr_mul(&f, &S[t + j - 1], inv_s0);
        s[j] = zk_lc_add_scaled(cs, s[j], &f, u_rest);
    }
    s[0] = zk_lc_var(cs, u);
}

/*
 * The last full round when the output must equal *expect: the S-boxes of
 * state[1..t) first, then state[0]'s with x5_0 eliminated, x4_0 * x_0 =
 * x5_0 written as (M00 x4_0) * x_0 = expect - sum_{j>=1} M_j0 x5_j -- the
 * output equation out = sum_j M_j0 x5_j = expect folded into the S-box, as
 * circom --O2 folds `out === expect`: no equality constraint, no x5_0
 * variable.  Falls back to hash-then-equal when state[0] is a constant or
 * M00 is 0 (never for circomlib's matrices).
 */
static void last_round_assert(zk_cs *cs, zk_lc *s, const zk_fr *m, unsigned t,
                              zk_lc expect)
{
    zk_fr k;
    if (lc_constant(&k, cs, s[0]) || zk_fr_is_zero(&m[0])) {
        for (unsigned i = 0; i < t; i++)
            s[i] = sbox(cs, s[i]);
        mix(cs, s, m, t, 1);
        zk_cs_enforce_equal(cs, s[0], expect);
        return;
    }
    zk_fr col[TMAX];
    for (unsigned j = 1; j < t; j++) {
        s[j] = sbox(cs, s[j]);
        zk_fr_neg(&col[j], &m[j * t]);
    }
    zk_lc x = s[0];
    zk_var x2 = zk_cs_mul(cs, x, x);
    zk_lc l2 = zk_lc_var(cs, x2);
    zk_var x4 = zk_cs_mul(cs, l2, l2);
    zk_lc rhs = zk_lc_add(cs, zk_lc_combine(cs, col + 1, s + 1, t - 1), expect);
    zk_cs_enforce(cs, zk_lc_term(cs, x4, &m[0]), x, rhs);
}

/* The permutation of (init, in[0..n)); out[0..n_out) = the first n_out
 * state elements, or, with expect not NULL (n_out = 1, out unused), the
 * constraint state[0] == *expect. */
static int poseidon_core(zk_cs *cs, zk_lc *out, size_t n_out, const zk_lc *in,
                         size_t n, const zk_lc *init, const zk_lc *expect)
{
    if (!cs)
        return ZK_EINVAL;
    if ((!out && !expect) || !in || n < 1 || n > ZK_POSEIDON_MAX_INPUTS ||
        n_out < 1 || n_out > n + 1) {
        if (out && n_out >= 1 && n_out <= TMAX)
            for (size_t i = 0; i < n_out; i++)
                out[i] = zk_lc_zero();
        return fail_inval(cs);
    }
    const unsigned t = (unsigned)n + 1;
    const zk_poseidon_params *p = zk_poseidon_params_get(t);
    const zk_fr *c = p->opt_c, *sp = p->opt_s;
    const unsigned rp = p->rounds_p, per = 2 * t - 1;

    (void)pthread_once(&g_inv_once, inv_init);
    zk_cs_push(cs, "poseidon");
    const size_t mark = zk_cs_mark(cs);
    zk_lc s[TMAX];

    /* Ark 0 */
    s[0] = init ? zk_lc_add_const(cs, *init, &c[0]) : zk_lc_const(cs, &c[0]);
    for (unsigned i = 1; i < t; i++)
        s[i] = zk_lc_add_const(cs, in[i - 1], &c[i]);
    c += t;

    zk_cs_push(cs, "full");
    for (unsigned r = 0; r < 3; r++, c += t)
        full_round(cs, s, c, p->opt_m, t, t, mark);
    full_round(cs, s, c, p->opt_p, t, t, mark);
    c += t;
    zk_cs_pop(cs);

    /* Partial rounds: circomlib's Sigma on state[0], then MixS with the
     * round's sparse matrix S (s0' = sum_j S[j] s[j], s[k] += s0 S[t+k-1]
     * with the S-box output s0).  See partial_u for the variables. */
    zk_cs_push(cs, "partial");
    for (unsigned r = 0; r < rp; r++, sp += per) {
        const zk_fr *inv_s0 = &g_inv.s0[t - 2][r < RP_MAX ? r : 0];
        zk_fr k;
        if (r + 1 < rp && r < RP_MAX && !zk_fr_is_zero(inv_s0) &&
            !lc_constant(&k, cs, s[0]))
            partial_u(cs, s, sp, &c[r], inv_s0, t);
        else
            partial_plain(cs, s, sp, &c[r], t);
        zk_cs_release_keep(cs, mark, s, t);
    }
    c += rp;
    zk_cs_pop(cs);

    zk_cs_push(cs, "full");
    for (unsigned r = 0; r < 3; r++, c += t)
        full_round(cs, s, c, p->opt_m, t, t, mark);
    if (expect) {
        last_round_assert(cs, s, p->opt_m, t, *expect);
        zk_cs_release(cs, mark);
    } else {
        full_round(cs, s, NULL, p->opt_m, t, (unsigned)n_out, mark);
    }
    zk_cs_pop(cs);

    zk_cs_pop(cs);
    int err = zk_cs_err(cs);
    if (out)
        for (size_t i = 0; i < n_out; i++)
            out[i] = err ? zk_lc_zero() : s[i];
    return err;
}


int zk_g_poseidon_ex(zk_cs *cs, zk_lc *out, size_t n_out, const zk_lc *in,
                     size_t n, const zk_lc *init)
{
    if (cs && !out)
        return fail_inval(cs);
    return poseidon_core(cs, out, n_out, in, n, init, NULL);
}

int zk_g_poseidon_assert(zk_cs *cs, zk_lc expect, const zk_lc *in, size_t n)
{
    return poseidon_core(cs, NULL, 1, in, n, NULL, &expect);
}

int zk_g_poseidon(zk_cs *cs, zk_lc *out, const zk_lc *in, size_t n)
{
    return zk_g_poseidon_ex(cs, out, 1, in, n, NULL);
}

size_t zk_g_poseidon_constraints(size_t n)
{
    const zk_poseidon_params *p = zk_poseidon_params_get(n + 1);
    if (n < 1 || !p)
        return 0;
    return 3 * ((size_t)p->rounds_f * p->t + p->rounds_p) - 3;
}
