/*
 * test_json.c -- snarkjs JSON (lib/io/json): round trips of random proofs,
 * public signals and verification keys, the exact text of the generator
 * proof, every malformed input with its exact code and `where`, and, when
 * tests/interop/node_modules is installed, a snarkjs-written
 * verification_key.json decoded and re-encoded identically (checked by
 * jansson, and by node's JSON.parse when node is present).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/pairing.h"
#include "field/fp.h"
#include "field/fp12.h"
#include "field/fr.h"
#include "io/json.h"
#include "curve/pairing.h"
#include "tap.h"
#include "testcurve.h"
#include "testfile.h"
#include "testnode.h"
#include "util/err.h"

#define P_DEC "21888242871839275222246405745257275088696311157297823662689037894645226208583"
#define R_DEC "21888242871839275222246405745257275088548364400416034343698204186575808495617"

/* ------------------------------------------------------------ helpers */

/* Serialize and parse back, so round trips go through text. */
static json_t *reparse(json_t *j)
{
    if (!j)
        bail_out("encoder returned NULL");
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s)
        bail_out("json_dumps failed");
    json_error_t e;
    json_t *r = json_loads(s, 0, &e);
    free(s);
    if (!r)
        bail_out("json_loads: %s", e.text);
    return r;
}

static json_t *parse(const char *s)
{
    json_error_t e;
    json_t *r = json_loads(s, 0, &e);
    if (!r)
        bail_out("json_loads(%s): %s", s, e.text);
    return r;
}

static json_t *gen_proof_json(void)
{
    zk_groth16_proof p;
    zk_g1_generator(&p.a);
    zk_g2_generator(&p.b);
    zk_g1_generator(&p.c);
    return zk_json_proof_encode(&p);
}

/* Decode a proof and check code and where. */
static void proof_bad(json_t *j, int code, const char *where, const char *what)
{
    zk_groth16_proof p;
    const char *w = "unset";
    int rc = zk_json_proof_decode(&p, j, &w);
    is_int(rc, code, "proof: %s -> code", what);
    is_str(w, where, "proof: %s -> where", what);
    json_decref(j);
}

static void vk_bad(json_t *j, int code, const char *where, const char *what)
{
    zk_groth16_vk vk;
    const char *w = "unset";
    int rc = zk_json_vk_decode(&vk, j, &w);
    is_int(rc, code, "vk: %s -> code", what);
    is_str(w, where, "vk: %s -> where", what);
    ok(vk.ic == NULL && vk.n_public == 0, "vk: %s -> out zeroed", what);
    zk_groth16_vk_free(&vk);
    json_decref(j);
}

static void public_bad(const char *text, int code, const char *where, const char *what)
{
    json_t *j = parse(text);
    zk_fr *v = (zk_fr *)1;
    size_t n = 99;
    const char *w = "unset";
    int rc = zk_json_public_decode(&v, &n, j, &w);
    is_int(rc, code, "public: %s -> code", what);
    is_str(w, where, "public: %s -> where", what);
    ok(v == NULL && n == 0, "public: %s -> outputs cleared", what);
    json_decref(j);
}

static void make_vk(zk_groth16_vk *vk, size_t n_public)
{
    memset(vk, 0, sizeof *vk);
    rand_g1(&vk->alpha);
    rand_g2(&vk->beta);
    rand_g2(&vk->gamma);
    rand_g2(&vk->delta);
    zk_pairing(&vk->alphabeta, &vk->alpha, &vk->beta);
    vk->has_alphabeta = 1;
    vk->n_public = n_public;
    vk->ic = malloc((n_public + 1) * sizeof *vk->ic);
    if (!vk->ic)
        bail_out("malloc");
    for (size_t i = 0; i <= n_public; i++)
        rand_g1(&vk->ic[i]);
    zk_g1_set_inf(&vk->ic[0]); /* infinity round trips too */
}

static int vk_eq(const zk_groth16_vk *a, const zk_groth16_vk *b)
{
    if (!zk_g1_eq(&a->alpha, &b->alpha) || !zk_g2_eq(&a->beta, &b->beta) ||
        !zk_g2_eq(&a->gamma, &b->gamma) || !zk_g2_eq(&a->delta, &b->delta) ||
        a->has_alphabeta != b->has_alphabeta || a->n_public != b->n_public)
        return 0;
    if (a->has_alphabeta && !zk_fp12_eq(&a->alphabeta, &b->alphabeta))
        return 0;
    for (size_t i = 0; i <= a->n_public; i++)
        if (!zk_g1_eq(&a->ic[i], &b->ic[i]))
            return 0;
    return 1;
}

