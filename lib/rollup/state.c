/*
 * state.c -- the rollup state and transaction application (state.h).
 *
 * Accounts live in a vector (creation order) and an open-addressing hash
 * table from index + 1 (0 marks an empty bucket) to the account; accounts
 * are never removed.  Each account keeps its balance tree in heap order:
 * nodes[1] is the root, node j of level k (0 = leaves) sits at
 * 2^(T - k) + j, so leaf t is nodes[2^T + t] and a parent is p >> 1.
 *
 * apply runs in two phases.  Phase 1 decides: it runs the rules of the
 * two steps (zk_rollup_step_rules, the same code zk_rollup_record_check
 * uses) on the affected slots' values through a two-entry overlay that
 * carries the sender's result to the recipient (from == to), then the
 * fee rule on the operator's value after both, and reserves the memory a
 * new account needs; nothing is written.  Phase
 * 2 writes each active step (balance tree, account, account tree) while
 * filling the record from the trees as they are at that moment, and keeps
 * an undo log; only the account tree's allocation can fail there.
 */
#include "rollup/state.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "hash/merkle.h"
#include "hash/poseidon.h"

typedef struct account {
    uint64_t index;
    zk_bj pubkey;
    uint64_t nonce;
    zk_fr leaf;
    zk_fr nodes[]; /* 2^(T+1), nodes[0] unused */
} account;

typedef struct {
    uint64_t key; /* index + 1; 0: empty */
    account *a;
} bucket;

struct zk_rollup_state {
    unsigned depth, tdepth;
    int broken;
    zk_merkle_tree *tree;
    zk_fr zeros[ZK_ROLLUP_TOKEN_DEPTH_MAX + 1];
    account **accts;
    size_t n, cap;
    bucket *tab;
    size_t tcap; /* power of two, n <= tcap / 2 */
    zk_fr pending[ZK_ROLLUP_TOKENS_MAX]; /* fees not yet settled */
};

/* ------------------------------------------------------ accounts */

static size_t bucket_home(const zk_rollup_state *st, uint64_t key)
{
    /* splitmix64's finalizer: indices are often sequential */
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebull;
    key ^= key >> 31;
    return (size_t)key & (st->tcap - 1);
}

static size_t bucket_find(const bucket *tab, const zk_rollup_state *st,
                          uint64_t key)
{
    size_t mask = st->tcap - 1, i = bucket_home(st, key);
    while (tab[i].key != 0 && tab[i].key != key)
        i = (i + 1) & mask;
    return i;
}

static account *lookup(const zk_rollup_state *st, uint64_t index)
{
    size_t i = bucket_find(st->tab, st, index + 1);
    return st->tab[i].key != 0 ? st->tab[i].a : NULL;
}

/* Room for `more` new accounts in the vector and the table, so that
 * insert cannot fail. */
static int reserve(zk_rollup_state *st, size_t more)
{
    size_t need = st->n + more;
    if (need > st->cap) {
        size_t nc = st->cap ? st->cap : 16;
        while (nc < need)
            nc *= 2;
        account **v = realloc(st->accts, nc * sizeof *v);
        if (!v)
            return ZK_ENOMEM;
        st->accts = v;
        st->cap = nc;
    }
    if (2 * need > st->tcap) {
        size_t nc = st->tcap;
        while (2 * need > nc)
            nc *= 2;
        bucket *nt = calloc(nc, sizeof *nt);
        if (!nt)
            return ZK_ENOMEM;
        bucket *old = st->tab;
        size_t oc = st->tcap;
        st->tab = nt;
        st->tcap = nc;
        for (size_t i = 0; i < oc; i++)
            if (old[i].key != 0)
                nt[bucket_find(nt, st, old[i].key)] = old[i];
        free(old);
    }
    return ZK_OK;
}

static void insert(zk_rollup_state *st, account *a)
{
    size_t i = bucket_find(st->tab, st, a->index + 1);
    st->tab[i].key = a->index + 1;
    st->tab[i].a = a;
    st->accts[st->n++] = a;
}

