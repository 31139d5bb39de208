/*
 * zk-aggregate -- fold the proof shares of one rollup batch into one
 * SnarkPack aggregate.
 *
 *   zk-aggregate [OPTIONS] --keys KEYS_DIR [--check] [-o AGGREGATE.json]
 *                [SHARE.json...]
 *
 * Reads KEYS_DIR/params.json, chunk.vk.json and srs.bin (zk-setup chunk,
 * zk-setup srs); shares from the files, or from stdin as a stream of JSON
 * documents (JSON lines or concatenated).  Checks that the shares make
 * exactly one batch, aggregates, verifies its own output and writes it
 * (stdout unless -o), all or nothing.  See zk-aggregate(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aggregate/aggregate.h"
#include "aggregate/srs.h"

#include "cli.h"
#include "groth16/groth16.h"
#include "io/json.h"
#include "rollup/files.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [OPTIONS] --keys KEYS_DIR [-o AGGREGATE.json] [SHARE.json...]\n"
            "Fold the proof shares of one batch (zk-prove --keys) into one SnarkPack\n"
            "aggregate proof, checked with zk-verify --keys.  Without SHARE, or with\n"
            "'-', the shares are read from stdin, one JSON document after another\n"
            "(JSON lines, or documents simply concatenated).  The shares must be\n"
            "every chunk of one batch, for the key of KEYS_DIR, exactly once, their\n"
            "roots chained and their public inputs giving their batch id.  The\n"
            "aggregate is verified before it is written: a share whose proof is\n"
            "invalid makes zk-aggregate refuse (--check names it).\n"
            "\n"
            "      --keys DIR    the chunk keys directory, with srs.bin (zk-setup srs)\n"
            "  -o, --output F    the aggregate (default: stdout)\n"
            "      --check       verify every share's proof first, naming bad ones\n"
            "  -t, --threads N   worker threads (default: $ZKPAR_THREADS or all CPUs)\n"
            "      --progress    time each phase on stderr (default when stderr is a\n"
            "                    terminal, unless -q)\n"
            "      --json        end with a JSON summary line on stderr (status,\n"
            "                    wall time, phases, chunks, batch)\n"
            "  -q, --quiet       no summary on stderr\n"
            "  -h, --help        this help\n"
            "  -V, --version     the version\n"
            "\n"
            "Exit status: 0 aggregate written, 1 the shares are rejected (another\n"
            "key or batch, an index missing or twice, roots that do not chain, a\n"
            "proof that does not verify, more chunks than the SRS serves), 2 usage\n"
            "error or input that cannot be read or parsed (missing, not permitted,\n"
            "a directory, not JSON, a truncated share), 75 temporary failure, worth\n"
            "a retry (an I/O error such as a full disk, out of memory, a thread\n"
            "that cannot start).  Nothing is written unless all is well.\n",
            cli_prog());
}

/* One share and where it came from ("FILE" or "(stdin) line L"). */
typedef struct {
    char *name; /* malloc'ed */
    zk_rollup_share sh;
} agg_share;

typedef struct {
    agg_share *v;
    size_t n, cap;
} share_list;

/* Most messages about the set are capped at this many lines. */
#define MAX_REPORTS 10

/* dir/name; NULL after a message. */
static const char *keys_path(char *buf, size_t len, const char *dir, const char *name)
{
    int n = snprintf(buf, len, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= len) {
        cli_error("%s: path too long", dir);
        return NULL;
    }
    return buf;
}

/* A new slot at the end of l; NULL after a message. */
static agg_share *list_push(share_list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        agg_share *t = cap < SIZE_MAX / sizeof *t ? realloc(l->v, cap * sizeof *t) : NULL;
        if (t == NULL) {
            cli_oom();
            return NULL;
        }
        l->v = t;
        l->cap = cap;
    }
    agg_share *s = &l->v[l->n++];
    memset(s, 0, sizeof *s);
    return s;
}

