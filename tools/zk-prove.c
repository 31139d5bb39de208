/*
 * zk-prove -- a Groth16 proof from a snarkjs .zkey and a .wtns witness.
 *
 *   zk-prove [OPTIONS] CIRCUIT.zkey WITNESS.wtns PROOF.json PUBLIC.json
 *
 *   zk-prove [OPTIONS] --keys KEYS_DIR [-o SHARE.json] [CHUNK.json]
 *
 * The argument order of rapidsnark's prover; the outputs are snarkjs's
 * proof.json and public.json.  With --keys, a rollup chunk (zk-partition)
 * becomes a proof share.  See zk-prove(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"
#include "groth16/groth16.h"
#include "io/binfile.h"
#include "io/json.h"
#include "io/wtns.h"
#include "io/zkey.h"
#include "r1cs/cs.h"
#include "rollup/chunk.h"
#include "rollup/files.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTIONS] CIRCUIT.zkey WITNESS.wtns PROOF.json PUBLIC.json\n"
            "       %s [OPTIONS] --keys KEYS_DIR [-o SHARE.json] [CHUNK.json]\n"
            "Prove with Groth16 (BN254) that WITNESS.wtns satisfies the circuit of\n"
            "CIRCUIT.zkey (a snarkjs proving key); write the proof and the public\n"
            "signals as snarkjs JSON.  '-' reads the witness from stdin or writes a\n"
            "JSON output to stdout.  The proof is checked before it is written.\n"
            "With --keys, prove a rollup chunk (from zk-partition; stdin when absent\n"
            "or '-') with the chunk key of KEYS_DIR (zk-setup chunk) and write its\n"
            "proof share (stdout unless -o); a chunk whose records do not produce\n"
            "its claimed roots is refused.\n"
            "\n"
            "      --keys DIR    the chunk keys directory (rollup mode)\n"
            "  -o, --output F    the share file (rollup mode; default stdout)\n"
            "      --wtns F      also write the chunk's witness as a .wtns (rollup\n"
            "                    mode; for snarkjs or rapidsnark with chunk.zkey)\n"
            "  -t, --threads N   worker threads (default: $ZKPAR_THREADS or all CPUs)\n"
            "      --progress    time each phase on stderr\n"
            "      --check-key   also check that every B2 point of the key is in G2\n"
            "  -q, --quiet       no warnings\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 proof written, 1 the witness does not satisfy the circuit\n"
            "or the key holds invalid points (rollup mode: the chunk is invalid or\n"
            "made for another key), 2 usage or unreadable input.\n",
            cli_prog(), cli_prog());
}

static const char *zkey_error_what(int rc)
{
    switch (rc) {
    case ZK_EFORMAT:
        return "not a Groth16 .zkey for BN254";
    case ZK_EENCODING:
        return "malformed .zkey";
    default:
        return "bad .zkey";
    }
}

/* ------------------------------------------------------------ rollup mode */

/* dir/name in a static-size buffer; NULL after a message. */
static const char *keys_path(char *buf, size_t len, const char *dir, const char *name)
{
    int n = snprintf(buf, len, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= len) {
        cli_error("%s: path too long", dir);
        return NULL;
    }
    return buf;
}

