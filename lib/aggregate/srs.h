/*
 * srs.h -- the structured reference string of SnarkPack (aggregation of
 * Groth16 proofs, Gailly-Maller-Nitulescu, ePrint 2021/529) over BN254:
 * the powers of two independent secrets a and b in both groups, on the
 * standard generators g of G1 and h of G2 (research snarkpack.md 1.3).
 *
 * THE SRS, for up to n_max proofs (n_max a power of two, 2 <= n_max <=
 * ZK_AGG_SRS_MAX_N):
 *   g_a[i] = a^i g,  g_b[i] = b^i g   for i < 2 n_max   (the w keys and
 *                                     the KZG bases of the w openings)
 *   h_a[i] = a^i h,  h_b[i] = b^i h   for i < n_max     (the v keys and
 *                                     the KZG bases of the v openings)
 * so g_a[0] = g_b[0] = g and h_a[0] = h_b[0] = h.  An SRS for n_max serves
 * every power of two n <= n_max: the prover indexes the arrays directly
 * (v = h_x[0 .. n), w = g_x[n .. 2n)).
 * The verifier key (zk_agg_vk) is constant size: n_max, g, h, g_a[1],
 * g_b[1], h_a[1], h_b[1].
 *
 * Where a and b come from:
 *  - zk_agg_srs_dev: fresh local randomness.  DEVELOPMENT ONLY.
 *  - zk_agg_srs_from_ptau_files / zk_agg_srs_from_ptau: the tau of two
 *    powers-of-tau ceremonies (.ptau, io/ptau.h), a = tau of the first,
 *    b = tau of the second.  The two must be independent: distinct
 *    ceremonies, never two files of one contribution chain (pitfall in
 *    snarkpack.md 1.3: a beacon-finalised intermediate of a chain is
 *    related to the chain's final tau by factors a few people know).
 *
 * STRUCTURE CHECK (zk_agg_srs_verify, run by the reader and by the ptau
 * builders): g = the G1 generator, h = the G2 generator, g_x[0] = g and
 * h_x[0] = h, g_x[1] not in {0, g} (x not 0 or 1), g_a[1] != g_b[1]
 * (a != b), and, with rho uniform in Fr drawn from libsodium on this
 * machine (verifier-local, never from the file), for x = a and x = b:
 *   e(sum_{i<2n-1} rho^i g_x[i+1], h) = e(sum_{i<2n-1} rho^i g_x[i], h_x[1])
 *   e(g_x[1], sum_{i<n-1} rho^i h_x[i]) = e(g, sum_{i<n-1} rho^i h_x[i+1])
 * (each one pair of MSMs and one two-pair multi-pairing).  If some
 * g_x[i+1] != t g_x[i] (h_x[1] = t h) the first side is a non-zero
 * polynomial in rho of degree < 2n, so a wrong SRS passes with
 * probability below 2n / r < 2^-232; the i = 0 terms tie g_x[1] and h_x[1]
 * to the same x.
 *
 * FILE srs.bin: iden3 binary container (io/binfile.h), magic "zsrs",
 * version 1, five sections in this order:
 *   1  header:  u32 n_max, g (64 bytes), h (128 bytes)     196 bytes
 *   2  g_a:     2 n_max G1 points                          3  g_b: the same
 *   4  h_a:     n_max G2 points                            5  h_b: the same
 * Points as in .zkey / .ptau: affine x || y, each coordinate 32 bytes
 * little-endian Montgomery (Fp2 as c0, c1), infinity all zeros
 * (zk_g1_to_iden3 / zk_g2_to_iden3).  2^20 proofs: 512 MiB on disk and in
 * memory.
 *
 * FILE srs.vk.json (zk_agg_vk_encode / _decode):
 *   {"protocol": "snarkpack", "curve": "bn128", "n_max": N,
 *    "g": G1, "h": G2, "g_a": G1, "g_b": G1, "h_a": G2, "h_b": G2}
 * points as snarkjs writes them (io/json.h: G1 ["x", "y", "1"], G2
 * [["x0", "x1"], ["y0", "y1"], ["1", "0"]], decimal strings), N a JSON
 * integer; here g_a = g_a[1] = a g and so on.
 *
 * WHERE / WHY: functions that take `const char **where` (or why) set it to
 * NULL on success and on error to a string naming the part that failed
 * ("section 4 (h_a), point 17", "ptau B: power 3 < 4 ...").  The string
 * is static or lives in a thread-local buffer that the next failing call
 * of this module on the same thread overwrites; never free it.
 *
 * Timing: everything is variable time (public data) except
 * zk_agg_srs_dev's handling of a and b (constant time, sodium_malloc,
 * wiped).  Thread safety: no shared mutable state; a zk_agg_srs is
 * read-only after it is made and may be shared by threads.
 */
