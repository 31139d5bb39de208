/*
 * ptau.h -- snarkjs powers-of-tau files (.ptau, version 1) for BN254, as
 * written by `snarkjs powersoftau new / contribute / beacon / prepare
 * phase2` and published by the Hermez ceremony (docs: research formats.md
 * 2.5; the references to read are snarkjs src/powersoftau_new.js,
 * powersoftau_utils.js and powersoftau_preparephase2.js).
 *
 * Container: iden3 binary file (binfile.h), magic "ptau", version 1.  With
 * p = power (the file holds 2^p powers; a truncated file may come from a
 * larger ceremony of ceremonyPower):
 *   1  header:  u32 n8 = 32, q (32 bytes LE), u32 power, u32 ceremonyPower
 *   2  tauG1:       tau^i G1          for i < 2^(p+1) - 1
 *   3  tauG2:       tau^i G2          for i < 2^p
 *   4  alphaTauG1:  alpha tau^i G1    for i < 2^p
 *   5  betaTauG1:   beta tau^i G1     for i < 2^p
 *   6  betaG2:      beta G2           (one point)
 *   7  contributions (not read here)
 * and, in a PREPARED file (after `powersoftau prepare phase2`), the
 * Lagrange bases of the same values: for k = 0, 1, ..., p the block of the
 * 2^k values L_j(tau) X (j < 2^k, L_j the Lagrange polynomials of the
 * domain <omega_2^k>, j-th root omega^j, ffjavascript's roots) starts
 * 2^k - 1 points into the section (zk_ptau_lagrange_offset):
 *  12  tauG1 basis:       blocks k = 0 .. p+1: 2^(p+2) - 1 G1 points
 *                         (block p+1 is built from section 2 with the
 *                         missing last power taken as 0, as snarkjs does)
 *  13  tauG2 basis:       blocks k = 0 .. p:   2^(p+1) - 1 G2 points
 *  14  alphaTauG1 basis:  2^(p+1) - 1 G1 points
 *  15  betaTauG1 basis:   2^(p+1) - 1 G1 points
 * Points are affine, x then y, 32-byte little-endian Montgomery coordinates
 * (Fp2 as c0, c1), infinity all zeros: the byte image of zk_g1 / zk_g2, as
 * in .zkey files.
 *
 * Opening (zk_ptau_open) maps the file and checks the container, the
 * header and every section's size against the power, and decodes and
 * fully validates the three single points alpha G1 (section 4, point 0),
 * beta G1 (section 5, point 0) and beta G2 (section 6).  It does NOT look
 * at the other points: a 2^28 file holds about 2^30 of them.  Callers get
 * validated points for exactly the ranges they use with zk_ptau_g1_range /
 * zk_ptau_g2_range, which decode in parallel on a pool.
 *
 * zk_ptau_write writes an opened file back, byte for byte (every section,
 * unknown types included, in the file's order), atomically.  A file with
 * fresh development secrets is made by zk_ptau_dev_write (groth16/ptau_dev.h).
 *
 * Everything here is public data (no constant-time claims).  A zk_ptau is
 * read-only after opening and may be used by several threads at once.
 */
#ifndef ZK_IO_PTAU_H
#define ZK_IO_PTAU_H

#include <stddef.h>
#include <stdint.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "util/err.h"
#include "util/pool.h"

#define ZK_PTAU_VERSION 1u
/* The largest power accepted: Fr's 2-adicity, the largest BN254 ceremony. */
#define ZK_PTAU_MAX_POWER 28u

typedef struct zk_ptau zk_ptau;

/*
 * Open and check the .ptau at path (see the top of this file).  On success
 * *out is a new handle (free it with zk_ptau_free); the file stays mapped
 * until then (a file that is not a regular one, such as a pipe, is read
 * into memory instead).  On error *out = NULL and:
 *   ZK_EIO           cannot open/stat/map path (errno kept);
 *   ZK_EFORMAT       not "ptau", version other than 1, n8 other than 32, a
 *                    q other than BN254's p, one of sections 1 to 6
 *                    missing or duplicated, or a file with some but not
 *                    all of sections 12 to 15 (one of them present twice
 *                    counts as absent);
 *   ZK_EENCODING     truncated file, a header section that is not 44
 *                    bytes, power > 28, ceremonyPower < power or > 28, a
 *                    section whose size does not match the power;
 *   ZK_ERANGE        a coordinate of alpha G1, beta G1 or beta G2 >= p;
 *   ZK_ENOTONCURVE   one of those three off its curve;
 *   ZK_ENOTINGROUP   beta G2 outside G2;
 *   ZK_ENOMEM, ZK_EINVAL (NULL out or path).
 * If where is not NULL it receives a static string naming the part that
 * failed ("header", "section 12 (tauG1, Lagrange basis)", "alpha G1",
 * ...), or NULL on success.
 */