/* Decode share j named name into a new slot of l; 0 or the exit status. */
static int add_share(share_list *l, const char *name, const json_t *j)
{
    zk_rollup_share sh;
    const char *where = NULL;
    int rc = zk_rollup_json_share_decode(&sh, j, &where);
    if (rc != 0) {
        int code = cli_exit_code(rc);
        cli_error("%s: %s share: %s: %s", name,
                  code == CLI_INVALID ? "invalid" : "not a zkpar", where ? where : "(top)",
                  zk_strerror(rc));
        return code;
    }
    char *copy = malloc(strlen(name) + 1);
    agg_share *s = copy != NULL ? list_push(l) : NULL;
    if (s == NULL) {
        if (copy == NULL)
            cli_oom();
        free(copy);
        return CLI_TEMPFAIL;
    }
    s->name = strcpy(copy, name);
    s->sh = sh;
    return 0;
}

/* The shares of stdin: JSON documents one after another (JSON lines or
 * concatenated); 0 or the exit status. */
static int read_stdin_shares(share_list *l)
{
    uint8_t *buf;
    size_t len, off = 0, docs = 0;
    unsigned long line = 1;
    int rc = cli_read_stdin(&buf, &len);
    if (rc != 0)
        return cli_exit_code(rc);
    int status = 0;
    for (;;) {
        while (off < len && (buf[off] == ' ' || buf[off] == '\t' || buf[off] == '\r' ||
                             buf[off] == '\n'))
            line += buf[off++] == '\n';
        if (off == len)
            break;
        json_error_t e;
        json_t *j = json_loadb((const char *)buf + off, len - off,
                               JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
        if (j == NULL) {
            if (json_error_code(&e) == json_error_out_of_memory) {
                status = cli_oom();
                break;
            }
            cli_error("(stdin) line %lu: not JSON: line %lu column %d: %s", line,
                      line + (unsigned long)(e.line > 0 ? e.line - 1 : 0), e.column, e.text);
            status = CLI_USAGE;
            break;
        }
        char name[64];
        snprintf(name, sizeof name, "(stdin) line %lu", line);
        status = add_share(l, name, j);
        json_decref(j);
        if (status != 0)
            break;
        docs++;
        size_t used = e.position > 0 ? (size_t)e.position : len - off;
        if (used > len - off)
            used = len - off;
        for (size_t i = off; i < off + used; i++)
            line += buf[i] == '\n';
        off += used;
    }
    free(buf);
    if (status == 0 && docs == 0) {
        cli_error("(stdin): no shares");
        status = CLI_USAGE;
    }
    return status;
}

/* ------------------------------------------------------------------ checks */

/* The batch id held by more than half the shares (Boyer-Moore vote), else
 * the first share's: the others are named as the odd ones out. */
static const char *reference_batch(const share_list *l)
{
    const char *cand = l->v[0].sh.batch;
    size_t votes = 0, n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (votes == 0) {
            cand = l->v[i].sh.batch;
            votes = 1;
        } else {
            if (strcmp(l->v[i].sh.batch, cand) == 0)
                votes++;
            else
                votes--;
        }
    }
    for (size_t i = 0; i < l->n; i++)
        n += strcmp(l->v[i].sh.batch, cand) == 0;
    return 2 * n > l->n ? cand : l->v[0].sh.batch;
}

/* The same for the count. */
static uint32_t reference_count(const share_list *l)
{
    uint32_t cand = l->v[0].sh.count;
    size_t votes = 0, n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (votes == 0) {
            cand = l->v[i].sh.count;
            votes = 1;
        } else {
            if (l->v[i].sh.count == cand)
                votes++;
            else
                votes--;
        }
    }
    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].sh.count == cand;
    return 2 * n > l->n ? cand : l->v[0].sh.count;
}

/*
 * The checks on the set; 0, or CLI_INVALID after naming every problem of
 * the first stage that has one (CLI_TEMPFAIL when memory runs out).  On
 * success *ord_out[i] = the share of index i (malloc'ed, l->n entries).
 */
