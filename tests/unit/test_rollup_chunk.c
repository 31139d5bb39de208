/*
 * test_rollup_chunk.c -- chunks (lib/rollup/chunk): the native chunk
 * built from a state, its check, and the chunk circuit.
 *
 *  - D = 6, T = 2, k = 4: a chunk of a deposit, a transfer, a withdraw
 *    and a no-op pad; chunk_check accepts it; the circuit is satisfied in
 *    WITNESS mode, has the same structure in SHAPE mode, its public
 *    values are (old root, new root, commitment) as zk_rollup_chunk_publics
 *    computes them, and new root is the state's root after the settle;
 *  - the fee sums: the settle credits exactly the chunk's fees, and the
 *    operator's balances are the state's;
 *  - tampered chunks, each refused natively (rule and position) and by
 *    the circuit (the failing scope): a changed amount, a broken chain of
 *    roots, a settle fee that is not the sum, a settle pre-balance, a
 *    settle path, an operator overflow at the settle; and a changed
 *    public input (commitment, new root, old root) unsatisfies the
 *    circuit;
 *  - the commitment's packing against a by-hand Poseidon chain;
 *  - argument errors; the constraint counts at D = 24, T = 4 (k = 1, 2).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/fr.h"
#include "hash/merkle.h"
#include "hash/poseidon.h"
#include "r1cs/cs.h"
#include "rollup/chunk.h"
#include "rollup/state.h"
#include "rollup/tx.h"
#include "tap.h"
#include "testrollup.h"
#include "util/err.h"

#define D_TEST 6
#define T_TEST 2
#define K_TEST 4

/* The chunk of the header comment, built on st. */
static void build_chunk(zk_rollup_chunk *c, zk_rollup_state *st)
{
    zk_rollup_tx t[3];
    t[0] = tx_deposit(2, 1, fr_u64(500), NULL);
    t[1] = mk_transfer(1, 2, 1, 300, 7, 0);
    t[2] = tx_withdraw(3, 1, fr_u64(40), fr_u64(5), 0, fr_u64(0xabcdef), 3);
    chunk_of(c, st, K_TEST, t, 3);
}

/* Build the circuit from c in WITNESS mode; is_satisfied's status, the
 * failing path in path, the cs in *keep (or freed). */
static int run_chunk(const zk_rollup_chunk *c, char *path, size_t len,
                     zk_cs **keep)
{
    zk_cs *cs;
    int rc = zk_rollup_chunk_cs(&cs, ZK_CS_WITNESS, c, 0, 0, 0);
    if (rc != ZK_OK)
        return rc;
    rc = zk_cs_is_satisfied(cs, NULL, path, len);
    if (keep)
        *keep = cs;
    else
        zk_cs_free(cs);
    return rc;
}

static zk_rollup_chunk clone(const zk_rollup_chunk *c)
{
    zk_rollup_chunk d;
    if (zk_rollup_chunk_alloc(&d, c->chunk_size, c->depth, c->token_depth) !=
        ZK_OK)
        bail_out("alloc");
    memcpy(d.rec, c->rec, c->chunk_size * sizeof *d.rec);
    memcpy(d.settle, c->settle, sizeof *d.settle);
    return d;
}

/* A tampered chunk: refused natively with rule `rule` at `at`, and by
 * the circuit in a scope containing `scope`. */
static void check_refused(const zk_rollup_chunk *d, zk_rollup_rule rule,
                          size_t at, const char *scope, const char *what)
{
    zk_rollup_rule why = ZK_ROLLUP_VALID;
    size_t where = 99;
    int rc = zk_rollup_chunk_check(&why, &where, d);
    ok(rc == ZK_EVERIFY && why == rule && where == at,
       "%s: chunk_check refuses it (%s at %zu; got %s at %zu)", what,
       zk_rollup_rule_name(rule), at, zk_rollup_rule_name(why), where);
    char path[256] = "";
    rc = run_chunk(d, path, sizeof path, NULL);
    ok(rc == ZK_EVERIFY && strstr(path, scope) != NULL,
       "%s: the circuit is unsatisfied in %s", what, scope);
    diag("  %s: first failing scope \"%s\"", what, path);
}

