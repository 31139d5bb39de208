/*
 * zk-prove -- a Groth16 proof from a snarkjs .zkey and a .wtns witness.
 *
 *   zk-prove [OPTIONS] CIRCUIT.zkey WITNESS.wtns PROOF.json PUBLIC.json
 *
 *   zk-prove [OPTIONS] --keys KEYS_DIR [--resume] [-o SHARE.json] [CHUNK.json]
 *
 * The argument order of rapidsnark's prover; the outputs are snarkjs's
 * proof.json and public.json.  With --keys, a rollup chunk (zk-partition)
 * becomes a proof share.  See zk-prove(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
            "       %s [OPTIONS] --keys KEYS_DIR [--resume] [-o SHARE.json] [CHUNK.json]\n"
            "Prove with Groth16 (BN254) that WITNESS.wtns satisfies the circuit of\n"
            "CIRCUIT.zkey (a snarkjs proving key); write the proof and the public\n"
            "signals as snarkjs JSON.  '-' reads the witness from stdin or writes a\n"
            "JSON output to stdout.  The proof is checked before it is written.\n"
            "With --keys, prove a rollup chunk (from zk-partition; stdin when absent\n"
            "or '-') with the chunk key of KEYS_DIR (zk-setup chunk) and write its\n"
            "proof share (stdout unless -o); a chunk whose records do not produce\n"
            "its claimed roots is refused.  Outputs appear whole or not at all.\n"
            "\n"
            "      --keys DIR    the chunk keys directory (rollup mode)\n"
            "  -o, --output F    the share file (rollup mode; default stdout)\n"
            "      --resume      (with -o) keep an existing share of this chunk that\n"
            "                    verifies against KEYS_DIR/chunk.vk.json; prove and\n"
            "                    replace it otherwise\n"
            "      --wtns F      also write the chunk's witness as a .wtns (rollup\n"
            "                    mode; for snarkjs or rapidsnark with chunk.zkey)\n"
            "  -t, --threads N   worker threads (default: $ZKPAR_THREADS or all CPUs)\n"
            "      --progress    time each phase on stderr (default when stderr is a\n"
            "                    terminal, unless -q)\n"
            "      --json        end with a JSON summary line on stderr (status,\n"
            "                    wall time, phases, the chunk)\n"
            "      --check-key   also check that every B2 point of the key is in G2\n"
            "  -q, --quiet       no warnings or notes\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 proof written (or, with --resume, kept), 1 the witness\n"
            "does not satisfy the circuit or the key holds invalid points (rollup\n"
            "mode: the chunk is invalid or made for another key), 2 usage error or\n"
            "input that cannot be read or parsed (missing, not permitted, a\n"
            "directory, not JSON), 75 temporary failure, worth a retry (an I/O\n"
            "error such as a full disk, out of memory, a thread that cannot start).\n",
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

/* What resume_check says. */
enum { SHARE_OK = 0, SHARE_REDO = -1 };

/*
 * --resume: does out_path hold the share of chunk f, and does its proof
 * verify against KEYS_DIR/chunk.vk.json?  SHARE_OK; SHARE_REDO (missing, or
 * said why unless quiet: unreadable, truncated, another chunk's, a bad
 * proof); or an exit status after a message (chunk.vk.json unusable or
 * not the key of params.json, no memory).
 */
