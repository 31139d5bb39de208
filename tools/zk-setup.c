/*
 * zk-setup -- make and export keys.
 *
 *   zk-setup groth16 CIRCUIT.r1cs POT.ptau CIRCUIT.zkey
 *   zk-setup groth16 --dev CIRCUIT.r1cs CIRCUIT.zkey
 *   zk-setup ptau --dev POWER OUT.ptau
 *   zk-setup contribute [--name NAME] IN.zkey OUT.zkey
 *   zk-setup verify CIRCUIT.r1cs POT.ptau CIRCUIT.zkey
 *   zk-setup vk CIRCUIT.zkey VERIFICATION_KEY.json
 *   zk-setup chunk --chunk-size K --depth D --tokens T
 *                  (--ptau POT.ptau | --dev) -o KEYS_DIR
 *   zk-setup srs --max N (--dev | --ptau A.ptau --ptau B.ptau) -o KEYS_DIR
 *
 * See zk-setup(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate/srs.h"
#include "cli.h"
#include "groth16/contribute.h"
#include "groth16/groth16.h"
#include "groth16/ptau_dev.h"
#include "groth16/setup.h"
#include "io/ptau.h"
#include "io/r1cs.h"
#include "io/json.h"
#include "io/zkey.h"
#include "r1cs/cs.h"
#include "rollup/chunk.h"
#include "rollup/files.h"

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
            "  chunk --chunk-size K --depth D --tokens T (--ptau POT.ptau | --dev)\n"
            "        -o KEYS_DIR\n"
            "      the rollup's chunk circuit for K transactions a chunk, an account\n"
            "      tree of depth D and a token tree of depth T (2^T tokens), and its\n"
            "      keys: KEYS_DIR/chunk.r1cs, chunk.zkey (with one contribution when\n"
            "      from a ptau), chunk.vk.json and params.json\n"
            "  chunk --install FINAL.zkey --ptau POT.ptau -o KEYS_DIR\n"
            "      check a key that more contributions were made to (zk-setup\n"
            "      contribute) against the chunk circuit of KEYS_DIR/params.json and\n"
            "      the ptau, then make it the directory's key: chunk.zkey,\n"
            "      chunk.vk.json and params.json (its key id) replaced\n"
            "  srs --max N (--dev | --ptau A.ptau --ptau B.ptau) -o KEYS_DIR\n"
            "      the SnarkPack SRS for aggregating up to N proofs (zk-aggregate):\n"
            "      KEYS_DIR/srs.bin and srs.vk.json, from the taus of two independent\n"
            "      powers-of-tau ceremonies, or DEVELOPMENT secrets (insecure)\n"
            "\n"
            "Options:\n"
            "  -t, --threads N   worker threads (default: $ZKPAR_THREADS or all CPUs)\n"
            "      --progress    time each phase on stderr\n"
            "  -q, --quiet       no warnings\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 success, 1 input content rejected, 2 usage or\n"
            "unreadable input (missing, not permitted, not the right format) or an\n"
            "output that cannot be created (no such directory, a read-only file\n"
            "system), 75 temporary failure, worth a retry (an I/O error such as a\n"
            "full disk, out of memory, a thread that cannot start).\n",
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
    if (rc == ZK_EIO) {
        *status = cli_file_error(path, rc, "cannot read");
        return NULL;
    }
    if (index >= 0)
        cli_error("%s: %s %lld: %s", path, where ? where : "section", (long long)index,
                  zk_strerror(rc));
    else
        cli_error("%s: %s: %s", path, where ? where : "not a Groth16 .zkey for BN254",
                  zk_strerror(rc));
    *status = cli_exit_code(rc) == CLI_INVALID ? CLI_INVALID : cli_unusable(rc);
    return NULL;
}

/* Serialize j and write it to path atomically ("-": stdout); the exit
 * status (cli_write_all's). */
