/*
 * msm_impl.h -- multi-scalar multiplication and fixed-base batch
 * multiplication, written once and instantiated by msm.c for G1 over Fp
 * and G2 over Fp2 (internal; included once per group).
 *
 * The including file has included curve_inline.h (the point template, so
 * PT(j_add), PT(j_add_a), PT(j_dbl), ... exist) and msm.c's shared part
 * (scalar splitting, digit extraction, parameter choice, slots), and
 * defines, as for point_impl.h:
 *   PT_F PT_A PT_J PT(name)
 *   F_ADD F_SUB F_DBL F_MUL F_SQR F_NEG F_IS_ZERO F_EQ F_ZERO F_ONE
 * and in addition:
 *   MSM_DEN(d, t)    d = an element of Fp that is zero iff t is (the
 *                    norm), and MSM_INV(inv, t, dinv) inv = 1/t from
 *                    dinv = 1/d (MSM: batch inversion in Fp)
 *   F_INV_CT(r, a)   r = 1/a, constant time (fixed-base: secret data)
 *   F_MUL3B(r, a)    r = 3b * a, b the curve constant (complete formulas)
 *   PT_ENDO(r, a)    r = the endomorphism applied to affine a (not inf)
 *   MSM_SPLIT        const msm_split_consts * for that endomorphism
 *   MSM_COST         const msm_costs * (the cost model's constants)
 *   FB_W             fixed-base window width (odd signed digits)
 */

/* ------------------------------------------------------------------ */
/* Pippenger                                                            */
/* ------------------------------------------------------------------ */

/* Out-of-line copies of the point formulas (point_impl.h makes them
 * always_inline): one copy per group keeps the object code and the
 * compile time small; a call costs nothing next to 11+ multiplications. */
static __attribute__((noinline)) void PT(msm_jadd)(PT_J *r, const PT_J *p, const PT_J *q)
{
    PT(j_add)(r, p, q);
}

static __attribute__((noinline)) void PT(msm_jadd_a)(PT_J *r, const PT_J *p, const PT_A *q)
{
    PT(j_add_a)(r, p, q);
}

static __attribute__((noinline)) void PT(msm_jdbl)(PT_J *r, const PT_J *p)
{
    PT(j_dbl)(r, p);
}

/* r = neg ? -a : a for neg in {0, 1}, without a branch (constant time). */
MONT_INLINE void PT(f_cneg)(PT_F *r, const PT_F *a, uint64_t neg)
{
    PT_F na;
    uint64_t mask = 0 - neg;
    const uint64_t *x = (const uint64_t *)(const void *)a;
    const uint64_t *y = (const uint64_t *)(const void *)&na;
    uint64_t *o = (uint64_t *)(void *)r;
    F_NEG(&na, a);
    for (size_t w = 0; w < sizeof(PT_F) / 8; w++)
        o[w] = (y[w] & mask) | (x[w] & ~mask);
}

/* One pending affine bucket addition: bucket b += (neg ? -p : p). */
typedef struct {
    const PT_A *p;
    uint32_t b;
    uint32_t neg;
} PT(msm_op);

/* A thread's working memory for one window task.  Bucket b holds digit
 * magnitude b + 1.  Its value is the sum of an affine part bk[b] (valid
 * when st[b] & MSM_AFF) and a Jacobian overflow part bj[b] (valid when
 * st[b] & MSM_JAC); MSM_BUSY marks a bucket with a pending batched
 * addition (its affine value must not be read or changed until the batch
 * runs). */
typedef struct {
    PT_A *bk;
    PT_J *bj;
    uint8_t *st;
    PT(msm_op) *ops; /* the pending batch, m of at most bs */
    zk_fp *den;      /* the batch's denominators, mapped to Fp */
    zk_fp *pre;      /* their prefix products */
    PT(msm_op) *q;   /* additions deferred because their bucket was busy */
    PT_A *lane;      /* reduction: 2 L affine running sums */
    uint8_t *lane_st;
    size_t m, qlen, bs, qs;
} PT(msm_ws);

typedef struct {
    const PT_A *pts; /* caller's points */
    const zk_fr *sc; /* caller's scalars */
    size_t n;
    uint64_t *kk;    /* 6 limbs per point: its two encoded half-scalars */
    PT_A *endo;      /* endo(pts[i]), set where the second half is used */
    msm_params par;
    PT_J *wsum;       /* par.windows * par.parts window sums */
    msm_slots slots;
    unsigned char *slot_mem;
    size_t slot_size;
    zk_meter *meter;  /* the pool's, advanced by n units in all; or NULL */
} PT(msm_ctx);

