/*
 * json.c -- snarkjs JSON (proof, public signals, verification key); see
 * json.h for the layouts and the error contract.
 */
#include "io/json.h"
#include "curve/pairing.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ where */

static _Thread_local char where_buf[48];

static const char *where_indexed(const char *name, size_t i)
{
    snprintf(where_buf, sizeof where_buf, "%s[%zu]", name, i);
    return where_buf;
}

/* Set *where (if asked) and return rc. */
static int fail(const char **where, const char *w, int rc)
{
    if (where)
        *where = w;
    return rc;
}

/* ------------------------------------------------------------ decoding */

/* n decimal strings from the JSON array j (exactly n entries). */
static int get_strings(const char **out, size_t n, const json_t *j)
{
    if (!json_is_array(j) || json_array_size(j) != n)
        return ZK_EENCODING;
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(j, i);
        if (!json_is_string(s))
            return ZK_EENCODING;
        out[i] = json_string_value(s);
    }
    return ZK_OK;
}

int zk_json_g1_decode(zk_g1 *r, const json_t *j)
{
    const char *s[3];
    int rc = get_strings(s, 3, j);
    if (rc != 0)
        return rc;
    return zk_g1_from_dec(r, s);
}

int zk_json_g2_decode(zk_g2 *r, const json_t *j)
{
    const char *s[6];
    if (!json_is_array(j) || json_array_size(j) != 3)
        return ZK_EENCODING;
    for (size_t i = 0; i < 3; i++) {
        int rc = get_strings(s + 2 * i, 2, json_array_get(j, i));
        if (rc != 0)
            return rc;
    }
    return zk_g2_from_dec(r, s);
}

static int fp12_decode(zk_fp12 *r, const json_t *j)
{
    zk_fp c[ZK_FP12_NCOEFF];
    if (!json_is_array(j) || json_array_size(j) != 2)
        return ZK_EENCODING;
    for (size_t a = 0; a < 2; a++) {
        const json_t *ja = json_array_get(j, a);
        if (!json_is_array(ja) || json_array_size(ja) != 3)
            return ZK_EENCODING;
        for (size_t b = 0; b < 3; b++) {
            const char *s[2];
            int rc = get_strings(s, 2, json_array_get(ja, b));
            if (rc != 0)
                return rc;
            for (size_t k = 0; k < 2; k++)
                if ((rc = zk_fp_from_dec(&c[a * 6 + b * 2 + k], s[k])) != 0)
                    return rc;
        }
    }
    zk_fp12_set_coeffs(r, c);
    return ZK_OK;
}

/* Optional "protocol" / "curve" members of obj. */
static int check_ids(const json_t *obj, const char **where)
{
    const json_t *p = json_object_get(obj, "protocol");
    if (p) {
        if (!json_is_string(p))
            return fail(where, "protocol", ZK_EENCODING);
        if (strcmp(json_string_value(p), "groth16") != 0)
            return fail(where, "protocol", ZK_EFORMAT);
    }
    const json_t *c = json_object_get(obj, "curve");
    if (c) {
        if (!json_is_string(c))
            return fail(where, "curve", ZK_EENCODING);
        const char *s = json_string_value(c);
        if (strcmp(s, "bn128") != 0 && strcmp(s, "bn254") != 0)
            return fail(where, "curve", ZK_EFORMAT);
    }
    return ZK_OK;
}

/* Decode member `key` of obj as G1 / G2; a missing member is ZK_EENCODING. */
static int member_g1(zk_g1 *r, const json_t *obj, const char *key, const char **where)
{
    int rc = zk_json_g1_decode(r, json_object_get(obj, key)); /* NULL: not an array */
    return rc != 0 ? fail(where, key, rc) : ZK_OK;
}

static int member_g2(zk_g2 *r, const json_t *obj, const char *key, const char **where)
{
    int rc = zk_json_g2_decode(r, json_object_get(obj, key));
    return rc != 0 ? fail(where, key, rc) : ZK_OK;
}

