#!/usr/bin/env node
// groth16-fixtures.mjs -- circom/snarkjs fixtures for the Groth16 interop
// tests (groth16.test.mjs) and the prover benchmark
// (bench/groth16-vs-snarkjs.sh), built with the pinned npm packages and
// cached so that a second run costs a few stat() calls.
//
// As a module:
//   const fx = await groth16Fixtures({ log });
//   fx.ptau, fx.ptauRaw, fx.power, fx.circuits.tiny.{r1cs, wasm, wtns, zkey, ...}
//
// As a program (the benchmark uses it):
//   node groth16-fixtures.mjs chain DIR STEPS PTAU
//     compile a Poseidon chain of STEPS steps into DIR, compute its witness,
//     make the snarkjs key (setup + one contribution) from PTAU, a prepared
//     ptau (written first, as a test ptau of the circuit's power, when the
//     file does not exist), print the fixture as one JSON line on stdout:
//     { zkey, wtns, vk, r1cs, nConstraints, domainSize, ... }.
//   node groth16-fixtures.mjs ptau POWER OUT.ptau [OUT_RAW.ptau]
//     write a test ptau (see makeTestPtau) of 2^POWER.
//   node groth16-fixtures.mjs build
//     build (or find) the interop test fixtures; print their directory.
//
// What is built, per circuit of circuits/*.circom (CIRCUITS below):
//   circuit.r1cs, circuit.wasm       circom2 (a WASM build of circom 2.2.3)
//   input.json, witness.wtns         snarkjs wtns calculate
//   setup.zkey                       snarkjs groth16 setup (zkey new): no
//                                    contribution yet, deterministic
//   circuit.zkey                     setup.zkey + one snarkjs contribution
//   vk.json                          snarkjs zkey export verificationkey
//   proof0/1.json, public0/1.json    two snarkjs proofs of the same witness
//   plonk_proof.json, plonk_public.json   (tiny only) a PLONK proof
//   info.json                        r1cs header numbers, domain size
//
// The powers of tau.  `snarkjs powersoftau prepare phase2` computes the
// Lagrange sections by group FFTs and takes about 7 minutes for 2^14 on two
// busy cores, so by default the fixtures use a test ptau written here
// (makeTestPtau): tau, alpha and beta are fresh random scalars, the points
// are k*G for the scalars k that a ceremony with those secrets gives, and the
// Lagrange sections are the same inverse FFTs snarkjs computes, done on the
// scalars.  The file is byte for byte what `powersoftau prepare phase2` makes
// of the matching unprepared file (groth16.test.mjs checks this at a small
// power); it only has no contribution record (section 7 counts 0), which no
// Groth16 or PLONK setup reads.  The secrets are dropped when the file is
// written; a test ptau is of course for tests only.
// Environment:
//   ZKPAR_INTEROP_CACHE   cache folder (default: $ZKPAR_BUILDDIR/tests/
//                         interop-cache, else <tmpdir>/zkpar-interop-cache-UID)
//   ZKPAR_INTEROP_PTAU    'snarkjs': make the ptau with the snarkjs ceremony
//                         commands instead (new, contribute, prepare phase2;
//                         slow, cached); or the path of a prepared ptau to use
//                         as is (e.g. a Hermez powersOfTau28_hez_final_NN.ptau).
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync,
  statSync, writeFileSync, copyFileSync, openSync, readSync, writeSync, closeSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
const nodeModules = join(here, 'node_modules');
const circuitsDir = join(here, 'circuits');

/* Bumped whenever the fixtures' recipe changes in a way the hashed inputs
 * below do not see. */
const RECIPE = 'zkpar-groth16-fixtures-1';
const PTAU_RECIPE = 'zkpar-test-ptau-1';

/* r of BN254 (the scalar field), q (the base field). */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

