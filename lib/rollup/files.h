/*
 * files.h -- the pipeline's JSON files: chunk, manifest, proof share,
 * aggregate and key parameters, plus the batch and key identifiers that
 * tie them together.  Formats in zkpar-formats(5); conventions as rollup/json.h
 * (field elements as decimal strings, small integers as numbers, keys in
 * the order shown, decoders that check everything they can and name the
 * failing part in `where`, the same return codes).
 *
 *   params   {"format": "zkpar-params", "version": 1, "chunk_size": k,
 *             "depth": D, "tokens": T, "constraints": n, "key": "<id>"}
 *            (KEYS_DIR/params.json; "key" is zk_rollup_key_id of the
 *            directory's chunk.vk.json)
 *
 *   chunk    {"format": "zkpar-chunk", "version": 1, "batch": "<id>",
 *             "index": i, "count": n, "key": "<id>", "chunk_size": k,
 *             "depth": D, "tokens": T, "transactions": m,
 *             "old_root": "<dec>", "new_root": "<dec>",
 *             "commitment": "<dec>",
 *             "records": [record x k], "settle": settle}
 *            m = the number of the batch's transactions in this chunk
 *            (the other k - m records are no-op pads);
 *   record   {"tx": tx (rollup/json.h), "old_root", "new_root",
 *             "steps": [step, step]}
 *   step     {"active": bool, "index": i, "pre_exists": bool,
 *             "post_exists": bool, "pre": account, "post": account,
 *             "pre_leaf", "post_leaf", "pre_balance", "post_balance",
 *             "balance_path": [T x "<dec>"], "account_path": [D x "<dec>"],
 *             "root_before", "root_after"}
 *   account  {"pubkey": ["<x>", "<y>"], "nonce": n, "balance_root": "<dec>"}
 *   settle   {"fees": [2^T], "pre": account, "post": account,
 *             "pre_balances": [2^T], "post_balances": [2^T],
 *             "pre_leaf", "post_leaf", "account_path": [D],
 *             "old_root", "new_root"}
 *            A chunk is the full transition records (rollup/tx.h), so it
 *            can be checked and proven with no other file.  The record's
 *            msg is not stored: the decoder recomputes it.  The decoder
 *            checks shapes and ranges only (and that old_root, new_root,
 *            commitment are zk_rollup_chunk_publics of the records: else
 *            ZK_EVERIFY at "old_root" / "new_root" / "commitment"); the
 *            rules are zk_rollup_chunk_check's job.
 *
 *   manifest {"format": "zkpar-manifest", "version": 1, "batch": "<id>",
 *             "key": "<id>", "chunk_size": k, "depth": D, "tokens": T,
 *             "transactions": m, "chunks": n,
 *             "roots": [n + 1 x "<dec>"], "commitments": [n x "<dec>"],
 *             "skipped": [{"index": i, "rule": "<name>",
 *                          "reason": "<text>"}, ...]}
 *            "batch" must equal zk_rollup_batch_id of the rest (ZK_EVERIFY
 *            at "batch").  "index" of a skipped transaction is its
 *            position in the batch file; "rule" is zk_rollup_rule_name.
 *
 *   share    {"format": "zkpar-share", "version": 1, "batch": "<id>",
 *             "index": i, "count": n, "key": "<id>", "transactions": m,
 *             "public": ["<old_root>", "<new_root>", "<commitment>"],
 *             "proof": {snarkjs proof.json object (io/json.h)}}
 *
 *   aggregate {"format": "zkpar-aggregate", "version": 1, "batch": "<id>",
 *             "key": "<id>", "chunk_size": k, "depth": D, "tokens": T,
 *             "chunks": n, "transactions": m,
 *             "old_root": "<dec>", "new_root": "<dec>",
 *             "public": [n x ["<old_root>", "<new_root>", "<commitment>"]],
 *             "proof": "<hex>"}
 *            One batch's shares folded by zk-aggregate: row i is chunk
 *            i's public inputs, m the sum of the shares' "transactions"
 *            (a label), "proof" the binary SnarkPack aggregate
 *            (aggregate/aggregate.h) in lowercase hex, bound to the 32
 *            bytes of "batch" (zk_rollup_id_bytes).
 *
 * Identifiers are 64 lowercase hex digits (32 bytes):
 *   key id    BLAKE2b-256 of "zkpar-key-v1" || the verifying key's points
 *             as big-endian 32-byte coordinates: alpha (x, y), beta, gamma,
 *             delta (x0, x1, y0, y1 each; Fp2 = c0 + c1 u), IC[0 .. n]
 *             (x, y); preceded by n as u32 little-endian.
 *   batch id  BLAKE2b-256 of "zkpar-batch-v1" || k, D, T, n as u32
 *             little-endian || root_0 || c_0 || root_1 || c_1 || ... ||
 *             c_{n-1} || root_n (32-byte big-endian field elements): it
 *             binds the parameters, the chain of roots and every chunk's
 *             data commitment, and anyone holding the shares' public
 *             inputs can recompute it.
 *
 * Thread-safe: no shared mutable state.
 */