/* Layout of one slot's working memory (offsets are 64-byte aligned). */
static size_t PT(msm_ws_layout)(PT(msm_ws) *ws, unsigned char *base, const msm_params *par)
{
    size_t nb = (size_t)1 << (par->c - 1), off = 0;
    size_t L = par->affine ? msm_red_lanes(nb) : 0;
    size_t nops = par->bs > L ? par->bs : L;
    size_t o_bk, o_bj, o_st, o_ops, o_den, o_pre, o_q, o_lane, o_lst;
    o_bk = off;
    off = msm_align(off + (par->affine ? nb * sizeof(PT_A) : 0));
    o_bj = off;
    off = msm_align(off + nb * sizeof(PT_J));
    o_st = off;
    off = msm_align(off + nb);
    o_ops = off;
    off = msm_align(off + nops * sizeof(PT(msm_op)));
    o_den = off;
    off = msm_align(off + nops * sizeof(zk_fp));
    o_pre = off;
    off = msm_align(off + nops * sizeof(zk_fp));
    o_q = off;
    off = msm_align(off + par->qs * sizeof(PT(msm_op)));
    o_lane = off;
    off = msm_align(off + 2 * L * sizeof(PT_A));
    o_lst = off;
    off = msm_align(off + 2 * L);
    if (ws != NULL) {
        ws->bk = (PT_A *)(void *)(base + o_bk);
        ws->bj = (PT_J *)(void *)(base + o_bj);
        ws->st = base + o_st;
        ws->ops = (PT(msm_op) *)(void *)(base + o_ops);
        ws->den = (zk_fp *)(void *)(base + o_den);
        ws->pre = (zk_fp *)(void *)(base + o_pre);
        ws->q = (PT(msm_op) *)(void *)(base + o_q);
        ws->lane = (PT_A *)(void *)(base + o_lane);
        ws->lane_st = base + o_lst;
        ws->m = ws->qlen = 0;
        ws->bs = par->bs;
        ws->qs = par->qs;
    }
    return off;
}

/* bj[b] += ±p in Jacobian coordinates (complete case analysis in
 * PT(j_add_a): doubling and cancellation are handled there). */
static inline void PT(msm_jac_acc)(PT(msm_ws) *ws, const PT_A *p, uint32_t b, uint32_t neg)
{
    PT_A t = *p;
    if (neg)
        F_NEG(&t.y, &t.y);
    if (ws->st[b] & MSM_JAC) {
        PT(msm_jadd_a)(&ws->bj[b], &ws->bj[b], &t);
    } else {
        PT(j_from_a)(&ws->bj[b], &t);
        ws->st[b] |= MSM_JAC;
    }
}

/*
 * dst[ops[j].b] += ±*ops[j].p for j < m, in affine coordinates:
 * lambda = (±Py - Dy) / (Px - Dx), x3 = lambda^2 - Dx - Px, y3 = lambda
 * (Dx - x3) - Dy, with the denominators inverted together (Montgomery's
 * trick: 3 multiplications each plus one inversion; den and pre hold m
 * elements).  The trick runs in Fp for both groups: MSM_DEN maps a
 * denominator to an element of Fp (G1: itself; G2: its norm) and MSM_INV
 * recovers its inverse from the inverse of that (G2: the conjugate times
 * the inverse norm).  Requirements: no point is infinity, every Px != Dx,
 * and the destinations are distinct.
 */
static void PT(msm_addv)(PT_A *dst, const PT(msm_op) *ops, size_t m, zk_fp *den, zk_fp *pre)
{
    zk_fp acc;
    if (m == 0)
        return;
    fp_set_one(&acc);
    for (size_t j = 0; j < m; j++) {
        PT_F t;
        F_SUB(&t, &ops[j].p->x, &dst[ops[j].b].x);
        MSM_DEN(&den[j], &t);
        pre[j] = acc;
        fp_mul(&acc, &acc, &den[j]);
    }
    int rc = zk_fp_inv_var(&acc, &acc); /* a product of non-zero elements */
    (void)rc;
    for (size_t j = m; j-- > 0;) {
        const PT(msm_op) *op = &ops[j];
        PT_A *d = &dst[op->b];
        zk_fp dinv;
        PT_F t, inv, lam, x3, py;
        fp_mul(&dinv, &acc, &pre[j]);
        fp_mul(&acc, &acc, &den[j]);
        F_SUB(&t, &op->p->x, &d->x);
        MSM_INV(&inv, &t, &dinv);
        PT(f_cneg)(&py, &op->p->y, op->neg); /* ±Py without a branch */
        F_SUB(&t, &py, &d->y);
        F_MUL(&lam, &t, &inv);
        F_SQR(&x3, &lam);
        F_SUB(&x3, &x3, &d->x);
        F_SUB(&x3, &x3, &op->p->x);
        F_SUB(&t, &d->x, &x3);
        F_MUL(&t, &lam, &t);
        F_SUB(&d->y, &t, &d->y);
        d->x = x3;
    }
}

