/*
 * json.c -- the rollup's JSON files: state, wallet keys, transactions and
 * batches (json.h has the layouts and the error contract).
 *
 * Choices json.h leaves open, made here:
 *  - every object refuses keys it does not know (ZK_EENCODING, *where =
 *    the key, e.g. "accounts[2].colour"); a document's "format" and
 *    "version" are checked before that, so a file of another kind is
 *    named as such (ZK_EFORMAT) rather than by its first unknown key;
 *  - a transaction's "type" is required; its other fields default to 0;
 *    a signature, when present, needs both "R8" and "S";
 *  - a state's accounts are in strictly ascending index order (so a
 *    duplicate index is ZK_EENCODING at the repeated entry's "index"),
 *    and a state without an account 0 is ZK_EENCODING at "accounts";
 *  - points in a transaction (a deposit's pubkey, R8) may be (0, 0),
 *    the value of an unused or not yet signed field; any other value must
 *    be on the curve;
 *  - uint64 integers are written as JSON numbers up to 2^53 and as
 *    decimal strings above (JavaScript readers keep them exact); every
 *    decoder of such an integer takes both.
 */
#include "rollup/json.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollup/jsonutil.h"

/* ----------------------------------------------------- 256-bit integers */

/* Digits only, at least one. */
static int all_digits(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* A 256-bit integer (little-endian limbs) from decimal: ZK_EENCODING for
 * bad digits or a value >= 2^256. */
static int u256_from_dec(uint64_t out[4], const char *s)
{
    uint32_t w[8] = {0};
    if (!all_digits(s))
        return ZK_EENCODING;
    for (; *s; s++) {
        uint64_t carry = (uint64_t)(*s - '0');
        for (int k = 0; k < 8; k++) {
            uint64_t t = (uint64_t)w[k] * 10 + carry;
            w[k] = (uint32_t)t;
            carry = t >> 32;
        }
        if (carry != 0)
            return ZK_EENCODING;
    }
    for (int k = 0; k < 4; k++)
        out[k] = (uint64_t)w[2 * k] | (uint64_t)w[2 * k + 1] << 32;
    return ZK_OK;
}

/* At most 78 digits (2^256 - 1) and a NUL. */
#define U256_DEC_MAX 80

static void u256_to_dec(char out[U256_DEC_MAX], const uint64_t in[4])
{
    uint32_t w[8];
    char rev[U256_DEC_MAX];
    size_t n = 0;
    int nonzero;
    for (int k = 0; k < 4; k++) {
        w[2 * k] = (uint32_t)in[k];
        w[2 * k + 1] = (uint32_t)(in[k] >> 32);
    }
    do {
        uint64_t rem = 0;
        nonzero = 0;
        for (int k = 7; k >= 0; k--) {
            uint64_t cur = rem << 32 | w[k];
            w[k] = (uint32_t)(cur / 10);
            rem = cur % 10;
            nonzero |= w[k] != 0;
        }
        rev[n++] = (char)('0' + rem);
    } while (nonzero);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
}

static int bj_is_zero(const zk_bj *p)
{
    return zk_fr_is_zero(&p->x) && zk_fr_is_zero(&p->y);
}

/* ---------------------------------------------------------------- state */

static const char *const state_names[] = {"format", "version", "depth", "tokens",
                                          "root", "accounts", NULL};
static const char *const account_names[] = {"index", "pubkey", "nonce", "balances", NULL};

json_t *zk_rollup_json_state_encode(const zk_rollup_state *st)
{
    if (!st || zk_rollup_state_pending(NULL, 0, st) != 0)
        return NULL;
    unsigned depth = zk_rollup_state_depth(st), tdepth = zk_rollup_state_token_depth(st);
    size_t ntok = (size_t)1 << tdepth, n = zk_rollup_state_count(st);
    uint64_t *idx = malloc((n > 0 ? n : 1) * sizeof *idx);
    json_t *o = zk_rj_new_document("zkpar-state"), *accts = NULL;
    zk_fr root;
    if (!idx || !o || zk_rollup_state_indices(idx, n, st) != 0)
        goto fail;
    zk_rollup_state_root(&root, st);
    if (zk_rj_put(o, "depth", json_integer(depth)) != 0 ||
        zk_rj_put(o, "tokens", json_integer(tdepth)) != 0 ||
        zk_rj_put(o, "root", zk_rj_put_fr(&root)) != 0 ||
        zk_rj_put(o, "accounts", accts = json_array()) != 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        zk_rollup_account a;
        int exists = 0;
        json_t *e = json_object(), *bal = NULL;
        if (zk_rj_put(accts, NULL, e) != 0 ||
            zk_rollup_state_get(&a, NULL, &exists, st, idx[i]) != 0 || !exists ||
            zk_rj_put(e, "index", zk_rj_put_u64(idx[i])) != 0 ||
            zk_rj_put(e, "pubkey", zk_rj_put_point(&a.pubkey)) != 0 ||
            zk_rj_put(e, "nonce", zk_rj_put_u64(a.nonce)) != 0 ||
            zk_rj_put(e, "balances", bal = json_array()) != 0)
            goto fail;
        for (size_t t = 0; t < ntok; t++) {
            zk_fr b;
            if (zk_rollup_state_balance(&b, st, idx[i], t) != 0 ||
                zk_rj_put(bal, NULL, zk_rj_put_fr(&b)) != 0)
                goto fail;
        }
    }
    free(idx);
    return o;
fail:
    free(idx);
    json_decref(o);
    return NULL;
}

/* One account entry, decoded into *in (its balances into bal[0 .. ntok));
 * pre = "accounts[i]".  The state's own checks come with put_many. */
static int account_decode(zk_rollup_account_in *in, unsigned depth, const json_t *e,
                          const char *pre, uint64_t *prev, int first, zk_fr *bal,
                          size_t ntok, const char **where)
{
    int rc = zk_rj_check_object_exact(e, account_names, pre, where);
    if (rc != 0)
        return rc;
    uint64_t index, nonce;
    zk_bj a;
    if ((rc = zk_rj_get_u64(&index, json_object_get(e, "index"))) != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "index"), rc);
    if (index >> depth != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "index"), ZK_ERANGE);
    if (!first && index <= *prev)
        return zk_rj_fail(where, zk_rj_at(pre, "index"), ZK_EENCODING);
    if ((rc = zk_rj_get_point(&a, json_object_get(e, "pubkey"), 0)) != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "pubkey"), rc);
    if (zk_bj_is_small_order(&a))
        return zk_rj_fail(where, zk_rj_at(pre, "pubkey"), ZK_ENOTINGROUP);
    if ((rc = zk_rj_get_u64(&nonce, json_object_get(e, "nonce"))) != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "nonce"), rc);
    const json_t *b = json_object_get(e, "balances");
    if (!json_is_array(b) || json_array_size(b) != ntok)
        return zk_rj_fail(where, zk_rj_at(pre, "balances"), ZK_EENCODING);
    for (size_t t = 0; t < ntok; t++) {
        if ((rc = zk_rj_get_fr(&bal[t], json_array_get(b, t))) == 0 &&
            !zk_rollup_fits(&bal[t], ZK_ROLLUP_AMOUNT_BITS))
            rc = ZK_ERANGE;
        if (rc != 0)
            return zk_rj_fail(where, zk_rj_where_fmt("%s.balances[%zu]", pre, t), rc);
    }
    *in = (zk_rollup_account_in){index, a, nonce, bal};
    *prev = index;
    return ZK_OK;
}

