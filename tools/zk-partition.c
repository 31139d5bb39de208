/*
 * zk-partition -- cut a batch of rollup transactions into self-contained
 * chunks that can be proven anywhere, in any order.
 *
 *   zk-partition --keys KEYS_DIR --state STATE.json [--state-out POST.json]
 *                [--skip-invalid] -o OUT_DIR BATCH.json
 *
 * Writes OUT_DIR/chunk-0000.json ... and OUT_DIR/manifest.json (and the
 * post-state), all or none.  See zk-partition(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "rollup/chunk.h"
#include "rollup/files.h"
#include "rollup/json.h"
#include "rollup/state.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTIONS] --keys KEYS_DIR --state STATE.json -o OUT_DIR BATCH.json\n"
            "Apply the transactions of BATCH.json to STATE.json and cut them into\n"
            "chunks of the key's size K: OUT_DIR/chunk-0000.json ..., each with its\n"
            "transactions, pre-values, Merkle paths and roots, so that it can be\n"
            "proven on its own (zk-prove --keys), and OUT_DIR/manifest.json (the\n"
            "batch id, the chain of roots, the data commitments).  The last chunk\n"
            "is padded with no-ops.  The same inputs give the same bytes.\n"
            "\n"
            "      --keys DIR        the chunk keys directory (its params.json)\n"
            "      --state FILE      the state the batch applies to\n"
            "  -o, --output DIR      where the chunks and the manifest go\n"
            "      --state-out FILE  also write the state after the batch\n"
            "      --skip-invalid    drop invalid transactions (listed in the\n"
            "                        manifest) instead of stopping at the first\n"
            "  -t, --threads N       threads that hash the state as it is loaded\n"
            "                        (default: $ZKPAR_THREADS or all CPUs)\n"
            "      --progress        time each phase on stderr (default when stderr\n"
            "                        is a terminal, unless -q)\n"
            "      --json            end with a JSON summary line on stderr (status,\n"
            "                        wall time, phases, chunks, transactions, batch)\n"
            "  -q, --quiet           no summary on stderr\n"
            "  -h, --help            this help\n"
            "  -V, --version         the version\n"
            "\n"
            "Exit status: 0 written, 1 a transaction is invalid (its index and the\n"
            "rule it breaks are printed) or the batch, state and keys do not match,\n"
            "2 usage error or input that cannot be read or parsed (missing, not\n"
            "permitted, a directory, not JSON), 75 temporary failure, worth a retry\n"
            "(an I/O error such as a full disk, out of memory).  Nothing is written\n"
            "unless all is well.\n",
            cli_prog());
}

/* Read and decode one JSON file with dec; 0, or the exit status. */
typedef int (*decode_fn)(void *out, const json_t *j, const char **where);

static int load(const char *path, const char *kind, decode_fn dec, void *out)
{
    json_t *j;
    int st = cli_json_load(&j, path);
    if (st != 0)
        return st;
    const char *where = NULL;
    int rc = dec(out, j, &where);
    json_decref(j);
    if (rc == 0)
        return 0;
    if (where != NULL)
        cli_error("%s: %s: %s", path, where, zk_strerror(rc));
    else
        cli_error("%s: not a %s: %s", path, kind, zk_strerror(rc));
    return cli_exit_code(rc);
}

static int dec_params(void *out, const json_t *j, const char **where)
{
    return zk_rollup_json_params_decode(out, j, where);
}

/* The pool the state is loaded on (zk_rollup_json_state_decode). */
static zk_pool *state_pool;

static int dec_state(void *out, const json_t *j, const char **where)
{
    return zk_rollup_json_state_decode(out, j, state_pool, where);
}

static int dec_batch(void *out, const json_t *j, const char **where)
{
    return zk_rollup_json_batch_decode(out, j, where);
}

/* The chunks being built. */
typedef struct {
    zk_rollup_chunk *c;
    uint32_t *m;    /* the batch's transactions in each chunk */
    size_t n, cap;
} chunks;