#ifndef ZK_ROLLUP_FILES_H
#define ZK_ROLLUP_FILES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "field/fr.h"
#include "io/json.h"
#include "rollup/chunk.h"
#include "rollup/tx.h"
#include "util/err.h"

#define ZK_ROLLUP_ID_HEX 65     /* 64 hex digits + NUL */
#define ZK_ROLLUP_ID_BYTES 32

/* ------------------------------------------------------- identifiers */

/* out = the key id of vk (above).  ZK_EINVAL. */
ZK_WUR int zk_rollup_key_id(char out[ZK_ROLLUP_ID_HEX],
                            const zk_groth16_vk *vk);

/* out = the batch id of k, D, T and n chunks with roots[0 .. n] and
 * commitments[0 .. n).  ZK_EINVAL (NULL, n == 0). */
ZK_WUR int zk_rollup_batch_id(char out[ZK_ROLLUP_ID_HEX], unsigned k,
                              unsigned depth, unsigned token_depth, size_t n,
                              const zk_fr *roots, const zk_fr *commitments);

/* 1 when s is 64 lowercase hex digits. */
int zk_rollup_id_ok(const char *s);

/* out = the 32 bytes of the id s (an aggregate's transcript context is
 * its batch id's bytes).  ZK_EENCODING when zk_rollup_id_ok(s) is not 1
 * (out untouched); ZK_EINVAL (NULL out). */
ZK_WUR int zk_rollup_id_bytes(uint8_t out[ZK_ROLLUP_ID_BYTES], const char *s);

/* ------------------------------------------------------------ params */

typedef struct {
    unsigned chunk_size, depth, token_depth;
    uint64_t constraints;
    char key[ZK_ROLLUP_ID_HEX];
} zk_rollup_params;

json_t *zk_rollup_json_params_encode(const zk_rollup_params *p);
ZK_WUR int zk_rollup_json_params_decode(zk_rollup_params *out,
                                        const json_t *j, const char **where);

/* ------------------------------------------------------------- chunk */

typedef struct {
    char batch[ZK_ROLLUP_ID_HEX];
    char key[ZK_ROLLUP_ID_HEX];
    uint32_t index, count;
    uint32_t transactions;                  /* m <= k */
    zk_rollup_chunk chunk;                  /* k records and the settle */
    zk_fr pub[ZK_ROLLUP_CHUNK_NPUBLIC];     /* old, new, commitment */
} zk_rollup_chunk_file;

/* Free the chunk inside (zk_rollup_chunk_free); NULL fine. */
void zk_rollup_chunk_file_free(zk_rollup_chunk_file *f);

/* pub is written from f->pub (the caller fills it with
 * zk_rollup_chunk_publics). */
json_t *zk_rollup_json_chunk_encode(const zk_rollup_chunk_file *f);
/* *out: its chunk allocated (free with zk_rollup_chunk_file_free); zeroed
 * on error.  index < count, m <= k, k/D/T in range, exactly k records,
 * arrays of length T, D, 2^T. */
ZK_WUR int zk_rollup_json_chunk_decode(zk_rollup_chunk_file *out,
                                       const json_t *j, const char **where);

/* ---------------------------------------------------------- manifest */

typedef struct {
    uint64_t index;         /* in the batch file */
    zk_rollup_rule rule;
} zk_rollup_skip;