int zk_rollup_json_state_decode(zk_rollup_state **out, const json_t *j, zk_pool *pool,
                                const char **where)
{
    if (where)
        *where = NULL;
    if (out)
        *out = NULL;
    if (!out || !j)
        return ZK_EINVAL;
    unsigned depth, tdepth;
    zk_fr root, got;
    int rc = zk_rj_check_document(j, "zkpar-state", state_names, where);
    if (rc != 0)
        return rc;
    if ((rc = zk_rj_get_small(&depth, json_object_get(j, "depth"), 1, ZK_ROLLUP_DEPTH_MAX)) != 0)
        return zk_rj_fail(where, "depth", rc);
    if ((rc = zk_rj_get_small(&tdepth, json_object_get(j, "tokens"), 0,
                              ZK_ROLLUP_TOKEN_DEPTH_MAX)) != 0)
        return zk_rj_fail(where, "tokens", rc);
    if ((rc = zk_rj_get_fr(&root, json_object_get(j, "root"))) != 0)
        return zk_rj_fail(where, "root", rc);
    const json_t *accts = json_object_get(j, "accounts");
    if (!json_is_array(accts))
        return zk_rj_fail(where, "accounts", ZK_EENCODING);

    size_t ntok = (size_t)1 << tdepth, n = json_array_size(accts);
    if (n > SIZE_MAX / (ntok * sizeof(zk_fr)))
        return ZK_ENOMEM;
    zk_fr *bal = malloc((n ? n : 1) * ntok * sizeof *bal);
    zk_rollup_account_in *in = malloc((n ? n : 1) * sizeof *in);
    zk_rollup_state *st = NULL;
    rc = ZK_ENOMEM;
    if (!bal || !in)
        goto done;
    uint64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        char pre[40];
        snprintf(pre, sizeof pre, "accounts[%zu]", i);
        rc = account_decode(&in[i], depth, json_array_get(accts, i), pre, &prev, i == 0,
                            bal + i * ntok, ntok, where);
        if (rc != 0)
            goto done;
    }
    /* every account at once: each node of the account tree hashed once */
    size_t bad = n;
    if ((rc = zk_rollup_state_new(&st, depth, tdepth)) != 0)
        goto done;
    if ((rc = zk_rollup_state_put_many(st, in, n, pool, &bad)) != 0) {
        if (bad < n)
            rc = zk_rj_fail(where, zk_rj_where_fmt("accounts[%zu]", bad), rc);
        goto done;
    }
    int exists = 0;
    if (n == 0 || zk_rollup_state_get(NULL, NULL, &exists, st, 0) != 0 || !exists) {
        rc = zk_rj_fail(where, "accounts", ZK_EENCODING);
        goto done;
    }
    zk_rollup_state_root(&got, st);
    if (!zk_fr_eq(&got, &root)) {
        rc = zk_rj_fail(where, "root", ZK_EVERIFY);
        goto done;
    }
    *out = st;
    st = NULL;
