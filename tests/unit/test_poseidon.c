/*
 * test_poseidon -- Poseidon over BN254's Fr against circomlib(js).
 *
 *  - known answers from circomlibjs 0.1.7's buildPoseidon (committed here),
 *    under every available field kernel;
 *  - the optimized permutation (zk_poseidon_permute) against a plain one
 *    written here from the paper's definition and the plain tables;
 *  - the optimized tables against circomlib's poseidon_constants.circom
 *    (read directly, no node needed) and the plain ones against
 *    circomlibjs's poseidon_constants.js (through node);
 *  - random vectors of every width, with and without an initial state and
 *    several outputs, evaluated by circomlibjs in one node call;
 *  - argument errors.
 * The interop parts skip cleanly without tests/interop/node_modules or node.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/fr.h"
#include "field/kernel.h"
#include "hash/poseidon.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"

#define TMAX ZK_POSEIDON_WIDTH_MAX

static zk_fr dec(const char *s)
{
    zk_fr x;
    if (zk_fr_from_dec(&x, s) != ZK_OK)
        bail_out("bad decimal constant %s", s);
    return x;
}

static int fr_eq_dec(const zk_fr *a, const char *s)
{
    zk_fr b = dec(s);
    return zk_fr_eq(a, &b);
}

/* ------------------------------------------------------- known answers */

#define R_MINUS_1 "21888242871839275222246405745257275088548364400416034343698204186575808495616"

static const struct {
    size_t n;
    const char *in[6];
    const char *out;
} KAT[] = {
    {1, {"1"}, "18586133768512220936620570745912940619677854269274689475585506675881198879027"},
    {2, {"1", "2"}, "7853200120776062878684798364095072458815029376092732009249414926327459813530"},
    {3, {"1", "2", "3"}, "6542985608222806190361240322586112750744169038454362455181422643027100751666"},
    {4, {"1", "2", "3", "4"}, "18821383157269793795438455681495246036402687001665670618754263018637548127333"},
    {5, {"1", "2", "3", "4", "5"}, "6183221330272524995739186171720101788151706631170188140075976616310159254464"},
    {6, {"1", "2", "3", "4", "5", "6"}, "20400040500897583745843009878988256314335038853985262692600694741116813247201"},
    {2, {"0", "0"}, "14744269619966411208579211824598458697587494354926760081771325075741142829156"},
    {2, {R_MINUS_1, R_MINUS_1}, "20092309280547939997162506796691455192771288143174894022739895715370814071035"},
};

/* circomlibjs: poseidon([1, 2, 3], 7, 4) */
static const char *KAT_EX[4] = {
    "6714252130330922078543919866980220384885841084056343689878699312726273027107",
    "8016958126660808273350135404974921955947003540479050029831688678815700029213",
    "20618494325404764806348078986741889475788650934969770958319005954539960384533",
    "3514260505020986819675083294159293539415684537746633410309833236625100379977",
};

static void test_kat(const char *kernel)
{
    for (size_t k = 0; k < sizeof KAT / sizeof KAT[0]; k++) {
        zk_fr in[6], out;
        for (size_t i = 0; i < KAT[k].n; i++)
            in[i] = dec(KAT[k].in[i]);
        int rc = zk_poseidon(&out, in, KAT[k].n);
        char got[ZK_FR_DEC_MAX] = "-";
        if (rc == ZK_OK)
            zk_fr_to_dec(got, &out);
        is_str(got, KAT[k].out, "[%s] known answer %zu: %zu inputs, first %.12s",
               kernel, k, KAT[k].n, KAT[k].in[0]);
    }
    zk_fr in[3] = {dec("1"), dec("2"), dec("3")}, init = dec("7"), out[4];
    int rc = zk_poseidon_ex(out, 4, in, 3, &init);
    int good = rc == ZK_OK;
    for (int i = 0; i < 4 && good; i++)
        good = fr_eq_dec(&out[i], KAT_EX[i]);
    ok(good, "[%s] poseidon_ex([1,2,3], init 7, 4 outputs) = circomlibjs's", kernel);
    /* fewer outputs are a prefix */
    rc = zk_poseidon_ex(out, 2, in, 3, &init);
    ok(rc == ZK_OK && fr_eq_dec(&out[0], KAT_EX[0]) && fr_eq_dec(&out[1], KAT_EX[1]),
       "[%s] poseidon_ex with 2 outputs gives the first two", kernel);
}

