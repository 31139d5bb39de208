/*
 * test_merkle.c -- Poseidon(2) Merkle trees: the native side
 * (lib/hash/merkle) and the gadgets (lib/gadgets/merkle).
 *
 * Native:
 *  - the empty-subtree hashes (zeros[1] is circomlibjs's poseidon([0, 0]));
 *  - the sparse tree against a naive full tree at depths 0..6 under random
 *    sets (overwrites and resets to 0 included): every node, every path,
 *    roots from paths, the stored-node count, back to empty;
 *  - depth 32: random leaves, order independence, paths, memory bounded;
 *  - argument and range errors;
 *  - zk_merkle_tree_set_many = the same sets one by one (root, stored-node
 *    count, every node on the touched paths and their siblings), with no
 *    pool, 1 and 2 threads (identical roots): n = 0 and 1, a dense block
 *    of 1000 at depth 20, sparse
 *    indices at depth 32, random order, repeats (the last wins), zeros
 *    that erase nodes (down to the empty tree), a tree already holding
 *    leaves, depths 0 and 1; random batches against the full tree at
 *    depths 0..6; ZK_ERANGE for an index >= 2^D first, in the middle or
 *    last (tree unchanged), ZK_EINVAL for NULLs, n = 0 with NULL arrays;
 *  - a small tree's root against circomlibjs (when node is there).
 * Gadgets, for depths 1, 4 and 20 (and 0):
 *  - membership at random indices: SHAPE = WITNESS, satisfied, the root
 *    gadget's value equals the native root, exactly 242 D constraints;
 *  - update: the new root equals the native tree's after the set, exactly
 *    483 D (+ 1 for the output) constraints; two chained updates;
 *  - negatives: wrong sibling, wrong index bit, wrong (old) leaf, wrong
 *    claimed new root, an index >= 2^D, every variable tampered in turn,
 *    and the non-boolean selector forgery (a "proof" for any leaf from a
 *    known preimage of the root), which only the bit constraint stops;
 *  - argument errors (sticky).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "field/fr.h"
#include "gadgets/merkle.h"
#include "gadgets/poseidon.h"
#include "hash/merkle.h"
#include "hash/poseidon.h"
#include "io/r1cs.h"
#include "r1cs/cs.h"
#include "tap.h"
#include "testfile.h"

#define P2 240 /* Poseidon(2), circomlib's count (test_gposeidon) */

static uint64_t g_rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static zk_fr fr_u64(uint64_t v)
{
    zk_fr x;
    zk_fr_set_u64(&x, v);
    return x;
}

static zk_fr fr_rand(void)
{
    zk_fr x;
    zk_fr_random(&x);
    return x;
}

static zk_fr hash2(const zk_fr *l, const zk_fr *r)
{
    zk_fr in[2] = {*l, *r}, out;
    if (zk_poseidon(&out, in, 2) != ZK_OK)
        bail_out("zk_poseidon");
    return out;
}

static zk_merkle_tree *new_tree(size_t depth)
{
    zk_merkle_tree *t;
    if (zk_merkle_tree_new(&t, depth) != ZK_OK)
        bail_out("zk_merkle_tree_new(%zu)", depth);
    return t;
}

static void tree_set(zk_merkle_tree *t, uint64_t i, const zk_fr *v)
{
    if (zk_merkle_tree_set(t, i, v) != ZK_OK)
        bail_out("zk_merkle_tree_set");
}