// Inputs are fixed so that the fixtures are reproducible (proofs are not:
// snarkjs draws its blinding and contributions at random).
export const CIRCUITS = [
  {
    name: 'tiny',
    file: 'tiny.circom',
    input: { a: '3', b: '11', c: '5' },
    what: 'tiny (public outputs and inputs)',
  },
  {
    name: 'nopublic',
    file: 'nopublic.circom',
    // x = 7: h = 7^5 + 7
    input: { x: '7', h: String(7n ** 5n + 7n) },
    what: 'no public signal',
  },
  {
    name: 'many_public',
    file: 'many_public.circom',
    input: {
      in: Array.from({ length: 20 }, (_, i) => String(1000003n * BigInt(i + 1) + 17n)),
      k: '123456789',
    },
    what: '20 public inputs',
  },
  {
    name: 'poseidon_chain',
    file: 'poseidon_chain.circom',
    input: { x: '42', salt: '2024' },
    what: 'Poseidon chain, 2^14 domain',
  },
];

// ---------------------------------------------------------------- helpers

let snarkjsPromise = null;
/** The pinned snarkjs (ESM entry point, imported by path). */
export function snarkjs() {
  if (snarkjsPromise === null)
    snarkjsPromise = import(pathToFileURL(join(nodeModules, 'snarkjs', 'main.js')).href);
  return snarkjsPromise;
}

/** The bn128 curve of ffjavascript (snarkjs's engine); shared, with workers. */
export async function curve() {
  const s = await snarkjs();
  return s.curves.getCurveFromName('bn128');
}

/** Stop ffjavascript's worker threads so that the process can exit. */
export async function terminateCurve() {
  if (globalThis.curve_bn128) await globalThis.curve_bn128.terminate();
}

/* The version of a package as snarkjs resolves it (snarkjs 0.7.6 has its
 * own nested ffjavascript 0.3.1 beside the top-level 0.2.63). */
function pkgVersion(name) {
  for (const dir of [join(nodeModules, 'snarkjs', 'node_modules'), nodeModules]) {
    const f = join(dir, name, 'package.json');
    if (existsSync(f)) return JSON.parse(readFileSync(f, 'utf8')).version;
  }
  return null;
}

/** Versions of everything that shapes the fixtures; part of every cache key. */
export function versions() {
  const v = { node: process.versions.node.split('.')[0] };
  for (const p of ['snarkjs', 'circom2', 'circomlib', 'ffjavascript', 'wasmcurves',
    'circom_runtime', '@iden3/binfileutils', 'r1csfile'])
    v[p] = pkgVersion(p);
  return v;
}

function sha256(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? p : JSON.stringify(p)).update('\0');
  return h.digest('hex');
}

function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.name.endsWith('.circom')) out.push(p);
  }
  return out;
}

export function cacheRoot() {
  if (process.env.ZKPAR_INTEROP_CACHE) return resolve(process.env.ZKPAR_INTEROP_CACHE);
  if (process.env.ZKPAR_BUILDDIR)
    return join(resolve(process.env.ZKPAR_BUILDDIR), 'tests', 'interop-cache');
  let uid = 'user';
  try { uid = String(userInfo().uid); } catch { /* no passwd entry */ }
  return join(tmpdir(), `zkpar-interop-cache-${uid}`);
}

/*
 * The cache entry `name` under root: built into a fresh temporary folder by
 * build(dir) and renamed into place, so that an entry is either complete or
 * absent, and two runs racing build it twice but never see half of it.
 */
