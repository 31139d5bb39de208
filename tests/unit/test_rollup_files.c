/*
 * test_rollup_files.c -- the pipeline's JSON files and identifiers
 * (lib/rollup/files):
 *
 *  - round trips through text (encode, dump, parse, decode, encode: the
 *    same text) of chunks built with zk_rollup_chunk_push/close -- D = 6,
 *    T = 2, k = 4 with a deposit creating an account, a transfer, a
 *    withdraw and a no-op pad; D = 32, T = 0, k = 1 with a transfer from
 *    index 2^32 - 1 at a nonce above 2^53 -- whose decoded records and
 *    settle compare with memcmp and pass zk_rollup_chunk_check; of params,
 *    manifests (with and without skipped transactions, integers above
 *    2^53) and shares (a random valid proof);
 *  - the key id and the batch id against the byte layout of files.h
 *    computed here by hand, their determinism and their dependence on
 *    every input;
 *  - every malformed input of each decoder with its exact code and
 *    `where`: missing and unknown keys, wrong types, bad digits, values
 *    >= r, wrong array lengths, wrong format or version, index >= count,
 *    k = 0 and 65, D and T out of range, claimed roots and commitment
 *    that are not the records', unknown rule names, a batch id that is
 *    not the manifest's, off-curve pubkeys, bad proof points;
 *  - aggregates: round trips (random rows and proof bytes, the largest
 *    counts, no rows, an empty proof), decode -> encode of a document
 *    written here by hand giving the same text, every member missing,
 *    wrong types (counts as strings), bad hex, values >= r, rows of 2
 *    and 4, chunks 0 and 2^32, and that chunks which are not the rows
 *    still decode (that rule is the verifier's); the bytes of an id.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/babyjub.h"
#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fp.h"
#include "field/fr.h"
#include "io/json.h"
#include "rollup/chunk.h"
#include "rollup/files.h"
#include "rollup/state.h"
#include "rollup/tx.h"
#include "tap.h"
#include "testcurve.h"
#include "testrollup.h"
#include "util/err.h"

#define R_DEC "21888242871839275222246405745257275088548364400416034343698204186575808495617"
#define RM1_DEC "21888242871839275222246405745257275088548364400416034343698204186575808495616"
#define TWO64_DEC "18446744073709551616"
#define TWO64M1_DEC "18446744073709551615"

#define ID_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define ID_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

/* ------------------------------------------------------------ helpers */

/* The compact text of j (kept). */
static char *dump(const json_t *j)
{
    if (!j)
        bail_out("encoder returned NULL");
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!s)
        bail_out("json_dumps failed");
    return s;
}

static json_t *parse(const char *s)
{
    json_error_t e;
    json_t *r = json_loads(s, JSON_DECODE_ANY, &e);
    if (!r)
        bail_out("json_loads: %s", e.text);
    return r;
}

/* j through text: a new value equal to j (j is released). */
static json_t *through_text(json_t *j)
{
    char *s = dump(j);
    json_decref(j);
    json_t *r = parse(s);
    free(s);
    return r;
}

/* A path "a.b[2].c" as segments: a key, or an index (key ""). */
typedef struct {
    char key[64];
    size_t idx;
} seg;

static size_t parse_path(seg *s, size_t max, const char *path)
{
    size_t n = 0;
    const char *p = path;
    while (*p) {
        if (n == max)
            bail_out("path too long: %s", path);
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            char *end;
            s[n].key[0] = '\0';
            s[n].idx = (size_t)strtoul(p + 1, &end, 10);
            if (*end != ']')
                bail_out("bad path %s", path);
            p = end + 1;
            n++;
            continue;
        }
        size_t l = strcspn(p, ".[");
        if (l >= sizeof s[n].key)
            bail_out("bad path %s", path);
        memcpy(s[n].key, p, l);
        s[n].key[l] = '\0';
        s[n].idx = 0;
        p += l;
        n++;
    }
    return n;
}

static json_t *child(json_t *j, const seg *s)
{
    return s->key[0] ? json_object_get(j, s->key) : json_array_get(j, s->idx);
}

static json_t *path_get(json_t *j, const char *path)
{
    seg s[16];
    size_t n = parse_path(s, 16, path);
    for (size_t i = 0; i < n && j; i++)
        j = child(j, &s[i]);
    if (!j)
        bail_out("no %s", path);
    return j;
}

/* Set the value at path to v (stolen), or delete it when v is NULL. */
static void path_set(json_t *j, const char *path, json_t *v)
{
    seg s[16];
    size_t n = parse_path(s, 16, path);
    for (size_t i = 0; i + 1 < n && j; i++)
        j = child(j, &s[i]);
    if (!j || n == 0)
        bail_out("no parent of %s", path);
    int rc;
    if (s[n - 1].key[0])
        rc = v ? json_object_set_new(j, s[n - 1].key, v) : json_object_del(j, s[n - 1].key);
    else
        rc = v ? json_array_set_new(j, s[n - 1].idx, v) : json_array_remove(j, s[n - 1].idx);
    if (rc != 0)
        bail_out("cannot set %s", path);
}

/* Drop the last entry of the array at path / append a copy of its last. */
static void path_shorten(json_t *j, const char *path)
{
    json_t *a = path_get(j, path);
    if (json_array_remove(a, json_array_size(a) - 1) != 0)
        bail_out("shorten %s", path);
}

static void path_lengthen(json_t *j, const char *path)
{
    json_t *a = path_get(j, path);
    if (json_array_append_new(a, json_deep_copy(json_array_get(a, json_array_size(a) - 1))) != 0)
        bail_out("lengthen %s", path);
}

static json_t *js(const char *s)
{
    return json_string(s);
}

static json_t *ji(json_int_t v)
{
    return json_integer(v);
}

static json_t *jpoint(const char *x, const char *y)
{
    json_t *a = json_array();
    json_array_append_new(a, js(x));
    json_array_append_new(a, js(y));
    return a;
}

/* 1 when the keys of object j are names (comma-separated), in order. */
static int keys_are(const json_t *j, const char *names)
{
    const char *key;
    json_t *v;
    const char *p = names;
    json_object_foreach((json_t *)j, key, v) {
        (void)v;
        size_t l = strlen(key);
        if (strncmp(p, key, l) != 0 || (p[l] != ',' && p[l] != '\0'))
            return 0;
        p += l + (p[l] == ',');
    }
    return *p == '\0';
}

/* A decoder under test: rc and where; -100 when the decoder broke its
 * contract on error (output not zeroed). */
typedef int (*decoder)(const json_t *j, const char **where);

/* A change of the good document j at path (v stolen; NULL deletes), then
 * the decoder must say want_rc at want_where. */
static void bad(decoder dec, const json_t *good, const char *path, json_t *v, int want_rc,
                const char *want_where, const char *what)
{
    json_t *c = json_deep_copy(good);
    if (!c)
        bail_out("deep copy");
    if (path)
        path_set(c, path, v);
    const char *w = NULL;
    int rc = dec(c, &w);
    int pass = rc == want_rc && w != NULL && strcmp(w, want_where) == 0;
    ok(pass, "%s: %s at %s", what, zk_strerror(want_rc), want_where);
    if (!pass)
        diag("  got rc %d (%s) at %s", rc, zk_strerror(rc), w ? w : "NULL");
    json_decref(c);
}

/* Decode c (released) and expect success. */
static int good_after(decoder dec, json_t *c)
{
    const char *w = "unset";
    int rc = dec(c, &w);
    json_decref(c);
    if (rc != ZK_OK)
        diag("  refused: rc %d at %s", rc, w ? w : "NULL");
    return rc == ZK_OK && w == NULL;
}

static json_t *changed(const json_t *good, const char *path, json_t *v)
{
    json_t *c = json_deep_copy(good);
    path_set(c, path, v);
    return c;
}

/* ------------------------------------------------------------ chunks */

#define D6 6
#define T2 2
#define K4 4

/* deposit creating account 5, transfer 1 -> 2, withdraw from 3, a pad */
static void chunk_d6(zk_rollup_chunk *c, zk_rollup_state *st)
{
    zk_bj pk5 = pk_of(5);
    zk_rollup_tx t[3];
    t[0] = tx_deposit(5, 1, fr_u64(500), &pk5);
    t[1] = mk_transfer(1, 2, 1, 300, 7, 0);
    t[2] = tx_withdraw(3, 3, fr_u64(40), fr_u64(5), 0, fr_u64(0xabcdef), 3);
    chunk_of(c, st, K4, t, 3);
}

#define BIG_NONCE ((uint64_t)1 << 60)
#define TOP32 ((uint64_t)0xffffffff)

/* D = 32, T = 0, k = 1: account 2^32 - 1 at nonce 2^60 pays the operator */
static void chunk_d32(zk_rollup_chunk *c)
{
    zk_rollup_state *st;
    zk_bj op = pk_of(0), a = pk_of(9);
    zk_fr bal = fr_u64(777);
    if (zk_rollup_state_genesis(&st, 32, 0, &op, 1, &bal, NULL) != ZK_OK ||
        zk_rollup_state_put(st, TOP32, &a, BIG_NONCE, &bal) != ZK_OK)
        bail_out("state d32");
    zk_rollup_tx t = tx_transfer(TOP32, 0, 0, fr_u64(100), fr_u64(3), BIG_NONCE, 9);
    chunk_of(c, st, 1, &t, 1);
    zk_rollup_state_free(st);
}