done:
    zk_rollup_state_free(st);
    free(bal);
    free(in);
    return rc;
}

/* ----------------------------------------------------------------- keys */

int zk_rollup_keys_alloc(zk_rollup_keys *out, size_t n)
{
    if (!out)
        return ZK_EINVAL;
    memset(out, 0, sizeof *out);
    size_t m = n > 0 ? n : 1;
    if (m > SIZE_MAX / sizeof(zk_bj))
        return ZK_ENOMEM;
    if (sodium_init() < 0)
        return ZK_ENOMEM;
    out->index = calloc(m, sizeof *out->index);
    out->pubkey = calloc(m, sizeof *out->pubkey);
    out->sk = sodium_malloc(m * sizeof *out->sk);
    if (!out->index || !out->pubkey || !out->sk) {
        zk_rollup_keys_free(out);
        return ZK_ENOMEM;
    }
    sodium_memzero(out->sk, m * sizeof *out->sk);
    out->n = n;
    return ZK_OK;
}

void zk_rollup_keys_free(zk_rollup_keys *k)
{
    if (!k)
        return;
    if (k->sk) {
        sodium_memzero(k->sk, k->n * sizeof *k->sk);
        sodium_free(k->sk); /* wipes the whole block too */
    }
    free(k->index);
    free(k->pubkey);
    memset(k, 0, sizeof *k);
}