/* A fresh account: every balance 0, nodes = the empty-tree hashes. */
static account *account_new(const zk_rollup_state *st, uint64_t index)
{
    size_t nn = (size_t)2 << st->tdepth;
    account *a = calloc(1, sizeof *a + nn * sizeof(zk_fr));
    if (!a)
        return NULL;
    a->index = index;
    for (unsigned k = 0; k <= st->tdepth; k++)
        for (size_t p = (size_t)1 << (st->tdepth - k);
             p < (size_t)2 << (st->tdepth - k); p++)
            a->nodes[p] = st->zeros[k];
    return a;
}

/* Balance leaf t := v and the path above it. */
static int bal_set(const zk_rollup_state *st, account *a, uint64_t t,
                   const zk_fr *v)
{
    size_t p = ((size_t)1 << st->tdepth) + (size_t)t;
    a->nodes[p] = *v;
    for (; p > 1; p >>= 1) {
        int rc = zk_merkle_hash(&a->nodes[p >> 1], &a->nodes[p & ~(size_t)1],
                                &a->nodes[p | 1]);
        if (rc != ZK_OK)
            return rc;
    }
    return ZK_OK;
}

static void bal_path(zk_fr *path, const zk_rollup_state *st,
                     const account *a, uint64_t t)
{
    size_t p = ((size_t)1 << st->tdepth) + (size_t)t;
    for (unsigned k = 0; k < st->tdepth; k++, p >>= 1)
        path[k] = a ? a->nodes[p ^ 1] : st->zeros[k];
}

static void account_view(zk_rollup_account *v, const zk_rollup_state *st,
                         const account *a)
{
    memset(v, 0, sizeof *v);
    if (a) {
        v->pubkey = a->pubkey;
        v->nonce = a->nonce;
        v->balance_root = a->nodes[1];
    } else {
        v->balance_root = st->zeros[st->tdepth];
    }
}

static int account_leaf(zk_fr *leaf, const account *a)
{
    zk_rollup_account v = {a->pubkey, a->nonce, a->nodes[1]};
    return zk_rollup_account_leaf(leaf, &v);
}

/* ------------------------------------------------- create, free */

int zk_rollup_state_new(zk_rollup_state **out, unsigned depth,
                        unsigned token_depth)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if (depth < 1 || depth > ZK_ROLLUP_DEPTH_MAX ||
        token_depth > ZK_ROLLUP_TOKEN_DEPTH_MAX)
        return ZK_EINVAL;
    zk_rollup_state *st = calloc(1, sizeof *st);
    if (!st)
        return ZK_ENOMEM;
    st->depth = depth;
    st->tdepth = token_depth;
    st->tcap = 32;
    st->tab = calloc(st->tcap, sizeof *st->tab);
    int rc = st->tab ? zk_merkle_zeros(st->zeros, token_depth) : ZK_ENOMEM;
    if (rc == ZK_OK)
        rc = zk_merkle_tree_new(&st->tree, depth);
    if (rc != ZK_OK) {
        zk_rollup_state_free(st);
        return rc;
    }
    *out = st;
    return ZK_OK;
}

void zk_rollup_state_free(zk_rollup_state *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->n; i++)
        free(st->accts[i]);
    free(st->accts);
    free(st->tab);
    zk_merkle_tree_free(st->tree);
    free(st);
}

/* put_many's parallel part: accounts [lo, hi) of a part built, balance
 * trees and leaves hashed. */
typedef struct {
    const zk_rollup_state *st;
    const zk_rollup_account_in *in;
    account **acc;
    zk_fr *leaves;
    size_t n, parts;
    atomic_int err;
} many_job;

