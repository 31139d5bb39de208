/*
 * zk-setup -- make and export keys.
 *
 *   zk-setup groth16 CIRCUIT.r1cs POT.ptau CIRCUIT.zkey
 *   zk-setup groth16 --dev CIRCUIT.r1cs CIRCUIT.zkey
 *   zk-setup ptau --dev POWER OUT.ptau
 *   zk-setup contribute [--name NAME] IN.zkey OUT.zkey
 *   zk-setup verify CIRCUIT.r1cs POT.ptau CIRCUIT.zkey
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
#include "groth16/ptau_dev.h"
#include "groth16/setup.h"
#include "io/ptau.h"
#include "io/r1cs.h"
#include "io/json.h"
#include "io/zkey.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s COMMAND [OPTIONS] ARGS...\n"
            "Make and export keys.\n"
            "\n"
            "Commands:\n"
            "  groth16 CIRCUIT.r1cs POT.ptau CIRCUIT.zkey\n"
            "      the initial proving key, as `snarkjs groth16 setup` makes it\n"
            "  groth16 --dev CIRCUIT.r1cs CIRCUIT.zkey\n"
            "      a DEVELOPMENT key from local randomness (insecure)\n"
            "  ptau --dev POWER OUT.ptau\n"
            "      a DEVELOPMENT powers of tau, prepared for phase 2 (insecure)\n"
            "  contribute [--name NAME] IN.zkey OUT.zkey\n"
            "      add a phase-2 contribution (randomness from libsodium), as\n"
            "      `snarkjs zkey contribute` does\n"
            "  verify CIRCUIT.r1cs POT.ptau CIRCUIT.zkey\n"
            "      check a key against its circuit and ptau, and its contributions\n"
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

/* Read an .r1cs, reporting errors; NULL on error. */
static zk_r1cs *read_r1cs(const char *path)
{
    zk_r1cs *cs = NULL;
    int rc = zk_r1cs_read(&cs, path);
    if (rc != 0)
        cli_file_error(path, rc, rc == ZK_EIO ? "cannot read" : "not a BN254 .r1cs circuit");
    return cs;
}

/* Open a .ptau, reporting errors; NULL on error. */
static zk_ptau *read_ptau(const char *path)
{
    zk_ptau *p = NULL;
    const char *where = NULL;
    int rc = zk_ptau_open(&p, path, &where);
    if (rc == ZK_EIO)
        cli_file_error(path, rc, "cannot read");
    else if (rc != 0)
        cli_error("%s: not a BN254 powers-of-tau file: %s%s%s", path, where ? where : "",
                  where ? ": " : "", zk_strerror(rc));
    return p;
}

/* The initial key of cs from ptau (or --dev); NULL with *status on error. */
static zk_zkey *make_key(const cli_opts *o, const char *r1cs_path, const zk_r1cs *cs,
                         const char *ptau_path, const zk_ptau *ptau, zk_pool *pool,
                         int *status)
{
    zk_zkey *z = NULL;
    const char *where = NULL;
    uint32_t need;
    if (ptau != NULL && zk_groth16_setup_log_domain(&need, cs) == 0 &&
        zk_ptau_power(ptau) < need) {
        cli_error("%s: power %u is too small for %s, which needs a domain of 2^%u "
                  "(a ptau of power %u or more)",
                  ptau_path, zk_ptau_power(ptau), r1cs_path, need, need);
        *status = CLI_USAGE;
        return NULL;
    }
    double t = cli_now();
    int rc = ptau != NULL ? zk_groth16_setup(&z, cs, ptau, pool, &where)
                          : zk_groth16_setup_dev(&z, cs, pool);
    if (rc == 0) {
        cli_progress((void *)o, "setup", cli_now() - t);
        return z;
    }
    if (where != NULL && strncmp(where, "ptau", 4) == 0)
        cli_error("%s: %s: %s", ptau_path, where, zk_strerror(rc));
    else if (where != NULL)
        cli_error("%s: %s: %s", r1cs_path, where, zk_strerror(rc));
    else
        cli_error("%s: cannot set up: %s", r1cs_path, zk_strerror(rc));
    *status = rc == ZK_EUNSUPPORTED || rc == ZK_EFORMAT || rc == ZK_EINVAL ||
                      rc == ZK_ENOMEM
                  ? CLI_USAGE
                  : CLI_INVALID;
    return NULL;
}

static int cmd_groth16(const cli_opts *o, const setup_opts *so, zk_pool *pool, int argc,
                       char **argv)
{
    if (argc != (so->dev ? 2 : 3)) {
        cli_error(so->dev ? "groth16 --dev: expected CIRCUIT.r1cs CIRCUIT.zkey"
                          : "groth16: expected CIRCUIT.r1cs POT.ptau CIRCUIT.zkey "
                            "(or --dev CIRCUIT.r1cs CIRCUIT.zkey)");
        return CLI_USAGE;
    }
    const char *r1cs_path = argv[0], *ptau_path = so->dev ? NULL : argv[1];
    const char *out_path = argv[argc - 1];
    int status = CLI_USAGE;
    zk_ptau *ptau = NULL;
    zk_zkey *z = NULL;
    zk_r1cs *cs = read_r1cs(r1cs_path);
    if (cs == NULL)
        return CLI_USAGE;
    if (!so->dev && (ptau = read_ptau(ptau_path)) == NULL)
        goto done;
    if ((z = make_key(o, r1cs_path, cs, ptau_path, ptau, pool, &status)) == NULL)
        goto done;
    double t = cli_now();
    int rc = zk_zkey_write(out_path, z);
    if (rc != 0) {
        cli_file_error(out_path, rc, "cannot write");
        status = CLI_USAGE;
        goto done;
    }
    cli_progress((void *)o, "write", cli_now() - t);
    if (so->dev && !o->quiet)
        fprintf(stderr,
                "%s: WARNING: %s is a DEVELOPMENT key.  Its toxic waste was drawn and\n"
                "%s: wiped on this machine; nobody else can check that, and whoever\n"
                "%s: could read this process's memory can forge proofs.  Never use it\n"
                "%s: for anything of value: use a ceremony .ptau and contributions.\n",
                cli_prog(), out_path, cli_prog(), cli_prog(), cli_prog());
    else if (!o->quiet)
        fprintf(stderr,
                "%s: %s is an initial key (delta = 1): add at least one contribution\n"
                "%s: (zk-setup contribute) before using it.\n",
                cli_prog(), out_path, cli_prog());
    status = CLI_OK;
done:
    zk_zkey_free(z);
    zk_ptau_free(ptau);
    zk_r1cs_free(cs);
    return status;
}