static zk_cs *new_cs(zk_cs_mode mode)
{
    zk_cs *cs;
    if (zk_cs_new(&cs, mode) != ZK_OK)
        bail_out("zk_cs_new");
    return cs;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ================================================================ native */

static void test_zeros(void)
{
    zk_fr z[ZK_MERKLE_DEPTH_MAX + 1];
    ok(zk_merkle_zeros(z, ZK_MERKLE_DEPTH_MAX) == ZK_OK, "zeros up to depth 64");
    zk_fr p00;
    /* circomlibjs: poseidon([0, 0]) */
    if (zk_fr_from_dec(&p00, "14744269619966411208579211824598458697587494354926760081771325075741142829156") != ZK_OK)
        bail_out("dec");
    int chain = zk_fr_is_zero(&z[0]) && zk_fr_eq(&z[1], &p00);
    for (size_t k = 0; k < ZK_MERKLE_DEPTH_MAX; k++) {
        zk_fr h = hash2(&z[k], &z[k]);
        chain &= zk_fr_eq(&z[k + 1], &h);
    }
    ok(chain, "zeros[0] = 0, zeros[1] = poseidon([0,0]) (circomlibjs), "
              "zeros[k+1] = H(zeros[k], zeros[k])");
    for (size_t d = 0; d <= ZK_MERKLE_TREE_DEPTH_MAX; d += 8) {
        zk_merkle_tree *t = new_tree(d);
        zk_fr r;
        zk_merkle_tree_root(&r, t);
        ok(zk_fr_eq(&r, &z[d]) && zk_merkle_tree_n_nodes(t) == 0 &&
               zk_merkle_tree_depth(t) == d,
           "empty tree of depth %zu: root zeros[%zu], no stored node", d, d);
        zk_merkle_tree_free(t);
    }
    zk_fr h;
    ok(zk_merkle_hash(&h, &z[3], &z[5]) == ZK_OK &&
           zk_fr_eq(&h, (zk_fr[]){hash2(&z[3], &z[5])}),
       "zk_merkle_hash = Poseidon(left, right)");
}

/* A full tree: node[level][i] for level 0..depth. */
typedef struct {
    size_t depth;
    zk_fr *node[7];
} naive;

static void naive_init(naive *n, size_t depth)
{
    n->depth = depth;
    for (size_t l = 0; l <= depth; l++) {
        size_t cnt = (size_t)1 << (depth - l);
        n->node[l] = calloc(cnt, sizeof(zk_fr));
        if (!n->node[l])
            bail_out("oom");
    }
    for (size_t l = 1; l <= depth; l++)
        for (size_t i = 0; i < ((size_t)1 << (depth - l)); i++)
            n->node[l][i] = hash2(&n->node[l - 1][2 * i], &n->node[l - 1][2 * i + 1]);
}

static void naive_set(naive *n, uint64_t idx, const zk_fr *v)
{
    n->node[0][idx] = *v;
    /* recompute everything (the point is to be obviously right) */
    for (size_t l = 1; l <= n->depth; l++)
        for (size_t i = 0; i < ((size_t)1 << (n->depth - l)); i++)
            n->node[l][i] = hash2(&n->node[l - 1][2 * i], &n->node[l - 1][2 * i + 1]);
}

static void naive_free(naive *n)
{
    for (size_t l = 0; l <= n->depth; l++)
        free(n->node[l]);
}

/* Everything the tree says equals the naive tree. */
static int agree(const zk_merkle_tree *t, const naive *n, const zk_fr *zeros)
{
    size_t nonempty = 0;
    zk_fr r;
    zk_merkle_tree_root(&r, t);
    if (!zk_fr_eq(&r, &n->node[n->depth][0]))
        return 0;
    for (size_t l = 0; l <= n->depth; l++)
        for (uint64_t i = 0; i < ((uint64_t)1 << (n->depth - l)); i++) {
            zk_fr v;
            if (zk_merkle_tree_node(&v, t, l, i) != ZK_OK ||
                !zk_fr_eq(&v, &n->node[l][i]))
                return 0;
            nonempty += !zk_fr_eq(&n->node[l][i], &zeros[l]);
        }
    if (nonempty != zk_merkle_tree_n_nodes(t))
        return 0;
    for (uint64_t i = 0; i < ((uint64_t)1 << n->depth); i++) {
        zk_fr sib[8], leaf, root;
        if (zk_merkle_tree_path(sib, t, i) != ZK_OK ||
            zk_merkle_tree_get(&leaf, t, i) != ZK_OK)
            return 0;
        for (size_t l = 0; l < n->depth; l++)
            if (!zk_fr_eq(&sib[l], &n->node[l][(i >> l) ^ 1]))
                return 0;
        if (zk_merkle_root(&root, &leaf, sib, n->depth, i) != ZK_OK ||
            !zk_fr_eq(&root, &r))
            return 0;
    }
    return 1;
}

static void test_naive(void)
{
    zk_fr zeros[8];
    if (zk_merkle_zeros(zeros, 7) != ZK_OK)
        bail_out("zeros");
    for (size_t d = 0; d <= 6; d++) {
        zk_merkle_tree *t = new_tree(d);
        naive n;
        naive_init(&n, d);
        int good = agree(t, &n, zeros);
        size_t steps = 40;
        for (size_t s = 0; s < steps && good; s++) {
            uint64_t i = rnd() & (((uint64_t)1 << d) - 1);
            /* a third of the sets write 0 (deleting nodes), some rewrite
             * the value already there */
            zk_fr v = s % 3 == 0 ? fr_u64(0) : fr_rand();
            if (s % 7 == 0 && zk_merkle_tree_get(&v, t, i) != ZK_OK)
                bail_out("get");
            tree_set(t, i, &v);
            naive_set(&n, i, &v);
            good = agree(t, &n, zeros);
        }
        ok(good, "depth %zu: %zu random sets, every node, path, root and the "
                 "stored-node count agree with a full tree", d, steps);
        /* fill every leaf, then clear them all */
        for (uint64_t i = 0; i < ((uint64_t)1 << d); i++) {
            zk_fr v = fr_u64(i + 1);
            tree_set(t, i, &v);
            naive_set(&n, i, &v);
        }
        int full = agree(t, &n, zeros) &&
                   zk_merkle_tree_n_nodes(t) == ((size_t)2 << d) - 1;
        for (uint64_t i = 0; i < ((uint64_t)1 << d); i++) {
            tree_set(t, i, &zeros[0]);
            naive_set(&n, i, &zeros[0]);
        }
        zk_fr r;
        zk_merkle_tree_root(&r, t);
        ok(full && agree(t, &n, zeros) && zk_merkle_tree_n_nodes(t) == 0 &&
               zk_fr_eq(&r, &zeros[d]),
           "depth %zu: all 2^%zu leaves set (2^%zu - 1 nodes stored), then "
           "cleared: empty again", d, d, d + 1);
        naive_free(&n);
        zk_merkle_tree_free(t);
    }
}

static void test_depth32(void)
{
    const size_t D = 32, N = 60;
    zk_merkle_tree *a = new_tree(D), *b = new_tree(D);
    uint64_t idx[60];
    zk_fr val[60];
    for (size_t i = 0; i < N; i++) {
        idx[i] = i == 0 ? 0 : i == 1 ? 0xffffffffull : i == 2 ? 1 : rnd() >> 32;
        val[i] = fr_rand();
    }
    double t0 = now();
    for (size_t i = 0; i < N; i++)
        tree_set(a, idx[i], &val[i]);
    double dt = (now() - t0) / N;
    for (size_t i = N; i-- > 0;)
        tree_set(b, idx[i], &val[i]);
    zk_fr ra, rb;
    zk_merkle_tree_root(&ra, a);
    zk_merkle_tree_root(&rb, b);
    ok(zk_fr_eq(&ra, &rb), "depth 32: the root does not depend on the order of sets");
    int paths = 1;
    for (size_t i = 0; i < N; i++) {
        zk_fr sib[32], leaf, r;
        paths &= zk_merkle_tree_path(sib, a, idx[i]) == ZK_OK &&
                 zk_merkle_tree_get(&leaf, a, idx[i]) == ZK_OK &&
                 zk_fr_eq(&leaf, &val[i]) &&
                 zk_merkle_root(&r, &leaf, sib, D, idx[i]) == ZK_OK &&
                 zk_fr_eq(&r, &ra);
        /* an index next to it that was never set: 0 there, path valid too */
        uint64_t j = idx[i] ^ 0x10000;
        paths &= zk_merkle_tree_path(sib, a, j) == ZK_OK &&
                 zk_merkle_tree_get(&leaf, a, j) == ZK_OK &&
                 zk_merkle_root(&r, &leaf, sib, D, j) == ZK_OK &&
                 zk_fr_eq(&r, &ra);
    }
    ok(paths, "depth 32: the path of every set leaf and of unset neighbours "
              "leads to the root");
    ok(zk_merkle_tree_n_nodes(a) <= N * (D + 1) && zk_merkle_tree_n_nodes(a) > N,
       "depth 32: %zu stored nodes for %zu leaves (<= %zu)",
       zk_merkle_tree_n_nodes(a), N, N * (D + 1));
    /* a wrong leaf or sibling gives another root */
    zk_fr sib[32], leaf, r;
    if (zk_merkle_tree_path(sib, a, idx[5]) != ZK_OK)
        bail_out("path");
    leaf = val[5];
    zk_fr_add(&sib[17], &sib[17], (zk_fr[]){fr_u64(1)});
    ok(zk_merkle_root(&r, &leaf, sib, D, idx[5]) == ZK_OK && !zk_fr_eq(&r, &ra),
       "a changed sibling gives another root");
    zk_fr_sub(&sib[17], &sib[17], (zk_fr[]){fr_u64(1)});
    ok(zk_merkle_root(&r, &leaf, sib, D, idx[5] ^ 8) == ZK_OK && !zk_fr_eq(&r, &ra),
       "a flipped index bit gives another root");
    diag("depth 32: %.1f us per set", dt * 1e6);
    zk_merkle_tree_free(a);
    zk_merkle_tree_free(b);
}

static void test_native_errors(void)
{
    zk_merkle_tree *t = NULL;
    ok(zk_merkle_tree_new(&t, ZK_MERKLE_TREE_DEPTH_MAX + 1) == ZK_EINVAL && t == NULL,
       "tree depth 33: ZK_EINVAL, *out NULL");
    ok(zk_merkle_tree_new(NULL, 4) == ZK_EINVAL, "tree_new(NULL): ZK_EINVAL");
    t = new_tree(4);
    zk_fr v = fr_u64(5), sib[4];
    ok(zk_merkle_tree_set(t, 16, &v) == ZK_ERANGE &&
           zk_merkle_tree_get(&v, t, 16) == ZK_ERANGE &&
           zk_merkle_tree_path(sib, t, 16) == ZK_ERANGE &&
           zk_merkle_tree_node(&v, t, 1, 8) == ZK_ERANGE &&
           zk_merkle_tree_node(&v, t, 4, 1) == ZK_ERANGE &&
           zk_merkle_tree_n_nodes(t) == 0,
       "index >= 2^(depth - level): ZK_ERANGE, tree unchanged");
    ok(zk_merkle_tree_node(&v, t, 5, 0) == ZK_EINVAL &&
           zk_merkle_tree_set(t, 0, NULL) == ZK_EINVAL &&
           zk_merkle_tree_set(NULL, 0, &v) == ZK_EINVAL &&
           zk_merkle_tree_get(NULL, t, 0) == ZK_EINVAL &&
           zk_merkle_tree_path(NULL, t, 0) == ZK_EINVAL,
       "level > depth, NULL pointers: ZK_EINVAL");
    zk_merkle_tree_free(t);
    zk_merkle_tree_free(NULL);
    zk_fr r, leaf = fr_u64(1), s64[64];
    ok(zk_merkle_root(&r, &leaf, sib, 4, 16) == ZK_ERANGE &&
           zk_merkle_root(&r, &leaf, sib, 65, 0) == ZK_EINVAL &&
           zk_merkle_root(&r, &leaf, NULL, 4, 0) == ZK_EINVAL &&
           zk_merkle_root(NULL, &leaf, sib, 4, 0) == ZK_EINVAL &&
           zk_merkle_zeros(NULL, 3) == ZK_EINVAL &&
           zk_merkle_zeros(s64, 65) == ZK_EINVAL,
       "zk_merkle_root / zeros: ZK_ERANGE for index >= 2^depth, ZK_EINVAL otherwise");
    ok(zk_merkle_root(&r, &leaf, NULL, 0, 0) == ZK_OK && zk_fr_eq(&r, &leaf) &&
           zk_merkle_root(&r, &leaf, NULL, 0, 1) == ZK_ERANGE,
       "depth 0: the root is the leaf (index 0 only)");
    for (size_t k = 0; k < 64; k++)
        s64[k] = fr_u64(k);
    zk_fr cur = leaf;
    uint64_t idx = 0xa5a5a5a5deadbeefull;
    for (size_t k = 0; k < 64; k++)
        cur = (idx >> k) & 1 ? hash2(&s64[k], &cur) : hash2(&cur, &s64[k]);
    ok(zk_merkle_root(&r, &leaf, s64, 64, idx) == ZK_OK && zk_fr_eq(&r, &cur),
       "depth 64 with a 64-bit index");
}

/* ------------------------------------------------------------ bulk set */

/* zk_merkle_tree_set_many runs on each of these: no pool, 1 thread, 2. */
#define NPOOLS 3
static zk_pool *g_pools[NPOOLS];
static const char *const g_pool_name[NPOOLS] = {"no pool", "1 thread",
                                                "2 threads"};

static void pools_new(void)
{
    g_pools[0] = NULL;
    if (zk_pool_new(&g_pools[1], 1) != ZK_OK ||
        zk_pool_new(&g_pools[2], 2) != ZK_OK)
        bail_out("zk_pool_new");
}

static void pools_free(void)
{
    for (size_t p = 0; p < NPOOLS; p++)
        zk_pool_free(g_pools[p]);
}

/* The bulk tests draw from their own generator, so that the later tests
 * see the same rnd() sequence as without them. */
static uint64_t g_mrng = 0x5851f42d4c957f2dull;

static uint64_t mrnd(void)
{
    g_mrng ^= g_mrng << 13;
    g_mrng ^= g_mrng >> 7;
    g_mrng ^= g_mrng << 17;
    return g_mrng;
}

/* a and b agree on the root, the stored-node count and, at every level,
 * the node on the path of each idx[i] and that node's sibling. */
static int same_tree(const zk_merkle_tree *a, const zk_merkle_tree *b,
                     const uint64_t *idx, size_t n)
{
    size_t d = zk_merkle_tree_depth(a);
    zk_fr ra, rb;
    zk_merkle_tree_root(&ra, a);
    zk_merkle_tree_root(&rb, b);
    if (d != zk_merkle_tree_depth(b) || !zk_fr_eq(&ra, &rb) ||
        zk_merkle_tree_n_nodes(a) != zk_merkle_tree_n_nodes(b))
        return 0;
    for (size_t i = 0; i < n; i++)
        for (size_t l = 0; l <= d; l++) {
            uint64_t u = idx[i] >> l;
            for (int s = 0; s < (l < d ? 2 : 1); s++) {
                zk_fr va, vb;
                if (zk_merkle_tree_node(&va, a, l, u ^ (uint64_t)s) != ZK_OK ||
                    zk_merkle_tree_node(&vb, b, l, u ^ (uint64_t)s) != ZK_OK ||
                    !zk_fr_eq(&va, &vb))
                    return 0;
            }
        }
    return 1;
}

static zk_merkle_tree *tree_with(size_t d, const uint64_t *idx, const zk_fr *val,
                                 size_t n)
{
    zk_merkle_tree *t = new_tree(d);
    for (size_t i = 0; i < n; i++)
        tree_set(t, idx[i], &val[i]);
    return t;
}

/*
 * One case: a tree of depth d holding pre[0 .. npre) = pv[..], then
 * idx[0 .. n) = val[..] by n zk_merkle_tree_set calls (the reference) and
 * by one zk_merkle_tree_set_many on each pool.  Four points: each pool's
 * tree equals the reference (same_tree at the pre and set indices), and
 * the three roots are identical.
 */
static void bulk_case(const char *what, size_t d, const uint64_t *pre,
                      const zk_fr *pv, size_t npre, const uint64_t *idx,
                      const zk_fr *val, size_t n)
{
    zk_merkle_tree *ref = tree_with(d, pre, pv, npre);
    for (size_t i = 0; i < n; i++)
        tree_set(ref, idx[i], &val[i]);
    zk_fr root[NPOOLS];
    for (size_t p = 0; p < NPOOLS; p++) {
        zk_merkle_tree *t = tree_with(d, pre, pv, npre);
        int rc = zk_merkle_tree_set_many(t, idx, val, n, g_pools[p]);
        zk_merkle_tree_root(&root[p], t);
        ok(rc == ZK_OK && same_tree(t, ref, idx, n) &&
               same_tree(t, ref, pre, npre),
           "set_many, %s, %s: = %zu sequential sets (root, node count, "
           "path nodes and siblings)", what, g_pool_name[p], n);
        if (rc != ZK_OK)
            diag("set_many returned %d", rc);
        zk_merkle_tree_free(t);
    }
    ok(zk_fr_eq(&root[0], &root[1]) && zk_fr_eq(&root[0], &root[2]),
       "set_many, %s: identical roots for every pool", what);
    zk_merkle_tree_free(ref);
}

static uint64_t *u64s(size_t n)
{
    uint64_t *a = malloc((n ? n : 1) * sizeof *a);
    if (!a)
        bail_out("oom");
    return a;
}

static zk_fr *frs(size_t n)
{
    zk_fr *a = malloc((n ? n : 1) * sizeof *a);
    if (!a)
        bail_out("oom");
    return a;
}

/* Shuffle the pairs (a[i], v[i]). */
static void shuffle(uint64_t *a, zk_fr *v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = mrnd() % i;
        uint64_t x = a[i - 1];
        zk_fr y = v[i - 1];
        a[i - 1] = a[j];
        v[i - 1] = v[j];
        a[j] = x;
        v[j] = y;
    }
}

