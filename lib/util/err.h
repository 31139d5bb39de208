/*
 * err.h -- the one error enum of libzkpar.
 *
 * Every fallible library function returns int: 0 (ZK_OK) on success or a
 * negative zk_err.  The library never prints or exits; tools turn a code
 * plus their own context (file name, field) into a message.
 *
 * Verification separates "invalid" (ZK_EVERIFY: the input was well formed
 * and the check says no) from every other code ("could not check").
 */
#ifndef ZK_ERR_H
#define ZK_ERR_H

#ifdef __GNUC__
#define ZK_WUR __attribute__((warn_unused_result))
#else
#define ZK_WUR
#endif

typedef enum zk_err {
    ZK_OK = 0,
    ZK_ENOMEM = -1,        /* allocation failed */
    ZK_EINVAL = -2,        /* bad argument (programming error or usage) */
    ZK_EIO = -3,           /* read/write/mmap failed; errno is kept */
    ZK_EENCODING = -4,     /* wrong length, bad digit, bad syntax */
    ZK_ERANGE = -5,        /* field element >= modulus, integer too large */
    ZK_ENOTONCURVE = -6,   /* coordinates do not satisfy the curve equation */
    ZK_ENOTINGROUP = -7,   /* on the curve but outside the order-r subgroup */
    ZK_EFORMAT = -8,       /* well-formed bytes, wrong file format/version */
    ZK_EVERIFY = -9,       /* proof or check is invalid */
    ZK_ENOTSQUARE = -10,   /* square root of a non-residue */
    ZK_EZERO = -11,        /* inverse of zero */
    ZK_ETHREAD = -12,      /* thread creation failed */
    ZK_EUNSUPPORTED = -13  /* valid but not supported by this build */
} zk_err;

/* A short English description of code; never NULL. */
const char *zk_strerror(int code);

#endif
