/*
 * test_eddsa.c -- EdDSA-Poseidon on Baby Jubjub (lib/sig/eddsa): keys and
 * signatures against a reference derivation written here (libsodium
 * BLAKE2b, GMP for the scalars, the documented pruning), sign/verify round
 * trips, every tampering with its exact return code, packed signatures
 * with every rejection, and, when node and tests/interop are installed,
 * circomlibjs both ways in one node call: verifyPoseidon on our signatures
 * and on the same tamperings, our verifier on signPoseidon's signatures.
 */
#include <gmp.h>
#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "hash/poseidon.h"
#include "sig/eddsa.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"
#include "util/err.h"

#define L_DEC "2736030358979909402780800718157159386076813972158567259200215660948447373041"

static const uint64_t L[4] = ZK_BJ_ORDER;

/* ------------------------------------------------------------ helpers */

static void mpz_from_limbs(mpz_t z, const uint64_t k[4])
{
    mpz_import(z, 4, -1, sizeof k[0], 0, 0, k);
}

static void mpz_to_limbs(uint64_t k[4], const mpz_t z)
{
    if (mpz_sizeinbase(z, 2) > 256)
        bail_out("mpz_to_limbs: too large");
    memset(k, 0, 32);
    mpz_export(k, NULL, -1, sizeof k[0], 0, 0, z);
}

/* The reference: s (pruned), A, r, R8, hm, S computed from the
 * documentation in eddsa.h with independent code paths (mpz, mul_var). */
typedef struct {
    uint64_t s[4];
    zk_bj a;
    zk_eddsa_sig sig;
} ref_t;

static void ref_key(ref_t *o, uint8_t h[64], const uint8_t sk[32])
{
    mpz_t z;
    zk_bj b8;
    mpz_init(z);
    crypto_generichash(h, 64, sk, 32, NULL, 0);
    h[0] &= 0xf8;
    h[31] &= 0x7f;
    h[31] |= 0x40;
    mpz_import(z, 32, -1, 1, 0, 0, h);
    mpz_to_limbs(o->s, z);
    mpz_fdiv_q_2exp(z, z, 3);
    uint64_t s3[4];
    mpz_to_limbs(s3, z);
    zk_bj_base8(&b8);
    zk_bj_mul_var(&o->a, &b8, s3);
    mpz_clear(z);
}

/* Sign msg for the key of sk, hashing the public key apk (normally the
 * key's own A; another point to make signatures for A + T). */
static void ref_sign_for(ref_t *o, const uint8_t sk[32], const zk_fr *msg,
                         const zk_bj *apk)
{
    uint8_t h[64], buf[64], rh[64];
    mpz_t r, s, hm, l;
    mpz_inits(r, s, hm, l, NULL);
    ref_key(o, h, sk);
    memcpy(buf, h + 32, 32);
    zk_fr_to_bytes_le(buf + 32, msg);
    crypto_generichash(rh, 64, buf, 64, NULL, 0);
    mpz_import(r, 64, -1, 1, 0, 0, rh);
    mpz_set_str(l, L_DEC, 10);
    mpz_mod(r, r, l);
    uint64_t rl[4];
    mpz_to_limbs(rl, r);
    zk_bj b8;
    zk_bj_base8(&b8);
    zk_bj_mul_var(&o->sig.r8, &b8, rl);
    zk_fr in[5] = {o->sig.r8.x, o->sig.r8.y, apk ? apk->x : o->a.x,
                   apk ? apk->y : o->a.y, *msg};
    zk_fr fh;
    if (zk_poseidon(&fh, in, 5) != ZK_OK)
        bail_out("poseidon");
    uint64_t hl[4];
    zk_fr_to_limbs(hl, &fh);
    mpz_from_limbs(hm, hl);
    mpz_from_limbs(s, o->s);
    mpz_mul(hm, hm, s);
    mpz_add(hm, hm, r);
    mpz_mod(hm, hm, l);
    mpz_to_limbs(o->sig.s, hm);
    mpz_clears(r, s, hm, l, NULL);
}