const uint8_t *zk_rollup_keys_find(const zk_rollup_keys *k, uint64_t index)
{
    if (!k)
        return NULL;
    for (size_t i = 0; i < k->n; i++)
        if (k->index[i] == index)
            return k->sk[i];
    return NULL;
}

/* The secret as 64 lowercase hex digits in a JSON string; the hex text
 * passes through sodium_malloc memory only (jansson copies it). */
static json_t *put_secret(const uint8_t sk[ZK_EDDSA_SECRET_BYTES], char *hex)
{
    sodium_bin2hex(hex, 2 * ZK_EDDSA_SECRET_BYTES + 1, sk, ZK_EDDSA_SECRET_BYTES);
    json_t *s = json_string(hex);
    sodium_memzero(hex, 2 * ZK_EDDSA_SECRET_BYTES + 1);
    return s;
}

/* sk = the 64 hex digits of x (either case), decoded straight into the
 * caller's (sodium_malloc) buffer; wiped on error. */
static int get_secret(uint8_t sk[ZK_EDDSA_SECRET_BYTES], const json_t *x)
{
    if (!json_is_string(x) || json_string_length(x) != 2 * ZK_EDDSA_SECRET_BYTES)
        return ZK_EENCODING;
    const char *hex = json_string_value(x), *end = NULL;
    size_t len = 0;
    if (sodium_hex2bin(sk, ZK_EDDSA_SECRET_BYTES, hex, 2 * ZK_EDDSA_SECRET_BYTES, NULL, &len,
                       &end) != 0 ||
        len != ZK_EDDSA_SECRET_BYTES || end != hex + 2 * ZK_EDDSA_SECRET_BYTES) {
        sodium_memzero(sk, ZK_EDDSA_SECRET_BYTES);
        return ZK_EENCODING;
    }
    return ZK_OK;
}

/* secret and pubkey members of e into sk / *a, checking the pair. */
static int key_pair_decode(uint8_t sk[ZK_EDDSA_SECRET_BYTES], zk_bj *a, const json_t *e,
                           const char *pre, const char **where)
{
    zk_bj derived;
    int rc = get_secret(sk, json_object_get(e, "secret"));
    if (rc != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "secret"), rc);
    if ((rc = zk_rj_get_point(a, json_object_get(e, "pubkey"), 0)) != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "pubkey"), rc);
    if ((rc = zk_eddsa_pubkey(&derived, sk)) != 0)
        return rc;
    if (!zk_bj_eq(&derived, a))
        return zk_rj_fail(where, zk_rj_at(pre, "pubkey"), ZK_EVERIFY);
    return ZK_OK;
}

static const char *const keys_names[] = {"format", "version", "keys", NULL};
static const char *const keys_entry_names[] = {"index", "secret", "pubkey", NULL};
static const char *const key_names[] = {"format", "version", "secret", "pubkey", NULL};

json_t *zk_rollup_json_keys_encode(const zk_rollup_keys *k)
{
    if (!k || (k->n > 0 && (!k->index || !k->sk || !k->pubkey)))
        return NULL;
    char *hex = sodium_malloc(2 * ZK_EDDSA_SECRET_BYTES + 1);
    json_t *o = zk_rj_new_document("zkpar-keys"), *arr = NULL;
    if (!hex || !o || zk_rj_put(o, "keys", arr = json_array()) != 0)
        goto fail;
    for (size_t i = 0; i < k->n; i++) {
        json_t *e = json_object();
        if (zk_rj_put(arr, NULL, e) != 0 ||
            zk_rj_put(e, "index", zk_rj_put_u64(k->index[i])) != 0 ||
            zk_rj_put(e, "secret", put_secret(k->sk[i], hex)) != 0 ||
            zk_rj_put(e, "pubkey", zk_rj_put_point(&k->pubkey[i])) != 0)
            goto fail;
    }
    sodium_free(hex);
    return o;
fail:
    if (hex)
        sodium_free(hex);
    json_decref(o);
    return NULL;
}