static int cmd_verify(const cli_opts *o, zk_pool *pool, int argc, char **argv)
{
    if (argc != 3) {
        cli_error("verify: expected CIRCUIT.r1cs POT.ptau CIRCUIT.zkey");
        return CLI_USAGE;
    }
    int status = CLI_USAGE;
    zk_ptau *ptau = NULL;
    zk_zkey *init = NULL, *z = NULL;
    zk_r1cs *cs = read_r1cs(argv[0]);
    if (cs == NULL)
        return CLI_USAGE;
    if ((ptau = read_ptau(argv[1])) == NULL ||
        (z = read_zkey(argv[2], ZK_ZKEY_CHECK_G2, pool, &status)) == NULL ||
        (init = make_key(o, argv[0], cs, argv[1], ptau, pool, &status)) == NULL)
        goto done;
    const char *why = NULL;
    int64_t index = -1;
    double t = cli_now();
    int rc = zk_groth16_verify_from_init(init, z, pool, &why, &index);
    cli_progress((void *)o, "verify", cli_now() - t);
    if (rc == 0) {
        if (!o->quiet)
            printf("valid: %s matches %s and %s, %u contribution%s\n", argv[2], argv[0],
                   argv[1], z->n_contributions, z->n_contributions == 1 ? "" : "s");
        status = CLI_OK;
    } else if (rc == ZK_EVERIFY) {
        if (!o->quiet) {
            if (index >= 0)
                printf("invalid: contribution %lld: %s\n", (long long)index + 1,
                       why ? why : "check failed");
            else
                printf("invalid: %s\n", why ? why : "check failed");
        }
        status = CLI_INVALID;
    } else {
        cli_error("%s: cannot verify: %s", argv[2], zk_strerror(rc));
        status = cli_exit_code(rc);
    }
done:
    zk_zkey_free(init);
    zk_zkey_free(z);
    zk_ptau_free(ptau);
    zk_r1cs_free(cs);
    return status;
}

static int cmd_ptau(const cli_opts *o, const setup_opts *so, zk_pool *pool, int argc,
                    char **argv)
{
    if (!so->dev) {
        cli_error("ptau: only --dev is supported; real powers of tau come from a "
                  "ceremony (snarkjs powersoftau, or the Hermez files)");
        return CLI_USAGE;
    }
    if (argc != 2) {
        cli_error("ptau --dev: expected POWER OUT.ptau");
        return CLI_USAGE;
    }
    char *end;
    unsigned long power = strtoul(argv[0], &end, 10);
    if (end == argv[0] || *end != '\0' || argv[0][0] == '-' ||
        power > ZK_PTAU_DEV_MAX_POWER) {
        cli_error("ptau --dev: POWER must be 0 to %u, not '%s'", ZK_PTAU_DEV_MAX_POWER,
                  argv[0]);
        return CLI_USAGE;
    }
    double t = cli_now();
    int rc = zk_ptau_dev_write(argv[1], (unsigned)power, pool);
    if (rc != 0) {
        cli_file_error(argv[1], rc, "cannot write");
        return CLI_USAGE;
    }
    cli_progress((void *)o, "ptau", cli_now() - t);
    if (!o->quiet)
        fprintf(stderr,
                "%s: WARNING: %s is a DEVELOPMENT powers of tau: its secrets were drawn\n"
                "%s: and wiped on this machine, with no ceremony.  Tests and benchmarks\n"
                "%s: only; `snarkjs powersoftau verify` rejects it (no contribution).\n",
                cli_prog(), argv[1], cli_prog(), cli_prog());
    return CLI_OK;
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
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k;
        if (c == OPT_DEV)
            so.dev = 1;
        else if (c == OPT_NAME)
            so.name = optarg;
    }
    if (optind >= argc) {
        cli_error("no command");
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    if (so.dev && strcmp(cmd, "groth16") != 0 && strcmp(cmd, "ptau") != 0) {
        cli_error("--dev is an option of 'groth16' and 'ptau' only");
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
    if (strcmp(cmd, "groth16") == 0) {
        status = cmd_groth16(&o, &so, pool, nargs, args);
    } else if (strcmp(cmd, "ptau") == 0) {
        status = cmd_ptau(&o, &so, pool, nargs, args);
    } else if (strcmp(cmd, "verify") == 0) {
        status = cmd_verify(&o, pool, nargs, args);
    } else if (strcmp(cmd, "vk") == 0) {
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