static void test_set_many(void)
{
    enum { NMAX = 1000 };
    uint64_t *idx = u64s(NMAX), *pre = u64s(NMAX);
    zk_fr *val = frs(NMAX), *pv = frs(NMAX);
    zk_fr zero = fr_u64(0);

    /* n = 0 on a tree that holds leaves; n = 1 */
    for (size_t i = 0; i < 8; i++) {
        pre[i] = mrnd() & 0xffff;
        pv[i] = fr_rand();
    }
    idx[0] = 5;
    val[0] = fr_rand();
    bulk_case("n = 0", 16, pre, pv, 8, idx, val, 0);
    bulk_case("n = 1", 16, pre, pv, 8, idx, val, 1);

    /* the dense block 0 .. 999 at depth 20 */
    for (size_t i = 0; i < NMAX; i++) {
        idx[i] = i;
        val[i] = fr_rand();
    }
    bulk_case("dense 0..999, depth 20", 20, pre, pv, 0, idx, val, NMAX);

    /* random sparse indices at depth 32, both ends included */
    for (size_t i = 0; i < 300; i++) {
        idx[i] = i == 0 ? 0 : i == 1 ? 0xffffffffull : i == 2 ? 1 : mrnd() >> 32;
        val[i] = fr_rand();
    }
    bulk_case("300 sparse, depth 32", 32, pre, pv, 0, idx, val, 300);

    /* random order: a dense block and random others, shuffled */
    for (size_t i = 0; i < 256; i++)
        idx[i] = 1000 + i;
    for (size_t i = 256; i < 400; i++)
        idx[i] = mrnd() & 0xfff;
    for (size_t i = 0; i < 400; i++)
        val[i] = fr_rand();
    shuffle(idx, val, 400);
    bulk_case("400 in random order, depth 12", 12, pre, pv, 0, idx, val, 400);

    /* repeated indices: 300 entries over 40 slots, the last value wins;
     * some slots end at 0 after a value, some at a value after 0 */
    for (size_t i = 0; i < 300; i++) {
        idx[i] = (mrnd() % 40) * 3;
        val[i] = i % 5 == 0 ? zero : fr_rand();
    }
    idx[298] = idx[299] = 7;
    val[298] = fr_rand();
    val[299] = zero; /* set then erased in the same call */
    idx[296] = idx[297] = 8;
    val[296] = zero;
    val[297] = fr_rand();
    bulk_case("300 with repeats (last wins), depth 10", 10, pre, pv, 0, idx,
              val, 300);

    /* zeros: a tree of 200 leaves; clear 100 of them (a whole aligned
     * block of 64 among them, so full subtrees disappear), write 0 to 50
     * empty slots, set 50 others */
    for (size_t i = 0; i < 200; i++) {
        pre[i] = i < 64 ? 128 + i : mrnd() & 0x3fff;
        pv[i] = fr_rand();
    }
    size_t n = 0;
    for (size_t i = 0; i < 100; i++, n++) {
        idx[n] = pre[i];
        val[n] = zero;
    }
    for (size_t i = 0; i < 50; i++, n++) {
        idx[n] = 0x4000 + (mrnd() & 0x3fff);
        val[n] = zero;
    }
    for (size_t i = 0; i < 50; i++, n++) {
        idx[n] = mrnd() & 0x7fff;
        val[n] = fr_rand();
    }
    shuffle(idx, val, n);
    bulk_case("zeros erase leaves, depth 15", 15, pre, pv, 200, idx, val, n);
    /* ... and clear every leaf: the empty tree again */
    for (size_t i = 0; i < 200; i++) {
        idx[i] = pre[i];
        val[i] = zero;
    }
    bulk_case("clear all 200 leaves, depth 15", 15, pre, pv, 200, idx, val, 200);
    {
        zk_merkle_tree *t = tree_with(15, pre, pv, 200);
        zk_fr z[16], r;
        if (zk_merkle_zeros(z, 15) != ZK_OK)
            bail_out("zeros");
        int rc = zk_merkle_tree_set_many(t, idx, val, 200, g_pools[2]);
        zk_merkle_tree_root(&r, t);
        ok(rc == ZK_OK && zk_merkle_tree_n_nodes(t) == 0 && zk_fr_eq(&r, &z[15]),
           "clearing every leaf in one call: no stored node, root zeros[15]");
        zk_merkle_tree_free(t);
    }

    /* a tree holding leaves: new ones beside them (siblings), overwrites */
    for (size_t i = 0; i < 100; i++) {
        pre[i] = mrnd() & 0xffff;
        pv[i] = fr_rand();
    }
    for (size_t i = 0; i < 150; i++) {
        idx[i] = i < 50 ? pre[i] : i < 100 ? pre[i] ^ 1 : mrnd() & 0xffff;
        val[i] = fr_rand();
    }
    bulk_case("150 over 100 existing leaves, depth 16", 16, pre, pv, 100, idx,
              val, 150);

    /* depth 0 (the leaf is the root) and depth 1 */
    pre[0] = 0;
    pv[0] = fr_rand();
    idx[0] = 0;
    val[0] = fr_rand();
    bulk_case("depth 0, one set", 0, pre, pv, 0, idx, val, 1);
    idx[1] = 0;
    val[1] = zero;
    bulk_case("depth 0, set then 0 over a leaf", 0, pre, pv, 1, idx, val, 2);
    idx[0] = 1;
    idx[1] = 0;
    idx[2] = 1;
    val[0] = fr_rand();
    val[1] = fr_rand();
    val[2] = fr_rand();
    bulk_case("depth 1, indices 1, 0, 1", 1, pre, pv, 0, idx, val, 3);
    val[1] = zero;
    bulk_case("depth 1, leaf 0 cleared", 1, pre, pv, 1, idx, val, 3);

    free(idx);
    free(pre);
    free(val);
    free(pv);
}