static zk_rollup_chunk_file file_of(const zk_rollup_chunk *c, uint32_t index, uint32_t count,
                                    uint32_t m)
{
    zk_rollup_chunk_file f;
    memset(&f, 0, sizeof f);
    memcpy(f.batch, ID_A, ZK_ROLLUP_ID_HEX);
    memcpy(f.key, ID_B, ZK_ROLLUP_ID_HEX);
    f.index = index;
    f.count = count;
    f.transactions = m;
    f.chunk = *c; /* borrowed */
    if (zk_rollup_chunk_publics(f.pub, c) != ZK_OK)
        bail_out("publics");
    return f;
}

static int dec_chunk(const json_t *j, const char **where)
{
    zk_rollup_chunk_file f;
    memset(&f, 0xa5, sizeof f);
    int rc = zk_rollup_json_chunk_decode(&f, j, where);
    if (rc != ZK_OK) {
        zk_rollup_chunk_file z;
        memset(&z, 0, sizeof z);
        if (memcmp(&f, &z, sizeof f) != 0)
            return -100;
    }
    zk_rollup_chunk_file_free(&f);
    return rc;
}

/* The round trip of file f: 4 points. */
static void chunk_roundtrip(const zk_rollup_chunk_file *f, const char *what)
{
    const zk_rollup_chunk *c = &f->chunk;
    json_t *j = zk_rollup_json_chunk_encode(f);
    char *text = dump(j);
    j = through_text(j);
    zk_rollup_chunk_file g;
    const char *w = "unset";
    int rc = zk_rollup_json_chunk_decode(&g, j, &w);
    ok(rc == ZK_OK && w == NULL, "%s: the chunk decodes", what);
    if (rc != ZK_OK) {
        diag("  rc %d at %s", rc, w ? w : "NULL");
        bail_out("cannot go on");
    }
    ok(g.chunk.chunk_size == c->chunk_size && g.chunk.depth == c->depth &&
           g.chunk.token_depth == c->token_depth &&
           memcmp(g.chunk.rec, c->rec, c->chunk_size * sizeof *c->rec) == 0 &&
           memcmp(g.chunk.settle, c->settle, sizeof *c->settle) == 0,
       "%s: records and settle are the same bytes (msg recomputed)", what);
    ok(strcmp(g.batch, f->batch) == 0 && strcmp(g.key, f->key) == 0 &&
           g.index == f->index && g.count == f->count && g.transactions == f->transactions &&
           memcmp(g.pub, f->pub, sizeof g.pub) == 0,
       "%s: ids, index, count, transactions, publics survive", what);
    json_t *j2 = zk_rollup_json_chunk_encode(&g);
    char *text2 = dump(j2);
    zk_rollup_rule why;
    size_t at;
    ok(strcmp(text, text2) == 0 && zk_rollup_chunk_check(&why, &at, &g.chunk) == ZK_OK,
       "%s: re-encoded to the same text, and the decoded chunk passes chunk_check", what);
    free(text);
    free(text2);
    json_decref(j);
    json_decref(j2);
    zk_rollup_chunk_file_free(&g);
}