/* ------------------------------------------------------------ proofs */

static void test_proof_roundtrip(void)
{
    int good = 1;
    for (int it = 0; it < 8; it++) {
        zk_groth16_proof p, q;
        rand_g1(&p.a);
        rand_g2(&p.b);
        rand_g1(&p.c);
        if (it == 0)
            zk_g1_set_inf(&p.c);
        if (it == 1)
            zk_g2_set_inf(&p.b);
        json_t *j = reparse(zk_json_proof_encode(&p));
        const char *w = "unset";
        int rc = zk_json_proof_decode(&q, j, &w);
        json_decref(j);
        if (rc != ZK_OK || w != NULL || !zk_g1_eq(&p.a, &q.a) || !zk_g2_eq(&p.b, &q.b) ||
            !zk_g1_eq(&p.c, &q.c)) {
            diag("iteration %d: rc %d where %s", it, rc, w ? w : "(null)");
            good = 0;
        }
    }
    ok(good, "proof: 8 random proofs (with infinity) round trip");
}

static const char GEN_PROOF[] =
    "{\"pi_a\":[\"1\",\"2\",\"1\"],"
    "\"pi_b\":[[\"10857046999023057135944570762232829481370756359578518086990519993285655852781\","
    "\"11559732032986387107991004021392285783925812861821192530917403151452391805634\"],"
    "[\"8495653923123431417604973247489272438418190587263600148770280649306958101930\","
    "\"4082367875863433681332203403145435568316851327593401208105741076214120093531\"],"
    "[\"1\",\"0\"]],"
    "\"pi_c\":[\"1\",\"2\",\"1\"],"
    "\"protocol\":\"groth16\",\"curve\":\"bn128\"}";

static void test_proof_exact(void)
{
    json_t *j = gen_proof_json();
    char *s = json_dumps(j, JSON_COMPACT);
    is_str(s, GEN_PROOF, "proof: generator proof encodes to the exact snarkjs text");
    free(s);
    json_decref(j);

    /* infinity as snarkjs writes it */
    zk_groth16_proof p;
    zk_g1_set_inf(&p.a);
    zk_g2_set_inf(&p.b);
    zk_g1_set_inf(&p.c);
    j = zk_json_proof_encode(&p);
    s = json_dumps(j, JSON_COMPACT);
    is_str(s,
           "{\"pi_a\":[\"0\",\"1\",\"0\"],\"pi_b\":[[\"0\",\"0\"],[\"1\",\"0\"],[\"0\",\"0\"]],"
           "\"pi_c\":[\"0\",\"1\",\"0\"],\"protocol\":\"groth16\",\"curve\":\"bn128\"}",
           "proof: infinity encodes as snarkjs writes it");
    free(s);
    json_decref(j);

    /* rapidsnark omits "curve"; absent protocol/curve is accepted */
    j = gen_proof_json();
    json_object_del(j, "curve");
    json_object_del(j, "protocol");
    const char *w = "unset";
    is_int(zk_json_proof_decode(&p, j, &w), ZK_OK, "proof: protocol/curve may be absent");
    ok(w == NULL, "proof: where is NULL on success");
    json_decref(j);
}