/* Against the naive full tree at depths 0..6: random batches (repeats,
 * zeros, overwrites) on the 2-thread pool, every node and path checked. */
static void test_set_many_naive(void)
{
    zk_fr zeros[8];
    if (zk_merkle_zeros(zeros, 7) != ZK_OK)
        bail_out("zeros");
    for (size_t d = 0; d <= 6; d++) {
        zk_merkle_tree *t = new_tree(d);
        naive nv;
        naive_init(&nv, d);
        int good = 1;
        for (size_t round = 0; round < 6 && good; round++) {
            uint64_t idx[80];
            zk_fr val[80];
            size_t n = mrnd() % 80;
            for (size_t i = 0; i < n; i++) {
                idx[i] = mrnd() & (((uint64_t)1 << d) - 1);
                val[i] = mrnd() % 3 == 0 ? fr_u64(0) : fr_rand();
            }
            good = zk_merkle_tree_set_many(t, idx, val, n, g_pools[2]) == ZK_OK;
            for (size_t i = 0; i < n; i++)
                naive_set(&nv, idx[i], &val[i]);
            good = good && agree(t, &nv, zeros);
        }
        ok(good, "depth %zu: 6 random set_many batches (repeats, zeros) "
                 "agree with a full tree: every node, path, root, count", d);
        naive_free(&nv);
        zk_merkle_tree_free(t);
    }
}

/* The tree is as before: same root and stored-node count. */
static int unchanged(const zk_merkle_tree *t, const zk_fr *root, size_t count)
{
    zk_fr r;
    zk_merkle_tree_root(&r, t);
    return zk_fr_eq(&r, root) && zk_merkle_tree_n_nodes(t) == count;
}