/* Run the pending batch of bucket additions and free their buckets. */
static void PT(msm_exec)(PT(msm_ws) *ws)
{
    PT(msm_addv)(ws->bk, ws->ops, ws->m, ws->den, ws->pre);
    for (size_t j = 0; j < ws->m; j++)
        ws->st[ws->ops[j].b] &= (uint8_t)~MSM_BUSY;
    ws->m = 0;
}

/* Schedule bucket b += ±p.  Returns 1 when the batch became full. */
static inline int PT(msm_push)(PT(msm_ws) *ws, const PT_A *p, uint32_t b, uint32_t neg)
{
    uint8_t s = ws->st[b];
    if (s & MSM_BUSY) {
        if (ws->qlen < ws->qs) {
            PT(msm_op) *o = &ws->q[ws->qlen++];
            o->p = p;
            o->b = b;
            o->neg = neg;
        } else {
            PT(msm_jac_acc)(ws, p, b, neg);
        }
        return 0;
    }
    PT_A *bkt = &ws->bk[b];
    if (!(s & MSM_AFF)) {
        *bkt = *p;
        if (neg)
            F_NEG(&bkt->y, &bkt->y);
        ws->st[b] = s | MSM_AFF;
        return 0;
    }
    if (F_EQ(&bkt->x, &p->x)) {
        /* ±p = ±bucket: doubling or cancellation; rare, so let the
         * Jacobian formulas sort it out in the overflow part. */
        PT(msm_jac_acc)(ws, p, b, neg);
        return 0;
    }
    PT(msm_op) *o = &ws->ops[ws->m++];
    o->p = p;
    o->b = b;
    o->neg = neg;
    ws->st[b] = s | MSM_BUSY;
    return ws->m == ws->bs;
}

/* Retry every deferred addition once (after a batch ran, their buckets
 * may be free).  Items that are still blocked go back to the queue, in
 * place: the write index never passes the read index. */
static void PT(msm_drain)(PT(msm_ws) *ws)
{
    size_t nq = ws->qlen;
    ws->qlen = 0;
    for (size_t j = 0; j < nq; j++) {
        PT(msm_op) o = ws->q[j];
        if (PT(msm_push)(ws, o.p, o.b, o.neg))
            PT(msm_exec)(ws);
    }
}

/* out = sum_b (b + 1) bucket_b over the parts of the buckets selected by
 * `mask` (MSM_AFF, MSM_JAC or both), by running sums, top bucket first:
 * two Jacobian additions per bucket. */
static void PT(msm_reduce_jac)(PT_J *out, const PT(msm_ws) *ws, size_t nb, uint8_t mask)
{
    PT_J run, tot;
    PT(j_set_inf)(&run);
    PT(j_set_inf)(&tot);
    for (size_t b = nb; b-- > 0;) {
        uint8_t s = ws->st[b] & mask;
        if (s & MSM_AFF)
            PT(msm_jadd_a)(&run, &run, &ws->bk[b]);
        if (s & MSM_JAC)
            PT(msm_jadd)(&run, &run, &ws->bj[b]);
        PT(msm_jadd)(&tot, &tot, &run);
    }
    *out = tot;
}

/* *d += *s for affine d (present when *dp) and s (present) with equal x:
 * doubling or cancellation; rare, done in Jacobian coordinates. */
static void PT(msm_add_same_x)(PT_A *d, uint8_t *dp, const PT_A *s)
{
    if (F_EQ(&d->y, &s->y) && !F_IS_ZERO(&d->y)) {
        PT_J t;
        PT(j_from_a)(&t, d);
        PT(msm_jdbl)(&t, &t);
        PT(j_to_a)(d, &t);
    } else {
        *dp = 0;
    }
}