/* ------------------------------------------ plain reference permutation */

static void pow5(zk_fr *x)
{
    zk_fr y;
    zk_fr_sqr(&y, x);
    zk_fr_sqr(&y, &y);
    zk_fr_mul(x, &y, x);
}

/* The paper's definition with the plain tables (no folding, dense mixes). */
static void permute_plain(zk_fr *s, const zk_poseidon_params *p)
{
    unsigned t = p->t, nr = p->rounds_f + p->rounds_p;
    for (unsigned r = 0; r < nr; r++) {
        for (unsigned i = 0; i < t; i++)
            zk_fr_add(&s[i], &s[i], &p->c[r * t + i]);
        int full = r < p->rounds_f / 2 || r >= p->rounds_f / 2 + p->rounds_p;
        for (unsigned i = 0; i < (full ? t : 1); i++)
            pow5(&s[i]);
        zk_fr o[TMAX];
        for (unsigned i = 0; i < t; i++) {
            zk_fr_zero(&o[i]);
            for (unsigned j = 0; j < t; j++) {
                zk_fr q;
                zk_fr_mul(&q, &p->m[i * t + j], &s[j]);
                zk_fr_add(&o[i], &o[i], &q);
            }
        }
        memcpy(s, o, t * sizeof *s);
    }
}

