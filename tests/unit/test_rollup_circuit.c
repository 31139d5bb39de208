/*
 * test_rollup_circuit.c -- one transaction slot of the chunk circuit
 * (lib/rollup/circuit) against the native records of lib/rollup/state.
 *
 *  - D = 6, T = 2: records of every type from zk_rollup_state_apply
 *    (deposit to an existing and to a new account, transfer, self-
 *    transfer, operator as sender and as recipient, withdraw, noop)
 *    satisfy the slot, its output root equals the record's new root and
 *    the public data its transaction; SHAPE == WITNESS;
 *  - tampering, each refused by zk_cs_is_satisfied (the failing scope is
 *    printed): bad signature, wrong nonce (re-signed), overdraft
 *    (re-signed), amount = 2^96 (re-signed), a wrong path sibling, a
 *    wrong old root, a noop with an amount, a noop claiming a change, a
 *    deposit with a fee, an unknown type, a small-order new key, a
 *    transfer to a slot claimed empty, an empty operator, an inactive
 *    step given another pre-value;
 *  - two slots chained in one system reach the second record's root;
 *  - the constraint count per slot at D = 24, T = 4 by scope.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "hash/merkle.h"
#include "r1cs/cs.h"
#include "rollup/circuit.h"
#include "rollup/state.h"
#include "rollup/tx.h"
#include "sig/eddsa.h"
#include "tap.h"
#include "testrollup.h"
#include "util/err.h"

#define D_TEST 6
#define T_TEST 2

/* ------------------------------------------------------ the slot */

typedef struct {
    const zk_rollup_circuit_in *in;
    zk_fr old_root;
    unsigned D, T;
    zk_fr new_root;             /* out (witness modes) */
    zk_rollup_circuit_pub pub;  /* out */
    zk_fr fees[1u << T_TEST];   /* out: the fee sums after the slot */
    const zk_fr *expect_root;   /* enforce the output root = this */
} slot_ctx;

static slot_ctx mk_ctx(const zk_rollup_circuit_in *in, const zk_fr *old,
                       const zk_fr *expect)
{
    slot_ctx c;
    memset(&c, 0, sizeof c);
    c.in = in;
    c.old_root = *old;
    c.D = D_TEST;
    c.T = T_TEST;
    c.expect_root = expect;
    return c;
}

static int build(zk_cs *cs, void *p)
{
    slot_ctx *c = p;
    zk_var r0 = zk_cs_alloc_pub_in(cs, &c->old_root);
    zk_lc root, fees[1u << T_TEST];
    for (size_t t = 0; t < (1u << T_TEST); t++)
        fees[t] = zk_lc_const_u64(cs, 1000 + t);   /* sums so far */
    zk_cs_push(cs, "tx[0]");
    zk_rollup_circuit_slot(cs, &root, &c->pub, fees, zk_lc_var(cs, r0),
                           c->in, c->D, c->T);
    zk_cs_pop(cs);
    zk_lc_eval(&c->new_root, cs, root);
    for (size_t t = 0; t < (1u << T_TEST); t++)
        zk_lc_eval(&c->fees[t], cs, fees[t]);
    if (c->expect_root)
        zk_cs_enforce_equal(cs, root, zk_lc_const(cs, c->expect_root));
    return zk_cs_err(cs);
}

/* Build in WITNESS mode; returns is_satisfied's status (path filled). */
static int run_slot(slot_ctx *c, char *path, size_t len, zk_cs **keep)
{
    zk_cs *cs;
    if (zk_cs_new(&cs, ZK_CS_WITNESS) != ZK_OK)
        bail_out("cs_new");
    int rc = build(cs, c);
    if (rc == ZK_OK)
        rc = zk_cs_is_satisfied(cs, NULL, path, len);
    if (keep)
        *keep = cs;
    else
        zk_cs_free(cs);
    return rc;
}

static int lc_is(zk_cs *cs, zk_lc a, const zk_fr *v)
{
    zk_fr x;
    zk_lc_eval(&x, cs, a);
    return zk_fr_eq(&x, v);
}

/* ------------------------------------------------------ the state */

static zk_rollup_state *g_st;

static uint64_t nonce_of(uint64_t idx)
{
    zk_rollup_account a;
    int ex;
    if (zk_rollup_state_get(&a, NULL, &ex, g_st, idx) != ZK_OK)
        bail_out("get");
    return a.nonce;
}