static int sig_eq(const zk_eddsa_sig *a, const zk_eddsa_sig *b)
{
    return zk_bj_eq(&a->r8, &b->r8) && memcmp(a->s, b->s, 32) == 0;
}

/* s = s + k (256-bit, must not overflow) */
static void limbs_add(uint64_t s[4], const uint64_t k[4])
{
    unsigned __int128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (unsigned __int128)s[i] + k[i];
        s[i] = (uint64_t)c;
        c >>= 64;
    }
    if (c)
        bail_out("limbs_add overflow");
}

/* The 8 points of order dividing 8, t[i] = [i] ([l] Generator). */
static void small_points(zk_bj t[8])
{
    zk_bj g, gen;
    zk_bj_generator(&gen);
    zk_bj_mul_var(&g, &gen, L);
    zk_bj_identity(&t[0]);
    for (int i = 1; i < 8; i++)
        zk_bj_add(&t[i], &t[i - 1], &g);
}

static void fr_add_u64(zk_fr *r, const zk_fr *a, uint64_t v)
{
    zk_fr t;
    zk_fr_set_u64(&t, v);
    zk_fr_add(r, a, &t);
}

/* ------------------------------------------------------ tamperings */

/* A tampering of a valid (A, msg, sig): what ours must return, what
 * circomlibjs verifyPoseidon returns (1 accept, 0 reject). */
typedef struct {
    const char *what;
    zk_bj a;
    zk_fr msg;
    zk_eddsa_sig sig;
    int ours;
    int js;
} tamper_t;

#define N_TAMPER 16

/* Fill tp[0..N_TAMPER) from the valid (a, msg, sig); other is a second
 * valid signature (another message) by the same key. */
static int make_tamperings(tamper_t *tp, const zk_bj *a, const zk_fr *msg,
                           const zk_eddsa_sig *sig, const zk_eddsa_sig *other,
                           const uint8_t sk[32])
{
    zk_bj t[8], b8;
    zk_fr one;
    small_points(t);
    zk_bj_base8(&b8);
    zk_fr_one(&one);
    int n = 0;
#define T_(w, o, j)                                                       \
    do {                                                                  \
        tp[n].what = (w);                                                 \
        tp[n].ours = (o);                                                 \
        tp[n].js = (j);                                                   \
        n++;                                                              \
    } while (0)
#define BASE_()                                                           \
    do {                                                                  \
        tp[n].a = *a;                                                     \
        tp[n].msg = *msg;                                                 \
        tp[n].sig = *sig;                                                 \
    } while (0)

    BASE_();
    T_("untouched", ZK_OK, 1);
    BASE_();
    limbs_add(tp[n].sig.s, L);
    T_("S + l (same point, S >= l)", ZK_EVERIFY, 0);
    BASE_();
    memcpy(tp[n].sig.s, L, 32);
    T_("S = l", ZK_EVERIFY, 0);
    BASE_();
    tp[n].sig.s[0] ^= 1;
    T_("S with its low bit flipped", ZK_EVERIFY, 0);
    BASE_();
    fr_add_u64(&tp[n].msg, msg, 1);
    T_("msg + 1", ZK_EVERIFY, 0);
    BASE_();
    zk_fr_add(&tp[n].sig.r8.y, &tp[n].sig.r8.y, &one);
    T_("R8 off the curve (y + 1)", ZK_EVERIFY, 0);
    BASE_();
    tp[n].sig.r8 = other->r8;
    T_("R8 of another signature", ZK_EVERIFY, 0);
    BASE_();
    zk_bj_neg(&tp[n].sig.r8, &sig->r8);
    T_("R8 negated", ZK_EVERIFY, 0);
    BASE_();
    zk_bj_add(&tp[n].sig.r8, &sig->r8, &t[4]);
    T_("R8 + (0, -1) (torsion added)", ZK_EVERIFY, 0);
    BASE_();
    zk_fr_add(&tp[n].a.y, &tp[n].a.y, &one);
    T_("A off the curve (y + 1)", ZK_ENOTONCURVE, 0);
    BASE_();
    zk_bj_add(&tp[n].a, a, &b8);
    T_("another public key (A + Base8)", ZK_EVERIFY, 0);
    BASE_();
    zk_bj_add(&tp[n].a, a, &t[2]);
    T_("A + T4 (torsion added to the key, signature for A)", ZK_EVERIFY, 0);

    /* Forgeries under small-order keys: S arbitrary, R8 = [S] Base8.
     * [8 hm] A vanishes, so the equation holds for any message. */
    const int so[3] = {0, 4, 1};
    const char *sow[3] = {"A = identity, forged (R8 = [S] Base8)",
                          "A = (0, -1) (order 2), forged",
                          "A of order 8, forged"};
    for (int i = 0; i < 3; i++) {
        BASE_();
        tp[n].a = t[so[i]];
        zk_bj_mul_base8(&tp[n].sig.r8, tp[n].sig.s);
        T_(sow[i], ZK_ENOTINGROUP, 1);
    }

    /* A + T signed by the holder of A's key, A + T hashed in: valid for
     * both (documented in eddsa.h; the circuit accepts it as well). */
    ref_t rf;
    zk_bj at;
    zk_bj_add(&at, a, &t[3]);
    ref_sign_for(&rf, sk, msg, &at);
    tp[n].a = at;
    tp[n].msg = *msg;
    tp[n].sig = rf.sig;
    T_("A + T3 with a signature made for A + T3 by A's owner", ZK_OK, 1);
#undef T_
#undef BASE_
    if (n != N_TAMPER)
        bail_out("tamperings: %d", n);
    return n;
}

