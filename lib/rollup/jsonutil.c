/*
 * jsonutil.c -- the JSON helpers of rollup/json.c and rollup/files.c
 * (jsonutil.h has the contract).
 */
#include "rollup/jsonutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NUMBER_MAX ((uint64_t)1 << 53)

/* ------------------------------------------------------------ where */

static _Thread_local char where_buf[ZK_RJ_WHERE_MAX];

int zk_rj_fail(const char **where, const char *w, int rc)
{
    if (where)
        *where = w;
    return rc;
}

const char *zk_rj_where_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(where_buf, sizeof where_buf, fmt, ap);
    va_end(ap);
    return where_buf;
}

const char *zk_rj_at(const char *pre, const char *name)
{
    return pre ? zk_rj_where_fmt("%s.%s", pre, name) : name;
}

/* ------------------------------------------------------------ values */

int zk_rj_is_plain_string(const json_t *x)
{
    return json_is_string(x) && strlen(json_string_value(x)) == json_string_length(x);
}

int zk_rj_get_u64(uint64_t *v, const json_t *x)
{
    if (json_is_integer(x)) {
        json_int_t i = json_integer_value(x);
        if (i < 0 || (uint64_t)i > NUMBER_MAX)
            return ZK_EENCODING;
        *v = (uint64_t)i;
        return ZK_OK;
    }
    if (!zk_rj_is_plain_string(x))
        return ZK_EENCODING;
    const char *s = json_string_value(x);
    if (*s == '\0')
        return ZK_EENCODING;
    uint64_t r = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return ZK_EENCODING;
        uint64_t d = (uint64_t)(*s - '0');
        if (r > (UINT64_MAX - d) / 10)
            return ZK_EENCODING;
        r = r * 10 + d;
    }
    *v = r;
    return ZK_OK;
}

json_t *zk_rj_put_u64(uint64_t v)
{
    if (v <= NUMBER_MAX)
        return json_integer((json_int_t)v);
    char d[24];
    snprintf(d, sizeof d, "%llu", (unsigned long long)v);
    return json_string(d);
}

int zk_rj_get_small(unsigned *v, const json_t *x, unsigned lo, unsigned hi)
{
    if (!json_is_integer(x))
        return ZK_EENCODING;
    json_int_t i = json_integer_value(x);
    if (i < (json_int_t)lo || i > (json_int_t)hi)
        return ZK_ERANGE;
    *v = (unsigned)i;
    return ZK_OK;
}

int zk_rj_get_fr(zk_fr *r, const json_t *x)
{
    if (!zk_rj_is_plain_string(x))
        return ZK_EENCODING;
    return zk_fr_from_dec(r, json_string_value(x));
}

json_t *zk_rj_put_fr(const zk_fr *v)
{
    char d[ZK_FR_DEC_MAX];
    zk_fr_to_dec(d, v);
    return json_string(d);
}

int zk_rj_get_point(zk_bj *p, const json_t *x, int allow_zero)
{
    if (!json_is_array(x) || json_array_size(x) != 2)
        return ZK_EENCODING;
    int rc;
    if ((rc = zk_rj_get_fr(&p->x, json_array_get(x, 0))) != 0 ||
        (rc = zk_rj_get_fr(&p->y, json_array_get(x, 1))) != 0)
        return rc;
    if (allow_zero && zk_fr_is_zero(&p->x) && zk_fr_is_zero(&p->y))
        return ZK_OK;
    return zk_bj_is_on_curve(p) ? ZK_OK : ZK_ENOTONCURVE;
}

json_t *zk_rj_put_point(const zk_bj *p)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    if (zk_rj_put(a, NULL, zk_rj_put_fr(&p->x)) != 0 ||
        zk_rj_put(a, NULL, zk_rj_put_fr(&p->y)) != 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

int zk_rj_put(json_t *obj, const char *key, json_t *v)
{
    if (!v)
        return -1;
    return key ? json_object_set_new(obj, key, v) : json_array_append_new(obj, v);
}

/* ------------------------------------------------------------ objects */

/* The first key of obj not in names[] (NULL-terminated), or NULL. */
static const char *unknown_key(const json_t *obj, const char *const *names)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        (void)v;
        size_t i;
        for (i = 0; names[i]; i++)
            if (strcmp(key, names[i]) == 0)
                break;
        if (!names[i])
            return key;
    }
    return NULL;
}

int zk_rj_check_object(const json_t *obj, const char *const *names, const char *pre,
                       const char **where)
{
    if (!json_is_object(obj))
        return zk_rj_fail(where, pre ? zk_rj_where_fmt("%s", pre) : "(root)", ZK_EENCODING);
    const char *k = unknown_key(obj, names);
    if (k)
        return zk_rj_fail(where,
                          pre ? zk_rj_where_fmt("%s.%.64s", pre, k) : zk_rj_where_fmt("%.64s", k),
                          ZK_EENCODING);
    return ZK_OK;
}

int zk_rj_check_object_exact(const json_t *obj, const char *const *names, const char *pre,
                             const char **where)
{
    int rc = zk_rj_check_object(obj, names, pre, where);
    if (rc != 0)
        return rc;
    for (size_t i = 0; names[i]; i++)
        if (!json_object_get(obj, names[i]))
            return zk_rj_fail(where, zk_rj_at(pre, names[i]), ZK_EENCODING);
    return ZK_OK;
}

int zk_rj_check_document(const json_t *j, const char *format, const char *const *names,
                         const char **where)
{
    if (!json_is_object(j))
        return zk_rj_fail(where, "(root)", ZK_EENCODING);
    const json_t *f = json_object_get(j, "format");
    if (!json_is_string(f))
        return zk_rj_fail(where, "format", ZK_EENCODING);
    if (json_string_length(f) != strlen(format) || strcmp(json_string_value(f), format) != 0)
        return zk_rj_fail(where, "format", ZK_EFORMAT);
    const json_t *v = json_object_get(j, "version");
    if (!json_is_integer(v))
        return zk_rj_fail(where, "version", ZK_EENCODING);
    if (json_integer_value(v) != 1)
        return zk_rj_fail(where, "version", ZK_EFORMAT);
    return zk_rj_check_object_exact(j, names, NULL, where);
}

json_t *zk_rj_new_document(const char *format)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (zk_rj_put(o, "format", json_string(format)) != 0 ||
        zk_rj_put(o, "version", json_integer(1)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}
