/*
 * wtns.c -- .wtns version 2 reader and writer (see wtns.h).
 *
 * Layout checked against snarkjs src/wtns_utils.js (write/readHeader/read:
 * n8 = 8 * ceil(bits(prime) / 64), prime and values via
 * binfileutils.writeBigInt = Scalar.toRprLE, i.e. plain little-endian
 * integers) and snarkjs src/wtns_calculate.js (createBinFile(..., "wtns",
 * 2, 2): version 2, two sections, header first).
 */
#include "io/wtns.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "field/constants.h"

#define WTNS_N8 32u
#define WTNS_SEC_HEADER 1u
#define WTNS_SEC_VALUES 2u
#define WTNS_HEADER_SIZE (4u + WTNS_N8 + 4u)

/* r as n8 little-endian bytes. */
static void modulus_le(uint8_t out[WTNS_N8])
{
    static const uint64_t r[4] = ZK_FR_MODULUS;
    for (unsigned i = 0; i < 4; i++)
        for (unsigned j = 0; j < 8; j++)
            out[8 * i + j] = (uint8_t)(r[i] >> (8 * j));
}

int zk_wtns_decode(zk_fr **values, size_t *n, const zk_binfile *f)
{
    if (values)
        *values = NULL;
    if (n)
        *n = 0;
    if (!values || !n || !f)
        return ZK_EINVAL;
    if (zk_binfile_version(f) != ZK_WTNS_VERSION)
        return ZK_EFORMAT;

    const uint8_t *h, *d;
    uint64_t hsize, dsize;
    int rc = zk_binfile_section(f, WTNS_SEC_HEADER, &h, &hsize);
    if (rc != ZK_OK)
        return rc;
    rc = zk_binfile_section(f, WTNS_SEC_VALUES, &d, &dsize);
    if (rc != ZK_OK)
        return rc;

    if (hsize < 4)
        return ZK_EENCODING;
    if (zk_load_u32_le(h) != WTNS_N8)
        return ZK_EFORMAT;  /* a field of another size: not BN254's Fr */
    if (hsize != WTNS_HEADER_SIZE)
        return ZK_EENCODING;
    uint8_t r[WTNS_N8];
    modulus_le(r);
    if (memcmp(h + 4, r, WTNS_N8) != 0)
        return ZK_EFORMAT;
    uint32_t count = zk_load_u32_le(h + 4 + WTNS_N8);
    if (dsize != (uint64_t)count * WTNS_N8)
        return ZK_EENCODING;
    if (count == 0)
        return ZK_OK;
#if SIZE_MAX / 32 < UINT32_MAX  /* sizeof(zk_fr) == 32; 32-bit hosts */
    if (count > SIZE_MAX / sizeof(zk_fr))
        return ZK_ENOMEM;
#endif

    zk_fr *v = malloc((size_t)count * sizeof *v);
    if (!v)
        return ZK_ENOMEM;
    for (uint32_t i = 0; i < count; i++) {
        rc = zk_fr_from_bytes_le(&v[i], d + (size_t)i * WTNS_N8);
        if (rc != ZK_OK) {
            free(v);
            return rc;
        }
    }
    *values = v;
    *n = count;
    return ZK_OK;
}

int zk_wtns_read(zk_fr **values, size_t *n, const char *path)
{
    if (values)
        *values = NULL;
    if (n)
        *n = 0;
    if (!values || !n || !path)
        return ZK_EINVAL;
    zk_binfile *f;
    int rc = zk_binfile_open(&f, path, "wtns", ZK_WTNS_VERSION);
    if (rc != ZK_OK)
        return rc;
    rc = zk_wtns_decode(values, n, f);
    zk_binfile_close(f);
    return rc;
}

int zk_wtns_write(const char *path, const zk_fr *values, size_t n)
{
    if (!path || (!values && n > 0))
        return ZK_EINVAL;
    if ((uint64_t)n > UINT32_MAX)
        return ZK_ERANGE;

    zk_binwriter *w;
    int rc = zk_binwriter_begin(&w, path, "wtns", ZK_WTNS_VERSION, 2);
    if (rc != ZK_OK)
        return rc;
    uint8_t r[WTNS_N8];
    modulus_le(r);
    /* Errors are sticky in the writer, so only the last status matters
     * until commit; checking each keeps -Werror=unused-result quiet and
     * stops early on a full disk. */
    if ((rc = zk_binwriter_section_begin(w, WTNS_SEC_HEADER)) == ZK_OK &&
        (rc = zk_binwriter_u32(w, WTNS_N8)) == ZK_OK &&
        (rc = zk_binwriter_section_write(w, r, sizeof r)) == ZK_OK &&
        (rc = zk_binwriter_u32(w, (uint32_t)n)) == ZK_OK &&
        (rc = zk_binwriter_section_end(w)) == ZK_OK &&
        (rc = zk_binwriter_section_begin(w, WTNS_SEC_VALUES)) == ZK_OK) {
        for (size_t i = 0; i < n && rc == ZK_OK; i++) {
            uint8_t b[WTNS_N8];
            zk_fr_to_bytes_le(b, &values[i]);
            rc = zk_binwriter_section_write(w, b, sizeof b);
        }
        if (rc == ZK_OK)
            rc = zk_binwriter_section_end(w);
    }
    if (rc != ZK_OK) {
        zk_binwriter_abort(w);
        return rc;
    }
    return zk_binwriter_commit(w);
}