typedef struct {
    char batch[ZK_ROLLUP_ID_HEX];
    char key[ZK_ROLLUP_ID_HEX];
    unsigned chunk_size, depth, token_depth;
    uint64_t transactions;
    size_t count;           /* chunks */
    zk_fr *roots;           /* count + 1, malloc'ed */
    zk_fr *commitments;     /* count, malloc'ed */
    size_t n_skipped;
    zk_rollup_skip *skipped;/* malloc'ed (NULL when none) */
} zk_rollup_manifest;

void zk_rollup_manifest_free(zk_rollup_manifest *m);   /* NULL fine */

/* "batch" is written as m->batch (the caller computes it). */
json_t *zk_rollup_json_manifest_encode(const zk_rollup_manifest *m);
ZK_WUR int zk_rollup_json_manifest_decode(zk_rollup_manifest *out,
                                          const json_t *j,
                                          const char **where);

/* ------------------------------------------------------------- share */

typedef struct {
    char batch[ZK_ROLLUP_ID_HEX];
    char key[ZK_ROLLUP_ID_HEX];
    uint32_t index, count;
    uint32_t transactions;
    zk_fr pub[ZK_ROLLUP_CHUNK_NPUBLIC];
    zk_groth16_proof proof;
} zk_rollup_share;

json_t *zk_rollup_json_share_encode(const zk_rollup_share *s);
/* The proof's points are checked as zk_json_proof_decode does (on the
 * curve, B in G2; where = "proof.pi_a" ...); public values < r. */
ZK_WUR int zk_rollup_json_share_decode(zk_rollup_share *out, const json_t *j,
                                       const char **where);

/* --------------------------------------------------------- aggregate */

typedef struct {
    char batch[ZK_ROLLUP_ID_HEX];
    char key[ZK_ROLLUP_ID_HEX];
    unsigned chunk_size, depth, token_depth;
    uint64_t chunks;        /* "chunks" as written: 1 .. 2^32 - 1 */
    uint64_t transactions;  /* a label, covered by nothing: 0 .. 2^53 */
    zk_fr old_root, new_root;
    size_t rows;            /* the rows of "public" */
    zk_fr *pub;             /* rows x ZK_ROLLUP_CHUNK_NPUBLIC, row by row,
                             * malloc'ed (NULL when rows is 0) */
    size_t proof_len;
    uint8_t *proof;         /* the binary aggregate, malloc'ed (NULL when
                             * proof_len is 0) */
} zk_rollup_aggregate;

/* Free pub and proof and zero *a; NULL fine.  Only for an aggregate the
 * decoder filled (an encoder's input owns its arrays). */
void zk_rollup_aggregate_free(zk_rollup_aggregate *a);

/* Every member is written as *a holds it (zk-aggregate sets chunks =
 * rows, old_root = the first row's old root and new_root = the last
 * row's new root).  NULL (as for memory) for what the decoder refuses on
 * its face: ids that are not ids, k, D, T out of range, chunks 0 or above
 * 2^32 - 1, transactions above 2^53, pub NULL with rows > 0, proof NULL
 * with proof_len > 0. */
json_t *zk_rollup_json_aggregate_encode(const zk_rollup_aggregate *a);

/*
 * *out: pub and proof allocated (free with zk_rollup_aggregate_free);
 * zeroed on error.  Shapes and ranges only:
 *  - ids; k, D, T in range; "chunks" and "transactions" JSON integers
 *    0 .. 2^53 (counts: no decimal strings), "chunks" 1 .. 2^32 - 1
 *    (ZK_ERANGE);
 *  - "public" an array, of any length, of rows of exactly 3 values < r
 *    (where = "public", "public[i]", "public[i][j]"); old_root and
 *    new_root < r;
 *  - "proof" a string of an even number of hex digits (uppercase ones
 *    are taken too; ZK_EENCODING), not decoded: that is
 *    zk_agg_proof_decode's job, with its own codes.
 * The rules that tie the members together are the verifier's, which
 * checks them after comparing key, K, D and T with its keys and reports
 * each as a verdict (zk-verify(1)): rows = chunks, the rows chain from
 * old_root to new_root, batch = zk_rollup_batch_id of K, D, T and the
 * rows, the proof verifies.  A decoded aggregate may break them.
 */
ZK_WUR int zk_rollup_json_aggregate_decode(zk_rollup_aggregate *out, const json_t *j,
                                           const char **where);

#endif