/*
 * out = sum_b (b + 1) A_b over the affine parts of the buckets, with the
 * running sums done in affine coordinates and batched: the buckets are
 * cut into L segments of len = nb / L, which run their running sums in
 * lockstep (segment s, from its top: run_s += A_b, then tot_s += run_s),
 * so each step is one batch of L independent additions.  Then segment s
 * holds run_s = sum of its buckets and tot_s = sum of (b - s len + 1) A_b,
 * and out = sum_s tot_s + len * sum_s s run_s.
 */
static void PT(msm_reduce_aff)(PT_J *out, PT(msm_ws) *ws, size_t nb, size_t L)
{
    const size_t len = nb / L;
    PT_A *run = ws->lane, *tot = ws->lane + L;
    uint8_t *rs = ws->lane_st, *ts = ws->lane_st + L;
    PT(msm_op) *ops = ws->ops;
    PT_J r, t;
    memset(rs, 0, 2 * L);
    for (size_t k = len; k-- > 0;) {
        size_t m = 0;
        for (size_t s = 0; s < L; s++) {
            size_t b = s * len + k;
            if (!(ws->st[b] & MSM_AFF))
                continue;
            if (!rs[s]) {
                run[s] = ws->bk[b];
                rs[s] = 1;
            } else if (F_EQ(&run[s].x, &ws->bk[b].x)) {
                PT(msm_add_same_x)(&run[s], &rs[s], &ws->bk[b]);
            } else {
                ops[m].p = &ws->bk[b];
                ops[m].b = (uint32_t)s;
                ops[m++].neg = 0;
            }
        }
        PT(msm_addv)(run, ops, m, ws->den, ws->pre);
        m = 0;
        for (size_t s = 0; s < L; s++) {
            if (!rs[s])
                continue;
            if (!ts[s]) {
                tot[s] = run[s];
                ts[s] = 1;
            } else if (F_EQ(&tot[s].x, &run[s].x)) {
                PT(msm_add_same_x)(&tot[s], &ts[s], &run[s]);
            } else {
                ops[m].p = &run[s];
                ops[m].b = (uint32_t)s;
                ops[m++].neg = 0;
            }
        }
        PT(msm_addv)(tot, ops, m, ws->den, ws->pre);
    }
    /* t = sum_s s run_s by a running sum over the segments, times len
     * (a power of two), plus every tot_s */
    PT(j_set_inf)(&r);
    PT(j_set_inf)(&t);
    for (size_t s = L; s-- > 1;) {
        if (rs[s])
            PT(msm_jadd_a)(&r, &r, &run[s]);
        PT(msm_jadd)(&t, &t, &r);
    }
    for (size_t d = len; d > 1; d >>= 1)
        PT(msm_jdbl)(&t, &t);
    for (size_t s = 0; s < L; s++)
        if (ts[s])
            PT(msm_jadd_a)(&t, &t, &tot[s]);
    *out = t;
}

/* out = sum_b (b + 1) bucket_b. */
static void PT(msm_reduce)(PT_J *out, PT(msm_ws) *ws, size_t nb, int affine)
{
    size_t L = affine ? msm_red_lanes(nb) : 0;
    if (L == 0) {
        PT(msm_reduce_jac)(out, ws, nb, MSM_AFF | MSM_JAC);
        return;
    }
    PT(msm_reduce_aff)(out, ws, nb, L);
    /* the Jacobian overflow parts, if any */
    for (size_t b = 0; b < nb; b++) {
        if (ws->st[b] & MSM_JAC) {
            PT_J j;
            PT(msm_reduce_jac)(&j, ws, nb, MSM_JAC);
            PT(msm_jadd)(out, out, &j);
            break;
        }
    }
}

/* The sum for window w over points [lo, hi); advances the meter by
 * `units`, in steps of MSM_METER_STEP points. */