async function cached(root, name, build, log) {
  const final = join(root, name);
  if (existsSync(join(final, '.complete'))) return final;
  mkdirSync(root, { recursive: true });
  const tmp = mkdtempSync(join(root, `.tmp-${name}-`));
  const t = Date.now();
  try {
    await build(tmp);
    writeFileSync(join(tmp, '.complete'), new Date().toISOString() + '\n');
    try {
      renameSync(tmp, final);
    } catch (e) {
      // Someone else finished first (ENOTEMPTY/EEXIST), or a stale
      // incomplete entry is in the way.
      if (existsSync(join(final, '.complete'))) {
        rmSync(tmp, { recursive: true, force: true });
      } else {
        rmSync(final, { recursive: true, force: true });
        renameSync(tmp, final);
      }
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  log(`built ${name} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return final;
}

// ---------------------------------------------------------------- circom

/**
 * Compile src (a .circom file) with the pinned circom2 into outDir as
 * <outDir>/circuit.r1cs and <outDir>/circuit.wasm.  circom2 runs under WASI
 * with the parent folders of its working directory preopened, and resolves
 * `include` and -l only below the working directory, so it runs in
 * tests/interop with -l node_modules (circomlib) -l circuits (circuits/lib).
 */
export function compileCircuit(src, outDir, { optimize = null } = {}) {
  const work = mkdtempSync(join(outDir, '.circom-'));
  const args = [join(nodeModules, 'circom2', 'cli.js'), resolve(src), '--r1cs', '--wasm',
    '-o', work, '-l', 'node_modules', '-l', 'circuits'];
  if (optimize) args.push(`--${optimize}`);
  const r = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8', maxBuffer: 64 << 20 });
  const base = src.replace(/^.*\//, '').replace(/\.circom$/, '');
  const r1cs = join(work, `${base}.r1cs`), wasm = join(work, `${base}_js`, `${base}.wasm`);
  if (r.status !== 0 || !existsSync(r1cs) || !existsSync(wasm)) {
    throw new Error(`circom2 failed on ${src} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  renameSync(r1cs, join(outDir, 'circuit.r1cs'));
  renameSync(wasm, join(outDir, 'circuit.wasm'));
  rmSync(work, { recursive: true, force: true });
  return { r1cs: join(outDir, 'circuit.r1cs'), wasm: join(outDir, 'circuit.wasm'), log: r.stdout };
}

/* The sections of an iden3 binary container: Map id -> [{ p, size }]. */
export function binSections(buf, magic) {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== magic)
    throw new Error(`not a ${magic} file`);
  const n = buf.readUInt32LE(8);
  const s = new Map();
  let p = 12;
  for (let i = 0; i < n; i++) {
    const id = buf.readUInt32LE(p);
    const size = Number(buf.readBigUInt64LE(p + 4));
    if (!s.has(id)) s.set(id, []);
    s.get(id).push({ p: p + 12, size });
    p += 12 + size;
  }
  return s;
}

function readLE(buf, off, n) {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[off + i]);
  return v;
}

/** The header numbers of a .r1cs file, and the Groth16 domain snarkjs uses. */
export function r1csInfo(file) {
  const buf = readFileSync(file);
  const h = binSections(buf, 'r1cs').get(1)[0].p;
  const n8 = buf.readUInt32LE(h);
  const prime = readLE(buf, h + 4, n8);
  let o = h + 4 + n8;
  const nVars = buf.readUInt32LE(o), nOutputs = buf.readUInt32LE(o + 4);
  const nPubInputs = buf.readUInt32LE(o + 8), nPrvInputs = buf.readUInt32LE(o + 12);
  const nConstraints = buf.readUInt32LE(o + 24);
  // zkey_new.js: cirPower = log2(nConstraints + nPubInputs + nOutputs) + 1,
  // log2 rounding down: the domain holds the constraints plus one row per
  // public input (and the constant one).
  const cirPower = Math.floor(Math.log2(nConstraints + nPubInputs + nOutputs)) + 1;
  return {
    prime: prime.toString(), nVars, nOutputs, nPubInputs, nPrvInputs, nConstraints,
    nPublic: nOutputs + nPubInputs, cirPower, domainSize: 2 ** cirPower,
  };
}

/** The power of a .ptau file and whether it is prepared for phase 2. */
export function ptauInfo(file) {
  const fd = openSync(file, 'r');
  try {
    // the header section comes first in every snarkjs ptau
    const head = Buffer.alloc(4096);
    const b = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    if (b.toString('latin1', 0, 4) !== 'ptau') throw new Error(`${file}: not a ptau file`);
    const p = 12 + 12; // container header, section 1 header
    const n8 = b.readUInt32LE(p);
    const power = b.readUInt32LE(p + 4 + n8);
    const nSections = b.readUInt32LE(8);
    return { power, prepared: nSections >= 11 };
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------- ptau

/*
 * An iden3 container written section by section with positioned writes.
 */
class BinWriter {
  constructor(file, magic, nSections) {
    this.fd = openSync(file, 'w');
    const h = Buffer.alloc(12);
    h.write(magic, 0, 'latin1');
    h.writeUInt32LE(1, 4);
    h.writeUInt32LE(nSections, 8);
    writeSync(this.fd, h);
  }
  section(id, chunks) {
    let size = 0;
    for (const c of chunks) size += c.byteLength;
    const h = Buffer.alloc(12);
    h.writeUInt32LE(id, 0);
    h.writeBigUInt64LE(BigInt(size), 4);
    writeSync(this.fd, h);
    for (const c of chunks) writeSync(this.fd, c);
  }
  close() { closeSync(this.fd); }
}

/*
 * A test powers-of-tau file of 2^power, prepared for phase 2 (outPrepared),
 * and optionally the same ceremony before `prepare phase2` (outRaw).
 *
 * Section layout (snarkjs powersoftau_new.js / preparephase2.js):
 *   1 header: n8, q, power, ceremonyPower
 *   2 tau^i G1, i < 2^(power+1) - 1     3 tau^i G2, i < 2^power
 *   4 alpha tau^i G1, i < 2^power       5 beta tau^i G1, i < 2^power
 *   6 beta G2                           7 contributions (count 0 here)
 *  12..15 for k = 0..power (and power+1 for section 12): the inverse FFT of
 *     size 2^k of the first 2^k points of sections 2..5 (section 12 at
 *     power+1 uses the 2^(power+1) - 1 points of section 2 and the point at
 *     infinity).  The inverse FFT is linear, so these are k_i*G for the
 *     inverse FFT k of the scalars, which is how they are computed here.
 * Points are affine, in ffjavascript's Montgomery little-endian form.
 */
export async function makeTestPtau(power, outPrepared, outRaw = null, log = () => {}) {
  const c = await curve();
  const { Fr, G1, G2 } = c;
  const rnd = () => Fr.e(BigInt('0x' + randomBytes(64).toString('hex')) % R);
  const tau = rnd(), alpha = rnd(), beta = rnd();
  const n = 2 ** power;
  const t0 = Date.now();
  const fb1 = await fixedBase(G1, Fr), fb2 = await fixedBase(G2, Fr);

  // Powers of tau as Fr elements (Montgomery form) in one buffer.
  const nTau = 2 * n - 1;
  const pow = new Uint8Array(2 * n * Fr.n8);
  let acc = Fr.one;
  for (let i = 0; i < nTau; i++) {
    pow.set(acc, i * Fr.n8);
    acc = Fr.mul(acc, tau);
  }
  const powers = (count) => pow.subarray(0, count * Fr.n8);

  const s2 = await fb1.mul(powers(nTau));
  const s3 = await fb2.mul(powers(n));
  const s4 = await fb1.mul(powers(n), alpha);
  const s5 = await fb1.mul(powers(n), beta);
  const s6 = await fb2.mul(Fr.one, beta);
  log(`ptau 2^${power}: powers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const header = Buffer.alloc(4 + 32 + 8);
  header.writeUInt32LE(32, 0);
  bigToLE(Q, 32).copy(header, 4);
  header.writeUInt32LE(power, 36);
  header.writeUInt32LE(power, 40);
  const contributions = Buffer.alloc(4); // 0 contributions

  if (outRaw) {
    const w = new BinWriter(outRaw, 'ptau', 7);
    w.section(1, [header]);
    w.section(2, [s2]); w.section(3, [s3]); w.section(4, [s4]); w.section(5, [s5]);
    w.section(6, [s6]); w.section(7, [contributions]);
    w.close();
  }

  // Lagrange sections: for each level k the inverse FFT of the scalars.
  const lagrange = async (fb, factor, levels, lastZeroAt) => {
    const chunks = [];
    for (let k = 0; k <= levels; k++) {
      const m = 2 ** k;
      const v = new Uint8Array(m * Fr.n8);
      v.set(powers(m));
      if (k === lastZeroAt) v.fill(0, (m - 1) * Fr.n8); // the point at infinity
      chunks.push(await fb.mul(await Fr.ifft(v), factor));
    }
    return chunks;
  };
  const s12 = await lagrange(fb1, null, power + 1, power + 1);
  const s13 = await lagrange(fb2, null, power, -1);
  const s14 = await lagrange(fb1, alpha, power, -1);
  const s15 = await lagrange(fb1, beta, power, -1);
  for (const secret of [tau, alpha, beta, acc, pow]) secret.fill(0);

  const w = new BinWriter(outPrepared, 'ptau', 11);
  w.section(1, [header]);
  w.section(2, [s2]); w.section(3, [s3]); w.section(4, [s4]); w.section(5, [s5]);
  w.section(6, [s6]); w.section(7, [contributions]);
  w.section(12, s12); w.section(13, s13); w.section(14, s14); w.section(15, s15);
  w.close();
  log(`ptau 2^${power}: written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/*
 * Multiplications of the generator of G (ffjavascript's G1 or G2) by many
 * scalars: a table of d * 256^j * G (d < 256) so that one product costs at
 * most 32 mixed additions, done in place in the engine's WASM memory (the
 * curve's own scratch slots pOp1/pOp2 of ffjavascript 0.3), about eight
 * times faster than G.timesFr.  mul(scalars, factor) takes Fr elements
 * (Montgomery form) back to back and returns the affine points
 * factor * s_i * G back to back.
 */
async function fixedBase(G, Fr) {
  const sJ = G.F.n8 * 3, sA = G.F.n8 * 2;
  const nWin = Fr.n8; // one window per byte of the scalar
  const tables = [];
  let base = G.g;
  for (let j = 0; j < nWin; j++) {
    const jac = new Uint8Array(256 * sJ);
    jac.set(G.zero, 0);
    let p = base;
    for (let d = 1; d < 256; d++) {
      jac.set(p, d * sJ);
      p = G.add(p, base);
    }
    base = p; // 256 * base
    tables.push(await G.batchToAffine(jac));
  }
  const tm = G.tm;
  const addMixed = tm.instance.exports[G.prefix + '_addMixed'];
  const toJacobian = tm.instance.exports[G.prefix + '_toJacobian'];
  const { pOp1: pAcc, pOp2: pT } = G;
  const bytes = new Uint8Array(Fr.n8);
  return {
    async mul(scalars, factor = null) {
      const count = scalars.byteLength / Fr.n8;
      const out = new Uint8Array(count * sJ);
      for (let i = 0; i < count; i++) {
        let k = scalars.subarray(i * Fr.n8, (i + 1) * Fr.n8);
        if (factor) k = Fr.mul(k, factor);
        Fr.toRprLE(bytes, 0, k);
        let first = true;
        for (let j = 0; j < nWin; j++) {
          const d = bytes[j];
          if (d === 0) continue;
          tm.u8.set(tables[j].subarray(d * sA, (d + 1) * sA), pT);
          if (first) toJacobian(pT, pAcc);
          else addMixed(pAcc, pT, pAcc);
          first = false;
        }
        if (first) out.set(G.zero, i * sJ);
        else out.set(tm.u8.subarray(pAcc, pAcc + sJ), i * sJ);
      }
      bytes.fill(0);
      return G.batchToAffine(out);
    },
  };
}

function bigToLE(v, n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) { b[i] = Number(v & 0xffn); v >>= 8n; }
  return b;
}

/* The ptau of a snarkjs ceremony: new, one contribution, prepare phase2. */
async function makeSnarkjsPtau(power, outPrepared, outRaw, log) {
  const s = await snarkjs();
  const c = await curve();
  const dir = dirname(outPrepared);
  const p0 = join(dir, 'pot_0000.ptau');
  await s.powersOfTau.newAccumulator(c, power, p0);
  await s.powersOfTau.contribute(p0, outRaw, 'zkpar interop', randomBytes(32).toString('hex'));
  rmSync(p0);
  log(`ptau 2^${power}: snarkjs prepare phase2 (slow) ...`);
  await s.powersOfTau.preparePhase2(outRaw, outPrepared);
}

/**
 * A prepared ptau of at least 2^power, and its unprepared form where there
 * is one: { ptau, ptauRaw, power, id }.
 */
export async function getPtau(power, { root = cacheRoot(), log = () => {} } = {}) {
  const mode = process.env.ZKPAR_INTEROP_PTAU ?? '';
  if (mode && mode !== 'snarkjs') {
    const file = resolve(mode);
    const info = ptauInfo(file);
    if (!info.prepared) throw new Error(`ZKPAR_INTEROP_PTAU=${file}: not prepared for phase 2`);
    if (info.power < power)
      throw new Error(`ZKPAR_INTEROP_PTAU=${file}: 2^${info.power} is too small, 2^${power} needed`);
    const st = statSync(file);
    return { ptau: file, ptauRaw: null, power: info.power, id: sha256(file, st.size, st.mtimeMs) };
  }
  const kind = mode === 'snarkjs' ? 'snarkjs' : 'test';
  const key = sha256(PTAU_RECIPE, kind, versions().snarkjs, versions().ffjavascript).slice(0, 12);
  const dir = await cached(root, `ptau-${kind}-p${power}-${key}`, async (d) => {
    if (kind === 'snarkjs') await makeSnarkjsPtau(power, join(d, 'pot.ptau'), join(d, 'pot_raw.ptau'), log);
    else await makeTestPtau(power, join(d, 'pot.ptau'), join(d, 'pot_raw.ptau'), log);
    writeFileSync(join(d, 'id'), randomBytes(16).toString('hex') + '\n');
  }, log);
  return {
    ptau: join(dir, 'pot.ptau'), ptauRaw: join(dir, 'pot_raw.ptau'), power,
    id: readFileSync(join(dir, 'id'), 'utf8').trim(),
  };
}

// ---------------------------------------------------------------- keys

/** snarkjs: witness, setup, one contribution, vk and n proofs in dir. */
export async function snarkjsKeyAndProofs(dir, { r1cs, wasm, input, ptau, nProofs = 2, plonk = false }) {
  const s = await snarkjs();
  writeFileSync(join(dir, 'input.json'), JSON.stringify(input) + '\n');
  const wtns = join(dir, 'witness.wtns');
  await s.wtns.calculate(input, wasm, wtns);
  const setup = join(dir, 'setup.zkey'), zkey = join(dir, 'circuit.zkey');
  const csHash = await s.zKey.newZKey(r1cs, ptau, setup);
  if (!(csHash instanceof Uint8Array)) throw new Error(`snarkjs groth16 setup failed for ${r1cs}`);
  await s.zKey.contribute(setup, zkey, 'zkpar interop', randomBytes(32).toString('hex'));
  const vk = await s.zKey.exportVerificationKey(zkey);
  writeFileSync(join(dir, 'vk.json'), JSON.stringify(vk, null, 1) + '\n');
  for (let i = 0; i < nProofs; i++) {
    const { proof, publicSignals } = await s.groth16.prove(zkey, wtns);
    if (!(await s.groth16.verify(vk, publicSignals, proof)))
      throw new Error(`snarkjs does not verify its own proof for ${r1cs}`);
    writeFileSync(join(dir, `proof${i}.json`), JSON.stringify(proof, null, 1) + '\n');
    writeFileSync(join(dir, `public${i}.json`), JSON.stringify(publicSignals, null, 1) + '\n');
  }
  if (plonk) {
    const pz = join(dir, 'plonk.zkey');
    await s.plonk.setup(r1cs, ptau, pz);
    const { proof, publicSignals } = await s.plonk.prove(pz, wtns);
    writeFileSync(join(dir, 'plonk_proof.json'), JSON.stringify(proof, null, 1) + '\n');
    writeFileSync(join(dir, 'plonk_public.json'), JSON.stringify(publicSignals, null, 1) + '\n');
    rmSync(pz);
  }
  return { wtns, setup, zkey, vk: join(dir, 'vk.json') };
}

/**
 * The interop test fixtures (built or found in the cache).  Returns
 * { root, dir, ptau, ptauRaw, power, circuits: { NAME: {...} }, seconds }.
 */
export async function groth16Fixtures({ log = () => {} } = {}) {
  const t0 = Date.now();
  const root = cacheRoot();
  const vers = versions();
  const self = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const sources = filesUnder(circuitsDir).map((f) => [relative(circuitsDir, f), readFileSync(f, 'utf8')]);

  // 1. circom: every circuit, one cache entry.
  const compiledKey = sha256(RECIPE, vers.circom2, vers.circomlib, sources, CIRCUITS).slice(0, 12);
  const compiled = await cached(root, `circom-${compiledKey}`, async (d) => {
    for (const c of CIRCUITS) {
      const out = join(d, c.name);
      mkdirSync(out);
      compileCircuit(join(circuitsDir, c.file), out);
      writeFileSync(join(out, 'info.json'), JSON.stringify(r1csInfo(join(out, 'circuit.r1cs'))) + '\n');
    }
  }, log);
  const infos = Object.fromEntries(CIRCUITS.map((c) =>
    [c.name, JSON.parse(readFileSync(join(compiled, c.name, 'info.json'), 'utf8'))]));

  // 2. the ptau, of the largest circuit's domain.
  const power = Math.max(...Object.values(infos).map((i) => i.cirPower));
  const pt = await getPtau(power, { root, log });

  // 3. snarkjs: witnesses, keys, proofs.
  const keysKey = sha256(RECIPE, vers, self, compiled, pt.id).slice(0, 12);
  const dir = await cached(root, `groth16-${keysKey}`, async (d) => {
    for (const c of CIRCUITS) {
      const out = join(d, c.name);
      mkdirSync(out);
      copyFileSync(join(compiled, c.name, 'circuit.r1cs'), join(out, 'circuit.r1cs'));
      copyFileSync(join(compiled, c.name, 'circuit.wasm'), join(out, 'circuit.wasm'));
      copyFileSync(join(compiled, c.name, 'info.json'), join(out, 'info.json'));
      const t = Date.now();
      await snarkjsKeyAndProofs(out, {
        r1cs: join(out, 'circuit.r1cs'), wasm: join(out, 'circuit.wasm'), input: c.input,
        ptau: pt.ptau, plonk: c.name === 'tiny',
      });
      log(`${c.name}: snarkjs key and proofs in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  }, log);

  const circuits = {};
  for (const c of CIRCUITS) {
    const d = join(dir, c.name);
    circuits[c.name] = {
      ...c,
      dir: d,
      info: infos[c.name],
      r1cs: join(d, 'circuit.r1cs'),
      wasm: join(d, 'circuit.wasm'),
      wtns: join(d, 'witness.wtns'),
      setupZkey: join(d, 'setup.zkey'),
      zkey: join(d, 'circuit.zkey'),
      vk: join(d, 'vk.json'),
      proofs: [0, 1].map((i) => ({ proof: join(d, `proof${i}.json`), public: join(d, `public${i}.json`) })),
      plonkProof: c.name === 'tiny' ? join(d, 'plonk_proof.json') : null,
    };
  }
  return {
    root, dir, ptau: pt.ptau, ptauRaw: pt.ptauRaw, power, circuits,
    seconds: (Date.now() - t0) / 1000,
  };
}

// ---------------------------------------------------------------- bench

/** Source of a Poseidon chain main component of `steps` steps. */
export function chainSource(steps) {
  return 'pragma circom 2.0.0;\n\ninclude "lib/poseidon_chain.circom";\n\n' +
    `component main {public [salt]} = PoseidonChain(${steps});\n`;
}

/*
 * The benchmark fixture: a Poseidon chain of `steps` steps in dir, its
 * witness and snarkjs key.  ptauFile: a prepared ptau to use; when it does
 * not exist, a test ptau of the circuit's power is written there first (and
 * reused by later runs).  Kept in dir/fixture.json and reused while the
 * inputs are the same.
 */
async function benchChain(dir, steps, ptauFile, log) {
  mkdirSync(dir, { recursive: true });
  dir = resolve(dir);
  ptauFile = resolve(ptauFile);
  const stamp = join(dir, 'fixture.json');
  const ptauStat = () => { const st = statSync(ptauFile); return `${st.size}:${st.mtimeMs}`; };
  const key = sha256(RECIPE, versions(), chainSource(steps),
    readFileSync(join(circuitsDir, 'lib', 'poseidon_chain.circom'), 'utf8'), ptauFile);
  if (existsSync(stamp) && existsSync(ptauFile)) {
    const f = JSON.parse(readFileSync(stamp, 'utf8'));
    if (f.key === key && f.ptauStat === ptauStat() && existsSync(f.zkey) && existsSync(f.wtns)) {
      log(`reusing ${stamp}`);
      return f;
    }
  }
  const src = join(dir, `chain${steps}.circom`);
  writeFileSync(src, chainSource(steps));
  let t = Date.now();
  const { r1cs, wasm } = compileCircuit(src, dir);
  const info = r1csInfo(r1cs);
  log(`circom2: ${info.nConstraints} constraints, domain 2^${info.cirPower} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  if (!existsSync(ptauFile)) {
    t = Date.now();
    mkdirSync(dirname(ptauFile), { recursive: true });
    await makeTestPtau(info.cirPower, ptauFile + '.tmp', null, log);
    renameSync(ptauFile + '.tmp', ptauFile);
    log(`test ptau 2^${info.cirPower} in ${((Date.now() - t) / 1000).toFixed(1)} s: ${ptauFile}`);
  }
  const pi = ptauInfo(ptauFile);
  if (!pi.prepared || pi.power < info.cirPower) {
    throw new Error(`${ptauFile}: need a ptau prepared for phase 2 of at least 2^${info.cirPower}` +
      ` (it is 2^${pi.power}${pi.prepared ? '' : ', not prepared'})`);
  }
  t = Date.now();
  const input = { x: '42', salt: '2024' };
  const k = await snarkjsKeyAndProofs(dir, { r1cs, wasm, input, ptau: ptauFile, nProofs: 0 });
  log(`snarkjs witness, setup and contribution in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const f = { key, steps, ptau: ptauFile, ptauStat: ptauStat(), r1cs, wasm, ...k, ...info };
  writeFileSync(stamp, JSON.stringify(f) + '\n');
  return f;
}

// ---------------------------------------------------------------- main

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const log = (m) => process.stderr.write(`groth16-fixtures: ${m}\n`);
  const [cmd, ...rest] = process.argv.slice(2);
  let status = 0;
  try {
    if (cmd === 'chain' && rest.length === 3 && /^\d+$/.test(rest[1])) {
      const f = await benchChain(rest[0], Number(rest[1]), rest[2], log);
      process.stdout.write(JSON.stringify(f) + '\n');
    } else if (cmd === 'ptau' && rest.length >= 2 && /^\d+$/.test(rest[0])) {
      await makeTestPtau(Number(rest[0]), rest[1], rest[2] || null, log);
    } else if (cmd === 'build' && rest.length === 0) {
      const fx = await groth16Fixtures({ log });
      log(`ready in ${fx.seconds.toFixed(1)} s`);
      process.stdout.write(fx.dir + '\n');
    } else {
      process.stderr.write('usage: node groth16-fixtures.mjs build\n' +
        '       node groth16-fixtures.mjs chain DIR STEPS PTAU\n' +
        '       node groth16-fixtures.mjs ptau POWER OUT.ptau [OUT_RAW.ptau]\n');
      status = 2;
    }
  } catch (e) {
    process.stderr.write(`groth16-fixtures: ${e.stack || e}\n`);
    status = 1;
  }
  await terminateCurve();
  process.exit(status);
}