static void test_chunks(void)
{
    zk_rollup_state *st = genesis4(D6, T2);
    zk_rollup_chunk c;
    chunk_d6(&c, st);
    zk_rollup_chunk_file f = file_of(&c, 1, 3, 3);
    chunk_roundtrip(&f, "D=6 T=2 k=4");

    json_t *good = zk_rollup_json_chunk_encode(&f);
    if (!good)
        bail_out("encode");
    ok(keys_are(good, "format,version,batch,index,count,key,chunk_size,depth,tokens,"
                      "transactions,old_root,new_root,commitment,records,settle") &&
           keys_are(path_get(good, "records[1]"), "tx,old_root,new_root,steps") &&
           keys_are(path_get(good, "records[1].steps[0]"),
                    "active,index,pre_exists,post_exists,pre,post,pre_leaf,post_leaf,"
                    "pre_balance,post_balance,balance_path,account_path,root_before,"
                    "root_after") &&
           keys_are(path_get(good, "records[1].steps[0].pre"), "pubkey,nonce,balance_root") &&
           keys_are(path_get(good, "settle"),
                    "fees,pre,post,pre_balances,post_balances,pre_leaf,post_leaf,"
                    "account_path,old_root,new_root"),
       "chunk: keys in the order of files.h");
    ok(json_is_true(path_get(good, "records[0].steps[1].active")) &&
           json_is_false(path_get(good, "records[0].steps[0].active")) &&
           json_is_false(path_get(good, "records[0].steps[1].pre_exists")) &&
           json_is_true(path_get(good, "records[0].steps[1].post_exists")) &&
           json_is_integer(path_get(good, "records[1].steps[0].index")) &&
           json_is_integer(path_get(good, "records[1].steps[0].post.nonce")) &&
           json_is_string(path_get(good, "records[1].steps[0].pre_leaf")) &&
           json_array_size(path_get(good, "records[1].steps[0].balance_path")) == T2 &&
           json_array_size(path_get(good, "records[1].steps[0].account_path")) == D6 &&
           json_array_size(path_get(good, "settle.fees")) == 4 &&
           json_is_string(path_get(good, "records[1].tx.type")),
       "chunk: booleans, numbers, decimal strings, path lengths T and D, 2^T fees");
    ok(strcmp(json_string_value(path_get(good, "records[0].steps[1].pre.pubkey[0]")), "0") == 0,
       "chunk: an empty slot's pubkey is written as (0, 0)");

    /* what the decoder accepts beyond the encoder's output */
    ok(good_after(dec_chunk, changed(good, "records[1].steps[0].index", js("1"))) &&
           good_after(dec_chunk, changed(good, "index", js("1"))) &&
           good_after(dec_chunk, changed(good, "records[1].steps[0].pre.nonce", js(TWO64M1_DEC))),
       "chunk: integers as decimal strings up to 2^64 - 1");

    /* a chunk whose records lie, with true publics: decoded, then refused by
     * zk_rollup_chunk_check (not the decoder's job) */
    {
        json_t *c2 = changed(good, "records[1].steps[0].pre_balance", js("1"));
        zk_rollup_chunk_file g;
        int rc = zk_rollup_json_chunk_decode(&g, c2, NULL);
        zk_rollup_rule why;
        size_t at;
        ok(rc == ZK_OK && zk_rollup_chunk_check(&why, &at, &g.chunk) == ZK_EVERIFY && at == 1,
           "chunk: a wrong pre_balance decodes, and chunk_check refuses record 1");
        zk_rollup_chunk_file_free(&g);
        json_decref(c2);
    }

    /* ---- malformed chunks */
    ok(good_after(dec_chunk, json_deep_copy(good)), "chunk: the encoder's output decodes");
    json_t *arr = json_array();
    bad(dec_chunk, arr, NULL, NULL, ZK_EENCODING, "(root)", "chunk: not an object");
    json_decref(arr);
    bad(dec_chunk, good, "format", js("zkpar-manifest"), ZK_EFORMAT, "format", "chunk: format");
    bad(dec_chunk, good, "format", NULL, ZK_EENCODING, "format", "chunk: no format");
    bad(dec_chunk, good, "version", ji(2), ZK_EFORMAT, "version", "chunk: version 2");
    bad(dec_chunk, good, "colour", js("red"), ZK_EENCODING, "colour", "chunk: unknown key");
    bad(dec_chunk, good, "settle", NULL, ZK_EENCODING, "settle", "chunk: missing settle");
    bad(dec_chunk, good, "commitment", NULL, ZK_EENCODING, "commitment",
        "chunk: missing commitment");
    bad(dec_chunk, good, "batch", js(ID_A "0"), ZK_EENCODING, "batch", "chunk: batch 65 digits");
    bad(dec_chunk, good, "key",
        js("00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff"), ZK_EENCODING,
        "key", "chunk: key in upper case");
    bad(dec_chunk, good, "index", ji(3), ZK_ERANGE, "index", "chunk: index == count");
    bad(dec_chunk, good, "count", ji(0), ZK_ERANGE, "index", "chunk: count 0");
    bad(dec_chunk, good, "index", js("4294967296"), ZK_EENCODING, "index",
        "chunk: index 2^32");
    bad(dec_chunk, good, "index", js("1x"), ZK_EENCODING, "index", "chunk: index bad digits");
    bad(dec_chunk, good, "index", ji(-1), ZK_EENCODING, "index", "chunk: index -1");
    bad(dec_chunk, good, "chunk_size", ji(0), ZK_ERANGE, "chunk_size", "chunk: k = 0");
    bad(dec_chunk, good, "chunk_size", ji(65), ZK_ERANGE, "chunk_size", "chunk: k = 65");
    bad(dec_chunk, good, "chunk_size", js("4"), ZK_EENCODING, "chunk_size",
        "chunk: k as a string");
    bad(dec_chunk, good, "depth", ji(0), ZK_ERANGE, "depth", "chunk: D = 0");
    bad(dec_chunk, good, "depth", ji(33), ZK_ERANGE, "depth", "chunk: D = 33");
    bad(dec_chunk, good, "tokens", ji(9), ZK_ERANGE, "tokens", "chunk: T = 9");
    bad(dec_chunk, good, "transactions", ji(5), ZK_ERANGE, "transactions", "chunk: m > k");
    bad(dec_chunk, good, "old_root", js("12a"), ZK_EENCODING, "old_root",
        "chunk: old_root bad digits");
    bad(dec_chunk, good, "new_root", js(R_DEC), ZK_ERANGE, "new_root", "chunk: new_root = r");
    bad(dec_chunk, good, "commitment", ji(5), ZK_EENCODING, "commitment",
        "chunk: commitment as a number");
    bad(dec_chunk, good, "chunk_size", ji(3), ZK_EENCODING, "records",
        "chunk: k = 3 with 4 records");
    bad(dec_chunk, good, "records", json_object(), ZK_EENCODING, "records",
        "chunk: records not an array");
    bad(dec_chunk, good, "depth", ji(7), ZK_EENCODING, "records[0].steps[0].account_path",
        "chunk: D = 7 with paths of 6");
    bad(dec_chunk, good, "tokens", ji(3), ZK_EENCODING, "records[0].steps[0].balance_path",
        "chunk: T = 3 with paths of 2");
    bad(dec_chunk, good, "records[2]", js("x"), ZK_EENCODING, "records[2]",
        "chunk: a record not an object");
    bad(dec_chunk, good, "records[2].colour", ji(1), ZK_EENCODING, "records[2].colour",
        "chunk: unknown key in a record");
    bad(dec_chunk, good, "records[2].steps", json_object(), ZK_EENCODING, "records[2].steps",
        "chunk: steps not an array");
    bad(dec_chunk, good, "records[1].tx", ji(5), ZK_EENCODING, "records[1].tx",
        "chunk: tx not an object");
    bad(dec_chunk, good, "records[1].tx.amount", js("12x"), ZK_EENCODING,
        "records[1].tx.amount", "chunk: tx amount bad digits");
    bad(dec_chunk, good, "records[1].tx.colour", ji(1), ZK_EENCODING, "records[1].tx.colour",
        "chunk: unknown key in a tx");
    bad(dec_chunk, good, "records[1].tx.signature.S", ji(1), ZK_EENCODING,
        "records[1].tx.signature.S", "chunk: tx signature S as a number");
    bad(dec_chunk, good, "records[0].steps[0].active", ji(1), ZK_EENCODING,
        "records[0].steps[0].active", "chunk: active as a number");
    bad(dec_chunk, good, "records[0].steps[1].pre_exists", js("false"), ZK_EENCODING,
        "records[0].steps[1].pre_exists", "chunk: pre_exists as a string");
    bad(dec_chunk, good, "records[0].steps[1].root_after", NULL, ZK_EENCODING,
        "records[0].steps[1].root_after", "chunk: missing root_after");
    bad(dec_chunk, good, "records[1].steps[0].pre_leaf", js(R_DEC), ZK_ERANGE,
        "records[1].steps[0].pre_leaf", "chunk: pre_leaf = r");
    bad(dec_chunk, good, "records[1].steps[0].account_path[5]", js("x"), ZK_EENCODING,
        "records[1].steps[0].account_path[5]", "chunk: path entry bad digits");
    bad(dec_chunk, good, "records[1].steps[1].balance_path[1]", js(R_DEC), ZK_ERANGE,
        "records[1].steps[1].balance_path[1]", "chunk: balance path entry = r");
    bad(dec_chunk, good, "records[1].steps[0].pre.nonce", js(TWO64_DEC), ZK_EENCODING,
        "records[1].steps[0].pre.nonce", "chunk: nonce 2^64");
    bad(dec_chunk, good, "records[1].steps[0].pre.nonce", ji(((json_int_t)1 << 53) + 1),
        ZK_EENCODING, "records[1].steps[0].pre.nonce", "chunk: nonce 2^53 + 1 as a number");
    bad(dec_chunk, good, "records[1].steps[0].index", ji(-1), ZK_EENCODING,
        "records[1].steps[0].index", "chunk: step index -1");
    bad(dec_chunk, good, "records[0].steps[1].post.pubkey", jpoint("1", "2"), ZK_ENOTONCURVE,
        "records[0].steps[1].post.pubkey", "chunk: post pubkey off the curve");
    bad(dec_chunk, good, "records[2].steps[0].pre.pubkey", jpoint("0", "1x"), ZK_EENCODING,
        "records[2].steps[0].pre.pubkey", "chunk: pre pubkey bad digits");
    bad(dec_chunk, good, "settle.pre.pubkey", jpoint("5", "5"), ZK_ENOTONCURVE,
        "settle.pre.pubkey", "chunk: settle pubkey off the curve");
    bad(dec_chunk, good, "records[0].steps[0].pre.balance_root", NULL, ZK_EENCODING,
        "records[0].steps[0].pre.balance_root", "chunk: account without balance_root");
    bad(dec_chunk, good, "settle", json_array(), ZK_EENCODING, "settle",
        "chunk: settle not an object");
    bad(dec_chunk, good, "settle.post", ji(0), ZK_EENCODING, "settle.post",
        "chunk: settle post not an object");
    bad(dec_chunk, good, "settle.pre_balances[3]", js(R_DEC), ZK_ERANGE,
        "settle.pre_balances[3]", "chunk: settle pre_balance = r");

    json_t *c3 = json_deep_copy(good);
    path_shorten(c3, "records[1].steps[0].account_path");
    bad(dec_chunk, c3, NULL, NULL, ZK_EENCODING, "records[1].steps[0].account_path",
        "chunk: account path of D - 1");
    json_decref(c3);
    c3 = json_deep_copy(good);
    path_lengthen(c3, "records[3].steps[1].balance_path");
    bad(dec_chunk, c3, NULL, NULL, ZK_EENCODING, "records[3].steps[1].balance_path",
        "chunk: balance path of T + 1");
    json_decref(c3);
    c3 = json_deep_copy(good);
    path_shorten(c3, "settle.fees");
    bad(dec_chunk, c3, NULL, NULL, ZK_EENCODING, "settle.fees", "chunk: 2^T - 1 fees");
    json_decref(c3);
    c3 = json_deep_copy(good);
    path_lengthen(c3, "settle.post_balances");
    bad(dec_chunk, c3, NULL, NULL, ZK_EENCODING, "settle.post_balances",
        "chunk: 2^T + 1 post balances");
    json_decref(c3);
    c3 = json_deep_copy(good);
    path_shorten(c3, "settle.account_path");
    bad(dec_chunk, c3, NULL, NULL, ZK_EENCODING, "settle.account_path",
        "chunk: settle path of D - 1");
    json_decref(c3);
    c3 = json_deep_copy(good);
    path_lengthen(c3, "records[0].steps");
    bad(dec_chunk, c3, NULL, NULL, ZK_EENCODING, "records[0].steps", "chunk: 3 steps");
    json_decref(c3);
    c3 = json_deep_copy(good);
    path_shorten(c3, "records");
    bad(dec_chunk, c3, NULL, NULL, ZK_EENCODING, "records", "chunk: k - 1 records");
    json_decref(c3);

    /* claimed publics against the records */
    bad(dec_chunk, good, "old_root", js("5"), ZK_EVERIFY, "old_root", "chunk: claimed old_root");
    bad(dec_chunk, good, "new_root", js("5"), ZK_EVERIFY, "new_root", "chunk: claimed new_root");
    bad(dec_chunk, good, "commitment", js("5"), ZK_EVERIFY, "commitment",
        "chunk: claimed commitment");
    bad(dec_chunk, good, "records[0].old_root", js("5"), ZK_EVERIFY, "old_root",
        "chunk: record 0's old_root is not the claim");
    bad(dec_chunk, good, "settle.new_root", js("5"), ZK_EVERIFY, "new_root",
        "chunk: the settle's new_root is not the claim");
    bad(dec_chunk, good, "records[0].tx.amount", js("501"), ZK_EVERIFY, "commitment",
        "chunk: a changed amount breaks the commitment");

    /* encoder and decoder arguments */
    {
        zk_rollup_chunk_file e = f;
        e.index = 3;
        json_t *n1 = zk_rollup_json_chunk_encode(&e);
        e = f;
        e.transactions = 5;
        json_t *n2 = zk_rollup_json_chunk_encode(&e);
        e = f;
        e.key[3] = 'X';
        json_t *n3 = zk_rollup_json_chunk_encode(&e);
        zk_rollup_chunk_file g;
        ok(!n1 && !n2 && !n3 && !zk_rollup_json_chunk_encode(NULL) &&
               zk_rollup_json_chunk_decode(NULL, good, NULL) == ZK_EINVAL &&
               zk_rollup_json_chunk_decode(&g, NULL, NULL) == ZK_EINVAL &&
               g.chunk.rec == NULL,
           "chunk: encoder refuses index >= count, m > k, a bad id, NULL; decoder EINVAL");
    }
    json_decref(good);
    zk_rollup_chunk_free(&c);
    zk_rollup_state_free(st);

    /* D = 32, T = 0, k = 1 */
    zk_rollup_chunk c32;
    chunk_d32(&c32);
    zk_rollup_chunk_file f32 = file_of(&c32, 0, 1, 1);
    chunk_roundtrip(&f32, "D=32 T=0 k=1");
    json_t *g32 = zk_rollup_json_chunk_encode(&f32);
    ok(json_is_string(path_get(g32, "records[0].tx.nonce")) &&
           json_is_string(path_get(g32, "records[0].steps[0].pre.nonce")) &&
           json_integer_value(path_get(g32, "records[0].steps[0].index")) == (json_int_t)TOP32 &&
           json_array_size(path_get(g32, "records[0].steps[0].balance_path")) == 0 &&
           json_array_size(path_get(g32, "records[0].steps[0].account_path")) == 32 &&
           json_array_size(path_get(g32, "settle.fees")) == 1,
       "D=32 T=0: nonce 2^60 as a string, index 2^32 - 1, empty balance path, 1 fee");
    json_decref(g32);
    zk_rollup_chunk_free(&c32);
}

