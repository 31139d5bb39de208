#!/usr/bin/env node
/*
 * bench_ffjs.mjs -- the zkpar benchmarks measured with ffjavascript, the
 * arithmetic engine of snarkjs (BN254 wasm code from wasmcurves), so zkpar's
 * figures can be shown next to snarkjs's on the same inputs and machine.
 *
 *   node bench/bench_ffjs.mjs [--quick]
 *
 * One JSON object per line on stdout, in the shapes zkpar's own benchmarks
 * print, plus "impl":"ffjavascript" and its "version":
 *   {"bench":"fp_mul","threads":1,"ns_per_op":X,...}   fp_mul fr_mul fp_sqr fp_add fp_inv
 *                                                      g1_add g1_add_mixed g1_dbl g2_add g2_dbl
 *   {"bench":"pairing","n":1,"threads":1,"ms":X,...}   also miller_loop, final_exp
 *   {"bench":"multi_pairing","n":4,"threads":T,"ms":X,...}
 *   {"bench":"msm_g1","n":N,"threads":T,"ms":X,"runs":R,...}   N = 2^16, 2^20
 *   {"bench":"msm_g2","n":N,"threads":T,"ms":X,"runs":R,...}   N = 2^16
 *   {"bench":"ntt","n":N,"threads":T,"ms":X,"runs":R,...}      N = 2^16, 2^20
 * Each figure is the best of several runs (R of them where printed): best
 * of 5+ for runs under a second, of 3 for longer ones, and a single run
 * when one takes over 10 s (the 2^20 G1 MSM on this kind of machine).
 * --quick leaves out the 2^20 sizes.  Notes go to stderr.
 *
 * threads=1 is buildBn128(true): all wasm runs on the calling thread.
 * threads=T>1 is buildBn128(false), the default snarkjs uses: T web workers,
 * one per CPU (os.cpus().length), while the main thread splits the work,
 * copies buffers in and out and combines the partial results in JS.
 *
 * Single operations (ns_per_op) call the wasm exports (f1m_mul, g1m_add, ...)
 * directly on pointers into wasm memory, chained (a = a * b) as zkpar's
 * bench_field does; a JS-to-wasm call costs a few ns on top of each.  The
 * public F1.mul API (copying 32-byte buffers in and out) is reported on
 * stderr for reference.  Pairings, MSM and FFT go through the public API
 * snarkjs uses: curve.pairing, millerLoop/finalExponentiation, pairingEq,
 * G1/G2.multiExpAffine, Fr.fft.
 *
 * ffjavascript is loaded from tests/interop/node_modules, as snarkjs itself
 * resolves it (snarkjs 0.7.6 carries its own nested copy); set FFJS_DIR to a
 * package directory to use another copy.
 */
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const INTEROP = path.resolve(HERE, "..", "tests", "interop");

const args = process.argv.slice(2);
if (args.some((a) => a === "-h" || a === "--help")) {
    process.stdout.write("usage: node bench/bench_ffjs.mjs [--quick]\n");
    process.exit(0);
}
for (const a of args) {
    if (a !== "--quick") {
        process.stderr.write(`bench_ffjs: unknown argument ${a}\nusage: node bench/bench_ffjs.mjs [--quick]\n`);
        process.exit(2);
    }
}
const QUICK = args.includes("--quick");
/* A single MSM/FFT run longer than this is not repeated (keeps the default
 * run within a few minutes on a 2-core machine). */
const ONCE_ABOVE_MS = 10000;

/* ---------- locate and load ffjavascript ---------- */

function packageRoot(file) {
    let dir = path.dirname(file);
    for (;;) {
        const pj = path.join(dir, "package.json");
        if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, "utf8")).name === "ffjavascript") return dir;
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`no ffjavascript package.json above ${file}`);
        dir = up;
    }
}

function findFfjs() {
    if (process.env.FFJS_DIR) return path.resolve(process.env.FFJS_DIR);
    /* As snarkjs resolves it first, then the top-level copy. */
    const from = [path.join(INTEROP, "node_modules", "snarkjs", "package.json"), path.join(INTEROP, "package.json")];
    for (const f of from) {
        if (!fs.existsSync(f)) continue;
        try {
            return packageRoot(createRequire(f).resolve("ffjavascript"));
        } catch (e) {
            /* try the next one */
        }
    }
    throw new Error(`ffjavascript not found under ${INTEROP}/node_modules (run npm ci in tests/interop)`);
}

const FFJS_DIR = findFfjs();
const FFJS_PKG = JSON.parse(fs.readFileSync(path.join(FFJS_DIR, "package.json"), "utf8"));
const { buildBn128 } = await import(pathToFileURL(path.join(FFJS_DIR, FFJS_PKG.module || "main.js")).href);
const VERSION = FFJS_PKG.version;

