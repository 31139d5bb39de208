/* eddsa.c -- EdDSA-Poseidon on Baby Jubjub (see eddsa.h). */
#include <sodium.h>
#include <string.h>

#include "hash/poseidon.h"
#include "sig/eddsa.h"

/* Everything derived from sk, in one sodium_malloc block (guarded, and
 * zeroed by sodium_free). */
typedef struct {
    uint8_t h[64];       /* H(sk), low half pruned */
    uint8_t buf[64];     /* h[32..64) || msg */
    uint8_t rh[64];      /* H(buf) */
    uint64_t s[4];       /* pruned scalar */
    uint64_t s3[4];      /* s >> 3 */
    uint64_t r[4];       /* nonce mod l */
    zk_bje p;            /* scalar-multiplication output */
} eddsa_secrets;

static eddsa_secrets *secrets_new(void)
{
    /* sodium_init is idempotent and thread-safe; sodium_malloc needs it */
    if (sodium_init() < 0)
        return NULL;
    return sodium_malloc(sizeof(eddsa_secrets));
}

static uint64_t load64_le(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

/* h = H(sk) pruned (circomlibjs pruneBuffer), s, s >> 3. */
static int expand(eddsa_secrets *x, const uint8_t sk[ZK_EDDSA_SECRET_BYTES])
{
    if (crypto_generichash(x->h, sizeof x->h, sk, ZK_EDDSA_SECRET_BYTES,
                           NULL, 0) != 0)
        return ZK_EINVAL;
    x->h[0] &= 0xf8;
    x->h[31] &= 0x7f;
    x->h[31] |= 0x40;
    for (int i = 0; i < 4; i++)
        x->s[i] = load64_le(x->h + 8 * i);
    for (int i = 0; i < 4; i++)
        x->s3[i] = (x->s[i] >> 3) | (i < 3 ? x->s[i + 1] << 61 : 0);
    return ZK_OK;
}

int zk_eddsa_keygen(uint8_t sk[ZK_EDDSA_SECRET_BYTES])
{
    if (!sk)
        return ZK_EINVAL;
    if (sodium_init() < 0)
        return ZK_ENOMEM;
    randombytes_buf(sk, ZK_EDDSA_SECRET_BYTES);
    return ZK_OK;
}

int zk_eddsa_pubkey(zk_bj *a, const uint8_t sk[ZK_EDDSA_SECRET_BYTES])
{
    if (!a || !sk)
        return ZK_EINVAL;
    eddsa_secrets *x = secrets_new();
    if (!x)
        return ZK_ENOMEM;
    int rc = expand(x, sk);
    if (rc == ZK_OK) {
        zk_bje_mul_base8(&x->p, x->s3);
        zk_bj_from_extended(a, &x->p);
    }
    sodium_free(x);
    return rc;
}

int zk_eddsa_challenge(zk_fr *hm, const zk_bj *r8, const zk_bj *a,
                       const zk_fr *msg)
{
    if (!hm || !r8 || !a || !msg)
        return ZK_EINVAL;
    zk_fr in[5] = {r8->x, r8->y, a->x, a->y, *msg};
    return zk_poseidon(hm, in, 5);
}

int zk_eddsa_sign(zk_eddsa_sig *sig, const uint8_t sk[ZK_EDDSA_SECRET_BYTES],
                  const zk_fr *msg)
{
    if (!sig || !sk || !msg)
        return ZK_EINVAL;
    eddsa_secrets *x = secrets_new();
    if (!x)
        return ZK_ENOMEM;
    zk_bj a, r8;
    zk_fr hm;
    uint64_t hml[4];
    int rc = expand(x, sk);
    if (rc != ZK_OK)
        goto out;
    zk_bje_mul_base8(&x->p, x->s3);
    zk_bj_from_extended(&a, &x->p);

    /* r = H(h[32..64) || msg) mod l (circomlibjs: BLAKE-512 of the same
     * bytes, msg as F.toRprLE, the canonical little-endian form) */
    memcpy(x->buf, x->h + 32, 32);
    zk_fr_to_bytes_le(x->buf + 32, msg);
    if (crypto_generichash(x->rh, sizeof x->rh, x->buf, sizeof x->buf,
                           NULL, 0) != 0) {
        rc = ZK_EINVAL;
        goto out;
    }
    if ((rc = zk_bj_scalar_from_bytes_reduce(x->r, x->rh, sizeof x->rh)) != 0)
        goto out;
    zk_bje_mul_base8(&x->p, x->r);
    zk_bj_from_extended(&r8, &x->p);

    if ((rc = zk_eddsa_challenge(&hm, &r8, &a, msg)) != 0)
        goto out;
    zk_fr_to_limbs(hml, &hm);
    sig->r8 = r8;
    zk_bj_scalar_muladd(sig->s, hml, x->s, x->r); /* S = r + hm s mod l */
out:
    sodium_free(x);
    return rc;
}

int zk_eddsa_verify(const zk_bj *a, const zk_fr *msg, const zk_eddsa_sig *sig)
{
    if (!a || !msg || !sig)
        return ZK_EINVAL;
    if (!zk_bj_is_on_curve(a))
        return ZK_ENOTONCURVE;
    if (zk_bj_is_small_order(a))
        return ZK_ENOTINGROUP;
    if (!zk_bj_scalar_is_canonical(sig->s) || !zk_bj_is_on_curve(&sig->r8))
        return ZK_EVERIFY;

    zk_fr hm;
    int rc = zk_eddsa_challenge(&hm, &sig->r8, a, msg);
    if (rc != ZK_OK)
        return rc;
    uint64_t h[4];
    zk_fr_to_limbs(h, &hm);

    /* [S] B8 == R8 + [hm] ([8] A): circomlibjs multiplies A by hm * 8 */
    zk_bje lhs, rhs, t;
    zk_bje_mul_base8(&lhs, sig->s);
    zk_bje_from_affine(&t, a);
    zk_bje_dbl(&t, &t);
    zk_bje_dbl(&t, &t);
    zk_bje_dbl(&t, &t);
    zk_bje_mul_var(&t, &t, h);
    zk_bje_from_affine(&rhs, &sig->r8);
    zk_bje_add(&rhs, &rhs, &t);
    return zk_bje_eq(&lhs, &rhs) ? ZK_OK : ZK_EVERIFY;
}

void zk_eddsa_sig_pack(uint8_t out[ZK_EDDSA_SIG_BYTES],
                       const zk_eddsa_sig *sig)
{
    zk_bj_pack(out, &sig->r8);
    for (int i = 0; i < 32; i++)
        out[32 + i] = (uint8_t)(sig->s[i / 8] >> (8 * (i % 8)));
}

int zk_eddsa_sig_unpack(zk_eddsa_sig *sig, const uint8_t *in, size_t len)
{
    if (!sig)
        return ZK_EINVAL;
    if (!in || len != ZK_EDDSA_SIG_BYTES)
        return ZK_EENCODING;
    zk_eddsa_sig t;
    int rc = zk_bj_unpack(&t.r8, in, 32);
    if (rc != ZK_OK)
        return rc;
    for (int i = 0; i < 4; i++)
        t.s[i] = load64_le(in + 32 + 8 * i);
    if (!zk_bj_scalar_is_canonical(t.s))
        return ZK_ERANGE;
    *sig = t;
    return ZK_OK;
}

int zk_eddsa_verify_packed(const zk_bj *a, const zk_fr *msg,
                           const uint8_t *sig, size_t len)
{
    if (!a || !msg)
        return ZK_EINVAL;
    /* the key's problems first, as zk_eddsa_verify reports them */
    if (!zk_bj_is_on_curve(a))
        return ZK_ENOTONCURVE;
    if (zk_bj_is_small_order(a))
        return ZK_ENOTINGROUP;
    zk_eddsa_sig s;
    if (zk_eddsa_sig_unpack(&s, sig, len) != ZK_OK)
        return ZK_EVERIFY;
    return zk_eddsa_verify(a, msg, &s);
}