static void chunks_free(chunks *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        zk_rollup_chunk_free(&cs->c[i]);
    free(cs->c);
    free(cs->m);
    memset(cs, 0, sizeof *cs);
}

/* A new empty chunk at the end; NULL when out of memory. */
static zk_rollup_chunk *chunks_add(chunks *cs, const zk_rollup_params *p)
{
    if (cs->n == cs->cap) {
        size_t nc = cs->cap ? 2 * cs->cap : 16;
        zk_rollup_chunk *c = realloc(cs->c, nc * sizeof *c);
        if (c == NULL)
            return NULL;
        cs->c = c;
        uint32_t *m = realloc(cs->m, nc * sizeof *m);
        if (m == NULL)
            return NULL;
        cs->m = m;
        cs->cap = nc;
    }
    if (zk_rollup_chunk_alloc(&cs->c[cs->n], p->chunk_size, p->depth, p->token_depth) != 0)
        return NULL;
    cs->m[cs->n] = 0;
    return &cs->c[cs->n++];
}

int main(int argc, char **argv)
{
    enum { OPT_KEYS = 256, OPT_STATE, OPT_STATE_OUT, OPT_SKIP };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        CLI_JSON_LONGOPT,
        { "keys", required_argument, NULL, OPT_KEYS },
        { "state", required_argument, NULL, OPT_STATE },
        { "state-out", required_argument, NULL, OPT_STATE_OUT },
        { "skip-invalid", no_argument, NULL, OPT_SKIP },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    const char *keys = NULL, *state_path = NULL, *state_out = NULL, *out_dir = NULL;
    int skip_invalid = 0, c;

    cli_init(argv[0]);
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "o:", longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k == CLI_OK ? k : cli_finish(k);
        switch (c) {
        case OPT_KEYS: keys = optarg; break;
        case OPT_STATE: state_path = optarg; break;
        case OPT_STATE_OUT: state_out = optarg; break;
        case OPT_SKIP: skip_invalid = 1; break;
        case 'o': out_dir = optarg; break;
        default: break;
        }
    }
    cli_progress_auto(&o);
    if (argc - optind != 1 || keys == NULL || state_path == NULL || out_dir == NULL) {
        cli_error("expected --keys KEYS_DIR --state STATE.json -o OUT_DIR BATCH.json");
        usage(stderr);
        return cli_finish(CLI_USAGE);
    }
    const char *batch_path = argv[optind];

    int status = CLI_USAGE, rc;
    zk_rollup_params par;
    zk_rollup_state *st = NULL;
    zk_rollup_batch batch;
    memset(&batch, 0, sizeof batch);
    chunks ch;
    memset(&ch, 0, sizeof ch);
    zk_rollup_manifest man;
    memset(&man, 0, sizeof man);
    char **paths = NULL, **bufs = NULL;
    size_t *lens = NULL, nfiles = 0;

    char ppath[4096];
    int len = snprintf(ppath, sizeof ppath, "%s/params.json", keys);
    if (len < 0 || (size_t)len >= sizeof ppath) {
        cli_error("%s: path too long", keys);
        return cli_finish(CLI_USAGE);
    }
    double t = cli_now();
    if ((status = cli_pool_new(&state_pool, &o)) != 0)
        goto out;
    if ((status = load(ppath, "zkpar-params file", dec_params, &par)) != 0 ||
        (status = load(state_path, "zkpar-state file", dec_state, &st)) != 0 ||
        (status = load(batch_path, "zkpar-batch file", dec_batch, &batch)) != 0)
        goto out;
    status = CLI_INVALID;
    if (zk_rollup_state_depth(st) != par.depth ||
        zk_rollup_state_token_depth(st) != par.token_depth) {
        cli_error("%s: depths D=%u T=%u, but the key in %s is for D=%u T=%u", state_path,
                  zk_rollup_state_depth(st), zk_rollup_state_token_depth(st), keys,
                  par.depth, par.token_depth);
        goto out;
    }
    zk_fr root;
    zk_rollup_state_root(&root, st);
    if (batch.depth != par.depth || batch.token_depth != par.token_depth ||
        !zk_fr_eq(&batch.state_root, &root)) {
        cli_error("%s: made for another state (its state_root or depths are not %s's)",
                  batch_path, state_path);
        goto out;
    }
    cli_progress(&o, "read", cli_now() - t);

    /* apply, chunk by chunk */
    t = cli_now();
    status = CLI_USAGE;
    zk_rollup_chunk *cur = NULL;
    unsigned pos = 0;
    uint64_t accepted = 0;
    for (size_t i = 0; i < batch.n; i++) {
        if (cur == NULL && (cur = chunks_add(&ch, &par)) == NULL) {
            status = cli_oom();
            goto out;
        }
        zk_rollup_rule why = ZK_ROLLUP_VALID;
        rc = zk_rollup_chunk_push(cur, pos, &why, st, &batch.tx[i]);
        if (rc == ZK_EVERIFY) {
            const char *tn = zk_rollup_tx_type_name(batch.tx[i].type);
            if (!skip_invalid) {
                cli_error("%s: transaction %zu (%s): %s: %s", batch_path, i,
                          tn ? tn : "bad type", zk_rollup_rule_name(why),
                          zk_rollup_rule_str(why));
                status = CLI_INVALID;
                goto out;
            }
            zk_rollup_skip *sk = realloc(man.skipped, (man.n_skipped + 1) * sizeof *sk);
            if (sk == NULL) {
                status = cli_oom();
                goto out;
            }
            man.skipped = sk;
            man.skipped[man.n_skipped].index = i;
            man.skipped[man.n_skipped].rule = why;
            man.n_skipped++;
            if (!o.quiet)
                cli_warn("skipped transaction %zu (%s): %s", i, tn ? tn : "bad type",
                         zk_rollup_rule_name(why));
            continue;
        } else if (rc != 0) {
            cli_error("%s: transaction %zu: %s", batch_path, i, zk_strerror(rc));
            status = cli_unusable(rc);
            goto out;
        }
        accepted++;
        ch.m[ch.n - 1]++;
        if (++pos == par.chunk_size) {
            if ((rc = zk_rollup_chunk_close(cur, pos, st)) != 0) {
                cli_error("cannot settle chunk %zu: %s", ch.n - 1, zk_strerror(rc));
                status = cli_unusable(rc);
                goto out;
            }
            cur = NULL;
            pos = 0;
        }
    }
    /* A chunk opened for transactions that were all skipped holds
     * nothing: drop it, unless it is the only one */
    if (cur != NULL && pos == 0 && ch.n > 1) {
        zk_rollup_chunk_free(cur);
        ch.n--;
        cur = NULL;
    }
    /* the last, padded chunk (an empty batch is one chunk of no-ops) */
    if (cur != NULL || ch.n == 0) {
        if (cur == NULL && (cur = chunks_add(&ch, &par)) == NULL) {
            status = cli_oom();
            goto out;
        }
        if ((rc = zk_rollup_chunk_close(cur, pos, st)) != 0) {
            cli_error("cannot settle chunk %zu: %s", ch.n - 1, zk_strerror(rc));
            status = cli_unusable(rc);
            goto out;
        }
    }
    cli_progress(&o, "apply", cli_now() - t);
    cli_report_int("chunks", (long long)ch.n);
    cli_report_int("transactions", (long long)accepted);
    cli_report_int("skipped", (long long)man.n_skipped);

    /* the manifest: roots, commitments, batch id */
    t = cli_now();
    man.chunk_size = par.chunk_size;
    man.depth = par.depth;
    man.token_depth = par.token_depth;
    man.transactions = accepted;
    man.count = ch.n;
    memcpy(man.key, par.key, sizeof man.key);
    man.roots = calloc(ch.n + 1, sizeof *man.roots);
    man.commitments = calloc(ch.n, sizeof *man.commitments);
    zk_fr *pubs = calloc(ch.n, 3 * sizeof *pubs);
    if (man.roots == NULL || man.commitments == NULL || pubs == NULL) {
        free(pubs);
        status = cli_oom();
        goto out;
    }
    for (size_t i = 0; i < ch.n; i++) {
        if ((rc = zk_rollup_chunk_publics(&pubs[3 * i], &ch.c[i])) != 0) {
            free(pubs);
            cli_error("chunk %zu: %s", i, zk_strerror(rc));
            status = cli_unusable(rc);
            goto out;
        }
        man.roots[i] = pubs[3 * i];
        man.commitments[i] = pubs[3 * i + 2];
    }
    man.roots[ch.n] = pubs[3 * (ch.n - 1) + 1];
    if ((rc = zk_rollup_batch_id(man.batch, man.chunk_size, man.depth, man.token_depth,
                                 man.count, man.roots, man.commitments)) != 0) {
        free(pubs);
        cli_error("cannot compute the batch id: %s", zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    cli_report_str("batch", man.batch);

    /* every file in memory, then all written or none */
    size_t nmax = ch.n + 2;
    paths = calloc(nmax, sizeof *paths);
    bufs = calloc(nmax, sizeof *bufs);
    lens = calloc(nmax, sizeof *lens);
    if (paths == NULL || bufs == NULL || lens == NULL) {
        free(pubs);
        status = cli_oom();
        goto out;
    }
    for (size_t i = 0; i <= ch.n; i++) {
        json_t *j;
        if (i < ch.n) {
            zk_rollup_chunk_file f;
            memset(&f, 0, sizeof f);
            memcpy(f.batch, man.batch, sizeof f.batch);
            memcpy(f.key, par.key, sizeof f.key);
            f.index = (uint32_t)i;
            f.count = (uint32_t)ch.n;
            f.transactions = ch.m[i];
            f.chunk = ch.c[i];
            memcpy(f.pub, &pubs[3 * i], sizeof f.pub);
            j = zk_rollup_json_chunk_encode(&f);
        } else {
            j = zk_rollup_json_manifest_encode(&man);
        }
        paths[nfiles] = malloc(strlen(out_dir) + 32);
        if (j == NULL || paths[nfiles] == NULL ||
            (bufs[nfiles] = cli_json_dump(j)) == NULL) {
            json_decref(j);
            free(pubs);
            nfiles++;
            status = cli_oom();
            goto out;
        }
        json_decref(j);
        if (i < ch.n)
            sprintf(paths[nfiles], "%s/chunk-%04zu.json", out_dir, i);
        else
            sprintf(paths[nfiles], "%s/manifest.json", out_dir);
        lens[nfiles] = strlen(bufs[nfiles]);
        nfiles++;
    }
    free(pubs);
    if (state_out != NULL) {
        json_t *j = zk_rollup_json_state_encode(st);
        if (j == NULL || (paths[nfiles] = strdup(state_out)) == NULL ||
            (bufs[nfiles] = cli_json_dump(j)) == NULL) {
            json_decref(j);
            nfiles++;
            status = cli_oom();
            goto out;
        }
        json_decref(j);
        lens[nfiles] = strlen(bufs[nfiles]);
        nfiles++;
    }
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        status = cli_file_error(out_dir, ZK_EIO, "cannot create the output directory");
        goto out;
    }
    if ((status = cli_write_all(nfiles, (const char *const *)paths,
                                (const char *const *)bufs, lens)) != 0)
        goto out;
    cli_progress(&o, "write", cli_now() - t);
    if (!o.quiet)
        fprintf(stderr, "%s: batch %.16s: %llu transactions in %zu chunks of %u%s\n",
                cli_prog(), man.batch, (unsigned long long)accepted, ch.n, par.chunk_size,
                man.n_skipped ? " (some skipped)" : "");
    status = CLI_OK;
out:
    for (size_t i = 0; i < nfiles; i++) {
        free(paths[i]);
        free(bufs[i]);
    }
    free(paths);
    free(bufs);
    free(lens);
    zk_rollup_manifest_free(&man);
    chunks_free(&ch);
    zk_rollup_batch_free(&batch);
    zk_rollup_state_free(st);
    zk_pool_free(state_pool);
    return cli_finish(status);
}