static void PT(msm_window)(PT_J *out, PT(msm_ws) *ws, const PT(msm_ctx) *cx, unsigned w,
                           size_t lo, size_t hi, uint64_t units)
{
    const unsigned c = cx->par.c, off = c * w;
    const uint32_t half = (uint32_t)1 << (c - 1);
    const size_t nb = half;
    uint64_t counted = 0;
    memset(ws->st, 0, nb);
    ws->m = ws->qlen = 0;
    for (size_t i = lo; i < hi; i++) {
        if (cx->meter != NULL && i > lo && (i - lo) % MSM_METER_STEP == 0) {
            uint64_t due = (uint64_t)((unsigned __int128)units * (i - lo) / (hi - lo));
            zk_meter_add(cx->meter, due - counted);
            counted = due;
        }
        for (unsigned h = 0; h < 2; h++) {
            const uint64_t *k = cx->kk + 6 * i + 3 * h;
            uint32_t u = msm_digit(k, off, c), b, neg = (uint32_t)(k[2] >> 63);
            if (u == half)
                continue;
            if (u > half) {
                b = u - half - 1;
            } else {
                b = half - u - 1;
                neg ^= 1;
            }
            const PT_A *p = h ? &cx->endo[i] : &cx->pts[i];
            if (!cx->par.affine)
                PT(msm_jac_acc)(ws, p, b, neg);
            else if (PT(msm_push)(ws, p, b, neg)) {
                PT(msm_exec)(ws);
                PT(msm_drain)(ws);
            }
        }
    }
    if (cx->par.affine) {
        PT(msm_exec)(ws);
        PT(msm_drain)(ws);
        PT(msm_exec)(ws);
        /* whatever is still blocked goes to the overflow part */
        for (size_t j = 0; j < ws->qlen; j++)
            PT(msm_jac_acc)(ws, ws->q[j].p, ws->q[j].b, ws->q[j].neg);
        ws->qlen = 0;
    }
    PT(msm_reduce)(out, ws, nb, cx->par.affine);
    zk_meter_add(cx->meter, units - counted);
}

static void PT(msm_task)(void *arg, size_t t)
{
    PT(msm_ctx) *cx = arg;
    unsigned w = (unsigned)(t % cx->par.windows);
    size_t part = t / cx->par.windows;
    size_t lo = part * cx->par.part_len, hi = lo + cx->par.part_len;
    if (hi > cx->n)
        hi = cx->n;
    unsigned slot = msm_slot_acquire(&cx->slots);
    PT(msm_ws) ws;
    PT(msm_ws_layout)(&ws, cx->slot_mem + (size_t)slot * cx->slot_size, &cx->par);
    /* this part's hi - lo points, spread over its windows */
    const uint64_t len = hi - lo, nw = cx->par.windows;
    const uint64_t units = len * (w + 1) / nw - len * w / nw;
    PT(msm_window)(&cx->wsum[t], &ws, cx, w, lo, hi, units);
    msm_slot_release(&cx->slots, slot);
}

/* Phase 1 for points [i0, i1): split the scalars and apply the
 * endomorphism to the points whose second half is used. */
static void PT(msm_prep_task)(void *arg, size_t t)
{
    PT(msm_ctx) *cx = arg;
    size_t i0 = t * MSM_PREP_BLOCK, i1 = i0 + MSM_PREP_BLOCK;
    if (i1 > cx->n)
        i1 = cx->n;
    for (size_t i = i0; i < i1; i++) {
        uint64_t *kk = cx->kk + 6 * i;
        if (PT(a_is_inf)(&cx->pts[i]) || fr_is_zero(&cx->sc[i])) {
            msm_encode_zero(kk, &cx->par);
            continue;
        }
        int used2 = msm_encode_scalar(kk, &cx->sc[i], MSM_SPLIT, &cx->par);
        if (used2)
            PT_ENDO(&cx->endo[i], &cx->pts[i]);
    }
}

