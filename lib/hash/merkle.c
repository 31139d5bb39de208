/*
 * merkle.c -- Poseidon(2) Merkle paths and a sparse tree (see merkle.h).
 *
 * The tree stores the nodes that differ from the empty-subtree hash of
 * their height in an open-addressing hash table (linear probing, load at
 * most 1/2, backward-shift deletion, so no tombstones accumulate when
 * leaves go back to 0).  A node's key is (level + 1) << 32 | index, never
 * 0, which marks an empty slot.
 */
#include "hash/merkle.h"

#include <stdint.h>
#include <stdlib.h>

#include "hash/poseidon.h"

int zk_merkle_hash(zk_fr *out, const zk_fr *left, const zk_fr *right)
{
    if (!out || !left || !right)
        return ZK_EINVAL;
    zk_fr in[2] = {*left, *right};
    return zk_poseidon(out, in, 2);
}

int zk_merkle_root(zk_fr *root, const zk_fr *leaf, const zk_fr *siblings,
                   size_t depth, uint64_t index)
{
    if (!root || !leaf || (depth > 0 && !siblings) ||
        depth > ZK_MERKLE_DEPTH_MAX)
        return ZK_EINVAL;
    if (depth < 64 && (index >> depth) != 0)
        return ZK_ERANGE;
    zk_fr cur = *leaf;
    for (size_t k = 0; k < depth; k++) {
        int rc = (index >> k) & 1 ? zk_merkle_hash(&cur, &siblings[k], &cur)
                                  : zk_merkle_hash(&cur, &cur, &siblings[k]);
        if (rc != ZK_OK)
            return rc;
    }
    *root = cur;
    return ZK_OK;
}

int zk_merkle_zeros(zk_fr *zeros, size_t depth)
{
    if (!zeros || depth > ZK_MERKLE_DEPTH_MAX)
        return ZK_EINVAL;
    zk_fr_zero(&zeros[0]);
    for (size_t k = 0; k < depth; k++) {
        int rc = zk_merkle_hash(&zeros[k + 1], &zeros[k], &zeros[k]);
        if (rc != ZK_OK)
            return rc;
    }
    return ZK_OK;
}

/* ------------------------------------------------------- sparse tree */

typedef struct {
    uint64_t key; /* 0: empty slot */
    zk_fr val;
} slot;

struct zk_merkle_tree {
    size_t depth;
    size_t cap, count; /* cap a power of two >= 16, count <= cap / 2 */
    slot *tab;
    zk_fr zeros[ZK_MERKLE_TREE_DEPTH_MAX + 1];
};

static inline uint64_t node_key(size_t level, uint64_t index)
{
    return (uint64_t)(level + 1) << 32 | index;
}

static inline size_t home(const zk_merkle_tree *t, uint64_t key)
{
    /* splitmix64's finalizer: the keys are sequential integers */
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebull;
    key ^= key >> 31;
    return (size_t)key & (t->cap - 1);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find(const zk_merkle_tree *t, uint64_t key)
{
    size_t mask = t->cap - 1, i = home(t, key);
    while (t->tab[i].key != 0 && t->tab[i].key != key)
        i = (i + 1) & mask;
    return i;
}

/* Make room for `more` insertions without growing again. */
static int reserve(zk_merkle_tree *t, size_t more)
{
    if (2 * (t->count + more) <= t->cap)
        return ZK_OK;
    size_t nc = t->cap;
    while (2 * (t->count + more) > nc) {
        if (nc > SIZE_MAX / 2 / sizeof(slot))
            return ZK_ENOMEM;
        nc *= 2;
    }
    slot *nt = calloc(nc, sizeof *nt);
    if (!nt)
        return ZK_ENOMEM;
    slot *old = t->tab;
    size_t oc = t->cap;
    t->tab = nt;
    t->cap = nc;
    for (size_t i = 0; i < oc; i++)
        if (old[i].key != 0)
            t->tab[find(t, old[i].key)] = old[i];
    free(old);
    return ZK_OK;
}

/* Remove the entry in slot i, shifting later members of its probe run
 * back so that every lookup still finds them. */
static void erase(zk_merkle_tree *t, size_t i)
{
    size_t mask = t->cap - 1, j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (t->tab[j].key == 0)
            break;
        size_t k = home(t, t->tab[j].key);
        /* The entry at j may move to i only if its home is not in the
         * cyclic interval (i, j]. */
        int stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (stays)
            continue;
        t->tab[i] = t->tab[j];
        i = j;
    }
    t->tab[i].key = 0;
    t->count--;
}