#ifndef ZK_AGGREGATE_SRS_H
#define ZK_AGGREGATE_SRS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "io/ptau.h"
#include "util/err.h"
#include "util/pool.h"

#define ZK_AGG_SRS_VERSION 1u
/* The largest n_max (snarkpack.md 1.3: Filecoin's SRS serves 2^19
 * proofs; 2^20 needs a ptau of power 21). */
#define ZK_AGG_SRS_MAX_N ((size_t)1 << 20)

/* The SRS.  Every array is malloc'ed and owned (free with
 * zk_agg_srs_free); the prover reads them in place. */
typedef struct zk_agg_srs {
    size_t n_max;  /* power of two, 2 .. ZK_AGG_SRS_MAX_N */
    zk_g1 g;       /* the G1 generator */
    zk_g2 h;       /* the G2 generator */
    zk_g1 *g_a;    /* 2 n_max: a^i g */
    zk_g1 *g_b;    /* 2 n_max: b^i g */
    zk_g2 *h_a;    /* n_max:   a^i h */
    zk_g2 *h_b;    /* n_max:   b^i h */
} zk_agg_srs;

/* The verifier key (a plain value). */
typedef struct zk_agg_vk {
    size_t n_max;
    zk_g1 g, g_a, g_b; /* g, a g, b g */
    zk_g2 h, h_a, h_b; /* h, a h, b h */
} zk_agg_vk;

/* Free s and its arrays; s may be NULL. */
void zk_agg_srs_free(zk_agg_srs *s);

/*
 * *out = a DEVELOPMENT SRS for n_max proofs from fresh local secrets.
 *
 * INSECURE: FOR TESTS AND BENCHMARKS ONLY.  a and b are uniform in Fr
 * minus {0, 1} (and a != b), drawn from libsodium on this machine, kept
 * in sodium_malloc memory with every power derived from them, and wiped
 * on every return path; but nobody except this machine can know that
 * they were.  Whoever knows a and b can open the SnarkPack commitments
 * to anything and so forge aggregate proofs.  Real SRSs come from two
 * independent ceremonies: zk_agg_srs_from_ptau_files.
 *
 * The powers a^i, b^i (i < 2 n_max) are computed in chunks and the points
 * with the constant-time fixed-base batch multiplications of msm.h on
 * pool (NULL: in the calling thread); the result does not depend on the
 * thread count for given secrets.  Cost: 4 n_max G1 and 2 n_max G2
 * fixed-base multiplications.  Memory: the SRS plus a few hundred KiB.
 * Returns 0, or ZK_EINVAL (NULL out, n_max not a power of two in [2,
 * ZK_AGG_SRS_MAX_N]), ZK_ENOMEM (also when libsodium cannot be
 * initialised), or an error of zk_pool_run; on error *out = NULL.
 * Progress: with a meter on the pool (pool.h), phase "srs", in the units
 * of the fixed-base multiplications (msm.h).
 */
ZK_WUR int zk_agg_srs_dev(zk_agg_srs **out, size_t n_max, zk_pool *pool);

/*
 * *out = the SRS for n_max proofs from two powers-of-tau files: a = the
 * tau of pa, b = the tau of pb.  g_a = the first 2 n_max points of pa's
 * section 2 (tauG1), h_a = the first n_max of its section 3 (tauG2); the
 * same from pb.  The points used are decoded and fully validated (range,
 * curve, G2 subgroup) on pool, then the structure check above runs on
 * them (a ptau file's powers are not checked by zk_ptau_open).
 *
 * Refused with ZK_EVERIFY (and *why saying which) when:
 *  - a file is too small: 2 n_max G1 and n_max G2 powers are needed, i.e.
 *    power >= log2(n_max) + 1 (section 2 holds 2^(power+1) - 1 points);
 *  - tauG1[0] / tauG2[0] of a file is not the standard generator (the two
 *    secrets must share g and h);
 *  - the two files have the same tau (g_a[1] == g_b[1]), e.g. one file
 *    given twice;
 *  - tau is 0 or 1, or the powers are not powers of one tau (structure).
 * THIS FUNCTION CANNOT SEE THE CONTRIBUTION CHAINS: io/ptau.h does not
 * expose section 7, so two different files of ONE chain (an intermediate
 * response and the final file) pass here.  Use
 * zk_agg_srs_from_ptau_files, which checks that too, unless the caller
 * has established independence otherwise.
 *
 * Other returns: ZK_EINVAL (NULL out / pa / pb, bad n_max as for
 * zk_agg_srs_dev), ZK_ERANGE / ZK_ENOTONCURVE / ZK_ENOTINGROUP (a point
 * used is malformed; *why names the file, section and index), ZK_ENOMEM,
 * an error of zk_pool_run.  On error *out = NULL.  why may be NULL.
 * Cost: 4 n_max G1 and 2 n_max G2 decodings (the G2 subgroup checks
 * dominate: about 0.1 ms a point), the structure check's MSMs.
 */