static void test_proof_negative(void)
{
    json_t *j;

    j = gen_proof_json();
    json_array_set_new(json_object_get(j, "pi_a"), 0, json_string(P_DEC));
    proof_bad(j, ZK_ERANGE, "pi_a", "x = p");

    j = gen_proof_json();
    json_array_set_new(json_object_get(j, "pi_a"), 1, json_string("3"));
    proof_bad(j, ZK_ENOTONCURVE, "pi_a", "(1, 3) off the curve");

    zk_groth16_proof p;
    zk_g1_generator(&p.a);
    zk_g1_generator(&p.c);
    zk_g2_twist_point_from_seed(&p.b, 7);
    ok(zk_g2_is_on_curve(&p.b) && !zk_g2_in_subgroup(&p.b), "twist point is on E' but not in G2");
    proof_bad(zk_json_proof_encode(&p), ZK_ENOTINGROUP, "pi_b", "G2 point outside the subgroup");

    j = gen_proof_json();
    json_array_set_new(json_object_get(j, "pi_c"), 2, json_string("2"));
    proof_bad(j, ZK_EENCODING, "pi_c", "z = \"2\"");

    j = gen_proof_json();
    json_array_remove(json_object_get(j, "pi_a"), 2);
    proof_bad(j, ZK_EENCODING, "pi_a", "G1 with 2 coordinates");

    j = gen_proof_json();
    json_array_append_new(json_array_get(json_object_get(j, "pi_b"), 1), json_string("0"));
    proof_bad(j, ZK_EENCODING, "pi_b", "G2 Fp2 with 3 entries");

    j = gen_proof_json();
    json_array_append_new(json_object_get(j, "pi_b"), json_array());
    proof_bad(j, ZK_EENCODING, "pi_b", "G2 with 4 rows");

    j = gen_proof_json();
    json_array_set_new(json_object_get(j, "pi_a"), 0, json_integer(1));
    proof_bad(j, ZK_EENCODING, "pi_a", "number instead of string");

    j = gen_proof_json();
    json_array_set_new(json_object_get(j, "pi_c"), 0, json_string("0x1"));
    proof_bad(j, ZK_EENCODING, "pi_c", "hex digits");

    j = gen_proof_json();
    json_object_del(j, "pi_c");
    proof_bad(j, ZK_EENCODING, "pi_c", "missing pi_c");

    j = gen_proof_json();
    json_object_set_new(j, "protocol", json_string("plonk"));
    proof_bad(j, ZK_EFORMAT, "protocol", "protocol plonk");

    j = gen_proof_json();
    json_object_set_new(j, "protocol", json_integer(16));
    proof_bad(j, ZK_EENCODING, "protocol", "protocol a number");

    j = gen_proof_json();
    json_object_set_new(j, "curve", json_string("bls12381"));
    proof_bad(j, ZK_EFORMAT, "curve", "curve bls12381");

    proof_bad(json_array(), ZK_EENCODING, "(root)", "root an array");

    zk_groth16_proof q;
    is_int(zk_json_proof_decode(&q, NULL, NULL), ZK_EINVAL, "proof: NULL json -> ZK_EINVAL");
}

/* ------------------------------------------------------------ public */

static void test_public(void)
{
    zk_fr v[6];
    zk_fr_zero(&v[0]);
    zk_fr_one(&v[1]);
    zk_fr_neg(&v[2], &v[1]); /* r - 1 */
    for (int i = 3; i < 6; i++)
        zk_fr_random(&v[i]);
    json_t *j = reparse(zk_json_public_encode(v, 6));
    ok(json_is_string(json_array_get(j, 2)) &&
           strcmp(json_string_value(json_array_get(j, 2)),
                  "21888242871839275222246405745257275088548364400416034343698204186575808495616") == 0,
       "public: r - 1 encodes as its decimal string");
    ok(json_is_string(json_array_get(j, 0)) && strcmp(json_string_value(json_array_get(j, 0)), "0") == 0,
       "public: 0 encodes as \"0\"");
    zk_fr *out;
    size_t n;
    const char *w = "unset";
    int rc = zk_json_public_decode(&out, &n, j, &w);
    int same = rc == ZK_OK && n == 6 && w == NULL;
    for (size_t i = 0; same && i < 6; i++)
        same = zk_fr_eq(&out[i], &v[i]);
    ok(same, "public: 6 values round trip");
    free(out);
    json_decref(j);

    j = reparse(zk_json_public_encode(NULL, 0));
    char *s = json_dumps(j, JSON_COMPACT);
    is_str(s, "[]", "public: empty encodes as []");
    free(s);
    rc = zk_json_public_decode(&out, &n, j, NULL);
    ok(rc == ZK_OK && out == NULL && n == 0, "public: [] decodes to nothing");
    json_decref(j);

    public_bad("[\"1\", \"" R_DEC "\"]", ZK_ERANGE, "public[1]", "value = r");
    public_bad("[\"1\", \"2\", 3]", ZK_EENCODING, "public[2]", "number instead of string");
    public_bad("[\"12a\"]", ZK_EENCODING, "public[0]", "bad digits");
    public_bad("[\"-1\"]", ZK_EENCODING, "public[0]", "negative");
    public_bad("{\"a\": \"1\"}", ZK_EENCODING, "(root)", "object instead of array");
}