static int write_json(const char *path, const json_t *j)
{
    char *s = cli_json_dump(j);
    if (s == NULL)
        return cli_oom();
    const char *paths[1] = { path };
    const char *bufs[1] = { s };
    size_t lens[1] = { strlen(s) };
    int status = cli_write_all(1, paths, bufs, lens);
    free(s);
    return status;
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
        status = cli_unusable(rc);
        goto out;
    }
    if ((j = zk_json_vk_encode(&vk)) == NULL) {
        status = cli_oom();
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
    const char *ptau, *chunk_size, *depth, *tokens, *out;   /* chunk */
    const char *install;                                    /* chunk */
    const char *ptau2, *max;                                /* srs */
    int n_ptau;                                             /* --ptau given */
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
        status = cli_unusable(rc);
        goto done;
    }
    cli_progress((void *)o, "contribute", cli_now() - t);
    t = cli_now();
    rc = zk_zkey_write(argv[1], out);
    if (rc != 0) {
        status = cli_file_error(argv[1], rc, "cannot write");
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

/* Read an .r1cs, reporting errors; NULL on error with *status set: 2 for
 * a file that is missing or not an .r1cs (content included), 75 for an
 * I/O error or no memory. */
static zk_r1cs *read_r1cs(const char *path, int *status)
{
    zk_r1cs *cs = NULL;
    int rc = zk_r1cs_read(&cs, path);
    if (rc == ZK_EIO) {
        *status = cli_file_error(path, rc, "cannot read");
    } else if (rc != 0) {
        cli_file_error(path, rc, "not a BN254 .r1cs circuit");
        *status = cli_unusable(rc);
    }
    return cs;
}

/* Open a .ptau, reporting errors; NULL on error with *status set (as
 * read_r1cs). */
static zk_ptau *read_ptau(const char *path, int *status)
{
    zk_ptau *p = NULL;
    const char *where = NULL;
    int rc = zk_ptau_open(&p, path, &where);
    if (rc == ZK_EIO) {
        *status = cli_file_error(path, rc, "cannot read");
    } else if (rc != 0) {
        cli_error("%s: not a BN254 powers-of-tau file: %s%s%s", path, where ? where : "",
                  where ? ": " : "", zk_strerror(rc));
        *status = cli_unusable(rc);
    }
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
    /* no memory, a thread, an I/O error worth a retry (cli_exit_code): 75;
     * a circuit or ptau that this build cannot use: 2; content that does
     * not fit: 1 */
    if (cli_exit_code(rc) == CLI_TEMPFAIL)
        *status = CLI_TEMPFAIL;
    else if (rc == ZK_EUNSUPPORTED || rc == ZK_EFORMAT || rc == ZK_EINVAL || rc == ZK_EIO)
        *status = CLI_USAGE;
    else
        *status = CLI_INVALID;
    return NULL;
}

/* A small unsigned option value in [lo, hi]; -1 after a message. */
static long parse_uint(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = s != NULL ? strtol(s, &end, 10) : 0;
    if (s == NULL || *s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
        cli_error("%s: expected an integer from %ld to %ld, got '%s'", opt, lo, hi,
                  s != NULL ? s : "");
        return -1;
    }
    return v;
}

/* path = dir + "/" + name; 0, or CLI_USAGE after a message. */
static int join(char *path, size_t len, const char *dir, const char *name)
{
    int n = snprintf(path, len, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= len) {
        cli_error("%s: path too long", dir);
        return CLI_USAGE;
    }
    return 0;
}

/* *k, *d, *tk = K, D, T of KEYS_DIR/params.json (chunk --install); 0 or
 * the exit status after a message. */
static int installed_params(const char *params_path, long *k, long *d, long *tk)
{
    json_t *j;
    int status = cli_json_load(&j, params_path);
    if (status != 0)
        return status;
    zk_rollup_params p;
    const char *where = NULL;
    int rc = zk_rollup_json_params_decode(&p, j, &where);
    json_decref(j);
    if (rc != 0) {
        cli_error("%s: %s: %s", params_path, where != NULL ? where : "not a params.json",
                  zk_strerror(rc));
        return cli_unusable(rc);
    }
    *k = p.chunk_size;
    *d = p.depth;
    *tk = p.token_depth;
    return 0;
}

static int cmd_chunk(const cli_opts *o, const setup_opts *so, zk_pool *pool, int argc,
                     char **argv)
{
    (void)argv;
    const int install = so->install != NULL;
    if (argc != 0 || so->out == NULL || (so->dev == (so->ptau != NULL)) || so->n_ptau > 1 ||
        (!install && (so->chunk_size == NULL || so->depth == NULL || so->tokens == NULL))) {
        cli_error("chunk: expected --chunk-size K --depth D --tokens T "
                  "(--ptau POT.ptau | --dev) -o KEYS_DIR, or --install FINAL.zkey "
                  "--ptau POT.ptau -o KEYS_DIR");
        return CLI_USAGE;
    }
    if (install && (so->dev || so->chunk_size || so->depth || so->tokens)) {
        cli_error("chunk --install: the circuit is the one of KEYS_DIR/params.json and "
                  "the key is checked against --ptau: no --dev, --chunk-size, --depth "
                  "or --tokens");
        return CLI_USAGE;
    }
    char r1cs_path[4096], zkey_path[4096], vk_path[4096], params_path[4096];
    char stage_path[4096] = ""; /* --install: the new key before its rename */
    if (join(r1cs_path, sizeof r1cs_path, so->out, "chunk.r1cs") ||
        join(zkey_path, sizeof zkey_path, so->out, "chunk.zkey") ||
        join(vk_path, sizeof vk_path, so->out, "chunk.vk.json") ||
        join(params_path, sizeof params_path, so->out, "params.json"))
        return CLI_USAGE;
    long k = 0, d = 0, tk = 0;
    if (install) {
        int st = installed_params(params_path, &k, &d, &tk);
        if (st != 0)
            return st;
    } else {
        k = parse_uint("--chunk-size", so->chunk_size, 1, ZK_ROLLUP_CHUNK_MAX);
        d = parse_uint("--depth", so->depth, 1, ZK_ROLLUP_DEPTH_MAX);
        tk = parse_uint("--tokens", so->tokens, 0, ZK_ROLLUP_TOKEN_DEPTH_MAX);
        if (k < 0 || d < 0 || tk < 0)
            return CLI_USAGE;
        if (mkdir(so->out, 0777) != 0 && errno != EEXIST)
            return cli_file_error(so->out, ZK_EIO, "cannot create the keys directory");
    }

    int status = CLI_USAGE;
    zk_cs *cs = NULL;
    zk_r1cs *r = NULL;
    zk_ptau *ptau = NULL;
    zk_zkey *z = NULL, *z1 = NULL;
    zk_groth16_vk vk;
    memset(&vk, 0, sizeof vk);
    json_t *jvk = NULL, *jp = NULL;
    char *svk = NULL, *sp = NULL;

    double t = cli_now();
    int rc = zk_rollup_chunk_cs(&cs, ZK_CS_SHAPE, NULL, (unsigned)k, (unsigned)d,
                                (unsigned)tk);
    if (rc == 0)
        rc = zk_cs_to_r1cs(&r, cs);
    if (rc != 0) {
        cli_error("cannot build the chunk circuit: %s", zk_strerror(rc));
        status = cli_unusable(rc);
        goto done;
    }
    zk_rollup_params params;
    memset(&params, 0, sizeof params);
    params.chunk_size = (unsigned)k;
    params.depth = (unsigned)d;
    params.token_depth = (unsigned)tk;
    params.constraints = zk_cs_n_constraints(cs);
    zk_cs_free(cs);
    cs = NULL;
    cli_progress((void *)o, "circuit", cli_now() - t);
    if (!o->quiet)
        fprintf(stderr, "%s: chunk circuit K=%ld D=%ld T=%ld: %llu constraints\n",
                cli_prog(), k, d, tk, (unsigned long long)params.constraints);

    if (so->ptau != NULL && (ptau = read_ptau(so->ptau, &status)) == NULL)
        goto done;
    if (install) {
        /* the final key of a ceremony: every contribution checked against
         * the circuit and the ptau before it replaces the directory's */
        if ((z = read_zkey(so->install, ZK_ZKEY_CHECK_G2, pool, &status)) == NULL ||
            (z1 = make_key(o, r1cs_path, r, so->ptau, ptau, pool, &status)) == NULL)
            goto done;
        const char *why = NULL;
        int64_t index = -1;
        t = cli_now();
        rc = zk_groth16_verify_from_init(z1, z, pool, &why, &index);
        cli_progress((void *)o, "verify", cli_now() - t);
        zk_zkey_free(z1);
        z1 = NULL;
        if (rc == ZK_EVERIFY) {
            if (index >= 0)
                cli_error("%s: not installed: contribution %lld: %s", so->install,
                          (long long)index + 1, why != NULL ? why : "check failed");
            else
                cli_error("%s: not installed: %s", so->install,
                          why != NULL ? why : "not a key of this chunk circuit and ptau");
            status = CLI_INVALID;
            goto done;
        }
        if (rc != 0) {
            cli_error("%s: cannot verify: %s", so->install, zk_strerror(rc));
            status = cli_exit_code(rc);
            goto done;
        }
        if (z->n_contributions == 0) {
            /* an initial key: delta is the generator, so its toxic waste
             * is the ptau's alone and proofs can be forged */
            cli_error("%s: not installed: no phase-2 contribution (an initial key, "
                      "delta = 1): contribute to it first",
                      so->install);
            status = CLI_INVALID;
            goto done;
        }
        if (!o->quiet)
            fprintf(stderr, "%s: %s: %u contribution%s checked\n", cli_prog(), so->install,
                    z->n_contributions, z->n_contributions == 1 ? "" : "s");
    } else if ((z = make_key(o, r1cs_path, r, so->ptau, ptau, pool, &status)) == NULL) {
        goto done;
    }
    if (ptau != NULL && !install) {
        /* an initial key has delta = 1: contribute once so that it is usable */
        t = cli_now();
        rc = zk_groth16_contribute(&z1, z, "zk-setup chunk", pool);
        if (rc != 0) {
            cli_error("cannot contribute: %s", zk_strerror(rc));
            status = cli_unusable(rc);
            goto done;
        }
        cli_progress((void *)o, "contribute", cli_now() - t);
        zk_zkey_free(z);
        z = z1;
        z1 = NULL;
    }
    if ((rc = zk_groth16_vk_from_zkey(&vk, z)) != 0 ||
        (rc = zk_rollup_key_id(params.key, &vk)) != 0) {
        cli_error("cannot export the verification key: %s", zk_strerror(rc));
        status = cli_unusable(rc);
        goto done;
    }
    if ((jvk = zk_json_vk_encode(&vk)) == NULL || (jp = zk_rollup_json_params_encode(&params)) == NULL ||
        (svk = cli_json_dump(jvk)) == NULL || (sp = cli_json_dump(jp)) == NULL) {
        status = cli_oom();
        goto done;
    }

    /* params.json last: a directory with it is complete */
    t = cli_now();
    if (!install && (rc = zk_r1cs_write(r1cs_path, r)) != 0) {
        status = cli_file_error(r1cs_path, rc, "cannot write");
        goto done;
    }
    /* installing: the new key is staged under its own name and renamed
     * only after chunk.vk.json and params.json are in place, so a failure
     * before leaves the directory's working key as it was */
    if (install && join(stage_path, sizeof stage_path, so->out, "chunk.zkey.install") != 0) {
        *stage_path = '\0';
        goto done;
    }
    const char *zpath = install ? stage_path : zkey_path;
    if ((rc = zk_zkey_write(zpath, z)) != 0) {
        status = cli_file_error(zpath, rc, "cannot write");
        goto done;
    }
    const char *paths[2] = { vk_path, params_path };
    const char *bufs[2] = { svk, sp };
    size_t lens[2] = { strlen(svk), strlen(sp) };
    if ((status = cli_write_all(2, paths, bufs, lens)) != 0)
        goto done;
    if (install && rename(stage_path, zkey_path) != 0) {
        status = cli_file_error(zkey_path, ZK_EIO, "cannot write");
        goto done;
    }
    *stage_path = '\0';
    cli_progress((void *)o, "write", cli_now() - t);
    if (so->dev && !o->quiet)
        fprintf(stderr,
                "%s: WARNING: %s holds a DEVELOPMENT key (its toxic waste was drawn\n"
                "%s: and wiped on this machine): tests and demos only.\n",
                cli_prog(), zkey_path, cli_prog());
    status = CLI_OK;
done:
    if (*stage_path != '\0')
        (void)unlink(stage_path);
    free(svk);
    free(sp);
    json_decref(jvk);
    json_decref(jp);
    zk_groth16_vk_free(&vk);
    zk_zkey_free(z1);
    zk_zkey_free(z);
    zk_ptau_free(ptau);
    zk_r1cs_free(r);
    zk_cs_free(cs);
    return status;
}

static int cmd_srs(const cli_opts *o, const setup_opts *so, zk_pool *pool, int argc,
                   char **argv)
{
    (void)argv;
    if (argc != 0 || so->out == NULL || so->max == NULL || so->dev == (so->n_ptau != 0) ||
        (so->n_ptau != 0 && so->n_ptau != 2)) {
        cli_error("srs: expected --max N (--dev | --ptau A.ptau --ptau B.ptau) "
                  "-o KEYS_DIR");
        return CLI_USAGE;
    }
    long max = parse_uint("--max", so->max, 1, (long)ZK_AGG_SRS_MAX_N);
    if (max < 0)
        return CLI_USAGE;
    size_t n_max = 2;
    while (n_max < (size_t)max)
        n_max *= 2;
    char srs_path[4096], vk_path[4096];
    if (join(srs_path, sizeof srs_path, so->out, "srs.bin") ||
        join(vk_path, sizeof vk_path, so->out, "srs.vk.json"))
        return CLI_USAGE;

    int status = CLI_USAGE;
    zk_agg_srs *srs = NULL;
    json_t *j = NULL;
    const char *why = NULL;
    double t = cli_now();
    int rc = so->dev ? zk_agg_srs_dev(&srs, n_max, pool)
                     : zk_agg_srs_from_ptau_files(&srs, so->ptau, so->ptau2, n_max, pool,
                                                  &why);
    if (rc != 0) {
        /* why names "ptau A" (the first --ptau) or "ptau B": say which file */
        const char *file = NULL;
        if (why != NULL && strncmp(why, "ptau A", 6) == 0 && strncmp(why, "ptau A and", 10))
            file = so->ptau;
        else if (why != NULL && strncmp(why, "ptau B", 6) == 0)
            file = so->ptau2;
        const char *rest = file == NULL ? why : why[6] == ':' ? why + 8 : why + 6;
        if (so->dev)
            cli_error("cannot make the SRS: %s", zk_strerror(rc));
        else if (rc == ZK_EIO)
            cli_file_error(file ? file : so->ptau, rc, "cannot read");
        else if (file != NULL)
            cli_error("%s: %s: %s: %s", file,
                      rc == ZK_EVERIFY ? "refused" : "not a usable powers of tau",
                      *rest ? rest : "(top)", zk_strerror(rc));
        else
            cli_error("refused (A = %s, B = %s): %s: %s", so->ptau, so->ptau2,
                      why ? why : "the two files do not make an SRS", zk_strerror(rc));
        status = cli_exit_code(rc);
        goto done;
    }
    cli_progress((void *)o, "srs", cli_now() - t);
    if (mkdir(so->out, 0777) != 0 && errno != EEXIST) {
        status = cli_file_error(so->out, ZK_EIO, "cannot create the keys directory");
        goto done;
    }

    /* srs.vk.json last: with it in place, srs.bin is complete */
    t = cli_now();
    zk_agg_vk vk;
    zk_agg_srs_vk(&vk, srs);
    if ((j = zk_agg_vk_encode(&vk)) == NULL) {
        status = cli_oom();
        goto done;
    }
    if ((rc = zk_agg_srs_write(srs_path, srs)) != 0) {
        status = cli_file_error(srs_path, rc, "cannot write");
        goto done;
    }
    if ((status = write_json(vk_path, j)) != CLI_OK)
        goto done;
    cli_progress((void *)o, "write", cli_now() - t);
    if (!o->quiet && so->dev)
        fprintf(stderr,
                "%s: WARNING: %s is a DEVELOPMENT SRS: its secrets a and b were drawn\n"
                "%s: and wiped on this machine, with no ceremony; whoever knows them can\n"
                "%s: forge aggregates.  Tests and demos only: use --ptau with two\n"
                "%s: independent ceremonies for anything of value.\n",
                cli_prog(), srs_path, cli_prog(), cli_prog(), cli_prog());
    if (!o->quiet)
        fprintf(stderr, "%s: SRS for up to %zu proofs in %s\n", cli_prog(), n_max,
                so->out);
    status = CLI_OK;
done:
    json_decref(j);
    zk_agg_srs_free(srs);
    return status;
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
    zk_r1cs *cs = read_r1cs(r1cs_path, &status);
    if (cs == NULL)
        return status;
    if (!so->dev && (ptau = read_ptau(ptau_path, &status)) == NULL)
        goto done;
    if ((z = make_key(o, r1cs_path, cs, ptau_path, ptau, pool, &status)) == NULL)
        goto done;
    double t = cli_now();
    int rc = zk_zkey_write(out_path, z);
    if (rc != 0) {
        status = cli_file_error(out_path, rc, "cannot write");
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
    zk_r1cs *cs = read_r1cs(argv[0], &status);
    if (cs == NULL)
        return status;
    if ((ptau = read_ptau(argv[1], &status)) == NULL ||
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
    if (rc != 0)
        return cli_file_error(argv[1], rc, "cannot write");
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
    enum { OPT_DEV = 256, OPT_NAME, OPT_PTAU, OPT_CHUNK_SIZE, OPT_DEPTH, OPT_TOKENS, OPT_MAX,
           OPT_INSTALL };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "dev", no_argument, NULL, OPT_DEV },
        { "name", required_argument, NULL, OPT_NAME },
        { "ptau", required_argument, NULL, OPT_PTAU },
        { "chunk-size", required_argument, NULL, OPT_CHUNK_SIZE },
        { "depth", required_argument, NULL, OPT_DEPTH },
        { "tokens", required_argument, NULL, OPT_TOKENS },
        { "max", required_argument, NULL, OPT_MAX },
        { "install", required_argument, NULL, OPT_INSTALL },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    setup_opts so;
    memset(&so, 0, sizeof so);
    int c;

    cli_init(argv[0]);
    /* options anywhere: GNU getopt moves the operands to the end */
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "o:", longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k;
        if (c == OPT_DEV)
            so.dev = 1;
        else if (c == OPT_NAME)
            so.name = optarg;
        else if (c == OPT_PTAU) {
            /* chunk takes one, srs two (the command checks the count) */
            if (so.n_ptau == 0)
                so.ptau = optarg;
            else if (so.n_ptau == 1)
                so.ptau2 = optarg;
            so.n_ptau++;
        } else if (c == OPT_MAX)
            so.max = optarg;
        else if (c == OPT_CHUNK_SIZE)
            so.chunk_size = optarg;
        else if (c == OPT_DEPTH)
            so.depth = optarg;
        else if (c == OPT_TOKENS)
            so.tokens = optarg;
        else if (c == OPT_INSTALL)
            so.install = optarg;
        else if (c == 'o')
            so.out = optarg;
    }
    if (optind >= argc) {
        cli_error("no command");
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    int is_chunk = strcmp(cmd, "chunk") == 0, is_srs = strcmp(cmd, "srs") == 0;
    if (!is_chunk && (so.chunk_size || so.depth || so.tokens || so.install)) {
        cli_error("--chunk-size, --depth, --tokens and --install are options of 'chunk' only");
        return CLI_USAGE;
    }
    if (!is_chunk && !is_srs && (so.ptau || so.out)) {
        cli_error("--ptau and -o are options of 'chunk' and 'srs' only");
        return CLI_USAGE;
    }
    if (!is_srs && so.max) {
        cli_error("--max is an option of 'srs' only");
        return CLI_USAGE;
    }
    if (is_chunk && so.n_ptau > 1) {
        cli_error("chunk: --ptau given %d times; it takes one powers of tau", so.n_ptau);
        return CLI_USAGE;
    }
    if (so.dev && strcmp(cmd, "groth16") != 0 && strcmp(cmd, "ptau") != 0 && !is_chunk &&
        !is_srs) {
        cli_error("--dev is an option of 'groth16', 'ptau', 'chunk' and 'srs' only");
        return CLI_USAGE;
    }
    if (so.name != NULL && strcmp(cmd, "contribute") != 0) {
        cli_error("--name is an option of 'contribute' only");
        return CLI_USAGE;
    }

    zk_pool *pool = NULL;
    int status = cli_pool_new(&pool, &o);
    if (status != 0)
        return status;
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
    } else if (is_chunk) {
        status = cmd_chunk(&o, &so, pool, nargs, args);
    } else if (is_srs) {
        status = cmd_srs(&o, &so, pool, nargs, args);
    } else {
        cli_error("unknown command '%s'", cmd);
        usage(stderr);
        status = CLI_USAGE;
    }
    zk_pool_free(pool);
    return status;
}