static void node_get(zk_fr *out, const zk_merkle_tree *t, size_t level,
                     uint64_t index)
{
    size_t i = find(t, node_key(level, index));
    *out = t->tab[i].key != 0 ? t->tab[i].val : t->zeros[level];
}

/* Store v as node (level, index), or drop the node when v is the empty
 * hash of that height.  Needs room for one insertion (reserved). */
static void node_put(zk_merkle_tree *t, size_t level, uint64_t index,
                     const zk_fr *v)
{
    uint64_t key = node_key(level, index);
    size_t i = find(t, key);
    if (zk_fr_eq(v, &t->zeros[level])) {
        if (t->tab[i].key != 0)
            erase(t, i);
        return;
    }
    if (t->tab[i].key == 0) {
        t->tab[i].key = key;
        t->count++;
    }
    t->tab[i].val = *v;
}

int zk_merkle_tree_new(zk_merkle_tree **out, size_t depth)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if (depth > ZK_MERKLE_TREE_DEPTH_MAX)
        return ZK_EINVAL;
    zk_merkle_tree *t = calloc(1, sizeof *t);
    if (!t)
        return ZK_ENOMEM;
    t->depth = depth;
    t->cap = 16;
    t->tab = calloc(t->cap, sizeof *t->tab);
    int rc = t->tab ? zk_merkle_zeros(t->zeros, depth) : ZK_ENOMEM;
    if (rc != ZK_OK) {
        zk_merkle_tree_free(t);
        return rc;
    }
    *out = t;
    return ZK_OK;
}

void zk_merkle_tree_free(zk_merkle_tree *t)
{
    if (!t)
        return;
    free(t->tab);
    free(t);
}

size_t zk_merkle_tree_depth(const zk_merkle_tree *t)
{
    return t ? t->depth : 0;
}

size_t zk_merkle_tree_n_nodes(const zk_merkle_tree *t)
{
    return t ? t->count : 0;
}

void zk_merkle_tree_root(zk_fr *root, const zk_merkle_tree *t)
{
    if (!root)
        return;
    if (!t) {
        zk_fr_zero(root);
        return;
    }
    node_get(root, t, t->depth, 0);
}

/* 0 when index addresses a node of `level` (index < 2^(depth - level)). */
static int index_ok(const zk_merkle_tree *t, size_t level, uint64_t index)
{
    return (index >> (t->depth - level)) == 0 ? ZK_OK : ZK_ERANGE;
}

int zk_merkle_tree_set(zk_merkle_tree *t, uint64_t index, const zk_fr *leaf)
{
    if (!t || !leaf)
        return ZK_EINVAL;
    int rc = index_ok(t, 0, index);
    if (rc == ZK_OK)
        rc = reserve(t, t->depth + 1);
    if (rc != ZK_OK)
        return rc;
    zk_fr cur = *leaf, sib;
    node_put(t, 0, index, &cur);
    for (size_t k = 0; k < t->depth; k++, index >>= 1) {
        node_get(&sib, t, k, index ^ 1);
        rc = index & 1 ? zk_merkle_hash(&cur, &sib, &cur)
                       : zk_merkle_hash(&cur, &cur, &sib);
        if (rc != ZK_OK) /* not reached: the arguments are valid */
            return rc;
        node_put(t, k + 1, index >> 1, &cur);
    }
    return ZK_OK;
}

/* ------------------------------------------------------- bulk set */

typedef struct {
    uint64_t index;
    size_t pos; /* in the caller's arrays: the last one wins */
} leaf_ref;