int zk_json_proof_decode(zk_groth16_proof *out, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!out || !j)
        return ZK_EINVAL;
    if (!json_is_object(j))
        return fail(where, "(root)", ZK_EENCODING);
    int rc;
    if ((rc = check_ids(j, where)) != 0)
        return rc;
    zk_groth16_proof p;
    if ((rc = member_g1(&p.a, j, "pi_a", where)) != 0 ||
        (rc = member_g2(&p.b, j, "pi_b", where)) != 0 ||
        (rc = member_g1(&p.c, j, "pi_c", where)) != 0)
        return rc;
    *out = p;
    return ZK_OK;
}

int zk_json_public_decode(zk_fr **vals, size_t *n, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (vals)
        *vals = NULL;
    if (n)
        *n = 0;
    if (!vals || !n || !j)
        return ZK_EINVAL;
    if (!json_is_array(j))
        return fail(where, "(root)", ZK_EENCODING);
    size_t m = json_array_size(j);
    if (m == 0)
        return ZK_OK;
    zk_fr *v = malloc(m * sizeof *v);
    if (!v)
        return ZK_ENOMEM;
    for (size_t i = 0; i < m; i++) {
        const json_t *s = json_array_get(j, i);
        int rc = json_is_string(s) ? zk_fr_from_dec(&v[i], json_string_value(s)) : ZK_EENCODING;
        if (rc != 0) {
            free(v);
            return fail(where, where_indexed("public", i), rc);
        }
    }
    *vals = v;
    *n = m;
    return ZK_OK;
}

void zk_groth16_vk_free(zk_groth16_vk *vk)
{
    if (!vk)
        return;
    free(vk->ic);
    memset(vk, 0, sizeof *vk);
}

int zk_json_vk_decode(zk_groth16_vk *out, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!out || !j)
        return ZK_EINVAL;
    memset(out, 0, sizeof *out);
    if (!json_is_object(j))
        return fail(where, "(root)", ZK_EENCODING);
    int rc;
    if ((rc = check_ids(j, where)) != 0)
        return rc;
    zk_groth16_vk vk;
    memset(&vk, 0, sizeof vk);

    const json_t *np = json_object_get(j, "nPublic");
    if (!json_is_integer(np) || json_integer_value(np) < 0 ||
        (uintmax_t)json_integer_value(np) >= SIZE_MAX / sizeof(zk_g1))
        return fail(where, "nPublic", ZK_EENCODING);
    vk.n_public = (size_t)json_integer_value(np);

    if ((rc = member_g1(&vk.alpha, j, "vk_alpha_1", where)) != 0 ||
        (rc = member_g2(&vk.beta, j, "vk_beta_2", where)) != 0 ||
        (rc = member_g2(&vk.gamma, j, "vk_gamma_2", where)) != 0 ||
        (rc = member_g2(&vk.delta, j, "vk_delta_2", where)) != 0)
        return rc;

    const json_t *ab = json_object_get(j, "vk_alphabeta_12");
    if (ab) {
        /* snarkjs writes e(alpha, beta) in the same pairing convention as
         * zk_pairing (see pairing.h): a key whose value differs is corrupt */
        zk_fp12 e;
        if ((rc = fp12_decode(&vk.alphabeta, ab)) != 0)
            return fail(where, "vk_alphabeta_12", rc);
        zk_pairing(&e, &vk.alpha, &vk.beta);
        if (!zk_fp12_eq(&e, &vk.alphabeta))
            return fail(where, "vk_alphabeta_12", ZK_EENCODING);
        vk.has_alphabeta = 1;
    }

    const json_t *ic = json_object_get(j, "IC");
    if (!json_is_array(ic) || json_array_size(ic) != vk.n_public + 1)
        return fail(where, "IC", ZK_EENCODING);
    vk.ic = malloc((vk.n_public + 1) * sizeof *vk.ic);
    if (!vk.ic)
        return ZK_ENOMEM;
    for (size_t i = 0; i <= vk.n_public; i++) {
        if ((rc = zk_json_g1_decode(&vk.ic[i], json_array_get(ic, i))) != 0) {
            free(vk.ic);
            return fail(where, where_indexed("IC", i), rc);
        }
    }
    *out = vk;
    return ZK_OK;
}