/* -------------------------------------------------------- pure C */

/* A malformed packed signature: its length and expected unpack code. */
typedef struct {
    const char *what;
    int len;
    int code;
} badcase_t;

static void test_keys(void)
{
    uint8_t *sk = sodium_malloc(64);
    if (!sk)
        bail_out("sodium_malloc");
    uint8_t *sk2 = sk + 32;
    is_int(zk_eddsa_keygen(sk), ZK_OK, "keygen");
    is_int(zk_eddsa_keygen(sk2), ZK_OK, "keygen again");
    ok(memcmp(sk, sk2, 32) != 0, "two keys differ");
    is_int(zk_eddsa_keygen(NULL), ZK_EINVAL, "keygen(NULL)");

    int same = 1, sub = 1;
    for (int i = 0; i < 6; i++) {
        zk_bj a;
        ref_t rf;
        uint8_t h[64];
        if (zk_eddsa_keygen(sk) != ZK_OK || zk_eddsa_pubkey(&a, sk) != ZK_OK)
            same = 0;
        ref_key(&rf, h, sk);
        same &= zk_bj_eq(&a, &rf.a);
        sub &= zk_bj_in_subgroup(&a) && !zk_bj_is_small_order(&a);
        /* s is a multiple of 8 in [2^254, 2^255) */
        same &= (rf.s[0] & 7) == 0 && (rf.s[3] >> 62) == 1;
    }
    ok(same, "pubkey = [pruned BLAKE2b-512(sk) >> 3] Base8 (reference)");
    ok(sub, "public keys are in the order-l subgroup");
    zk_bj a;
    is_int(zk_eddsa_pubkey(NULL, sk), ZK_EINVAL, "pubkey(NULL, sk)");
    is_int(zk_eddsa_pubkey(&a, NULL), ZK_EINVAL, "pubkey(a, NULL)");
    sodium_free(sk);
}