static void test_plain_vs_opt(void)
{
    for (unsigned t = 2; t <= TMAX; t++) {
        const zk_poseidon_params *p = zk_poseidon_params_get(t);
        if (!p) {
            ok(0, "params for t = %u", t);
            continue;
        }
        int shape = p->t == t && p->rounds_f == 8 && p->c && p->m && p->opt_c &&
                    p->opt_s && p->opt_m && p->opt_p;
        static const unsigned rp[] = {56, 57, 56, 60, 60, 63};
        if (t - 2 < sizeof rp / sizeof rp[0])
            shape = shape && p->rounds_p == rp[t - 2];
        ok(shape, "t = %u: 8 full rounds, circomlib's %u partial rounds", t, p->rounds_p);
        int same = 1, moved = 1;
        for (int k = 0; k < 12; k++) {
            zk_fr a[TMAX], b[TMAX], orig[TMAX];
            for (unsigned i = 0; i < t; i++) {
                if (k == 0)
                    zk_fr_zero(&a[i]);
                else if (k == 1)
                    a[i] = dec(R_MINUS_1);
                else
                    zk_fr_random(&a[i]);
            }
            memcpy(b, a, sizeof a);
            memcpy(orig, a, sizeof a);
            permute_plain(a, p);
            if (zk_poseidon_permute(b, t) != ZK_OK)
                same = 0;
            for (unsigned i = 0; i < t; i++) {
                same = same && zk_fr_eq(&a[i], &b[i]);
                moved = moved && !zk_fr_eq(&orig[i], &b[i]);
            }
        }
        ok(same, "t = %u: optimized permutation = plain reference (zero, r-1, 10 random states)", t);
        ok(moved, "t = %u: the permutation changes every element", t);

        /* m is a Cauchy matrix: every 2x2 minor is non-zero, so in
         * particular m is invertible; and opt_m is m transposed. */
        int tr = 1;
        for (unsigned i = 0; i < t; i++)
            for (unsigned j = 0; j < t; j++)
                tr = tr && zk_fr_eq(&p->opt_m[i * t + j], &p->m[j * t + i]);
        ok(tr, "t = %u: opt_m is m transposed", t);
        int minors = 1;
        for (unsigned i = 0; i + 1 < t; i++)
            for (unsigned j = 0; j + 1 < t; j++) {
                zk_fr x, y;
                zk_fr_mul(&x, &p->m[i * t + j], &p->m[(i + 1) * t + j + 1]);
                zk_fr_mul(&y, &p->m[i * t + j + 1], &p->m[(i + 1) * t + j]);
                minors = minors && !zk_fr_eq(&x, &y) && !zk_fr_is_zero(&p->m[i * t + j]);
            }
        ok(minors, "t = %u: adjacent 2x2 minors of the MDS matrix are non-zero", t);
    }

    /* Poseidon(x) is state[0] of the permutation of (0, x) */
    zk_fr in[2], s[3], h;
    zk_fr_random(&in[0]);
    zk_fr_random(&in[1]);
    zk_fr_zero(&s[0]);
    s[1] = in[0];
    s[2] = in[1];
    int rc = zk_poseidon_permute(s, 3) | zk_poseidon(&h, in, 2);
    ok(rc == ZK_OK && zk_fr_eq(&h, &s[0]), "poseidon(a, b) = permute(0, a, b)[0]");
    zk_fr init;
    zk_fr_random(&init);
    s[0] = init;
    s[1] = in[0];
    s[2] = in[1];
    zk_fr outs[3];
    rc = zk_poseidon_permute(s, 3) | zk_poseidon_ex(outs, 3, in, 2, &init);
    ok(rc == ZK_OK && !memcmp(outs, s, sizeof s), "poseidon_ex(init, 3 outputs) = the whole permuted state");
    ok(!zk_fr_eq(&h, &outs[0]), "a non-zero initial state changes the hash");

    /* aliasing: out on top of in, out on top of init */
    zk_fr al[2] = {in[0], in[1]};
    rc = zk_poseidon(&al[1], al, 2);
    ok(rc == ZK_OK && zk_fr_eq(&al[1], &h), "out may alias in");
    zk_fr al2[3] = {in[0], in[1], init};
    rc = zk_poseidon_ex(al2, 3, al2, 2, &al2[2]);
    ok(rc == ZK_OK && !memcmp(al2, outs, sizeof outs), "out may alias in and init");

    /* a one-bit change of an input changes the output */
    zk_fr in2[2] = {in[0], in[1]}, h2, one;
    zk_fr_one(&one);
    zk_fr_add(&in2[1], &in2[1], &one);
    rc = zk_poseidon(&h2, in2, 2);
    ok(rc == ZK_OK && !zk_fr_eq(&h, &h2), "poseidon(a, b + 1) != poseidon(a, b)");
    /* order matters */
    zk_fr sw[2] = {in[1], in[0]};
    rc = zk_poseidon(&h2, sw, 2);
    ok(rc == ZK_OK && !zk_fr_eq(&h, &h2), "poseidon(b, a) != poseidon(a, b)");
}

/* ------------------------------------------------------ argument errors */

static void test_errors(void)
{
    zk_fr in[TMAX + 1], out[TMAX + 1], sentinel;
    for (int i = 0; i <= TMAX; i++)
        zk_fr_set_u64(&in[i], (uint64_t)i + 1);
    zk_fr_set_u64(&sentinel, 0xdeadbeef);
    out[0] = sentinel;
    is_int(zk_poseidon(out, in, 0), ZK_EINVAL, "n = 0 rejected");
    is_int(zk_poseidon(out, in, ZK_POSEIDON_MAX_INPUTS + 1), ZK_EINVAL, "n = %d rejected", ZK_POSEIDON_MAX_INPUTS + 1);
    is_int(zk_poseidon(out, in, (size_t)-1), ZK_EINVAL, "n = SIZE_MAX rejected");
    ok(zk_fr_eq(&out[0], &sentinel), "out untouched by the rejected calls");
    is_int(zk_poseidon(NULL, in, 2), ZK_EINVAL, "NULL out rejected");
    is_int(zk_poseidon(out, NULL, 2), ZK_EINVAL, "NULL in rejected");
    is_int(zk_poseidon(out, in, ZK_POSEIDON_MAX_INPUTS), ZK_OK, "n = %d accepted", ZK_POSEIDON_MAX_INPUTS);
    is_int(zk_poseidon_ex(out, 0, in, 2, NULL), ZK_EINVAL, "n_out = 0 rejected");
    is_int(zk_poseidon_ex(out, 4, in, 2, NULL), ZK_EINVAL, "n_out = n + 2 rejected");
    is_int(zk_poseidon_ex(out, 3, in, 2, NULL), ZK_OK, "n_out = n + 1 accepted");
    is_int(zk_poseidon_ex(out, 1, in, 0, NULL), ZK_EINVAL, "poseidon_ex n = 0 rejected");
    is_int(zk_poseidon_ex(out, 1, in, ZK_POSEIDON_MAX_INPUTS + 1, NULL), ZK_EINVAL, "poseidon_ex n too large rejected");
    is_int(zk_poseidon_permute(out, 1), ZK_EINVAL, "permute t = 1 rejected");
    is_int(zk_poseidon_permute(out, TMAX + 1), ZK_EINVAL, "permute t = %d rejected", TMAX + 1);
    is_int(zk_poseidon_permute(NULL, 3), ZK_EINVAL, "permute NULL rejected");
    ok(zk_poseidon_params_get(0) == NULL && zk_poseidon_params_get(1) == NULL &&
       zk_poseidon_params_get(TMAX + 1) == NULL && zk_poseidon_params_get(2) != NULL &&
       zk_poseidon_params_get(TMAX) != NULL, "params_get: NULL outside 2..%d", TMAX);
}