/* ------------------------------------------------------------ params */

static int dec_params(const json_t *j, const char **where)
{
    zk_rollup_params p;
    return zk_rollup_json_params_decode(&p, j, where);
}

static void test_params(void)
{
    zk_rollup_params p, q;
    memset(&p, 0, sizeof p);
    p.chunk_size = 16;
    p.depth = 24;
    p.token_depth = 4;
    p.constraints = ((uint64_t)1 << 55) + 3;
    memcpy(p.key, ID_B, ZK_ROLLUP_ID_HEX);
    json_t *j = zk_rollup_json_params_encode(&p);
    char *text = dump(j);
    j = through_text(j);
    const char *w = "unset";
    int rc = zk_rollup_json_params_decode(&q, j, &w);
    ok(rc == ZK_OK && w == NULL && q.chunk_size == 16 && q.depth == 24 && q.token_depth == 4 &&
           q.constraints == p.constraints && strcmp(q.key, ID_B) == 0,
       "params: round trip (constraints above 2^53)");
    is_str(text,
           "{\"format\":\"zkpar-params\",\"version\":1,\"chunk_size\":16,\"depth\":24,"
           "\"tokens\":4,\"constraints\":\"36028797018963971\",\"key\":\"" ID_B "\"}",
           "params: the exact text");
    free(text);

    bad(dec_params, j, "key", NULL, ZK_EENCODING, "key", "params: missing key");
    bad(dec_params, j, "key", js("abc"), ZK_EENCODING, "key", "params: short key");
    bad(dec_params, j, "constraints", js("12x"), ZK_EENCODING, "constraints",
        "params: constraints bad digits");
    bad(dec_params, j, "constraints", ji(-1), ZK_EENCODING, "constraints",
        "params: constraints -1");
    bad(dec_params, j, "chunk_size", ji(0), ZK_ERANGE, "chunk_size", "params: k = 0");
    bad(dec_params, j, "chunk_size", ji(65), ZK_ERANGE, "chunk_size", "params: k = 65");
    bad(dec_params, j, "tokens", ji(9), ZK_ERANGE, "tokens", "params: T = 9");
    bad(dec_params, j, "depth", js("24"), ZK_EENCODING, "depth", "params: D as a string");
    bad(dec_params, j, "format", js("zkpar-chunk"), ZK_EFORMAT, "format", "params: format");
    bad(dec_params, j, "version", js("1"), ZK_EENCODING, "version",
        "params: version as a string");
    bad(dec_params, j, "extra", ji(1), ZK_EENCODING, "extra", "params: unknown key");
    json_t *s = js("x");
    bad(dec_params, s, NULL, NULL, ZK_EENCODING, "(root)", "params: not an object");
    json_decref(s);
    p.chunk_size = 65;
    ok(!zk_rollup_json_params_encode(&p) && !zk_rollup_json_params_encode(NULL),
       "params: encoder refuses k = 65 and NULL");
    json_decref(j);
}

/* ------------------------------------------------------- identifiers */

static void put_fp(crypto_generichash_state *h, const zk_fp *v)
{
    uint8_t b[32];
    zk_fp_to_bytes_be(b, v);
    crypto_generichash_update(h, b, 32);
}

static void put_le32(crypto_generichash_state *h, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    crypto_generichash_update(h, b, 4);
}

/* The key id as files.h lays it out, computed here. */
static void key_id_by_hand(char out[ZK_ROLLUP_ID_HEX], const zk_groth16_vk *vk)
{
    crypto_generichash_state h;
    uint8_t d[32];
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, (const unsigned char *)"zkpar-key-v1", 12);
    put_fp(&h, &vk->alpha.x);
    put_fp(&h, &vk->alpha.y);
    const zk_g2 *g2[3] = {&vk->beta, &vk->gamma, &vk->delta};
    for (int i = 0; i < 3; i++) {
        put_fp(&h, &g2[i]->x.c0);
        put_fp(&h, &g2[i]->x.c1);
        put_fp(&h, &g2[i]->y.c0);
        put_fp(&h, &g2[i]->y.c1);
    }
    put_le32(&h, (uint32_t)vk->n_public);
    for (size_t i = 0; i <= vk->n_public; i++) {
        put_fp(&h, &vk->ic[i].x);
        put_fp(&h, &vk->ic[i].y);
    }
    crypto_generichash_final(&h, d, 32);
    sodium_bin2hex(out, ZK_ROLLUP_ID_HEX, d, 32);
}

static void test_key_id(void)
{
    zk_groth16_vk vk;
    memset(&vk, 0, sizeof vk);
    zk_g1 ic[4];
    rand_g1(&vk.alpha);
    rand_g2(&vk.beta);
    rand_g2(&vk.gamma);
    rand_g2(&vk.delta);
    for (int i = 0; i < 4; i++)
        rand_g1(&ic[i]);
    vk.n_public = 3;
    vk.ic = ic;

    char a[ZK_ROLLUP_ID_HEX], b[ZK_ROLLUP_ID_HEX], want[ZK_ROLLUP_ID_HEX];
    ok(zk_rollup_key_id(a, &vk) == ZK_OK && zk_rollup_key_id(b, &vk) == ZK_OK &&
           strcmp(a, b) == 0 && zk_rollup_id_ok(a),
       "key id: deterministic, 64 lowercase hex digits");
    key_id_by_hand(want, &vk);
    is_str(a, want, "key id: the layout of files.h (n before IC)");

    /* through verification_key.json: the same id (zk-verify reads it so) */
    json_t *jv = zk_json_vk_encode(&vk);
    zk_groth16_vk vk2;
    int rc = zk_json_vk_decode(&vk2, jv, NULL);
    ok(rc == ZK_OK && zk_rollup_key_id(b, &vk2) == ZK_OK && strcmp(a, b) == 0,
       "key id: the same after verification_key.json");
    zk_groth16_vk_free(&vk2);
    json_decref(jv);

    zk_groth16_vk v = vk;
    zk_g1 ic2[4];
    memcpy(ic2, ic, sizeof ic);
    zk_g1_neg(&ic2[1], &ic[1]);
    v.ic = ic2;
    ok(zk_rollup_key_id(b, &v) == ZK_OK && strcmp(a, b) != 0, "key id: changes with IC[1]");
    v = vk;
    zk_g2_neg(&v.delta, &vk.delta);
    ok(zk_rollup_key_id(b, &v) == ZK_OK && strcmp(a, b) != 0, "key id: changes with delta");
    v = vk;
    zk_g2_neg(&v.beta, &vk.beta);
    int c1 = zk_rollup_key_id(b, &v) == ZK_OK && strcmp(a, b) != 0;
    v = vk;
    zk_g2_neg(&v.gamma, &vk.gamma);
    int c2 = zk_rollup_key_id(b, &v) == ZK_OK && strcmp(a, b) != 0;
    v = vk;
    zk_g1_neg(&v.alpha, &vk.alpha);
    int c3 = zk_rollup_key_id(b, &v) == ZK_OK && strcmp(a, b) != 0;
    v = vk;
    v.n_public = 2;
    int c4 = zk_rollup_key_id(b, &v) == ZK_OK && strcmp(a, b) != 0;
    v = vk;
    v.has_alphabeta = 1;
    int c5 = zk_rollup_key_id(b, &v) == ZK_OK && strcmp(a, b) == 0;
    ok(c1 && c2 && c3 && c4 && c5,
       "key id: changes with beta, gamma, alpha, the IC count; not with has_alphabeta");
    v = vk;
    v.ic = NULL;
    ok(zk_rollup_key_id(b, &v) == ZK_EINVAL && zk_rollup_key_id(b, NULL) == ZK_EINVAL &&
           zk_rollup_key_id(NULL, &vk) == ZK_EINVAL,
       "key id: ZK_EINVAL");

    ok(zk_rollup_id_ok(ID_A) && !zk_rollup_id_ok(NULL) && !zk_rollup_id_ok("") &&
           !zk_rollup_id_ok(ID_A "0") &&
           !zk_rollup_id_ok("0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff") &&
           !zk_rollup_id_ok("g0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff") &&
           !zk_rollup_id_ok("A0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
       "id_ok: 64 lowercase hex only");
}

static void batch_id_by_hand(char out[ZK_ROLLUP_ID_HEX], unsigned k, unsigned D, unsigned T,
                             size_t n, const zk_fr *roots, const zk_fr *coms)
{
    crypto_generichash_state h;
    uint8_t d[32], b[32];
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, (const unsigned char *)"zkpar-batch-v1", 14);
    put_le32(&h, k);
    put_le32(&h, D);
    put_le32(&h, T);
    put_le32(&h, (uint32_t)n);
    for (size_t i = 0; i <= n; i++) {
        zk_fr_to_bytes_be(b, &roots[i]);
        crypto_generichash_update(&h, b, 32);
        if (i < n) {
            zk_fr_to_bytes_be(b, &coms[i]);
            crypto_generichash_update(&h, b, 32);
        }
    }
    crypto_generichash_final(&h, d, 32);
    sodium_bin2hex(out, ZK_ROLLUP_ID_HEX, d, 32);
}

