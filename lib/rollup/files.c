/*
 * files.c -- the pipeline's JSON files (params, chunk, manifest, share,
 * aggregate) and the key and batch identifiers; files.h has the layouts
 * and the contract.
 *
 * Choices files.h leaves open, made here (as rollup/json.c makes them):
 *  - every key shown in a layout is required, and every object refuses
 *    keys it does not know (ZK_EENCODING, *where = the key); a document's
 *    "format" and "version" are checked first (ZK_EFORMAT), so a file of
 *    another kind is named as such;
 *  - small parameters out of range (chunk_size not in 1..64, depth not in
 *    1..32, tokens not in 0..8), an "index" >= "count", "transactions" >
 *    chunk_size, a manifest of 0 chunks and an aggregate whose "chunks"
 *    is 0 or does not fit the batch id's u32 are ZK_ERANGE;
 *  - uint64 values ("index", "nonce", "constraints", "transactions") are
 *    written as JSON numbers up to 2^53 and as decimal strings above; the
 *    decoders take both (strings up to 2^64 - 1); except an aggregate's
 *    "chunks" and "transactions", counts that are JSON numbers only (up
 *    to 2^53), as zkpar-formats(5) has counts and as zk-verify always
 *    read them;
 *  - an account's pubkey in a chunk may be (0, 0), the fields of an empty
 *    slot (rollup/tx.h); any other value must be on Baby Jubjub (the key
 *    rule is zk_rollup_chunk_check's);
 *  - a skipped transaction's "rule" is a name of zk_rollup_rule_name for
 *    rules 1 .. 17 and its "reason" any string (the encoder writes
 *    zk_rollup_rule_str);
 *  - encoders return NULL (as for memory) for what their decoder would
 *    refuse on its face: ids that are not 64 lowercase hex digits, index
 *    >= count, k, D, T out of range, more transactions than records, a
 *    manifest without chunks or with an unknown rule, an aggregate whose
 *    "chunks" is out of range or whose "transactions" is above 2^53;
 *  - an aggregate's "proof" is written in lowercase hex and read in either
 *    case (libsodium's decoder, as zk-verify always has); its bytes are
 *    not looked into here (aggregate/ is not a layer below rollup/);
 *  - key id: "n as u32 little-endian" is hashed right before IC[0 .. n]
 *    (after delta), n = vk->n_public.
 */
#include "rollup/files.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/babyjub.h"
#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fp.h"
#include "rollup/json.h"
#include "rollup/jsonutil.h"

/* ------------------------------------------------------------ where */

/* "pre.name[i]", or "name[i]" at the top level. */
static const char *at_index(const char *pre, const char *name, size_t i)
{
    return pre ? zk_rj_where_fmt("%s.%s[%zu]", pre, name, i) : zk_rj_where_fmt("%s[%zu]", name, i);
}

/* ------------------------------------------------------------ values */

static int get_u32(uint32_t *v, const json_t *x)
{
    uint64_t w;
    int rc = zk_rj_get_u64(&w, x);
    if (rc != ZK_OK)
        return rc;
    if (w > UINT32_MAX)
        return ZK_EENCODING; /* too large for its field */
    *v = (uint32_t)w;
    return ZK_OK;
}

static int get_bool(int *v, const json_t *x)
{
    if (!json_is_boolean(x))
        return ZK_EENCODING;
    *v = json_is_true(x) ? 1 : 0;
    return ZK_OK;
}

static int get_id(char out[ZK_ROLLUP_ID_HEX], const json_t *x)
{
    if (!zk_rj_is_plain_string(x) || !zk_rollup_id_ok(json_string_value(x)))
        return ZK_EENCODING;
    memcpy(out, json_string_value(x), ZK_ROLLUP_ID_HEX);
    return ZK_OK;
}