/* --------------------------------------- circomlib's optimized constants */

/* The hex literals of `if (t==T) { ... }` inside function `fn` of the
 * circom source; count in *n (at most cap), -1 when the block is absent. */
static int circom_block(zk_fr *out, size_t cap, size_t *n, const char *src,
                        const char *fn, unsigned t)
{
    const char *f = strstr(src, fn);
    if (!f)
        return -1;
    const char *end = strstr(f + 1, "function ");
    const char *p = f;
    for (;;) {
        p = strstr(p, "t");
        if (!p || (end && p >= end))
            return -1;
        const char *q = p + 1;
        while (*q == ' ')
            q++;
        if (q[0] == '=' && q[1] == '=') {
            q += 2;
            while (*q == ' ')
                q++;
            char *e;
            unsigned long v = strtoul(q, &e, 10);
            if (e != q && v == t && *e == ')') {
                p = e;
                break;
            }
        }
        p++;
    }
    const char *close = strchr(p, '}');
    *n = 0;
    while ((p = strstr(p, "0x")) != NULL && p < close) {
        char hex[80];
        size_t k = 0;
        while (k < sizeof hex - 1 && ((p[k] >= '0' && p[k] <= '9') || (p[k] >= 'a' && p[k] <= 'f') ||
                                      (p[k] >= 'A' && p[k] <= 'F') || (k == 1 && p[k] == 'x')))
            hex[k] = p[k], k++;
        hex[k] = '\0';
        if (*n < cap && zk_fr_from_hex(&out[*n], hex) != ZK_OK)
            return -1;
        (*n)++;
        p += k;
    }
    return 0;
}

static void test_circomlib_constants(void)
{
    const char *nm = interop_modules();
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/circomlib/circuits/poseidon_constants.circom", nm ? nm : "");
    if (!nm || !exists(path)) {
        skip(4 * (TMAX - 1), "no circomlib under tests/interop/node_modules");
        return;
    }
    char *src = read_text(path);
    size_t cap = 4096;
    zk_fr *buf = malloc(cap * sizeof *buf);
    if (!buf)
        bail_out("oom");
    for (unsigned t = 2; t <= TMAX; t++) {
        const zk_poseidon_params *p = zk_poseidon_params_get(t);
        struct {
            const char *fn;
            const zk_fr *mine;
            size_t n;
        } tab[4] = {
            {"function POSEIDON_C(t)", p->opt_c, (size_t)p->rounds_f * t + p->rounds_p},
            {"function POSEIDON_S(t)", p->opt_s, (size_t)p->rounds_p * (2 * t - 1)},
            {"function POSEIDON_M(t)", p->opt_m, (size_t)t * t},
            {"function POSEIDON_P(t)", p->opt_p, (size_t)t * t},
        };
        for (int k = 0; k < 4; k++) {
            size_t n = 0;
            int rc = circom_block(buf, cap, &n, src, tab[k].fn, t);
            int same = rc == 0 && n == tab[k].n && n <= cap &&
                       memcmp(buf, tab[k].mine, n * sizeof *buf) == 0;
            ok(same, "t = %u: %.*s equals circomlib's (%zu values, found %zu)", t,
               (int)strlen(tab[k].fn) - 12, tab[k].fn + 9, tab[k].n, n);
        }
    }
    free(buf);
    free(src);
}

