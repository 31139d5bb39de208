/*
 * transcript.c -- SnarkPack's Fiat-Shamir transcript (transcript.h).
 */
#include "aggregate/transcript.h"

#include <string.h>

static void put(zk_agg_transcript *t, const uint8_t *p, size_t n)
{
    (void)crypto_generichash_update(&t->st, p, n);
}

static void put_u32(zk_agg_transcript *t, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    put(t, b, 4);
}

static void put_u64(zk_agg_transcript *t, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    put(t, b, 8);
}

void zk_agg_transcript_absorb(zk_agg_transcript *t, const char *label,
                              const uint8_t *data, size_t len)
{
    size_t ll = strlen(label);
    put_u32(t, (uint32_t)ll);
    put(t, (const uint8_t *)label, ll);
    put_u64(t, (uint64_t)len);
    if (len)
        put(t, data, len);
}

void zk_agg_transcript_init(zk_agg_transcript *t, const char *domain)
{
    (void)crypto_generichash_init(&t->st, NULL, 0, 64);
    zk_agg_transcript_absorb(t, "zkpar-snarkpack",
                             (const uint8_t *)ZK_AGG_TRANSCRIPT_VERSION,
                             strlen(ZK_AGG_TRANSCRIPT_VERSION));
    zk_agg_transcript_absorb(t, "domain", (const uint8_t *)domain,
                             strlen(domain));
}

void zk_agg_transcript_absorb_u64(zk_agg_transcript *t, const char *label,
                                  uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    zk_agg_transcript_absorb(t, label, b, 8);
}

void zk_agg_transcript_absorb_fr(zk_agg_transcript *t, const char *label,
                                 const zk_fr *v)
{
    uint8_t b[32];
    zk_fr_to_bytes_be(b, v);
    zk_agg_transcript_absorb(t, label, b, 32);
}

void zk_agg_transcript_absorb_g1(zk_agg_transcript *t, const char *label,
                                 const zk_g1 *p)
{
    uint8_t b[64];
    zk_g1_to_eth(b, p);
    zk_agg_transcript_absorb(t, label, b, 64);
}

void zk_agg_transcript_absorb_g2(zk_agg_transcript *t, const char *label,
                                 const zk_g2 *p)
{
    uint8_t b[128];
    zk_g2_to_eth(b, p);
    zk_agg_transcript_absorb(t, label, b, 128);
}

void zk_agg_transcript_absorb_gt(zk_agg_transcript *t, const char *label,
                                 const zk_fp12 *x)
{
    zk_fp c[12];
    uint8_t b[12 * 32];
    zk_fp12_get_coeffs(c, x);
    for (int i = 0; i < 12; i++)
        zk_fp_to_bytes_be(b + 32 * i, &c[i]);
    zk_agg_transcript_absorb(t, label, b, sizeof b);
}

/* c from 32 little-endian bytes, top 3 bits cleared; 0 when c is 0 or 1. */
static int take(zk_fr *c, const uint8_t h[32])
{
    uint64_t l[4];
    for (int i = 0; i < 4; i++) {
        l[i] = 0;
        for (int j = 7; j >= 0; j--)
            l[i] = (l[i] << 8) | h[8 * i + j];
    }
    l[3] &= (UINT64_C(1) << 61) - 1;
    if (zk_fr_from_limbs(c, l) != ZK_OK) /* not reached: c < 2^253 < r */
        return 0;
    return !zk_fr_is_zero(c) && !zk_fr_is_one(c);
}

void zk_agg_transcript_challenge(zk_fr *c, zk_agg_transcript *t,
                                 const char *label)
{
    zk_agg_transcript_absorb(t, "challenge", (const uint8_t *)label,
                             strlen(label));
    for (uint64_t ctr = 0;; ctr++) {
        crypto_generichash_state copy = t->st;
        uint8_t h[64];
        (void)crypto_generichash_final(&copy, h, sizeof h);
        sodium_memzero(&copy, sizeof copy);
        if (take(c, h) || take(c, h + 32))
            break;
        zk_agg_transcript_absorb_u64(t, "retry", ctr);
    }
    zk_agg_transcript_absorb_fr(t, "value", c);
}