function note(s) {
    process.stderr.write(`bench_ffjs: ${s}\n`);
}

function emit(obj) {
    process.stdout.write(JSON.stringify({ ...obj, impl: "ffjavascript", version: VERSION }) + "\n");
}

const round = (x, d) => Number(x.toFixed(d));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/* ---------- random inputs ---------- */

/* Uniform-ish scalars below r, 32 bytes little-endian each: the top byte is
 * kept below 0x30 (r = 0x3064...), so every value is < r and has ~254 bits. */
function randomScalars(n) {
    const buf = new Uint8Array(n * 32);
    for (let off = 0; off < buf.length; off += 1 << 16) {
        crypto.randomFillSync(buf, off, Math.min(1 << 16, buf.length - off));
    }
    for (let i = 31; i < buf.length; i += 32) buf[i] %= 0x30;
    return buf;
}

/* n affine points of group G (Montgomery form, as multiExpAffine expects):
 * point[i] = point[i - 1 - a] + seed[b], a, b < 16 random, seeds random
 * multiples of the generator; one wasm addition per point, then one batch
 * conversion to affine per chunk -- the same recipe as zkpar's bench_msm.
 * Runs in the main wasm instance of `curve`, chunk by chunk (its memory is
 * fixed at 1.6 MB). */
function makeBases(curve, gname, n) {
    const G = curve[gname];
    const tm = curve.tm;
    const ex = tm.instance.exports;
    const pre = gname === "G1" ? "g1m" : "g2m";
    const add = ex[pre + "_add"];
    const toAffine = ex[pre + "_batchToAffine"];
    const sJ = G.F.n8 * 3;
    const sA = G.F.n8 * 2;
    const chunk = gname === "G1" ? 4096 : 2048;
    const out = new Uint8Array(n * sA);

    tm.startSyncOp();
    try {
        const pSeed = tm.alloc(16 * sJ);
        const pBuf = tm.alloc((16 + chunk) * sJ); /* 16 carried points, then the chunk */
        if (pBuf + (16 + chunk) * sJ > tm.memory.buffer.byteLength) throw new Error("wasm memory too small");
        for (let s = 0; s < 16; s++) {
            const p = G.timesScalar(G.g, randomScalars(1));
            tm.setBuff(pSeed + s * sJ, p);
            tm.setBuff(pBuf + s * sJ, p);
        }
        for (let done = 0; done < n; done += chunk) {
            const m = Math.min(chunk, n - done);
            for (let i = 16; i < 16 + m; i++) {
                const a = (Math.random() * 16) | 0;
                const b = (Math.random() * 16) | 0;
                add(pBuf + (i - 1 - a) * sJ, pSeed + b * sJ, pBuf + i * sJ);
            }
            const u8 = new Uint8Array(tm.memory.buffer);
            /* carry the last 16 Jacobian points, then convert the chunk in place */
            u8.copyWithin(pBuf, pBuf + m * sJ, pBuf + (m + 16) * sJ);
            toAffine(pBuf + 16 * sJ, m, pBuf + 16 * sJ);
            out.set(u8.subarray(pBuf + 16 * sJ, pBuf + 16 * sJ + m * sA), done * sA);
        }
    } finally {
        tm.endSyncOp();
    }
    return out;
}

/* ---------- timing ---------- */

/* Best ns per op over 7 batches of `iters` (after one warm-up batch, which
 * also lets V8 tier the wasm code up from Liftoff to TurboFan). */
function bestNs(iters, loop) {
    loop(iters);
    let best = Infinity;
    for (let b = 0; b < 7; b++) {
        const t0 = process.hrtime.bigint();
        loop(iters);
        const t = Number(process.hrtime.bigint() - t0) / iters;
        if (t < best) best = t;
    }
    return best;
}

/* Best ms of fn(): at least minRuns, more while the total stays under
 * budgetMs (and below maxRuns); warm-up runs first if asked. */
async function bestMs(fn, { minRuns = 3, maxRuns = 50, budgetMs = 1000, warmup = 1 } = {}) {
    for (let i = 0; i < warmup; i++) await fn();
    let best = Infinity;
    let runs = 0;
    const start = nowMs();
    while (runs < minRuns || (runs < maxRuns && nowMs() - start < budgetMs)) {
        const t0 = nowMs();
        await fn();
        const t = nowMs() - t0;
        runs++;
        if (t < best) best = t;
    }
    return { ms: best, runs };
}

/* ---------- benchmarks ---------- */

