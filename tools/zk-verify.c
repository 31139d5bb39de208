/*
 * zk-verify -- check a Groth16 proof against a verification key.
 *
 *   zk-verify [OPTIONS] VERIFICATION_KEY.json PUBLIC.json PROOF.json
 *
 *   zk-verify [OPTIONS] --keys KEYS_DIR SHARE.json...
 *
 * The argument order of `snarkjs groth16 verify`.  With --keys, rollup
 * proof shares (zk-prove --keys).  See zk-verify(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "groth16/groth16.h"
#include "io/json.h"
#include "rollup/files.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTIONS] VERIFICATION_KEY.json PUBLIC.json PROOF.json\n"
            "       %s [OPTIONS] --keys KEYS_DIR SHARE.json...\n"
            "Check a Groth16 (BN254) proof in snarkjs JSON against a snarkjs\n"
            "verification key and the public signals.  One file may be '-' (stdin).\n"
            "Prints 'valid' or 'invalid: REASON' on stdout.\n"
            "With --keys, check rollup proof shares (zk-prove --keys) against\n"
            "KEYS_DIR/chunk.vk.json, one line per share: 'SHARE: valid: batch ID\n"
            "chunk I/N: OLD_ROOT -> NEW_ROOT' or 'SHARE: invalid: REASON'.\n"
            "\n"
            "      --keys DIR    the chunk keys directory (rollup mode)\n"
            "  -q, --quiet       print nothing; only the exit status tells\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 valid, 1 invalid (a proof that does not verify, a point\n"
            "off the curve or outside its group, a public signal >= r, a signal\n"
            "count the key does not expect; with --keys: any share invalid or made\n"
            "for another key), 2 usage or unreadable input.\n",
            cli_prog(), cli_prog());
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

/* ------------------------------------------------------------ rollup mode */

/* Check one share; CLI_OK, CLI_INVALID or CLI_USAGE (unreadable). */
static int verify_share(const char *path, const zk_groth16_vk *vk, const char *key_id,
                        int quiet)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    json_t *j = cli_json_read(path);
    if (j == NULL)
        return CLI_USAGE;
    zk_rollup_share sh;
    const char *where = NULL;
    int rc = zk_rollup_json_share_decode(&sh, j, &where);
    json_decref(j);
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

static int verify_shares(const cli_opts *o, const char *keys, int n, char **paths)
{
    char vbuf[4096];
    int len = snprintf(vbuf, sizeof vbuf, "%s/chunk.vk.json", keys);
    if (len < 0 || (size_t)len >= sizeof vbuf) {
        cli_error("%s: path too long", keys);
        return CLI_USAGE;
    }
    json_t *jv = cli_json_read(vbuf);
    if (jv == NULL)
        return CLI_USAGE;
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
    /* every share is checked; the worst outcome decides: 1 over 2 over 0 */
    int any_invalid = 0, any_unusable = 0;
    for (int i = 0; i < n; i++) {
        int st = verify_share(paths[i], &vk, id, o->quiet);
        any_invalid |= st == CLI_INVALID;
        any_unusable |= st == CLI_USAGE;
    }
    zk_groth16_vk_free(&vk);
    return any_invalid ? CLI_INVALID : any_unusable ? CLI_USAGE : CLI_OK;
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
            cli_error("--keys: expected one or more SHARE.json");
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