static void many_task(void *arg, size_t p)
{
    many_job *j = arg;
    const size_t nt = (size_t)1 << j->st->tdepth;
    size_t lo = j->n * p / j->parts, hi = j->n * (p + 1) / j->parts;
    for (size_t i = lo; i < hi; i++) {
        const zk_rollup_account_in *e = &j->in[i];
        account *a = account_new(j->st, e->index);
        if (!a) {
            atomic_store(&j->err, ZK_ENOMEM);
            return;
        }
        a->pubkey = e->pubkey;
        a->nonce = e->nonce;
        int rc = ZK_OK;
        if (e->balances) {
            memcpy(&a->nodes[nt], e->balances, nt * sizeof *e->balances);
            for (size_t q = nt - 1; q >= 1 && rc == ZK_OK; q--)
                rc = zk_merkle_hash(&a->nodes[q], &a->nodes[2 * q], &a->nodes[2 * q + 1]);
        }
        if (rc == ZK_OK)
            rc = account_leaf(&a->leaf, a);
        j->leaves[i] = a->leaf;
        j->acc[i] = a;
        if (rc != ZK_OK) {
            atomic_store(&j->err, rc);
            return;
        }
    }
}

static int u64_pos_cmp(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The checks of zk_rollup_state_put for in (dup: its index came earlier in
 * the same call). */
static int account_in_check(const zk_rollup_state *st, const zk_rollup_account_in *in,
                            int dup)
{
    if ((in->index >> st->depth) != 0)
        return ZK_ERANGE;
    if (!zk_bj_is_on_curve(&in->pubkey))
        return ZK_ENOTONCURVE;
    if (zk_bj_is_small_order(&in->pubkey))
        return ZK_ENOTINGROUP;
    size_t nt = (size_t)1 << st->tdepth;
    if (in->balances)
        for (size_t t = 0; t < nt; t++)
            if (!zk_rollup_fits(&in->balances[t], ZK_ROLLUP_AMOUNT_BITS))
                return ZK_ERANGE;
    if (dup || lookup(st, in->index))
        return ZK_EINVAL;
    return ZK_OK;
}

int zk_rollup_state_put_many(zk_rollup_state *st, const zk_rollup_account_in *in,
                             size_t n, zk_pool *pool, size_t *bad)
{
    if (bad)
        *bad = n;
    if (!st || (n > 0 && !in))
        return ZK_EINVAL;
    if (st->broken)
        return ZK_ENOMEM;
    if (n == 0)
        return ZK_OK;
    if (n > SIZE_MAX / sizeof(zk_fr)) /* the largest element below */
        return ZK_ENOMEM;
    /* the repeated indices: every occurrence after the first */
    uint64_t *ip = malloc(2 * n * sizeof *ip);
    unsigned char *dup = calloc(n, 1);
    account **acc = calloc(n, sizeof *acc);
    zk_fr *leaves = malloc(n * sizeof *leaves);
    uint64_t *idx = malloc(n * sizeof *idx);
    int rc = ZK_ENOMEM;
    if (!ip || !dup || !acc || !leaves || !idx)
        goto done;
    for (size_t i = 0; i < n; i++) {
        ip[2 * i] = in[i].index;
        ip[2 * i + 1] = i;
    }
    qsort(ip, n, 2 * sizeof *ip, u64_pos_cmp);
    for (size_t i = 1; i < n; i++)
        if (ip[2 * i] == ip[2 * i - 2])
            dup[ip[2 * i + 1]] = 1;
    for (size_t i = 0; i < n; i++) {
        if ((rc = account_in_check(st, &in[i], dup[i])) != ZK_OK) {
            if (bad)
                *bad = i;
            goto done;
        }
        idx[i] = in[i].index;
    }
    if ((rc = reserve(st, n)) != ZK_OK)
        goto done;
    size_t width = 4 * (size_t)zk_pool_size(pool);
    many_job j = {st, in, acc, leaves, n, n < width ? n : width, 0};
    if ((rc = zk_pool_run(pool, j.parts, many_task, &j)) != ZK_OK ||
        (rc = atomic_load(&j.err)) != ZK_OK)
        goto done;
    /* all or none: the tree is unchanged when this fails */
    if ((rc = zk_merkle_tree_set_many(st->tree, idx, leaves, n, pool)) != ZK_OK)
        goto done;
    for (size_t i = 0; i < n; i++) {
        insert(st, acc[i]);
        acc[i] = NULL;
    }
    rc = ZK_OK;
done:
    if (acc)
        for (size_t i = 0; i < n; i++)
            free(acc[i]);
    free(acc);
    free(ip);
    free(dup);
    free(leaves);
    free(idx);
    return rc;
}

int zk_rollup_state_put(zk_rollup_state *st, uint64_t index,
                        const zk_bj *pubkey, uint64_t nonce,
                        const zk_fr *balances)
{
    if (!pubkey)
        return ZK_EINVAL;
    zk_rollup_account_in in = {index, *pubkey, nonce, balances};
    return zk_rollup_state_put_many(st, &in, 1, NULL, NULL);
}

int zk_rollup_state_genesis(zk_rollup_state **out, unsigned depth,
                            unsigned token_depth, const zk_bj *pubkeys,
                            size_t n, const zk_fr *balances, zk_pool *pool)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if (!pubkeys || n == 0 || depth < 1 || depth > ZK_ROLLUP_DEPTH_MAX ||
        ((uint64_t)(n - 1) >> depth) != 0)
        return ZK_EINVAL;
    zk_rollup_state *st;
    int rc = zk_rollup_state_new(&st, depth, token_depth);
    if (rc != ZK_OK)
        return rc;
    size_t nt = (size_t)1 << token_depth;
    zk_rollup_account_in *in = malloc(n * sizeof *in);
    if (!in)
        rc = ZK_ENOMEM;
    for (size_t i = 0; i < n && rc == ZK_OK; i++)
        in[i] = (zk_rollup_account_in){i, pubkeys[i], 0, balances ? &balances[i * nt] : NULL};
    if (rc == ZK_OK)
        rc = zk_rollup_state_put_many(st, in, n, pool, NULL);
    free(in);
    if (rc != ZK_OK) {
        zk_rollup_state_free(st);
        return rc;
    }
    *out = st;
    return ZK_OK;
}

