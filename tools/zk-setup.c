/*
 * zk-setup -- make and export keys.
 *
 *   zk-setup contribute [--name NAME] IN.zkey OUT.zkey
 *   zk-setup vk CIRCUIT.zkey VERIFICATION_KEY.json
 *
 * See zk-setup(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "groth16/contribute.h"
#include "groth16/groth16.h"
#include "io/json.h"
#include "io/zkey.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s COMMAND [OPTIONS] ARGS...\n"
            "Make and export keys.\n"
            "\n"
            "Commands:\n"
            "  contribute [--name NAME] IN.zkey OUT.zkey\n"
            "      add a phase-2 contribution (randomness from libsodium), as\n"
            "      `snarkjs zkey contribute` does\n"
            "  vk CIRCUIT.zkey VERIFICATION_KEY.json\n"
            "      export the verification key of a Groth16 proving key, as\n"
            "      `snarkjs zkey export verificationkey` does ('-': stdout)\n"
            "\n"
            "Options:\n"
            "  -t, --threads N   worker threads (default: $ZKPAR_THREADS or all CPUs)\n"
            "      --progress    time each phase on stderr\n"
            "  -q, --quiet       no warnings\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 success, 1 input content rejected, 2 usage or\n"
            "unreadable input.\n",
            cli_prog());
}

/* Read a .zkey, reporting errors; NULL on error with *status set. */
static zk_zkey *read_zkey(const char *path, unsigned flags, zk_pool *pool, int *status)
{
    zk_zkey *z = NULL;
    const char *where = NULL;
    int64_t index = -1;
    int rc = zk_zkey_read(&z, path, flags, pool, &where, &index);
    if (rc == 0)
        return z;
    if (rc == ZK_EIO)
        cli_file_error(path, rc, "cannot read");
    else if (index >= 0)
        cli_error("%s: %s %lld: %s", path, where ? where : "section", (long long)index,
                  zk_strerror(rc));
    else
        cli_error("%s: %s: %s", path, where ? where : "not a Groth16 .zkey for BN254",
                  zk_strerror(rc));
    *status = cli_exit_code(rc) == CLI_INVALID ? CLI_INVALID : CLI_USAGE;
    return NULL;
}

/* Serialize j and write it to path atomically ("-": stdout). */
static int write_json(const char *path, const json_t *j)
{
    char *s = cli_json_dump(j);
    if (s == NULL) {
        cli_error("out of memory");
        return CLI_USAGE;
    }
    const char *paths[1] = { path };
    const char *bufs[1] = { s };
    size_t lens[1] = { strlen(s) };
    int rc = cli_write_all(1, paths, bufs, lens);
    free(s);
    return rc == 0 ? CLI_OK : CLI_USAGE;
}

static int cmd_vk(const cli_opts *o, zk_pool *pool, int argc, char **argv)
{
    (void)o;
    if (argc != 2) {
        cli_error("vk: expected CIRCUIT.zkey VERIFICATION_KEY.json");
        return CLI_USAGE;
    }
    int status = CLI_USAGE;
    zk_zkey *z = read_zkey(argv[0], ZK_ZKEY_VK_ONLY, pool, &status);
    if (z == NULL)
        return status;
    zk_groth16_vk vk;
    json_t *j = NULL;
    int rc = zk_groth16_vk_from_zkey(&vk, z);
    if (rc != 0) {
        cli_error("%s: %s", argv[0], zk_strerror(rc));
        goto out;
    }
    if ((j = zk_json_vk_encode(&vk)) == NULL) {
        cli_error("out of memory");
        goto out;
    }
    status = write_json(argv[1], j);
out:
    json_decref(j);
    zk_groth16_vk_free(&vk);
    zk_zkey_free(z);
    return status;
}

/* Options beyond the common ones, and which commands take them. */
typedef struct {
    int dev;
    const char *name;
} setup_opts;

static int cmd_contribute(const cli_opts *o, const setup_opts *so, zk_pool *pool,
                          int argc, char **argv)
{
    if (argc != 2) {
        cli_error("contribute: expected IN.zkey OUT.zkey");
        return CLI_USAGE;
    }
    int status = CLI_USAGE;
    zk_zkey *in = read_zkey(argv[0], 0, pool, &status), *out = NULL;
    if (in == NULL)
        return status;
    double t = cli_now();
    int rc = zk_groth16_contribute(&out, in, so->name, pool);
    if (rc != 0) {
        cli_error("%s: cannot contribute: %s", argv[0], zk_strerror(rc));
        goto done;
    }
    cli_progress((void *)o, "contribute", cli_now() - t);
    t = cli_now();
    rc = zk_zkey_write(argv[1], out);
    if (rc != 0) {
        cli_file_error(argv[1], rc, "cannot write");
        goto done;
    }
    cli_progress((void *)o, "write", cli_now() - t);
    if (!o->quiet) {
        uint8_t h[64];
        zk_groth16_contribution_hash(h, &out->contributions[out->n_contributions - 1]);
        fprintf(stderr, "%s: contribution #%u hash:", cli_prog(), out->n_contributions);
        for (int i = 0; i < 64; i++)
            fprintf(stderr, "%s%02x", i % 16 == 0 ? "\n\t" : (i % 4 == 0 ? " " : ""), h[i]);
        fputc('\n', stderr);
    }
    status = CLI_OK;
done:
    zk_zkey_free(out);
    zk_zkey_free(in);
    return status;
}

int main(int argc, char **argv)
{
    enum { OPT_DEV = 256, OPT_NAME };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "dev", no_argument, NULL, OPT_DEV },
        { "name", required_argument, NULL, OPT_NAME },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    setup_opts so = { 0, NULL };
    int c;

    cli_init(argv[0]);
    /* options anywhere: GNU getopt moves the operands to the end */
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        int k = cli_common_option(&o, c, optarg);
        if (k < 0)
            return CLI_USAGE;
        if (k > 0)
            continue;
        switch (c) {
        case 'h':
            usage(stdout);
            return CLI_OK;
        case 'V':
            cli_version();
            return CLI_OK;
        case OPT_DEV:
            so.dev = 1;
            break;
        case OPT_NAME:
            so.name = optarg;
            break;
        default:
            usage(stderr);
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("no command");
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    if (so.dev && strcmp(cmd, "groth16") != 0) {
        cli_error("--dev is an option of 'groth16' only");
        return CLI_USAGE;
    }
    if (so.name != NULL && strcmp(cmd, "contribute") != 0) {
        cli_error("--name is an option of 'contribute' only");
        return CLI_USAGE;
    }

    int status;
    zk_pool *pool = cli_pool(&o);
    if (pool == NULL)
        return CLI_USAGE;
    if (strcmp(cmd, "vk") == 0) {
        status = cmd_vk(&o, pool, nargs, args);
    } else if (strcmp(cmd, "contribute") == 0) {
        status = cmd_contribute(&o, &so, pool, nargs, args);
    } else {
        cli_error("unknown command '%s'", cmd);
        usage(stderr);
        status = CLI_USAGE;
    }
    zk_pool_free(pool);
    return status;
}