static zk_rollup_record apply_ok(const zk_rollup_tx *tx, const char *what)
{
    zk_rollup_record rec;
    zk_rollup_rule why;
    if (zk_rollup_state_apply(&rec, &why, g_st, tx) != ZK_OK)
        bail_out("apply %s: %s", what, zk_rollup_rule_name(why));
    return rec;
}

/* A valid record must satisfy the slot, give its new root and its data. */
static void check_valid(const zk_rollup_record *rec, const char *what)
{
    zk_rollup_circuit_in in;
    if (zk_rollup_circuit_in_from_record(&in, rec) != ZK_OK)
        bail_out("in_from_record");
    slot_ctx c = mk_ctx(&in, &rec->old_root, NULL);
    char path[256];
    zk_cs *cs;
    int rc = run_slot(&c, path, sizeof path, &cs);
    ok(rc == ZK_OK, "%s: the record satisfies the slot", what);
    if (rc != ZK_OK)
        diag("failing scope: %s (rc %d)", path, rc);
    ok(zk_fr_eq(&c.new_root, &rec->new_root) &&
           !zk_fr_eq(&c.new_root, &rec->old_root) ==
               (rec->tx.type != ZK_ROLLUP_NOOP),
       "%s: output root = the record's new root", what);
    const zk_rollup_tx *t = &rec->tx;
    zk_fr ty = fr_u64(t->type), fr = fr_u64(t->from), to = fr_u64(t->to),
          tk = fr_u64(t->token);
    ok(lc_is(cs, c.pub.type, &ty) && lc_is(cs, c.pub.from, &fr) &&
           lc_is(cs, c.pub.to, &to) && lc_is(cs, c.pub.token, &tk) &&
           lc_is(cs, c.pub.amount, &t->amount) &&
           lc_is(cs, c.pub.fee, &t->fee) &&
           lc_is(cs, c.pub.l1_recipient, &t->l1_recipient) &&
           lc_is(cs, c.pub.pubkey_x, &t->pubkey.x) &&
           lc_is(cs, c.pub.pubkey_y, &t->pubkey.y),
       "%s: public data = the transaction's fields", what);
    /* the fee sums: only the transaction's token gains its fee */
    int fees_ok = 1;
    for (uint64_t tok = 0; tok < (1u << T_TEST); tok++) {
        zk_fr want = fr_u64(1000 + tok);
        if (tok == t->token)
            zk_fr_add(&want, &want, &t->fee);
        fees_ok &= zk_fr_eq(&c.fees[tok], &want);
    }
    ok(fees_ok, "%s: the fee joins token %llu's sum, the others unchanged",
       what, (unsigned long long)t->token);
    zk_cs_free(cs);
}

/* A tampered input must not satisfy the slot; the first failing
 * constraint's scope must contain `scope` (NULL: any). */
static void check_refused(const zk_rollup_circuit_in *in, const zk_fr *old,
                          const zk_fr *expect, const char *scope,
                          const char *what)
{
    slot_ctx c = mk_ctx(in, old, expect);
    char path[256] = "";
    int rc = run_slot(&c, path, sizeof path, NULL);
    ok(rc == ZK_EVERIFY && (!scope || strstr(path, scope) != NULL),
       "%s: refused in %s", what, scope ? scope : "(any scope)");
    diag("  %s: first failing scope \"%s\"", what, path);
}

static zk_rollup_circuit_in in_of(const zk_rollup_record *rec)
{
    zk_rollup_circuit_in in;
    if (zk_rollup_circuit_in_from_record(&in, rec) != ZK_OK)
        bail_out("in_from_record");
    return in;
}