/* ------------------------------------------------------------ vk */

static json_t *vk_json(size_t n_public)
{
    zk_groth16_vk vk;
    make_vk(&vk, n_public);
    json_t *j = zk_json_vk_encode(&vk);
    zk_groth16_vk_free(&vk);
    if (!j)
        bail_out("vk encode");
    return j;
}

static void test_vk(void)
{
    zk_groth16_vk a, b;
    make_vk(&a, 3);
    json_t *j = reparse(zk_json_vk_encode(&a));
    const char *keys[] = {"protocol",   "curve",      "nPublic",    "vk_alpha_1",      "vk_beta_2",
                          "vk_gamma_2", "vk_delta_2", "vk_alphabeta_12", "IC"};
    int order = json_object_size(j) == 9;
    const char *k;
    json_t *v;
    size_t idx = 0;
    json_object_foreach(j, k, v)
    {
        (void)v;
        if (idx >= 9 || strcmp(k, keys[idx++]) != 0)
            order = 0;
    }
    ok(order, "vk: keys in snarkjs order");
    ok(json_integer_value(json_object_get(j, "nPublic")) == 3 &&
           json_array_size(json_object_get(j, "IC")) == 4,
       "vk: nPublic 3, 4 IC points");
    const char *w = "unset";
    int rc = zk_json_vk_decode(&b, j, &w);
    ok(rc == ZK_OK && w == NULL && vk_eq(&a, &b), "vk: random key round trips (rc %d)", rc);
    zk_groth16_vk_free(&b);
    json_decref(j);

    /* without alphabeta */
    a.has_alphabeta = 0;
    j = reparse(zk_json_vk_encode(&a));
    ok(json_object_get(j, "vk_alphabeta_12") == NULL, "vk: no alphabeta -> key omitted");
    rc = zk_json_vk_decode(&b, j, NULL);
    ok(rc == ZK_OK && !b.has_alphabeta && vk_eq(&a, &b), "vk: key without alphabeta round trips");
    zk_groth16_vk_free(&b);
    json_decref(j);
    zk_groth16_vk_free(&a);
    ok(a.ic == NULL, "vk: free zeroes");

    /* nPublic 0: one IC point */
    make_vk(&a, 0);
    j = reparse(zk_json_vk_encode(&a));
    rc = zk_json_vk_decode(&b, j, NULL);
    ok(rc == ZK_OK && vk_eq(&a, &b), "vk: nPublic 0 round trips");
    zk_groth16_vk_free(&a);
    zk_groth16_vk_free(&b);
    json_decref(j);

    /* negative cases */
    j = vk_json(3);
    json_array_remove(json_object_get(j, "IC"), 3);
    vk_bad(j, ZK_EENCODING, "IC", "IC length nPublic");

    j = vk_json(3);
    json_object_set_new(j, "nPublic", json_integer(4));
    vk_bad(j, ZK_EENCODING, "IC", "nPublic + 2 vs IC length");

    j = vk_json(3);
    json_object_set_new(j, "nPublic", json_string("3"));
    vk_bad(j, ZK_EENCODING, "nPublic", "nPublic a string");

    j = vk_json(3);
    json_object_set_new(j, "nPublic", json_integer(-1));
    vk_bad(j, ZK_EENCODING, "nPublic", "nPublic negative");

    j = vk_json(3);
    json_array_set_new(json_array_get(json_object_get(j, "IC"), 3), 1, json_string("3"));
    json_array_set_new(json_array_get(json_object_get(j, "IC"), 3), 0, json_string("1"));
    vk_bad(j, ZK_ENOTONCURVE, "IC[3]", "IC[3] off the curve");

    j = vk_json(3);
    json_array_set_new(json_array_get(json_object_get(j, "IC"), 2), 0, json_string(P_DEC));
    vk_bad(j, ZK_ERANGE, "IC[2]", "IC[2] x = p");

    zk_g2 t;
    zk_g2_twist_point_from_seed(&t, 11);
    make_vk(&a, 2);
    a.gamma = t;
    j = zk_json_vk_encode(&a);
    zk_groth16_vk_free(&a);
    vk_bad(j, ZK_ENOTINGROUP, "vk_gamma_2", "gamma outside G2");

    j = vk_json(1);
    json_array_set_new(json_object_get(j, "vk_alpha_1"), 2, json_string("2"));
    vk_bad(j, ZK_EENCODING, "vk_alpha_1", "alpha z = 2");

    j = vk_json(1);
    json_object_del(j, "vk_delta_2");
    vk_bad(j, ZK_EENCODING, "vk_delta_2", "missing delta");

    j = vk_json(1);
    json_array_set_new(json_array_get(json_array_get(json_object_get(j, "vk_alphabeta_12"), 1), 2), 1,
                       json_string(P_DEC));
    vk_bad(j, ZK_ERANGE, "vk_alphabeta_12", "alphabeta coefficient = p");

    j = vk_json(1);
    json_array_remove(json_array_get(json_object_get(j, "vk_alphabeta_12"), 0), 0);
    vk_bad(j, ZK_EENCODING, "vk_alphabeta_12", "alphabeta with 2 rows");

    /* in range and well formed, but not e(alpha, beta) */
    j = vk_json(1);
    json_array_set_new(json_array_get(json_array_get(json_object_get(j, "vk_alphabeta_12"), 0), 0), 0,
                       json_string("12345"));
    vk_bad(j, ZK_EENCODING, "vk_alphabeta_12", "alphabeta != e(alpha, beta)");

    j = vk_json(1);
    json_object_set_new(j, "protocol", json_string("plonk"));
    vk_bad(j, ZK_EFORMAT, "protocol", "protocol plonk");

    vk_bad(json_string("x"), ZK_EENCODING, "(root)", "root a string");
}