static int check_set(const share_list *l, const zk_rollup_params *par, const char *key_id,
                     const zk_groth16_vk *vk, int check_proofs, const agg_share ***ord_out)
{
    int bad = 0;
    size_t reported = 0;
    *ord_out = NULL;

    /* 1: the key, then (--check) each proof on its own */
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].sh.key, key_id) != 0) {
            cli_error("%s: made for key %.16s..., not the key of this directory "
                      "(%.16s...)",
                      l->v[i].name, l->v[i].sh.key, key_id);
            bad = 1;
        }
    if (bad)
        return CLI_INVALID;
    if (check_proofs) {
        for (size_t i = 0; i < l->n; i++) {
            const zk_rollup_share *s = &l->v[i].sh;
            int rc = zk_groth16_verify(vk, s->pub, ZK_ROLLUP_CHUNK_NPUBLIC, &s->proof);
            if (rc == ZK_EVERIFY) {
                cli_error("%s: chunk %u: the proof does not verify", l->v[i].name,
                          s->index);
                bad = 1;
            } else if (rc != 0) {
                cli_error("%s: cannot verify: %s", l->v[i].name, zk_strerror(rc));
                return cli_exit_code(rc);
            }
        }
        if (bad)
            return CLI_INVALID;
    }

    /* 2: one batch, one count */
    const char *batch = reference_batch(l);
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].sh.batch, batch) != 0) {
            cli_error("%s: batch %.16s..., not the batch of the other shares (%.16s...)",
                      l->v[i].name, l->v[i].sh.batch, batch);
            bad = 1;
        }
    if (bad)
        return CLI_INVALID;
    uint32_t count = reference_count(l);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].sh.count != count) {
            cli_error("%s: count %u, but the other shares say %u chunks", l->v[i].name,
                      l->v[i].sh.count, count);
            bad = 1;
        }
    if (bad)
        return CLI_INVALID;
    if ((size_t)count > ZK_AGG_SRS_MAX_N) {
        cli_error("batch %.16s...: %u chunks, more than an aggregate can hold (%zu)",
                  batch, count, (size_t)ZK_AGG_SRS_MAX_N);
        return CLI_INVALID;
    }

    /* 3: every index exactly once */
    const agg_share **ord = calloc(count, sizeof *ord);
    if (ord == NULL)
        return cli_oom();
    for (size_t i = 0; i < l->n; i++) {
        const agg_share *s = &l->v[i];
        if (ord[s->sh.index] != NULL) {
            if (reported++ < MAX_REPORTS)
                cli_error("%s: chunk index %u given twice (also by %s)", s->name,
                          s->sh.index, ord[s->sh.index]->name);
            bad = 1;
        } else {
            ord[s->sh.index] = s;
        }
    }
    for (size_t i = 0; i < count; i++)
        if (ord[i] == NULL) {
            if (reported++ < MAX_REPORTS)
                cli_error("batch %.16s...: chunk index %zu of %u is missing", batch, i,
                          count);
            bad = 1;
        }
    if (reported > MAX_REPORTS)
        cli_error("... and %zu more", reported - MAX_REPORTS);
    if (bad) {
        free(ord);
        return CLI_INVALID;
    }

    /* 4: the roots chain */
    reported = 0;
    for (size_t i = 1; i < count; i++)
        if (!zk_fr_eq(&ord[i]->sh.pub[0], &ord[i - 1]->sh.pub[1])) {
            if (reported++ < MAX_REPORTS)
                cli_error("%s: chunk %zu's old root (public[0]) is not the new root "
                          "(public[1]) of chunk %zu (%s)",
                          ord[i]->name, i, i - 1, ord[i - 1]->name);
            bad = 1;
        }
    if (reported > MAX_REPORTS)
        cli_error("... and %zu more", reported - MAX_REPORTS);
    if (bad) {
        free(ord);
        return CLI_INVALID;
    }

    /* 5: the batch id of the public inputs */
    zk_fr *roots = malloc((count + 1) * sizeof *roots);
    zk_fr *comm = malloc(count * sizeof *comm);
    char id[ZK_ROLLUP_ID_HEX];
    int rc = ZK_ENOMEM;
    if (roots != NULL && comm != NULL) {
        for (size_t i = 0; i < count; i++) {
            roots[i] = ord[i]->sh.pub[0];
            comm[i] = ord[i]->sh.pub[2];
        }
        roots[count] = ord[count - 1]->sh.pub[1];
        rc = zk_rollup_batch_id(id, par->chunk_size, par->depth, par->token_depth, count,
                                roots, comm);
    }
    free(roots);
    free(comm);
    if (rc != 0) {
        cli_error("cannot compute the batch id: %s", zk_strerror(rc));
        free(ord);
        return cli_unusable(rc);
    }
    if (strcmp(id, batch) != 0) {
        cli_error("the shares' public inputs give batch %.16s..., not their batch "
                  "%.16s...: a public input was changed (--check names the share), or "
                  "the shares were not made with K=%u D=%u T=%u",
                  id, batch, par->chunk_size, par->depth, par->token_depth);
        free(ord);
        return CLI_INVALID;
    }
    *ord_out = ord;
    return 0;
}