function benchOps(curve) {
    const tm = curve.tm;
    const ex = tm.instance.exports;
    const F1 = curve.F1;
    const Fr = curve.Fr;
    const G1 = curve.G1;
    const G2 = curve.G2;
    const op = (name, ns) => emit({ bench: name, threads: 1, ns_per_op: round(ns, 1) });

    tm.startSyncOp();
    try {
        const pa = tm.allocBuff(F1.random());
        const pb = tm.allocBuff(F1.random());
        const px = tm.allocBuff(Fr.random());
        const py = tm.allocBuff(Fr.random());
        const fmul = ex.f1m_mul, rmul = ex.frm_mul, fsq = ex.f1m_square, fadd = ex.f1m_add, finv = ex.f1m_inverse;
        op("fp_mul", bestNs(1000000, (n) => { for (let i = 0; i < n; i++) fmul(pa, pb, pa); }));
        op("fr_mul", bestNs(1000000, (n) => { for (let i = 0; i < n; i++) rmul(px, py, px); }));
        op("fp_sqr", bestNs(1000000, (n) => { for (let i = 0; i < n; i++) fsq(pa, pa); }));
        op("fp_add", bestNs(1000000, (n) => { for (let i = 0; i < n; i++) fadd(pa, pb, pa); }));
        op("fp_inv", bestNs(2000, (n) => { for (let i = 0; i < n; i++) finv(pa, pa); }));

        /* A cheap export, to show what the JS-to-wasm call itself costs. */
        const pc = tm.alloc(32);
        const fcopy = ex.f1m_copy;
        const callNs = bestNs(1000000, (n) => { for (let i = 0; i < n; i++) fcopy(pa, pc); });
        /* The public API: F1.mul(a, b) copies both operands in and the result out. */
        let a = F1.random();
        const b = F1.random();
        const apiNs = bestNs(200000, (n) => { for (let i = 0; i < n; i++) a = F1.mul(a, b); });
        note(`fp_mul via the public F1.mul(a, b) API (buffers copied per call): ${apiNs.toFixed(1)} ns/op; ` +
             `a call to the trivial f1m_copy export: ${callNs.toFixed(1)} ns (upper bound on call overhead in the figures above)`);

        const pP = tm.allocBuff(G1.add(G1.double(G1.g), G1.g)); /* z != 1 */
        const pQ = tm.allocBuff(G1.double(G1.double(G1.g)));
        const pG = tm.allocBuff(G1.gAffine);
        const gadd = ex.g1m_add, gmix = ex.g1m_addMixed, gdbl = ex.g1m_double;
        op("g1_add", bestNs(200000, (n) => { for (let i = 0; i < n; i++) gadd(pP, pQ, pP); }));
        op("g1_add_mixed", bestNs(200000, (n) => { for (let i = 0; i < n; i++) gmix(pP, pG, pP); }));
        op("g1_dbl", bestNs(200000, (n) => { for (let i = 0; i < n; i++) gdbl(pP, pP); }));

        const pS = tm.allocBuff(G2.add(G2.double(G2.g), G2.g));
        const pT = tm.allocBuff(G2.double(G2.double(G2.g)));
        const hadd = ex.g2m_add, hdbl = ex.g2m_double;
        op("g2_add", bestNs(50000, (n) => { for (let i = 0; i < n; i++) hadd(pS, pT, pS); }));
        op("g2_dbl", bestNs(50000, (n) => { for (let i = 0; i < n; i++) hdbl(pS, pS); }));
    } finally {
        tm.endSyncOp();
    }
}

async function benchPairings(st, mt) {
    const G1 = st.G1;
    const G2 = st.G2;
    const ps = [];
    const qs = [];
    for (let i = 0; i < 4; i++) {
        const k = randomScalars(1);
        ps.push(G1.toAffine(G1.timesScalar(G1.g, k)));
        qs.push(G2.toAffine(G2.timesScalar(G2.g, k)));
    }
    /* sanity: e(kP, Q) == e(P, kQ) */
    const k = randomScalars(1);
    if (!st.F12.eq(st.pairing(G1.toAffine(G1.timesScalar(ps[0], k)), qs[0]),
                   st.pairing(ps[0], G2.toAffine(G2.timesScalar(qs[0], k))))) {
        throw new Error("pairing sanity check failed");
    }

    const msOf = (f, iters) => bestNs(iters, (n) => { for (let i = 0; i < n; i++) f(); }) / 1e6;
    emit({ bench: "pairing", n: 1, threads: 1, ms: round(msOf(() => st.pairing(ps[0], qs[0]), 20), 3) });
    /* Miller loop as zkpar times it: with the line coefficients, i.e.
     * prepareG1 + prepareG2 + millerLoop. */
    const pj = G1.toJacobian(ps[0]);
    const qj = G2.toJacobian(qs[0]);
    const ml = () => st.millerLoop(st.prepareG1(pj), st.prepareG2(qj));
    emit({ bench: "miller_loop", n: 1, threads: 1, ms: round(msOf(ml, 20), 3) });
    const f = ml();
    emit({ bench: "final_exp", n: 1, threads: 1, ms: round(msOf(() => st.finalExponentiation(f), 20), 3) });

    /* pairingEq(P1, Q1, ..., P4, Q4): 4 Miller loops (in parallel across
     * workers when multi-threaded), their product, one final exponentiation
     * and a comparison with 1 -- the call snarkjs's groth16 verifier makes. */
    const pairs = [];
    for (let i = 0; i < 4; i++) pairs.push(ps[i], qs[i]);
    for (const c of [st, mt]) {
        if (!c) continue;
        const r = await bestMs(() => c.pairingEq(...pairs), { minRuns: 10, budgetMs: 1000, warmup: 3 });
        emit({ bench: "multi_pairing", n: 4, threads: c.tm.concurrency, ms: round(r.ms, 3) });
    }
}