/* ------------------------------------------------------- reading */

unsigned zk_rollup_state_depth(const zk_rollup_state *st)
{
    return st ? st->depth : 0;
}

unsigned zk_rollup_state_token_depth(const zk_rollup_state *st)
{
    return st ? st->tdepth : 0;
}

void zk_rollup_state_root(zk_fr *root, const zk_rollup_state *st)
{
    if (!root)
        return;
    if (!st) {
        zk_fr_zero(root);
        return;
    }
    zk_merkle_tree_root(root, st->tree);
}

size_t zk_rollup_state_count(const zk_rollup_state *st)
{
    return st ? st->n : 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int zk_rollup_state_indices(uint64_t *indices, size_t n,
                            const zk_rollup_state *st)
{
    if (!st || (!indices && st->n > 0))
        return ZK_EINVAL;
    if (st->broken)
        return ZK_ENOMEM;
    if (n < st->n)
        return ZK_ERANGE;
    for (size_t i = 0; i < st->n; i++)
        indices[i] = st->accts[i]->index;
    if (st->n > 1)
        qsort(indices, st->n, sizeof *indices, cmp_u64);
    return ZK_OK;
}

int zk_rollup_state_get(zk_rollup_account *acct, zk_fr *leaf, int *exists,
                        const zk_rollup_state *st, uint64_t index)
{
    if (!st || !exists)
        return ZK_EINVAL;
    if ((index >> st->depth) != 0)
        return ZK_ERANGE;
    const account *a = lookup(st, index);
    *exists = a != NULL;
    if (acct)
        account_view(acct, st, a);
    if (leaf) {
        if (a)
            *leaf = a->leaf;
        else
            zk_fr_zero(leaf);
    }
    return ZK_OK;
}

int zk_rollup_state_balance(zk_fr *balance, const zk_rollup_state *st,
                            uint64_t index, uint64_t token)
{
    if (!balance || !st)
        return ZK_EINVAL;
    if ((index >> st->depth) != 0 || (token >> st->tdepth) != 0)
        return ZK_ERANGE;
    const account *a = lookup(st, index);
    if (a)
        *balance = a->nodes[((size_t)1 << st->tdepth) + (size_t)token];
    else
        zk_fr_zero(balance);
    return ZK_OK;
}

/* --------------------------------------------------------- apply */

/* The value of one account at the transaction's token, as phase 1 sees
 * it: from the state, or from the overlay when an earlier step of this
 * transaction already touched the index. */
typedef struct {
    uint64_t index;
    zk_rollup_slot slot;
} overlay_entry;

static void slot_read(zk_rollup_slot *s, const zk_rollup_state *st,
                      uint64_t index, uint64_t token)
{
    const account *a = lookup(st, index);
    memset(s, 0, sizeof *s);
    if (a) {
        s->exists = 1;
        s->pubkey = a->pubkey;
        s->nonce = a->nonce;
        s->balance = a->nodes[((size_t)1 << st->tdepth) + (size_t)token];
    }
}

/* What phase 2 must restore when it gives up. */
typedef struct {
    account *a;
    uint64_t index;
    zk_bj pubkey;
    uint64_t nonce;
    zk_fr balance, leaf;
    int tree_written;
} undo_entry;

static void undo(zk_rollup_state *st, const undo_entry *log, size_t n,
                 uint64_t token)
{
    while (n-- > 0) {
        const undo_entry *u = &log[n];
        u->a->pubkey = u->pubkey;
        u->a->nonce = u->nonce;
        u->a->leaf = u->leaf;
        if (bal_set(st, u->a, token, &u->balance) != ZK_OK)
            st->broken = 1; /* not reached: the arguments are valid */
        if (u->tree_written &&
            zk_merkle_tree_set(st->tree, u->index, &u->leaf) != ZK_OK)
            st->broken = 1;
    }
}

static void tx_copy(zk_rollup_tx *dst, const zk_rollup_tx *src)
{
    memset(dst, 0, sizeof *dst); /* padding too: records compare bytewise */
    dst->type = src->type;
    dst->from = src->from;
    dst->to = src->to;
    dst->token = src->token;
    dst->nonce = src->nonce;
    dst->amount = src->amount;
    dst->fee = src->fee;
    dst->l1_recipient = src->l1_recipient;
    dst->pubkey = src->pubkey;
    dst->sig = src->sig;
}

int zk_rollup_state_apply(zk_rollup_record *rec, zk_rollup_rule *why,
                          zk_rollup_state *st, const zk_rollup_tx *tx)
{
    if (!why || !st || !tx)
        return ZK_EINVAL;
    if (st->broken)
        return ZK_ENOMEM;
    if (!lookup(st, ZK_ROLLUP_OPERATOR))
        return ZK_EINVAL;
    int rc = zk_rollup_tx_check_form(why, tx, st->depth, st->tdepth);
    if (rc != ZK_OK)
        return rc;

    zk_fr msg;
    if ((rc = zk_rollup_tx_message(&msg, tx)) != ZK_OK)
        return rc;

    /* ---- phase 1: the rules, on values only */
    overlay_entry ov[ZK_ROLLUP_NSTEPS];
    size_t n_ov = 0;
    zk_rollup_slot post[ZK_ROLLUP_NSTEPS];
    for (unsigned s = 0; s < ZK_ROLLUP_NSTEPS; s++) {
        uint64_t idx = zk_rollup_step_index(tx, s);
        size_t j = 0;
        while (j < n_ov && ov[j].index != idx)
            j++;
        if (j == n_ov) {
            ov[n_ov].index = idx;
            slot_read(&ov[n_ov].slot, st, idx, tx->token);
            n_ov++;
        }
        rc = zk_rollup_step_rules(&post[s], why, tx, &msg, s, &ov[j].slot);
        if (rc != ZK_OK)
            return rc;
        ov[j].slot = post[s];
    }

    /* the fee rule: operator's balance + pending + fee < 2^96 */
    zk_rollup_slot op;
    size_t j = 0;
    while (j < n_ov && ov[j].index != ZK_ROLLUP_OPERATOR)
        j++;
    if (j < n_ov)
        op = ov[j].slot;
    else
        slot_read(&op, st, ZK_ROLLUP_OPERATOR, tx->token);
    zk_fr owed;
    zk_fr_add(&owed, &op.balance, &st->pending[tx->token]);
    zk_fr_add(&owed, &owed, &tx->fee);
    if (!zk_rollup_fits(&owed, ZK_ROLLUP_AMOUNT_BITS)) {
        *why = ZK_ROLLUP_OPERATOR_OVERFLOW;
        return ZK_EVERIFY;
    }

    /* a deposit creating an account: its memory, before any write */
    account *fresh = NULL;
    if (tx->type == ZK_ROLLUP_DEPOSIT && !lookup(st, tx->to)) {
        if ((rc = reserve(st, 1)) != ZK_OK)
            return rc;
        if (!(fresh = account_new(st, tx->to)))
            return ZK_ENOMEM;
    }

    /* ---- phase 2: write, step by step, recording */
    zk_rollup_record r;
    memset(&r, 0, sizeof r);
    r.depth = st->depth;
    r.token_depth = st->tdepth;
    tx_copy(&r.tx, tx);
    r.msg = msg;
    zk_merkle_tree_root(&r.old_root, st->tree);

    undo_entry log[ZK_ROLLUP_NSTEPS];
    size_t n_log = 0;
    size_t leaf_pos = ((size_t)1 << st->tdepth) + (size_t)tx->token;
    for (unsigned s = 0; s < ZK_ROLLUP_NSTEPS && rc == ZK_OK; s++) {
        zk_rollup_step *p = &r.step[s];
        uint64_t idx = zk_rollup_step_index(tx, s);
        account *a = lookup(st, idx); /* fresh is not in the table yet */

        p->active = zk_rollup_step_active(tx->type, s);
        p->index = idx;
        p->pre_exists = a != NULL;
        account_view(&p->pre, st, a);
        if (a)
            p->pre_leaf = a->leaf;
        bal_path(p->balance_path, st, a, tx->token);
        if (a)
            p->pre_balance = a->nodes[leaf_pos];
        if ((rc = zk_merkle_tree_path(p->account_path, st->tree, idx)) !=
            ZK_OK)
            break;
        zk_merkle_tree_root(&p->root_before, st->tree);

        if (!p->active) {
            p->post_exists = p->pre_exists;
            p->post = p->pre;
            p->post_leaf = p->pre_leaf;
            p->post_balance = p->pre_balance;
            p->root_after = p->root_before;
            continue;
        }

        /* the account that changes: an existing one, or the fresh one */
        account *w = a ? a : fresh;
        if (!w) { /* not reached: phase 1 refuses other empty slots */
            rc = ZK_EINVAL;
            break;
        }
        undo_entry *u = &log[n_log++];
        u->a = w;
        u->index = idx;
        u->pubkey = w->pubkey;
        u->nonce = w->nonce;
        u->balance = w->nodes[leaf_pos];
        u->leaf = w->leaf; /* 0 for the fresh one (calloc) */
        u->tree_written = 0;

        w->pubkey = post[s].pubkey;
        w->nonce = post[s].nonce;
        if ((rc = bal_set(st, w, tx->token, &post[s].balance)) != ZK_OK ||
            (rc = account_leaf(&w->leaf, w)) != ZK_OK ||
            (rc = zk_merkle_tree_set(st->tree, idx, &w->leaf)) != ZK_OK)
            break;
        u->tree_written = 1;

        p->post_exists = 1;
        account_view(&p->post, st, w);
        p->post_leaf = w->leaf;
        p->post_balance = w->nodes[leaf_pos];
        zk_merkle_tree_root(&p->root_after, st->tree);
    }
    if (rc != ZK_OK) {
        undo(st, log, n_log, tx->token);
        free(fresh);
        return rc;
    }
    if (fresh)
        insert(st, fresh); /* room reserved above */
    zk_merkle_tree_root(&r.new_root, st->tree);
    zk_fr_add(&st->pending[tx->token], &st->pending[tx->token], &tx->fee);
    if (rec)
        memcpy(rec, &r, sizeof r); /* padding included (tx.h) */
    *why = ZK_ROLLUP_VALID;
    return ZK_OK;
}

/* ------------------------------------------------------------ fees */

int zk_rollup_state_pending(zk_fr *fees, size_t n, const zk_rollup_state *st)
{
    if (!st)
        return ZK_EINVAL;
    size_t nt = (size_t)1 << st->tdepth;
    if (n != 0 && (n < nt || !fees))
        return ZK_EINVAL;
    int any = 0;
    for (size_t t = 0; t < nt; t++) {
        if (!zk_fr_is_zero(&st->pending[t]))
            any = 1;
        if (n)
            fees[t] = st->pending[t];
    }
    return any;
}

int zk_rollup_state_settle(zk_rollup_settle *rec, zk_rollup_state *st)
{
    if (!st)
        return ZK_EINVAL;
    if (st->broken)
        return ZK_ENOMEM;
    account *a = lookup(st, ZK_ROLLUP_OPERATOR);
    if (!a)
        return ZK_EINVAL;
    const size_t nt = (size_t)1 << st->tdepth;
    zk_rollup_settle *r = malloc(sizeof *r);
    if (!r)
        return ZK_ENOMEM;
    memset(r, 0, sizeof *r); /* padding too: records compare bytewise */
    r->depth = st->depth;
    r->token_depth = st->tdepth;
    int rc = zk_merkle_tree_path(r->account_path, st->tree,
                                 ZK_ROLLUP_OPERATOR);
    if (rc != ZK_OK) {
        free(r);
        return rc;
    }
    zk_merkle_tree_root(&r->old_root, st->tree);
    account_view(&r->pre, st, a);
    r->pre_leaf = a->leaf;
    memcpy(r->fees, st->pending, nt * sizeof *r->fees);
    for (size_t t = 0; t < nt; t++) {
        r->pre_balance[t] = a->nodes[nt + t];
        zk_fr_add(&r->post_balance[t], &r->pre_balance[t], &r->fees[t]);
    }

    /* the new balance tree and leaf, then one tree update */
    zk_fr old_leaf = a->leaf;
    zk_fr *saved = malloc(2 * nt * sizeof *saved);
    if (!saved) {
        free(r);
        return ZK_ENOMEM;
    }
    memcpy(saved, a->nodes, 2 * nt * sizeof *saved);
    for (size_t t = 0; t < nt && rc == ZK_OK; t++)
        if (!zk_fr_is_zero(&r->fees[t]))
            rc = bal_set(st, a, t, &r->post_balance[t]);
    if (rc == ZK_OK)
        rc = account_leaf(&a->leaf, a);
    if (rc == ZK_OK)
        rc = zk_merkle_tree_set(st->tree, ZK_ROLLUP_OPERATOR, &a->leaf);
    if (rc != ZK_OK) { /* the tree is all or nothing: it is unchanged */
        memcpy(a->nodes, saved, 2 * nt * sizeof *saved);
        a->leaf = old_leaf;
        free(saved);
        free(r);
        return rc;
    }
    free(saved);
    account_view(&r->post, st, a);
    r->post_leaf = a->leaf;
    zk_merkle_tree_root(&r->new_root, st->tree);
    memset(st->pending, 0, sizeof st->pending);
    if (rec)
        memcpy(rec, r, sizeof *r);
    free(r);
    return ZK_OK;
}