typedef struct {
    const zk_rollup_chunk *c;
} modes_ctx;

static int build_modes(zk_cs *cs, void *p)
{
    const zk_rollup_chunk *c = ((modes_ctx *)p)->c;
    zk_rollup_circuit_in *in = malloc(c->chunk_size * sizeof *in);
    zk_rollup_circuit_settle_in *sin = malloc(sizeof *sin);
    if (!in || !sin)
        bail_out("malloc");
    for (unsigned i = 0; i < c->chunk_size; i++)
        if (zk_rollup_circuit_in_from_record(&in[i], &c->rec[i]) != ZK_OK)
            bail_out("in_from_record");
    if (zk_rollup_circuit_settle_in_from_record(sin, c->settle) != ZK_OK)
        bail_out("settle_in");
    int rc = zk_rollup_circuit_chunk(cs, in, sin, &c->rec[0].old_root,
                                     c->chunk_size, c->depth,
                                     c->token_depth);
    free(in);
    free(sin);
    return rc;
}

static void counts(unsigned k)
{
    zk_cs *cs;
    if (zk_rollup_chunk_cs(&cs, ZK_CS_SHAPE, NULL, k, 24, 4) != ZK_OK)
        bail_out("shape");
    size_t n = zk_cs_n_constraints(cs);
    diag("chunk k=%u at D=24, T=4: %zu constraints", k, n);
    zk_cs_scope_stat *st;
    size_t ns;
    if (zk_cs_scope_report(&st, &ns, cs) == ZK_OK) {
        for (size_t i = 0; i < ns; i++)
            if (st[i].depth <= 2 &&
                (strncmp(st[i].path, "tx[0]", 5) == 0 ||
                 strncmp(st[i].path, "settle", 6) == 0))
                diag("  %-40s %8llu", st[i].path,
                     (unsigned long long)st[i].n_constraints_total);
        free(st);
    }
    ok(n > 0 && zk_cs_n_pub_in(cs) == ZK_ROLLUP_CHUNK_NPUBLIC,
       "k=%u, D=24, T=4 builds with 3 public inputs", k);
    zk_cs_free(cs);
}