static void test_sign_verify(void)
{
    uint8_t *sk = sodium_malloc(32);
    if (!sk)
        bail_out("sodium_malloc");
    int kat = 1, rt = 1, det = 1, chal = 1;
    for (int i = 0; i < 6; i++) {
        zk_fr msg;
        zk_bj a;
        zk_eddsa_sig sig, sig2;
        ref_t rf;
        if (zk_eddsa_keygen(sk) != ZK_OK || zk_eddsa_pubkey(&a, sk) != ZK_OK)
            bail_out("keygen");
        zk_fr_random(&msg);
        if (i == 0)
            zk_fr_zero(&msg);
        if (i == 1) {
            zk_fr_one(&msg);
            zk_fr_neg(&msg, &msg); /* r - 1 */
        }
        if (zk_eddsa_sign(&sig, sk, &msg) != ZK_OK)
            bail_out("sign");
        ref_sign_for(&rf, sk, &msg, NULL);
        kat &= sig_eq(&sig, &rf.sig);
        rt &= zk_eddsa_verify(&a, &msg, &sig) == ZK_OK &&
              zk_bj_scalar_is_canonical(sig.s);
        det &= zk_eddsa_sign(&sig2, sk, &msg) == ZK_OK && sig_eq(&sig, &sig2);
        zk_fr m2;
        fr_add_u64(&m2, &msg, 1);
        det &= zk_eddsa_sign(&sig2, sk, &m2) == ZK_OK &&
               !zk_bj_eq(&sig.r8, &sig2.r8);
        zk_fr hm, in[5] = {sig.r8.x, sig.r8.y, a.x, a.y, msg}, hm2;
        chal &= zk_eddsa_challenge(&hm, &sig.r8, &a, &msg) == ZK_OK &&
                zk_poseidon(&hm2, in, 5) == ZK_OK && zk_fr_eq(&hm, &hm2);
    }
    ok(kat, "signatures = the reference derivation (BLAKE2b nonce, "
            "Poseidon challenge, S = r + hm s mod l)");
    ok(rt, "sign then verify (msg 0, r - 1, random)");
    ok(det, "deterministic: same msg same signature, msg + 1 another R8");
    ok(chal, "challenge = Poseidon(R8x, R8y, Ax, Ay, msg)");

    zk_fr msg, m2;
    zk_bj a;
    zk_eddsa_sig sig, other, keep;
    zk_fr_random(&msg);
    fr_add_u64(&m2, &msg, 7);
    if (zk_eddsa_pubkey(&a, sk) != ZK_OK ||
        zk_eddsa_sign(&sig, sk, &msg) != ZK_OK ||
        zk_eddsa_sign(&other, sk, &m2) != ZK_OK)
        bail_out("sign");
    tamper_t tp[N_TAMPER];
    make_tamperings(tp, &a, &msg, &sig, &other, sk);
    for (int i = 0; i < N_TAMPER; i++)
        is_int(zk_eddsa_verify(&tp[i].a, &tp[i].msg, &tp[i].sig), tp[i].ours,
               "verify, %s: %s", tp[i].what,
               zk_strerror(tp[i].ours));

    is_int(zk_eddsa_verify(NULL, &msg, &sig), ZK_EINVAL, "verify(NULL a)");
    is_int(zk_eddsa_verify(&a, NULL, &sig), ZK_EINVAL, "verify(NULL msg)");
    is_int(zk_eddsa_verify(&a, &msg, NULL), ZK_EINVAL, "verify(NULL sig)");
    keep = sig;
    is_int(zk_eddsa_sign(NULL, sk, &msg), ZK_EINVAL, "sign(NULL sig)");
    is_int(zk_eddsa_sign(&sig, NULL, &msg), ZK_EINVAL, "sign(NULL sk)");
    is_int(zk_eddsa_sign(&sig, sk, NULL), ZK_EINVAL, "sign(NULL msg)");
    ok(sig_eq(&sig, &keep), "sig untouched by failed signs");
    zk_fr hm;
    is_int(zk_eddsa_challenge(&hm, NULL, &a, &msg), ZK_EINVAL,
           "challenge(NULL r8)");

    /* packing */
    uint8_t b[65], b2[64];
    zk_eddsa_sig u;
    zk_eddsa_sig_pack(b, &sig);
    ok(zk_eddsa_sig_unpack(&u, b, 64) == ZK_OK && sig_eq(&u, &sig),
       "sig pack/unpack round trip");
    zk_bj_pack(b2, &sig.r8);
    int lay = memcmp(b, b2, 32) == 0;
    for (int i = 0; i < 32; i++)
        lay &= b[32 + i] == (uint8_t)(sig.s[i / 8] >> (8 * (i % 8)));
    ok(lay, "packed = packPoint(R8) || S little-endian");
    is_int(zk_eddsa_verify_packed(&a, &msg, b, 64), ZK_OK, "verify_packed");

    badcase_t bad[8];
    int nb = 0;
    uint8_t cases[8][65];
    memcpy(cases[nb], b, 64);
    bad[nb++] = (badcase_t){"63 bytes", 63, ZK_EENCODING};
    memcpy(cases[nb], b, 64);
    cases[nb][64] = 0;
    bad[nb++] = (badcase_t){"65 bytes", 65, ZK_EENCODING};
    memcpy(cases[nb], b, 64);
    for (int i = 0; i < 32; i++)
        cases[nb][32 + i] = (uint8_t)(L[i / 8] >> (8 * (i % 8)));
    bad[nb++] = (badcase_t){"S = l", 64, ZK_ERANGE};
    memcpy(cases[nb], b, 64);
    memset(cases[nb] + 32, 0xff, 32);
    bad[nb++] = (badcase_t){"S = 2^256 - 1", 64, ZK_ERANGE};
    memcpy(cases[nb], b, 64);
    memset(cases[nb], 0xff, 31);
    cases[nb][31] = 0x7f;
    bad[nb++] = (badcase_t){"R8 y = 2^255 - 1", 64, ZK_ERANGE};
    {
        zk_bj id;
        zk_bj_identity(&id);
        memcpy(cases[nb], b, 64);
        zk_bj_pack(cases[nb], &id);
        cases[nb][31] |= 0x80;
        bad[nb++] = (badcase_t){"R8 = -0 (sign bit on x = 0)", 64,
                                     ZK_EENCODING};
    }
    {
        /* a y with no point: y = 2, 3, ... */
        memcpy(cases[nb], b, 64);
        zk_bj q;
        for (uint64_t v = 2; v < 200; v++) {
            zk_fr fy;
            zk_fr_set_u64(&fy, v);
            zk_fr_to_bytes_le(cases[nb], &fy);
            if (zk_bj_unpack(&q, cases[nb], 32) == ZK_ENOTONCURVE)
                break;
        }
        bad[nb++] = (badcase_t){"R8 y with no x", 64, ZK_ENOTONCURVE};
    }
    for (int i = 0; i < nb; i++) {
        zk_eddsa_sig v = sig;
        is_int(zk_eddsa_sig_unpack(&v, cases[i], (size_t)bad[i].len),
               bad[i].code, "sig unpack rejects %s", bad[i].what);
        ok(sig_eq(&v, &sig) &&
           zk_eddsa_verify_packed(&a, &msg, cases[i], (size_t)bad[i].len) ==
               ZK_EVERIFY,
           "  ... sig untouched; verify_packed says ZK_EVERIFY");
    }
    is_int(zk_eddsa_sig_unpack(NULL, b, 64), ZK_EINVAL, "unpack(NULL sig)");
    is_int(zk_eddsa_sig_unpack(&u, NULL, 64), ZK_EENCODING,
           "unpack(NULL bytes)");
    zk_bj off = a;
    zk_fr one;
    zk_fr_one(&one);
    zk_fr_add(&off.y, &off.y, &one);
    is_int(zk_eddsa_verify_packed(&off, &msg, cases[0], 63), ZK_ENOTONCURVE,
           "verify_packed checks the key first");
    sodium_free(sk);
}