static void test_set_many_errors(void)
{
    const size_t D = 10;
    uint64_t pre[20], idx[9];
    zk_fr pv[20], val[9];
    for (size_t i = 0; i < 20; i++) {
        pre[i] = mrnd() & 1023;
        pv[i] = fr_rand();
    }
    zk_merkle_tree *t = tree_with(D, pre, pv, 20);
    zk_fr root;
    zk_merkle_tree_root(&root, t);
    size_t count = zk_merkle_tree_n_nodes(t);
    static const size_t where[] = {0, 4, 8};
    static const uint64_t bad_index[] = {1024, 0xffffffffull + 1, UINT64_MAX};
    for (size_t p = 0; p < NPOOLS; p++)
        for (size_t w = 0; w < 3; w++) {
            for (size_t i = 0; i < 9; i++) {
                /* valid entries over existing and empty slots */
                idx[i] = i % 2 ? pre[i] : (mrnd() & 1023);
                val[i] = i % 3 ? fr_rand() : fr_u64(0);
            }
            idx[where[w]] = bad_index[w];
            int rc = zk_merkle_tree_set_many(t, idx, val, 9, g_pools[p]);
            ok(rc == ZK_ERANGE && unchanged(t, &root, count),
               "set_many, %s: index %llu (>= 2^%zu) at position %zu of 9: "
               "ZK_ERANGE, tree unchanged",
               g_pool_name[p], (unsigned long long)bad_index[w], D, where[w]);
        }
    /* the edge: 2^D - 1 is fine, 2^D is not */
    for (size_t i = 0; i < 9; i++) {
        idx[i] = 1023 - i;
        val[i] = fr_rand();
    }
    idx[8] = 1024;
    ok(zk_merkle_tree_set_many(t, idx, val, 9, NULL) == ZK_ERANGE &&
           unchanged(t, &root, count),
       "set_many: 1023 .. 1017 then 1024 at depth 10: ZK_ERANGE, unchanged");
    ok(zk_merkle_tree_set_many(NULL, idx, val, 3, NULL) == ZK_EINVAL &&
           zk_merkle_tree_set_many(NULL, NULL, NULL, 0, NULL) == ZK_EINVAL,
       "set_many: NULL tree: ZK_EINVAL");
    ok(zk_merkle_tree_set_many(t, NULL, val, 3, NULL) == ZK_EINVAL &&
           zk_merkle_tree_set_many(t, idx, NULL, 3, NULL) == ZK_EINVAL &&
           zk_merkle_tree_set_many(t, NULL, NULL, 1, g_pools[2]) == ZK_EINVAL &&
           unchanged(t, &root, count),
       "set_many: NULL indices or leaves with n > 0: ZK_EINVAL, unchanged");
    ok(zk_merkle_tree_set_many(t, NULL, NULL, 0, NULL) == ZK_OK &&
           zk_merkle_tree_set_many(t, NULL, val, 0, g_pools[2]) == ZK_OK &&
           zk_merkle_tree_set_many(t, idx, NULL, 0, NULL) == ZK_OK &&
           unchanged(t, &root, count),
       "set_many: NULL arrays with n = 0: ZK_OK, unchanged");
    zk_merkle_tree_free(t);

    /* depth 0: only index 0; depth 32: 2^32 is out */
    t = new_tree(0);
    idx[0] = 0;
    idx[1] = 1;
    val[0] = val[1] = fr_u64(3);
    zk_fr z0 = fr_u64(0);
    ok(zk_merkle_tree_set_many(t, idx, val, 2, NULL) == ZK_ERANGE &&
           unchanged(t, &z0, 0),
       "set_many at depth 0: index 1 refused, the leaf still 0");
    zk_merkle_tree_free(t);
    t = new_tree(32);
    idx[0] = 0xffffffffull;
    idx[1] = 0x100000000ull;
    zk_fr z32[33];
    if (zk_merkle_zeros(z32, 32) != ZK_OK)
        bail_out("zeros");
    ok(zk_merkle_tree_set_many(t, idx, val, 2, g_pools[2]) == ZK_ERANGE &&
           unchanged(t, &z32[32], 0),
       "set_many at depth 32: 2^32 - 1 then 2^32: ZK_ERANGE, still empty");
    zk_merkle_tree_free(t);
}

/* --------------------------------------------------------- circomlibjs */

static const char *interop_dir(const char *probe_rel)
{
    static char dir[4096];
    const char *top = getenv("top_srcdir");
    snprintf(dir, sizeof dir, "%s/tests/interop/node_modules", top ? top : ".");
    char probe[4352];
    snprintf(probe, sizeof probe, "%s/%s", dir, probe_rel);
    if (!exists(probe) || system("node --version >/dev/null 2>&1") != 0)
        return NULL;
    static char abs[PATH_MAX];
    return realpath(dir, abs);
}

/* Depth 3, leaves 1..8 except leaf 5 = 0: the root by circomlibjs's
 * poseidon, level by level. */
static void test_circomlibjs(void)
{
    const char *nm = interop_dir("circomlibjs/main.js");
    if (!nm) {
        skip(1, "node or tests/interop/node_modules/circomlibjs not available");
        return;
    }
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "node --input-type=module -e '"
             "const { buildPoseidon } = await import(\"%s/circomlibjs/main.js\");"
             "const p = await buildPoseidon();"
             "let lv = [1n, 2n, 3n, 4n, 5n, 0n, 7n, 8n];"
             "while (lv.length > 1) { const nx = [];"
             " for (let i = 0; i < lv.length; i += 2)"
             "  nx.push(p.F.toObject(p([lv[i], lv[i + 1]])));"
             " lv = nx; }"
             "console.log(lv[0].toString());' > '%s' 2>&1",
             nm, tpath("root.txt"));
    int st = system(cmd);
    char *txt = read_text(tpath("root.txt"));
    char *nl = strchr(txt, '\n');
    if (nl)
        *nl = '\0';
    zk_fr js;
    zk_merkle_tree *t = new_tree(3);
    for (uint64_t i = 0; i < 8; i++) {
        zk_fr v = fr_u64(i == 5 ? 0 : i + 1);
        tree_set(t, i, &v);
    }
    zk_fr r;
    zk_merkle_tree_root(&r, t);
    ok(st == 0 && zk_fr_from_dec(&js, txt) == ZK_OK && zk_fr_eq(&js, &r),
       "depth-3 tree of 1..8 (leaf 5 = 0): root = circomlibjs's");
    if (st != 0)
        diag("node said: %.300s", txt);
    free(txt);
    zk_merkle_tree_free(t);
}

/* =============================================================== gadgets */

#define DMAX 20

/* A membership or update instance and how to spoil its witness. */
typedef struct {
    size_t depth;
    uint64_t index;          /* as given to the circuit */
    zk_fr leaf, new_leaf;    /* update: old and new leaf */
    zk_fr sib[DMAX];
    zk_fr root, new_root;    /* root (old root); expected new root */
    int raw_bits;            /* 1: bits as private inputs, from bitv */
    zk_fr bitv[DMAX];
    int with_root_gadget;    /* verify: also expose zk_g_merkle_root */
} mctx;

/* Private inputs: leaf, index (or the raw bits), siblings; the bits. */
static void alloc_path(zk_cs *cs, const mctx *c, zk_lc *bits, zk_lc *sib)
{
    if (c->raw_bits) {
        for (size_t k = 0; k < c->depth; k++)
            bits[k] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->bitv[k]));
    } else {
        zk_fr iv = fr_u64(c->index);
        zk_var idx = zk_cs_alloc_prv_in(cs, &iv);
        (void)zk_g_merkle_index_bits(cs, bits, zk_lc_var(cs, idx), c->depth);
    }
    for (size_t k = 0; k < c->depth; k++)
        sib[k] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->sib[k]));
}

static int build_verify(zk_cs *cs, void *vctx)
{
    mctx *c = vctx;
    zk_var out = ZK_CS_ONE;
    if (c->with_root_gadget)
        out = zk_cs_alloc_pub_out(cs, NULL);
    zk_var root = zk_cs_alloc_pub_in(cs, &c->root);
    zk_var leaf = zk_cs_alloc_prv_in(cs, &c->leaf);
    zk_lc bits[DMAX], sib[DMAX];
    alloc_path(cs, c, bits, sib);
    (void)zk_g_merkle_verify(cs, zk_lc_var(cs, root), zk_lc_var(cs, leaf), sib,
                             bits, c->depth);
    if (c->with_root_gadget) {
        zk_lc r;
        (void)zk_g_merkle_root(cs, &r, zk_lc_var(cs, leaf), sib, bits, c->depth);
        zk_fr rv;
        zk_lc_eval(&rv, cs, r);
        zk_cs_set(cs, out, &rv);
        zk_cs_enforce_equal(cs, zk_lc_var(cs, out), r);
    }
    return zk_cs_err(cs);
}