ZK_WUR int zk_agg_srs_from_ptau(zk_agg_srs **out, const zk_ptau *pa, const zk_ptau *pb,
                                size_t n_max, zk_pool *pool, const char **why);

/*
 * The same from the .ptau files at path_a and path_b (opened with
 * zk_ptau_open), plus the contribution-chain check: section 7
 * ("contributions", snarkjs powersoftau_utils.js: u32 count, then per
 * contribution the points after it (tauG1, tauG2, alphaG1, betaG1 in
 * G1/G2 iden3 encoding, betaG2), its public key (6 G1 + 3 G2 points), a
 * 216-byte partial hash, the 64-byte next challenge, u32 type, u32
 * parameter length and the parameters) is parsed in both files, and the
 * pair is refused with ZK_EVERIFY when some contribution of one file has
 * the same points and public key as one of the other: the files then come
 * from one chain (sharing at least its first contribution).  A file with
 * no contribution record at all (count 0, or no section 7), such as
 * zkpar's development ptau (zk_ptau_dev_write), gives nothing to
 * compare: the check is skipped for the pair and the SRS is accepted if
 * everything else holds.  A dev ptau's tau is fresh randomness, so two
 * dev files are independent, but they are as insecure as zk_agg_srs_dev.
 *
 * Returns as zk_agg_srs_from_ptau, plus the errors of zk_ptau_open
 * (ZK_EIO, ZK_EFORMAT, ZK_EENCODING, ...) and ZK_EENCODING for a
 * malformed section 7; *why names the file ("ptau A" = path_a, "ptau B").
 */
ZK_WUR int zk_agg_srs_from_ptau_files(zk_agg_srs **out, const char *path_a,
                                      const char *path_b, size_t n_max, zk_pool *pool,
                                      const char **why);

/*
 * The structure check above on s (what the reader and the ptau builders
 * run).  Also checks that s->n_max is valid and the arrays are there.
 * Returns 0, ZK_EVERIFY (*where names the part in srs.bin's terms:
 * "section 1 (header): g" / ": h" (not the generators), "section 3
 * (g_b), point 0" (not g), "section 2 (g_a), point 1" (a is 0 or 1),
 * "sections 2 and 3: g_a[1] = g_b[1] (a = b)", and for the pairing checks
 * "section 2 (g_a)" / "section 3 (g_b)" (the G1 powers of a / b) and
 * "section 4 (h_a)" / "section 5 (h_b)" (the G2 powers)), ZK_EINVAL (NULL
 * s, bad n_max or a NULL array), ZK_ENOMEM, or an error of zk_pool_run.  The points must be
 * valid group elements (G2 points in G2), as every constructor here
 * guarantees.  Cost: 4 G1 MSMs of 2 n_max - 1 points, 4 G2 MSMs of
 * n_max - 1 points, 4 two-pair pairing checks; on pool.
 */
ZK_WUR int zk_agg_srs_verify(const zk_agg_srs *s, zk_pool *pool, const char **where);

/*
 * Write s to path as srs.bin (see the top of this file) through
 * binfile.h's writer: under a temporary name, fsync'ed, renamed over
 * path only when complete.  s is not re-validated.  Returns 0, ZK_EINVAL
 * (NULL argument, NULL array, n_max not valid), ZK_EIO (errno kept; path
 * untouched, no temporary file left), ZK_ENOMEM.
 */
ZK_WUR int zk_agg_srs_write(const char *path, const zk_agg_srs *s);

