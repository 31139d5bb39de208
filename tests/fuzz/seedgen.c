/*
 * seedgen.c -- writes the seed corpora for the fuzz targets with the
 * library's own writers and encoders (see tests/fuzz/run.sh).
 * Usage: seedgen DIR   (creates DIR/binfile, DIR/json, DIR/points)
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/pairing.h"
#include "field/fp.h"
#include "field/fr.h"
#include "io/json.h"
#include "io/r1cs.h"
#include "io/wtns.h"

static void die(const char *what)
{
    fprintf(stderr, "seedgen: %s failed\n", what);
    exit(1);
}

static char *path(const char *dir, const char *sub, const char *name)
{
    size_t n = strlen(dir) + strlen(sub) + strlen(name) + 3;
    char *p = malloc(n);
    if (p == NULL)
        die("malloc");
    snprintf(p, n, "%s/%s/%s", dir, sub, name);
    return p;
}

static void put(const char *dir, const char *sub, const char *name,
                const void *data, size_t len)
{
    char *p = path(dir, sub, name);
    FILE *f = fopen(p, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        die(p);
    free(p);
}

static void put_json(const char *dir, const char *name, json_t *j)
{
    if (j == NULL)
        die(name);
    char *s = json_dumps(j, JSON_COMPACT);
    if (s == NULL)
        die("json_dumps");
    put(dir, "json", name, s, strlen(s));
    free(s);
    json_decref(j);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: seedgen DIR\n");
        return 2;
    }
    const char *dir = argv[1];

    /* binfile: a 4-value witness and a 1-constraint system x * y = z. */
    zk_fr w[4];
    zk_fr_one(&w[0]);
    zk_fr_set_u64(&w[1], 3);
    zk_fr_set_u64(&w[2], 11);
    zk_fr_set_u64(&w[3], 33);
    char *p = path(dir, "binfile", "small.wtns");
    if (zk_wtns_write(p, w, 4) != 0)
        die("zk_wtns_write");
    free(p);
    p = path(dir, "binfile", "empty.wtns");
    if (zk_wtns_write(p, NULL, 0) != 0)
        die("zk_wtns_write (empty)");
    free(p);

    zk_r1cs *cs = NULL;
    if (zk_r1cs_new(&cs, 1, 0, 2, 4) != 0)
        die("zk_r1cs_new");
    zk_r1cs_term a = {2, w[0]}, b = {3, w[0]}, c = {1, w[0]};
    zk_fr_neg(&c.coeff, &w[1]);
    zk_r1cs_term c2[2] = {{0, w[2]}, {1, w[0]}};
    if (zk_r1cs_add_constraint(cs, &a, 1, &b, 1, &c, 1) != 0 ||
        zk_r1cs_add_constraint(cs, NULL, 0, &a, 1, c2, 2) != 0)
        die("zk_r1cs_add_constraint");
    p = path(dir, "binfile", "small.r1cs");
    if (zk_r1cs_write(p, cs) != 0)
        die("zk_r1cs_write");
    free(p);
    zk_r1cs_free(cs);

    /* json: a proof, public signals and two verification keys. */
    zk_g1 g1, g1n;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g1_neg(&g1n, &g1);
    zk_g2_generator(&g2);
    zk_groth16_proof proof = {g1, g2, g1n};
    put_json(dir, "proof.json", zk_json_proof_encode(&proof));
    put_json(dir, "public.json", zk_json_public_encode(w, 4));

    zk_g1 ic[2] = {g1, g1n};
    zk_groth16_vk vk;
    memset(&vk, 0, sizeof vk);
    vk.alpha = g1;
    vk.beta = g2;
    vk.gamma = g2;
    vk.delta = g2;
    vk.n_public = 1;
    vk.ic = ic;
    put_json(dir, "vk.json", zk_json_vk_encode(&vk));
    zk_pairing(&vk.alphabeta, &vk.alpha, &vk.beta);
    vk.has_alphabeta = 1;
    put_json(dir, "vk_alphabeta.json", zk_json_vk_encode(&vk));

    /* points: generator encodings and field strings. */
    uint8_t b64[64], b128[128];
    zk_g1_to_eth(b64, &g1);
    put(dir, "points", "g1.eth", b64, 64);
    zk_g1_to_iden3(b64, &g1);
    put(dir, "points", "g1.iden3", b64, 64);
    zk_g2_to_eth(b128, &g2);
    put(dir, "points", "g2.eth", b128, 128);
    zk_g2_to_iden3(b128, &g2);
    put(dir, "points", "g2.iden3", b128, 128);
    char dec[ZK_FP_DEC_MAX], hex[ZK_FP_HEX_MAX];
    zk_fp_to_dec(dec, &g2.x.c0);
    put(dir, "points", "fp.dec", dec, strlen(dec));
    zk_fp_to_hex(hex, &g2.y.c1);
    put(dir, "points", "fp.hex", hex, strlen(hex));
    return 0;
}