static int resume_check(const cli_opts *o, const char *keys, const char *out_path,
                        const zk_rollup_chunk_file *f)
{
    struct stat st;
    if (stat(out_path, &st) != 0)
        return SHARE_REDO;

    char vbuf[4096];
    const char *vk_path = keys_path(vbuf, sizeof vbuf, keys, "chunk.vk.json");
    if (vk_path == NULL)
        return CLI_USAGE;
    json_t *j;
    int status = cli_json_load(&j, vk_path), rc;
    if (status != 0)
        return status;
    zk_groth16_vk vk;
    memset(&vk, 0, sizeof vk);
    const char *where = NULL;
    char id[ZK_ROLLUP_ID_HEX];
    rc = zk_json_vk_decode(&vk, j, &where);
    json_decref(j);
    j = NULL;
    if (rc != 0) {
        cli_error("%s: not a Groth16 verification key: %s: %s", vk_path,
                  where ? where : "(top)", zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    if (vk.n_public != ZK_ROLLUP_CHUNK_NPUBLIC || (rc = zk_rollup_key_id(id, &vk)) != 0) {
        cli_error("%s: not a chunk key (%zu public inputs, not %d)", vk_path, vk.n_public,
                  ZK_ROLLUP_CHUNK_NPUBLIC);
        status = CLI_USAGE;
        goto out;
    }
    if (strcmp(id, f->key) != 0) {
        cli_error("%s: key id %.16s..., but params.json says %.16s...", vk_path, id, f->key);
        status = CLI_INVALID;
        goto out;
    }

    /* the share: any problem only means that it is made again */
    status = SHARE_REDO;
    json_error_t e;
    if ((j = json_load_file(out_path, JSON_REJECT_DUPLICATES, &e)) == NULL) {
        if (json_error_code(&e) == json_error_out_of_memory) {
            status = cli_oom();
            goto out;
        }
        if (!o->quiet)
            cli_warn("%s: not a share (%s), proving the chunk again", out_path, e.text);
        goto out;
    }
    zk_rollup_share sh;
    rc = zk_rollup_json_share_decode(&sh, j, &where);
    json_decref(j);
    if (rc == ZK_ENOMEM) {
        status = cli_oom();
        goto out;
    } else if (rc != 0) {
        if (!o->quiet)
            cli_warn("%s: not a share (%s: %s), proving the chunk again", out_path,
                     where ? where : "(top)", zk_strerror(rc));
        goto out;
    }
    int same = strcmp(sh.batch, f->batch) == 0 && strcmp(sh.key, f->key) == 0 &&
               sh.index == f->index && sh.count == f->count &&
               sh.transactions == f->transactions;
    for (size_t i = 0; i < ZK_ROLLUP_CHUNK_NPUBLIC; i++)
        same = same && zk_fr_eq(&sh.pub[i], &f->pub[i]);
    if (!same) {
        if (!o->quiet)
            cli_warn("%s: the share of batch %.16s... chunk %u/%u, not of this chunk "
                     "(batch %.16s... chunk %u/%u), proving the chunk again",
                     out_path, sh.batch, sh.index, sh.count, f->batch, f->index, f->count);
        goto out;
    }
    rc = zk_groth16_verify(&vk, sh.pub, ZK_ROLLUP_CHUNK_NPUBLIC, &sh.proof);
    if (rc == ZK_ENOMEM) {
        status = cli_oom();
    } else if (rc != 0) {
        if (!o->quiet)
            cli_warn("%s: %s, proving the chunk again", out_path,
                     rc == ZK_EVERIFY ? "the proof does not verify" : zk_strerror(rc));
    } else {
        status = SHARE_OK;
    }
out:
    zk_groth16_vk_free(&vk);
    return status;
}

static int prove_chunk(cli_opts *o, unsigned zflags, const char *keys,
                       const char *chunk_path, const char *out_path,
                       const char *wtns_path, int resume)
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
    zk_pool *pool = NULL;
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
    if ((status = cli_json_load(&jpar, params_path)) != 0)
        goto out;
    status = CLI_USAGE;
    if ((rc = zk_rollup_json_params_decode(&par, jpar, &where)) != 0) {
        cli_error("%s: %s: %s", params_path, where ? where : "not a zkpar-params file",
                  zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    if ((status = cli_json_load(&jc, chunk_path)) != 0)
        goto out;
    status = CLI_USAGE;
    if ((rc = zk_rollup_json_chunk_decode(&f, jc, &where)) != 0) {
        cli_error("%s: %s: %s", chunk_path, where ? where : "not a zkpar-chunk file",
                  zk_strerror(rc));
        status = cli_exit_code(rc);
        goto out;
    }
    json_decref(jc);
    jc = NULL;
    cli_report_int("index", f.index);
    cli_report_int("count", f.count);
    cli_report_str("batch", f.batch);
    cli_report_int("transactions", f.transactions);
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

    /* --resume: a share that is already there and verifies is kept */
    if (resume) {
        t = cli_now();
        int rs = resume_check(o, keys, out_path, &f);
        cli_progress(o, "resume", cli_now() - t);
        if (rs == SHARE_OK) {
            const char *paths[1] = { out_path };
            cli_remove_stale(1, paths);
            cli_report_bool("skipped", 1);
            if (!o->quiet)
                fprintf(stderr, "%s: %s: exists and verifies, skipped\n", cli_prog(),
                        out_path);
            status = CLI_OK;
            goto out;
        } else if (rs != SHARE_REDO) {
            status = rs;
            goto out;
        }
        cli_report_bool("skipped", 0);
        status = CLI_USAGE;
    }

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
        status = cli_unusable(rc);
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
        status = cli_unusable(rc);
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
        status = cli_file_error(wtns_path, rc, "cannot write");
        goto out;
    }

    if ((status = cli_pool_new(&pool, o)) != 0)
        goto out;
    status = CLI_USAGE;
    t = cli_now();
    rc = zk_zkey_read(&z, zkey_path, zflags, pool, &where, &index);
    if (rc != 0) {
        if (rc == ZK_EIO) {
            status = cli_file_error(zkey_path, rc, "cannot read");
        } else {
            cli_error("%s: %s: %s", zkey_path, where ? where : "bad .zkey", zk_strerror(rc));
            status = cli_exit_code(rc) == CLI_INVALID ? CLI_INVALID : cli_unusable(rc);
        }
        goto out;
    }
    char id[ZK_ROLLUP_ID_HEX];
    if ((rc = zk_groth16_vk_from_zkey(&vk, z)) != 0 || (rc = zk_rollup_key_id(id, &vk)) != 0) {
        cli_error("%s: %s", zkey_path, zk_strerror(rc));
        status = cli_unusable(rc);
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
        status = rc == ZK_EVERIFY || rc == ZK_ENOTINGROUP ? CLI_INVALID : cli_unusable(rc);
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
        status = cli_oom();
        goto out;
    }
    const char *paths[1] = { out_path };
    const char *bufs[1] = { ss };
    size_t lens[1] = { strlen(ss) };
    if ((status = cli_write_all(1, paths, bufs, lens)) != 0)
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
    zk_pool_free(pool);
    zk_rollup_chunk_file_free(&f);
    return status;
}

/* The plain mode: CIRCUIT.zkey WITNESS.wtns PROOF.json PUBLIC.json. */
static int prove_plain(cli_opts *o, unsigned zflags, const char *zkey_path,
                       const char *wtns_path, const char *proof_path,
                       const char *public_path)
{
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

    if ((status = cli_pool_new(&pool, o)) != 0)
        goto out;
    status = CLI_USAGE;

    double t = cli_now();
    rc = zk_zkey_read(&z, zkey_path, zflags, pool, &where, &index);
    if (rc != 0) {
        if (rc == ZK_EIO) {
            status = cli_file_error(zkey_path, rc, "cannot read");
            goto out;
        } else if (index >= 0) {
            cli_error("%s: %s %lld: %s", zkey_path, where ? where : "section",
                      (long long)index, zk_strerror(rc));
        } else {
            cli_error("%s: %s%s%s: %s", zkey_path, zkey_error_what(rc),
                      where ? ", " : "", where ? where : "", zk_strerror(rc));
        }
        status = cli_exit_code(rc) == CLI_INVALID ? CLI_INVALID : cli_unusable(rc);
        goto out;
    }
    cli_progress(o, "read_zkey", cli_now() - t);

    t = cli_now();
    if (strcmp(wtns_path, "-") == 0) {
        /* stdin may be a pipe or a socket: read it whole, decode in memory */
        uint8_t *buf;
        size_t len;
        zk_binfile *f = NULL;
        if ((rc = cli_read_stdin(&buf, &len)) != 0) {
            status = cli_exit_code(rc);
            goto out;
        }
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
        status = cli_file_error(wtns_path, rc,
                                rc == ZK_EIO ? "cannot read" : "not a BN254 .wtns witness");
        if (status == CLI_INVALID) /* a value >= r: not a witness of this field */
            status = CLI_USAGE;
        goto out;
    }
    if (nw != z->n_vars) {
        cli_error("%s: the witness has %zu values but %s expects %u", wtns_path, nw,
                  zkey_path, z->n_vars);
        goto out;
    }
    cli_progress(o, "read_wtns", cli_now() - t);

    zk_groth16_proof proof;
    rc = zk_groth16_prove(&proof, z, w, nw, pool, cli_progress, o);
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
        status = cli_unusable(rc);
        goto out;
    }

    t = cli_now();
    jp = zk_json_proof_encode(&proof);
    jq = zk_json_public_encode(w + 1, z->n_public);
    if (jp == NULL || jq == NULL || (sp = cli_json_dump(jp)) == NULL ||
        (sq = cli_json_dump(jq)) == NULL) {
        status = cli_oom();
        goto out;
    }
    const char *paths[2] = { proof_path, public_path };
    const char *bufs[2] = { sp, sq };
    size_t lens[2] = { strlen(sp), strlen(sq) };
    if ((status = cli_write_all(2, paths, bufs, lens)) != 0)
        goto out;
    cli_progress(o, "write", cli_now() - t);
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

int main(int argc, char **argv)
{
    enum { OPT_CHECK_KEY = 256, OPT_KEYS, OPT_WTNS, OPT_RESUME };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        CLI_JSON_LONGOPT,
        { "check-key", no_argument, NULL, OPT_CHECK_KEY },
        { "keys", required_argument, NULL, OPT_KEYS },
        { "wtns", required_argument, NULL, OPT_WTNS },
        { "resume", no_argument, NULL, OPT_RESUME },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    unsigned zflags = ZK_ZKEY_RAW_COEFS;
    const char *keys = NULL, *out_path = NULL, *wtns_out = NULL;
    int resume = 0, c;

    cli_init(argv[0]);
    cli_malloc_policy();
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "o:", longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k == CLI_OK ? k : cli_finish(k);
        if (c == OPT_CHECK_KEY)
            zflags |= ZK_ZKEY_CHECK_G2;
        else if (c == OPT_KEYS)
            keys = optarg;
        else if (c == 'o')
            out_path = optarg;
        else if (c == OPT_WTNS)
            wtns_out = optarg;
        else if (c == OPT_RESUME)
            resume = 1;
    }
    cli_progress_auto(&o);
    if (keys != NULL) {
        if (argc - optind > 1) {
            cli_error("--keys: expected at most one CHUNK.json, got %d arguments",
                      argc - optind);
            usage(stderr);
            return cli_finish(CLI_USAGE);
        }
        if (resume && (out_path == NULL || strcmp(out_path, "-") == 0)) {
            cli_error("--resume needs -o SHARE.json (a file to keep or replace)");
            return cli_finish(CLI_USAGE);
        }
        return cli_finish(prove_chunk(&o, zflags, keys,
                                      argc - optind == 1 ? argv[optind] : "-",
                                      out_path != NULL ? out_path : "-", wtns_out, resume));
    }
    if (out_path != NULL || wtns_out != NULL || resume) {
        cli_error("-o, --wtns and --resume are options of the rollup mode (--keys) only");
        return cli_finish(CLI_USAGE);
    }
    if (argc - optind != 4) {
        cli_error("expected 4 arguments, got %d", argc - optind);
        usage(stderr);
        return cli_finish(CLI_USAGE);
    }
    return cli_finish(prove_plain(&o, zflags, argv[optind], argv[optind + 1],
                                  argv[optind + 2], argv[optind + 3]));
}
