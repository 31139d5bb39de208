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


#define WTNS_N8 32u
#define WTNS_SEC_HEADER 1u
#define WTNS_SEC_VALUES 2u
#define WTNS_HEADER_SIZE (4u + WTNS_N8 + 4u)

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

    if ((rc = zk_binfile_check_fr_prefix(h, hsize, WTNS_HEADER_SIZE)) != ZK_OK)
        return rc;
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
    /* Errors are sticky in the writer, so only the last status matters
     * until commit; checking each keeps -Werror=unused-result quiet and
     * stops early on a full disk. */
    if ((rc = zk_binwriter_section_begin(w, WTNS_SEC_HEADER)) == ZK_OK &&
        (rc = zk_binwriter_fr_prefix(w)) == ZK_OK &&
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
