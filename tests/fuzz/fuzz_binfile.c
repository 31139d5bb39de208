/*
 * fuzz_binfile.c -- libFuzzer target for the iden3 binary container
 * (zk_binfile_open_mem) and the .wtns / .r1cs decoders on top of it.
 * See tests/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "io/binfile.h"
#include "io/r1cs.h"
#include "io/wtns.h"

static void try_magic(const uint8_t *data, size_t size, const char magic[4])
{
    static const uint32_t versions[] = {1u, 2u, UINT32_MAX};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        zk_binfile *f = NULL;
        if (zk_binfile_open_mem(&f, data, size, magic, versions[i]) != 0)
            continue;
        (void)zk_binfile_version(f);
        for (uint32_t t = 0; t < 6; t++) {
            const uint8_t *p = NULL;
            uint64_t n = 0;
            if (zk_binfile_section(f, t, &p, &n) == 0 && n > 0) {
                /* touch the first and last byte: both must be readable */
                volatile uint8_t x = p[0];
                x ^= p[n - 1];
                (void)x;
            }
        }
        zk_binfile_close(f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_magic(data, size, "wtns");
    try_magic(data, size, "r1cs");
    try_magic(data, size, "zkey");

    zk_binfile *f = NULL;
    if (zk_binfile_open_mem(&f, data, size, "wtns", ZK_WTNS_VERSION) == 0) {
        zk_fr *vals = NULL;
        size_t n = 0;
        if (zk_wtns_decode(&vals, &n, f) == 0) {
            volatile uint64_t acc = 0;
            for (size_t i = 0; i < n; i++)
                acc ^= vals[i].l[0];
            (void)acc;
        }
        free(vals);
        zk_binfile_close(f);
    }

    f = NULL;
    if (zk_binfile_open_mem(&f, data, size, "r1cs", ZK_R1CS_VERSION) == 0) {
        zk_r1cs *cs = NULL;
        if (zk_r1cs_decode(&cs, f) == 0) {
            uint32_t nc = zk_r1cs_n_constraints(cs);
            size_t nt = zk_r1cs_n_terms(cs);
            const size_t *off = zk_r1cs_lc_offsets(cs);
            if (off[3 * (size_t)nc] != nt)
                abort(); /* broken invariant, not a rejected input */
            for (uint32_t i = 0; i < nc; i++)
                for (unsigned w = 0; w < 3; w++) {
                    size_t k = 0;
                    const zk_r1cs_term *t = zk_r1cs_lc(cs, i, w, &k);
                    for (size_t j = 0; j < k; j++)
                        if (t[j].wire >= zk_r1cs_n_wires(cs) ||
                            (j > 0 && t[j - 1].wire >= t[j].wire))
                            abort();
                }
            (void)zk_r1cs_labels(cs)[zk_r1cs_n_wires(cs) - 1];
        }
        zk_r1cs_free(cs);
        zk_binfile_close(f);
    }
    return 0;
}