/* r = sum [sc_i] pts_i, normalized (Z = 1, or (1, 1, 0) at infinity). */
static int PT(msm)(PT_J *r, const PT_A *pts, const zk_fr *sc, size_t n, zk_pool *pool)
{
    PT(msm_ctx) cx;
    PT_J acc;
    if (r == NULL || (n > 0 && (pts == NULL || sc == NULL)))
        return ZK_EINVAL;
    if (n == 0) {
        PT(j_set_inf)(r);
        return ZK_OK;
    }
    memset(&cx, 0, sizeof cx);
    cx.pts = pts;
    cx.sc = sc;
    cx.n = n;
    cx.meter = zk_pool_meter(pool);
    msm_choose(&cx.par, n, zk_pool_size(pool), MSM_COST);
    size_t ntasks = (size_t)cx.par.windows * cx.par.parts;
    unsigned nslots = zk_pool_size(pool);
    if (nslots > ntasks)
        nslots = (unsigned)ntasks;

    /* one allocation: kk | endo | window sums | slot flags | slots */
    size_t sz_kk, sz_endo, sz_wsum, off_endo, off_wsum, off_flags, off_slots, total;
    cx.slot_size = PT(msm_ws_layout)(NULL, NULL, &cx.par);
    if (n > (SIZE_MAX / 4) / (6 * sizeof(uint64_t) + sizeof(PT_A)))
        return ZK_ENOMEM;
    sz_kk = msm_align(n * 6 * sizeof(uint64_t));
    sz_endo = msm_align(n * sizeof(PT_A));
    sz_wsum = msm_align(ntasks * sizeof(PT_J));
    off_endo = sz_kk;
    off_wsum = off_endo + sz_endo;
    off_flags = off_wsum + sz_wsum;
    off_slots = off_flags + msm_align(nslots * sizeof(atomic_uchar));
    if (cx.slot_size > (SIZE_MAX / 2 - off_slots) / nslots)
        return ZK_ENOMEM;
    total = off_slots + (size_t)nslots * cx.slot_size;
    unsigned char *mem = aligned_alloc(64, total);
    if (mem == NULL)
        return ZK_ENOMEM;
    cx.kk = (uint64_t *)(void *)mem;
    cx.endo = (PT_A *)(void *)(mem + off_endo);
    cx.wsum = (PT_J *)(void *)(mem + off_wsum);
    cx.slot_mem = mem + off_slots;
    msm_slots_init(&cx.slots, (atomic_uchar *)(void *)(mem + off_flags), nslots);

    size_t nprep = (n + MSM_PREP_BLOCK - 1) / MSM_PREP_BLOCK;
    int rc = zk_pool_run(pool, nprep, PT(msm_prep_task), &cx);
    if (rc == ZK_OK)
        rc = zk_pool_run(pool, ntasks, PT(msm_task), &cx);
    if (rc != ZK_OK) {
        free(mem);
        return rc;
    }

    /* Horner over the windows, parts in index order. */
    PT(j_set_inf)(&acc);
    for (unsigned w = cx.par.windows; w-- > 0;) {
        for (unsigned d = 0; d < cx.par.c; d++)
            PT(msm_jdbl)(&acc, &acc);
        for (unsigned p = 0; p < cx.par.parts; p++)
            PT(msm_jadd)(&acc, &acc, &cx.wsum[(size_t)p * cx.par.windows + w]);
    }
    free(mem);

    if (PT(j_is_inf)(&acc)) {
        PT(j_set_inf)(r);
    } else {
        PT_A a;
        PT(j_to_a)(&a, &acc);
        PT(j_from_a)(r, &a);
    }
    return ZK_OK;
}

/* ------------------------------------------------------------------ */
/* Fixed-base batch multiplication (secret scalars)                     */
/* ------------------------------------------------------------------ */

/*
 * Complete mixed addition r = p + q, p in homogeneous projective
 * coordinates (X : Y : Z) = (X/Z, Y/Z) (any point, infinity (0 : 1 : 0)
 * included), q affine and not infinity: Renes, Costello and Batina,
 * "Complete addition formulas for prime order elliptic curves"
 * (EUROCRYPT 2016), Algorithm 8 (a = 0): 11M + 2 m_3b, no branches.  The
 * PT_J type is reused for the projective triple.  r may alias p.
 */