/*
 * Read and validate srs.bin at path.  Order of the checks: the container
 * (magic "zsrs", version 1; truncation); section 1's size (196), n_max (a
 * power of two in [2, ZK_AGG_SRS_MAX_N]); g and h decoded; the presence
 * and exact size of sections 2 to 5 against n_max, all before any large
 * allocation; then every point of sections 2 to 5 decoded (coordinates <
 * p, on the curve, G2 points in G2) in parallel on pool (NULL: serially),
 * the smallest bad index of the first bad section reported; then the
 * structure check (zk_agg_srs_verify).
 * Returns 0 and *out (free with zk_agg_srs_free), else *out = NULL and:
 *   ZK_EIO           path cannot be opened or read (errno kept);
 *   ZK_EFORMAT       wrong magic or version, a section 1 to 5 missing or
 *                    present twice;
 *   ZK_EENCODING     a truncated file or trailing bytes, section 1 not 196
 *                    bytes, n_max not a power of two or out of range, a
 *                    section 2 to 5 whose size does not match n_max;
 *   ZK_ERANGE        a coordinate >= p;
 *   ZK_ENOTONCURVE   a point off its curve;
 *   ZK_ENOTINGROUP   a G2 point outside G2;
 *   ZK_EVERIFY       well-formed points that are not an SRS (structure
 *                    check: wrong generators, swapped or foreign powers,
 *                    a = b, a or b in {0, 1});
 *   ZK_ENOMEM, ZK_EINVAL (NULL out or path), an error of zk_pool_run.
 * where (may be NULL): "container", "section 1 (header)", "section 1
 * (header): g", "section 3 (g_b), point 5", "section 5 (h_b)", ...
 * Cost: 2 n_max G2 subgroup checks (about 0.1 ms each, the bulk), 4 n_max
 * G1 curve checks, the structure check.  Progress: with a meter on the
 * pool (pool.h), the decoding of sections 2 to 5 is phase "read_srs" (a G1
 * point 1 unit, a G2 point 64: about their relative cost).
 */
ZK_WUR int zk_agg_srs_read(zk_agg_srs **out, const char *path, zk_pool *pool,
                           const char **where);

/* The same over a buffer (fuzzing, tests); data is only read during the
 * call.  Errors as zk_agg_srs_read minus ZK_EIO. */
ZK_WUR int zk_agg_srs_read_mem(zk_agg_srs **out, const uint8_t *data, size_t len,
                               zk_pool *pool, const char **where);

/* *out = the verifier key of s: n_max, g, h, g_a[1], g_b[1], h_a[1],
 * h_b[1].  s must be a complete SRS. */
void zk_agg_srs_vk(zk_agg_vk *out, const zk_agg_srs *s);

/* srs.vk.json for vk (keys in the order above).  A new reference
 * (json_decref it), or NULL when memory runs out or vk is NULL. */
json_t *zk_agg_vk_encode(const zk_agg_vk *vk);

/*
 * Decode and check srs.vk.json.  Unknown keys are ignored.  Checks, in
 * order: "protocol" == "snarkpack" and "curve" == "bn128" or "bn254"
 * (both required); "n_max" a JSON integer, a power of two in [2,
 * ZK_AGG_SRS_MAX_N]; every point well formed, on its curve, G2 points in
 * G2; g and h the standard generators; g_a and g_b not infinity, not g,
 * and different; e(g_a, h) = e(g, h_a) and e(g_b, h) = e(g, h_b), as ONE
 * two-pair pairing check e(g_a + rho g_b, h) = e(g, h_a + rho h_b) with
 * rho from libsodium.
 * Returns 0 and *out (written only on success), or:
 *   ZK_EENCODING    j not an object, a key missing, a wrong shape or type,
 *                   bad decimal digits, n_max not a valid size;
 *   ZK_EFORMAT      "protocol" or "curve" with another value;
 *   ZK_ERANGE, ZK_ENOTONCURVE, ZK_ENOTINGROUP   a malformed point;
 *   ZK_EVERIFY      g or h not the generator, degenerate or equal g_a /
 *                   g_b, the pairing check fails;
 *   ZK_EINVAL       NULL out or j.
 * where: "(root)", "protocol", "curve", "n_max", "g", "h", "g_a", "g_b",
 * "h_a", "h_b", "pairing check".
 */
ZK_WUR int zk_agg_vk_decode(zk_agg_vk *out, const json_t *j, const char **where);

#endif