/* ----------------------------------------------------------- interop */

/* V ax ay msg r8x r8y S  -> 1/0 (verifyPoseidon)
 * K r8x r8y S            -> packSignature hex
 * S prvhex msg           -> ax ay r8x r8y S packhex (prv2pub, signPoseidon) */
static const char NODE_SCRIPT[] =
    "import {buildEddsa} from '%s/circomlibjs/main.js';\n"
    "import {readFileSync} from 'fs';\n"
    "const ed = await buildEddsa();\n"
    "const F = ed.babyJub.F;\n"
    "const pt = (x, y) => [F.e(x), F.e(y)];\n"
    "const out = [];\n"
    "for (const line of readFileSync(process.argv[2], 'utf8').split('\\n')) {\n"
    "  const w = line.split(' ');\n"
    "  if (w[0] === 'V') {\n"
    "    const sig = {R8: pt(w[4], w[5]), S: BigInt(w[6])};\n"
    "    out.push(ed.verifyPoseidon(F.e(w[3]), sig, pt(w[1], w[2])) ? '1' : "
    "'0');\n"
    "  } else if (w[0] === 'K') {\n"
    "    const sig = {R8: pt(w[1], w[2]), S: BigInt(w[3])};\n"
    "    out.push(Buffer.from(ed.packSignature(sig)).toString('hex'));\n"
    "  } else if (w[0] === 'S') {\n"
    "    const prv = Buffer.from(w[1], 'hex');\n"
    "    const A = ed.prv2pub(prv);\n"
    "    const sig = ed.signPoseidon(prv, F.e(w[2]));\n"
    "    out.push([F.toString(A[0]), F.toString(A[1]), F.toString(sig.R8[0]),"
    " F.toString(sig.R8[1]), sig.S.toString(),\n"
    "      Buffer.from(ed.packSignature(sig)).toString('hex')].join(' '));\n"
    "  }\n"
    "}\n"
    "console.log(out.join('\\n'));\n"
    "process.exit(0);\n";

