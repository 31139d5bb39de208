/*
 * zk-verify -- check a Groth16 proof against a verification key.
 *
 *   zk-verify [OPTIONS] VERIFICATION_KEY.json PUBLIC.json PROOF.json
 *
 *   zk-verify [OPTIONS] --keys KEYS_DIR (SHARE.json | AGGREGATE.json)...
 *
 * The argument order of `snarkjs groth16 verify`.  With --keys, rollup
 * proof shares (zk-prove --keys) and aggregates (zk-aggregate), each file
 * by its "format".  See zk-verify(1).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/srs.h"

#include "cli.h"
#include "groth16/groth16.h"
#include "io/json.h"
#include "rollup/files.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTIONS] VERIFICATION_KEY.json PUBLIC.json PROOF.json\n"
            "       %s [OPTIONS] --keys KEYS_DIR (SHARE.json | AGGREGATE.json)...\n"
            "Check a Groth16 (BN254) proof in snarkjs JSON against a snarkjs\n"
            "verification key and the public signals.  One file may be '-' (stdin).\n"
            "Prints 'valid' or 'invalid: REASON' on stdout.\n"
            "With --keys, check rollup proof shares (zk-prove --keys) against\n"
            "KEYS_DIR/chunk.vk.json, one line per share: 'SHARE: valid: batch ID\n"
            "chunk I/N: OLD_ROOT -> NEW_ROOT' or 'SHARE: invalid: REASON'.\n"
            "An aggregate (zk-aggregate) is checked against KEYS_DIR/chunk.vk.json,\n"
            "srs.vk.json and params.json: 'AGGREGATE: valid: batch ID: OLD_ROOT ->\n"
            "NEW_ROOT, M txs in N chunks' or 'AGGREGATE: invalid: REASON'.\n"
            "\n"
            "      --keys DIR    the chunk keys directory (rollup mode)\n"
            "  -q, --quiet       print nothing; only the exit status tells\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 valid, 1 invalid (a proof that does not verify, a point\n"
            "off the curve or outside its group, a public signal >= r, a signal\n"
            "count the key does not expect; with --keys: any share or aggregate\n"
            "invalid or made for another key), 2 usage error or input that cannot\n"
            "be read or parsed (missing, not permitted, a directory, not JSON), 75\n"
            "temporary failure, worth a retry (an I/O error, out of memory).  With\n"
            "several files the first of 1, 2, 75 that applies to one of them.\n",
            cli_prog(), cli_prog());
}

/* Report a decode error of one file: where names the JSON member. */
static int decode_error(const char *path, const char *kind, int rc, const char *where,
                        int content_is_invalid, int quiet)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    int code = content_is_invalid ? cli_exit_code(rc) : cli_unusable(rc);
    if (code == CLI_INVALID) {
        cli_error("%s: invalid %s: %s: %s", name, kind, where ? where : "(top)",
                  zk_strerror(rc));
        if (!quiet)
            printf("invalid: %s: %s\n", where ? where : kind, zk_strerror(rc));
    } else {
        cli_error("%s: not a %s: %s: %s", name, kind, where ? where : "(top)",
                  zk_strerror(rc));
    }
    return code;
}

/* ------------------------------------------------------------ rollup mode */

/* Check one share (j, read from path); CLI_OK, CLI_INVALID, CLI_USAGE
 * (unusable) or CLI_TEMPFAIL (no memory). */
