/*
 * zk-wallet -- rollup test wallets: deterministic genesis states and keys,
 * batches of signed transactions, single keys, signing, and a look at a
 * state.
 *
 *   zk-wallet genesis --accounts N --depth D --tokens T --seed S
 *                     -o STATE.json --keys KEYS.json [--balance MAX]
 *   zk-wallet batch --state STATE.json --keys KEYS.json --count M --seed S
 *                   -o BATCH.json [--invalid F] [--keys-out KEYS2.json]
 *   zk-wallet keygen [--seed S] [-o KEY.json]
 *   zk-wallet sign --key KEY.json [-o OUT.json] [TX.json]
 *   zk-wallet show --state STATE.json [INDEX...]
 *
 * See zk-wallet(1).  Secrets: seed hashes and secret keys live in
 * sodium_malloc memory; every allocation jansson makes (the parsed key
 * files, the serialized keys) is wiped when freed (wipe_malloc below);
 * files holding secrets are read with read(2) into sodium_malloc memory
 * and written with write(2) to a file created 0600, never through stdio
 * buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "rollup/json.h"
#include "rollup/state.h"
#include "rollup/tx.h"
#include "sig/eddsa.h"

typedef unsigned __int128 u128;

#define TWO96 ((u128)1 << 96)
#define DEFAULT_BALANCE_MAX 1000000000000ull /* 10^12 */
#define DEPOSIT_MAX 1000000000000ull

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: %s COMMAND [OPTIONS] [ARGS...]\n"
            "Test wallets for the rollup: deterministic states, keys and batches.\n"
            "\n"
            "Commands:\n"
            "  genesis --accounts N --depth D --tokens T --seed S -o STATE.json\n"
            "          --keys KEYS.json [--balance MAX]\n"
            "      a state of N accounts (indices 0..N-1, 0 the operator) in a tree of\n"
            "      depth D (1..32) with a token tree of depth T (0..8: 2^T tokens), and\n"
            "      their keys, all derived from S; balances random in [MAX/1000, MAX)\n"
            "      (MAX default 10^12, at most 2^64 - 1)\n"
            "  batch --state STATE.json --keys KEYS.json --count M --seed S -o BATCH.json\n"
            "        [--invalid F] [--keys-out KEYS2.json]\n"
            "      M transactions, valid in order on STATE (transfers, deposits,\n"
            "      withdrawals), each replaced with probability F (0..1) by one that\n"
            "      breaks a rule; --keys-out: KEYS plus the keys of new accounts\n"
            "  keygen [--seed S] [-o KEY.json]\n"
            "      one key, random (or derived from S); default stdout\n"
            "  sign --key KEY.json [-o OUT.json] [TX.json]\n"
            "      sign a transfer or withdrawal (TX default stdin, OUT default stdout)\n"
            "  show --state STATE.json [INDEX...]\n"
            "      one line per account: INDEX NONCE BALANCE...\n"
            "\n"
            "Seeded keys are derivable by whoever knows the seed: tests and demos only.\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE  the output ('-': stdout)\n"
            "  -t, --threads N    threads that hash a state as it is loaded or\n"
            "                     made (default: $ZKPAR_THREADS or all CPUs)\n"
            "      --progress     time each phase and summarize a batch on stderr\n"
            "  -q, --quiet        no warnings\n"
            "  -h, --help         this help\n"
            "  -V, --version      the version\n"
            "\n"
            "Exit status: 0 success, 1 input content rejected (a state whose root\n"
            "differs, a key whose pubkey is not its secret's, a transaction that\n"
            "cannot be signed), 2 usage or unreadable input (missing, not\n"
            "permitted, not JSON) or an output that cannot be created (no such\n"
            "directory, a read-only file system), 75 temporary failure, worth a\n"
            "retry (an I/O error such as a full disk, out of memory).\n",
            cli_prog());
}

/* ------------------------------------------------ memory that is wiped */

/* jansson's allocations, each prefixed with its size and wiped on free:
 * parsed key files and serialized keys pass through them. */
#define WIPE_HDR sizeof(max_align_t)

static void *wipe_malloc(size_t n)
{
    if (n > SIZE_MAX - WIPE_HDR)
        return NULL;
    unsigned char *p = malloc(WIPE_HDR + n);
    if (p == NULL)
        return NULL;
    memcpy(p, &n, sizeof n);
    return p + WIPE_HDR;
}

static void wipe_free(void *q)
{
    if (q == NULL)
        return;
    unsigned char *p = (unsigned char *)q - WIPE_HDR;
    size_t n;
    memcpy(&n, p, sizeof n);
    sodium_memzero(q, n);
    free(p);
}

/* The 32-byte BLAKE2b-256 of the seed string, in sodium_malloc memory;
 * NULL after a message when out of memory (exit CLI_TEMPFAIL). */
static uint8_t *seed_hash(const char *seed)
{
    uint8_t *h = sodium_malloc(32);
    if (h == NULL) {
        cli_error("out of memory");
        return NULL;
    }
    crypto_generichash(h, 32, (const unsigned char *)seed, strlen(seed), NULL, 0);
    return h;
}

static void le64(uint8_t out[8], uint64_t v)
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

/* sk = BLAKE2b-256 keyed with the seed hash over label || le64(index). */
static void derive_key(uint8_t sk[ZK_EDDSA_SECRET_BYTES], const uint8_t *sh, const char *label,
                       uint64_t index)
{
    uint8_t msg[64];
    size_t n = strlen(label);
    memcpy(msg, label, n);
    le64(msg + n, index);
    crypto_generichash(sk, ZK_EDDSA_SECRET_BYTES, msg, n + 8, sh, 32);
}

/* ------------------------------------------------ a deterministic stream */

/* Block k of the stream is randombytes_buf_deterministic under the seed
 * BLAKE2b-256(key = BLAKE2b-256(key = H(S), label), le64(k)). */
typedef struct {
    uint8_t key[32];
    uint64_t block;
    uint8_t buf[1024];
    size_t pos;
} drng;

static void drng_init(drng *r, const uint8_t *sh, const char *label)
{
    crypto_generichash(r->key, 32, (const unsigned char *)label, strlen(label), sh, 32);
    r->block = 0;
    r->pos = sizeof r->buf;
}

static void drng_bytes(drng *r, uint8_t *out, size_t n)
{
    while (n > 0) {
        if (r->pos == sizeof r->buf) {
            uint8_t k[8], seed[randombytes_SEEDBYTES];
            le64(k, r->block++);
            crypto_generichash(seed, sizeof seed, k, sizeof k, r->key, sizeof r->key);
            randombytes_buf_deterministic(r->buf, sizeof r->buf, seed);
            r->pos = 0;
        }
        size_t m = sizeof r->buf - r->pos < n ? sizeof r->buf - r->pos : n;
        memcpy(out, r->buf + r->pos, m);
        r->pos += m;
        out += m;
        n -= m;
    }
}