/* ------------------------------------------------------ circomlibjs */

/* Next whitespace-separated token of *p (advanced), or NULL. */
static char *token(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\n')
        s++;
    if (!*s)
        return NULL;
    char *e = s;
    while (*e && *e != ' ' && *e != '\n')
        e++;
    if (*e)
        *e++ = '\0';
    *p = e;
    return s;
}

static void test_circomlibjs_plain_constants(const char *nm)
{
    int st = node_mjs("plain", "",
                      "const c = (await import(\"%s/circomlibjs/src/poseidon_constants.js\"))"
                      ".default;\n"
                      "for (let t = 2; t <= %d; t++) {\n"
                      "  console.log(c.C[t-2].map(x => BigInt(x).toString()).join(\" \"));\n"
                      "  console.log(c.M[t-2].flat().map(x => BigInt(x).toString()).join(\" \"));\n"
                      "}\n",
                      nm, TMAX);
    char *txt = read_text(tpath("plain.out"));
    char *p = txt;
    for (unsigned t = 2; t <= TMAX; t++) {
        const zk_poseidon_params *pp = zk_poseidon_params_get(t);
        for (int which = 0; which < 2; which++) {
            const zk_fr *mine = which ? pp->m : pp->c;
            size_t n = which ? (size_t)t * t : (size_t)(pp->rounds_f + pp->rounds_p) * t;
            char *line = p, *nl = strchr(p, '\n');
            if (nl) {
                *nl = '\0';
                p = nl + 1;
            } else {
                p += strlen(p);
            }
            size_t k = 0;
            int same = st == 0;
            char *tok;
            while (same && (tok = token(&line)) != NULL) {
                zk_fr x;
                same = k < n && zk_fr_from_dec(&x, tok) == ZK_OK && zk_fr_eq(&x, &mine[k]);
                k++;
            }
            ok(same && k == n, "t = %u: plain %s equal circomlibjs's poseidon_constants.js (%zu values)",
               t, which ? "MDS matrix" : "round constants", n);
        }
    }
    if (st != 0)
        diag_file("plain.err", 400);
    free(txt);
}

#define NVEC 20

