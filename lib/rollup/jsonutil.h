/*
 * jsonutil.h -- the JSON helpers that rollup/json.c and rollup/files.c
 * share (internal; not installed): failure names for `where`, uint64 and
 * small integers, field elements and Baby Jubjub points, and the checks of
 * objects and documents.  The conventions are json.h's: field elements
 * are decimal strings, points ["x", "y"], uint64 values JSON numbers up to
 * 2^53 and decimal strings above.
 *
 * Decoders (zk_rj_get_*) return ZK_OK or a zk_err code and name nothing:
 * the caller knows the member and passes its name to zk_rj_fail.  The
 * checks (zk_rj_check_*) name the failing part themselves.  Encoders
 * (zk_rj_put_*, zk_rj_new_document) return a new reference or NULL when
 * memory runs out.
 *
 * WHERE: names built from parts (zk_rj_where_fmt, zk_rj_at, the checks)
 * live in one thread-local buffer of ZK_RJ_WHERE_MAX bytes (longer names
 * are cut), shared by every decoder of json.h and files.h: the next name
 * built on the same thread overwrites it, so a caller that builds a name
 * from another decoder's *where copies that first.
 *
 * Time behaviour: variable time (public data only).  Thread-safe: no
 * shared mutable state (the where buffer is per thread).
 */
#ifndef ZK_ROLLUP_JSONUTIL_H
#define ZK_ROLLUP_JSONUTIL_H

#include <jansson.h>
#include <stdint.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "util/err.h"

/* The size of the where buffer, NUL included. */
#define ZK_RJ_WHERE_MAX 192

/* ------------------------------------------------------------ where */

/* *where = w when where is not NULL; returns rc (for `return
 * zk_rj_fail(where, "depth", rc);`). */
int zk_rj_fail(const char **where, const char *w, int rc);

/* The printf-formatted name in the where buffer.  Arguments must not
 * point into the where buffer. */
const char *zk_rj_where_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "pre.name" (in the where buffer), or name itself at the top level (pre
 * NULL).  pre must not point into the where buffer. */
const char *zk_rj_at(const char *pre, const char *name);

/* ------------------------------------------------------------ values */

/* Whether x is a JSON string without a NUL in it. */
int zk_rj_is_plain_string(const json_t *x);

/* *v = x, a uint64: a JSON integer 0 .. 2^53 or a plain decimal string
 * of digits only, at least one, < 2^64.  ZK_EENCODING otherwise (*v
 * unchanged). */
ZK_WUR int zk_rj_get_u64(uint64_t *v, const json_t *x);

/* v as a JSON integer up to 2^53, else as a decimal string. */
json_t *zk_rj_put_u64(uint64_t v);

/* *v = x, a JSON integer in [lo, hi]: ZK_EENCODING when not an integer,
 * ZK_ERANGE when out of range (*v unchanged on error). */
ZK_WUR int zk_rj_get_small(unsigned *v, const json_t *x, unsigned lo, unsigned hi);

/* *r = x, a plain decimal string (zk_fr_from_dec: ZK_EENCODING for bad
 * digits, ZK_ERANGE for a value >= r); ZK_EENCODING when not a plain
 * string. */
ZK_WUR int zk_rj_get_fr(zk_fr *r, const json_t *x);

/* v as a decimal string. */
json_t *zk_rj_put_fr(const zk_fr *v);

/* *p = x, ["x", "y"] (ZK_EENCODING for another shape, zk_rj_get_fr's
 * codes for a coordinate), a point of Baby Jubjub or, when allow_zero,
 * (0, 0); ZK_ENOTONCURVE otherwise.  *p may be written on error. */
ZK_WUR int zk_rj_get_point(zk_bj *p, const json_t *x, int allow_zero);

/* p as ["x", "y"]. */
json_t *zk_rj_put_point(const zk_bj *p);

/* obj[key] = v, or v appended to the array obj when key is NULL; v is
 * stolen (NULL: failure, as for an encoder that ran out of memory).
 * 0 or -1. */
int zk_rj_put(json_t *obj, const char *key, json_t *v);

/* ------------------------------------------------------------ objects */

/* obj is an object with no key outside names (NULL-terminated); keys of
 * names may be missing.  ZK_EENCODING naming obj (pre, or "(root)" when
 * pre is NULL: the document) when it is not an object, or the first
 * unknown key ("pre.key", the key cut at 64 bytes). */
ZK_WUR int zk_rj_check_object(const json_t *obj, const char *const *names, const char *pre,
                              const char **where);

/* zk_rj_check_object, then every key of names present: ZK_EENCODING at
 * the first missing one ("pre.name"), in the order of names. */
ZK_WUR int zk_rj_check_object_exact(const json_t *obj, const char *const *names,
                                    const char *pre, const char **where);

/* A document: an object ("(root)", ZK_EENCODING), "format" a string
 * (ZK_EENCODING) equal to format (ZK_EFORMAT), "version" an integer
 * (ZK_EENCODING) equal to 1 (ZK_EFORMAT), in that order; then
 * zk_rj_check_object_exact with names (which include "format" and
 * "version") at the top level. */
ZK_WUR int zk_rj_check_document(const json_t *j, const char *format, const char *const *names,
                                const char **where);

/* {"format": format, "version": 1}, for the caller to fill. */
json_t *zk_rj_new_document(const char *format);

#endif
