/*
 * zk-prove -- a Groth16 proof from a snarkjs .zkey and a .wtns witness.
 *
 *   zk-prove [OPTIONS] CIRCUIT.zkey WITNESS.wtns PROOF.json PUBLIC.json
 *
 * The argument order of rapidsnark's prover; the outputs are snarkjs's
 * proof.json and public.json.  See zk-prove(1).
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

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTIONS] CIRCUIT.zkey WITNESS.wtns PROOF.json PUBLIC.json\n"
            "Prove with Groth16 (BN254) that WITNESS.wtns satisfies the circuit of\n"
            "CIRCUIT.zkey (a snarkjs proving key); write the proof and the public\n"
            "signals as snarkjs JSON.  '-' reads the witness from stdin or writes a\n"
            "JSON output to stdout.  The proof is checked before it is written.\n"
            "\n"
            "  -t, --threads N   worker threads (default: $ZKPAR_THREADS or all CPUs)\n"
            "      --progress    time each phase on stderr\n"
            "      --check-key   also check that every B2 point of the key is in G2\n"
            "  -q, --quiet       no warnings\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 proof written, 1 the witness does not satisfy the circuit\n"
            "or the key holds invalid points, 2 usage or unreadable input.\n",
            cli_prog());
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

int main(int argc, char **argv)
{
    enum { OPT_CHECK_KEY = 256 };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "check-key", no_argument, NULL, OPT_CHECK_KEY },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    unsigned zflags = ZK_ZKEY_RAW_COEFS;
    int c;

    cli_init(argv[0]);
    cli_malloc_policy();
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k;
        if (c == OPT_CHECK_KEY)
            zflags |= ZK_ZKEY_CHECK_G2;
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
