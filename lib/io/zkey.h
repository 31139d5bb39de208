/*
 * zkey.h -- snarkjs Groth16 proving keys (.zkey, version 1, protocol 1),
 * as written by `snarkjs groth16 setup` / `zkey contribute` and read by
 * snarkjs and rapidsnark (docs: research formats.md 2.4; the reference to
 * read is snarkjs src/zkey_utils.js, zkey_new.js).
 *
 * Container: iden3 binary file (binfile.h), magic "zkey", version 1.
 *   1  header:          u32 protocol (1 = Groth16; PLONK/FFLONK refused)
 *   2  Groth16 header:  u32 n8q = 32, q; u32 n8r = 32, r; u32 nVars,
 *                       u32 nPublic, u32 domainSize; alpha1, beta1 (G1),
 *                       beta2, gamma2 (G2), delta1 (G1), delta2 (G2)
 *   3  IC:              nPublic + 1 G1 points
 *   4  coefficients:    u32 n, then n times (u32 matrix 0 = A / 1 = B,
 *                       u32 row, u32 wire, 32-byte value c * R^2 mod r LE)
 *   5  A:               nVars G1 points        6  B1: nVars G1 points
 *   7  B2:              nVars G2 points        8  C:  nVars - nPublic - 1 G1
 *   9  H:               domainSize G1 points
 *  10  MPC parameters:  64-byte circuit hash, u32 n, n contributions
 * Points are affine, x then y, each coordinate 32 bytes little-endian in
 * Montgomery form (Fp2 as c0, c1); infinity is all zeros.  That is the
 * byte image of zk_g1 / zk_g2 on a little-endian machine, so the reader
 * uses the big sections in place inside the mapped file when they are
 * 8-byte aligned and copies them otherwise.  (Each 12-byte section header
 * moves the next payload by 4 mod 8, so in a snarkjs file consecutive
 * point sections alternate: about half of them are copied.)
 *
 * Validation on reading: magic, version, protocol, section sizes against
 * the header's counts, q and r equal to BN254's, domainSize a power of two
 * >= 2 and <= 2^28, nPublic < nVars, every field element < its modulus,
 * coefficient rows < domainSize and wires < nVars, every point on its
 * curve, the header's G2 points and IC in their subgroups (G1 has cofactor
 * 1).  Membership of the nVars B2 points in G2 costs about 0.1 ms a point
 * (seconds for a large key), so it is done only under ZK_ZKEY_CHECK_G2;
 * without it a prover must check what it derives from B2 (the proof's B,
 * see groth16.h).  The checks run in parallel on the pool.
 *
 * Values here are public (no constant-time claims).  A zk_zkey is
 * read-only after loading and may be shared by threads.
 */
#ifndef ZK_IO_ZKEY_H
#define ZK_IO_ZKEY_H

#include <stddef.h>
#include <stdint.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fr.h"
#include "util/err.h"
#include "util/pool.h"

#define ZK_ZKEY_VERSION 1u
#define ZK_ZKEY_PROTOCOL_GROTH16 1u
/* The largest domain accepted (the NTT's limit). */
#define ZK_ZKEY_MAX_LOG_DOMAIN 28u
/* The size of one record of section 4 (see coefs_raw). */
#define ZK_ZKEY_COEF_BYTES 44u

/* One non-zero coefficient of the A or B matrix. */
typedef struct {
    uint32_t matrix; /* 0 = A, 1 = B */
    uint32_t row;    /* < domain_size */
    uint32_t wire;   /* < n_vars */
    zk_fr value;     /* the coefficient c as a zk_fr (file: c * R^2 mod r) */
} zk_zkey_coef;