static void put_pt(buf_t *b, const zk_bj *p)
{
    char x[ZK_FR_DEC_MAX], y[ZK_FR_DEC_MAX];
    zk_fr_to_dec(x, &p->x);
    zk_fr_to_dec(y, &p->y);
    bput(b, " ", 1);
    bput(b, x, strlen(x));
    bput(b, " ", 1);
    bput(b, y, strlen(y));
}

static void put_dec_fr(buf_t *b, const zk_fr *v)
{
    char d[ZK_FR_DEC_MAX];
    zk_fr_to_dec(d, v);
    bput(b, " ", 1);
    bput(b, d, strlen(d));
}

static void put_dec_limbs(buf_t *b, const uint64_t k[4])
{
    char d[100];
    mpz_t z;
    mpz_init(z);
    mpz_from_limbs(z, k);
    mpz_get_str(d, 10, z);
    mpz_clear(z);
    bput(b, " ", 1);
    bput(b, d, strlen(d));
}

static void put_verify(buf_t *b, const zk_bj *a, const zk_fr *msg,
                       const zk_eddsa_sig *sig)
{
    bput(b, "V", 1);
    put_pt(b, a);
    put_dec_fr(b, msg);
    put_pt(b, &sig->r8);
    put_dec_limbs(b, sig->s);
    bput(b, "\n", 1);
}