int main(void)
{
    plan(11 + 2 * 5 + 3 + 2 + 4 + 2);
    zk_rollup_state *st = genesis4(D_TEST, T_TEST);
    zk_fr root0, root1;
    zk_rollup_state_root(&root0, st);
    zk_fr op_before;
    if (zk_rollup_state_balance(&op_before, st, 0, 1) != ZK_OK)
        bail_out("balance");

    zk_rollup_chunk c;
    build_chunk(&c, st);
    zk_rollup_state_root(&root1, st);

    /* ------------------------------------------------- valid chunk */
    zk_rollup_rule why;
    size_t at;
    ok(zk_rollup_chunk_check(&why, &at, &c) == ZK_OK && why == 0,
       "the chunk passes chunk_check");
    ok(c.rec[3].tx.type == ZK_ROLLUP_NOOP &&
           zk_fr_eq(&c.rec[3].old_root, &c.rec[3].new_root),
       "the pad is a no-op that changes nothing");
    zk_fr want_fee = fr_u64(12), op_after;
    ok(zk_fr_eq(&c.settle->fees[1], &want_fee) &&
           zk_fr_is_zero(&c.settle->fees[0]) &&
           zk_fr_is_zero(&c.settle->fees[2]),
       "the settle credits the chunk's fees (7 + 5 in token 1)");
    if (zk_rollup_state_balance(&op_after, st, 0, 1) != ZK_OK)
        bail_out("balance");
    zk_fr_add(&want_fee, &want_fee, &op_before);
    ok(zk_fr_eq(&op_after, &want_fee) &&
           zk_rollup_state_pending(NULL, 0, st) == 0,
       "the operator holds them after the chunk; nothing pending");

    char path[256] = "";
    zk_cs *cs = NULL;
    int rc = run_chunk(&c, path, sizeof path, &cs);
    ok(rc == ZK_OK, "the chunk satisfies the circuit");
    if (rc != ZK_OK)
        diag("failing scope: %s", path);
    zk_fr pub[3], v;
    if (zk_rollup_chunk_publics(pub, &c) != ZK_OK)
        bail_out("publics");
    int pub_ok = zk_cs_n_pub_in(cs) == 3 && zk_cs_n_pub_out(cs) == 0;
    for (uint32_t w = 1; w <= 3; w++) {
        zk_cs_val(&v, cs, (zk_var){w});
        pub_ok &= zk_fr_eq(&v, &pub[w - 1]);
    }
    ok(pub_ok && zk_fr_eq(&pub[0], &root0) && zk_fr_eq(&pub[1], &root1),
       "public inputs = (old root, new root after settle, commitment)");

    zk_fr com, w4[4];
    zk_fr_zero(&com);
    int pack_ok = 1;
    for (unsigned i = 0; i < K_TEST; i++) {
        /* by hand: w1 = type + 4 from + 2^34 to + 2^66 token + 2^74 l1 */
        const zk_rollup_tx *t = &c.rec[i].tx;
        zk_fr w1, x, sh = fr_u64(1), two = fr_u64(2);
        w1 = fr_u64(t->type);
        for (unsigned b = 1; b <= 74; b++) {
            zk_fr_mul(&sh, &sh, &two);
            if (b == 2 || b == 34 || b == 66 || b == 74) {
                const zk_fr f = b == 2    ? fr_u64(t->from)
                                : b == 34 ? fr_u64(t->to)
                                : b == 66 ? fr_u64(t->token)
                                          : t->l1_recipient;
                zk_fr_mul(&x, &f, &sh);
                zk_fr_add(&w1, &w1, &x);
            }
        }
        if (zk_rollup_tx_pubdata(w4, t) != ZK_OK)
            bail_out("pubdata");
        pack_ok &= zk_fr_eq(&w1, &w4[0]);
        zk_fr in[5] = {com, w4[0], w4[1], w4[2], w4[3]};
        if (zk_poseidon(&com, in, 5) != ZK_OK)
            bail_out("poseidon");
    }
    ok(pack_ok && zk_fr_eq(&com, &pub[2]),
       "the commitment is the Poseidon chain over the packed public data");

    /* a changed public input unsatisfies the circuit */
    const char *names[3] = {"old root", "new root", "commitment"};
    for (uint32_t w = 1; w <= 3; w++) {
        zk_fr bad, one = fr_u64(1);
        zk_fr_add(&bad, &pub[w - 1], &one);
        zk_cs_set(cs, (zk_var){w}, &bad);
        ok(zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_EVERIFY,
           "public %s + 1: unsatisfied", names[w - 1]);
        zk_cs_set(cs, (zk_var){w}, &pub[w - 1]);
    }
    zk_cs_free(cs);

    modes_ctx mc = {&c};
    size_t diff = 0;
    ok(zk_cs_check_modes(build_modes, &mc, &diff) == ZK_OK,
       "SHAPE and WITNESS build the same system");

    /* ------------------------------------------------- tampering */
    {
        zk_rollup_chunk d = clone(&c);
        zk_fr one = fr_u64(1);
        zk_fr_add(&d.rec[1].tx.amount, &d.rec[1].tx.amount, &one);
        check_refused(&d, ZK_ROLLUP_BAD_RECORD, 1, "tx[1]",
                      "transfer amount + 1 (signature and record break)");
        zk_rollup_chunk_free(&d);
    }
    {
        zk_rollup_chunk d = clone(&c);
        d.rec[2] = d.rec[1]; /* replay: the chain breaks */
        check_refused(&d, ZK_ROLLUP_BAD_RECORD, 2, "tx[2]",
                      "record 1 replayed in place of record 2");
        zk_rollup_chunk_free(&d);
    }
    {
        /* a settle that credits one more than the fees, consistent in
         * itself (post-balance, roots, leaves recomputed): refused
         * natively; the circuit takes the fees from the slots, so it
         * proves the honest root, never the claimed one */
        zk_rollup_chunk d = clone(&c);
        zk_rollup_settle *s = d.settle;
        zk_fr one = fr_u64(1);
        zk_fr_add(&s->fees[1], &s->fees[1], &one);
        zk_fr_add(&s->post_balance[1], &s->post_balance[1], &one);
        if (zk_rollup_balance_root(&s->post.balance_root, s->post_balance,
                                   T_TEST) != ZK_OK ||
            zk_rollup_account_leaf(&s->post_leaf, &s->post) != ZK_OK ||
            zk_merkle_root(&s->new_root, &s->post_leaf, s->account_path,
                           D_TEST, 0) != ZK_OK)
            bail_out("settle by hand");
        ok(zk_rollup_settle_check(&why, s) == ZK_OK,
           "the inflated settle is consistent in itself");
        why = ZK_ROLLUP_VALID;
        rc = zk_rollup_chunk_check(&why, &at, &d);
        ok(rc == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD && at == K_TEST,
           "chunk_check refuses fees that are not the slots' sum");
        zk_cs *cs2;
        rc = run_chunk(&d, path, sizeof path, &cs2);
        zk_fr got;
        zk_cs_val(&got, cs2, (zk_var){2});
        ok(rc == ZK_OK && zk_fr_eq(&got, &root1) &&
               !zk_fr_eq(&got, &s->new_root),
           "the circuit's new root is the honest one, not the claimed one");
        zk_cs_free(cs2);
        zk_rollup_chunk_free(&d);
    }
    {
        zk_rollup_chunk d = clone(&c);
        zk_fr one = fr_u64(1);
        zk_fr_add(&d.settle->pre_balance[2], &d.settle->pre_balance[2],
                  &one);
        check_refused(&d, ZK_ROLLUP_BAD_RECORD, K_TEST, "settle",
                      "a settle pre-balance + 1");
        zk_rollup_chunk_free(&d);
    }
    {
        zk_rollup_chunk d = clone(&c);
        zk_fr one = fr_u64(1);
        zk_fr_add(&d.settle->account_path[2], &d.settle->account_path[2],
                  &one);
        check_refused(&d, ZK_ROLLUP_BAD_RECORD, K_TEST,
                      "settle/account_tree", "a settle path sibling + 1");
        zk_rollup_chunk_free(&d);
    }
    {
        zk_rollup_chunk d = clone(&c);
        zk_fr one = fr_u64(1);
        zk_fr_add(&d.rec[3].tx.amount, &d.rec[3].tx.amount, &one);
        check_refused(&d, ZK_ROLLUP_UNUSED_FIELD, 3, "tx[3]/slot/form",
                      "the no-op pad given an amount");
        zk_rollup_chunk_free(&d);
    }
    {
        /* the operator at 2^96 - 3 in token 1: a chunk whose fees (12)
         * would overflow it.  Built consistently by hand: the settle's
         * own equations hold, only the range does not. */
        zk_rollup_chunk d = clone(&c);
        zk_rollup_settle *s = d.settle;
        zk_fr big = fr_u64(1);
        for (int b = 0; b < 96; b++)
            zk_fr_add(&big, &big, &big);
        zk_fr three = fr_u64(3);
        zk_fr_sub(&big, &big, &three);
        s->pre_balance[1] = big;
        zk_fr_add(&s->post_balance[1], &big, &s->fees[1]);
        if (zk_rollup_balance_root(&s->pre.balance_root, s->pre_balance,
                                   T_TEST) != ZK_OK ||
            zk_rollup_balance_root(&s->post.balance_root, s->post_balance,
                                   T_TEST) != ZK_OK ||
            zk_rollup_account_leaf(&s->pre_leaf, &s->pre) != ZK_OK ||
            zk_rollup_account_leaf(&s->post_leaf, &s->post) != ZK_OK ||
            zk_merkle_root(&s->old_root, &s->pre_leaf, s->account_path,
                           D_TEST, 0) != ZK_OK ||
            zk_merkle_root(&s->new_root, &s->post_leaf, s->account_path,
                           D_TEST, 0) != ZK_OK)
            bail_out("settle by hand");
        /* chain it: the last record must end at the settle's old root,
         * so re-root the check on the settle alone */
        ok(zk_rollup_settle_check(&why, s) == ZK_EVERIFY &&
               why == ZK_ROLLUP_OPERATOR_OVERFLOW,
           "settle_check: operator overflow");
        /* the circuit, fed this settle after the same records: the
         * chain to the settle breaks first unless the tree agrees, so
         * check the range scope fires among the failures by building
         * the settle alone in a cs */
        zk_cs *cs2;
        if (zk_cs_new(&cs2, ZK_CS_WITNESS) != ZK_OK)
            bail_out("cs");
        zk_rollup_circuit_settle_in sin;
        if (zk_rollup_circuit_settle_in_from_record(&sin, s) != ZK_OK)
            bail_out("settle_in");
        /* the transfer (fee 7 in token 1) as a one-slot chunk, then
         * this settle: the range check fails before the tree does */
        zk_rollup_circuit_in slot;
        if (zk_rollup_circuit_in_from_record(&slot, &d.rec[1]) != ZK_OK)
            bail_out("slot");
        (void)zk_rollup_circuit_chunk(cs2, &slot, &sin, &d.rec[1].old_root,
                                      1, D_TEST, T_TEST);
        char p2[256] = "";
        rc = zk_cs_is_satisfied(cs2, NULL, p2, sizeof p2);
        ok(rc == ZK_EVERIFY && strstr(p2, "settle/balances") != NULL,
           "the circuit refuses the overflowing settle (%s)", p2);
        zk_cs_free(cs2);
        zk_rollup_chunk_free(&d);
    }

    /* ------------------------------------------------- errors, counts */
    zk_rollup_chunk e;
    ok(zk_rollup_chunk_alloc(&e, 0, D_TEST, T_TEST) == ZK_EINVAL &&
           zk_rollup_chunk_alloc(&e, ZK_ROLLUP_CHUNK_MAX + 1, D_TEST,
                                 T_TEST) == ZK_EINVAL,
       "chunk sizes 0 and 65 are refused");
    {
        zk_rollup_chunk f;
        if (zk_rollup_chunk_alloc(&f, 2, D_TEST, T_TEST) != ZK_OK)
            bail_out("alloc");
        zk_rollup_tx t = mk_transfer(1, 2, 0, 1, 1, 1);
        /* pending fee left by a push without close: the next chunk's
         * first push is refused */
        ok(zk_rollup_chunk_push(&f, 0, &why, st, &t) == ZK_OK &&
               zk_rollup_chunk_push(&f, 0, &why, st, NULL) == ZK_EINVAL,
           "a chunk cannot start on a state with pending fees");
        ok(zk_rollup_chunk_close(&f, 1, st) == ZK_OK &&
               zk_rollup_chunk_check(&why, &at, &f) == ZK_OK,
           "closing it settles; the chunk checks");
        zk_rollup_chunk_free(&f);
    }
    {
        zk_cs *cs3;
        ok(zk_rollup_chunk_cs(&cs3, ZK_CS_SHAPE, NULL, 2, 33, 4) ==
                   ZK_EINVAL &&
               cs3 == NULL,
           "depth 33 is ZK_EINVAL");
    }
    counts(1);
    counts(2);

    zk_rollup_chunk_free(&c);
    zk_rollup_state_free(st);
    return done_testing();
}