static json_t *put_fr_array(const zk_fr *v, size_t n)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (zk_rj_put(a, NULL, zk_rj_put_fr(&v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* Member `name` of obj (pre names obj) as exactly n field elements. */
static int get_fr_array(zk_fr *out, size_t n, const json_t *obj, const char *pre,
                        const char *name, const char **where)
{
    const json_t *a = json_object_get(obj, name);
    if (!json_is_array(a) || json_array_size(a) != n)
        return zk_rj_fail(where, zk_rj_at(pre, name), ZK_EENCODING);
    for (size_t i = 0; i < n; i++) {
        int rc = zk_rj_get_fr(&out[i], json_array_get(a, i));
        if (rc != 0)
            return zk_rj_fail(where, at_index(pre, name, i), rc);
    }
    return ZK_OK;
}

/* Member `name` of obj as a field element / uint64 / bool. */
static int member_fr(zk_fr *out, const json_t *obj, const char *pre, const char *name,
                     const char **where)
{
    int rc = zk_rj_get_fr(out, json_object_get(obj, name));
    return rc != 0 ? zk_rj_fail(where, zk_rj_at(pre, name), rc) : ZK_OK;
}

static int member_u64(uint64_t *out, const json_t *obj, const char *pre, const char *name,
                      const char **where)
{
    int rc = zk_rj_get_u64(out, json_object_get(obj, name));
    return rc != 0 ? zk_rj_fail(where, zk_rj_at(pre, name), rc) : ZK_OK;
}

static int member_u32(uint32_t *out, const json_t *obj, const char *name, const char **where)
{
    int rc = get_u32(out, json_object_get(obj, name));
    return rc != 0 ? zk_rj_fail(where, name, rc) : ZK_OK;
}

static int member_bool(int *out, const json_t *obj, const char *pre, const char *name,
                       const char **where)
{
    int rc = get_bool(out, json_object_get(obj, name));
    return rc != 0 ? zk_rj_fail(where, zk_rj_at(pre, name), rc) : ZK_OK;
}

static int member_id(char out[ZK_ROLLUP_ID_HEX], const json_t *obj, const char *name,
                     const char **where)
{
    int rc = get_id(out, json_object_get(obj, name));
    return rc != 0 ? zk_rj_fail(where, name, rc) : ZK_OK;
}

/* Member `name` of obj as a count: a JSON integer 0 .. 2^53 (no string). */
static int member_count(uint64_t *out, const json_t *obj, const char *name,
                        const char **where)
{
    const json_t *x = json_object_get(obj, name);
    int rc = json_is_integer(x) ? zk_rj_get_u64(out, x) : ZK_EENCODING;
    return rc != 0 ? zk_rj_fail(where, name, rc) : ZK_OK;
}

/* ------------------------------------------------------------ objects */

/* zk_rj_check_document, except that a "format" with a NUL in it is
 * ZK_EENCODING, as any other string of these files that is not plain. */
static int check_document(const json_t *j, const char *format, const char *const *names,
                          const char **where)
{
    const json_t *f = json_is_object(j) ? json_object_get(j, "format") : NULL;
    if (json_is_string(f) && !zk_rj_is_plain_string(f))
        return zk_rj_fail(where, "format", ZK_EENCODING);
    return zk_rj_check_document(j, format, names, where);
}

static int params_ok(unsigned k, unsigned D, unsigned T)
{
    return k >= 1 && k <= ZK_ROLLUP_CHUNK_MAX && D >= 1 && D <= ZK_ROLLUP_DEPTH_MAX &&
           T <= ZK_ROLLUP_TOKEN_DEPTH_MAX;
}

/* "chunk_size", "depth", "tokens" of a document. */
static int get_params(unsigned *k, unsigned *D, unsigned *T, const json_t *j,
                      const char **where)
{
    int rc;
    if ((rc = zk_rj_get_small(k, json_object_get(j, "chunk_size"), 1, ZK_ROLLUP_CHUNK_MAX)) != 0)
        return zk_rj_fail(where, "chunk_size", rc);
    if ((rc = zk_rj_get_small(D, json_object_get(j, "depth"), 1, ZK_ROLLUP_DEPTH_MAX)) != 0)
        return zk_rj_fail(where, "depth", rc);
    if ((rc = zk_rj_get_small(T, json_object_get(j, "tokens"), 0, ZK_ROLLUP_TOKEN_DEPTH_MAX)) != 0)
        return zk_rj_fail(where, "tokens", rc);
    return ZK_OK;
}

static int put_params(json_t *o, unsigned k, unsigned D, unsigned T)
{
    return zk_rj_put(o, "chunk_size", json_integer((json_int_t)k)) != 0 ||
                   zk_rj_put(o, "depth", json_integer((json_int_t)D)) != 0 ||
                   zk_rj_put(o, "tokens", json_integer((json_int_t)T)) != 0
               ? -1
               : 0;
}

/* ------------------------------------------------------- identifiers */

int zk_rollup_id_ok(const char *s)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < ZK_ROLLUP_ID_HEX - 1; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0; /* a NUL too: the string is shorter */
    return s[ZK_ROLLUP_ID_HEX - 1] == '\0';
}

int zk_rollup_id_bytes(uint8_t out[ZK_ROLLUP_ID_BYTES], const char *s)
{
    if (!out)
        return ZK_EINVAL;
    if (!zk_rollup_id_ok(s))
        return ZK_EENCODING;
    size_t n = 0;
    if (sodium_hex2bin(out, ZK_ROLLUP_ID_BYTES, s, ZK_ROLLUP_ID_HEX - 1, NULL, &n, NULL) != 0 ||
        n != ZK_ROLLUP_ID_BYTES)
        return ZK_EENCODING; /* not reached: s is 64 hex digits */
    return ZK_OK;
}

static void hash_u32(crypto_generichash_state *h, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    crypto_generichash_update(h, b, sizeof b);
}

static void hash_fp(crypto_generichash_state *h, const zk_fp *v)
{
    uint8_t b[32];
    zk_fp_to_bytes_be(b, v);
    crypto_generichash_update(h, b, sizeof b);
}

static void hash_fr(crypto_generichash_state *h, const zk_fr *v)
{
    uint8_t b[32];
    zk_fr_to_bytes_be(b, v);
    crypto_generichash_update(h, b, sizeof b);
}

static void hash_g1(crypto_generichash_state *h, const zk_g1 *p)
{
    hash_fp(h, &p->x);
    hash_fp(h, &p->y);
}

static void hash_g2(crypto_generichash_state *h, const zk_g2 *p)
{
    hash_fp(h, &p->x.c0);
    hash_fp(h, &p->x.c1);
    hash_fp(h, &p->y.c0);
    hash_fp(h, &p->y.c1);
}

static void hash_tag(crypto_generichash_state *h, const char *tag)
{
    crypto_generichash_init(h, NULL, 0, ZK_ROLLUP_ID_BYTES);
    crypto_generichash_update(h, (const unsigned char *)tag, strlen(tag));
}

static void hash_final(char out[ZK_ROLLUP_ID_HEX], crypto_generichash_state *h)
{
    uint8_t d[ZK_ROLLUP_ID_BYTES];
    crypto_generichash_final(h, d, sizeof d);
    sodium_bin2hex(out, ZK_ROLLUP_ID_HEX, d, sizeof d);
}

int zk_rollup_key_id(char out[ZK_ROLLUP_ID_HEX], const zk_groth16_vk *vk)
{
    if (!out || !vk || !vk->ic || vk->n_public > UINT32_MAX)
        return ZK_EINVAL;
    crypto_generichash_state h;
    hash_tag(&h, "zkpar-key-v1");
    hash_g1(&h, &vk->alpha);
    hash_g2(&h, &vk->beta);
    hash_g2(&h, &vk->gamma);
    hash_g2(&h, &vk->delta);
    hash_u32(&h, (uint32_t)vk->n_public);
    for (size_t i = 0; i <= vk->n_public; i++)
        hash_g1(&h, &vk->ic[i]);
    hash_final(out, &h);
    return ZK_OK;
}

int zk_rollup_batch_id(char out[ZK_ROLLUP_ID_HEX], unsigned k, unsigned depth,
                       unsigned token_depth, size_t n, const zk_fr *roots,
                       const zk_fr *commitments)
{
    if (!out || !roots || !commitments || n == 0 || n > UINT32_MAX)
        return ZK_EINVAL;
    crypto_generichash_state h;
    hash_tag(&h, "zkpar-batch-v1");
    hash_u32(&h, (uint32_t)k);
    hash_u32(&h, (uint32_t)depth);
    hash_u32(&h, (uint32_t)token_depth);
    hash_u32(&h, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        hash_fr(&h, &roots[i]);
        hash_fr(&h, &commitments[i]);
    }
    hash_fr(&h, &roots[n]);
    hash_final(out, &h);
    return ZK_OK;
}

/* ------------------------------------------------------------ params */

static const char *const params_names[] = {"format", "version", "chunk_size", "depth",
                                           "tokens", "constraints", "key", NULL};

json_t *zk_rollup_json_params_encode(const zk_rollup_params *p)
{
    if (!p || !params_ok(p->chunk_size, p->depth, p->token_depth) || !zk_rollup_id_ok(p->key))
        return NULL;
    json_t *o = zk_rj_new_document("zkpar-params");
    if (!o || put_params(o, p->chunk_size, p->depth, p->token_depth) != 0 ||
        zk_rj_put(o, "constraints", zk_rj_put_u64(p->constraints)) != 0 ||
        zk_rj_put(o, "key", json_string(p->key)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int zk_rollup_json_params_decode(zk_rollup_params *out, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!out || !j)
        return ZK_EINVAL;
    zk_rollup_params p;
    memset(&p, 0, sizeof p);
    int rc;
    if ((rc = check_document(j, "zkpar-params", params_names, where)) != 0 ||
        (rc = get_params(&p.chunk_size, &p.depth, &p.token_depth, j, where)) != 0 ||
        (rc = member_u64(&p.constraints, j, NULL, "constraints", where)) != 0 ||
        (rc = member_id(p.key, j, "key", where)) != 0)
        return rc;
    *out = p;
    return ZK_OK;
}

/* ------------------------------------------------------------- chunk */

static const char *const chunk_names[] = {
    "format",     "version",  "batch",    "index",      "count",   "key",
    "chunk_size", "depth",    "tokens",   "transactions", "old_root", "new_root",
    "commitment", "records",  "settle",   NULL};
static const char *const record_names[] = {"tx", "old_root", "new_root", "steps", NULL};
static const char *const step_names[] = {
    "active",      "index",       "pre_exists",   "post_exists",  "pre",
    "post",        "pre_leaf",    "post_leaf",    "pre_balance",  "post_balance",
    "balance_path", "account_path", "root_before", "root_after",  NULL};
static const char *const account_names[] = {"pubkey", "nonce", "balance_root", NULL};
static const char *const settle_names[] = {
    "fees",     "pre",       "post",         "pre_balances", "post_balances",
    "pre_leaf", "post_leaf", "account_path", "old_root",     "new_root",
    NULL};

void zk_rollup_chunk_file_free(zk_rollup_chunk_file *f)
{
    if (f)
        zk_rollup_chunk_free(&f->chunk);
}

static json_t *account_encode(const zk_rollup_account *a)
{
    json_t *o = json_object();
    if (!o || zk_rj_put(o, "pubkey", zk_rj_put_point(&a->pubkey)) != 0 ||
        zk_rj_put(o, "nonce", zk_rj_put_u64(a->nonce)) != 0 ||
        zk_rj_put(o, "balance_root", zk_rj_put_fr(&a->balance_root)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *step_encode(const zk_rollup_step *s, unsigned D, unsigned T)
{
    json_t *o = json_object();
    if (!o || zk_rj_put(o, "active", json_boolean(s->active)) != 0 ||
        zk_rj_put(o, "index", zk_rj_put_u64(s->index)) != 0 ||
        zk_rj_put(o, "pre_exists", json_boolean(s->pre_exists)) != 0 ||
        zk_rj_put(o, "post_exists", json_boolean(s->post_exists)) != 0 ||
        zk_rj_put(o, "pre", account_encode(&s->pre)) != 0 ||
        zk_rj_put(o, "post", account_encode(&s->post)) != 0 ||
        zk_rj_put(o, "pre_leaf", zk_rj_put_fr(&s->pre_leaf)) != 0 ||
        zk_rj_put(o, "post_leaf", zk_rj_put_fr(&s->post_leaf)) != 0 ||
        zk_rj_put(o, "pre_balance", zk_rj_put_fr(&s->pre_balance)) != 0 ||
        zk_rj_put(o, "post_balance", zk_rj_put_fr(&s->post_balance)) != 0 ||
        zk_rj_put(o, "balance_path", put_fr_array(s->balance_path, T)) != 0 ||
        zk_rj_put(o, "account_path", put_fr_array(s->account_path, D)) != 0 ||
        zk_rj_put(o, "root_before", zk_rj_put_fr(&s->root_before)) != 0 ||
        zk_rj_put(o, "root_after", zk_rj_put_fr(&s->root_after)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *record_encode(const zk_rollup_record *r, unsigned D, unsigned T)
{
    json_t *o = json_object(), *steps = NULL;
    if (!o || zk_rj_put(o, "tx", zk_rollup_json_tx_encode(&r->tx)) != 0 ||
        zk_rj_put(o, "old_root", zk_rj_put_fr(&r->old_root)) != 0 ||
        zk_rj_put(o, "new_root", zk_rj_put_fr(&r->new_root)) != 0 ||
        zk_rj_put(o, "steps", steps = json_array()) != 0)
        goto fail;
    for (unsigned s = 0; s < ZK_ROLLUP_NSTEPS; s++)
        if (zk_rj_put(steps, NULL, step_encode(&r->step[s], D, T)) != 0)
            goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *settle_encode(const zk_rollup_settle *s, unsigned D, unsigned T)
{
    size_t nt = (size_t)1 << T;
    json_t *o = json_object();
    if (!o || zk_rj_put(o, "fees", put_fr_array(s->fees, nt)) != 0 ||
        zk_rj_put(o, "pre", account_encode(&s->pre)) != 0 ||
        zk_rj_put(o, "post", account_encode(&s->post)) != 0 ||
        zk_rj_put(o, "pre_balances", put_fr_array(s->pre_balance, nt)) != 0 ||
        zk_rj_put(o, "post_balances", put_fr_array(s->post_balance, nt)) != 0 ||
        zk_rj_put(o, "pre_leaf", zk_rj_put_fr(&s->pre_leaf)) != 0 ||
        zk_rj_put(o, "post_leaf", zk_rj_put_fr(&s->post_leaf)) != 0 ||
        zk_rj_put(o, "account_path", put_fr_array(s->account_path, D)) != 0 ||
        zk_rj_put(o, "old_root", zk_rj_put_fr(&s->old_root)) != 0 ||
        zk_rj_put(o, "new_root", zk_rj_put_fr(&s->new_root)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *zk_rollup_json_chunk_encode(const zk_rollup_chunk_file *f)
{
    if (!f || !f->chunk.rec || !f->chunk.settle ||
        !params_ok(f->chunk.chunk_size, f->chunk.depth, f->chunk.token_depth) ||
        f->index >= f->count || f->transactions > f->chunk.chunk_size ||
        !zk_rollup_id_ok(f->batch) || !zk_rollup_id_ok(f->key))
        return NULL;
    const zk_rollup_chunk *c = &f->chunk;
    json_t *o = zk_rj_new_document("zkpar-chunk"), *recs = NULL;
    if (!o || zk_rj_put(o, "batch", json_string(f->batch)) != 0 ||
        zk_rj_put(o, "index", json_integer(f->index)) != 0 ||
        zk_rj_put(o, "count", json_integer(f->count)) != 0 ||
        zk_rj_put(o, "key", json_string(f->key)) != 0 ||
        put_params(o, c->chunk_size, c->depth, c->token_depth) != 0 ||
        zk_rj_put(o, "transactions", json_integer(f->transactions)) != 0 ||
        zk_rj_put(o, "old_root", zk_rj_put_fr(&f->pub[0])) != 0 ||
        zk_rj_put(o, "new_root", zk_rj_put_fr(&f->pub[1])) != 0 ||
        zk_rj_put(o, "commitment", zk_rj_put_fr(&f->pub[2])) != 0 ||
        zk_rj_put(o, "records", recs = json_array()) != 0)
        goto fail;
    for (unsigned i = 0; i < c->chunk_size; i++)
        if (zk_rj_put(recs, NULL, record_encode(&c->rec[i], c->depth, c->token_depth)) != 0)
            goto fail;
    if (zk_rj_put(o, "settle", settle_encode(c->settle, c->depth, c->token_depth)) != 0)
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

/* An account object; pre names it. */
static int account_decode(zk_rollup_account *a, const json_t *j, const char *pre,
                          const char **where)
{
    int rc = zk_rj_check_object_exact(j, account_names, pre, where);
    if (rc != 0)
        return rc;
    if ((rc = zk_rj_get_point(&a->pubkey, json_object_get(j, "pubkey"), 1)) != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "pubkey"), rc);
    if ((rc = member_u64(&a->nonce, j, pre, "nonce", where)) != 0 ||
        (rc = member_fr(&a->balance_root, j, pre, "balance_root", where)) != 0)
        return rc;
    return ZK_OK;
}

/* Member `name` of obj (an account), named pre.name. */
static int member_account(zk_rollup_account *a, const json_t *obj, const char *pre,
                          const char *name, const char **where)
{
    char p[96];
    snprintf(p, sizeof p, "%s.%s", pre, name);
    return account_decode(a, json_object_get(obj, name), p, where);
}

/* *s (zero bytes on entry) from j; pre names it. */
static int step_decode(zk_rollup_step *s, const json_t *j, const char *pre, unsigned D,
                       unsigned T, const char **where)
{
    int rc = zk_rj_check_object_exact(j, step_names, pre, where);
    if (rc != 0)
        return rc;
    if ((rc = member_bool(&s->active, j, pre, "active", where)) != 0 ||
        (rc = member_u64(&s->index, j, pre, "index", where)) != 0 ||
        (rc = member_bool(&s->pre_exists, j, pre, "pre_exists", where)) != 0 ||
        (rc = member_bool(&s->post_exists, j, pre, "post_exists", where)) != 0 ||
        (rc = member_account(&s->pre, j, pre, "pre", where)) != 0 ||
        (rc = member_account(&s->post, j, pre, "post", where)) != 0 ||
        (rc = member_fr(&s->pre_leaf, j, pre, "pre_leaf", where)) != 0 ||
        (rc = member_fr(&s->post_leaf, j, pre, "post_leaf", where)) != 0 ||
        (rc = member_fr(&s->pre_balance, j, pre, "pre_balance", where)) != 0 ||
        (rc = member_fr(&s->post_balance, j, pre, "post_balance", where)) != 0 ||
        (rc = get_fr_array(s->balance_path, T, j, pre, "balance_path", where)) != 0 ||
        (rc = get_fr_array(s->account_path, D, j, pre, "account_path", where)) != 0 ||
        (rc = member_fr(&s->root_before, j, pre, "root_before", where)) != 0 ||
        (rc = member_fr(&s->root_after, j, pre, "root_after", where)) != 0)
        return rc;
    return ZK_OK;
}

/* *r (zero bytes on entry) from j, record number i. */
static int record_decode(zk_rollup_record *r, const json_t *j, size_t i, unsigned D,
                         unsigned T, const char **where)
{
    char pre[48];
    snprintf(pre, sizeof pre, "records[%zu]", i);
    int rc = zk_rj_check_object_exact(j, record_names, pre, where);
    if (rc != 0)
        return rc;
    zk_rollup_tx tx; /* all bytes set by the decoder (padding too) */
    const char *w = NULL;
    if ((rc = zk_rollup_json_tx_decode(&tx, json_object_get(j, "tx"), &w)) != 0) {
        if (!w || strcmp(w, "(root)") == 0)
            return zk_rj_fail(where, zk_rj_where_fmt("%s.tx", pre), rc);
        char tw[ZK_RJ_WHERE_MAX]; /* w may lie in the where buffer we write */
        snprintf(tw, sizeof tw, "%s", w);
        return zk_rj_fail(where, zk_rj_where_fmt("%s.tx.%s", pre, tw), rc);
    }
    r->depth = D;
    r->token_depth = T;
    memcpy(&r->tx, &tx, sizeof tx);
    if ((rc = zk_rollup_tx_message(&r->msg, &r->tx)) != 0)
        return rc;
    if ((rc = member_fr(&r->old_root, j, pre, "old_root", where)) != 0 ||
        (rc = member_fr(&r->new_root, j, pre, "new_root", where)) != 0)
        return rc;
    const json_t *steps = json_object_get(j, "steps");
    if (!json_is_array(steps) || json_array_size(steps) != ZK_ROLLUP_NSTEPS)
        return zk_rj_fail(where, zk_rj_at(pre, "steps"), ZK_EENCODING);
    for (size_t s = 0; s < ZK_ROLLUP_NSTEPS; s++) {
        char p[64];
        snprintf(p, sizeof p, "%s.steps[%zu]", pre, s);
        if ((rc = step_decode(&r->step[s], json_array_get(steps, s), p, D, T, where)) != 0)
            return rc;
    }
    return ZK_OK;
}

/* *s (zero bytes on entry) from j. */
static int settle_decode(zk_rollup_settle *s, const json_t *j, unsigned D, unsigned T,
                         const char **where)
{
    const char *pre = "settle";
    size_t nt = (size_t)1 << T;
    int rc = zk_rj_check_object_exact(j, settle_names, pre, where);
    if (rc != 0)
        return rc;
    s->depth = D;
    s->token_depth = T;
    if ((rc = get_fr_array(s->fees, nt, j, pre, "fees", where)) != 0 ||
        (rc = member_account(&s->pre, j, pre, "pre", where)) != 0 ||
        (rc = member_account(&s->post, j, pre, "post", where)) != 0 ||
        (rc = get_fr_array(s->pre_balance, nt, j, pre, "pre_balances", where)) != 0 ||
        (rc = get_fr_array(s->post_balance, nt, j, pre, "post_balances", where)) != 0 ||
        (rc = member_fr(&s->pre_leaf, j, pre, "pre_leaf", where)) != 0 ||
        (rc = member_fr(&s->post_leaf, j, pre, "post_leaf", where)) != 0 ||
        (rc = get_fr_array(s->account_path, D, j, pre, "account_path", where)) != 0 ||
        (rc = member_fr(&s->old_root, j, pre, "old_root", where)) != 0 ||
        (rc = member_fr(&s->new_root, j, pre, "new_root", where)) != 0)
        return rc;
    return ZK_OK;
}

static int chunk_decode(zk_rollup_chunk_file *f, const json_t *j, const char **where)
{
    unsigned k, D, T;
    int rc;
    if ((rc = check_document(j, "zkpar-chunk", chunk_names, where)) != 0 ||
        (rc = member_id(f->batch, j, "batch", where)) != 0 ||
        (rc = member_u32(&f->index, j, "index", where)) != 0 ||
        (rc = member_u32(&f->count, j, "count", where)) != 0)
        return rc;
    if (f->index >= f->count)
        return zk_rj_fail(where, "index", ZK_ERANGE);
    if ((rc = member_id(f->key, j, "key", where)) != 0 ||
        (rc = get_params(&k, &D, &T, j, where)) != 0 ||
        (rc = member_u32(&f->transactions, j, "transactions", where)) != 0)
        return rc;
    if (f->transactions > k)
        return zk_rj_fail(where, "transactions", ZK_ERANGE);
    static const char *const pub_names[ZK_ROLLUP_CHUNK_NPUBLIC] = {"old_root", "new_root",
                                                                   "commitment"};
    for (size_t i = 0; i < ZK_ROLLUP_CHUNK_NPUBLIC; i++)
        if ((rc = member_fr(&f->pub[i], j, NULL, pub_names[i], where)) != 0)
            return rc;
    const json_t *recs = json_object_get(j, "records");
    if (!json_is_array(recs) || json_array_size(recs) != k)
        return zk_rj_fail(where, "records", ZK_EENCODING);

    if ((rc = zk_rollup_chunk_alloc(&f->chunk, k, D, T)) != 0) /* calloc: zero bytes */
        return rc;
    for (size_t i = 0; i < k; i++)
        if ((rc = record_decode(&f->chunk.rec[i], json_array_get(recs, i), i, D, T,
                                where)) != 0)
            return rc;
    if ((rc = settle_decode(f->chunk.settle, json_object_get(j, "settle"), D, T, where)) != 0)
        return rc;

    zk_fr got[ZK_ROLLUP_CHUNK_NPUBLIC];
    if ((rc = zk_rollup_chunk_publics(got, &f->chunk)) != 0)
        return rc;
    for (size_t i = 0; i < ZK_ROLLUP_CHUNK_NPUBLIC; i++)
        if (!zk_fr_eq(&got[i], &f->pub[i]))
            return zk_rj_fail(where, pub_names[i], ZK_EVERIFY);
    return ZK_OK;
}

int zk_rollup_json_chunk_decode(zk_rollup_chunk_file *out, const json_t *j,
                                const char **where)
{
    if (where)
        *where = NULL;
    if (!out)
        return ZK_EINVAL;
    memset(out, 0, sizeof *out);
    if (!j)
        return ZK_EINVAL;
    int rc = chunk_decode(out, j, where);
    if (rc != 0) {
        zk_rollup_chunk_free(&out->chunk);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

/* ---------------------------------------------------------- manifest */

static const char *const manifest_names[] = {
    "format", "version",      "batch",  "key",   "chunk_size",  "depth", "tokens",
    "transactions", "chunks", "roots", "commitments", "skipped", NULL};
static const char *const skip_names[] = {"index", "rule", "reason", NULL};

void zk_rollup_manifest_free(zk_rollup_manifest *m)
{
    if (!m)
        return;
    free(m->roots);
    free(m->commitments);
    free(m->skipped);
    memset(m, 0, sizeof *m);
}

static int rule_known(zk_rollup_rule r)
{
    return (int)r >= 1 && (int)r < ZK_ROLLUP_RULE_COUNT;
}

json_t *zk_rollup_json_manifest_encode(const zk_rollup_manifest *m)
{
    if (!m || m->count == 0 || m->count > UINT32_MAX || !m->roots || !m->commitments ||
        (m->n_skipped > 0 && !m->skipped) ||
        !params_ok(m->chunk_size, m->depth, m->token_depth) || !zk_rollup_id_ok(m->batch) ||
        !zk_rollup_id_ok(m->key))
        return NULL;
    for (size_t i = 0; i < m->n_skipped; i++)
        if (!rule_known(m->skipped[i].rule))
            return NULL;
    json_t *o = zk_rj_new_document("zkpar-manifest"), *sk = NULL;
    if (!o || zk_rj_put(o, "batch", json_string(m->batch)) != 0 ||
        zk_rj_put(o, "key", json_string(m->key)) != 0 ||
        put_params(o, m->chunk_size, m->depth, m->token_depth) != 0 ||
        zk_rj_put(o, "transactions", zk_rj_put_u64(m->transactions)) != 0 ||
        zk_rj_put(o, "chunks", zk_rj_put_u64(m->count)) != 0 ||
        zk_rj_put(o, "roots", put_fr_array(m->roots, m->count + 1)) != 0 ||
        zk_rj_put(o, "commitments", put_fr_array(m->commitments, m->count)) != 0 ||
        zk_rj_put(o, "skipped", sk = json_array()) != 0)
        goto fail;
    for (size_t i = 0; i < m->n_skipped; i++) {
        json_t *e = json_object();
        if (zk_rj_put(sk, NULL, e) != 0 ||
            zk_rj_put(e, "index", zk_rj_put_u64(m->skipped[i].index)) != 0 ||
            zk_rj_put(e, "rule", json_string(zk_rollup_rule_name((int)m->skipped[i].rule))) != 0 ||
            zk_rj_put(e, "reason", json_string(zk_rollup_rule_str((int)m->skipped[i].rule))) != 0)
            goto fail;
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

static int get_rule(zk_rollup_rule *r, const json_t *x)
{
    if (!zk_rj_is_plain_string(x))
        return ZK_EENCODING;
    for (int i = 1; i < ZK_ROLLUP_RULE_COUNT; i++)
        if (strcmp(json_string_value(x), zk_rollup_rule_name(i)) == 0) {
            *r = (zk_rollup_rule)i;
            return ZK_OK;
        }
    return ZK_EENCODING;
}

static int manifest_decode(zk_rollup_manifest *m, const json_t *j, const char **where)
{
    int rc;
    uint64_t n;
    if ((rc = check_document(j, "zkpar-manifest", manifest_names, where)) != 0 ||
        (rc = member_id(m->batch, j, "batch", where)) != 0 ||
        (rc = member_id(m->key, j, "key", where)) != 0 ||
        (rc = get_params(&m->chunk_size, &m->depth, &m->token_depth, j, where)) != 0 ||
        (rc = member_u64(&m->transactions, j, NULL, "transactions", where)) != 0 ||
        (rc = member_u64(&n, j, NULL, "chunks", where)) != 0)
        return rc;
    if (n == 0 || n > UINT32_MAX) /* the batch id holds n as a u32 */
        return zk_rj_fail(where, "chunks", ZK_ERANGE);
    /* the lengths first: no allocation larger than the document */
    const json_t *roots = json_object_get(j, "roots"), *coms = json_object_get(j, "commitments");
    if (!json_is_array(roots) || json_array_size(roots) != n + 1)
        return zk_rj_fail(where, "roots", ZK_EENCODING);
    if (!json_is_array(coms) || json_array_size(coms) != n)
        return zk_rj_fail(where, "commitments", ZK_EENCODING);
    m->count = (size_t)n;
    m->roots = malloc((m->count + 1) * sizeof *m->roots);
    m->commitments = malloc(m->count * sizeof *m->commitments);
    if (!m->roots || !m->commitments)
        return ZK_ENOMEM;
    if ((rc = get_fr_array(m->roots, m->count + 1, j, NULL, "roots", where)) != 0 ||
        (rc = get_fr_array(m->commitments, m->count, j, NULL, "commitments", where)) != 0)
        return rc;

    const json_t *sk = json_object_get(j, "skipped");
    if (!json_is_array(sk))
        return zk_rj_fail(where, "skipped", ZK_EENCODING);
    size_t ns = json_array_size(sk);
    if (ns > 0) {
        if (!(m->skipped = calloc(ns, sizeof *m->skipped)))
            return ZK_ENOMEM;
        m->n_skipped = ns;
    }
    for (size_t i = 0; i < ns; i++) {
        const json_t *e = json_array_get(sk, i);
        char pre[48];
        snprintf(pre, sizeof pre, "skipped[%zu]", i);
        if ((rc = zk_rj_check_object_exact(e, skip_names, pre, where)) != 0 ||
            (rc = member_u64(&m->skipped[i].index, e, pre, "index", where)) != 0)
            return rc;
        if ((rc = get_rule(&m->skipped[i].rule, json_object_get(e, "rule"))) != 0)
            return zk_rj_fail(where, zk_rj_at(pre, "rule"), rc);
        if (!zk_rj_is_plain_string(json_object_get(e, "reason")))
            return zk_rj_fail(where, zk_rj_at(pre, "reason"), ZK_EENCODING);
    }

    char id[ZK_ROLLUP_ID_HEX];
    if ((rc = zk_rollup_batch_id(id, m->chunk_size, m->depth, m->token_depth, m->count,
                                 m->roots, m->commitments)) != 0)
        return rc;
    if (strcmp(id, m->batch) != 0)
        return zk_rj_fail(where, "batch", ZK_EVERIFY);
    return ZK_OK;
}

int zk_rollup_json_manifest_decode(zk_rollup_manifest *out, const json_t *j,
                                   const char **where)
{
    if (where)
        *where = NULL;
    if (!out)
        return ZK_EINVAL;
    memset(out, 0, sizeof *out);
    if (!j)
        return ZK_EINVAL;
    int rc = manifest_decode(out, j, where);
    if (rc != 0)
        zk_rollup_manifest_free(out);
    return rc;
}

/* ------------------------------------------------------------- share */

static const char *const share_names[] = {"format", "version",      "batch",  "index",
                                          "count",  "key",          "transactions",
                                          "public", "proof",        NULL};

json_t *zk_rollup_json_share_encode(const zk_rollup_share *s)
{
    if (!s || s->index >= s->count || !zk_rollup_id_ok(s->batch) || !zk_rollup_id_ok(s->key))
        return NULL;
    json_t *o = zk_rj_new_document("zkpar-share");
    if (!o || zk_rj_put(o, "batch", json_string(s->batch)) != 0 ||
        zk_rj_put(o, "index", json_integer(s->index)) != 0 ||
        zk_rj_put(o, "count", json_integer(s->count)) != 0 ||
        zk_rj_put(o, "key", json_string(s->key)) != 0 ||
        zk_rj_put(o, "transactions", json_integer(s->transactions)) != 0 ||
        zk_rj_put(o, "public", put_fr_array(s->pub, ZK_ROLLUP_CHUNK_NPUBLIC)) != 0 ||
        zk_rj_put(o, "proof", zk_json_proof_encode(&s->proof)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int zk_rollup_json_share_decode(zk_rollup_share *out, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!out || !j)
        return ZK_EINVAL;
    zk_rollup_share s;
    memset(&s, 0, sizeof s);
    int rc;
    if ((rc = check_document(j, "zkpar-share", share_names, where)) != 0 ||
        (rc = member_id(s.batch, j, "batch", where)) != 0 ||
        (rc = member_u32(&s.index, j, "index", where)) != 0 ||
        (rc = member_u32(&s.count, j, "count", where)) != 0)
        return rc;
    if (s.index >= s.count)
        return zk_rj_fail(where, "index", ZK_ERANGE);
    if ((rc = member_id(s.key, j, "key", where)) != 0 ||
        (rc = member_u32(&s.transactions, j, "transactions", where)) != 0 ||
        (rc = get_fr_array(s.pub, ZK_ROLLUP_CHUNK_NPUBLIC, j, NULL, "public", where)) != 0)
        return rc;
    const char *w = NULL;
    if ((rc = zk_json_proof_decode(&s.proof, json_object_get(j, "proof"), &w)) != 0) {
        if (!w || strcmp(w, "(root)") == 0)
            return zk_rj_fail(where, "proof", rc);
        return zk_rj_fail(where, zk_rj_where_fmt("proof.%s", w), rc);
    }
    *out = s;
    return ZK_OK;
}

/* --------------------------------------------------------- aggregate */

static const char *const aggregate_names[] = {
    "format",       "version",  "batch",    "key",    "chunk_size", "depth", "tokens",
    "chunks",       "transactions", "old_root", "new_root", "public", "proof", NULL};

void zk_rollup_aggregate_free(zk_rollup_aggregate *a)
{
    if (!a)
        return;
    free(a->pub);
    free(a->proof);
    memset(a, 0, sizeof *a);
}

/* bytes[0 .. len) as lowercase hex; NULL when out of memory. */
static json_t *put_hex(const uint8_t *bytes, size_t len)
{
    if (len > (SIZE_MAX - 1) / 2)
        return NULL;
    char *hex = malloc(2 * len + 1);
    if (!hex)
        return NULL;
    sodium_bin2hex(hex, 2 * len + 1, bytes, len);
    json_t *s = json_stringn(hex, 2 * len);
    free(hex);
    return s;
}

json_t *zk_rollup_json_aggregate_encode(const zk_rollup_aggregate *a)
{
    if (!a || a->chunks == 0 || a->chunks > UINT32_MAX ||
        a->transactions > ((uint64_t)1 << 53) || (a->rows > 0 && !a->pub) ||
        (a->proof_len > 0 && !a->proof) || !params_ok(a->chunk_size, a->depth, a->token_depth) ||
        !zk_rollup_id_ok(a->batch) || !zk_rollup_id_ok(a->key))
        return NULL;
    json_t *o = zk_rj_new_document("zkpar-aggregate"), *rows = NULL;
    if (!o || zk_rj_put(o, "batch", json_string(a->batch)) != 0 ||
        zk_rj_put(o, "key", json_string(a->key)) != 0 ||
        put_params(o, a->chunk_size, a->depth, a->token_depth) != 0 ||
        zk_rj_put(o, "chunks", json_integer((json_int_t)a->chunks)) != 0 ||
        zk_rj_put(o, "transactions", json_integer((json_int_t)a->transactions)) != 0 ||
        zk_rj_put(o, "old_root", zk_rj_put_fr(&a->old_root)) != 0 ||
        zk_rj_put(o, "new_root", zk_rj_put_fr(&a->new_root)) != 0 ||
        zk_rj_put(o, "public", rows = json_array()) != 0)
        goto fail;
    for (size_t i = 0; i < a->rows; i++)
        if (zk_rj_put(rows, NULL,
                      put_fr_array(&a->pub[i * ZK_ROLLUP_CHUNK_NPUBLIC],
                                   ZK_ROLLUP_CHUNK_NPUBLIC)) != 0)
            goto fail;
    if (zk_rj_put(o, "proof", put_hex(a->proof, a->proof_len)) != 0)
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

/* *out (malloc'ed, NULL when empty), *len = the bytes of x, a plain
 * string of an even number of hex digits of either case. */
static int get_hex(uint8_t **out, size_t *len, const json_t *x)
{
    if (!zk_rj_is_plain_string(x))
        return ZK_EENCODING;
    const char *s = json_string_value(x);
    size_t n = json_string_length(x), got = 0;
    if (n % 2 != 0)
        return ZK_EENCODING;
    if (n == 0) {
        *out = NULL;
        *len = 0;
        return ZK_OK;
    }
    uint8_t *b = malloc(n / 2);
    if (!b)
        return ZK_ENOMEM;
    const char *end = NULL;
    if (sodium_hex2bin(b, n / 2, s, n, NULL, &got, &end) != 0 || got != n / 2 ||
        end != s + n) {
        free(b);
        return ZK_EENCODING;
    }
    *out = b;
    *len = n / 2;
    return ZK_OK;
}

static int aggregate_decode(zk_rollup_aggregate *a, const json_t *j, const char **where)
{
    int rc;
    if ((rc = check_document(j, "zkpar-aggregate", aggregate_names, where)) != 0 ||
        (rc = member_id(a->batch, j, "batch", where)) != 0 ||
        (rc = member_id(a->key, j, "key", where)) != 0 ||
        (rc = get_params(&a->chunk_size, &a->depth, &a->token_depth, j, where)) != 0 ||
        (rc = member_count(&a->chunks, j, "chunks", where)) != 0)
        return rc;
    if (a->chunks == 0 || a->chunks > UINT32_MAX) /* the batch id holds n as a u32 */
        return zk_rj_fail(where, "chunks", ZK_ERANGE);
    if ((rc = member_count(&a->transactions, j, "transactions", where)) != 0 ||
        (rc = member_fr(&a->old_root, j, NULL, "old_root", where)) != 0 ||
        (rc = member_fr(&a->new_root, j, NULL, "new_root", where)) != 0)
        return rc;

    /* the rows: as many as the document holds (rows = chunks is a rule) */
    const json_t *rows = json_object_get(j, "public");
    if (!json_is_array(rows))
        return zk_rj_fail(where, "public", ZK_EENCODING);
    size_t n = json_array_size(rows);
    if (n > 0) {
        if (!(a->pub = malloc(n * sizeof(zk_fr[ZK_ROLLUP_CHUNK_NPUBLIC]))))
            return ZK_ENOMEM;
        a->rows = n;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *row = json_array_get(rows, i);
        if (!json_is_array(row) || json_array_size(row) != ZK_ROLLUP_CHUNK_NPUBLIC)
            return zk_rj_fail(where, at_index(NULL, "public", i), ZK_EENCODING);
        for (size_t k = 0; k < ZK_ROLLUP_CHUNK_NPUBLIC; k++)
            if ((rc = zk_rj_get_fr(&a->pub[i * ZK_ROLLUP_CHUNK_NPUBLIC + k],
                                   json_array_get(row, k))) != 0)
                return zk_rj_fail(where, zk_rj_where_fmt("public[%zu][%zu]", i, k), rc);
    }

    if ((rc = get_hex(&a->proof, &a->proof_len, json_object_get(j, "proof"))) != 0)
        return rc == ZK_ENOMEM ? rc : zk_rj_fail(where, "proof", rc);
    return ZK_OK;
}

int zk_rollup_json_aggregate_decode(zk_rollup_aggregate *out, const json_t *j,
                                    const char **where)
{
    if (where)
        *where = NULL;
    if (!out)
        return ZK_EINVAL;
    memset(out, 0, sizeof *out);
    if (!j)
        return ZK_EINVAL;
    int rc = aggregate_decode(out, j, where);
    if (rc != 0)
        zk_rollup_aggregate_free(out);
    return rc;
}