/* Runs for MSM and FFT.  The first run counts.  Runs under a second: best
 * of at least 5 (the first one being a warm-up) and ~1.5 s; runs up to
 * `onceAboveMs`: best of 3; longer ones are measured once. */
async function timeBig(fn, onceAboveMs) {
    const t0 = nowMs();
    await fn();
    const first = nowMs() - t0;
    if (first > onceAboveMs) return { ms: first, runs: 1 };
    if (first > 1000) {
        const r = await bestMs(fn, { minRuns: 2, maxRuns: 2, budgetMs: 0, warmup: 0 });
        return { ms: Math.min(first, r.ms), runs: 3 };
    }
    return bestMs(fn, { minRuns: 5, maxRuns: 50, budgetMs: 1500, warmup: 0 });
}

async function benchMsm(curves, gname, logs) {
    const builder = curves[0];
    for (const lg of logs) {
        const n = 1 << lg;
        const t0 = nowMs();
        const bases = makeBases(builder, gname, n);
        const scalars = randomScalars(n);
        note(`${gname} n=2^${lg}: inputs made in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
        for (const c of curves) {
            const G = c[gname];
            /* sanity on a small prefix: multiExpAffine == sum of k_i * P_i */
            const m = 8;
            let want = G.zero;
            const sA = G.F.n8 * 2;
            for (let i = 0; i < m; i++) {
                want = G.add(want, G.timesScalar(bases.slice(i * sA, (i + 1) * sA), scalars.slice(i * 32, (i + 1) * 32)));
            }
            const got = await G.multiExpAffine(bases.slice(0, m * sA), scalars.slice(0, m * 32));
            if (!G.eq(got, want)) throw new Error(`${gname} multiExpAffine sanity check failed`);

            const r = await timeBig(() => G.multiExpAffine(bases, scalars), ONCE_ABOVE_MS);
            emit({ bench: gname === "G1" ? "msm_g1" : "msm_g2", n, threads: c.tm.concurrency, ms: round(r.ms, 1), runs: r.runs });
        }
    }
}

async function benchNtt(curves, logs) {
    for (const lg of logs) {
        const n = 1 << lg;
        /* random elements (Montgomery form: any value below r will do) */
        const buff = randomScalars(n);
        for (const c of curves) {
            const r = await timeBig(() => c.Fr.fft(buff), ONCE_ABOVE_MS);
            emit({ bench: "ntt", n, threads: c.tm.concurrency, ms: round(r.ms, 2), runs: r.runs });
        }
    }
}

/* ---------- main ---------- */

const tStart = nowMs();
note(`ffjavascript ${VERSION} from ${path.relative(process.cwd(), FFJS_DIR) || "."}; node ${process.version}; ` +
     `${os.cpus().length} CPUs (${os.cpus()[0] ? os.cpus()[0].model : "?"}); ` +
     `load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}${QUICK ? "; --quick" : ""}`);

const st = await buildBn128(true);
let mt = null;
try {
    mt = await buildBn128(false);
    if (mt.tm.concurrency <= 1) {
        note("multi-threaded curve has a single worker; reporting threads=1 only");
        await mt.terminate();
        mt = null;
    }
} catch (e) {
    note(`multi-threaded curve unavailable (${e.message}); reporting threads=1 only`);
    mt = null;
}
const curves = mt ? [st, mt] : [st];
if (mt) note(`multi-threaded mode: ${mt.tm.concurrency} web workers (os.cpus().length) plus the main thread`);

let status = 0;
try {
    benchOps(st);
    await benchPairings(st, mt);
    await benchMsm(curves, "G1", QUICK ? [16] : [16, 20]);
    await benchMsm(curves, "G2", [16]);
    await benchNtt(curves, QUICK ? [16] : [16, 20]);
} catch (e) {
    note(`failed: ${e.stack || e}`);
    status = 1;
} finally {
    if (mt) await mt.terminate();
}
note(`total ${((nowMs() - tStart) / 1000).toFixed(1)} s; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
process.exit(status);