static int ref_cmp(const void *a, const void *b)
{
    const leaf_ref *x = a, *y = b;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The hashes of one level: out[j] = node (level, par[j]) from its two
 * children, read from the table (no writes while it runs). */
typedef struct {
    const zk_merkle_tree *t;
    size_t level;
    const uint64_t *par;
    zk_fr *out;
    size_t n, parts;
} level_job;

static void level_task(void *arg, size_t p)
{
    const level_job *j = arg;
    size_t lo = j->n * p / j->parts, hi = j->n * (p + 1) / j->parts;
    for (size_t i = lo; i < hi; i++) {
        zk_fr l, r;
        node_get(&l, j->t, j->level - 1, 2 * j->par[i]);
        node_get(&r, j->t, j->level - 1, 2 * j->par[i] + 1);
        int rc = zk_merkle_hash(&j->out[i], &l, &r);
        (void)rc; /* not reached: the arguments are valid */
    }
}

/* Keep the distinct values of the sorted a[0..n) shifted right by one;
 * the new count. */
static size_t parents(uint64_t *a, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = a[i] >> 1;
        if (m == 0 || a[m - 1] != v)
            a[m++] = v;
    }
    return m;
}

int zk_merkle_tree_set_many(zk_merkle_tree *t, const uint64_t *indices,
                            const zk_fr *leaves, size_t n, zk_pool *pool)
{
    if (!t || (n > 0 && (!indices || !leaves)))
        return ZK_EINVAL;
    if (n == 0)
        return ZK_OK;
    for (size_t i = 0; i < n; i++)
        if (index_ok(t, 0, indices[i]) != ZK_OK)
            return ZK_ERANGE;
    if (n > SIZE_MAX / sizeof(zk_fr)) /* the largest element below */
        return ZK_ENOMEM;
    leaf_ref *ref = malloc(n * sizeof *ref);
    uint64_t *idx = malloc(n * sizeof *idx);
    zk_fr *out = malloc(n * sizeof *out);
    int rc = ZK_ENOMEM;
    if (!ref || !idx || !out)
        goto done;
    for (size_t i = 0; i < n; i++)
        ref[i] = (leaf_ref){indices[i], i};
    qsort(ref, n, sizeof *ref, ref_cmp);
    /* the distinct indices, each with its last value */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && ref[i + 1].index == ref[i].index)
            continue;
        ref[m++] = ref[i];
    }
    /* room for every node that may be written: m leaves, then the
     * distinct parents of each level */
    size_t total = m, k = m;
    for (size_t i = 0; i < m; i++)
        idx[i] = ref[i].index;
    for (size_t level = 1; level <= t->depth; level++) {
        k = parents(idx, k);
        total += k;
    }
    if ((rc = reserve(t, total)) != ZK_OK)
        goto done;

    /* nothing fails from here on */
    for (size_t i = 0; i < m; i++) {
        idx[i] = ref[i].index;
        node_put(t, 0, idx[i], &leaves[ref[i].pos]);
    }
    k = m;
    const size_t width = 4 * (size_t)zk_pool_size(pool);
    for (size_t level = 1; level <= t->depth; level++) {
        k = parents(idx, k);
        level_job j = {t, level, idx, out, k, k < width ? k : width};
        if ((rc = zk_pool_run(pool, j.parts, level_task, &j)) != ZK_OK)
            goto done; /* not reached: the arguments are valid */
        for (size_t i = 0; i < k; i++)
            node_put(t, level, idx[i], &out[i]);
    }
    rc = ZK_OK;
done:
    free(ref);
    free(idx);
    free(out);
    return rc;
}

int zk_merkle_tree_node(zk_fr *out, const zk_merkle_tree *t, size_t level,
                        uint64_t index)
{
    if (!out || !t || level > t->depth)
        return ZK_EINVAL;
    int rc = index_ok(t, level, index);
    if (rc != ZK_OK)
        return rc;
    node_get(out, t, level, index);
    return ZK_OK;
}

int zk_merkle_tree_get(zk_fr *leaf, const zk_merkle_tree *t, uint64_t index)
{
    return zk_merkle_tree_node(leaf, t, 0, index);
}

int zk_merkle_tree_path(zk_fr *siblings, const zk_merkle_tree *t,
                        uint64_t index)
{
    if (!t || (t->depth > 0 && !siblings))
        return ZK_EINVAL;
    int rc = index_ok(t, 0, index);
    if (rc != ZK_OK)
        return rc;
    for (size_t k = 0; k < t->depth; k++, index >>= 1)
        node_get(&siblings[k], t, k, index ^ 1);
    return ZK_OK;
}