ZK_WUR int zk_ptau_open(zk_ptau **out, const char *path, const char **where);

/* The same over a buffer (fuzzing, tests); data must outlive *out and stay
 * unchanged.  Errors as zk_ptau_open minus ZK_EIO. */
ZK_WUR int zk_ptau_open_mem(zk_ptau **out, const uint8_t *data, size_t len,
                            const char **where);

/* Unmap and free; NULL is fine. */
void zk_ptau_free(zk_ptau *p);

/* The header's power p and ceremonyPower. */
uint32_t zk_ptau_power(const zk_ptau *p);
uint32_t zk_ptau_ceremony_power(const zk_ptau *p);
/* 1 when sections 12 to 15 (the Lagrange bases) are there, else 0. */
int zk_ptau_is_prepared(const zk_ptau *p);

/* The validated single points: alpha G1, beta G1, beta G2 (valid until
 * zk_ptau_free). */
const zk_g1 *zk_ptau_alpha_g1(const zk_ptau *p);
const zk_g1 *zk_ptau_beta_g1(const zk_ptau *p);
const zk_g2 *zk_ptau_beta_g2(const zk_ptau *p);

/* The number of points in section `section` (2..6, 12..15) of this file;
 * 0 for any other section number and for 12..15 of an unprepared file. */
uint64_t zk_ptau_section_points(const zk_ptau *p, unsigned section);

/* Where the Lagrange block of size 2^log_n starts in sections 12..15. */
static inline uint64_t zk_ptau_lagrange_offset(unsigned log_n)
{
    return ((uint64_t)1 << log_n) - 1;
}

/*
 * out[i] = point first + i of section `section`, decoded and validated,
 * for i < count: a G1 section (2, 4, 5, 12, 14, 15) for zk_ptau_g1_range,
 * a G2 section (3, 6, 13) for zk_ptau_g2_range.  Every point is checked
 * for coordinates < p and the curve equation; G2 points also for
 * membership in G2 (about 0.1 ms a point: seconds for a million).  The
 * points are decoded in parallel on pool (NULL: serially).
 *
 * Returns 0, or:
 *   ZK_EINVAL        NULL p, NULL out with count > 0, a section number that
 *                    is not one of this group's, first + count beyond the
 *                    section;
 *   ZK_EFORMAT       a section 12..15 of a file that is not prepared;
 *   ZK_ERANGE, ZK_ENOTONCURVE, ZK_ENOTINGROUP   the point at index
 *                    (within the section) *bad is malformed, the smallest
 *                    such index of the range (the error is that point's);
 *   ZK_ENOMEM, or an error of zk_pool_run.
 * bad may be NULL; it is set to -1 unless a point was bad.  On error the
 * contents of out are unspecified.
 */
ZK_WUR int zk_ptau_g1_range(zk_g1 *out, const zk_ptau *p, unsigned section,
                            uint64_t first, size_t count, zk_pool *pool,
                            int64_t *bad);
ZK_WUR int zk_ptau_g2_range(zk_g2 *out, const zk_ptau *p, unsigned section,
                            uint64_t first, size_t count, zk_pool *pool,
                            int64_t *bad);

/*
 * The 64 bytes that follow the payload of section 2 in the file: the next
 * section's 12-byte header (u32 type, u64 size) and the first 52 bytes of
 * its payload.  `snarkjs zkey new` reads them as "point 2^(p+1) - 1 of
 * section 2" when the circuit's domain is 2^p with p >= 15 (its circuit
 * hash reads one point past the section there; see setup.c), so an exact
 * reimplementation needs them.  ZK_EUNSUPPORTED when section 2 is the
 * last section of the file or is followed by a section of a type this
 * module does not know, or by one with fewer than 52 payload bytes;
 * ZK_EINVAL for NULL arguments.
 */
ZK_WUR int zk_ptau_section2_overread(uint8_t out[64], const zk_ptau *p);

/*
 * Write p to path: the same version and section count, then every section
 * of the file p was opened from (unknown types and sections 7 included)
 * in that file's order, with its payload unchanged, so that the new file
 * is byte-identical to the old one.  Written through binfile.h's writer:
 * under a temporary name, fsync'ed and renamed over path only when
 * complete (path may be the file p was opened from: p keeps its mapping
 * of the old contents).  Nothing is re-validated beyond what open did.
 * Returns 0, or ZK_EINVAL (NULL argument), ZK_EIO (errno kept: no such
 * directory, a full disk, ...; path is then untouched and no temporary
 * file is left), ZK_ENOMEM.
 */
ZK_WUR int zk_ptau_write(const char *path, const zk_ptau *p);

#endif