/* ------------------------------------------------------------ snarkjs file */

static void test_snarkjs_vk(void)
{
    const char *nm = interop_modules();
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/circom_runtime/test/circuit/verification_key.json",
             nm ? nm : "");
    if (!nm || !exists(path)) {
        skip(4, "no snarkjs verification_key.json under tests/interop/node_modules");
        return;
    }
    json_error_t e;
    json_t *orig = json_load_file(path, 0, &e);
    ok(orig != NULL, "snarkjs vk: parses");
    zk_groth16_vk vk;
    const char *w = "unset";
    int rc = zk_json_vk_decode(&vk, orig, &w);
    is_int(rc, ZK_OK, "snarkjs vk: decodes, its vk_alphabeta_12 = zk_pairing(alpha, beta) (where %s)", w ? w : "-");
    json_t *enc = rc == ZK_OK ? zk_json_vk_encode(&vk) : NULL;
    ok(enc && json_equal(orig, enc), "snarkjs vk: re-encodes to equal JSON");
    zk_groth16_vk_free(&vk);

    if (!enc || !node_available()) {
        skip(1, "node not available");
    } else {
        char tmp[] = "/tmp/zkpar_json_XXXXXX";
        int fd = mkstemp(tmp);
        if (fd < 0)
            bail_out("mkstemp");
        close(fd);
        if (json_dump_file(enc, tmp, JSON_INDENT(1)) != 0)
            bail_out("json_dump_file");
        char cmd[10000];
        /* Same keys in the same order and the same values, after node's
         * own JSON.parse of both files. */
        snprintf(cmd, sizeof cmd,
                 "node -e 'const fs=require(\"fs\");"
                 "const a=JSON.parse(fs.readFileSync(process.argv[1]));"
                 "const b=JSON.parse(fs.readFileSync(process.argv[2]));"
                 "process.exit(JSON.stringify(a)===JSON.stringify(b)?0:1)' '%s' '%s'",
                 path, tmp);
        int st2 = system(cmd);
        ok(st2 == 0, "snarkjs vk: node JSON.parse of ours equals snarkjs's, key order included");
        unlink(tmp);
    }
    json_decref(enc);
    json_decref(orig);
}

int main(void)
{
    test_proof_roundtrip();
    test_proof_exact();
    test_proof_negative();
    test_public();
    test_vk();
    test_snarkjs_vk();
    return done_testing();
}