/* AGGREGATE.json of the n shares ord (in index order, their public
 * inputs pubs) and p; NULL when out of memory. */
static json_t *encode_aggregate(const zk_rollup_params *par, const char *key,
                                const agg_share *const *ord, size_t n, zk_fr *pubs,
                                const zk_agg_proof *p)
{
    zk_rollup_aggregate a;
    memset(&a, 0, sizeof a);
    memcpy(a.batch, ord[0]->sh.batch, ZK_ROLLUP_ID_HEX);
    memcpy(a.key, key, ZK_ROLLUP_ID_HEX);
    a.chunk_size = par->chunk_size;
    a.depth = par->depth;
    a.token_depth = par->token_depth;
    a.chunks = n;
    for (size_t i = 0; i < n; i++)
        a.transactions += ord[i]->sh.transactions;
    a.old_root = ord[0]->sh.pub[0];
    a.new_root = ord[n - 1]->sh.pub[1];
    a.rows = n;
    a.pub = pubs;
    a.proof_len = zk_agg_proof_size(p->rounds);
    if ((a.proof = malloc(a.proof_len)) == NULL || zk_agg_proof_encode(a.proof, p) != 0) {
        free(a.proof);
        return NULL;
    }
    json_t *o = zk_rollup_json_aggregate_encode(&a);
    free(a.proof);
    return o;
}

/* srs.vk.json, when KEYS_DIR has one, must be the key of srs.bin. */
static int check_srs_vk(const char *keys, const zk_agg_srs *srs)
{
    char buf[4096];
    const char *path = keys_path(buf, sizeof buf, keys, "srs.vk.json");
    if (path == NULL)
        return CLI_USAGE;
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return 0; /* optional: only zk-verify needs it */
    json_t *j;
    int status = cli_json_load(&j, path);
    if (status != 0)
        return status;
    zk_agg_vk got, want;
    const char *where = NULL;
    int rc = zk_agg_vk_decode(&got, j, &where);
    json_decref(j);
    if (rc != 0) {
        cli_error("%s: %s: %s", path, where ? where : "not a SnarkPack verifier key",
                  zk_strerror(rc));
        return cli_exit_code(rc);
    }
    zk_agg_srs_vk(&want, srs);
    if (got.n_max != want.n_max || !zk_g1_eq(&got.g_a, &want.g_a) ||
        !zk_g1_eq(&got.g_b, &want.g_b) || !zk_g2_eq(&got.h_a, &want.h_a) ||
        !zk_g2_eq(&got.h_b, &want.h_b)) {
        cli_error("%s: not the verifier key of %s/srs.bin (zk-verify would reject the "
                  "aggregate): run zk-setup srs again",
                  path, keys);
        return CLI_INVALID;
    }
    return 0;
}

typedef struct {
    const char *keys, *out;
    int check;
} agg_opts;