/* One phase-2 contribution (section 10), as snarkjs writes it. */
typedef struct {
    zk_g1 delta_after;       /* delta1 after this contribution */
    zk_g1 g1_s, g1_sx;       /* proof of knowledge of the delta factor x */
    zk_g2 g2_spx;
    uint8_t transcript[64];  /* BLAKE2b-512 challenge */
    uint32_t type;           /* 0 = contribution, 1 = beacon */
    char name[256];          /* NUL-terminated, "" when absent (<= 255 bytes,
                                the format's limit; snarkjs writes up to 64
                                UTF-16 units, zkpar up to 64 bytes) */
    int has_name;
    uint8_t num_iterations_exp;  /* beacon only */
    uint8_t beacon_hash[255];    /* beacon only */
    uint8_t beacon_hash_len;
} zk_zkey_contribution;

typedef struct zk_zkey {
    uint32_t n_vars;      /* witness length, wire 0 included */
    uint32_t n_public;    /* public outputs + public inputs (wire 0 excluded) */
    uint32_t domain_size; /* 2^log_domain */
    uint32_t log_domain;

    zk_g1 alpha1, beta1, delta1;
    zk_g2 beta2, gamma2, delta2;

    /* The arrays.  In a key from zk_zkey_read they may point into the
     * read-only mapping of the file: never write through them.  In a key
     * from zk_zkey_alloc they are owned, writable buffers.  An array of
     * no elements (c without private wires, coefs, contributions) is
     * NULL. */
    zk_g1 *ic;                    /* n_public + 1 */
    zk_zkey_coef *coefs;          /* n_coefs, in file order */
    size_t n_coefs;
    /* With ZK_ZKEY_RAW_COEFS: coefs is NULL and this points at the n_coefs
     * records of section 4 in the mapped file, 44 bytes each (u32 matrix,
     * row, wire, LE; then c R^2 mod r, 32 bytes LE), validated like coefs.
     * NULL otherwise. */
    const uint8_t *coefs_raw;
    zk_g1 *a;                     /* n_vars */
    zk_g1 *b1;                    /* n_vars */
    zk_g2 *b2;                    /* n_vars */
    zk_g1 *c;                     /* n_vars - n_public - 1 (private wires) */
    zk_g1 *h;                     /* domain_size */

    uint8_t cs_hash[64];          /* section 10: circuit hash */
    zk_zkey_contribution *contributions;
    uint32_t n_contributions;

    void *priv_;                  /* owned memory and the mapped file */
} zk_zkey;

/* What zk_zkey_read loads and checks (OR them). */
enum {
    ZK_ZKEY_VK_ONLY  = 1u << 0, /* sections 1, 2, 3 and 10 only: the
                                   proving sections stay NULL / 0 */
    ZK_ZKEY_CHECK_G2 = 1u << 1, /* also check every B2 point is in G2 */
    ZK_ZKEY_RAW_COEFS = 1u << 2 /* validate the coefficients but leave
                                   them in the file (coefs_raw) instead of
                                   converting them: 44 instead of 48 bytes
                                   a coefficient, and none of them in
                                   anonymous memory.  zk_zkey_write and
                                   zk_zkey_clone accept such keys; setup
                                   and contribution functions do not. */
};

/* The sections zk_zkey_release can give back. */
enum {
    ZK_ZKEY_SEC_COEFS = 4, ZK_ZKEY_SEC_A = 5, ZK_ZKEY_SEC_B1 = 6,
    ZK_ZKEY_SEC_B2 = 7, ZK_ZKEY_SEC_C = 8, ZK_ZKEY_SEC_H = 9
};

/*
 * A hint that the section won't be read for a while: when it is used in
 * place from a mapped regular file, its pages are dropped from this
 * process (madvise MADV_DONTNEED), so they stop counting in its resident
 * memory; a later read maps them again from the file (the page cache)
 * with the same bytes.  Nothing happens for copied sections, keys read
 * from memory or built by zk_zkey_alloc.  The key stays valid and
 * unchanged; z may be NULL.  A prover calls this after each MSM.
 */
void zk_zkey_release(const zk_zkey *z, unsigned section);