static uint64_t drng_u64(drng *r)
{
    uint8_t b[8];
    uint64_t v = 0;
    drng_bytes(r, b, 8);
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* Uniform in [0, n), n > 0 (rejection sampling). */
static uint64_t drng_below(drng *r, uint64_t n)
{
    uint64_t thr = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t x = drng_u64(r);
        if (x >= thr)
            return x % n;
    }
}

/* Uniform in [0, 1) with 53 bits. */
static double drng_unit(drng *r)
{
    return (double)(drng_u64(r) >> 11) / 9007199254740992.0;
}

/* ------------------------------------------------ values */

static zk_fr fr_of(u128 v)
{
    uint64_t l[4] = { (uint64_t)v, (uint64_t)(v >> 64), 0, 0 };
    zk_fr x;
    if (zk_fr_from_limbs(&x, l) != ZK_OK)
        zk_fr_zero(&x); /* unreachable: v < 2^128 < r */
    return x;
}

/* The integer of a field element < 2^128 (balances, amounts). */
static u128 u128_of(const zk_fr *x)
{
    uint64_t l[4];
    zk_fr_to_limbs(l, x);
    return (u128)l[1] << 64 | l[0];
}

static void u128_dec(char out[48], u128 v)
{
    char rev[48];
    size_t n = 0;
    do {
        rev[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
}

/* A decimal integer option, 0 .. max. */
static int parse_u64(uint64_t *v, const char *s, uint64_t max, const char *opt)
{
    uint64_t r = 0;
    const char *p = s;
    if (*p == '\0')
        goto bad;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            goto bad;
        uint64_t d = (uint64_t)(*p - '0');
        if (r > (UINT64_MAX - d) / 10)
            goto bad;
        r = r * 10 + d;
    }
    if (r > max)
        goto bad;
    *v = r;
    return 0;
bad:
    cli_error("%s: '%s' is not an integer from 0 to %llu", opt, s, (unsigned long long)max);
    return -1;
}

/* ------------------------------------------------ files */

/* *out = a JSON document read with read(2) into sodium_malloc memory
 * ("-": stdin): for files holding secrets.  Returns 0, or the exit status
 * after a message (*out NULL): CLI_USAGE for a file that cannot be opened
 * for a permanent reason or is not JSON, CLI_TEMPFAIL for a read error
 * (EIO, ...) or no memory. */
static int read_json_secret(json_t **out, const char *path)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    *out = NULL;
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cli_file_error(name, ZK_EIO, "cannot read");
    size_t cap = 1 << 14, n = 0;
    char *buf = sodium_malloc(cap);
    json_t *j = NULL;
    int status = CLI_USAGE;
    if (buf == NULL)
        goto oom;
    for (;;) {
        if (n == cap) {
            char *nb = cap <= SIZE_MAX / 2 ? sodium_malloc(cap * 2) : NULL;
            if (nb == NULL)
                goto oom;
            memcpy(nb, buf, n);
            sodium_free(buf);
            buf = nb;
            cap *= 2;
        }
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            status = cli_file_error(name, ZK_EIO, "cannot read");
            goto done;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    json_error_t e;
    j = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &e);
    /* jansson says nothing (no text) when its lexer cannot allocate */
    if (j == NULL && (json_error_code(&e) == json_error_out_of_memory || e.text[0] == '\0')) {
        sodium_memzero(&e, sizeof e);
        goto oom;
    }
    if (j == NULL) {
        if (e.line <= 0)
            cli_error("%s: %s", name, e.text);
        else
            cli_error("%s: line %d column %d: %s", name, e.line, e.column, e.text);
    }
    sodium_memzero(&e, sizeof e); /* e.text may quote the file */
    status = j != NULL ? CLI_OK : CLI_USAGE;
    goto done;
oom:
    cli_error("%s: out of memory", name);
    status = CLI_TEMPFAIL;
done:
    if (buf != NULL)
        sodium_free(buf);
    if (fd != STDIN_FILENO)
        close(fd);
    *out = j;
    return status;
}

/* One output: path ("-": stdout), text, mode of the file. */
typedef struct {
    const char *path;
    const char *buf;
    size_t len;
    unsigned mode;
} output;

/* Write every output (at most two), all or none: cli_write_all_mode (a
 * file of secrets is 0600 from its creation; devices and FIFOs are written
 * in place; "-" goes to stdout last, with a newline). */
static int write_outputs(const output *out, size_t n)
{
    const char *paths[2], *bufs[2];
    size_t lens[2];
    unsigned modes[2];
    if (n > 2) {
        cli_error("internal error: %zu outputs", n);
        return CLI_USAGE;
    }
    for (size_t i = 0; i < n; i++) {
        paths[i] = out[i].path;
        bufs[i] = out[i].buf;
        lens[i] = out[i].len;
        modes[i] = out[i].mode;
    }
    return cli_write_all_mode(n, paths, bufs, lens, modes);
}

/* Report a decoder's failure: "PROG: FILE: where: what"; the exit code. */
static int decode_error(const char *path, int rc, const char *where)
{
    return cli_file_error(path, rc, where != NULL ? where : "cannot decode");
}

/* *st = the state in path, loaded on o's threads; the exit code. */
static int load_state(zk_rollup_state **st, const char *path, const cli_opts *o)
{
    json_t *j;
    zk_pool *pool;
    int status = cli_json_load(&j, path);
    if (status != 0)
        return status;
    if ((status = cli_pool_new(&pool, o)) != 0) {
        json_decref(j);
        return status;
    }
    const char *where = NULL;
    int rc = zk_rollup_json_state_decode(st, j, pool, &where);
    zk_pool_free(pool);
    json_decref(j);
    return rc != 0 ? decode_error(path, rc, where) : CLI_OK;
}

static int load_keys(zk_rollup_keys *k, const char *path)
{
    json_t *j;
    int status = read_json_secret(&j, path);
    memset(k, 0, sizeof *k);
    if (status != 0)
        return status;
    const char *where = NULL;
    int rc = zk_rollup_json_keys_decode(k, j, &where);
    json_decref(j);
    return rc != 0 ? decode_error(path, rc, where) : CLI_OK;
}

/* Serialize j (then released) as cli_json_dump does; free with wipe_free.
 * NULL after a message when out of memory (the encoders return NULL only
 * then): exit CLI_TEMPFAIL. */
static char *dump_release(json_t *j)
{
    char *s = j != NULL ? cli_json_dump(j) : NULL;
    json_decref(j);
    if (s == NULL)
        cli_error("out of memory");
    return s;
}