/* Public: new root (output), old root (input). */
static int build_update(zk_cs *cs, void *vctx)
{
    mctx *c = vctx;
    zk_var out = zk_cs_alloc_pub_out(cs, NULL);
    zk_var old_root = zk_cs_alloc_pub_in(cs, &c->root);
    zk_var old_leaf = zk_cs_alloc_prv_in(cs, &c->leaf);
    zk_var new_leaf = zk_cs_alloc_prv_in(cs, &c->new_leaf);
    zk_lc bits[DMAX], sib[DMAX], nr;
    alloc_path(cs, c, bits, sib);
    (void)zk_g_merkle_update(cs, &nr, zk_lc_var(cs, old_root),
                             zk_lc_var(cs, old_leaf), zk_lc_var(cs, new_leaf),
                             sib, bits, c->depth);
    /* the claimed new root is the public output: value from c, so that a
     * wrong claim can be tested */
    zk_cs_set(cs, out, &c->new_root);
    zk_cs_enforce_equal(cs, zk_lc_var(cs, out), nr);
    return zk_cs_err(cs);
}

/* A tree of depth d with some random leaves, one of them at *index. */
static zk_merkle_tree *random_tree(size_t d, uint64_t *index, zk_fr *leaf)
{
    zk_merkle_tree *t = new_tree(d);
    uint64_t mask = d == 0 ? 0 : (((uint64_t)1 << d) - 1);
    for (int i = 0; i < 8; i++) {
        zk_fr v = fr_rand();
        tree_set(t, rnd() & mask, &v);
    }
    *index = rnd() & mask;
    *leaf = fr_rand();
    tree_set(t, *index, leaf);
    return t;
}

static void fill_path(mctx *c, const zk_merkle_tree *t)
{
    if (zk_merkle_tree_path(c->sib, t, c->index) != ZK_OK)
        bail_out("path");
    zk_merkle_tree_root(&c->root, t);
    for (size_t k = 0; k < c->depth; k++)
        c->bitv[k] = fr_u64((c->index >> k) & 1);
}

/* rc of is_satisfied for a build of c; first failing path in path. */
static int check(zk_cs_build_fn build, mctx *c, size_t *bad, char *path,
                 size_t len)
{
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    if (build(cs, c) != ZK_OK)
        bail_out("build");
    int rc = zk_cs_is_satisfied(cs, bad, path, len);
    zk_cs_free(cs);
    return rc;
}

static void test_verify(size_t d)
{
    mctx c = {.depth = d, .with_root_gadget = 1};
    zk_merkle_tree *t = random_tree(d, &c.index, &c.leaf);
    fill_path(&c, t);
    size_t diff = 0;
    is_int(zk_cs_check_modes(build_verify, &c, &diff), ZK_OK,
           "verify D=%zu: SHAPE = WITNESS", d);
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    if (build_verify(cs, &c) != ZK_OK)
        bail_out("build");
    zk_fr rv;
    zk_cs_val(&rv, cs, (zk_var){1}); /* the public output */
    ok(zk_fr_eq(&rv, &c.root) && zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_OK,
       "verify D=%zu at index %llu: satisfied; zk_g_merkle_root's value = the "
       "native root", d, (unsigned long long)c.index);
    zk_cs_free(cs);

    c.with_root_gadget = 0;
    cs = new_cs(ZK_CS_WITNESS);
    if (build_verify(cs, &c) != ZK_OK)
        bail_out("build");
    /* D = 0: index = 0 and leaf = root, one equality each */
    size_t want = d == 0 ? 2 : (P2 + 2) * d;
    is_int((long long)zk_cs_n_constraints(cs), (long long)want,
           "verify D=%zu: %zu constraints = 242 D (index bits included)", d, want);
    /* every variable of the gadgets tampered (D <= 4; 300 random ones
     * beyond): caught */
    int all = 1;
    size_t first_var = 1 + 3 + d; /* ONE, root, leaf, index, siblings */
    size_t nv = zk_cs_n_vars(cs), tries = d <= 4 ? nv - first_var : 300;
    for (size_t q = 0; q < tries; q++) {
        size_t v = d <= 4 ? first_var + q : first_var + rnd() % (nv - first_var);
        zk_fr old, x;
        zk_cs_val(&old, cs, (zk_var){(uint32_t)v});
        zk_fr_add(&x, &old, (zk_fr[]){fr_u64(1)});
        zk_cs_set(cs, (zk_var){(uint32_t)v}, &x);
        all &= zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_EVERIFY;
        zk_cs_set(cs, (zk_var){(uint32_t)v}, &old);
    }
    ok(all && zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_OK,
       "verify D=%zu: %zu of the %zu internal variables tampered in turn: "
       "each caught", d, tries, nv - first_var);
    zk_cs_free(cs);

    if (d == 0) {
        zk_merkle_tree_free(t);
        return;
    }
    char path[256], want_path[256];
    size_t bad;
    snprintf(want_path, sizeof want_path, "merkle/level[%zu]/poseidon/full", d - 1);

    mctx w = c;
    size_t k = rnd() % d;
    zk_fr_add(&w.sib[k], &w.sib[k], (zk_fr[]){fr_u64(1)});
    int rc = check(build_verify, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, want_path),
       "verify D=%zu: a wrong sibling at level %zu fails at the root check (%s)",
       d, k, path);

    w = c;
    w.index ^= (uint64_t)1 << k;
    rc = check(build_verify, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, want_path),
       "verify D=%zu: index bit %zu flipped fails at the root check (%s)", d, k,
       path);

    w = c;
    w.leaf = fr_rand();
    rc = check(build_verify, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, want_path),
       "verify D=%zu: a wrong leaf fails at the root check", d);

    w = c;
    w.root = fr_rand();
    rc = check(build_verify, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, want_path),
       "verify D=%zu: a wrong root fails", d);

    /* index + 2^D: same low bits, but bit 0 (the folded LC) is not
     * boolean any more */
    if (d < 64) {
        w = c;
        w.index += (uint64_t)1 << d;
        rc = check(build_verify, &w, &bad, path, sizeof path);
        ok(rc == ZK_EVERIFY && !strcmp(path, "merkle/bits") && bad == 0,
           "verify D=%zu: index + 2^D fails at bit 0's boolean constraint (%s, %zu)",
           d, path, bad);
    }

    /* The raw-bits form with the right bits is satisfied. */
    w = c;
    w.raw_bits = 1;
    ok(check(build_verify, &w, &bad, path, sizeof path) == ZK_OK,
       "verify D=%zu: the bits as private inputs: satisfied", d);
    zk_merkle_tree_free(t);
}

/* Constraint-by-constraint check of an exported system: how many fail,
 * and the first. */
static size_t count_failing(const zk_cs *cs, size_t *first)
{
    zk_r1cs *r;
    zk_fr *w;
    size_t nw;
    if (zk_cs_to_r1cs(&r, cs) != ZK_OK || zk_cs_witness(&w, &nw, cs) != ZK_OK)
        bail_out("export");
    size_t fails = 0;
    *first = SIZE_MAX;
    for (uint32_t i = 0; i < zk_r1cs_n_constraints(r); i++) {
        zk_fr v[3], p;
        for (unsigned j = 0; j < 3; j++) {
            size_t n;
            const zk_r1cs_term *t = zk_r1cs_lc(r, i, j, &n);
            zk_fr_zero(&v[j]);
            for (size_t q = 0; q < n; q++) {
                zk_fr_mul(&p, &t[q].coeff, &w[t[q].wire]);
                zk_fr_add(&v[j], &v[j], &p);
            }
        }
        zk_fr_mul(&p, &v[0], &v[1]);
        if (!zk_fr_eq(&p, &v[2])) {
            if (fails++ == 0)
                *first = i;
        }
    }
    free(w);
    zk_r1cs_free(r);
    return fails;
}