static void hex_str(char *out, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

#define N_OURS 5
#define N_THEIRS 5

static void test_interop(void)
{
    const char *nm = interop_dir("circomlibjs/main.js");
    if (!nm) {
        skip(12, "%s", interop_why());
        return;
    }
    uint8_t *sk = sodium_malloc(32 * (N_OURS + N_THEIRS));
    if (!sk)
        bail_out("sodium_malloc");
    buf_t in = {0};

    /* our signatures, for verifyPoseidon and packSignature */
    zk_bj a[N_OURS];
    zk_fr msg[N_OURS];
    zk_eddsa_sig sig[N_OURS], other;
    for (int i = 0; i < N_OURS; i++) {
        uint8_t *k = sk + 32 * i;
        zk_fr_random(&msg[i]);
        if (i == 0)
            zk_fr_zero(&msg[i]);
        if (zk_eddsa_keygen(k) != ZK_OK || zk_eddsa_pubkey(&a[i], k) != 0 ||
            zk_eddsa_sign(&sig[i], k, &msg[i]) != ZK_OK)
            bail_out("sign");
        put_verify(&in, &a[i], &msg[i], &sig[i]);
        bput(&in, "K", 1);
        put_pt(&in, &sig[i].r8);
        put_dec_limbs(&in, sig[i].s);
        bput(&in, "\n", 1);
    }
    /* the tamperings of the first one */
    zk_fr m2;
    fr_add_u64(&m2, &msg[0], 1);
    if (zk_eddsa_sign(&other, sk, &m2) != ZK_OK)
        bail_out("sign");
    tamper_t tp[N_TAMPER];
    make_tamperings(tp, &a[0], &msg[0], &sig[0], &other, sk);
    for (int i = 0; i < N_TAMPER; i++)
        put_verify(&in, &tp[i].a, &tp[i].msg, &tp[i].sig);
    /* circomlibjs signs with fresh private keys */
    zk_fr tmsg[N_THEIRS];
    for (int i = 0; i < N_THEIRS; i++) {
        uint8_t *k = sk + 32 * (N_OURS + i);
        char hx[65];
        if (zk_eddsa_keygen(k) != ZK_OK)
            bail_out("keygen");
        zk_fr_random(&tmsg[i]);
        hex_str(hx, k, 32);
        bput(&in, "S ", 2);
        bput(&in, hx, 64);
        put_dec_fr(&in, &tmsg[i]);
        bput(&in, "\n", 1);
    }

    put_file(tpath("ed.in"), in.b, in.n);
    free(in.b);
    int st = node_mjs("ed", "ed.in", NODE_SCRIPT, nm);
    char *outs = st == 0 ? read_text(tpath("ed.out")) : NULL;
    if (!outs) {
        diag("node failed (exit %d)", st);
        diag_file("ed.err", 2000);
    }
    char *save = NULL;
    char *line = outs ? strtok_r(outs, "\n", &save) : NULL;
#define NEXT_() (line = line ? strtok_r(NULL, "\n", &save) : NULL)

    int js_ok = 1, js_pack = 1;
    for (int i = 0; i < N_OURS; i++) {
        js_ok &= line && strcmp(line, "1") == 0;
        NEXT_();
        uint8_t b[64];
        char hx[129];
        zk_eddsa_sig_pack(b, &sig[i]);
        hex_str(hx, b, 64);
        js_pack &= line && strcmp(line, hx) == 0;
        NEXT_();
    }
    ok(outs && js_ok, "circomlibjs verifyPoseidon accepts our signatures "
                      "(%d random keys and messages)", N_OURS);
    ok(outs && js_pack, "circomlibjs packSignature = zk_eddsa_sig_pack");

    int js_tamper = 1, agree = 1;
    for (int i = 0; i < N_TAMPER; i++) {
        int got = line ? line[0] - '0' : -1;
        if (got != tp[i].js) {
            js_tamper = 0;
            diag("verifyPoseidon, %s: %d, expected %d", tp[i].what, got,
                 tp[i].js);
        }
        if (got == 1 && tp[i].ours != ZK_OK)
            diag("circomlibjs accepts, we reject (%s): %s", zk_strerror(
                 tp[i].ours), tp[i].what);
        agree &= (got == 1) == (tp[i].ours == ZK_OK) ||
                 tp[i].ours == ZK_ENOTINGROUP;
        NEXT_();
    }
    ok(outs && js_tamper, "circomlibjs on the %d tamperings: rejects all "
                          "but the small-order-key forgeries and A + T",
       N_TAMPER - 1);
    ok(outs && agree, "ours and circomlibjs agree on every tampering except "
                      "the small-order keys, which only we reject");

    int parsed = 1, ours_ok = 1, pk_sub = 1, pk_diff = 1, t_msg = 1, t_s = 1;
    int upk = 1;
    for (int i = 0; i < N_THEIRS; i++) {
        char *w[6] = {0};
        char *s2 = NULL, *tok = line ? strtok_r(line, " ", &s2) : NULL;
        for (int j = 0; j < 6 && tok; j++, tok = strtok_r(NULL, " ", &s2))
            w[j] = tok;
        zk_bj ja;
        zk_eddsa_sig js;
        mpz_t z;
        mpz_init(z);
        int good = w[5] && zk_fr_from_dec(&ja.x, w[0]) == ZK_OK &&
                   zk_fr_from_dec(&ja.y, w[1]) == ZK_OK &&
                   zk_fr_from_dec(&js.r8.x, w[2]) == ZK_OK &&
                   zk_fr_from_dec(&js.r8.y, w[3]) == ZK_OK &&
                   mpz_set_str(z, w[4], 10) == 0 &&
                   mpz_sizeinbase(z, 2) <= 256 && strlen(w[5]) == 128;
        if (good)
            mpz_to_limbs(js.s, z);
        mpz_clear(z);
        parsed &= good;
        NEXT_();
        if (!good)
            continue;
        ours_ok &= zk_eddsa_verify(&ja, &tmsg[i], &js) == ZK_OK;
        pk_sub &= zk_bj_in_subgroup(&ja);
        zk_bj mine;
        pk_diff &= zk_eddsa_pubkey(&mine, sk + 32 * (N_OURS + i)) == ZK_OK &&
                   !zk_bj_eq(&mine, &ja);
        zk_fr m;
        fr_add_u64(&m, &tmsg[i], 1);
        t_msg &= zk_eddsa_verify(&ja, &m, &js) == ZK_EVERIFY;
        zk_eddsa_sig t = js;
        limbs_add(t.s, L);
        t_s &= zk_eddsa_verify(&ja, &tmsg[i], &t) == ZK_EVERIFY;
        uint8_t b[64];
        for (int j = 0; j < 64; j++) {
            unsigned v;
            if (sscanf(w[5] + 2 * j, "%2x", &v) != 1)
                v = 0x100;
            b[j] = (uint8_t)v;
        }
        upk &= zk_eddsa_sig_unpack(&t, b, 64) == ZK_OK && sig_eq(&t, &js) &&
               zk_eddsa_verify_packed(&ja, &tmsg[i], b, 64) == ZK_OK;
    }
    ok(outs && parsed, "circomlibjs signPoseidon output parsed");
    ok(outs && ours_ok, "zk_eddsa_verify accepts circomlibjs signPoseidon "
                        "signatures (%d random keys and messages)",
       N_THEIRS);
    ok(outs && upk, "its packSignature unpacks to the same signature and "
                    "verifies packed");
    ok(outs && t_msg, "... and rejects them for msg + 1");
    ok(outs && t_s, "... and with S + l");
    ok(outs && pk_sub, "circomlibjs prv2pub keys are in the subgroup");
    ok(outs && pk_diff, "the same private key gives another public key here "
                        "(BLAKE2b-512, not BLAKE-512; documented)");
    ok(outs && !line, "no extra output from node");
#undef NEXT_
    free(outs);
    sodium_free(sk);
    dir_clear();
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    testdir_make("zkpar-eddsa");
    test_keys();
    test_sign_verify();
    test_interop();
    testdir_remove();
    return done_testing();
}