static int prove_chunk(cli_opts *o, zk_pool *pool, unsigned zflags, const char *keys,
                       const char *chunk_path, const char *out_path,
                       const char *wtns_path)
{
    char pbuf[4096], zbuf[4096];
    const char *params_path = keys_path(pbuf, sizeof pbuf, keys, "params.json");
    const char *zkey_path = keys_path(zbuf, sizeof zbuf, keys, "chunk.zkey");
    if (params_path == NULL || zkey_path == NULL)
        return CLI_USAGE;

    int status = CLI_USAGE, rc;
    const char *where = NULL;
    int64_t index = -1;
    json_t *jpar = NULL, *jc = NULL, *js = NULL;
    zk_zkey *z = NULL;
    zk_cs *cs = NULL;
    zk_fr *w = NULL;
    size_t nw = 0;
    char *ss = NULL;
    zk_groth16_vk vk;
    memset(&vk, 0, sizeof vk);
    zk_rollup_params par;
    zk_rollup_chunk_file f;
    memset(&f, 0, sizeof f);

    double t = cli_now();
    if ((jpar = cli_json_read(params_path)) == NULL)
        goto out;
    if ((rc = zk_rollup_json_params_decode(&par, jpar, &where)) != 0) {
        cli_error("%s: %s: %s", params_path, where ? where : "not a zkpar-params file",
                  zk_strerror(rc));
        goto out;
    }
    if ((jc = cli_json_read(chunk_path)) == NULL)
        goto out;
    if ((rc = zk_rollup_json_chunk_decode(&f, jc, &where)) != 0) {
        cli_error("%s: %s: %s", chunk_path, where ? where : "not a zkpar-chunk file",
                  zk_strerror(rc));
        status = cli_exit_code(rc) == CLI_INVALID || rc == ZK_EVERIFY ? CLI_INVALID
                                                                     : CLI_USAGE;
        goto out;
    }
    json_decref(jc);
    jc = NULL;
    if (f.chunk.chunk_size != par.chunk_size || f.chunk.depth != par.depth ||
        f.chunk.token_depth != par.token_depth || strcmp(f.key, par.key) != 0) {
        cli_error("%s: made for key %.16s... (K=%u D=%u T=%u), but %s holds key "
                  "%.16s... (K=%u D=%u T=%u)",
                  chunk_path, f.key, f.chunk.chunk_size, f.chunk.depth,
                  f.chunk.token_depth, keys, par.key, par.chunk_size, par.depth,
                  par.token_depth);
        status = CLI_INVALID;
        goto out;
    }
    cli_progress(o, "read_chunk", cli_now() - t);

    /* the rules, natively first: a reason, not just an unsatisfied constraint */
    t = cli_now();
    zk_rollup_rule why = ZK_ROLLUP_VALID;
    size_t at = 0;
    rc = zk_rollup_chunk_check(&why, &at, &f.chunk);
    if (rc == ZK_EVERIFY) {
        if (at < f.chunk.chunk_size)
            cli_error("%s: chunk %u, record %zu (%s): %s: %s", chunk_path, f.index, at,
                      zk_rollup_tx_type_name(f.chunk.rec[at].tx.type)
                          ? zk_rollup_tx_type_name(f.chunk.rec[at].tx.type)
                          : "bad type",
                      zk_rollup_rule_name(why), zk_rollup_rule_str(why));
        else
            cli_error("%s: chunk %u, the fee settlement: %s: %s", chunk_path, f.index,
                      zk_rollup_rule_name(why), zk_rollup_rule_str(why));
        status = CLI_INVALID;
        goto out;
    } else if (rc != 0) {
        cli_error("%s: cannot check the chunk: %s", chunk_path, zk_strerror(rc));
        goto out;
    }
    cli_progress(o, "rules", cli_now() - t);

    t = cli_now();
    rc = zk_rollup_chunk_cs(&cs, ZK_CS_WITNESS_ONLY, &f.chunk, 0, 0, 0);
    if (rc == 0)
        rc = zk_cs_witness(&w, &nw, cs);
    zk_cs_free(cs);
    cs = NULL;
    if (rc != 0) {
        cli_error("%s: cannot compute the witness: %s", chunk_path, zk_strerror(rc));
        goto out;
    }
    for (size_t i = 0; i < ZK_ROLLUP_CHUNK_NPUBLIC; i++)
        if (!zk_fr_eq(&w[1 + i], &f.pub[i])) { /* not reached after the check */
            cli_error("%s: the chunk's public input %zu is not what its records give",
                      chunk_path, i);
            status = CLI_INVALID;
            goto out;
        }
    cli_progress(o, "witness", cli_now() - t);
    if (wtns_path != NULL && (rc = zk_wtns_write(wtns_path, w, nw)) != 0) {
        cli_file_error(wtns_path, rc, "cannot write");
        goto out;
    }

    t = cli_now();
    rc = zk_zkey_read(&z, zkey_path, zflags, pool, &where, &index);
    if (rc != 0) {
        if (rc == ZK_EIO)
            cli_file_error(zkey_path, rc, "cannot read");
        else
            cli_error("%s: %s: %s", zkey_path, where ? where : "bad .zkey", zk_strerror(rc));
        status = cli_exit_code(rc) == CLI_INVALID ? CLI_INVALID : CLI_USAGE;
        goto out;
    }
    char id[ZK_ROLLUP_ID_HEX];
    if ((rc = zk_groth16_vk_from_zkey(&vk, z)) != 0 || (rc = zk_rollup_key_id(id, &vk)) != 0) {
        cli_error("%s: %s", zkey_path, zk_strerror(rc));
        goto out;
    }
    if (strcmp(id, par.key) != 0 || z->n_vars != nw ||
        z->n_public != ZK_ROLLUP_CHUNK_NPUBLIC) {
        cli_error("%s: not the key of %s (key id %.16s..., params say %.16s...)",
                  zkey_path, params_path, id, par.key);
        status = CLI_INVALID;
        goto out;
    }
    cli_progress(o, "read_zkey", cli_now() - t);

    zk_rollup_share sh;
    memset(&sh, 0, sizeof sh);
    rc = zk_groth16_prove(&sh.proof, z, w, nw, pool, cli_progress, o);
    if (rc != 0) {
        cli_error("%s: cannot prove: %s", chunk_path, zk_strerror(rc));
        status = rc == ZK_EVERIFY || rc == ZK_ENOTINGROUP ? CLI_INVALID : CLI_USAGE;
        goto out;
    }
    memcpy(sh.batch, f.batch, sizeof sh.batch);
    memcpy(sh.key, f.key, sizeof sh.key);
    sh.index = f.index;
    sh.count = f.count;
    sh.transactions = f.transactions;
    memcpy(sh.pub, f.pub, sizeof sh.pub);

    t = cli_now();
    if ((js = zk_rollup_json_share_encode(&sh)) == NULL || (ss = cli_json_dump(js)) == NULL) {
        cli_error("out of memory");
        goto out;
    }
    const char *paths[1] = { out_path };
    const char *bufs[1] = { ss };
    size_t lens[1] = { strlen(ss) };
    if (cli_write_all(1, paths, bufs, lens) != 0)
        goto out;
    cli_progress(o, "write", cli_now() - t);
    status = CLI_OK;
out:
    free(ss);
    json_decref(js);
    json_decref(jc);
    json_decref(jpar);
    if (w != NULL)
        sodium_memzero(w, nw * sizeof *w);
    free(w);
    zk_cs_free(cs);
    zk_groth16_vk_free(&vk);
    zk_zkey_free(z);
    zk_rollup_chunk_file_free(&f);
    return status;
}