/*
 * The forgery a non-boolean selector would allow: for ANY leaf, walk up
 * with arbitrary siblings to cur at the top level, then pick the top
 * sibling sib = x + y - cur and selector s = (x - cur) / (sib - cur),
 * where (x, y) are the root's real children: the switcher then outputs
 * exactly (x, y) and the last hash is the root.  Every constraint but the
 * top bit's boolean check holds.
 */
static void test_forgery(size_t d)
{
    mctx c = {.depth = d, .raw_bits = 1};
    zk_merkle_tree *t = random_tree(d, &c.index, &c.leaf);
    zk_merkle_tree_root(&c.root, t);
    zk_fr x, y;
    if (zk_merkle_tree_node(&x, t, d - 1, 0) != ZK_OK ||
        zk_merkle_tree_node(&y, t, d - 1, 1) != ZK_OK)
        bail_out("node");
    c.leaf = fr_u64(424242); /* not in the tree */
    zk_fr cur = c.leaf;
    for (size_t k = 0; k + 1 < d; k++) {
        c.sib[k] = fr_u64(k);
        c.bitv[k] = fr_u64(0);
        cur = hash2(&cur, &c.sib[k]);
    }
    zk_fr num, den, s;
    zk_fr_add(&c.sib[d - 1], &x, &y);
    zk_fr_sub(&c.sib[d - 1], &c.sib[d - 1], &cur);
    zk_fr_sub(&num, &x, &cur);
    zk_fr_sub(&den, &c.sib[d - 1], &cur);
    if (zk_fr_inv(&den, &den) != ZK_OK)
        bail_out("inv");
    zk_fr_mul(&s, &num, &den);
    c.bitv[d - 1] = s;
    /* natively: the switcher's outputs are (x, y), so H = root */
    zk_fr aux, l, r;
    zk_fr_sub(&aux, &c.sib[d - 1], &cur);
    zk_fr_mul(&aux, &aux, &s);
    zk_fr_add(&l, &cur, &aux);
    zk_fr_sub(&r, &c.sib[d - 1], &aux);
    zk_fr h = hash2(&l, &r);
    int arith = zk_fr_eq(&l, &x) && zk_fr_eq(&r, &y) && zk_fr_eq(&h, &c.root);

    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    if (build_verify(cs, &c) != ZK_OK)
        bail_out("build");
    size_t bad = 0, first = 0;
    char path[128];
    int rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
    size_t fails = count_failing(cs, &first);
    ok(arith && rc == ZK_EVERIFY && !strcmp(path, "merkle/bits") &&
           bad == d - 1 && fails == 1 && first == d - 1,
       "verify D=%zu: the non-boolean-selector forgery of a leaf not in the "
       "tree satisfies every constraint but the top bit's boolean check "
       "(%zu failing, %s)", d, fails, path);
    zk_cs_free(cs);

    /* and the same forgery against update */
    mctx u = c;
    u.new_leaf = fr_rand();
    zk_merkle_tree_root(&u.new_root, t); /* whatever: the old side fails first */
    cs = new_cs(ZK_CS_WITNESS);
    if (build_update(cs, &u) != ZK_OK)
        bail_out("build");
    rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, "merkle_update/bits") && bad == d - 1,
       "update D=%zu: the same forgery fails at the bit check (%s)", d, path);
    zk_cs_free(cs);
    zk_merkle_tree_free(t);
}

static void test_update(size_t d)
{
    mctx c = {.depth = d};
    zk_merkle_tree *t = random_tree(d, &c.index, &c.leaf);
    if (d >= 4 && (rnd() & 1)) {
        /* sometimes an empty slot: old leaf 0 */
        zk_fr z = fr_u64(0);
        tree_set(t, c.index, &z);
        c.leaf = z;
    }
    fill_path(&c, t);
    c.new_leaf = fr_rand();
    tree_set(t, c.index, &c.new_leaf);
    zk_merkle_tree_root(&c.new_root, t);

    size_t diff = 0;
    is_int(zk_cs_check_modes(build_update, &c, &diff), ZK_OK,
           "update D=%zu: SHAPE = WITNESS", d);
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    if (build_update(cs, &c) != ZK_OK)
        bail_out("build");
    ok(zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_OK,
       "update D=%zu at index %llu: satisfied with the native tree's new root",
       d, (unsigned long long)c.index);
    /* D = 0: index = 0, old leaf = old root, the output binding */
    size_t want = d == 0 ? 3 : (2 * P2 + 3) * d + 1;
    is_int((long long)zk_cs_n_constraints(cs), (long long)want,
           "update D=%zu: %zu constraints = 483 D + 1 (the output binding)", d,
           want);
    zk_cs_scope_stat *st;
    size_t ns;
    if (zk_cs_scope_report(&st, &ns, cs) != ZK_OK)
        bail_out("scopes");
    int found = 0;
    for (size_t i = 0; i < ns; i++)
        if (!strcmp(st[i].path, "merkle_update"))
            found = st[i].n_constraints_total == (d == 0 ? 1 : (2 * P2 + 3) * d);
    ok(found, "update D=%zu: scope merkle_update holds them (483 D)", d);
    free(st);
    zk_cs_free(cs);
    if (d == 0) {
        zk_merkle_tree_free(t);
        return;
    }

    char path[256], want_old[256];
    size_t bad;
    snprintf(want_old, sizeof want_old,
             "merkle_update/level[%zu]/old/poseidon/full", d - 1);
    mctx w = c;
    w.leaf = fr_rand();
    int rc = check(build_update, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, want_old),
       "update D=%zu: a wrong old leaf fails at the old root check (%s)", d, path);

    w = c;
    size_t k = rnd() % d;
    zk_fr_add(&w.sib[k], &w.sib[k], (zk_fr[]){fr_u64(1)});
    rc = check(build_update, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, want_old),
       "update D=%zu: a wrong sibling (level %zu) fails at the old root check", d, k);

    w = c;
    w.index ^= (uint64_t)1 << k;
    rc = check(build_update, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, want_old),
       "update D=%zu: index bit %zu flipped fails at the old root check", d, k);

    w = c;
    w.root = fr_rand();
    rc = check(build_update, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, want_old),
       "update D=%zu: a wrong old root fails", d);

    w = c;
    zk_fr_add(&w.new_root, &w.new_root, (zk_fr[]){fr_u64(1)});
    rc = check(build_update, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && path[0] == '\0' && bad == want - 1,
       "update D=%zu: a wrong claimed new root fails at the output binding", d);

    w = c;
    w.index += (uint64_t)1 << d;
    rc = check(build_update, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, "merkle_update/bits") && bad == 0,
       "update D=%zu: index + 2^D fails at bit 0's boolean constraint", d);

    /* a non-boolean bit value (2) in the raw form */
    w = c;
    w.raw_bits = 1;
    w.bitv[k] = fr_u64(2);
    rc = check(build_update, &w, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strcmp(path, "merkle_update/bits") && bad == k,
       "update D=%zu: bit %zu = 2 fails at its boolean constraint", d, k);
    zk_merkle_tree_free(t);
}

/* Two updates in one circuit, the second starting from the first's new
 * root (how a rollup chains them), against the native tree. */