/* ------------------------------------------------ options */

typedef struct {
    const char *output, *keys, *state, *key, *keys_out, *seed;
    uint64_t accounts, depth, tokens, count, balance;
    double invalid;
    unsigned seen; /* OPT_* bits */
} wallet_opts;

enum {
    O_ACCOUNTS = 1 << 0,
    O_DEPTH = 1 << 1,
    O_TOKENS = 1 << 2,
    O_SEED = 1 << 3,
    O_OUTPUT = 1 << 4,
    O_KEYS = 1 << 5,
    O_BALANCE = 1 << 6,
    O_STATE = 1 << 7,
    O_COUNT = 1 << 8,
    O_INVALID = 1 << 9,
    O_KEYS_OUT = 1 << 10,
    O_KEY = 1 << 11
};

static const char *const opt_names[] = { "--accounts", "--depth", "--tokens", "--seed",
                                         "--output", "--keys", "--balance", "--state",
                                         "--count", "--invalid", "--keys-out", "--key" };

/* The options of cmd are `allowed`, of which `required` must be given. */
static int check_opts(const wallet_opts *w, const char *cmd, unsigned allowed,
                      unsigned required)
{
    for (unsigned b = 0; b < sizeof opt_names / sizeof opt_names[0]; b++) {
        if ((w->seen & ~allowed) & (1u << b)) {
            cli_error("%s: %s is not an option of this command", cmd, opt_names[b]);
            return -1;
        }
        if ((required & ~w->seen) & (1u << b)) {
            cli_error("%s: %s is required%s", cmd, opt_names[b],
                      (1u << b) == O_SEED ? " (determinism is the point; 'keygen' makes "
                                            "random keys)"
                                          : "");
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------ genesis */

static int cmd_genesis(const cli_opts *o, const wallet_opts *w, int argc)
{
    if (check_opts(w, "genesis", O_ACCOUNTS | O_DEPTH | O_TOKENS | O_SEED | O_OUTPUT |
                                     O_KEYS | O_BALANCE,
                   O_ACCOUNTS | O_DEPTH | O_TOKENS | O_SEED | O_OUTPUT | O_KEYS) != 0)
        return CLI_USAGE;
    if (argc != 0) {
        cli_error("genesis: no operand expected");
        return CLI_USAGE;
    }
    if (w->depth < 1 || w->depth > ZK_ROLLUP_DEPTH_MAX) {
        cli_error("genesis: --depth must be 1 to %d", ZK_ROLLUP_DEPTH_MAX);
        return CLI_USAGE;
    }
    if (w->tokens > ZK_ROLLUP_TOKEN_DEPTH_MAX) {
        cli_error("genesis: --tokens (the token tree depth) must be 0 to %d",
                  ZK_ROLLUP_TOKEN_DEPTH_MAX);
        return CLI_USAGE;
    }
    if (w->accounts < 1 || w->accounts > (uint64_t)1 << w->depth) {
        cli_error("genesis: --accounts must be 1 to 2^%llu", (unsigned long long)w->depth);
        return CLI_USAGE;
    }
    uint64_t max = (w->seen & O_BALANCE) ? w->balance : DEFAULT_BALANCE_MAX;
    if (max < 1) {
        cli_error("genesis: --balance must be at least 1");
        return CLI_USAGE;
    }
    if (strcmp(w->output, w->keys) == 0) {
        cli_error("genesis: -o and --keys name the same file");
        return CLI_USAGE;
    }
    unsigned depth = (unsigned)w->depth, tdepth = (unsigned)w->tokens;
    size_t ntok = (size_t)1 << tdepth;
    if (w->accounts > SIZE_MAX / ntok / sizeof(zk_fr)) {
        cli_error("genesis: --accounts %llu with 2^%u tokens: too large for this machine",
                  (unsigned long long)w->accounts, tdepth);
        return CLI_USAGE;
    }
    size_t n = (size_t)w->accounts;
    int status = CLI_USAGE;
    zk_rollup_keys keys = { 0, NULL, NULL, NULL };
    zk_rollup_state *st = NULL;
    zk_fr *bal = NULL;
    char *s_state = NULL, *s_keys = NULL;
    uint8_t *sh = seed_hash(w->seed);
    if (sh == NULL)
        return CLI_TEMPFAIL;
    double t = cli_now();
    int rc;
    if (zk_rollup_keys_alloc(&keys, n) != 0 || (bal = malloc(n * ntok * sizeof *bal)) == NULL) {
        status = cli_oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        keys.index[i] = i;
        derive_key(keys.sk[i], sh, "zkpar-wallet-key", i);
        if ((rc = zk_eddsa_pubkey(&keys.pubkey[i], keys.sk[i])) != 0) {
            cli_error("genesis: key %zu: %s", i, zk_strerror(rc));
            status = cli_unusable(rc);
            goto done;
        }
    }
    cli_progress((void *)o, "keys", cli_now() - t);
    t = cli_now();
    drng r;
    uint64_t lo = max / 1000;
    drng_init(&r, sh, "zkpar-wallet-balances");
    for (size_t i = 0; i < n * ntok; i++)
        bal[i] = fr_of(lo + drng_below(&r, max - lo));
    sodium_memzero(&r, sizeof r);
    zk_pool *pool;
    if ((status = cli_pool_new(&pool, o)) != 0)
        goto done;
    rc = zk_rollup_state_genesis(&st, depth, tdepth, keys.pubkey, n, bal, pool);
    zk_pool_free(pool);
    if (rc != 0) {
        cli_error("genesis: %s", zk_strerror(rc));
        status = cli_unusable(rc);
        goto done;
    }
    cli_progress((void *)o, "state", cli_now() - t);
    t = cli_now();
    if ((s_state = dump_release(zk_rollup_json_state_encode(st))) == NULL ||
        (s_keys = dump_release(zk_rollup_json_keys_encode(&keys))) == NULL) {
        status = CLI_TEMPFAIL;
        goto done;
    }
    output out[2] = {
        { w->output, s_state, strlen(s_state), 0644 },
        { w->keys, s_keys, strlen(s_keys), 0600 },
    };
    if ((status = write_outputs(out, 2)) != CLI_OK)
        goto done;
    cli_progress((void *)o, "write", cli_now() - t);
    status = CLI_OK;
done:
    wipe_free(s_keys);
    wipe_free(s_state);
    free(bal);
    zk_rollup_state_free(st);
    zk_rollup_keys_free(&keys);
    sodium_free(sh);
    return status;
}

/* ------------------------------------------------ batch */

/* Invalid kinds: the rule each breaks. */
enum {
    BAD_SIG,
    BAD_NONCE,
    OVERDRAFT,
    UNKNOWN_SENDER,
    UNKNOWN_RECIPIENT,
    UNKNOWN_TOKEN,
    AMOUNT_RANGE,
    RECIPIENT_OVERFLOW,
    NKINDS
};

static const zk_rollup_rule kind_rule[NKINDS] = {
    ZK_ROLLUP_BAD_SIGNATURE,     ZK_ROLLUP_BAD_NONCE,        ZK_ROLLUP_OVERDRAFT,
    ZK_ROLLUP_UNKNOWN_SENDER,    ZK_ROLLUP_UNKNOWN_RECIPIENT, ZK_ROLLUP_UNKNOWN_TOKEN,
    ZK_ROLLUP_AMOUNT_RANGE,      ZK_ROLLUP_RECIPIENT_OVERFLOW
};

typedef struct {
    uint64_t index;
    const uint8_t *sk; /* into gen.keys */
} signer;

/* The generator's working set. */
typedef struct {
    zk_rollup_state *st;
    unsigned depth, tdepth;
    drng r;
    const uint8_t *sh;      /* seed hash */
    zk_rollup_keys keys;    /* the input keys, then the new ones */
    size_t nkeys_in;
    uint64_t *taken;        /* input key indices, sorted */
    signer *signers;
    size_t nsigners;
    uint64_t *existing;     /* indices of the state's accounts */
    size_t nexisting;
    /* statistics */
    size_t n_transfer, n_deposit, n_new, n_withdraw, n_invalid;
} gen;

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t ntokens(const gen *g)
{
    return (uint64_t)1 << g->tdepth;
}

static u128 balance_of(const gen *g, uint64_t index, uint64_t token)
{
    zk_fr b;
    if (zk_rollup_state_balance(&b, g->st, index, token) != 0)
        return 0;
    return u128_of(&b);
}

/* The fees pending for the operator in token (rollup/state.h): credited
 * at the next settle, which a prover may place anywhere in the batch. */
static u128 pending_of(const gen *g, uint64_t token)
{
    zk_fr fees[ZK_ROLLUP_TOKENS_MAX];
    if (zk_rollup_state_pending(fees, ZK_ROLLUP_TOKENS_MAX, g->st) != 1)
        return 0;
    return u128_of(&fees[token]);
}

static int account_of(const gen *g, uint64_t index, zk_rollup_account *a)
{
    int exists = 0;
    if (zk_rollup_state_get(a, NULL, &exists, g->st, index) != 0)
        return 0;
    return exists;
}

/* An empty slot (for a new account: also without an input key), or
 * 0 when there is none (index 0 always exists). */
static uint64_t empty_slot(gen *g, int for_new)
{
    uint64_t size = (uint64_t)1 << g->depth;
    if (zk_rollup_state_count(g->st) >= size)
        return 0;
    uint64_t start = drng_below(&g->r, size);
    for (uint64_t k = 0; k < size; k++) {
        /* random tries first, then a scan from the last one */
        uint64_t i = k < 64 ? drng_below(&g->r, size) : (start + k) & (size - 1);
        int exists = 1;
        if (zk_rollup_state_get(NULL, NULL, &exists, g->st, i) != 0 || exists)
            continue;
        if (for_new && bsearch(&i, g->taken, g->nkeys_in, sizeof *g->taken, u64_cmp) != NULL)
            continue;
        return i;
    }
    return 0;
}

/* A random fraction (k / 2^16, k in 0..2^16) of v. */
static u128 fraction(gen *g, u128 v)
{
    return v * drng_below(&g->r, 65537) >> 16;
}

static int sign(zk_rollup_tx *tx, const uint8_t *sk)
{
    int rc = zk_rollup_tx_sign(tx, sk);
    if (rc != 0)
        cli_error("cannot sign: %s", zk_strerror(rc));
    return rc;
}

/*
 * The generators below return 0, or a library error: ZK_ENOMEM (no memory,
 * from signing or sodium_malloc: exit 75), any other code for an internal
 * error (ZK_EINVAL where no call failed).
 */

/* A valid transfer (type TRANSFER) or withdrawal from a random signer. */
static int make_spend(gen *g, zk_rollup_tx *tx, uint32_t type, const signer **who)
{
    const signer *s = &g->signers[drng_below(&g->r, g->nsigners)];
    zk_rollup_account a;
    memset(tx, 0, sizeof *tx);
    tx->type = type;
    tx->from = s->index;
    tx->token = drng_below(&g->r, ntokens(g));
    if (type == ZK_ROLLUP_TRANSFER)
        tx->to = g->existing[drng_below(&g->r, g->nexisting)];
    u128 bal = balance_of(g, tx->from, tx->token);
    u128 amount = fraction(g, bal / 4), rest = bal - amount;
    u128 fee = drng_below(&g->r, 4) == 0 ? 0 : 1 + drng_below(&g->r, 999);
    if (fee > rest)
        fee = rest;
    tx->amount = fr_of(amount);
    tx->fee = fr_of(fee);
    if (type == ZK_ROLLUP_WITHDRAW) {
        uint8_t be[32] = { 0 };
        drng_bytes(&g->r, be + 12, 20);
        if (zk_fr_from_bytes_be(&tx->l1_recipient, be) != 0)
            return ZK_EINVAL;
    }
    if (!account_of(g, tx->from, &a))
        return ZK_EINVAL;
    tx->nonce = a.nonce;
    *who = s;
    return sign(tx, s->sk);
}

/* Append a new account's key (derived from the seed and its index). */
static int new_account_key(gen *g, uint64_t index, zk_bj *pubkey)
{
    size_t k = g->keys.n;
    g->keys.index[k] = index;
    derive_key(g->keys.sk[k], g->sh, "zkpar-wallet-deposit-key", index);
    int rc = zk_eddsa_pubkey(&g->keys.pubkey[k], g->keys.sk[k]);
    if (rc != 0)
        return rc;
    *pubkey = g->keys.pubkey[k];
    return 0;
}

/* A valid deposit; *new_index = the slot it creates, or 0. */
static int make_deposit(gen *g, zk_rollup_tx *tx, uint64_t *new_index)
{
    memset(tx, 0, sizeof *tx);
    tx->type = ZK_ROLLUP_DEPOSIT;
    tx->token = drng_below(&g->r, ntokens(g));
    tx->amount = fr_of(1 + drng_below(&g->r, DEPOSIT_MAX - 1));
    *new_index = 0;
    if (drng_below(&g->r, 2) == 0 && (*new_index = empty_slot(g, 1)) != 0) {
        tx->to = *new_index;
        return new_account_key(g, *new_index, &tx->pubkey);
    }
    zk_rollup_account a;
    tx->to = g->existing[drng_below(&g->r, g->nexisting)];
    if (!account_of(g, tx->to, &a))
        return ZK_EINVAL;
    tx->pubkey = a.pubkey;
    return 0;
}

/* Where an invalid kind needs one: an empty slot (unknown sender or
 * recipient), an account and token holding something (recipient
 * overflow). */
typedef struct {
    uint64_t index, token;
} target;

/* Whether kind k can be made now; *at = its target. */
static int kind_possible(gen *g, int k, target *at)
{
    switch (k) {
    case BAD_SIG:
    case BAD_NONCE:
    case OVERDRAFT:
        return g->nsigners > 0;
    case UNKNOWN_SENDER:
    case UNKNOWN_RECIPIENT:
        return (k == UNKNOWN_SENDER || g->nsigners > 0) && (at->index = empty_slot(g, 0)) != 0;
    case RECIPIENT_OVERFLOW:
        for (int tries = 0; tries < 64; tries++) {
            at->index = g->existing[drng_below(&g->r, g->nexisting)];
            at->token = drng_below(&g->r, ntokens(g));
            if (balance_of(g, at->index, at->token) != 0)
                return 1;
        }
        return 0;
    default:
        return 1;
    }
}

/* An invalid transaction of kind k. */
static int make_invalid(gen *g, zk_rollup_tx *tx, int k, const target *at)
{
    uint64_t slot = at->index;
    const signer *s = NULL;
    uint32_t spend = drng_below(&g->r, 2) ? ZK_ROLLUP_TRANSFER : ZK_ROLLUP_WITHDRAW;
    uint64_t dummy;
    int rc;
    switch (k) {
    case BAD_SIG:
        if ((rc = make_spend(g, tx, spend, &s)) != 0)
            return rc;
        if (drng_below(&g->r, 2)) {
            tx->sig.s[drng_below(&g->r, 4)] ^= (uint64_t)1 << drng_below(&g->r, 64);
        } else { /* the signature of another message */
            zk_rollup_tx other = *tx;
            other.nonce++;
            if ((rc = sign(&other, s->sk)) != 0)
                return rc;
            tx->sig = other.sig;
        }
        return 0;
    case BAD_NONCE:
        if ((rc = make_spend(g, tx, spend, &s)) != 0)
            return rc;
        tx->nonce = tx->nonce > 0 ? tx->nonce - 1 : tx->nonce + 1;
        return sign(tx, s->sk);
    case OVERDRAFT: {
        if ((rc = make_spend(g, tx, spend, &s)) != 0)
            return rc;
        /* the operator's pending fees count: the transaction must stay an
         * overdraft after any settle */
        u128 bal = balance_of(g, tx->from, tx->token);
        if (tx->from == ZK_ROLLUP_OPERATOR)
            bal += pending_of(g, tx->token);
        u128 amount = bal + 1 + drng_below(&g->r, 1000), fee = u128_of(&tx->fee);
        if (amount >= TWO96) {
            amount = TWO96 - 1;
            fee = 1;
        }
        tx->amount = fr_of(amount);
        tx->fee = fr_of(fee);
        return sign(tx, s->sk);
    }
    case UNKNOWN_SENDER: {
        uint8_t *sk = sodium_malloc(ZK_EDDSA_SECRET_BYTES);
        if (sk == NULL)
            return ZK_ENOMEM;
        memset(tx, 0, sizeof *tx);
        tx->type = spend;
        tx->from = slot;
        tx->token = drng_below(&g->r, ntokens(g));
        tx->amount = fr_of(1 + drng_below(&g->r, 1000000));
        if (spend == ZK_ROLLUP_TRANSFER)
            tx->to = g->existing[drng_below(&g->r, g->nexisting)];
        else
            tx->l1_recipient = fr_of(1 + drng_below(&g->r, UINT64_MAX));
        derive_key(sk, g->sh, "zkpar-wallet-deposit-key", slot);
        rc = sign(tx, sk);
        sodium_free(sk);
        return rc;
    }
    case UNKNOWN_RECIPIENT:
        if ((rc = make_spend(g, tx, ZK_ROLLUP_TRANSFER, &s)) != 0)
            return rc;
        tx->to = slot;
        return sign(tx, s->sk);
    case UNKNOWN_TOKEN:
    case AMOUNT_RANGE: {
        int type = g->nsigners > 0 ? (int)drng_below(&g->r, 3) : 0;
        if (type == 0) {
            if ((rc = make_deposit(g, tx, &dummy)) != 0)
                return rc;
            if (dummy != 0) /* the key is not kept: the account is not made */
                sodium_memzero(g->keys.sk[g->keys.n], ZK_EDDSA_SECRET_BYTES);
        } else if ((rc = make_spend(g, tx, type == 1 ? ZK_ROLLUP_TRANSFER : ZK_ROLLUP_WITHDRAW,
                                    &s)) != 0) {
            return rc;
        }
        if (k == UNKNOWN_TOKEN)
            tx->token = ntokens(g) + drng_below(&g->r, ntokens(g));
        else
            tx->amount = fr_of(TWO96 + drng_below(&g->r, UINT64_MAX));
        return s != NULL ? sign(tx, s->sk) : 0;
    }
    case RECIPIENT_OVERFLOW:
    default: {
        memset(tx, 0, sizeof *tx);
        tx->type = ZK_ROLLUP_DEPOSIT;
        tx->amount = fr_of(TWO96 - 1);
        tx->to = at->index;
        tx->token = at->token;
        zk_rollup_account a;
        if (!account_of(g, tx->to, &a))
            return ZK_EINVAL;
        tx->pubkey = a.pubkey;
        return 0;
    }
    }
}

/* One transaction into *tx: valid ones are applied to the working state.
 * 0, or the exit status after a message: CLI_TEMPFAIL when out of memory,
 * CLI_USAGE for an internal error. */
static int generate_one(gen *g, zk_rollup_tx *tx, double invalid, size_t i)
{
    zk_rollup_rule why = ZK_ROLLUP_VALID;
    int rc;
    if (invalid > 0 && drng_unit(&g->r) < invalid) {
        /* a kind picked at random among those possible now */
        int kinds[NKINDS], nk = 0;
        target at[NKINDS];
        memset(at, 0, sizeof at);
        for (int k = 0; k < NKINDS; k++)
            if (kind_possible(g, k, &at[nk]))
                kinds[nk++] = k;
        int pick = (int)drng_below(&g->r, (uint64_t)nk), k = kinds[pick];
        if ((rc = make_invalid(g, tx, k, &at[pick])) != 0)
            goto fail;
        rc = zk_rollup_state_apply(NULL, &why, g->st, tx);
        if (rc == ZK_ENOMEM)
            goto fail;
        if (rc != ZK_EVERIFY || why != kind_rule[k]) {
            cli_error("internal error: invalid transaction %zu (%s): %s, rule %s", i,
                      zk_rollup_rule_name((int)kind_rule[k]), zk_strerror(rc),
                      zk_rollup_rule_name((int)why));
            return CLI_USAGE;
        }
        g->n_invalid++;
        return 0;
    }
    uint64_t u = drng_below(&g->r, 100), new_index = 0;
    const signer *s = NULL;
    if (g->nsigners == 0 || (u >= 60 && u < 80)) {
        if ((rc = make_deposit(g, tx, &new_index)) != 0)
            goto fail;
    } else if ((rc = make_spend(g, tx, u < 60 ? ZK_ROLLUP_TRANSFER : ZK_ROLLUP_WITHDRAW,
                                &s)) != 0) {
        goto fail;
    }
    rc = zk_rollup_state_apply(NULL, &why, g->st, tx);
    if (rc == ZK_EVERIFY &&
        (why == ZK_ROLLUP_RECIPIENT_OVERFLOW || why == ZK_ROLLUP_OPERATOR_OVERFLOW)) {
        /* a balance near 2^96 (a hand-made state): move nothing instead */
        zk_fr_zero(&tx->amount);
        zk_fr_zero(&tx->fee);
        if (s != NULL && (rc = sign(tx, s->sk)) != 0)
            goto fail;
        rc = zk_rollup_state_apply(NULL, &why, g->st, tx);
    }
    if (rc == ZK_ENOMEM)
        goto fail;
    if (rc != 0) {
        cli_error("internal error: transaction %zu (%s) refused: %s, rule %s", i,
                  zk_rollup_tx_type_name(tx->type), zk_strerror(rc),
                  zk_rollup_rule_name((int)why));
        return CLI_USAGE;
    }
    switch (tx->type) {
    case ZK_ROLLUP_TRANSFER:
        g->n_transfer++;
        break;
    case ZK_ROLLUP_WITHDRAW:
        g->n_withdraw++;
        break;
    default:
        g->n_deposit++;
        break;
    }
    if (new_index != 0) {
        size_t k = g->keys.n++;
        g->signers[g->nsigners].index = new_index;
        g->signers[g->nsigners++].sk = g->keys.sk[k];
        g->existing[g->nexisting++] = new_index;
        g->n_new++;
    }
    return 0;
fail:
    if (rc == ZK_ENOMEM) {
        cli_error("transaction %zu: out of memory", i);
        return CLI_TEMPFAIL;
    }
    cli_error("internal error: cannot make transaction %zu: %s", i, zk_strerror(rc));
    return CLI_USAGE;
}

static int cmd_batch(const cli_opts *o, const wallet_opts *w, int argc)
{
    if (check_opts(w, "batch", O_STATE | O_KEYS | O_COUNT | O_SEED | O_OUTPUT | O_INVALID |
                                   O_KEYS_OUT,
                   O_STATE | O_KEYS | O_COUNT | O_SEED | O_OUTPUT) != 0)
        return CLI_USAGE;
    if (argc != 0) {
        cli_error("batch: no operand expected");
        return CLI_USAGE;
    }
    if (w->count > SIZE_MAX / 2 / sizeof(zk_rollup_tx)) {
        cli_error("batch: --count is too large");
        return CLI_USAGE;
    }
    if (w->keys_out != NULL && strcmp(w->output, w->keys_out) == 0) {
        cli_error("batch: -o and --keys-out name the same file");
        return CLI_USAGE;
    }
    double invalid = (w->seen & O_INVALID) ? w->invalid : 0;
    size_t m = (size_t)w->count;
    gen g;
    memset(&g, 0, sizeof g);
    zk_rollup_keys in = { 0, NULL, NULL, NULL };
    zk_rollup_batch b = { 0, 0, { { 0, 0, 0, 0 } }, 0, NULL };
    char *s_batch = NULL, *s_keys = NULL;
    uint8_t *sh = NULL;
    int status = load_state(&g.st, w->state, o);
    if (status != CLI_OK)
        return status;
    if ((status = load_keys(&in, w->keys)) != CLI_OK)
        goto done;
    status = CLI_USAGE;
    double t = cli_now();
    g.depth = zk_rollup_state_depth(g.st);
    g.tdepth = zk_rollup_state_token_depth(g.st);
    size_t count = zk_rollup_state_count(g.st);
    if ((sh = seed_hash(w->seed)) == NULL) {
        status = CLI_TEMPFAIL;
        goto done;
    }
    g.sh = sh;
    drng_init(&g.r, sh, "zkpar-wallet-batch");
    if (in.n > SIZE_MAX / 2 - m || count > SIZE_MAX / 2 / sizeof(uint64_t) - m) {
        cli_error("batch: --count %zu with %zu keys and %zu accounts: too large for this "
                  "machine",
                  m, in.n, count);
        goto done;
    }
    if (zk_rollup_keys_alloc(&g.keys, in.n + m) != 0 ||
        (g.taken = malloc((in.n + 1) * sizeof *g.taken)) == NULL ||
        (g.signers = malloc((in.n + m + 1) * sizeof *g.signers)) == NULL ||
        (g.existing = malloc((count + m) * sizeof *g.existing)) == NULL ||
        (m > 0 && (b.tx = calloc(m, sizeof *b.tx)) == NULL)) {
        status = cli_oom();
        goto done;
    }
    int rc = zk_rollup_state_indices(g.existing, count, g.st);
    if (rc != 0) {
        cli_error("%s: %s", w->state, zk_strerror(rc));
        status = cli_unusable(rc);
        goto done;
    }
    g.nexisting = count;
    /* the input keys; those of existing accounts sign */
    g.keys.n = in.n;
    g.nkeys_in = in.n;
    for (size_t i = 0; i < in.n; i++) {
        zk_rollup_account a;
        g.keys.index[i] = in.index[i];
        g.keys.pubkey[i] = in.pubkey[i];
        memcpy(g.keys.sk[i], in.sk[i], ZK_EDDSA_SECRET_BYTES);
        g.taken[i] = in.index[i];
        if (!account_of(&g, in.index[i], &a))
            continue;
        if (!zk_bj_eq(&a.pubkey, &in.pubkey[i])) {
            cli_error("%s: keys[%zu]: not the key of account %llu in %s", w->keys, i,
                      (unsigned long long)in.index[i], w->state);
            status = CLI_INVALID;
            goto done;
        }
        g.signers[g.nsigners].index = in.index[i];
        g.signers[g.nsigners++].sk = g.keys.sk[i];
    }
    zk_rollup_keys_free(&in);
    qsort(g.taken, g.nkeys_in, sizeof *g.taken, u64_cmp);

    b.depth = g.depth;
    b.token_depth = g.tdepth;
    zk_rollup_state_root(&b.state_root, g.st);
    b.n = m;
    for (size_t i = 0; i < m; i++)
        if ((status = generate_one(&g, &b.tx[i], invalid, i)) != 0)
            goto done;
    status = CLI_USAGE;
    cli_progress((void *)o, "generate", cli_now() - t);
    if (o->progress)
        fprintf(stderr,
                "%s: %zu transactions: %zu transfers, %zu deposits (%zu new accounts), "
                "%zu withdrawals, %zu invalid\n",
                cli_prog(), m, g.n_transfer, g.n_deposit, g.n_new, g.n_withdraw, g.n_invalid);
    t = cli_now();
    if ((s_batch = dump_release(zk_rollup_json_batch_encode(&b))) == NULL ||
        (w->keys_out != NULL &&
         (s_keys = dump_release(zk_rollup_json_keys_encode(&g.keys))) == NULL)) {
        status = CLI_TEMPFAIL;
        goto done;
    }
    output out[2] = {
        { w->output, s_batch, strlen(s_batch), 0644 },
        { w->keys_out, s_keys, s_keys != NULL ? strlen(s_keys) : 0, 0600 },
    };
    if ((status = write_outputs(out, w->keys_out != NULL ? 2 : 1)) != CLI_OK)
        goto done;
    cli_progress((void *)o, "write", cli_now() - t);
    status = CLI_OK;
done:
    wipe_free(s_keys);
    wipe_free(s_batch);
    zk_rollup_batch_free(&b);
    free(g.existing);
    free(g.signers);
    free(g.taken);
    zk_rollup_keys_free(&g.keys);
    zk_rollup_keys_free(&in);
    sodium_memzero(&g.r, sizeof g.r);
    if (sh != NULL)
        sodium_free(sh);
    zk_rollup_state_free(g.st);
    return status;
}

/* ------------------------------------------------ keygen, sign, show */

static int cmd_keygen(const wallet_opts *w, int argc)
{
    if (check_opts(w, "keygen", O_SEED | O_OUTPUT, 0) != 0)
        return CLI_USAGE;
    if (argc != 0) {
        cli_error("keygen: no operand expected");
        return CLI_USAGE;
    }
    int status = CLI_TEMPFAIL, rc;
    uint8_t *sk = sodium_malloc(ZK_EDDSA_SECRET_BYTES), *sh = NULL;
    char *s = NULL;
    zk_bj a;
    if (sk == NULL)
        return cli_oom();
    if (w->seen & O_SEED) {
        if ((sh = seed_hash(w->seed)) == NULL)
            goto done;
        derive_key(sk, sh, "zkpar-wallet-keygen", 0);
    } else if ((rc = zk_eddsa_keygen(sk)) != 0) {
        cli_error("cannot draw a key: %s", zk_strerror(rc));
        status = cli_unusable(rc);
        goto done;
    }
    if ((rc = zk_eddsa_pubkey(&a, sk)) != 0) {
        cli_error("cannot derive the public key: %s", zk_strerror(rc));
        status = cli_unusable(rc);
        goto done;
    }
    if ((s = dump_release(zk_rollup_json_key_encode(sk, &a))) == NULL)
        goto done; /* CLI_TEMPFAIL */
    output out = { w->output != NULL ? w->output : "-", s, strlen(s), 0600 };
    status = write_outputs(&out, 1);
done:
    wipe_free(s);
    if (sh != NULL)
        sodium_free(sh);
    sodium_free(sk);
    return status;
}

static int cmd_sign(const wallet_opts *w, int argc, char **argv)
{
    if (check_opts(w, "sign", O_KEY | O_OUTPUT, O_KEY) != 0)
        return CLI_USAGE;
    if (argc > 1) {
        cli_error("sign: at most one transaction file expected");
        return CLI_USAGE;
    }
    const char *tx_path = argc == 1 ? argv[0] : "-";
    if (strcmp(tx_path, "-") == 0 && strcmp(w->key, "-") == 0) {
        cli_error("sign: the key and the transaction cannot both come from stdin");
        return CLI_USAGE;
    }
    uint8_t *sk = sodium_malloc(ZK_EDDSA_SECRET_BYTES);
    if (sk == NULL)
        return cli_oom();
    int status, rc;
    const char *where = NULL;
    char *s = NULL;
    zk_bj a;
    zk_rollup_tx tx;
    json_t *j;
    if ((status = read_json_secret(&j, w->key)) != 0)
        goto done;
    rc = zk_rollup_json_key_decode(sk, &a, j, &where);
    json_decref(j);
    if (rc != 0) {
        status = decode_error(w->key, rc, where);
        goto done;
    }
    if ((status = cli_json_load(&j, tx_path)) != 0)
        goto done;
    rc = zk_rollup_json_tx_decode(&tx, j, &where);
    json_decref(j);
    if (rc != 0) {
        status = decode_error(tx_path, rc, where);
        goto done;
    }
    if (tx.type != ZK_ROLLUP_TRANSFER && tx.type != ZK_ROLLUP_WITHDRAW) {
        const char *name = zk_rollup_tx_type_name(tx.type);
        cli_error("%s: type: %s%s is not signed (only transfers and withdrawals are)",
                  strcmp(tx_path, "-") == 0 ? "(stdin)" : tx_path, name ? "a " : "an unknown type",
                  name ? name : "");
        status = CLI_INVALID;
        goto done;
    }
    if ((rc = sign(&tx, sk)) != 0) {
        status = cli_unusable(rc);
        goto done;
    }
    if ((s = dump_release(zk_rollup_json_tx_encode(&tx))) == NULL) {
        status = CLI_TEMPFAIL;
        goto done;
    }
    output out = { w->output != NULL ? w->output : "-", s, strlen(s), 0644 };
    status = write_outputs(&out, 1);
done:
    wipe_free(s);
    sodium_free(sk);
    return status;
}

/* "(stdout): cannot write: ..." (errno of the failed write); the exit
 * status. */
static int stdout_error(void)
{
    return cli_file_error("(stdout)", ZK_EIO, "cannot write");
}

static int print_account(const zk_rollup_state *st, uint64_t index)
{
    zk_rollup_account a;
    int exists = 0;
    if (zk_rollup_state_get(&a, NULL, &exists, st, index) != 0) {
        cli_error("show: index %llu is outside the tree (depth %u)",
                  (unsigned long long)index, zk_rollup_state_depth(st));
        return CLI_USAGE;
    }
    if (!exists)
        return printf("%llu empty\n", (unsigned long long)index) < 0 ? stdout_error() : CLI_OK;
    if (printf("%llu %llu", (unsigned long long)index, (unsigned long long)a.nonce) < 0)
        return stdout_error();
    for (uint64_t t = 0; t < (uint64_t)1 << zk_rollup_state_token_depth(st); t++) {
        zk_fr b;
        char d[48];
        if (zk_rollup_state_balance(&b, st, index, t) != 0)
            return CLI_USAGE;
        u128_dec(d, u128_of(&b));
        if (printf(" %s", d) < 0)
            return stdout_error();
    }
    return putchar('\n') == EOF ? stdout_error() : CLI_OK;
}

static int cmd_show(const cli_opts *o, const wallet_opts *w, int argc, char **argv)
{
    if (check_opts(w, "show", O_STATE, O_STATE) != 0)
        return CLI_USAGE;
    uint64_t *idx = malloc((size_t)(argc > 0 ? argc : 1) * sizeof *idx);
    if (idx == NULL)
        return cli_oom();
    for (int i = 0; i < argc; i++)
        if (parse_u64(&idx[i], argv[i], UINT64_MAX, "show: INDEX") != 0) {
            free(idx);
            return CLI_USAGE;
        }
    zk_rollup_state *st = NULL;
    int status = load_state(&st, w->state, o);
    if (status == CLI_OK && argc == 0) {
        size_t n = zk_rollup_state_count(st);
        uint64_t *all = malloc((n > 0 ? n : 1) * sizeof *all);
        int rc = all != NULL ? zk_rollup_state_indices(all, n, st) : ZK_ENOMEM;
        if (rc != 0) {
            cli_error("%s: %s", w->state, zk_strerror(rc));
            status = cli_unusable(rc);
        }
        for (size_t i = 0; status == CLI_OK && i < n; i++)
            status = print_account(st, all[i]);
        free(all);
    }
    for (int i = 0; status == CLI_OK && i < argc; i++)
        status = print_account(st, idx[i]);
    if (status == CLI_OK && (fflush(stdout) != 0 || ferror(stdout)))
        status = stdout_error();
    zk_rollup_state_free(st);
    free(idx);
    return status;
}

/* ------------------------------------------------ main */

int main(int argc, char **argv)
{
    enum {
        OPT_ACCOUNTS = 256,
        OPT_DEPTH,
        OPT_TOKENS,
        OPT_SEED,
        OPT_KEYS,
        OPT_BALANCE,
        OPT_STATE,
        OPT_COUNT,
        OPT_INVALID,
        OPT_KEYS_OUT,
        OPT_KEY
    };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "output", required_argument, NULL, 'o' },
        { "accounts", required_argument, NULL, OPT_ACCOUNTS },
        { "depth", required_argument, NULL, OPT_DEPTH },
        { "tokens", required_argument, NULL, OPT_TOKENS },
        { "seed", required_argument, NULL, OPT_SEED },
        { "keys", required_argument, NULL, OPT_KEYS },
        { "balance", required_argument, NULL, OPT_BALANCE },
        { "state", required_argument, NULL, OPT_STATE },
        { "count", required_argument, NULL, OPT_COUNT },
        { "invalid", required_argument, NULL, OPT_INVALID },
        { "keys-out", required_argument, NULL, OPT_KEYS_OUT },
        { "key", required_argument, NULL, OPT_KEY },
        { NULL, 0, NULL, 0 }
    };
    cli_opts o = { 0, 0, 0 };
    wallet_opts w;
    int c;
    memset(&w, 0, sizeof w);

    cli_init(argv[0]);
    if (sodium_init() < 0) {
        /* no source of randomness: the machine's, not the command's */
        cli_error("cannot initialize libsodium");
        return CLI_TEMPFAIL;
    }
    json_set_alloc_funcs(wipe_malloc, wipe_free);
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "o:", longopts, NULL)) != -1) {
        int k = cli_option(&o, c, optarg, usage);
        if (k == CLI_NEXT)
            continue;
        if (k != CLI_MINE)
            return k;
        int bad = 0;
        switch (c) {
        case 'o':
            w.output = optarg;
            w.seen |= O_OUTPUT;
            break;
        case OPT_ACCOUNTS:
            bad = parse_u64(&w.accounts, optarg, (uint64_t)1 << ZK_ROLLUP_DEPTH_MAX, "--accounts");
            w.seen |= O_ACCOUNTS;
            break;
        case OPT_DEPTH:
            bad = parse_u64(&w.depth, optarg, ZK_ROLLUP_DEPTH_MAX, "--depth");
            w.seen |= O_DEPTH;
            break;
        case OPT_TOKENS:
            bad = parse_u64(&w.tokens, optarg, ZK_ROLLUP_TOKEN_DEPTH_MAX, "--tokens");
            w.seen |= O_TOKENS;
            break;
        case OPT_SEED:
            w.seed = optarg;
            w.seen |= O_SEED;
            break;
        case OPT_KEYS:
            w.keys = optarg;
            w.seen |= O_KEYS;
            break;
        case OPT_BALANCE:
            bad = parse_u64(&w.balance, optarg, UINT64_MAX, "--balance");
            w.seen |= O_BALANCE;
            break;
        case OPT_STATE:
            w.state = optarg;
            w.seen |= O_STATE;
            break;
        case OPT_COUNT:
            bad = parse_u64(&w.count, optarg, UINT64_MAX, "--count");
            w.seen |= O_COUNT;
            break;
        case OPT_INVALID: {
            char *end;
            errno = 0;
            w.invalid = strtod(optarg, &end);
            if (errno != 0 || end == optarg || *end != '\0' || !(w.invalid >= 0) ||
                w.invalid > 1) {
                cli_error("--invalid: '%s' is not a probability (0 to 1)", optarg);
                bad = 1;
            }
            w.seen |= O_INVALID;
            break;
        }
        case OPT_KEYS_OUT:
            w.keys_out = optarg;
            w.seen |= O_KEYS_OUT;
            break;
        case OPT_KEY:
            w.key = optarg;
            w.seen |= O_KEY;
            break;
        default:
            bad = 1;
            break;
        }
        if (bad)
            return CLI_USAGE;
    }
    if (optind >= argc) {
        cli_error("no command");
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    if (strcmp(cmd, "genesis") == 0)
        return cmd_genesis(&o, &w, nargs);
    if (strcmp(cmd, "batch") == 0)
        return cmd_batch(&o, &w, nargs);
    if (strcmp(cmd, "keygen") == 0)
        return cmd_keygen(&w, nargs);
    if (strcmp(cmd, "sign") == 0)
        return cmd_sign(&w, nargs, args);
    if (strcmp(cmd, "show") == 0)
        return cmd_show(&o, &w, nargs, args);
    cli_error("unknown command '%s'", cmd);
    usage(stderr);
    return CLI_USAGE;
}
