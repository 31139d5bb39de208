/*
 * zk-verify -- check a Groth16 proof against a verification key.
 *
 *   zk-verify [OPTIONS] VERIFICATION_KEY.json PUBLIC.json PROOF.json
 *
 * The argument order of `snarkjs groth16 verify`.  See zk-verify(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "groth16/groth16.h"
#include "io/json.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTIONS] VERIFICATION_KEY.json PUBLIC.json PROOF.json\n"
            "Check a Groth16 (BN254) proof in snarkjs JSON against a snarkjs\n"
            "verification key and the public signals.  One file may be '-' (stdin).\n"
            "Prints 'valid' or 'invalid: REASON' on stdout.\n"
            "\n"
            "  -q, --quiet       print nothing; only the exit status tells\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 valid, 1 invalid (a proof that does not verify, a point\n"
            "off the curve or outside its group, a public signal >= r, a signal\n"
            "count the key does not expect), 2 usage or unreadable input.\n",
            cli_prog());
}

/* Report a decode error of one file: where names the JSON member. */
static int decode_error(const char *path, const char *kind, int rc, const char *where,
                        int content_is_invalid, int quiet)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    int code = content_is_invalid ? cli_exit_code(rc) : CLI_USAGE;
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

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    int c;

    cli_init(argv[0]);
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k != CLI_NEXT)
            return k == CLI_MINE ? CLI_USAGE : k; /* it has no options of its own */
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
    if ((jv = cli_json_read(vk_path)) == NULL || (jx = cli_json_read(pub_path)) == NULL ||
        (jp = cli_json_read(proof_path)) == NULL)
        goto out;

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