typedef struct {
    size_t depth;
    uint64_t idx[2];
    zk_fr old_leaf[2], new_leaf[2], sib[2][DMAX];
    zk_fr root0, root2;
} chain_ctx;

static int build_chain(zk_cs *cs, void *vctx)
{
    chain_ctx *c = vctx;
    zk_var r0 = zk_cs_alloc_pub_in(cs, &c->root0);
    zk_var r2 = zk_cs_alloc_pub_in(cs, &c->root2);
    zk_lc root = zk_lc_var(cs, r0);
    for (int j = 0; j < 2; j++) {
        zk_cs_pushf(cs, "tx[%d]", j);
        size_t m = zk_cs_mark(cs);
        zk_fr iv = fr_u64(c->idx[j]);
        zk_lc idx = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &iv));
        zk_lc ol = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->old_leaf[j]));
        zk_lc nl = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->new_leaf[j]));
        zk_lc sib[DMAX], bits[DMAX];
        for (size_t k = 0; k < c->depth; k++)
            sib[k] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->sib[j][k]));
        (void)zk_g_merkle_index_bits(cs, bits, idx, c->depth);
        (void)zk_g_merkle_update(cs, &root, root, ol, nl, sib, bits, c->depth);
        zk_cs_release_keep(cs, m, &root, 1);
        zk_cs_pop(cs);
    }
    zk_cs_enforce_equal(cs, root, zk_lc_var(cs, r2));
    return zk_cs_err(cs);
}

static void test_chain(void)
{
    chain_ctx c = {.depth = 6};
    zk_merkle_tree *t = new_tree(c.depth);
    for (int i = 0; i < 10; i++) {
        zk_fr v = fr_rand();
        tree_set(t, rnd() & 63, &v);
    }
    zk_merkle_tree_root(&c.root0, t);
    c.idx[0] = rnd() & 63;
    c.idx[1] = c.idx[0] ^ 1; /* siblings of each other: the path changes */
    for (int j = 0; j < 2; j++) {
        if (zk_merkle_tree_get(&c.old_leaf[j], t, c.idx[j]) != ZK_OK ||
            zk_merkle_tree_path(c.sib[j], t, c.idx[j]) != ZK_OK)
            bail_out("tree");
        c.new_leaf[j] = fr_rand();
        tree_set(t, c.idx[j], &c.new_leaf[j]);
    }
    zk_merkle_tree_root(&c.root2, t);
    size_t diff;
    int modes = zk_cs_check_modes(build_chain, &c, &diff);
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    if (build_chain(cs, &c) != ZK_OK)
        bail_out("build");
    ok(modes == ZK_OK && zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_OK &&
           zk_cs_n_constraints(cs) == 2 * 483 * c.depth + 1,
       "two chained updates (neighbouring leaves, D=6): modes agree, "
       "satisfied, final root = native, %zu constraints", zk_cs_n_constraints(cs));
    zk_cs_free(cs);
    /* the second update with the first's stale sibling fails */
    zk_fr keep = c.sib[1][0];
    c.sib[1][0] = c.old_leaf[0];
    cs = new_cs(ZK_CS_WITNESS);
    if (build_chain(cs, &c) != ZK_OK)
        bail_out("build");
    char path[128];
    size_t bad;
    int rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && !strncmp(path, "tx[1]/merkle_update/level[5]/old", 32),
       "the second update with a sibling from before the first fails (%s)", path);
    c.sib[1][0] = keep;
    zk_cs_free(cs);
    zk_merkle_tree_free(t);
}

static void test_gadget_errors(void)
{
    zk_lc sib[2] = {0}, bits[2] = {0}, r = {1, 1};
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_merkle_root(cs, &r, zk_lc_zero(), NULL, bits, 2) == ZK_EINVAL &&
           zk_cs_err(cs) == ZK_EINVAL && zk_lc_len(r) == 0,
       "root: siblings NULL with depth 2: ZK_EINVAL, sticky, empty root");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_merkle_verify(cs, zk_lc_zero(), zk_lc_zero(), sib, NULL, 2) == ZK_EINVAL &&
           zk_cs_err(cs) == ZK_EINVAL,
       "verify: bits NULL: ZK_EINVAL");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_merkle_update(cs, NULL, zk_lc_zero(), zk_lc_zero(), zk_lc_zero(), sib,
                          bits, 2) == ZK_EINVAL &&
           zk_cs_err(cs) == ZK_EINVAL,
       "update: new_root NULL: ZK_EINVAL");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_merkle_root(cs, &r, zk_lc_zero(), sib, bits, ZK_MERKLE_DEPTH_MAX + 1) ==
               ZK_EINVAL &&
           zk_cs_err(cs) == ZK_EINVAL,
       "root: depth 65: ZK_EINVAL");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_merkle_index_bits(cs, NULL, zk_lc_zero(), 3) == ZK_EINVAL &&
           zk_g_merkle_index_bits(cs, bits, zk_lc_zero(), 65) == ZK_EINVAL &&
           zk_cs_err(cs) == ZK_EINVAL,
       "index_bits: NULL, depth 65: ZK_EINVAL");
    zk_cs_free(cs);
    ok(zk_g_merkle_root(NULL, &r, zk_lc_zero(), sib, bits, 1) == ZK_EINVAL &&
           zk_g_merkle_verify(NULL, r, r, sib, bits, 1) == ZK_EINVAL &&
           zk_g_merkle_update(NULL, &r, r, r, r, sib, bits, 1) == ZK_EINVAL &&
           zk_g_merkle_index_bits(NULL, bits, r, 1) == ZK_EINVAL,
       "cs NULL: ZK_EINVAL everywhere");
    /* allocation failure mid-build: sticky ZK_ENOMEM, no crash */
    mctx c = {.depth = 3};
    zk_merkle_tree *t = random_tree(3, &c.index, &c.leaf);
    fill_path(&c, t);
    c.new_leaf = fr_u64(9);
    int clean = 1;
    uint64_t k;
    for (k = 0; k < 400; k += 3) {
        cs = new_cs(ZK_CS_WITNESS);
        zk_cs_test_fail_alloc(cs, k);
        int rc = build_update(cs, &c);
        zk_cs_free(cs);
        if (rc == ZK_OK)
            break;
        clean &= rc == ZK_ENOMEM;
    }
    ok(clean && k > 0, "update under allocation failures: ZK_ENOMEM, sticky");
    zk_merkle_tree_free(t);
    /* index_bits with depth 0 forces index = 0 */
    cs = new_cs(ZK_CS_WITNESS);
    zk_fr one = fr_u64(1);
    zk_lc ix = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &one));
    ok(zk_g_merkle_index_bits(cs, NULL, ix, 0) == ZK_OK &&
           zk_cs_n_constraints(cs) == 1 &&
           zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_EVERIFY,
       "index_bits depth 0: index 1 is rejected (index = 0 enforced)");
    zk_cs_free(cs);
}

int main(void)
{
    testdir_make("zkpar-merkle");
    test_zeros();
    test_naive();
    test_depth32();
    test_native_errors();
    pools_new();
    test_set_many();
    test_set_many_naive();
    test_set_many_errors();
    pools_free();
    test_circomlibjs();

    static const size_t depths[] = {0, 1, 4, 20};
    double t0 = now();
    for (size_t i = 0; i < sizeof depths / sizeof *depths; i++) {
        test_verify(depths[i]);
        test_update(depths[i]);
        if (depths[i] > 0)
            test_forgery(depths[i]);
    }
    test_chain();
    test_gadget_errors();
    diag("gadget tests: %.2f s", now() - t0);
    dir_clear();
    testdir_remove();
    return done_testing();
}