static int aggregate(const cli_opts *o, const agg_opts *ao, zk_pool *pool, int nfiles,
                     char **files)
{
    char pbuf[4096], vbuf[4096], sbuf[4096];
    const char *params_path = keys_path(pbuf, sizeof pbuf, ao->keys, "params.json");
    const char *vk_path = keys_path(vbuf, sizeof vbuf, ao->keys, "chunk.vk.json");
    const char *srs_path = keys_path(sbuf, sizeof sbuf, ao->keys, "srs.bin");
    if (params_path == NULL || vk_path == NULL || srs_path == NULL)
        return CLI_USAGE;

    int status = CLI_USAGE, rc;
    const char *where = NULL;
    json_t *j = NULL, *jout = NULL;
    char *sout = NULL;
    share_list l = { NULL, 0, 0 };
    const agg_share **ord = NULL;
    zk_groth16_proof *proofs = NULL;
    zk_fr *pubs = NULL;
    zk_agg_srs *srs = NULL;
    zk_agg_proof *p = NULL;
    zk_groth16_vk vk;
    memset(&vk, 0, sizeof vk);
    zk_rollup_params par;
    char id[ZK_ROLLUP_ID_HEX];

    /* read */
    double t = cli_now();
    if ((status = cli_json_load(&j, params_path)) != 0)
        goto out;
    if ((rc = zk_rollup_json_params_decode(&par, j, &where)) != 0) {
        cli_error("%s: %s: %s", params_path, where ? where : "not a zkpar-params file",
                  zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    json_decref(j);
    j = NULL;
    if ((status = cli_json_load(&j, vk_path)) != 0)
        goto out;
    status = CLI_USAGE;
    if ((rc = zk_json_vk_decode(&vk, j, &where)) != 0) {
        cli_error("%s: not a Groth16 verification key: %s: %s", vk_path,
                  where ? where : "(top)", zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    json_decref(j);
    j = NULL;
    if (vk.n_public != ZK_ROLLUP_CHUNK_NPUBLIC || zk_rollup_key_id(id, &vk) != 0) {
        cli_error("%s: not a chunk key (%zu public inputs, not %d)", vk_path, vk.n_public,
                  ZK_ROLLUP_CHUNK_NPUBLIC);
        goto out;
    }
    if (strcmp(id, par.key) != 0) {
        cli_error("%s: key id %.16s..., but %s says %.16s...", vk_path, id, params_path,
                  par.key);
        status = CLI_INVALID;
        goto out;
    }
    if (nfiles == 0) {
        if ((status = read_stdin_shares(&l)) != 0)
            goto out;
    }
    for (int i = 0; i < nfiles; i++) {
        if (strcmp(files[i], "-") == 0) {
            if ((status = read_stdin_shares(&l)) != 0)
                goto out;
            continue;
        }
        if ((status = cli_json_load(&j, files[i])) != 0)
            goto out;
        if ((status = add_share(&l, files[i], j)) != 0)
            goto out;
        json_decref(j);
        j = NULL;
    }
    status = CLI_USAGE;
    cli_progress((void *)o, "read", cli_now() - t);

    /* checks */
    t = cli_now();
    if ((status = check_set(&l, &par, id, &vk, ao->check, &ord)) != 0)
        goto out;
    status = CLI_USAGE;
    size_t count = l.n; /* == the shares' count once the checks passed */
    cli_progress((void *)o, "checks", cli_now() - t);
    cli_report_str("batch", ord[0]->sh.batch);
    cli_report_int("chunks", (long long)count);

    t = cli_now();
    if ((rc = zk_agg_srs_read(&srs, srs_path, pool, &where)) != 0) {
        if (rc == ZK_EIO) {
            status = cli_file_error(srs_path, rc, "cannot read (make it with zk-setup srs)");
        } else {
            cli_error("%s: %s: %s", srs_path, where ? where : "not an SRS", zk_strerror(rc));
            status = cli_exit_code(rc);
        }
        goto out;
    }
    if ((status = check_srs_vk(ao->keys, srs)) != 0)
        goto out;
    status = CLI_USAGE;
    if (count > srs->n_max) {
        cli_error("%zu chunks, but %s serves at most %zu proofs (zk-setup srs --max)",
                  count, srs_path, srs->n_max);
        status = CLI_INVALID;
        goto out;
    }
    cli_progress((void *)o, "read_srs", cli_now() - t);

    /* aggregate */
    t = cli_now();
    proofs = malloc(count * sizeof *proofs);
    pubs = malloc(count * ZK_ROLLUP_CHUNK_NPUBLIC * sizeof *pubs);
    p = malloc(sizeof *p);
    if (proofs == NULL || pubs == NULL || p == NULL) {
        status = cli_oom();
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        proofs[i] = ord[i]->sh.proof;
        memcpy(&pubs[i * ZK_ROLLUP_CHUNK_NPUBLIC], ord[i]->sh.pub,
               sizeof ord[i]->sh.pub);
    }
    uint8_t ctx[ZK_ROLLUP_ID_BYTES];
    if ((rc = zk_rollup_id_bytes(ctx, ord[0]->sh.batch)) != 0 ||
        (rc = zk_agg_prove(p, srs, &vk, proofs, pubs, count, ctx, sizeof ctx, pool)) != 0) {
        cli_error("cannot aggregate: %s", zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    cli_progress((void *)o, "aggregate", cli_now() - t);

    /* self-verify: what zk-verify will do, with the key of srs.bin */
    t = cli_now();
    zk_agg_vk svk;
    zk_agg_srs_vk(&svk, srs);
    rc = zk_agg_verify(&svk, &vk, pubs, count, ctx, sizeof ctx, p);
    if (rc == ZK_EVERIFY) {
        cli_error("the aggregate does not verify: share(s) do not verify; run with "
                  "--check to find which");
        status = CLI_INVALID;
        goto out;
    } else if (rc != 0) {
        cli_error("cannot verify the aggregate: %s", zk_strerror(rc));
        status = cli_unusable(rc);
        goto out;
    }
    cli_progress((void *)o, "self_verify", cli_now() - t);

    /* write */
    t = cli_now();
    if ((jout = encode_aggregate(&par, id, ord, count, pubs, p)) == NULL ||
        (sout = cli_json_dump(jout)) == NULL) {
        status = cli_oom();
        goto out;
    }
    const char *paths[1] = { ao->out };
    const char *bufs[1] = { sout };
    size_t lens[1] = { strlen(sout) };
    if ((status = cli_write_all(1, paths, bufs, lens)) != 0)
        goto out;
    cli_progress((void *)o, "write", cli_now() - t);
    if (!o->quiet)
        fprintf(stderr, "%s: batch %.16s...: %zu chunks, %s\n", cli_prog(),
                ord[0]->sh.batch, count,
                strcmp(ao->out, "-") == 0 ? "aggregate on stdout" : ao->out);
    status = CLI_OK;
out:
    free(sout);
    json_decref(jout);
    json_decref(j);
    free(p);
    free(pubs);
    free(proofs);
    zk_agg_srs_free(srs);
    free(ord);
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i].name);
    free(l.v);
    zk_groth16_vk_free(&vk);
    return status;
}

int main(int argc, char **argv)
{
    enum { OPT_KEYS = 256, OPT_CHECK };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        CLI_JSON_LONGOPT,
        { "keys", required_argument, NULL, OPT_KEYS },
        { "check", no_argument, NULL, OPT_CHECK },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    agg_opts ao = { NULL, "-", 0 };
    int c;

    cli_init(argv[0]);
    cli_malloc_policy();
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "o:", longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k == CLI_OK ? k : cli_finish(k);
        if (c == OPT_KEYS)
            ao.keys = optarg;
        else if (c == OPT_CHECK)
            ao.check = 1;
        else if (c == 'o')
            ao.out = optarg;
    }
    cli_progress_auto(&o);
    if (ao.keys == NULL) {
        cli_error("--keys KEYS_DIR is required");
        usage(stderr);
        return cli_finish(CLI_USAGE);
    }
    int stdin_n = 0;
    for (int i = optind; i < argc; i++)
        stdin_n += strcmp(argv[i], "-") == 0;
    if (stdin_n > 1) {
        cli_error("only one SHARE can be '-' (stdin)");
        return cli_finish(CLI_USAGE);
    }
    zk_pool *pool;
    int st = cli_pool_new(&pool, &o);
    if (st != 0)
        return cli_finish(st);
    st = aggregate(&o, &ao, pool, argc - optind, argv + optind);
    zk_pool_free(pool);
    return cli_finish(st);
}