int main(void)
{
    plan(4 * 9 + 1 + 2 + 19 + 1 + 3 + 1);
    g_st = genesis4(D_TEST, T_TEST);

    /* ---------------------------------------------- valid records */
    zk_rollup_record r_dep, r_new, r_tr, r_self, r_opsend, r_toop, r_wd,
        r_noop;
    zk_rollup_tx t = tx_deposit(2, 1, fr_u64(500), NULL);
    r_dep = apply_ok(&t, "deposit");
    check_valid(&r_dep, "deposit to an existing account");

    zk_bj npk = pk_of(40);
    t = tx_deposit(40, 3, fr_u64(77), &npk);
    r_new = apply_ok(&t, "deposit-new");
    ok(!r_new.step[1].pre_exists && r_new.step[1].post_exists,
       "deposit-new creates the account");
    check_valid(&r_new, "deposit creating an account");

    t = mk_transfer(1, 2, 1, 300, 7, nonce_of(1));
    r_tr = apply_ok(&t, "transfer");
    check_valid(&r_tr, "transfer");

    t = mk_transfer(3, 3, 0, 10, 2, nonce_of(3));
    r_self = apply_ok(&t, "self");
    check_valid(&r_self, "self-transfer");

    t = mk_transfer(0, 3, 2, 50, 1, nonce_of(0));
    r_opsend = apply_ok(&t, "opsend");
    check_valid(&r_opsend, "operator as sender");

    t = mk_transfer(40, 0, 3, 20, 3, nonce_of(40));
    r_toop = apply_ok(&t, "toop");
    check_valid(&r_toop, "new account pays the operator (recipient)");

    zk_fr l1;
    if (zk_fr_from_hex(&l1, "0xffffffffffffffffffffffffffffffffffffffff") !=
        ZK_OK)
        bail_out("hex");
    t = tx_withdraw(2, 1, fr_u64(100), fr_u64(4), nonce_of(2), l1, 2);
    r_wd = apply_ok(&t, "withdraw");
    check_valid(&r_wd, "withdraw (160-bit L1 address)");

    t = tx_zero(ZK_ROLLUP_NOOP);
    r_noop = apply_ok(&t, "noop");
    check_valid(&r_noop, "noop");

    /* self-transfer of the whole balance (edge: post-balance 0) */
    zk_fr b;
    if (zk_rollup_state_balance(&b, g_st, 1, 0) != ZK_OK)
        bail_out("balance");
    uint64_t lim[4];
    zk_fr_to_limbs(lim, &b);
    t = mk_transfer(1, 1, 0, lim[0] - 5, 5, nonce_of(1));
    zk_rollup_record r_all = apply_ok(&t, "all");
    check_valid(&r_all, "self-transfer of the whole balance");

    /* SHAPE == WITNESS, and the SHAPE of a NULL input equals them */
    {
        zk_rollup_circuit_in in = in_of(&r_tr);
        slot_ctx c = mk_ctx(&in, &r_tr.old_root, NULL);
        size_t diff = 0;
        ok(zk_cs_check_modes(build, &c, &diff) == ZK_OK,
           "SHAPE == WITNESS (transfer)");
        zk_rollup_circuit_in in2 = in_of(&r_new);
        slot_ctx c2 = mk_ctx(&in2, &r_new.old_root, NULL);
        ok(zk_cs_check_modes(build, &c2, &diff) == ZK_OK,
           "SHAPE == WITNESS (deposit creating)");
    }

    /* -------------------------------------------------- tampering */
    {
        zk_rollup_circuit_in in = in_of(&r_tr);
        zk_fr one = fr_u64(1);
        zk_fr_add(&in.s, &in.s, &one);
        check_refused(&in, &r_tr.old_root, NULL, "eddsa/equation", "bad signature (S + 1)");
    }
    {
        zk_rollup_circuit_in in = in_of(&r_tr);
        zk_fr one = fr_u64(1);
        zk_fr_add(&in.r8.x, &in.r8.x, &one);
        check_refused(&in, &r_tr.old_root, NULL, "eddsa/r8", "bad signature (R8 off)");
    }
    {
        zk_rollup_record r = r_tr;
        r.tx.nonce++;
        sign_as(&r.tx, 1);
        zk_rollup_circuit_in in = in_of(&r);
        check_refused(&in, &r.old_root, NULL, "step[0]/rules", "wrong nonce (re-signed)");
    }
    {
        zk_rollup_record r = r_tr;
        zk_fr big;
        zk_fr_add(&big, &r.step[0].pre_balance, &r.tx.amount); /* > bal */
        r.tx.amount = big;
        sign_as(&r.tx, 1);
        zk_rollup_circuit_in in = in_of(&r);
        check_refused(&in, &r.old_root, NULL,
                      "step[0]/rules/range",
                      "overdraft: post-balance wraps (re-signed)");
    }
    {
        zk_rollup_record r = r_dep;
        uint64_t l[4] = {0, (uint64_t)1 << 32, 0, 0}; /* 2^96 */
        if (zk_fr_from_limbs(&r.tx.amount, l) != ZK_OK)
            bail_out("limbs");
        zk_rollup_circuit_in in = in_of(&r);
        check_refused(&in, &r.old_root, NULL, "form/range", "deposit amount = 2^96");
    }
    {
        zk_rollup_record r = r_tr;
        uint64_t l[4] = {0, (uint64_t)1 << 32, 0, 0};
        if (zk_fr_from_limbs(&r.tx.amount, l) != ZK_OK)
            bail_out("limbs");
        sign_as(&r.tx, 1);
        zk_rollup_circuit_in in = in_of(&r);
        check_refused(&in, &r.old_root, NULL, "form/range", "transfer amount = 2^96");
    }
    {
        zk_rollup_circuit_in in = in_of(&r_tr);
        zk_fr one = fr_u64(1);
        zk_fr_add(&in.step[1].account_path[3], &in.step[1].account_path[3],
                  &one);
        check_refused(&in, &r_tr.old_root, NULL,
                      "step[1]/account_tree",
                      "wrong account path sibling (step 1)");
    }
    {
        zk_rollup_circuit_in in = in_of(&r_tr);
        zk_fr one = fr_u64(1);
        zk_fr_add(&in.step[0].balance_path[1], &in.step[0].balance_path[1],
                  &one);
        check_refused(&in, &r_tr.old_root, NULL,
                      "step[0]/balance_tree",
                      "wrong balance path sibling (step 0)");
    }
    {
        zk_rollup_circuit_in in = in_of(&r_tr);
        zk_fr old = r_tr.old_root, one = fr_u64(1);
        zk_fr_add(&old, &old, &one);
        check_refused(&in, &old, NULL, "step[0]/account_tree", "wrong old root");
    }
    {
        zk_rollup_record r = r_noop;
        r.tx.amount = fr_u64(1);
        zk_rollup_circuit_in in = in_of(&r);
        check_refused(&in, &r.old_root, NULL, "slot/form", "noop with an amount");
    }
    {
        /* a noop whose output is required to be another root */
        zk_rollup_circuit_in in = in_of(&r_noop);
        zk_fr fake = r_noop.old_root, one = fr_u64(1);
        zk_fr_add(&fake, &fake, &one);
        check_refused(&in, &r_noop.old_root, &fake,
                      NULL,
                      "noop claiming a different new root");
        /* and a noop whose inactive step claims another balance */
        zk_rollup_circuit_in in2 = in_of(&r_noop);
        zk_fr_add(&in2.step[0].balance, &in2.step[0].balance, &one);
        check_refused(&in2, &r_noop.old_root, NULL,
                      "step[0]/balance_tree",
                      "noop with a changed pre-balance");
    }
    {
        zk_rollup_record r = r_dep;
        r.tx.fee = fr_u64(1);
        zk_rollup_circuit_in in = in_of(&r);
        check_refused(&in, &r.old_root, NULL, "slot/form", "deposit with a fee");
    }
    {
        zk_rollup_circuit_in in = in_of(&r_tr);
        in.type = fr_u64(4);
        check_refused(&in, &r_tr.old_root, NULL, "slot/form", "type 4");
    }
    {
        zk_rollup_circuit_in in = in_of(&r_new);
        zk_bj_identity(&in.pubkey);  /* on the curve, small order */
        check_refused(&in, &r_new.old_root, NULL,
                      "step[1]/rules/bj_not_small_order",
                      "deposit creating an account with a small-order key");
    }
    {
        /* a transfer as a deposit would create the recipient: make the
         * transfer's record say "type deposit" without a signature */
        zk_rollup_circuit_in in = in_of(&r_wd);
        in.type = fr_u64(ZK_ROLLUP_TRANSFER); /* withdraw as transfer */
        check_refused(&in, &r_wd.old_root, NULL,
                      "slot/form",
                      "withdraw relabelled transfer (l1 set)");
    }
    {
        /* the sender's slot claimed empty (its fields kept) */
        zk_rollup_circuit_in in = in_of(&r_tr);
        zk_fr_zero(&in.step[0].exists);
        check_refused(&in, &r_tr.old_root, NULL,
                      "step[0]/pre",
                      "sender slot claimed empty");
    }

    {
        /* a transfer whose recipient slot is claimed empty, its fields
         * in the empty form: refused by the existence rule */
        zk_rollup_circuit_in in = in_of(&r_tr);
        zk_fr z[ZK_ROLLUP_TOKEN_DEPTH_MAX + 1];
        if (zk_merkle_zeros(z, T_TEST) != ZK_OK)
            bail_out("zeros");
        zk_fr_zero(&in.step[1].exists);
        memset(&in.step[1].pubkey, 0, sizeof in.step[1].pubkey);
        zk_fr_zero(&in.step[1].nonce);
        zk_fr_zero(&in.step[1].balance);
        in.step[1].balance_root = z[T_TEST];
        check_refused(&in, &r_tr.old_root, NULL, "step[1]/rules",
                      "transfer to a slot claimed empty");
    }
    {
        /* a withdraw whose inactive recipient step is given another
         * pre-value: the pre-leaf no longer opens the root */
        zk_rollup_circuit_in in = in_of(&r_wd);
        zk_fr one = fr_u64(1);
        zk_fr_add(&in.step[1].nonce, &in.step[1].nonce, &one);
        check_refused(&in, &r_wd.old_root, NULL, "step[1]",
                      "withdraw: inactive recipient step with a changed nonce");
    }
    {
        /* two slots chained: r_noop's successor state is the state
         * before r_all, so chain the two records applied last */
        zk_cs *cs;
        if (zk_cs_new(&cs, ZK_CS_WITNESS) != ZK_OK)
            bail_out("cs_new");
        zk_rollup_circuit_in a = in_of(&r_noop), b2 = in_of(&r_all);
        zk_var r0 = zk_cs_alloc_pub_in(cs, &r_noop.old_root);
        zk_lc root = zk_lc_var(cs, r0);
        zk_cs_push(cs, "tx[0]");
        zk_rollup_circuit_slot(cs, &root, NULL, NULL, root, &a, D_TEST,
                               T_TEST);
        zk_cs_pop(cs);
        zk_cs_push(cs, "tx[1]");
        zk_rollup_circuit_slot(cs, &root, NULL, NULL, root, &b2, D_TEST,
                               T_TEST);
        zk_cs_pop(cs);
        ok(zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_OK &&
               lc_is(cs, root, &r_all.new_root),
           "two chained slots (noop, self-transfer) reach the last root");
        zk_cs_free(cs);
    }

    /* ---------------------------------------------- counts, D=24 T=4 */
    {
        zk_cs *cs;
        if (zk_cs_new(&cs, ZK_CS_SHAPE) != ZK_OK)
            bail_out("cs_new");
        zk_var r0 = zk_cs_alloc_pub_in(cs, NULL);
        zk_lc root;
        zk_rollup_circuit_pub pub;
        zk_lc fees[16];
        for (size_t j = 0; j < 16; j++)
            fees[j] = zk_lc_zero();
        int rc = zk_rollup_circuit_slot(cs, &root, &pub, fees,
                                        zk_lc_var(cs, r0), NULL, 24, 4);
        ok(rc == ZK_OK, "D=24 T=4 slot builds");
        size_t n = zk_cs_n_constraints(cs);
        diag("constraints per slot at D=24, T=4: %zu", n);
        zk_cs_scope_stat *st;
        size_t ns;
        if (zk_cs_scope_report(&st, &ns, cs) == ZK_OK) {
            for (size_t i = 0; i < ns; i++)
                if (st[i].depth >= 1 && st[i].depth <= 3)
                    diag("  %-40s %8llu", st[i].path,
                         (unsigned long long)st[i].n_constraints_total);
            free(st);
        }
        ok(n > 0, "count reported");
        zk_cs_free(cs);
        /* bad depths */
        if (zk_cs_new(&cs, ZK_CS_SHAPE) != ZK_OK)
            bail_out("cs_new");
        rc = zk_rollup_circuit_slot(cs, &root, NULL, NULL, zk_lc_zero(),
                                    NULL, 0, 4);
        ok(rc == ZK_EINVAL && zk_cs_err(cs) == ZK_EINVAL,
           "depth 0 is ZK_EINVAL (sticky)");
        zk_cs_free(cs);
    }
    ok(zk_rollup_circuit_in_from_record(NULL, &r_tr) == ZK_EINVAL,
       "in_from_record(NULL) is ZK_EINVAL");

    zk_rollup_state_free(g_st);
    return done_testing();
}