static void test_batch_id(void)
{
    zk_fr roots[3], coms[2];
    for (int i = 0; i < 3; i++)
        zk_fr_random(&roots[i]);
    for (int i = 0; i < 2; i++)
        zk_fr_random(&coms[i]);
    char a[ZK_ROLLUP_ID_HEX], b[ZK_ROLLUP_ID_HEX], want[ZK_ROLLUP_ID_HEX];
    ok(zk_rollup_batch_id(a, 4, 6, 2, 2, roots, coms) == ZK_OK &&
           zk_rollup_batch_id(b, 4, 6, 2, 2, roots, coms) == ZK_OK && strcmp(a, b) == 0 &&
           zk_rollup_id_ok(a),
       "batch id: deterministic, 64 lowercase hex digits");
    batch_id_by_hand(want, 4, 6, 2, 2, roots, coms);
    is_str(a, want, "batch id: the layout of files.h");

    int all = 1;
    for (int i = 0; i < 3; i++) {
        zk_fr r2[3];
        memcpy(r2, roots, sizeof r2);
        zk_fr_add(&r2[i], &r2[i], &r2[i]);
        all &= zk_rollup_batch_id(b, 4, 6, 2, 2, r2, coms) == ZK_OK && strcmp(a, b) != 0;
    }
    ok(all, "batch id: changes with each root");
    all = 1;
    for (int i = 0; i < 2; i++) {
        zk_fr c2[2];
        memcpy(c2, coms, sizeof c2);
        zk_fr_add(&c2[i], &c2[i], &c2[i]);
        all &= zk_rollup_batch_id(b, 4, 6, 2, 2, roots, c2) == ZK_OK && strcmp(a, b) != 0;
    }
    ok(all, "batch id: changes with each commitment");
    ok(zk_rollup_batch_id(b, 5, 6, 2, 2, roots, coms) == ZK_OK && strcmp(a, b) != 0,
       "batch id: changes with k");
    ok(zk_rollup_batch_id(b, 4, 7, 2, 2, roots, coms) == ZK_OK && strcmp(a, b) != 0,
       "batch id: changes with D");
    ok(zk_rollup_batch_id(b, 4, 6, 3, 2, roots, coms) == ZK_OK && strcmp(a, b) != 0,
       "batch id: changes with T");
    zk_fr r1[2] = {roots[0], roots[1]};
    ok(zk_rollup_batch_id(b, 4, 6, 2, 1, r1, coms) == ZK_OK && strcmp(a, b) != 0,
       "batch id: changes with n");
    ok(zk_rollup_batch_id(b, 4, 6, 2, 0, roots, coms) == ZK_EINVAL &&
           zk_rollup_batch_id(b, 4, 6, 2, 2, NULL, coms) == ZK_EINVAL &&
           zk_rollup_batch_id(b, 4, 6, 2, 2, roots, NULL) == ZK_EINVAL &&
           zk_rollup_batch_id(NULL, 4, 6, 2, 2, roots, coms) == ZK_EINVAL,
       "batch id: ZK_EINVAL for n = 0 and NULL");
}

/* ---------------------------------------------------------- manifest */

static int dec_manifest(const json_t *j, const char **where)
{
    zk_rollup_manifest m;
    memset(&m, 0xa5, sizeof m);
    int rc = zk_rollup_json_manifest_decode(&m, j, where);
    if (rc != ZK_OK && (m.roots || m.commitments || m.skipped || m.count || m.n_skipped))
        return -100;
    zk_rollup_manifest_free(&m);
    return rc;
}

static int manifest_eq(const zk_rollup_manifest *a, const zk_rollup_manifest *b)
{
    if (strcmp(a->batch, b->batch) != 0 || strcmp(a->key, b->key) != 0 ||
        a->chunk_size != b->chunk_size || a->depth != b->depth ||
        a->token_depth != b->token_depth || a->transactions != b->transactions ||
        a->count != b->count || a->n_skipped != b->n_skipped ||
        memcmp(a->roots, b->roots, (a->count + 1) * sizeof *a->roots) != 0 ||
        memcmp(a->commitments, b->commitments, a->count * sizeof *a->commitments) != 0)
        return 0;
    for (size_t i = 0; i < a->n_skipped; i++)
        if (a->skipped[i].index != b->skipped[i].index || a->skipped[i].rule != b->skipped[i].rule)
            return 0;
    return (a->n_skipped == 0) == (b->skipped == NULL);
}

/* The round trip of m: 2 points. */
static void manifest_roundtrip(const zk_rollup_manifest *m, const char *what)
{
    json_t *j = zk_rollup_json_manifest_encode(m);
    char *text = dump(j);
    j = through_text(j);
    zk_rollup_manifest g;
    const char *w = "unset";
    int rc = zk_rollup_json_manifest_decode(&g, j, &w);
    ok(rc == ZK_OK && w == NULL && manifest_eq(m, &g), "%s: round trip", what);
    json_t *j2 = zk_rollup_json_manifest_encode(&g);
    char *text2 = dump(j2);
    is_str(text2, text, "%s: re-encoded to the same text", what);
    free(text);
    free(text2);
    json_decref(j);
    json_decref(j2);
    zk_rollup_manifest_free(&g);
}

static void test_manifest(void)
{
    zk_fr roots[3], coms[2];
    for (int i = 0; i < 3; i++)
        zk_fr_random(&roots[i]);
    for (int i = 0; i < 2; i++)
        zk_fr_random(&coms[i]);
    zk_rollup_skip skipped[3] = {{5, ZK_ROLLUP_BAD_SIGNATURE},
                                 {(uint64_t)1 << 63, ZK_ROLLUP_RECIPIENT_OVERFLOW},
                                 {7, ZK_ROLLUP_BAD_RECORD}};
    zk_rollup_manifest m;
    memset(&m, 0, sizeof m);
    memcpy(m.key, ID_B, ZK_ROLLUP_ID_HEX);
    m.chunk_size = 4;
    m.depth = 6;
    m.token_depth = 2;
    m.transactions = ((uint64_t)1 << 60) + 1;
    m.count = 2;
    m.roots = roots;
    m.commitments = coms;
    if (zk_rollup_batch_id(m.batch, 4, 6, 2, 2, roots, coms) != ZK_OK)
        bail_out("batch id");
    manifest_roundtrip(&m, "manifest without skipped");
    m.skipped = skipped;
    m.n_skipped = 3;
    manifest_roundtrip(&m, "manifest with skipped");

    json_t *good = zk_rollup_json_manifest_encode(&m);
    ok(keys_are(good, "format,version,batch,key,chunk_size,depth,tokens,transactions,chunks,"
                      "roots,commitments,skipped") &&
           keys_are(path_get(good, "skipped[0]"), "index,rule,reason") &&
           strcmp(json_string_value(path_get(good, "skipped[0].rule")), "bad-signature") == 0 &&
           strcmp(json_string_value(path_get(good, "skipped[0].reason")),
                  zk_rollup_rule_str(ZK_ROLLUP_BAD_SIGNATURE)) == 0 &&
           json_is_string(path_get(good, "skipped[1].index")) &&
           json_is_string(path_get(good, "transactions")) &&
           json_integer_value(path_get(good, "chunks")) == 2,
       "manifest: keys in order, rule names, big integers as strings");

    /* every rule name 1 .. 17 maps back */
    int all = 1;
    for (int r = 1; r < ZK_ROLLUP_RULE_COUNT; r++) {
        json_t *c = changed(good, "skipped[2].rule", js(zk_rollup_rule_name(r)));
        zk_rollup_manifest g;
        all &= zk_rollup_json_manifest_decode(&g, c, NULL) == ZK_OK &&
               g.skipped[2].rule == (zk_rollup_rule)r;
        zk_rollup_manifest_free(&g);
        json_decref(c);
    }
    ok(all, "manifest: every rule name 1 .. 17 decodes to its rule");

    bad(dec_manifest, good, "format", js("zkpar-chunk"), ZK_EFORMAT, "format",
        "manifest: format");
    bad(dec_manifest, good, "version", ji(0), ZK_EFORMAT, "version", "manifest: version 0");
    bad(dec_manifest, good, "extra", ji(0), ZK_EENCODING, "extra", "manifest: unknown key");
    bad(dec_manifest, good, "skipped", NULL, ZK_EENCODING, "skipped",
        "manifest: missing skipped");
    bad(dec_manifest, good, "skipped", json_object(), ZK_EENCODING, "skipped",
        "manifest: skipped not an array");
    bad(dec_manifest, good, "key", js(ID_A "x"), ZK_EENCODING, "key", "manifest: bad key id");
    bad(dec_manifest, good, "batch", ji(1), ZK_EENCODING, "batch",
        "manifest: batch as a number");
    bad(dec_manifest, good, "chunk_size", ji(65), ZK_ERANGE, "chunk_size", "manifest: k = 65");
    bad(dec_manifest, good, "chunks", ji(0), ZK_ERANGE, "chunks", "manifest: 0 chunks");
    bad(dec_manifest, good, "chunks", js("2x"), ZK_EENCODING, "chunks",
        "manifest: chunks bad digits");
    bad(dec_manifest, good, "transactions", ji(-3), ZK_EENCODING, "transactions",
        "manifest: transactions -3");
    bad(dec_manifest, good, "chunks", ji(3), ZK_EENCODING, "roots",
        "manifest: 3 chunks with 3 roots");
    bad(dec_manifest, good, "roots[1]", js("1.5"), ZK_EENCODING, "roots[1]",
        "manifest: a root with bad digits");
    bad(dec_manifest, good, "commitments[0]", js(R_DEC), ZK_ERANGE, "commitments[0]",
        "manifest: a commitment = r");
    bad(dec_manifest, good, "skipped[1].rule", js("bad-colour"), ZK_EENCODING,
        "skipped[1].rule", "manifest: unknown rule name");
    bad(dec_manifest, good, "skipped[1].rule", js(zk_rollup_rule_name(0)), ZK_EENCODING,
        "skipped[1].rule", "manifest: the rule name of 'valid'");
    bad(dec_manifest, good, "skipped[1].rule", ji(11), ZK_EENCODING, "skipped[1].rule",
        "manifest: a rule as a number");
    bad(dec_manifest, good, "skipped[2].reason", ji(3), ZK_EENCODING, "skipped[2].reason",
        "manifest: reason not a string");
    bad(dec_manifest, good, "skipped[0].index", ji(-1), ZK_EENCODING, "skipped[0].index",
        "manifest: skipped index -1");
    bad(dec_manifest, good, "skipped[0].note", ji(1), ZK_EENCODING, "skipped[0].note",
        "manifest: unknown key in skipped");
    bad(dec_manifest, good, "skipped[0]", ji(1), ZK_EENCODING, "skipped[0]",
        "manifest: skipped entry not an object");
    bad(dec_manifest, good, "batch", js(ID_A), ZK_EVERIFY, "batch",
        "manifest: batch id of something else");
    bad(dec_manifest, good, "roots[2]", js("5"), ZK_EVERIFY, "batch",
        "manifest: a changed root breaks the batch id");
    bad(dec_manifest, good, "commitments[1]", js("5"), ZK_EVERIFY, "batch",
        "manifest: a changed commitment breaks the batch id");
    bad(dec_manifest, good, "depth", ji(7), ZK_EVERIFY, "batch",
        "manifest: a changed D breaks the batch id");
    json_t *c = json_deep_copy(good);
    path_shorten(c, "roots");
    bad(dec_manifest, c, NULL, NULL, ZK_EENCODING, "roots", "manifest: n roots");
    json_decref(c);
    c = json_deep_copy(good);
    path_lengthen(c, "commitments");
    bad(dec_manifest, c, NULL, NULL, ZK_EENCODING, "commitments", "manifest: n + 1 commitments");
    json_decref(c);

    zk_rollup_manifest e = m;
    skipped[1].rule = ZK_ROLLUP_VALID;
    json_t *n1 = zk_rollup_json_manifest_encode(&e);
    skipped[1].rule = ZK_ROLLUP_RECIPIENT_OVERFLOW;
    e.count = 0;
    json_t *n2 = zk_rollup_json_manifest_encode(&e);
    ok(!n1 && !n2 && !zk_rollup_json_manifest_encode(NULL),
       "manifest: encoder refuses rule 0, 0 chunks, NULL");
    json_decref(good);
}