typedef struct {
    uint64_t index;
    size_t pos;
} index_pos;

static int index_pos_cmp(const void *a, const void *b)
{
    const index_pos *x = a, *y = b;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return x->pos < y->pos ? -1 : (x->pos > y->pos);
}

/* The position of the first entry (in file order) whose index an earlier
 * entry has, or n when the indices are unique.  -1: out of memory. */
static int first_repeat(size_t *pos, const uint64_t *index, size_t n)
{
    *pos = n;
    if (n < 2)
        return 0;
    index_pos *v = malloc(n * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++) {
        v[i].index = index[i];
        v[i].pos = i;
    }
    qsort(v, n, sizeof *v, index_pos_cmp);
    for (size_t i = 1; i < n; i++)
        if (v[i].index == v[i - 1].index && v[i].pos < *pos && v[i - 1].pos < v[i].pos)
            *pos = v[i].pos;
    free(v);
    return 0;
}

int zk_rollup_json_keys_decode(zk_rollup_keys *out, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!out || !j)
        return ZK_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = zk_rj_check_document(j, "zkpar-keys", keys_names, where);
    if (rc != 0)
        return rc;
    const json_t *arr = json_object_get(j, "keys");
    if (!json_is_array(arr))
        return zk_rj_fail(where, "keys", ZK_EENCODING);
    size_t n = json_array_size(arr), rep;
    zk_rollup_keys k;
    if ((rc = zk_rollup_keys_alloc(&k, n)) != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(arr, i);
        char pre[40];
        snprintf(pre, sizeof pre, "keys[%zu]", i);
        if ((rc = zk_rj_check_object_exact(e, keys_entry_names, pre, where)) != 0)
            goto fail;
        if ((rc = zk_rj_get_u64(&k.index[i], json_object_get(e, "index"))) != 0) {
            rc = zk_rj_fail(where, zk_rj_at(pre, "index"), rc);
            goto fail;
        }
        if ((rc = key_pair_decode(k.sk[i], &k.pubkey[i], e, pre, where)) != 0)
            goto fail;
    }
    if (first_repeat(&rep, k.index, n) != 0) {
        rc = ZK_ENOMEM;
        goto fail;
    }
    if (rep < n) {
        rc = zk_rj_fail(where, zk_rj_where_fmt("keys[%zu].index", rep), ZK_EENCODING);
        goto fail;
    }
    *out = k;
    return ZK_OK;
fail:
    zk_rollup_keys_free(&k);
    return rc;
}

json_t *zk_rollup_json_key_encode(const uint8_t sk[ZK_EDDSA_SECRET_BYTES], const zk_bj *pubkey)
{
    if (!sk || !pubkey)
        return NULL;
    char *hex = sodium_malloc(2 * ZK_EDDSA_SECRET_BYTES + 1);
    json_t *o = zk_rj_new_document("zkpar-key");
    if (!hex || !o || zk_rj_put(o, "secret", put_secret(sk, hex)) != 0 ||
        zk_rj_put(o, "pubkey", zk_rj_put_point(pubkey)) != 0) {
        json_decref(o);
        o = NULL;
    }
    if (hex)
        sodium_free(hex);
    return o;
}

int zk_rollup_json_key_decode(uint8_t sk[ZK_EDDSA_SECRET_BYTES], zk_bj *pubkey,
                              const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!sk || !pubkey || !j)
        return ZK_EINVAL;
    zk_bj a;
    int rc = zk_rj_check_document(j, "zkpar-key", key_names, where);
    if (rc == 0)
        rc = key_pair_decode(sk, &a, j, NULL, where);
    if (rc != 0) {
        sodium_memzero(sk, ZK_EDDSA_SECRET_BYTES);
        return rc;
    }
    *pubkey = a;
    return ZK_OK;
}