static void test_circomlibjs_random(const char *nm)
{
    /* the vectors: chosen here, evaluated by circomlibjs */
    static zk_fr in[TMAX - 1][NVEC][TMAX - 1], init[TMAX - 1][NVEC];
    static int has_init[TMAX - 1][NVEC], nout[TMAX - 1][NVEC];
    FILE *fp = fopen(tpath("vec.txt"), "w");
    if (!fp)
        bail_out("cannot write %s", tpath("vec.txt"));
    for (int n = 1; n < TMAX; n++)
        for (int v = 0; v < NVEC; v++) {
            char d[ZK_FR_DEC_MAX];
            has_init[n - 1][v] = v % 4 == 1;
            nout[n - 1][v] = v % 5 == 2 ? n + 1 : v % 5 == 3 ? 2 : 1;
            zk_fr_random(&init[n - 1][v]);
            if (has_init[n - 1][v]) {
                zk_fr_to_dec(d, &init[n - 1][v]);
                fprintf(fp, "%s %d", d, nout[n - 1][v]);
            } else {
                fprintf(fp, "- %d", nout[n - 1][v]);
            }
            for (int i = 0; i < n; i++) {
                zk_fr *x = &in[n - 1][v][i];
                if (v == 0)
                    zk_fr_zero(x);
                else if (v == 1)
                    *x = dec(R_MINUS_1);
                else if (v == 2)
                    zk_fr_set_u64(x, (uint64_t)i);
                else
                    zk_fr_random(x);
                zk_fr_to_dec(d, x);
                fprintf(fp, " %s", d);
            }
            fprintf(fp, "\n");
        }
    if (fclose(fp) != 0)
        bail_out("cannot write %s", tpath("vec.txt"));

    int st = node_mjs(
        "vec", "",
        "import fs from \"fs\";\n"
        "const {buildPoseidon} = await import(\"%s/circomlibjs/main.js\");\n"
        "const p = await buildPoseidon(); const F = p.F; const out = [];\n"
        "for (const line of fs.readFileSync(\"vec.txt\", \"utf8\").trim().split(\"\\n\")) {\n"
        "  const [init, nOut, ...xs] = line.split(\" \");\n"
        "  const ins = xs.map(BigInt);\n"
        "  let h = init === \"-\" ? (nOut === \"1\" ? p(ins) : p(ins, undefined, +nOut))\n"
        "                       : p(ins, BigInt(init), +nOut);\n"
        "  if (+nOut === 1) h = [h];\n"
        "  out.push(h.map(x => F.toString(x)).join(\" \"));\n"
        "}\n"
        "console.log(out.join(\"\\n\"));\n"
        "process.exit(0);\n",
        nm);
    if (st != 0) {
        diag_file("vec.err", 400);
        for (int n = 1; n < TMAX; n++)
            ok(0, "circomlibjs evaluated the vectors of %d inputs (node status %d)", n, st);
        ok(0, "circomlibjs printed its outputs");
        return;
    }
    char *txt = read_text(tpath("vec.out")), *p = txt;
    for (int n = 1; n < TMAX; n++) {
        int good = 1, cnt_ex = 0;
        for (int v = 0; v < NVEC; v++) {
            zk_fr out[TMAX];
            int rc = nout[n - 1][v] == 1 && !has_init[n - 1][v]
                         ? zk_poseidon(out, in[n - 1][v], (size_t)n)
                         : zk_poseidon_ex(out, (size_t)nout[n - 1][v], in[n - 1][v], (size_t)n,
                                          has_init[n - 1][v] ? &init[n - 1][v] : NULL);
            cnt_ex += nout[n - 1][v] > 1 || has_init[n - 1][v];
            good = good && rc == ZK_OK;
            for (int i = 0; i < nout[n - 1][v]; i++) {
                char *tok = token(&p), d[ZK_FR_DEC_MAX];
                zk_fr_to_dec(d, &out[i]);
                if (!tok || strcmp(tok, d) != 0) {
                    if (good)
                        diag("n = %d vector %d output %d: circomlibjs %s, ours %s", n, v, i,
                             tok ? tok : "(none)", d);
                    good = 0;
                }
            }
        }
        ok(good, "%d inputs: %d vectors (%d with an initial state or several outputs) equal circomlibjs's buildPoseidon",
           n, NVEC, cnt_ex);
    }
    ok(token(&p) == NULL, "circomlibjs printed nothing more");
    free(txt);
}

int main(void)
{
    testdir_make("zkpar-poseidon");
    test_kat(zk_field_kernel_name(zk_field_get_kernel()));
    zk_field_kernel k0 = zk_field_get_kernel();
    zk_field_kernel other = k0 == ZK_KERNEL_ADX ? ZK_KERNEL_PORTABLE : ZK_KERNEL_ADX;
    if (zk_field_kernel_available(other) && zk_field_set_kernel(other) == ZK_OK) {
        test_kat(zk_field_kernel_name(other));
        if (zk_field_set_kernel(k0) != ZK_OK)
            bail_out("cannot restore the field kernel");
    } else {
        skip(sizeof KAT / sizeof KAT[0] + 2, "only one field kernel here");
    }
    test_plain_vs_opt();
    test_errors();
    test_circomlib_constants();
    const char *nm = interop_dir("circomlibjs/main.js");
    if (!nm) {
        skip(2 * (TMAX - 1) + TMAX, "%s", interop_why());
    } else {
        test_circomlibjs_plain_constants(nm);
        test_circomlibjs_random(nm);
    }
    dir_clear();
    testdir_remove();
    return done_testing();
}