/* ------------------------------------------------------------- share */

static int dec_share(const json_t *j, const char **where)
{
    zk_rollup_share s;
    return zk_rollup_json_share_decode(&s, j, where);
}

static json_t *g1_json(const zk_g1 *p)
{
    zk_groth16_proof pr;
    memset(&pr, 0, sizeof pr);
    pr.a = *p;
    json_t *j = zk_json_proof_encode(&pr);
    json_t *a = json_deep_copy(json_object_get(j, "pi_a"));
    json_decref(j);
    return a;
}

static void test_share(void)
{
    zk_rollup_share s, g;
    memset(&s, 0, sizeof s);
    memcpy(s.batch, ID_A, ZK_ROLLUP_ID_HEX);
    memcpy(s.key, ID_B, ZK_ROLLUP_ID_HEX);
    s.index = 2;
    s.count = 5;
    s.transactions = 3;
    for (int i = 0; i < 3; i++)
        zk_fr_random(&s.pub[i]);
    rand_g1(&s.proof.a);
    rand_g2(&s.proof.b);
    rand_g1(&s.proof.c);
    json_t *j = zk_rollup_json_share_encode(&s);
    char *text = dump(j);
    j = through_text(j);
    const char *w = "unset";
    int rc = zk_rollup_json_share_decode(&g, j, &w);
    ok(rc == ZK_OK && w == NULL && strcmp(g.batch, ID_A) == 0 && strcmp(g.key, ID_B) == 0 &&
           g.index == 2 && g.count == 5 && g.transactions == 3 &&
           memcmp(g.pub, s.pub, sizeof s.pub) == 0 &&
           zk_g1_eq(&g.proof.a, &s.proof.a) && zk_g2_eq(&g.proof.b, &s.proof.b) &&
           zk_g1_eq(&g.proof.c, &s.proof.c),
       "share: round trip with a random valid proof");
    json_t *j2 = zk_rollup_json_share_encode(&g);
    char *text2 = dump(j2);
    is_str(text2, text, "share: re-encoded to the same text");
    ok(keys_are(j, "format,version,batch,index,count,key,transactions,public,proof") &&
           json_array_size(path_get(j, "public")) == 3,
       "share: keys in the order of files.h");
    free(text);
    free(text2);
    json_decref(j2);

    zk_g1 off;
    zk_fp_set_u64(&off.x, 1);
    zk_fp_set_u64(&off.y, 1);
    zk_groth16_proof twist;
    memset(&twist, 0, sizeof twist);
    twist.a = s.proof.a;
    twist.c = s.proof.c;
    zk_g2_twist_point_from_seed(&twist.b, 7);
    json_t *jt = zk_json_proof_encode(&twist);

    bad(dec_share, j, "format", js("zkpar-chunk"), ZK_EFORMAT, "format", "share: format");
    bad(dec_share, j, "version", ji(2), ZK_EFORMAT, "version", "share: version 2");
    bad(dec_share, j, "extra", ji(2), ZK_EENCODING, "extra", "share: unknown key");
    bad(dec_share, j, "proof", NULL, ZK_EENCODING, "proof", "share: missing proof");
    bad(dec_share, j, "batch", js("xyz"), ZK_EENCODING, "batch", "share: bad batch id");
    bad(dec_share, j, "key", json_null(), ZK_EENCODING, "key", "share: key null");
    bad(dec_share, j, "index", ji(5), ZK_ERANGE, "index", "share: index == count");
    bad(dec_share, j, "count", ji(-5), ZK_EENCODING, "count", "share: count -5");
    bad(dec_share, j, "transactions", js("a"), ZK_EENCODING, "transactions",
        "share: transactions bad digits");
    bad(dec_share, j, "public", ji(1), ZK_EENCODING, "public", "share: public not an array");
    bad(dec_share, j, "public[2]", js(R_DEC), ZK_ERANGE, "public[2]", "share: public = r");
    bad(dec_share, j, "public[0]", js("-1"), ZK_EENCODING, "public[0]",
        "share: public bad digits");
    json_t *c = json_deep_copy(j);
    path_shorten(c, "public");
    bad(dec_share, c, NULL, NULL, ZK_EENCODING, "public", "share: 2 public values");
    json_decref(c);
    c = json_deep_copy(j);
    path_lengthen(c, "public");
    bad(dec_share, c, NULL, NULL, ZK_EENCODING, "public", "share: 4 public values");
    json_decref(c);
    ok(good_after(dec_share, changed(j, "public[1]", js(RM1_DEC))), "share: public r - 1 is fine");
    bad(dec_share, j, "proof", js("p"), ZK_EENCODING, "proof", "share: proof not an object");
    bad(dec_share, j, "proof.pi_a", g1_json(&off), ZK_ENOTONCURVE, "proof.pi_a",
        "share: pi_a off the curve");
    bad(dec_share, j, "proof.pi_b", json_deep_copy(json_object_get(jt, "pi_b")),
        ZK_ENOTINGROUP, "proof.pi_b", "share: pi_b outside G2");
    bad(dec_share, j, "proof.pi_c", NULL, ZK_EENCODING, "proof.pi_c", "share: no pi_c");
    bad(dec_share, j, "proof.protocol", js("plonk"), ZK_EFORMAT, "proof.protocol",
        "share: proof protocol plonk");
    json_decref(jt);

    zk_rollup_share e = s;
    e.index = 5;
    ok(!zk_rollup_json_share_encode(&e) && !zk_rollup_json_share_encode(NULL) &&
           zk_rollup_json_share_decode(NULL, j, NULL) == ZK_EINVAL &&
           zk_rollup_json_share_decode(&g, NULL, NULL) == ZK_EINVAL,
       "share: encoder refuses index >= count and NULL; decoder EINVAL");
    /* where may be NULL on failure */
    json_t *c2 = changed(j, "index", ji(9));
    ok(zk_rollup_json_share_decode(&g, c2, NULL) == ZK_ERANGE, "share: where may be NULL");
    json_decref(c2);
    json_decref(j);
}

/* --------------------------------------------------------- aggregate */

#define AGG_ROWS 3

static int dec_aggregate(const json_t *j, const char **where)
{
    zk_rollup_aggregate a;
    memset(&a, 0xa5, sizeof a);
    int rc = zk_rollup_json_aggregate_decode(&a, j, where);
    if (rc != ZK_OK && (a.pub || a.proof || a.rows || a.proof_len || a.chunks))
        return -100;
    zk_rollup_aggregate_free(&a);
    return rc;
}

static int aggregate_eq(const zk_rollup_aggregate *a, const zk_rollup_aggregate *b)
{
    return strcmp(a->batch, b->batch) == 0 && strcmp(a->key, b->key) == 0 &&
           a->chunk_size == b->chunk_size && a->depth == b->depth &&
           a->token_depth == b->token_depth && a->chunks == b->chunks &&
           a->transactions == b->transactions && zk_fr_eq(&a->old_root, &b->old_root) &&
           zk_fr_eq(&a->new_root, &b->new_root) && a->rows == b->rows &&
           (a->rows == 0 ||
            memcmp(a->pub, b->pub, a->rows * ZK_ROLLUP_CHUNK_NPUBLIC * sizeof *a->pub) == 0) &&
           a->proof_len == b->proof_len &&
           (a->proof_len == 0 || memcmp(a->proof, b->proof, a->proof_len) == 0) &&
           (b->rows == 0) == (b->pub == NULL) && (b->proof_len == 0) == (b->proof == NULL);
}