/* ---------------------------------------------------------- transactions */

static const char *const tx_names[] = {"type", "from", "to", "token", "amount", "fee",
                                       "nonce", "l1_recipient", "pubkey", "signature",
                                       NULL};
static const char *const sig_names[] = {"R8", "S", NULL};

enum {
    U_FROM = 1 << 0,
    U_TO = 1 << 1,
    U_TOKEN = 1 << 2,
    U_AMOUNT = 1 << 3,
    U_FEE = 1 << 4,
    U_NONCE = 1 << 5,
    U_L1 = 1 << 6,
    U_PUBKEY = 1 << 7,
    U_SIG = 1 << 8
};

/* The fields a type uses (tx.h's table); 0 for unknown types. */
static unsigned type_uses(uint32_t type)
{
    switch (type) {
    case ZK_ROLLUP_DEPOSIT:
        return U_TO | U_TOKEN | U_AMOUNT | U_PUBKEY;
    case ZK_ROLLUP_TRANSFER:
        return U_FROM | U_TO | U_TOKEN | U_AMOUNT | U_FEE | U_NONCE | U_SIG;
    case ZK_ROLLUP_WITHDRAW:
        return U_FROM | U_TOKEN | U_AMOUNT | U_FEE | U_NONCE | U_L1 | U_SIG;
    default:
        return 0;
    }
}

/* l1_recipient: "0x" + 40 lowercase hex digits below 2^160, else decimal
 * (so that an invalid value survives a round trip). */
static json_t *put_l1(const zk_fr *v)
{
    if (!zk_rollup_fits(v, ZK_ROLLUP_L1_BITS))
        return zk_rj_put_fr(v);
    uint8_t be[32];
    char s[2 + 40 + 1] = "0x";
    zk_fr_to_bytes_be(be, v);
    sodium_bin2hex(s + 2, sizeof s - 2, be + 12, 20);
    return json_string(s);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int get_l1(zk_fr *r, const json_t *x)
{
    if (!zk_rj_is_plain_string(x))
        return ZK_EENCODING;
    const char *s = json_string_value(x);
    if (s[0] != '0' || s[1] != 'x')
        return zk_fr_from_dec(r, s);
    size_t n = strlen(s + 2);
    if (n < 1 || n > 40)
        return ZK_EENCODING;
    uint8_t be[32] = {0};
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(s[2 + i]);
        if (d < 0)
            return ZK_EENCODING;
        size_t nib = n - 1 - i; /* nibble number from the low end */
        be[31 - nib / 2] |= (uint8_t)(nib % 2 ? d << 4 : d);
    }
    return zk_fr_from_bytes_be(r, be);
}

static json_t *put_type(uint32_t type)
{
    const char *name = zk_rollup_tx_type_name(type);
    return name ? json_string(name) : json_integer((json_int_t)type);
}

static int get_type(uint32_t *type, const json_t *x)
{
    if (json_is_integer(x)) {
        json_int_t v = json_integer_value(x);
        if (v < 0 || v > (json_int_t)UINT32_MAX)
            return ZK_EENCODING;
        *type = (uint32_t)v;
        return ZK_OK;
    }
    if (!json_is_string(x))
        return ZK_EENCODING;
    for (uint32_t t = 0; t < 4; t++)
        if (strcmp(json_string_value(x), zk_rollup_tx_type_name(t)) == 0 &&
            json_string_length(x) == strlen(zk_rollup_tx_type_name(t))) {
            *type = t;
            return ZK_OK;
        }
    return ZK_EENCODING;
}

static int sig_is_zero(const zk_eddsa_sig *s)
{
    return bj_is_zero(&s->r8) && (s->s[0] | s->s[1] | s->s[2] | s->s[3]) == 0;
}

