/*
 * fuzz_json.c -- libFuzzer target for the snarkjs JSON decoders
 * (proof.json, public.json, verification_key.json).  The input is parsed
 * with jansson's json_loadb and the resulting value is handed to every
 * decoder.  See tests/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "io/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *j = json_loadb((const char *)data, size,
                           JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (j == NULL)
        return 0;

    const char *where = NULL;
    zk_groth16_proof proof;
    (void)zk_json_proof_decode(&proof, j, &where);
    (void)zk_json_proof_decode(&proof, j, NULL);

    zk_fr *vals = NULL;
    size_t n = 0;
    if (zk_json_public_decode(&vals, &n, j, &where) == 0) {
        json_t *e = zk_json_public_encode(vals, n);
        json_decref(e);
    }
    free(vals);

    zk_groth16_vk vk;
    if (zk_json_vk_decode(&vk, j, &where) == 0) {
        json_t *e = zk_json_vk_encode(&vk);
        json_decref(e);
    }
    zk_groth16_vk_free(&vk);

    json_decref(j);
    return 0;
}