/* The round trip of a through text: 2 points. */
static void aggregate_roundtrip(const zk_rollup_aggregate *a, const char *what)
{
    json_t *j = zk_rollup_json_aggregate_encode(a);
    char *text = dump(j);
    j = through_text(j);
    zk_rollup_aggregate g;
    const char *w = "unset";
    int rc = zk_rollup_json_aggregate_decode(&g, j, &w);
    ok(rc == ZK_OK && w == NULL && aggregate_eq(a, &g), "%s: round trip", what);
    json_t *j2 = zk_rollup_json_aggregate_encode(&g);
    char *text2 = dump(j2);
    is_str(text2, text, "%s: re-encoded to the same text", what);
    free(text);
    free(text2);
    json_decref(j);
    json_decref(j2);
    zk_rollup_aggregate_free(&g);
}

/* Lowercase hex of b[0 .. n), by hand (malloc'ed). */
static char *hex_of(const uint8_t *b, size_t n)
{
    static const char d[] = "0123456789abcdef";
    char *h = malloc(2 * n + 1);
    if (!h)
        bail_out("malloc");
    for (size_t i = 0; i < n; i++) {
        h[2 * i] = d[b[i] >> 4];
        h[2 * i + 1] = d[b[i] & 15];
    }
    h[2 * n] = '\0';
    return h;
}

/* A document of AGG_ROWS rows written here as text, as zk-aggregate
 * lays it out; decoded and encoded again it must come back the same. */
static const char agg_text[] =
    "{\"format\":\"zkpar-aggregate\",\"version\":1,\"batch\":\"" ID_A "\",\"key\":\"" ID_B
    "\",\"chunk_size\":2,\"depth\":8,\"tokens\":2,\"chunks\":3,\"transactions\":5,"
    "\"old_root\":\"1\",\"new_root\":\"" RM1_DEC "\","
    "\"public\":[[\"1\",\"2\",\"10\"],[\"2\",\"3\",\"11\"],[\"3\",\"" RM1_DEC "\",\"0\"]],"
    "\"proof\":\"7a6b616701020000000000000000ff\"}";