static int verify_share(const char *path, const json_t *j, const zk_groth16_vk *vk,
                        const char *key_id, int quiet)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    zk_rollup_share sh;
    const char *where = NULL;
    int rc = zk_rollup_json_share_decode(&sh, j, &where);
    if (rc != 0) {
        int code = cli_exit_code(rc);
        if (code == CLI_INVALID) {
            cli_error("%s: invalid share: %s: %s", name, where ? where : "(top)",
                      zk_strerror(rc));
            if (!quiet)
                printf("%s: invalid: %s: %s\n", name, where ? where : "share",
                       zk_strerror(rc));
        } else {
            cli_error("%s: not a zkpar share: %s: %s", name, where ? where : "(top)",
                      zk_strerror(rc));
        }
        return code;
    }
    if (strcmp(sh.key, key_id) != 0) {
        if (!quiet)
            printf("%s: invalid: made for key %.16s..., not this key (%.16s...)\n", name,
                   sh.key, key_id);
        return CLI_INVALID;
    }
    rc = zk_groth16_verify(vk, sh.pub, ZK_ROLLUP_CHUNK_NPUBLIC, &sh.proof);
    if (rc == ZK_EVERIFY) {
        if (!quiet)
            printf("%s: invalid: the proof does not verify\n", name);
        return CLI_INVALID;
    } else if (rc != 0) {
        cli_error("%s: cannot verify: %s", name, zk_strerror(rc));
        return cli_exit_code(rc);
    }
    if (!quiet) {
        char a[ZK_FR_HEX_MAX], b[ZK_FR_HEX_MAX];
        zk_fr_to_hex(a, &sh.pub[0]);
        zk_fr_to_hex(b, &sh.pub[1]);
        printf("%s: valid: batch %.16s chunk %u/%u: %.18s... -> %.18s...\n", name,
               sh.batch, sh.index, sh.count, a, b);
    }
    return CLI_OK;
}

/* ------------------------------------------------------- aggregate mode */

/* What aggregates need beyond chunk.vk.json, read at the first one. */
typedef struct {
    const char *keys;
    int state;              /* 0 not read yet, 1 read, else the exit status
                             * of the failure (said once) */
    zk_rollup_params par;   /* params.json: K, D, T */
    zk_agg_vk svk;          /* srs.vk.json */
} agg_keys;

/* Read params.json and srs.vk.json of ak->keys; 0 or the exit status. */
static int load_agg_keys(agg_keys *ak, const char *key_id)
{
    if (ak->state != 0)
        return ak->state == 1 ? 0 : ak->state;
    ak->state = CLI_USAGE;
    char pbuf[4096], sbuf[4096];
    int n1 = snprintf(pbuf, sizeof pbuf, "%s/params.json", ak->keys);
    int n2 = snprintf(sbuf, sizeof sbuf, "%s/srs.vk.json", ak->keys);
    if (n1 < 0 || (size_t)n1 >= sizeof pbuf || n2 < 0 || (size_t)n2 >= sizeof sbuf) {
        cli_error("%s: path too long", ak->keys);
        return CLI_USAGE;
    }
    const char *where = NULL;
    json_t *j;
    int rc = cli_json_load(&j, pbuf);
    if (rc != 0)
        return ak->state = rc;
    rc = zk_rollup_json_params_decode(&ak->par, j, &where);
    json_decref(j);
    if (rc != 0) {
        cli_error("%s: not a zkpar-params file: %s: %s", pbuf, where ? where : "(top)",
                  zk_strerror(rc));
        return ak->state = cli_unusable(rc);
    }
    if (strcmp(ak->par.key, key_id) != 0) {
        cli_error("%s: key %.16s..., but chunk.vk.json is key %.16s...: not one keys "
                  "directory",
                  pbuf, ak->par.key, key_id);
        return CLI_USAGE;
    }
    if ((rc = cli_json_load(&j, sbuf)) != 0)
        return ak->state = rc;
    rc = zk_agg_vk_decode(&ak->svk, j, &where);
    json_decref(j);
    if (rc != 0) {
        cli_error("%s: not a SnarkPack verifier key: %s: %s", sbuf, where ? where : "(top)",
                  zk_strerror(rc));
        return ak->state = cli_unusable(rc);
    }
    ak->state = 1;
    return 0;
}

