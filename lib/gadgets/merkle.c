/*
 * gadgets/merkle.c -- Poseidon(2) Merkle paths in-circuit (see merkle.h);
 * the level is circomlib's Switcher (switcher.circom) feeding Poseidon(2).
 */
#include "gadgets/merkle.h"

#include <stdint.h>

#include "gadgets/poseidon.h"

/* Misuse: the sticky ZK_EINVAL (in every mode), returned too. */
static int fail_inval(zk_cs *cs)
{
    zk_cs_fail(cs, ZK_EINVAL);
    return ZK_EINVAL;
}

static int args_ok(const zk_cs *cs, const zk_lc *siblings, const zk_lc *bits,
                   size_t depth)
{
    return cs && depth <= ZK_MERKLE_DEPTH_MAX &&
           (depth == 0 || (siblings && bits));
}

/* circomlib's Switcher: aux = (sib - cur) * sel, left = cur + aux,
 * right = sib - aux (sel = 0: (cur, sib); sel = 1: (sib, cur)). */
static void switcher(zk_cs *cs, zk_lc lr[2], zk_lc sel, zk_lc cur, zk_lc sib)
{
    zk_var aux = zk_cs_mul(cs, zk_lc_sub(cs, sib, cur), sel);
    lr[0] = zk_lc_add_var(cs, cur, aux);
    lr[1] = zk_lc_sub_var(cs, sib, aux);
}

/* One level: the parent of cur and sib, placed by sel; or, with expect
 * not NULL, the constraint parent == *expect (zk_g_poseidon_assert: no
 * equality constraint of its own) and the empty LC. */
static zk_lc level_up(zk_cs *cs, zk_lc sel, zk_lc cur, zk_lc sib,
                      const zk_lc *expect)
{
    zk_lc lr[2], h = zk_lc_zero();
    switcher(cs, lr, sel, cur, sib);
    /* errors are sticky in cs */
    if (expect)
        (void)zk_g_poseidon_assert(cs, *expect, lr, 2);
    else
        (void)zk_g_poseidon(cs, &h, lr, 2);
    return h;
}

static void assert_bits(zk_cs *cs, const zk_lc *bits, size_t depth)
{
    zk_cs_push(cs, "bits");
    for (size_t k = 0; k < depth; k++)
        zk_cs_assert_bool(cs, bits[k]);
    zk_cs_pop(cs);
}

/* The root from leaf, in the current scope (the bits already asserted);
 * with expect not NULL, the constraint root == *expect instead (the last
 * level's hash absorbs it) and the empty LC. */
static zk_lc path_root(zk_cs *cs, zk_lc leaf, const zk_lc *siblings,
                       const zk_lc *bits, size_t depth, const zk_lc *expect)
{
    const size_t mark = zk_cs_mark(cs);
    zk_lc cur = leaf;
    if (depth == 0) {
        if (expect)
            zk_cs_enforce_equal(cs, leaf, *expect);
        return expect ? zk_lc_zero() : leaf;
    }
    for (size_t k = 0; k < depth; k++) {
        zk_cs_pushf(cs, "level[%zu]", k);
        cur = level_up(cs, bits[k], cur, siblings[k],
                       k + 1 == depth ? expect : NULL);
        zk_cs_pop(cs);
        zk_cs_release_keep(cs, mark, &cur, 1);
    }
    return cur;
}

int zk_g_merkle_root(zk_cs *cs, zk_lc *root, zk_lc leaf,
                     const zk_lc *siblings, const zk_lc *bits, size_t depth)
{
    if (!cs)
        return ZK_EINVAL;
    if (root)
        *root = zk_lc_zero();
    if (!root || !args_ok(cs, siblings, bits, depth))
        return fail_inval(cs);
    zk_cs_push(cs, "merkle");
    assert_bits(cs, bits, depth);
    zk_lc r = path_root(cs, leaf, siblings, bits, depth, NULL);
    zk_cs_pop(cs);
    int err = zk_cs_err(cs);
    *root = err ? zk_lc_zero() : r;
    return err;
}