int main(int argc, char **argv)
{
    enum { OPT_CHECK_KEY = 256, OPT_KEYS, OPT_WTNS };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "check-key", no_argument, NULL, OPT_CHECK_KEY },
        { "keys", required_argument, NULL, OPT_KEYS },
        { "wtns", required_argument, NULL, OPT_WTNS },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    unsigned zflags = ZK_ZKEY_RAW_COEFS;
    const char *keys = NULL, *out_path = NULL, *wtns_out = NULL;
    int c;

    cli_init(argv[0]);
    cli_malloc_policy();
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "o:", longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k;
        if (c == OPT_CHECK_KEY)
            zflags |= ZK_ZKEY_CHECK_G2;
        else if (c == OPT_KEYS)
            keys = optarg;
        else if (c == 'o')
            out_path = optarg;
        else if (c == OPT_WTNS)
            wtns_out = optarg;
    }
    if (keys != NULL) {
        if (argc - optind > 1) {
            cli_error("--keys: expected at most one CHUNK.json, got %d arguments",
                      argc - optind);
            usage(stderr);
            return CLI_USAGE;
        }
        zk_pool *kp = cli_pool(&o);
        if (kp == NULL)
            return CLI_USAGE;
        int st = prove_chunk(&o, kp, zflags, keys,
                             argc - optind == 1 ? argv[optind] : "-",
                             out_path != NULL ? out_path : "-", wtns_out);
        zk_pool_free(kp);
        return st;
    }
    if (out_path != NULL || wtns_out != NULL) {
        cli_error("-o and --wtns are options of the rollup mode (--keys) only");
        return CLI_USAGE;
    }
    if (argc - optind != 4) {
        cli_error("expected 4 arguments, got %d", argc - optind);
        usage(stderr);
        return CLI_USAGE;
    }
    const char *zkey_path = argv[optind], *wtns_path = argv[optind + 1];
    const char *proof_path = argv[optind + 2], *public_path = argv[optind + 3];
    if (strcmp(zkey_path, "-") == 0) {
        cli_error("CIRCUIT.zkey cannot be '-': the key is mapped from a file");
        return CLI_USAGE;
    }
    if (strcmp(proof_path, "-") == 0 && strcmp(public_path, "-") == 0) {
        cli_error("PROOF.json and PUBLIC.json cannot both be '-'");
        return CLI_USAGE;
    }

    int status = CLI_USAGE;
    zk_pool *pool = NULL;
    zk_zkey *z = NULL;
    zk_fr *w = NULL;
    size_t nw = 0;
    json_t *jp = NULL, *jq = NULL;
    char *sp = NULL, *sq = NULL;
    const char *where = NULL;
    int64_t index = -1;
    int rc;

    if ((pool = cli_pool(&o)) == NULL)
        goto out;

    double t = cli_now();
    rc = zk_zkey_read(&z, zkey_path, zflags, pool, &where, &index);
    if (rc != 0) {
        if (rc == ZK_EIO)
            cli_file_error(zkey_path, rc, "cannot read");
        else if (index >= 0)
            cli_error("%s: %s %lld: %s", zkey_path, where ? where : "section",
                      (long long)index, zk_strerror(rc));
        else
            cli_error("%s: %s%s%s: %s", zkey_path, zkey_error_what(rc),
                      where ? ", " : "", where ? where : "", zk_strerror(rc));
        status = cli_exit_code(rc) == CLI_INVALID ? CLI_INVALID : CLI_USAGE;
        goto out;
    }
    cli_progress(&o, "read_zkey", cli_now() - t);

    t = cli_now();
    if (strcmp(wtns_path, "-") == 0) {
        /* stdin may be a pipe or a socket: read it whole, decode in memory */
        uint8_t *buf;
        size_t len;
        zk_binfile *f = NULL;
        if (cli_read_stdin(&buf, &len) != 0)
            goto out;
        rc = zk_binfile_open_mem(&f, buf, len, "wtns", 2);
        if (rc == 0)
            rc = zk_wtns_decode(&w, &nw, f);
        zk_binfile_close(f);
        sodium_memzero(buf, len); /* the private inputs were in there */
        free(buf);
    } else {
        rc = zk_wtns_read(&w, &nw, wtns_path);
    }
    if (rc != 0) {
        cli_file_error(wtns_path, rc,
                       rc == ZK_EIO ? "cannot read" : "not a BN254 .wtns witness");
        goto out;
    }
    if (nw != z->n_vars) {
        cli_error("%s: the witness has %zu values but %s expects %u", wtns_path, nw,
                  zkey_path, z->n_vars);
        goto out;
    }
    cli_progress(&o, "read_wtns", cli_now() - t);

    zk_groth16_proof proof;
    rc = zk_groth16_prove(&proof, z, w, nw, pool, cli_progress, &o);
    switch (rc) {
    case 0:
        break;
    case ZK_EVERIFY:
        cli_error("%s does not satisfy the circuit of %s (the proof does not verify)",
                  wtns_path, zkey_path);
        status = CLI_INVALID;
        goto out;
    case ZK_ENOTINGROUP:
        cli_error("%s: a B2 point is not in G2 (the proof's B is not)", zkey_path);
        status = CLI_INVALID;
        goto out;
    case ZK_EFORMAT:
        cli_error("%s: the first witness value is not 1: not a witness", wtns_path);
        goto out;
    default:
        cli_error("cannot prove: %s", zk_strerror(rc));
        goto out;
    }

    t = cli_now();
    jp = zk_json_proof_encode(&proof);
    jq = zk_json_public_encode(w + 1, z->n_public);
    if (jp == NULL || jq == NULL || (sp = cli_json_dump(jp)) == NULL ||
        (sq = cli_json_dump(jq)) == NULL) {
        cli_error("out of memory");
        goto out;
    }
    const char *paths[2] = { proof_path, public_path };
    const char *bufs[2] = { sp, sq };
    size_t lens[2] = { strlen(sp), strlen(sq) };
    if (cli_write_all(2, paths, bufs, lens) != 0)
        goto out;
    cli_progress(&o, "write", cli_now() - t);
    status = CLI_OK;

out:
    free(sp);
    free(sq);
    json_decref(jp);
    json_decref(jq);
    if (w != NULL) /* the private inputs are in there */
        sodium_memzero(w, nw * sizeof *w);
    free(w);
    zk_zkey_free(z);
    zk_pool_free(pool);
    return status;
}