/* A verdict of invalid for name: the reason on stdout; CLI_INVALID. */
static int agg_invalid(const char *name, int quiet, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int agg_invalid(const char *name, int quiet, const char *fmt, ...)
{
    if (!quiet) {
        va_list ap;
        printf("%s: invalid: ", name);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
    }
    return CLI_INVALID;
}

/* The reason for the aggregate decoder's rc at where: ZK_ERANGE is a
 * field element >= r (the rows, the roots) or a count or parameter out of
 * its range (the others). */
static const char *agg_reason(int rc, const char *where)
{
    if (rc != ZK_ERANGE || where == NULL)
        return zk_strerror(rc);
    if (strncmp(where, "public[", 7) == 0 || strcmp(where, "old_root") == 0 ||
        strcmp(where, "new_root") == 0)
        return "a value >= r";
    return "out of range";
}

/*
 * Check one aggregate (j, read from path): the shape, then its labels
 * against the keys and its public rows, then the proof.  CLI_OK,
 * CLI_INVALID, CLI_USAGE or CLI_TEMPFAIL.
 */
static int verify_aggregate(const char *path, const json_t *j, const zk_groth16_vk *vk,
                            const char *key_id, agg_keys *ak, int quiet)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    zk_rollup_aggregate a;
    const char *where = NULL;
    int rc = zk_rollup_json_aggregate_decode(&a, j, &where);
    if (rc == ZK_ENOMEM)
        return cli_oom();
    if (rc != 0 && cli_exit_code(rc) == CLI_INVALID)
        return agg_invalid(name, quiet, "%s: %s", where ? where : "(top)",
                           agg_reason(rc, where));
    if (rc != 0) {
        cli_error("%s: not a zkpar-aggregate: %s: %s", name, where ? where : "(top)",
                  zk_strerror(rc));
        return cli_unusable(rc);
    }

    int status = load_agg_keys(ak, key_id);
    zk_fr *roots = NULL, *comm = NULL;
    zk_agg_proof *p = NULL;
    if (status != 0)
        goto out;

    /* the labels, against the keys */
    status = CLI_INVALID;
    if (strcmp(a.key, key_id) != 0) {
        agg_invalid(name, quiet, "made for key %.16s..., not this key (%.16s...)", a.key,
                    key_id);
        goto out;
    }
    if (a.chunk_size != ak->par.chunk_size || a.depth != ak->par.depth ||
        a.token_depth != ak->par.token_depth) {
        agg_invalid(name, quiet, "made for K=%u D=%u T=%u, but %s/params.json says K=%u D=%u T=%u",
                    a.chunk_size, a.depth, a.token_depth, ak->keys, ak->par.chunk_size,
                    ak->par.depth, ak->par.token_depth);
        goto out;
    }
    if (a.chunks > ak->svk.n_max) {
        agg_invalid(name, quiet, "chunks: %llu, but srs.vk.json serves 1 to %zu proofs",
                    (unsigned long long)a.chunks, ak->svk.n_max);
        goto out;
    }
    if (a.rows != a.chunks) {
        agg_invalid(name, quiet, "public: %zu rows, but chunks says %llu", a.rows,
                    (unsigned long long)a.chunks);
        goto out;
    }

    /* the rows: chained, their ends the roots, their batch id the batch */
    size_t n = a.rows;
    const zk_fr *pubs = a.pub;
    roots = malloc((n + 1) * sizeof *roots);
    comm = malloc(n * sizeof *comm);
    p = malloc(sizeof *p);
    if (roots == NULL || comm == NULL || p == NULL) {
        status = cli_oom();
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        roots[i] = pubs[i * ZK_ROLLUP_CHUNK_NPUBLIC];
        comm[i] = pubs[i * ZK_ROLLUP_CHUNK_NPUBLIC + 2];
    }
    roots[n] = pubs[(n - 1) * ZK_ROLLUP_CHUNK_NPUBLIC + 1];
    for (size_t i = 1; i < n; i++)
        if (!zk_fr_eq(&pubs[(i - 1) * ZK_ROLLUP_CHUNK_NPUBLIC + 1], &roots[i])) {
            agg_invalid(name, quiet,
                        "public[%zu][0] is not public[%zu][1]: the roots do not chain", i,
                        i - 1);
            goto out;
        }
    if (!zk_fr_eq(&a.old_root, &roots[0])) {
        agg_invalid(name, quiet, "old_root is not public[0][0]");
        goto out;
    }
    if (!zk_fr_eq(&a.new_root, &roots[n])) {
        agg_invalid(name, quiet, "new_root is not public[%zu][1]", n - 1);
        goto out;
    }
    char id[ZK_ROLLUP_ID_HEX];
    rc = zk_rollup_batch_id(id, ak->par.chunk_size, ak->par.depth, ak->par.token_depth, n,
                            roots, comm);
    if (rc != 0) {
        cli_error("%s: cannot compute the batch id: %s", name, zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    if (strcmp(id, a.batch) != 0) {
        agg_invalid(name, quiet, "batch %s is not the batch id of its public rows (%s)",
                    a.batch, id);
        goto out;
    }

    /* the proof, bound to the batch id */
    uint8_t ctx[ZK_ROLLUP_ID_BYTES];
    if ((rc = zk_rollup_id_bytes(ctx, a.batch)) != 0) {
        cli_error("%s: not a zkpar-aggregate: batch: %s", name, zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    rc = zk_agg_proof_decode(p, a.proof, a.proof_len);
    if (rc != 0) {
        agg_invalid(name, quiet, "proof: not an aggregate proof: %s", zk_strerror(rc));
        goto out;
    }
    if (p->n != n || p->rounds >= 64 || ((uint64_t)1 << p->rounds) != zk_agg_padded(n)) {
        agg_invalid(name, quiet, "proof: made for %llu proofs in %u rounds, not %zu",
                    (unsigned long long)p->n, p->rounds, n);
        goto out;
    }
    rc = zk_agg_verify(&ak->svk, vk, pubs, n, ctx, sizeof ctx, p);
    if (rc == ZK_ENOMEM || (rc != 0 && rc != ZK_EVERIFY && cli_exit_code(rc) != CLI_INVALID)) {
        cli_error("%s: cannot verify: %s", name, zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    if (rc != 0) {
        agg_invalid(name, quiet, "the aggregate proof does not verify%s%s",
                    rc == ZK_EVERIFY ? "" : ": ", rc == ZK_EVERIFY ? "" : zk_strerror(rc));
        goto out;
    }
    if (!quiet) {
        char h0[ZK_FR_HEX_MAX], h1[ZK_FR_HEX_MAX];
        zk_fr_to_hex(h0, &roots[0]);
        zk_fr_to_hex(h1, &roots[n]);
        printf("%s: valid: batch %.16s: %.18s... -> %.18s..., %llu txs in %zu chunks\n",
               name, a.batch, h0, h1, (unsigned long long)a.transactions, n);
    }
    status = CLI_OK;
out:
    free(p);
    free(comm);
    free(roots);
    zk_rollup_aggregate_free(&a);
    return status;
}

/* One file of the rollup mode: an aggregate or a share, by its "format". */
static int verify_file(const char *path, const zk_groth16_vk *vk, const char *key_id,
                       agg_keys *ak, int quiet)
{
    json_t *j;
    int st = cli_json_load(&j, path);
    if (st != 0)
        return st;
    const char *format = json_string_value(json_object_get(j, "format"));
    st = format != NULL && strcmp(format, "zkpar-aggregate") == 0
             ? verify_aggregate(path, j, vk, key_id, ak, quiet)
             : verify_share(path, j, vk, key_id, quiet);
    json_decref(j);
    return st;
}

static int verify_shares(const cli_opts *o, const char *keys, int n, char **paths)
{
    char vbuf[4096];
    int len = snprintf(vbuf, sizeof vbuf, "%s/chunk.vk.json", keys);
    if (len < 0 || (size_t)len >= sizeof vbuf) {
        cli_error("%s: path too long", keys);
        return CLI_USAGE;
    }
    json_t *jv;
    int status = cli_json_load(&jv, vbuf);
    if (status != 0)
        return status;
    zk_groth16_vk vk;
    memset(&vk, 0, sizeof vk);
    const char *where = NULL;
    char id[ZK_ROLLUP_ID_HEX];
    int rc = zk_json_vk_decode(&vk, jv, &where);
    json_decref(jv);
    if (rc != 0) {
        zk_groth16_vk_free(&vk);
        return decode_error(vbuf, "Groth16 verification key", rc, where, 0, o->quiet);
    }
    if (vk.n_public != ZK_ROLLUP_CHUNK_NPUBLIC || zk_rollup_key_id(id, &vk) != 0) {
        cli_error("%s: not a chunk key (%zu public inputs, not %d)", vbuf, vk.n_public,
                  ZK_ROLLUP_CHUNK_NPUBLIC);
        zk_groth16_vk_free(&vk);
        return CLI_USAGE;
    }
    /* every share is checked; the worst outcome decides: 1 over 2 over 75
     * over 0 (a retry cannot help when one file is invalid or unusable) */
    int any_invalid = 0, any_unusable = 0, any_temp = 0;
    agg_keys ak;
    memset(&ak, 0, sizeof ak);
    ak.keys = keys;
    for (int i = 0; i < n; i++) {
        int st = verify_file(paths[i], &vk, id, &ak, o->quiet);
        any_invalid |= st == CLI_INVALID;
        any_unusable |= st == CLI_USAGE;
        any_temp |= st == CLI_TEMPFAIL;
    }
    zk_groth16_vk_free(&vk);
    return any_invalid    ? CLI_INVALID
           : any_unusable ? CLI_USAGE
           : any_temp     ? CLI_TEMPFAIL
                          : CLI_OK;
}

int main(int argc, char **argv)
{
    enum { OPT_KEYS = 256 };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "keys", required_argument, NULL, OPT_KEYS },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    const char *keys = NULL;
    int c;

    cli_init(argv[0]);
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k;
        if (c == OPT_KEYS)
            keys = optarg;
    }
    if (keys != NULL) {
        if (argc - optind < 1) {
            cli_error("--keys: expected one or more SHARE.json or AGGREGATE.json");
            usage(stderr);
            return CLI_USAGE;
        }
        int stdin_n = 0;
        for (int i = optind; i < argc; i++)
            stdin_n += strcmp(argv[i], "-") == 0;
        if (stdin_n > 1) {
            cli_error("only one file can be '-' (stdin)");
            return CLI_USAGE;
        }
        return verify_shares(&o, keys, argc - optind, argv + optind);
    }
    if (argc - optind != 3) {
        cli_error("expected 3 arguments, got %d", argc - optind);
        usage(stderr);
        return CLI_USAGE;
    }
    const char *vk_path = argv[optind], *pub_path = argv[optind + 1],
               *proof_path = argv[optind + 2];
    int stdin_uses = !strcmp(vk_path, "-") + !strcmp(pub_path, "-") +
                     !strcmp(proof_path, "-");
    if (stdin_uses > 1) {
        cli_error("only one file can be '-' (stdin)");
        return CLI_USAGE;
    }

    int status = CLI_USAGE;
    json_t *jv = NULL, *jx = NULL, *jp = NULL;
    zk_groth16_vk vk;
    zk_fr *x = NULL;
    size_t nx = 0;
    zk_groth16_proof proof;
    const char *where = NULL;
    int rc;

    memset(&vk, 0, sizeof vk);
    if ((status = cli_json_load(&jv, vk_path)) != 0 ||
        (status = cli_json_load(&jx, pub_path)) != 0 ||
        (status = cli_json_load(&jp, proof_path)) != 0)
        goto out;
    status = CLI_USAGE;

    /* A key that cannot be used is unusable input (2), whatever is wrong. */
    rc = zk_json_vk_decode(&vk, jv, &where);
    if (rc != 0) {
        status = decode_error(vk_path, "Groth16 verification key", rc, where, 0, o.quiet);
        goto out;
    }
    rc = zk_json_public_decode(&x, &nx, jx, &where);
    if (rc != 0) {
        status = decode_error(pub_path, "list of public signals", rc, where, 1, o.quiet);
        goto out;
    }
    rc = zk_json_proof_decode(&proof, jp, &where);
    if (rc != 0) {
        status = decode_error(proof_path, "Groth16 proof", rc, where, 1, o.quiet);
        goto out;
    }
    if (nx != vk.n_public) {
        cli_error("%s: %zu public signals, but %s expects %zu", pub_path, nx, vk_path,
                  vk.n_public);
        if (!o.quiet)
            printf("invalid: wrong number of public signals\n");
        status = CLI_INVALID;
        goto out;
    }

    rc = zk_groth16_verify(&vk, x, nx, &proof);
    if (rc == 0) {
        if (!o.quiet)
            printf("valid\n");
        status = CLI_OK;
    } else if (rc == ZK_EVERIFY) {
        if (!o.quiet)
            printf("invalid: the proof does not verify\n");
        status = CLI_INVALID;
    } else {
        cli_error("cannot verify: %s", zk_strerror(rc));
        status = cli_exit_code(rc);
    }

out:
    free(x);
    zk_groth16_vk_free(&vk);
    json_decref(jv);
    json_decref(jx);
    json_decref(jp);
    return status;
}