static void PT(fb_madd)(PT_J *r, const PT_J *p, const PT_A *q)
{
    PT_F t0, t1, t2, t3, t4, x3, y3, z3;
    F_MUL(&t0, &p->x, &q->x);
    F_MUL(&t1, &p->y, &q->y);
    F_ADD(&t3, &q->x, &q->y);
    F_ADD(&t4, &p->x, &p->y);
    F_MUL(&t3, &t3, &t4);
    F_ADD(&t4, &t0, &t1);
    F_SUB(&t3, &t3, &t4);
    F_MUL(&t4, &q->y, &p->z);
    F_ADD(&t4, &t4, &p->y);
    F_MUL(&y3, &q->x, &p->z);
    F_ADD(&y3, &y3, &p->x);
    F_DBL(&x3, &t0);
    F_ADD(&t0, &x3, &t0);
    F_MUL3B(&t2, &p->z);
    F_ADD(&z3, &t1, &t2);
    F_SUB(&t1, &t1, &t2);
    F_MUL3B(&y3, &y3);
    F_MUL(&x3, &t4, &y3);
    F_MUL(&t2, &t3, &t1);
    F_SUB(&x3, &t2, &x3);
    F_MUL(&y3, &y3, &t0);
    F_MUL(&t1, &t1, &z3);
    F_ADD(&y3, &t1, &y3);
    F_MUL(&t0, &t0, &t3);
    F_MUL(&z3, &z3, &t4);
    F_ADD(&z3, &z3, &t0);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* Digits per scalar and table entries per digit. */
#define FB_M ((254 + FB_W - 1) / FB_W)
#define FB_E (1u << (FB_W - 1))
/* The recoding below ends with a top digit e < 2^(254 - FB_W (FB_M - 1))
 * + 2 that must be a valid (odd, < 2^FB_W) digit. */
_Static_assert(254 - FB_W * (FB_M - 1) < FB_W &&
                   (1u << (254 - FB_W * (FB_M - 1))) + 2 <= (1u << FB_W),
               "fixed-base window width leaves a top digit out of range");

typedef struct {
    const PT_A *tab; /* FB_M * FB_E entries: tab[i][j] = [(2j+1) 2^(FB_W i)] base */
    const zk_fr *k;
    PT_A *out;
    size_t n;
    zk_meter *meter; /* the pool's; `units` per output */
    uint64_t units;
} PT(fb_ctx);

/* *r = tab[idx] for idx < FB_E, reading every entry (masks, no branch or
 * index on idx), then y negated when neg (all-ones mask). */
MONT_INLINE void PT(fb_select)(PT_A *r, const PT_A *tab, uint64_t idx, uint64_t neg)
{
    uint64_t acc[sizeof(PT_A) / 8];
    memset(acc, 0, sizeof acc);
    for (uint64_t j = 0; j < FB_E; j++) {
        uint64_t d = j ^ idx;
        uint64_t mask = ((d | (0 - d)) >> 63) - 1; /* all-ones iff j == idx */
        const uint64_t *src = (const uint64_t *)(const void *)&tab[j];
        for (size_t w = 0; w < sizeof acc / 8; w++)
            acc[w] |= src[w] & mask;
    }
    memcpy(r, acc, sizeof *r);
    PT(f_cneg)(&r->y, &r->y, neg & 1);
    sodium_memzero(acc, sizeof acc);
}

/* r = [k] base (projective), constant time in k. */
static void PT(fb_mul)(PT_J *r, const PT_A *tab, const zk_fr *k)
{
    static const uint64_t R[4] = ZK_FR_MODULUS;
    uint64_t e[4], ne[4], borrow = 0, flip;
    PT_A sel;
    fr_to_int(e, k);
    /* odd e: k itself, else r - k (and negate the result); k = 0 gives r,
     * whose multiple is infinity, as it should be */
    for (int i = 0; i < 4; i++) {
        zk_u128 d = (zk_u128)R[i] - e[i] - borrow;
        ne[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    flip = (e[0] & 1) - 1; /* all-ones when e is even */
    for (int i = 0; i < 4; i++)
        e[i] = (ne[i] & flip) | (e[i] & ~flip);
    /* Odd signed digits: d = (e mod 2^(w+1)) - 2^w, then e = (e - d) / 2^w
     * = (e >> w) | 1 stays odd; the last e is the top digit (positive). */
    for (unsigned i = 0; i + 1 < FB_M; i++) {
        int64_t d = (int64_t)(e[0] & ((UINT64_C(2) << FB_W) - 1)) - ((int64_t)1 << FB_W);
        uint64_t neg = 0 - ((uint64_t)d >> 63); /* all-ones when d < 0 */
        uint64_t mag = ((uint64_t)d ^ neg) - neg;
        for (int l = 0; l < 3; l++)
            e[l] = (e[l] >> FB_W) | (e[l + 1] << (64 - FB_W));
        e[3] >>= FB_W;
        e[0] |= 1;
        PT(fb_select)(&sel, tab + (size_t)i * FB_E, mag >> 1, neg);
        if (i == 0) {
            r->x = sel.x;
            r->y = sel.y;
            F_ONE(&r->z);
        } else {
            PT(fb_madd)(r, r, &sel);
        }
    }
    PT(fb_select)(&sel, tab + (size_t)(FB_M - 1) * FB_E, e[0] >> 1, 0);
    PT(fb_madd)(r, r, &sel);
    PT(f_cneg)(&r->y, &r->y, flip & 1); /* negate when r - k was used */
    sodium_memzero(e, sizeof e);
    sodium_memzero(ne, sizeof ne);
    sodium_memzero(&sel, sizeof sel);
}

/* out[i] = affine(in[i]) for projective in[0..m), Z = 0 -> (0, 0), with
 * one inversion and no branch on the values (pre: m field elements). */
static void PT(fb_normalize)(PT_A *out, PT_J *in, PT_F *pre, size_t m)
{
    PT_F acc, t, one;
    F_ONE(&one);
    F_ONE(&acc);
    for (size_t j = 0; j < m; j++) {
        /* Z = 0 is replaced by 1 so that the product stays invertible */
        uint64_t *z = (uint64_t *)(void *)&in[j].z, zor = 0;
        for (size_t w = 0; w < sizeof(PT_F) / 8; w++)
            zor |= z[w];
        uint64_t zmask = ((zor | (0 - zor)) >> 63) - 1; /* all-ones iff Z = 0 */
        const uint64_t *o = (const uint64_t *)(const void *)&one;
        for (size_t w = 0; w < sizeof(PT_F) / 8; w++)
            z[w] = (o[w] & zmask) | (z[w] & ~zmask);
        /* infinity (0 : Y : 0) becomes (0, 0) */
        uint64_t *x = (uint64_t *)(void *)&in[j].x, *y = (uint64_t *)(void *)&in[j].y;
        for (size_t w = 0; w < sizeof(PT_F) / 8; w++) {
            x[w] &= ~zmask;
            y[w] &= ~zmask;
        }
        pre[j] = acc;
        F_MUL(&acc, &acc, &in[j].z);
    }
    int rc = F_INV_CT(&acc, &acc); /* every factor is non-zero */
    (void)rc;
    for (size_t j = m; j-- > 0;) {
        F_MUL(&t, &acc, &pre[j]);
        F_MUL(&acc, &acc, &in[j].z);
        F_MUL(&out[j].x, &in[j].x, &t);
        F_MUL(&out[j].y, &in[j].y, &t);
    }
    sodium_memzero(&acc, sizeof acc);
    sodium_memzero(&t, sizeof t);
}

static void PT(fb_task)(void *arg, size_t t)
{
    const PT(fb_ctx) *cx = arg;
    PT_J res[MSM_FB_BLOCK];
    PT_F pre[MSM_FB_BLOCK];
    size_t i0 = t * MSM_FB_BLOCK, m = cx->n - i0;
    if (m > MSM_FB_BLOCK)
        m = MSM_FB_BLOCK;
    for (size_t j = 0; j < m; j++)
        PT(fb_mul)(&res[j], cx->tab, &cx->k[i0 + j]);
    PT(fb_normalize)(cx->out + i0, res, pre, m);
    sodium_memzero(res, sizeof res);
    sodium_memzero(pre, sizeof pre);
    zk_meter_add(cx->meter, cx->units * m);
}

static int PT(fixed_base)(PT_A *out, const PT_A *base, const zk_fr *k, size_t n, zk_pool *pool,
                          uint64_t units)
{
    if (n == 0)
        return ZK_OK;
    if (out == NULL || base == NULL || k == NULL)
        return ZK_EINVAL;
    if (PT(a_is_inf)(base)) {
        memset(out, 0, n * sizeof *out);
        zk_meter_add(zk_pool_meter(pool), units * n);
        return ZK_OK;
    }
    /* table: FB_M * FB_E affine points, built in Jacobian then normalized */
    const size_t nt = (size_t)FB_M * FB_E;
    size_t sz_tab = msm_align(nt * sizeof(PT_A)), sz_j = msm_align(nt * sizeof(PT_J));
    unsigned char *mem = aligned_alloc(64, sz_tab + sz_j + msm_align(nt * sizeof(PT_F)));
    if (mem == NULL)
        return ZK_ENOMEM;
    PT_A *tab = (PT_A *)(void *)mem;
    PT_J *tj = (PT_J *)(void *)(mem + sz_tab);
    PT_F *scratch = (PT_F *)(void *)(mem + sz_tab + sz_j);
    PT_J bi, d2;
    PT(j_from_a)(&bi, base);
    for (size_t i = 0; i < FB_M; i++) {
        PT_J *row = tj + i * FB_E;
        PT(msm_jdbl)(&d2, &bi);
        row[0] = bi;
        for (size_t j = 1; j < FB_E; j++)
            PT(msm_jadd)(&row[j], &row[j - 1], &d2);
        for (unsigned s = 0; s < FB_W; s++)
            PT(msm_jdbl)(&bi, &bi);
    }
    PT(j_batch_to_a)(tab, tj, nt, scratch);

    PT(fb_ctx) cx = {tab, k, out, n, zk_pool_meter(pool), units};
    int rc = zk_pool_run(pool, (n + MSM_FB_BLOCK - 1) / MSM_FB_BLOCK, PT(fb_task), &cx);
    free(mem);
    return rc;
}

#undef FB_M
#undef FB_E