int zk_g_merkle_verify(zk_cs *cs, zk_lc root, zk_lc leaf,
                       const zk_lc *siblings, const zk_lc *bits, size_t depth)
{
    if (!cs)
        return ZK_EINVAL;
    if (!args_ok(cs, siblings, bits, depth))
        return fail_inval(cs);
    zk_cs_push(cs, "merkle");
    const size_t mark = zk_cs_mark(cs);
    assert_bits(cs, bits, depth);
    (void)path_root(cs, leaf, siblings, bits, depth, &root);
    zk_cs_release(cs, mark);
    zk_cs_pop(cs);
    return zk_cs_err(cs);
}

int zk_g_merkle_update(zk_cs *cs, zk_lc *new_root, zk_lc old_root,
                       zk_lc old_leaf, zk_lc new_leaf, const zk_lc *siblings,
                       const zk_lc *bits, size_t depth)
{
    if (!cs)
        return ZK_EINVAL;
    if (new_root)
        *new_root = zk_lc_zero();
    if (!new_root || !args_ok(cs, siblings, bits, depth))
        return fail_inval(cs);
    zk_cs_push(cs, "merkle_update");
    const size_t mark = zk_cs_mark(cs);
    assert_bits(cs, bits, depth);
    /* Both paths level by level, so that a failing constraint's scope
     * names the level; the two share siblings[k] and bits[k]. */
    zk_lc cur[2] = {old_leaf, new_leaf};
    if (depth == 0)
        zk_cs_enforce_equal(cs, old_leaf, old_root);
    for (size_t k = 0; k < depth; k++) {
        zk_cs_pushf(cs, "level[%zu]", k);
        for (int w = 0; w < 2; w++) {
            zk_cs_push(cs, w ? "new" : "old");
            /* the old path's last hash is checked against old_root */
            cur[w] = level_up(cs, bits[k], cur[w], siblings[k],
                              w == 0 && k + 1 == depth ? &old_root : NULL);
            zk_cs_pop(cs);
        }
        zk_cs_pop(cs);
        zk_cs_release_keep(cs, mark, cur, 2);
    }
    zk_cs_release_keep(cs, mark, &cur[1], 1);
    zk_cs_pop(cs);
    int err = zk_cs_err(cs);
    *new_root = err ? zk_lc_zero() : cur[1];
    return err;
}

int zk_g_merkle_index_bits(zk_cs *cs, zk_lc *bits, zk_lc index, size_t depth)
{
    if (!cs)
        return ZK_EINVAL;
    if ((depth > 0 && !bits) || depth > ZK_MERKLE_DEPTH_MAX)
        return fail_inval(cs);
    zk_cs_push(cs, "merkle_index");
    if (depth == 0) {
        /* no bit to fold into: index < 2^0 is index = 0 */
        zk_cs_enforce_equal(cs, index, zk_lc_zero());
        zk_cs_pop(cs);
        return zk_cs_err(cs);
    }
    const size_t mark = zk_cs_mark(cs);
    zk_fr iv;
    uint64_t limbs[4];
    zk_lc_eval(&iv, cs, index); /* 0 in SHAPE mode */
    zk_fr_to_limbs(limbs, &iv);
    zk_var v[ZK_MERKLE_DEPTH_MAX];
    zk_fr negpow[ZK_MERKLE_DEPTH_MAX], b, pow2;
    zk_fr_one(&pow2);
    for (size_t k = 1; k < depth; k++) {
        zk_fr_set_u64(&b, (limbs[0] >> k) & 1);
        v[k] = zk_cs_alloc(cs, &b);
        zk_fr_add(&pow2, &pow2, &pow2);
        zk_fr_neg(&negpow[k], &pow2);
    }
    /* bit 0 is the LC index - sum_{k>=1} 2^k bits[k] (the fold of
     * bits.h's num2bits): boolean once asserted so, and then the sum of
     * all bits is index by construction. */
    zk_lc rest = zk_lc_from_terms(cs, v + 1, negpow + 1, depth - 1);
    bits[0] = zk_lc_add(cs, rest, index);
    for (size_t k = 1; k < depth; k++)
        bits[k] = zk_lc_var(cs, v[k]);
    zk_cs_release_keep(cs, mark, bits, depth);
    zk_cs_pop(cs);
    int err = zk_cs_err(cs);
    if (err)
        for (size_t k = 0; k < depth; k++)
            bits[k] = zk_lc_zero();
    return err;
}