/*
 * Read and validate the .zkey at path (see the top of this file).  On
 * success *out is a new key (free with zk_zkey_free).  On error *out =
 * NULL and:
 *   ZK_EIO            cannot open/read/map path (errno kept);
 *   ZK_EFORMAT        not a "zkey", a version other than 1, a protocol
 *                     other than Groth16, n8q/n8r other than 32, primes
 *                     other than BN254's, a required section missing or
 *                     duplicated;
 *   ZK_EENCODING      truncated file or section, a section size that does
 *                     not match the header's counts, a domain size that is
 *                     not a power of two in [2, 2^28], nPublic >= nVars, a
 *                     coefficient row/wire/matrix out of range, malformed
 *                     contribution parameters (also: a type other than
 *                     0/1, beacon parameters not exactly on type 1, a
 *                     name with a NUL);
 *   ZK_ERANGE         a coordinate >= q or a coefficient >= r;
 *   ZK_ENOTONCURVE    a point off its curve;
 *   ZK_ENOTINGROUP    a G2 point outside G2 (header, or B2 under
 *                     ZK_ZKEY_CHECK_G2);
 *   ZK_ENOMEM, ZK_EINVAL (NULL argument, unknown flag).
 * If where is not NULL it receives a static string naming the part that
 * failed ("section 7 (B2) point 12" is not possible with a static string,
 * so: "header" (sections 1, 2), "IC", "coefficients", "A", "B1", "B2",
 * "C", "H", "contributions", "file" for the container (ZK_EIO, magic,
 * version, truncation), "arguments" for ZK_EINVAL), and *index (if not
 * NULL) the index of the failing point, coefficient or contribution
 * (header points: 0 alpha1, 1 beta1, 2 beta2, 3 gamma2, 4 delta1,
 * 5 delta2), or -1.  When several are bad, the smallest index of the
 * first section (in section order) is reported, for any thread count.
 * On success *where = NULL and *index = -1.
 */
ZK_WUR int zk_zkey_read(zk_zkey **out, const char *path, unsigned flags,
                        zk_pool *pool, const char **where, int64_t *index);

/* The same over a buffer (fuzzing, tests); data must outlive *out. */
ZK_WUR int zk_zkey_read_mem(zk_zkey **out, const uint8_t *data, size_t len,
                            unsigned flags, zk_pool *pool, const char **where,
                            int64_t *index);

/*
 * Write z to path atomically (binwriter: temporary + rename), sections 1
 * to 10 in the order snarkjs writes them, so that a key read and written
 * back is byte-identical to the original: a key from zk_zkey_read keeps
 * its file's order; any other (alloc, clone) gets groth16 setup's order
 * 1,2,4,3,9,8,5,6,7,10 when it has no contributions and zkey
 * contribute's 1..10 otherwise.  Contribution parameters are written as
 * snarkjs does (name when has_name, iterations and hash when type 1);
 * a type above 1 or a name without its NUL gives ZK_EINVAL.  z must be
 * a complete key (not read with ZK_ZKEY_VK_ONLY): ZK_EINVAL otherwise.
 * ZK_EIO, ZK_ENOMEM.
 */
ZK_WUR int zk_zkey_write(const char *path, const zk_zkey *z);

/*
 * A new complete key with every array allocated (uninitialized) for these
 * sizes and everything else zero: how setup builds a key.  n_contributions
 * entries are allocated too (zeroed).  ZK_EINVAL when n_public >= n_vars,
 * log_domain < 1 or > ZK_ZKEY_MAX_LOG_DOMAIN; ZK_ENOMEM.
 */
ZK_WUR int zk_zkey_alloc(zk_zkey **out, uint32_t n_vars, uint32_t n_public,
                         uint32_t log_domain, size_t n_coefs,
                         uint32_t n_contributions);

/*
 * A deep copy of src (every array owned and writable): what a phase-2
 * contribution starts from.  ZK_EINVAL for a VK_ONLY key, ZK_ENOMEM.
 */
ZK_WUR int zk_zkey_clone(zk_zkey **out, const zk_zkey *src);

/* Free z (and unmap its file); NULL is fine. */
void zk_zkey_free(zk_zkey *z);

#endif