/* ------------------------------------------------------------ encoding */

/* An array of n decimal strings, or NULL. */
static json_t *strings(const char *const *s, size_t n)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(a, json_string(s[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* Set obj[key] = v when key, else append v to the array obj; v is stolen
 * (freed on failure) and may be NULL (failure).  0 or -1. */
static int put(json_t *obj, const char *key, json_t *v)
{
    if (!v)
        return -1;
    return key ? json_object_set_new(obj, key, v) : json_array_append_new(obj, v);
}

json_t *zk_json_g1_encode(const zk_g1 *p)
{
    char d[3][ZK_FP_DEC_MAX];
    zk_g1_to_dec(d, p);
    const char *s[3] = {d[0], d[1], d[2]};
    return strings(s, 3);
}

json_t *zk_json_g2_encode(const zk_g2 *p)
{
    char d[6][ZK_FP_DEC_MAX];
    zk_g2_to_dec(d, p);
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (size_t i = 0; i < 3; i++) {
        const char *s[2] = {d[2 * i], d[2 * i + 1]};
        if (put(a, NULL, strings(s, 2)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *fp12_encode(const zk_fp12 *f)
{
    zk_fp c[ZK_FP12_NCOEFF];
    zk_fp12_get_coeffs(c, f);
    json_t *top = json_array();
    if (!top)
        return NULL;
    for (size_t a = 0; a < 2; a++) {
        json_t *ja = json_array();
        if (put(top, NULL, ja) != 0)
            goto fail;
        for (size_t b = 0; b < 3; b++) {
            char d[2][ZK_FP_DEC_MAX];
            zk_fp_to_dec(d[0], &c[a * 6 + b * 2]);
            zk_fp_to_dec(d[1], &c[a * 6 + b * 2 + 1]);
            const char *s[2] = {d[0], d[1]};
            if (put(ja, NULL, strings(s, 2)) != 0)
                goto fail;
        }
    }
    return top;
fail:
    json_decref(top);
    return NULL;
}

json_t *zk_json_proof_encode(const zk_groth16_proof *p)
{
    if (!p)
        return NULL;
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (put(o, "pi_a", zk_json_g1_encode(&p->a)) != 0 || put(o, "pi_b", zk_json_g2_encode(&p->b)) != 0 ||
        put(o, "pi_c", zk_json_g1_encode(&p->c)) != 0 ||
        put(o, "protocol", json_string("groth16")) != 0 ||
        put(o, "curve", json_string("bn128")) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *zk_json_public_encode(const zk_fr *vals, size_t n)
{
    if (!vals && n > 0)
        return NULL;
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char d[ZK_FR_DEC_MAX];
        zk_fr_to_dec(d, &vals[i]);
        if (put(a, NULL, json_string(d)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

json_t *zk_json_vk_encode(const zk_groth16_vk *vk)
{
    if (!vk || !vk->ic || (uintmax_t)vk->n_public >= (uintmax_t)LLONG_MAX)
        return NULL;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_t *ic = NULL;
    if (put(o, "protocol", json_string("groth16")) != 0 ||
        put(o, "curve", json_string("bn128")) != 0 ||
        put(o, "nPublic", json_integer((json_int_t)vk->n_public)) != 0 ||
        put(o, "vk_alpha_1", zk_json_g1_encode(&vk->alpha)) != 0 ||
        put(o, "vk_beta_2", zk_json_g2_encode(&vk->beta)) != 0 ||
        put(o, "vk_gamma_2", zk_json_g2_encode(&vk->gamma)) != 0 ||
        put(o, "vk_delta_2", zk_json_g2_encode(&vk->delta)) != 0 ||
        (vk->has_alphabeta && put(o, "vk_alphabeta_12", fp12_encode(&vk->alphabeta)) != 0) ||
        put(o, "IC", ic = json_array()) != 0)
        goto fail;
    for (size_t i = 0; i <= vk->n_public; i++)
        if (put(ic, NULL, zk_json_g1_encode(&vk->ic[i])) != 0)
            goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}