static json_t *put_sig(const zk_eddsa_sig *sig)
{
    char d[U256_DEC_MAX];
    json_t *o = json_object();
    u256_to_dec(d, sig->s);
    if (!o || zk_rj_put(o, "R8", zk_rj_put_point(&sig->r8)) != 0 ||
        zk_rj_put(o, "S", json_string(d)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *zk_rollup_json_tx_encode(const zk_rollup_tx *tx)
{
    if (!tx)
        return NULL;
    unsigned u = type_uses(tx->type);
    json_t *o = json_object();
    if (!o || zk_rj_put(o, "type", put_type(tx->type)) != 0 ||
        ((u & U_FROM || tx->from) && zk_rj_put(o, "from", zk_rj_put_u64(tx->from)) != 0) ||
        ((u & U_TO || tx->to) && zk_rj_put(o, "to", zk_rj_put_u64(tx->to)) != 0) ||
        ((u & U_TOKEN || tx->token) && zk_rj_put(o, "token", zk_rj_put_u64(tx->token)) != 0) ||
        ((u & U_AMOUNT || !zk_fr_is_zero(&tx->amount)) &&
         zk_rj_put(o, "amount", zk_rj_put_fr(&tx->amount)) != 0) ||
        ((u & U_FEE || !zk_fr_is_zero(&tx->fee)) &&
         zk_rj_put(o, "fee", zk_rj_put_fr(&tx->fee)) != 0) ||
        ((u & U_NONCE || tx->nonce) && zk_rj_put(o, "nonce", zk_rj_put_u64(tx->nonce)) != 0) ||
        ((u & U_L1 || !zk_fr_is_zero(&tx->l1_recipient)) &&
         zk_rj_put(o, "l1_recipient", put_l1(&tx->l1_recipient)) != 0) ||
        ((u & U_PUBKEY || !bj_is_zero(&tx->pubkey)) &&
         zk_rj_put(o, "pubkey", zk_rj_put_point(&tx->pubkey)) != 0) ||
        ((u & U_SIG || !sig_is_zero(&tx->sig)) &&
         zk_rj_put(o, "signature", put_sig(&tx->sig)) != 0)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int sig_decode(zk_eddsa_sig *sig, const json_t *x, const char *pre, const char **where)
{
    char p[64];
    snprintf(p, sizeof p, "%s%ssignature", pre ? pre : "", pre ? "." : "");
    int rc = zk_rj_check_object_exact(x, sig_names, p, where);
    if (rc != 0)
        return rc;
    const json_t *r8 = json_object_get(x, "R8"), *s = json_object_get(x, "S");
    if ((rc = zk_rj_get_point(&sig->r8, r8, 1)) != 0)
        return zk_rj_fail(where, zk_rj_at(p, "R8"), rc);
    if (!zk_rj_is_plain_string(s) || u256_from_dec(sig->s, json_string_value(s)) != 0)
        return zk_rj_fail(where, zk_rj_at(p, "S"), ZK_EENCODING);
    return ZK_OK;
}

/* One transaction object; pre names it in *where (NULL at the top). */
static int tx_decode_at(zk_rollup_tx *out, const json_t *j, const char *pre, const char **where)
{
    zk_rollup_tx tx;
    memset(&tx, 0, sizeof tx);
    int rc = zk_rj_check_object(j, tx_names, pre, where);
    if (rc != 0)
        return rc;
    const json_t *x;
    if ((rc = get_type(&tx.type, json_object_get(j, "type"))) != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "type"), rc);
#define U64_FIELD(name)                                                            \
    if ((x = json_object_get(j, #name)) && (rc = zk_rj_get_u64(&tx.name, x)) != 0) \
        return zk_rj_fail(where, zk_rj_at(pre, #name), rc);
#define FR_FIELD(name)                                                            \
    if ((x = json_object_get(j, #name)) && (rc = zk_rj_get_fr(&tx.name, x)) != 0) \
        return zk_rj_fail(where, zk_rj_at(pre, #name), rc);
    U64_FIELD(from)
    U64_FIELD(to)
    U64_FIELD(token)
    FR_FIELD(amount)
    FR_FIELD(fee)
    U64_FIELD(nonce)
#undef U64_FIELD
#undef FR_FIELD
    if ((x = json_object_get(j, "l1_recipient")) && (rc = get_l1(&tx.l1_recipient, x)) != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "l1_recipient"), rc);
    if ((x = json_object_get(j, "pubkey")) && (rc = zk_rj_get_point(&tx.pubkey, x, 1)) != 0)
        return zk_rj_fail(where, zk_rj_at(pre, "pubkey"), rc);
    if ((x = json_object_get(j, "signature")) && (rc = sig_decode(&tx.sig, x, pre, where)) != 0)
        return rc;
    memcpy(out, &tx, sizeof tx); /* padding included: decoded txs compare with memcmp */
    return ZK_OK;
}

int zk_rollup_json_tx_decode(zk_rollup_tx *tx, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!tx || !j)
        return ZK_EINVAL;
    memset(tx, 0, sizeof *tx);
    return tx_decode_at(tx, j, NULL, where);
}

/* ----------------------------------------------------------------- batch */

static const char *const batch_names[] = {"format", "version", "depth", "tokens",
                                          "state_root", "transactions", NULL};

void zk_rollup_batch_free(zk_rollup_batch *b)
{
    if (!b)
        return;
    free(b->tx);
    memset(b, 0, sizeof *b);
}

json_t *zk_rollup_json_batch_encode(const zk_rollup_batch *b)
{
    if (!b || (b->n > 0 && !b->tx))
        return NULL;
    json_t *o = zk_rj_new_document("zkpar-batch"), *arr = NULL;
    if (!o || zk_rj_put(o, "depth", json_integer(b->depth)) != 0 ||
        zk_rj_put(o, "tokens", json_integer(b->token_depth)) != 0 ||
        zk_rj_put(o, "state_root", zk_rj_put_fr(&b->state_root)) != 0 ||
        zk_rj_put(o, "transactions", arr = json_array()) != 0)
        goto fail;
    for (size_t i = 0; i < b->n; i++)
        if (zk_rj_put(arr, NULL, zk_rollup_json_tx_encode(&b->tx[i])) != 0)
            goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

int zk_rollup_json_batch_decode(zk_rollup_batch *out, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!out || !j)
        return ZK_EINVAL;
    memset(out, 0, sizeof *out);
    zk_rollup_batch b;
    memset(&b, 0, sizeof b);
    int rc = zk_rj_check_document(j, "zkpar-batch", batch_names, where);
    if (rc != 0)
        return rc;
    if ((rc = zk_rj_get_small(&b.depth, json_object_get(j, "depth"), 1, ZK_ROLLUP_DEPTH_MAX)) != 0)
        return zk_rj_fail(where, "depth", rc);
    if ((rc = zk_rj_get_small(&b.token_depth, json_object_get(j, "tokens"), 0,
                              ZK_ROLLUP_TOKEN_DEPTH_MAX)) != 0)
        return zk_rj_fail(where, "tokens", rc);
    if ((rc = zk_rj_get_fr(&b.state_root, json_object_get(j, "state_root"))) != 0)
        return zk_rj_fail(where, "state_root", rc);
    const json_t *arr = json_object_get(j, "transactions");
    if (!json_is_array(arr))
        return zk_rj_fail(where, "transactions", ZK_EENCODING);
    b.n = json_array_size(arr);
    if (b.n > 0) {
        if (b.n > SIZE_MAX / sizeof *b.tx || !(b.tx = calloc(b.n, sizeof *b.tx)))
            return ZK_ENOMEM;
    }
    for (size_t i = 0; i < b.n; i++) {
        char pre[40];
        snprintf(pre, sizeof pre, "transactions[%zu]", i);
        if ((rc = tx_decode_at(&b.tx[i], json_array_get(arr, i), pre, where)) != 0) {
            free(b.tx);
            return rc;
        }
    }
    *out = b;
    return ZK_OK;
}
