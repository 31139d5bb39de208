/*
 * fuzz_points.c -- libFuzzer target for the G1/G2 byte decoders (Ethereum
 * and iden3 layouts) and the Fp decimal/hex string parsers.
 * See tests/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zk_g1 p1;
    zk_g2 p2;
    uint8_t b64[64], b128[128];

    if (zk_g1_from_eth(&p1, data, size) == 0) {
        if (!zk_g1_is_inf(&p1) && !zk_g1_is_on_curve(&p1))
            abort();
        zk_g1_to_eth(b64, &p1);
    }
    if (zk_g1_from_iden3(&p1, data, size) == 0) {
        if (!zk_g1_is_inf(&p1) && !zk_g1_is_on_curve(&p1))
            abort();
        zk_g1_to_iden3(b64, &p1);
    }
    if (zk_g2_from_eth(&p2, data, size) == 0) {
        if (!zk_g2_is_inf(&p2) && !zk_g2_is_on_curve(&p2))
            abort();
        zk_g2_to_eth(b128, &p2);
    }
    if (zk_g2_from_iden3(&p2, data, size) == 0) {
        if (!zk_g2_is_inf(&p2) && !zk_g2_is_on_curve(&p2))
            abort();
        zk_g2_to_iden3(b128, &p2);
    }

    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    zk_fp x;
    char dec[ZK_FP_DEC_MAX], hex[ZK_FP_HEX_MAX];
    if (zk_fp_from_dec(&x, s) == 0)
        zk_fp_to_dec(dec, &x);
    if (zk_fp_from_hex(&x, s) == 0)
        zk_fp_to_hex(hex, &x);
    free(s);
    return 0;
}