static void test_aggregate(void)
{
    zk_fr pub[AGG_ROWS * ZK_ROLLUP_CHUNK_NPUBLIC];
    for (size_t i = 0; i < AGG_ROWS * ZK_ROLLUP_CHUNK_NPUBLIC; i++)
        zk_fr_random(&pub[i]);
    uint8_t proof[300];
    randombytes_buf(proof, sizeof proof);
    proof[0] = 0x0a; /* a leading zero digit, kept */
    zk_rollup_aggregate a;
    memset(&a, 0, sizeof a);
    memcpy(a.batch, ID_A, ZK_ROLLUP_ID_HEX);
    memcpy(a.key, ID_B, ZK_ROLLUP_ID_HEX);
    a.chunk_size = 4;
    a.depth = 6;
    a.token_depth = 2;
    a.chunks = AGG_ROWS;
    a.transactions = 9;
    a.old_root = pub[0];
    a.new_root = pub[(AGG_ROWS - 1) * ZK_ROLLUP_CHUNK_NPUBLIC + 1];
    a.rows = AGG_ROWS;
    a.pub = pub;
    a.proof_len = sizeof proof;
    a.proof = proof;
    aggregate_roundtrip(&a, "aggregate");

    json_t *good = zk_rollup_json_aggregate_encode(&a);
    char *hex = hex_of(proof, sizeof proof);
    char r1[ZK_FR_DEC_MAX];
    zk_fr_to_dec(r1, &pub[ZK_ROLLUP_CHUNK_NPUBLIC + 2]);
    ok(keys_are(good, "format,version,batch,key,chunk_size,depth,tokens,chunks,transactions,"
                      "old_root,new_root,public,proof") &&
           strcmp(json_string_value(path_get(good, "format")), "zkpar-aggregate") == 0 &&
           json_integer_value(path_get(good, "chunks")) == AGG_ROWS &&
           json_integer_value(path_get(good, "transactions")) == 9 &&
           json_array_size(path_get(good, "public")) == AGG_ROWS &&
           json_array_size(path_get(good, "public[2]")) == ZK_ROLLUP_CHUNK_NPUBLIC &&
           strcmp(json_string_value(path_get(good, "public[1][2]")), r1) == 0 &&
           strcmp(json_string_value(path_get(good, "proof")), hex) == 0,
       "aggregate: keys in the order of files.h, rows of 3, proof in lowercase hex");
    free(hex);

    /* the largest counts, an empty proof, no rows: all decodable (chunks
     * = rows is the verifier's rule) */
    zk_rollup_aggregate e = a;
    e.transactions = (uint64_t)1 << 53;
    e.chunks = UINT32_MAX;
    e.proof_len = 0;
    e.proof = NULL;
    aggregate_roundtrip(&e, "aggregate with 2^32 - 1 chunks, 2^53 txs, an empty proof");
    e = a;
    e.rows = 0;
    e.pub = NULL;
    aggregate_roundtrip(&e, "aggregate with no rows");
    json_t *big = zk_rollup_json_aggregate_encode(&(zk_rollup_aggregate){
        .batch = ID_A, .key = ID_B, .chunk_size = 1, .depth = 1, .chunks = 1,
        .transactions = (uint64_t)1 << 53});
    ok(big && json_integer_value(path_get(big, "transactions")) == (json_int_t)1 << 53 &&
           strcmp(json_string_value(path_get(big, "proof")), "") == 0 &&
           json_array_size(path_get(big, "public")) == 0,
       "aggregate: transactions 2^53 as a number; an empty proof and no rows");
    json_decref(big);

    /* decode -> encode of a document written by hand: the same text */
    json_t *hand = parse(agg_text);
    zk_rollup_aggregate g;
    const char *w = "unset";
    int rc = zk_rollup_json_aggregate_decode(&g, hand, &w);
    json_t *again = rc == ZK_OK ? zk_rollup_json_aggregate_encode(&g) : NULL;
    char *text = again ? dump(again) : NULL;
    json_decref(again);
    static const uint8_t hand_proof[] = {0x7a, 0x6b, 0x61, 0x67, 1, 2, 0, 0,
                                         0,    0,    0,    0,    0, 0, 0xff};
    zk_fr rm1;
    if (zk_fr_from_dec(&rm1, RM1_DEC) != ZK_OK)
        bail_out("r - 1");
    ok(rc == ZK_OK && w == NULL && g.rows == 3 && g.chunks == 3 && g.transactions == 5 &&
           g.chunk_size == 2 && g.depth == 8 && g.token_depth == 2 &&
           zk_fr_eq(&g.new_root, &rm1) && zk_fr_eq(&g.pub[7], &rm1) &&
           g.proof_len == sizeof hand_proof && memcmp(g.proof, hand_proof, sizeof hand_proof) == 0,
       "aggregate: a document written by hand decodes");
    is_str(text, agg_text, "aggregate: decode -> encode gives the same text");
    free(text);
    zk_rollup_aggregate_free(&g);
    ok(g.pub == NULL && g.proof == NULL && g.rows == 0, "aggregate: free zeroes");
    zk_rollup_aggregate_free(NULL);

    /* uppercase hex digits are read (zk-verify always took them), and
     * written back in lowercase */
    json_t *up = changed(hand, "proof", js("7A6B616701020000000000000000FF"));
    rc = zk_rollup_json_aggregate_decode(&g, up, NULL);
    ok(rc == ZK_OK && g.proof_len == sizeof hand_proof &&
           memcmp(g.proof, hand_proof, sizeof hand_proof) == 0,
       "aggregate: uppercase hex digits decode");
    zk_rollup_aggregate_free(&g);
    json_decref(up);
    ok(good_after(dec_aggregate, changed(hand, "transactions", ji((json_int_t)1 << 53))) &&
           good_after(dec_aggregate, changed(hand, "chunks", ji(UINT32_MAX))) &&
           good_after(dec_aggregate, changed(hand, "public[0][0]", js(RM1_DEC))),
       "aggregate: transactions 2^53, chunks 2^32 - 1, a value r - 1 are fine");
    /* chunks that are not the rows, no rows at all: the verifier's rule */
    up = changed(hand, "chunks", ji(7));
    rc = zk_rollup_json_aggregate_decode(&g, up, NULL);
    ok(rc == ZK_OK && g.chunks == 7 && g.rows == 3, "aggregate: chunks 7 with 3 rows decodes");
    zk_rollup_aggregate_free(&g);
    json_decref(up);
    up = changed(hand, "public", json_array());
    rc = zk_rollup_json_aggregate_decode(&g, up, NULL);
    ok(rc == ZK_OK && g.chunks == 3 && g.rows == 0 && g.pub == NULL,
       "aggregate: no rows decodes (rows 0, pub NULL)");
    zk_rollup_aggregate_free(&g);
    json_decref(up);

    /* every member missing, in turn */
    static const char *const members[] = {"format", "version", "batch", "key", "chunk_size",
                                          "depth", "tokens", "chunks", "transactions",
                                          "old_root", "new_root", "public", "proof"};
    for (size_t i = 0; i < sizeof members / sizeof *members; i++) {
        char what[64];
        snprintf(what, sizeof what, "aggregate: missing %s", members[i]);
        bad(dec_aggregate, hand, members[i], NULL, ZK_EENCODING, members[i], what);
    }
    json_t *notobj = ji(1);
    bad(dec_aggregate, notobj, NULL, NULL, ZK_EENCODING, "(root)", "aggregate: not an object");
    json_decref(notobj);
    bad(dec_aggregate, hand, "format", js("zkpar-share"), ZK_EFORMAT, "format",
        "aggregate: format of a share");
    bad(dec_aggregate, hand, "format", json_stringn("zkpar-aggregate\0x", 17), ZK_EENCODING,
        "format", "aggregate: format with a NUL");
    bad(dec_aggregate, hand, "version", ji(2), ZK_EFORMAT, "version", "aggregate: version 2");
    bad(dec_aggregate, hand, "version", js("1"), ZK_EENCODING, "version",
        "aggregate: version as a string");
    bad(dec_aggregate, hand, "extra", ji(1), ZK_EENCODING, "extra", "aggregate: unknown key");
    bad(dec_aggregate, hand, "batch", js("ABC"), ZK_EENCODING, "batch", "aggregate: batch ABC");
    bad(dec_aggregate, hand, "batch",
        js("00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff"), ZK_EENCODING,
        "batch", "aggregate: batch id in uppercase");
    bad(dec_aggregate, hand, "key", ji(5), ZK_EENCODING, "key", "aggregate: key a number");
    bad(dec_aggregate, hand, "key", js(ID_B "0"), ZK_EENCODING, "key",
        "aggregate: key of 65 digits");
    bad(dec_aggregate, hand, "chunk_size", ji(0), ZK_ERANGE, "chunk_size", "aggregate: k = 0");
    bad(dec_aggregate, hand, "chunk_size", ji(65), ZK_ERANGE, "chunk_size", "aggregate: k = 65");
    bad(dec_aggregate, hand, "chunk_size", js("2"), ZK_EENCODING, "chunk_size",
        "aggregate: k as a string");
    bad(dec_aggregate, hand, "depth", ji(33), ZK_ERANGE, "depth", "aggregate: D = 33");
    bad(dec_aggregate, hand, "tokens", ji(9), ZK_ERANGE, "tokens", "aggregate: T = 9");
    bad(dec_aggregate, hand, "chunks", ji(0), ZK_ERANGE, "chunks", "aggregate: 0 chunks");
    bad(dec_aggregate, hand, "chunks", ji((json_int_t)1 << 32), ZK_ERANGE, "chunks",
        "aggregate: 2^32 chunks");
    bad(dec_aggregate, hand, "chunks", ji(-1), ZK_EENCODING, "chunks", "aggregate: chunks -1");
    bad(dec_aggregate, hand, "chunks", json_real(3.0), ZK_EENCODING, "chunks",
        "aggregate: chunks 3.0");
    bad(dec_aggregate, hand, "chunks", js("3"), ZK_EENCODING, "chunks",
        "aggregate: chunks as a string");
    bad(dec_aggregate, hand, "transactions", ji(-1), ZK_EENCODING, "transactions",
        "aggregate: transactions -1");
    bad(dec_aggregate, hand, "transactions", ji(((json_int_t)1 << 53) + 1), ZK_EENCODING,
        "transactions", "aggregate: transactions 2^53 + 1");
    bad(dec_aggregate, hand, "transactions", js("5"), ZK_EENCODING, "transactions",
        "aggregate: transactions as a string");
    bad(dec_aggregate, hand, "old_root", js(R_DEC), ZK_ERANGE, "old_root",
        "aggregate: old_root = r");
    bad(dec_aggregate, hand, "new_root", js("0x1"), ZK_EENCODING, "new_root",
        "aggregate: new_root in hex");
    bad(dec_aggregate, hand, "new_root", ji(1), ZK_EENCODING, "new_root",
        "aggregate: new_root a number");
    bad(dec_aggregate, hand, "public", json_object(), ZK_EENCODING, "public",
        "aggregate: public an object");
    bad(dec_aggregate, hand, "public[1]", js("1"), ZK_EENCODING, "public[1]",
        "aggregate: a row a string");
    bad(dec_aggregate, hand, "public[0][2]", js(R_DEC), ZK_ERANGE, "public[0][2]",
        "aggregate: a value = r");
    bad(dec_aggregate, hand, "public[2][1]", js("-1"), ZK_EENCODING, "public[2][1]",
        "aggregate: a value -1");
    bad(dec_aggregate, hand, "public[1][0]", ji(2), ZK_EENCODING, "public[1][0]",
        "aggregate: a value a number");
    json_t *c = json_deep_copy(hand);
    path_shorten(c, "public[1]");
    bad(dec_aggregate, c, NULL, NULL, ZK_EENCODING, "public[1]", "aggregate: a row of 2");
    json_decref(c);
    c = json_deep_copy(hand);
    path_lengthen(c, "public[2]");
    bad(dec_aggregate, c, NULL, NULL, ZK_EENCODING, "public[2]", "aggregate: a row of 4");
    json_decref(c);
    bad(dec_aggregate, hand, "proof", js("xyz0"), ZK_EENCODING, "proof",
        "aggregate: proof xyz0");
    bad(dec_aggregate, hand, "proof", js("abc"), ZK_EENCODING, "proof",
        "aggregate: proof of odd length");
    bad(dec_aggregate, hand, "proof", js("ab cd"), ZK_EENCODING, "proof",
        "aggregate: proof with a space");
    bad(dec_aggregate, hand, "proof", json_stringn("ab\0cd0", 6), ZK_EENCODING, "proof",
        "aggregate: proof with a NUL");
    bad(dec_aggregate, hand, "proof", ji(5), ZK_EENCODING, "proof", "aggregate: proof 5");
    bad(dec_aggregate, hand, "proof", json_array(), ZK_EENCODING, "proof",
        "aggregate: proof an array");

    /* the encoder refuses what the decoder refuses on its face */
    e = a;
    e.chunks = 0;
    json_t *n1 = zk_rollup_json_aggregate_encode(&e);
    e.chunks = (uint64_t)UINT32_MAX + 1;
    json_t *n2 = zk_rollup_json_aggregate_encode(&e);
    e = a;
    e.batch[0] = 'A';
    json_t *n3 = zk_rollup_json_aggregate_encode(&e);
    e = a;
    e.token_depth = 9;
    json_t *n4 = zk_rollup_json_aggregate_encode(&e);
    e = a;
    e.pub = NULL;
    json_t *n5 = zk_rollup_json_aggregate_encode(&e);
    e = a;
    e.proof = NULL;
    json_t *n6 = zk_rollup_json_aggregate_encode(&e);
    e = a;
    e.transactions = ((uint64_t)1 << 53) + 1;
    json_t *n7 = zk_rollup_json_aggregate_encode(&e);
    ok(!n1 && !n2 && !n3 && !n4 && !n5 && !n6 && !n7 && !zk_rollup_json_aggregate_encode(NULL),
       "aggregate: encoder refuses chunks 0 and 2^32, a bad id, T = 9, rows without pub, "
       "a length without proof, 2^53 + 1 txs, NULL");
    ok(zk_rollup_json_aggregate_decode(NULL, hand, NULL) == ZK_EINVAL &&
           zk_rollup_json_aggregate_decode(&g, NULL, NULL) == ZK_EINVAL && g.pub == NULL,
       "aggregate: decoder EINVAL for NULL");
    c = changed(hand, "public[0][0]", js(R_DEC));
    ok(zk_rollup_json_aggregate_decode(&g, c, NULL) == ZK_ERANGE && g.pub == NULL &&
           g.rows == 0,
       "aggregate: where may be NULL; a failure past the rows frees them");
    json_decref(c);
    c = changed(hand, "proof", js("0"));
    ok(dec_aggregate(c, NULL) == ZK_EENCODING, "aggregate: a bad proof after good rows: zeroed");
    json_decref(c);
    json_decref(hand);
    json_decref(good);
}

static void test_id_bytes(void)
{
    uint8_t b[ZK_ROLLUP_ID_BYTES], want[ZK_ROLLUP_ID_BYTES];
    for (int i = 0; i < 16; i++)
        want[i] = want[16 + i] = (uint8_t)(i * 0x11);
    ok(zk_rollup_id_bytes(b, ID_A) == ZK_OK && memcmp(b, want, sizeof b) == 0,
       "id bytes: " ID_A);
    memset(b, 0x5a, sizeof b);
    uint8_t same[ZK_ROLLUP_ID_BYTES];
    memset(same, 0x5a, sizeof same);
    ok(zk_rollup_id_bytes(b, "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff") ==
               ZK_EENCODING &&
           zk_rollup_id_bytes(b, "0011") == ZK_EENCODING &&
           zk_rollup_id_bytes(b, ID_A "0") == ZK_EENCODING &&
           zk_rollup_id_bytes(b, NULL) == ZK_EENCODING && memcmp(b, same, sizeof b) == 0 &&
           zk_rollup_id_bytes(NULL, ID_A) == ZK_EINVAL,
       "id bytes: uppercase, short, long, NULL refused, out untouched");
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    plan(244);
    test_params();
    test_key_id();
    test_batch_id();
    test_chunks();
    test_manifest();
    test_share();
    test_aggregate();
    test_id_bytes();
    return done_testing();
}
