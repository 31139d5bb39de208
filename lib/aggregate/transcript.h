/*
 * transcript.h -- the Fiat-Shamir transcript of SnarkPack aggregation: one
 * running BLAKE2b-512 (libsodium) over labelled, length-prefixed messages.
 *
 * Every absorb writes
 *     u32le(len(label)) || label || u64le(len(data)) || data
 * so no two different sequences of (label, data) absorbs hash the same
 * bytes.  A transcript starts with absorb("zkpar-snarkpack", version
 * string) and then absorb("domain", domain) -- the caller's domain
 * separator.  A challenge with label L:
 *     absorb("challenge", L); state' = a copy of the state, finalized to
 *     64 bytes H; c = the integer of H[0..32) little-endian with its top
 *     three bits cleared (c < 2^253 < r, uniform in [0, 2^253));
 *     if c is 0 or 1 the next 32 bytes are tried, then the state is
 *     re-derived with a counter (never seen in practice: 2^-252);
 *     then absorb("value", c) -- so every challenge depends on everything
 *     absorbed before it, and everything after it depends on it.
 * Points are absorbed in their Ethereum encodings (G1 64 bytes, G2 128
 * bytes big-endian, infinity as zeros; curve/g1.h, g2.h), G_T elements as
 * their 12 Fp coefficients big-endian in fp12.h's order (384 bytes),
 * scalars as 32 bytes big-endian.
 *
 * The order in which SnarkPack absorbs what (aggregate.h) is the protocol;
 * this module only guarantees that the transcript is injective and that a
 * challenge binds everything absorbed before it.
 *
 * Not thread-safe per object; objects are independent.  Public data only.
 */
#ifndef ZK_AGGREGATE_TRANSCRIPT_H
#define ZK_AGGREGATE_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fp12.h"
#include "field/fr.h"
#include "util/err.h"

#define ZK_AGG_TRANSCRIPT_VERSION "v1"

typedef struct {
    crypto_generichash_state st;
} zk_agg_transcript;

/* A fresh transcript for `domain` (a NUL-terminated label). */
void zk_agg_transcript_init(zk_agg_transcript *t, const char *domain);

void zk_agg_transcript_absorb(zk_agg_transcript *t, const char *label,
                              const uint8_t *data, size_t len);
void zk_agg_transcript_absorb_u64(zk_agg_transcript *t, const char *label,
                                  uint64_t v);
void zk_agg_transcript_absorb_fr(zk_agg_transcript *t, const char *label,
                                 const zk_fr *v);
void zk_agg_transcript_absorb_g1(zk_agg_transcript *t, const char *label,
                                 const zk_g1 *p);
void zk_agg_transcript_absorb_g2(zk_agg_transcript *t, const char *label,
                                 const zk_g2 *p);
void zk_agg_transcript_absorb_gt(zk_agg_transcript *t, const char *label,
                                 const zk_fp12 *x);

/* *c = the challenge labelled `label` (above): never 0 or 1. */
void zk_agg_transcript_challenge(zk_fr *c, zk_agg_transcript *t,
                                 const char *label);

#endif
