// groth16.test.mjs -- zk-prove, zk-verify and zk-setup against snarkjs on
// circom circuits (tests/interop/circuits): proofs, keys and verification
// keys cross-checked both ways, and bad inputs.
//
// Fixtures (groth16-fixtures.mjs) are built with the pinned circom2 and
// snarkjs and cached under $ZKPAR_BUILDDIR/tests/interop-cache; a cold build
// takes about a minute on two cores, a warm one a fraction of a second.
// The tools are taken from PATH (`make check-interop` puts tools/ first);
// a test that needs a tool that is not there fails and says so.
//
// Exit statuses (cli.h, zkpar(7)): 0 valid / done, 1 invalid (a proof that
// does not verify, content rejected: a point off the curve or outside its
// group, a public value >= r, a witness that does not satisfy), 2 usage or
// input that cannot be read or parsed.  Where the two readings are both
// defensible (a tampered proof coordinate, a public value >= r) either 1 or
// 2 passes; a proof that decodes but does not verify must give exactly 1,
// a broken verification key or file exactly 2.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  accessSync, constants as fsc, existsSync, mkdirSync, mkdtempSync, readFileSync,
  readdirSync, rmSync, writeFileSync, statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter, dirname } from 'node:path';
import { bn254 } from '@noble/curves/bn254.js';
import {
  CIRCUITS, Q, R, binSections, groth16Fixtures, makeTestPtau, snarkjs, terminateCurve,
} from './groth16-fixtures.mjs';

const OK = 0, INVALID = 1, UNUSABLE = 2;
const REJECTED = [INVALID, UNUSABLE];

const work = mkdtempSync(join(tmpdir(), 'zkpar-groth16-'));
after(async () => {
  rmSync(work, { recursive: true, force: true });
  await terminateCurve();
});

let fxPromise = null;
const fxLog = [];
function fixtures() {
  if (fxPromise === null) fxPromise = groth16Fixtures({ log: (m) => fxLog.push(m) });
  return fxPromise;
}

let nDir = 0;
/** A fresh empty folder for one test. */
function scratch(name) {
  const d = join(work, `${String(++nDir).padStart(3, '0')}-${name}`);
  mkdirSync(d);
  return d;
}

// ---------------------------------------------------------------- tools

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, fsc.X_OK);
      if (statSync(p).isFile()) return p;
    } catch { /* not here */ }
  }
  return null;
}

const toolPaths = new Map();
function toolPath(name) {
  if (!toolPaths.has(name)) toolPaths.set(name, which(name));
  const p = toolPaths.get(name);
  if (p === null) {
    throw new Error(`${name} is not on PATH: build it (make) and run these tests with ` +
      "'make check-interop', which puts the built tools/ first on PATH");
  }
  return p;
}

/** Run a zk-* tool: { status, stdout, stderr } (strings). */
function zk(name, args, { input, env } = {}) {
  const r = spawnSync(toolPath(name), args, {
    input, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 600_000,
    env: env ? { ...process.env, ...env } : process.env,
  });
  if (r.error) throw r.error;
  if (r.signal) assert.fail(`${name} ${args.join(' ')} died of ${r.signal}\nstderr: ${r.stderr}`);
  return r;
}

function show(r) {
  return `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

function expectStatus(r, want, what) {
  const ok = Array.isArray(want) ? want.includes(r.status) : r.status === want;
  assert.ok(ok, `${what}: expected exit ${Array.isArray(want) ? want.join(' or ') : want}, got ${show(r)}`);
}

/** A failure that names the file on stderr. */
function expectFailure(r, want, file, what) {
  expectStatus(r, want, what);
  assert.ok(r.stderr.includes(file), `${what}: stderr does not name ${file}:\n${r.stderr}`);
}

const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
const writeJson = (f, v) => writeFileSync(f, JSON.stringify(v, null, 1));
const listing = (d) => readdirSync(d).sort();

// ---------------------------------------------------------------- snarkjs

async function snarkVerify(vk, pub, proof) {
  const s = await snarkjs();
  return s.groth16.verify(vk, pub, proof);
}

async function snarkVk(zkey) {
  const s = await snarkjs();
  return JSON.parse(JSON.stringify(await s.zKey.exportVerificationKey(zkey)));
}

/** snarkjs zkey verify (from the r1cs and the ptau); its errors in the message. */
async function snarkZkeyVerify(r1cs, ptau, zkey) {
  const s = await snarkjs();
  const msgs = [];
  const logger = { error: (m) => msgs.push(m), warn: (m) => msgs.push(m), info() {}, debug() {} };
  const ok = await s.zKey.verifyFromR1cs(r1cs, ptau, zkey, logger);
  return { ok, msgs };
}

// ---------------------------------------------------------------- curve

const { Fp2 } = bn254.fields;
const mod = (a, m) => ((a % m) + m) % m;
const onG1 = ([x, y]) => mod(BigInt(y) ** 2n - BigInt(x) ** 3n - 3n, Q) === 0n;
function onTwist([[x0, x1], [y0, y1]]) {
  const x = Fp2.create({ c0: BigInt(x0), c1: BigInt(x1) });
  const y = Fp2.create({ c0: BigInt(y0), c1: BigInt(y1) });
  const b = bn254.G2.Point.CURVE().b;
  return Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), b));
}

/* A point on the twist y^2 = x^3 + 3/(9+u) that is not in G2 (the twist's
 * cofactor is about 2^254, so the first point found will do; checked). */
function twistPointNotInG2() {
  const P = bn254.G2.Point;
  const b = P.CURVE().b;
  for (let k = 1n; ; k++) {
    const x = Fp2.create({ c0: k, c1: 1n });
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    let y;
    try { y = Fp2.sqrt(rhs); } catch { continue; }
    if (!Fp2.eql(Fp2.sqr(y), rhs)) continue;
    const pt = P.fromAffine({ x, y });
    if (pt.isTorsionFree()) continue;
    return [[String(x.c0), String(x.c1)], [String(y.c0), String(y.c1)], ['1', '0']];
  }
}

// ---------------------------------------------------------------- files

/* Patch a .wtns: { n8, prime offset, values offset, count }. */
function wtnsLayout(buf) {
  const s = binSections(buf, 'wtns');
  const h = s.get(1)[0].p;
  const n8 = buf.readUInt32LE(h);
  return { n8, primeAt: h + 4, count: buf.readUInt32LE(h + 4 + n8), valuesAt: s.get(2)[0].p };
}
function leToBig(buf, off, n) {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[off + i]);
  return v;
}
function bigToLeInto(buf, off, n, v) {
  for (let i = 0; i < n; i++) { buf[off + i] = Number(v & 0xffn); v >>= 8n; }
}

const BLS12_381_R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

// ---------------------------------------------------------------- shared steps

/* zk-prove { zkey, wtns } into dir: { proof, pub, proofFile, pubFile, r }. */
function zkProve({ zkey, wtns }, dir, extra = [], tag = 'p') {
  const proof = join(dir, `${tag}-proof.json`), pub = join(dir, `${tag}-public.json`);
  const r = zk('zk-prove', [...extra, zkey, wtns, proof, pub]);
  expectStatus(r, OK, `zk-prove ${extra.join(' ')}`);
  return { proof: readJson(proof), pub: readJson(pub), proofFile: proof, pubFile: pub, r };
}

/* The zk-setup key of a circuit after one zk-setup contribution (memoized). */
const setupMemo = new Map();
function zkSetupKeys(c, fx) {
  if (!setupMemo.has(c.name)) {
    const d = scratch(`${c.name}-zk-setup`);
    const key0 = join(d, 'setup.zkey'), key1 = join(d, 'contributed.zkey');
    const r0 = zk('zk-setup', ['groth16', c.r1cs, fx.ptau, key0]);
    expectStatus(r0, OK, 'zk-setup groth16');
    const r1 = zk('zk-setup', ['contribute', key0, key1, '--name', `zkpar interop ${c.name}`]);
    expectStatus(r1, OK, 'zk-setup contribute');
    setupMemo.set(c.name, { dir: d, key0, key1 });
  }
  return setupMemo.get(c.name);
}

// ---------------------------------------------------------------- fixtures

test('fixtures: circom2 circuits, test ptau, snarkjs keys and proofs are built or found in the cache', async (t) => {
  const fx = await fixtures();
  for (const m of fxLog) t.diagnostic(m);
  t.diagnostic(`fixtures ready in ${fx.seconds.toFixed(1)} s under ${fx.dir} (ptau 2^${fx.power})`);
  const info = Object.fromEntries(CIRCUITS.map((c) => [c.name, fx.circuits[c.name].info]));
  assert.equal(info.nopublic.nPublic, 0);
  assert.ok(info.tiny.nOutputs > 0 && info.tiny.nPubInputs > 0);
  assert.ok(info.many_public.nPubInputs >= 20);
  assert.equal(info.poseidon_chain.domainSize, 2 ** 14);
  assert.ok(fx.power >= 14, `ptau 2^${fx.power}`);
  for (const c of Object.values(fx.circuits)) {
    const vk = readJson(c.vk);
    assert.equal(vk.nPublic, c.info.nPublic);
    assert.equal(vk.IC.length, c.info.nPublic + 1);
    for (const p of c.proofs)
      assert.ok(await snarkVerify(vk, readJson(p.public), readJson(p.proof)), `${c.name}: snarkjs proof`);
  }
});

test('fixtures: the test ptau is byte for byte what snarkjs powersoftau prepare phase2 makes of it (2^6)', async () => {
  const d = scratch('ptau-check');
  const mine = join(d, 'mine.ptau'), raw = join(d, 'raw.ptau'), theirs = join(d, 'snarkjs.ptau');
  await makeTestPtau(6, mine, raw);
  const s = await snarkjs();
  await s.powersOfTau.preparePhase2(raw, theirs);
  const a = readFileSync(mine), b = readFileSync(theirs);
  assert.equal(a.length, b.length);
  assert.ok(a.equals(b), 'prepared sections differ from snarkjs');
});

// ---------------------------------------------------------------- per circuit

for (const spec of CIRCUITS) {
  const C = spec.name;
  const get = async () => (await fixtures()).circuits[C];

  // 1. zk-prove with the snarkjs key.
  test(`${C}: zk-prove with the snarkjs key and witness gives a proof snarkjs accepts, public.json equal to snarkjs's`, async () => {
    const c = await get();
    const d = scratch(`${C}-prove`);
    const { proof, pub, r } = zkProve(c, d);
    assert.equal(r.stdout, '', 'zk-prove prints nothing on stdout when writing files');
    assert.deepEqual(pub, readJson(c.proofs[0].public));
    assert.equal(proof.protocol, 'groth16');
    assert.equal(proof.curve, 'bn128');
    assert.ok(await snarkVerify(readJson(c.vk), pub, proof), 'snarkjs rejects the zk-prove proof');
    // and the proof is not accepted for other public signals
    if (pub.length > 0) {
      const other = pub.slice();
      other[0] = String((BigInt(other[0]) + 1n) % R);
      assert.equal(await snarkVerify(readJson(c.vk), other, proof), false);
    }
  });

  // 7. threads and blinding.
  test(`${C}: zk-prove --threads 1 and --threads 2 both give proofs that snarkjs and zk-verify accept`, async () => {
    const c = await get();
    const d = scratch(`${C}-threads`);
    const vk = readJson(c.vk);
    for (const n of ['1', '2']) {
      const { proof, pub, proofFile, pubFile } = zkProve(c, d, ['--threads', n], `t${n}`);
      assert.ok(await snarkVerify(vk, pub, proof), `--threads ${n}: snarkjs rejects`);
      expectStatus(zk('zk-verify', [c.vk, pubFile, proofFile]), OK, `--threads ${n}: zk-verify`);
    }
  });

  test(`${C}: two zk-prove runs on one witness give different proofs (fresh blinding r, s)`, async () => {
    const c = await get();
    const d = scratch(`${C}-blinding`);
    const a = zkProve(c, d, [], 'a').proof, b = zkProve(c, d, [], 'b').proof;
    assert.notDeepEqual(a.pi_a, b.pi_a);
    assert.notDeepEqual(a.pi_b, b.pi_b);
    assert.notDeepEqual(a.pi_c, b.pi_c);
  });

  // 2. zk-verify with snarkjs proofs, and tampered ones.
  test(`${C}: zk-verify accepts both snarkjs proofs (exit 0, a verdict on stdout, nothing with -q)`, async () => {
    const c = await get();
    for (const p of c.proofs) {
      const r = zk('zk-verify', [c.vk, p.public, p.proof]);
      expectStatus(r, OK, 'zk-verify');
      assert.match(r.stdout, /\b(valid|ok)\b/i);
      assert.doesNotMatch(r.stdout, /invalid/i);
      const q = zk('zk-verify', ['-q', c.vk, p.public, p.proof]);
      expectStatus(q, OK, 'zk-verify -q');
      assert.equal(q.stdout, '');
    }
  });

  if (spec.name !== 'nopublic') {
    test(`${C}: zk-verify rejects the snarkjs proof when a public signal is changed by +1 (exit 1)`, async () => {
      const c = await get();
      const d = scratch(`${C}-pub+1`);
      const pub = readJson(c.proofs[0].public);
      for (const i of [0, pub.length - 1]) {
        const bad = pub.slice();
        bad[i] = String((BigInt(bad[i]) + 1n) % R);
        const f = join(d, `public-${i}.json`);
        writeJson(f, bad);
        const r = zk('zk-verify', [c.vk, f, c.proofs[0].proof]);
        expectStatus(r, INVALID, `public[${i}] + 1`);
        assert.match(r.stdout, /invalid/i);
      }
    });

    test(`${C}: zk-verify rejects a public signal replaced by itself + r (values >= r are not reduced)`, async () => {
      const c = await get();
      const d = scratch(`${C}-pub+r`);
      const pub = readJson(c.proofs[0].public);
      const bad = pub.slice();
      bad[0] = String(BigInt(bad[0]) + R);
      const f = join(d, 'public.json');
      writeJson(f, bad);
      assert.equal(await snarkVerify(readJson(c.vk), bad, readJson(c.proofs[0].proof)), false,
        'snarkjs rejects it too');
      expectStatus(zk('zk-verify', [c.vk, f, c.proofs[0].proof]), REJECTED, 'public[0] + r');
      bad[0] = String(R); // exactly r, the smallest value out of range
      writeJson(f, bad);
      expectStatus(zk('zk-verify', [c.vk, f, c.proofs[0].proof]), REJECTED, 'public[0] = r');
    });
  }

  test(`${C}: zk-verify rejects a wrong number of public signals`, async () => {
    const c = await get();
    const d = scratch(`${C}-pubcount`);
    const pub = readJson(c.proofs[0].public);
    const longer = join(d, 'longer.json');
    writeJson(longer, [...pub, '1']);
    expectStatus(zk('zk-verify', [c.vk, longer, c.proofs[0].proof]), REJECTED, 'one signal more');
    if (pub.length > 0) {
      const shorter = join(d, 'shorter.json');
      writeJson(shorter, pub.slice(0, -1));
      expectStatus(zk('zk-verify', [c.vk, shorter, c.proofs[0].proof]), REJECTED, 'one signal less');
    }
  });

  test(`${C}: zk-verify rejects a proof with pi_a x + 1, a pi_b coordinate + 1 or pi_c y + 1 (points off the curve)`, async () => {
    const c = await get();
    const d = scratch(`${C}-offcurve`);
    const proof = readJson(c.proofs[0].proof);
    const cases = [
      ['pi_a x + 1', (p) => { p.pi_a[0] = String((BigInt(p.pi_a[0]) + 1n) % Q); }, (p) => onG1(p.pi_a)],
      ['pi_b x.c1 + 1', (p) => { p.pi_b[0][1] = String((BigInt(p.pi_b[0][1]) + 1n) % Q); }, (p) => onTwist(p.pi_b)],
      ['pi_b y.c0 + 1', (p) => { p.pi_b[1][0] = String((BigInt(p.pi_b[1][0]) + 1n) % Q); }, (p) => onTwist(p.pi_b)],
      ['pi_c y + 1', (p) => { p.pi_c[1] = String((BigInt(p.pi_c[1]) + 1n) % Q); }, (p) => onG1(p.pi_c)],
    ];
    for (const [what, change, onCurve] of cases) {
      const bad = structuredClone(proof);
      change(bad);
      assert.equal(onCurve(bad), false, `${what}: the test meant a point off the curve`);
      const f = join(d, `${what.replace(/\W+/g, '_')}.json`);
      writeJson(f, bad);
      const r = zk('zk-verify', [c.vk, c.proofs[0].public, f]);
      expectStatus(r, REJECTED, what);
      assert.ok(r.stderr.includes(f) || /invalid/i.test(r.stdout), `${what}: no diagnostic\n${show(r)}`);
    }
  });

  test(`${C}: zk-verify rejects valid points that do not make a proof (pi_a of the other proof, -pi_c) with exit 1`, async () => {
    const c = await get();
    const d = scratch(`${C}-wrongpoint`);
    const p0 = readJson(c.proofs[0].proof), p1 = readJson(c.proofs[1].proof);
    const vk = readJson(c.vk), pub = readJson(c.proofs[0].public);
    const swapped = structuredClone(p0);
    swapped.pi_a = p1.pi_a;
    const negated = structuredClone(p0);
    negated.pi_c[1] = String(Q - BigInt(p0.pi_c[1]));
    for (const [what, bad] of [['pi_a of proof 1', swapped], ['-pi_c', negated]]) {
      assert.ok(onG1(bad.pi_a) && onG1(bad.pi_c) && onTwist(bad.pi_b), `${what}: points are valid`);
      assert.equal(await snarkVerify(vk, pub, bad), false, `${what}: snarkjs rejects it too`);
      const f = join(d, `${what.replace(/\W+/g, '_')}.json`);
      writeJson(f, bad);
      const r = zk('zk-verify', [c.vk, c.proofs[0].public, f]);
      expectStatus(r, INVALID, what);
      assert.match(r.stdout, /invalid/i);
    }
  });

  // 3. zk-setup against snarkjs groth16 setup.
  test(`${C}: zk-setup groth16 gives a .zkey byte-identical to snarkjs groth16 setup from the same r1cs and ptau`, async () => {
    const c = await get();
    const fx = await fixtures();
    const { key0 } = zkSetupKeys(c, fx);
    const a = readFileSync(key0), b = readFileSync(c.setupZkey);
    assert.equal(a.length, b.length, 'size differs from snarkjs groth16 setup');
    if (!a.equals(b)) {
      let i = 0;
      while (a[i] === b[i]) i++;
      assert.fail(`first difference from snarkjs groth16 setup at byte ${i}`);
    }
  });

  test(`${C}: snarkjs zkey verify accepts the zk-setup groth16 key (no contribution yet)`, async () => {
    const c = await get();
    const fx = await fixtures();
    const { key0 } = zkSetupKeys(c, fx);
    const { ok, msgs } = await snarkZkeyVerify(c.r1cs, fx.ptau, key0);
    assert.ok(ok, `snarkjs zkey verify: ${msgs.join('\n')}`);
  });

  test(`${C}: after zk-setup contribute, snarkjs zkey verify accepts the key and delta has changed`, async () => {
    const c = await get();
    const fx = await fixtures();
    const { key0, key1 } = zkSetupKeys(c, fx);
    const { ok, msgs } = await snarkZkeyVerify(c.r1cs, fx.ptau, key1);
    assert.ok(ok, `snarkjs zkey verify: ${msgs.join('\n')}`);
    const v0 = await snarkVk(key0), v1 = await snarkVk(key1);
    assert.notDeepEqual(v1.vk_delta_2, v0.vk_delta_2, 'the contribution did not change delta');
    assert.deepEqual(v1.vk_alpha_1, v0.vk_alpha_1);
    assert.deepEqual(v1.IC, v0.IC);
    assert.ok(readFileSync(key1).includes(Buffer.from(`zkpar interop ${C}`)), 'the contribution name is recorded');
  });

  test(`${C}: proofs with the zk-setup key (zk-prove and snarkjs prove) verify in snarkjs and zk-verify`, async () => {
    const c = await get();
    const fx = await fixtures();
    const { dir, key1 } = zkSetupKeys(c, fx);
    const vk = await snarkVk(key1);
    const vkFile = join(dir, 'vk-snarkjs.json');
    writeJson(vkFile, vk);
    const mine = zkProve({ zkey: key1, wtns: c.wtns }, dir, [], 'zkp');
    assert.ok(await snarkVerify(vk, mine.pub, mine.proof), 'snarkjs rejects zk-prove proof');
    expectStatus(zk('zk-verify', [vkFile, mine.pubFile, mine.proofFile]), OK, 'zk-verify of zk-prove proof');
    const s = await snarkjs();
    const theirs = await s.groth16.prove(key1, c.wtns);
    const pf = join(dir, 'snarkjs-proof.json'), pu = join(dir, 'snarkjs-public.json');
    writeJson(pf, theirs.proof);
    writeJson(pu, theirs.publicSignals);
    expectStatus(zk('zk-verify', [vkFile, pu, pf]), OK, 'zk-verify of snarkjs proof');
    // the old key's vk must not accept them
    expectStatus(zk('zk-verify', [c.vk, pu, pf]), INVALID, 'another key');
  });

  // 4. verification keys.
  test(`${C}: zk-setup vk deep-equals snarkjs zkey export verificationkey (snarkjs key and zk-setup key)`, async () => {
    const c = await get();
    const fx = await fixtures();
    const d = scratch(`${C}-vk`);
    const f = join(d, 'vk.json');
    expectStatus(zk('zk-setup', ['vk', c.zkey, f]), OK, 'zk-setup vk');
    assert.deepEqual(readJson(f), readJson(c.vk));
    const { key1 } = zkSetupKeys(c, fx);
    const r = zk('zk-setup', ['vk', key1, '-']);
    expectStatus(r, OK, 'zk-setup vk to stdout');
    assert.deepEqual(JSON.parse(r.stdout), await snarkVk(key1));
  });

  // 6. --dev keys.
  test(`${C}: zk-setup groth16 --dev warns loudly; its proofs verify in snarkjs and zk-verify`, async () => {
    const c = await get();
    const d = scratch(`${C}-dev`);
    const key = join(d, 'dev.zkey');
    const r = zk('zk-setup', ['groth16', '--dev', c.r1cs, key]);
    expectStatus(r, OK, 'zk-setup groth16 --dev');
    assert.match(r.stderr, /warning/i, 'no warning on stderr');
    assert.match(r.stderr, /insecure|not secure|testing|toxic|trusted|do not use/i, 'the warning does not say why');
    const vk = await snarkVk(key);
    const vkFile = join(d, 'vk.json');
    writeJson(vkFile, vk);
    const mine = zkProve({ zkey: key, wtns: c.wtns }, d);
    assert.ok(await snarkVerify(vk, mine.pub, mine.proof), 'snarkjs rejects a zk-prove proof of the dev key');
    expectStatus(zk('zk-verify', [vkFile, mine.pubFile, mine.proofFile]), OK, 'zk-verify (zk-prove proof)');
    const s = await snarkjs();
    const theirs = await s.groth16.prove(key, c.wtns);
    const pf = join(d, 'snarkjs-proof.json'), pu = join(d, 'snarkjs-public.json');
    writeJson(pf, theirs.proof);
    writeJson(pu, theirs.publicSignals);
    expectStatus(zk('zk-verify', [vkFile, pu, pf]), OK, 'zk-verify (snarkjs proof)');
  });
}

// ---------------------------------------------------------------- stdin / stdout, chains

test('tiny: zk-prove reads the witness from stdin and writes the proof to stdout with -', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('stdio');
  const pub = join(d, 'public.json');
  // through a shell pipe, as in `circom-witness ... | zk-prove KEY - - PUBLIC`
  // (node's own stdin for a child is a socket, not a pipe)
  const r = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" - - "$4"', 'sh', c.wtns, toolPath('zk-prove'), c.zkey, pub],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  expectStatus(r, OK, 'cat WTNS | zk-prove ZKEY - - PUBLIC');
  const proof = JSON.parse(r.stdout);
  assert.ok(await snarkVerify(readJson(c.vk), readJson(pub), proof));
  assert.deepEqual(listing(d), ['public.json']);
  // and zk-verify reads the proof from stdin
  const v = zk('zk-verify', [c.vk, pub, '-'], { input: r.stdout });
  expectStatus(v, OK, 'zk-verify VK PUBLIC -');
});

test('tiny: zk-setup contribute on top of a snarkjs contribution keeps snarkjs zkey verify happy', async () => {
  const fx = await fixtures();
  const c = fx.circuits.tiny;
  const d = scratch('chain');
  const out = join(d, 'second.zkey');
  expectStatus(zk('zk-setup', ['contribute', c.zkey, out, '--name', 'second']), OK, 'zk-setup contribute');
  const { ok, msgs } = await snarkZkeyVerify(c.r1cs, fx.ptau, out);
  assert.ok(ok, msgs.join('\n'));
  const s = await snarkjs();
  const again = join(d, 'third.zkey');
  await s.zKey.contribute(out, again, 'third', 'entropy of the third');
  assert.ok((await snarkZkeyVerify(c.r1cs, fx.ptau, again)).ok, 'snarkjs contributes after zk-setup');
});

test('tiny: two zk-setup groth16 --dev keys differ (fresh toxic waste each time)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('dev-twice');
  for (const k of ['a', 'b'])
    expectStatus(zk('zk-setup', ['groth16', '--dev', c.r1cs, join(d, `${k}.zkey`)]), OK, 'zk-setup --dev');
  const a = await snarkVk(join(d, 'a.zkey')), b = await snarkVk(join(d, 'b.zkey'));
  assert.notDeepEqual(a.vk_alpha_1, b.vk_alpha_1);
  assert.notDeepEqual(a.vk_delta_2, b.vk_delta_2);
});

// ---------------------------------------------------------------- bad inputs: zk-prove

/*
 * Run zk-prove expecting a failure: PROOF.json exists beforehand with a
 * sentinel and must be left as it was; PUBLIC.json must not appear; no
 * temporary file may be left in the folder.
 */
function proveMustFail(zkey, wtns, want, names, what, opts = {}) {
  const d = scratch('fail');
  const proof = join(d, 'proof.json'), pub = join(d, 'public.json');
  writeFileSync(proof, 'sentinel: must survive a failed zk-prove\n');
  const before = listing(d);
  const r = zk('zk-prove', [zkey, wtns, proof, pub], opts);
  expectFailure(r, want, names, what);
  assert.equal(readFileSync(proof, 'utf8'), 'sentinel: must survive a failed zk-prove\n', `${what}: PROOF.json overwritten`);
  assert.deepEqual(listing(d), before, `${what}: files left behind`);
  return r;
}

test('zk-prove: a truncated .zkey is refused (exit 2, names the file, outputs untouched)', async () => {
  const c = (await fixtures()).circuits.many_public;
  const d = scratch('trunc-zkey');
  const buf = readFileSync(c.zkey);
  for (const [what, len] of [['half', buf.length >> 1], ['last byte cut', buf.length - 1], ['header only', 40]]) {
    const f = join(d, `${what.replace(/\W+/g, '_')}.zkey`);
    writeFileSync(f, buf.subarray(0, len));
    proveMustFail(f, c.wtns, UNUSABLE, f, `zkey ${what}`);
  }
});

test('zk-prove: an .r1cs or a .wtns given as the key is refused (exit 2)', async () => {
  const c = (await fixtures()).circuits.tiny;
  proveMustFail(c.r1cs, c.wtns, UNUSABLE, c.r1cs, '.r1cs as key');
  proveMustFail(c.wtns, c.wtns, UNUSABLE, c.wtns, '.wtns as key');
});

test('zk-prove: the witness of another circuit (wrong size) is refused (exit 2, names the witness)', async () => {
  const fx = await fixtures();
  proveMustFail(fx.circuits.tiny.zkey, fx.circuits.many_public.wtns, UNUSABLE,
    fx.circuits.many_public.wtns, 'many_public witness for tiny');
  proveMustFail(fx.circuits.many_public.zkey, fx.circuits.tiny.wtns, UNUSABLE,
    fx.circuits.tiny.wtns, 'tiny witness for many_public');
});

test('zk-prove: a witness over another prime (BLS12-381 r in the header) is refused (exit 2)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('wtns-prime');
  const buf = Buffer.from(readFileSync(c.wtns));
  const L = wtnsLayout(buf);
  assert.equal(leToBig(buf, L.primeAt, L.n8), R);
  bigToLeInto(buf, L.primeAt, L.n8, BLS12_381_R);
  const f = join(d, 'bls.wtns');
  writeFileSync(f, buf);
  proveMustFail(c.zkey, f, UNUSABLE, f, 'BLS12-381 witness');
});

test('zk-prove: a witness value >= r is refused (exit 2 or 1)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('wtns-range');
  const buf = Buffer.from(readFileSync(c.wtns));
  const L = wtnsLayout(buf);
  const at = L.valuesAt + (L.count - 1) * L.n8;
  bigToLeInto(buf, at, L.n8, leToBig(buf, at, L.n8) + R);
  const f = join(d, 'range.wtns');
  writeFileSync(f, buf);
  proveMustFail(c.zkey, f, REJECTED, f, 'witness value + r');
});

test('zk-prove: a truncated witness is refused (exit 2)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('wtns-trunc');
  const f = join(d, 'short.wtns');
  writeFileSync(f, readFileSync(c.wtns).subarray(0, -5));
  proveMustFail(c.zkey, f, UNUSABLE, f, 'truncated witness');
});

test('zk-prove: a witness that does not satisfy the circuit is refused (exit 1, no proof written)', async () => {
  const fx = await fixtures();
  for (const name of ['tiny', 'poseidon_chain']) {
    const c = fx.circuits[name];
    const d = scratch(`unsat-${name}`);
    const buf = Buffer.from(readFileSync(c.wtns));
    const L = wtnsLayout(buf);
    const at = L.valuesAt + (L.count - 1) * L.n8; // the last wire, in a constraint
    bigToLeInto(buf, at, L.n8, (leToBig(buf, at, L.n8) + 1n) % R);
    const f = join(d, 'unsat.wtns');
    writeFileSync(f, buf);
    const s = await snarkjs();
    const quiet = { info() {}, warn() {}, error() {}, debug() {} };
    assert.equal(await s.wtns.check(c.r1cs, f, quiet), false, 'snarkjs wtns check agrees it does not satisfy');
    proveMustFail(c.zkey, f, INVALID, f, `${name}: unsatisfied witness`);
  }
});

test('zk-prove: missing files are refused (exit 2, names the file); an unwritable output leaves nothing', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('missing');
  const nz = join(d, 'no-such.zkey'), nw = join(d, 'no-such.wtns');
  proveMustFail(nz, c.wtns, UNUSABLE, nz, 'missing zkey');
  proveMustFail(c.zkey, nw, UNUSABLE, nw, 'missing witness');
  // PROOF.json in a folder that does not exist: PUBLIC.json must not be written either
  const pub = join(d, 'public.json'), proof = join(d, 'no-such-dir', 'proof.json');
  const r = zk('zk-prove', [c.zkey, c.wtns, proof, pub]);
  expectFailure(r, UNUSABLE, proof, 'unwritable PROOF.json');
  assert.equal(existsSync(pub), false, 'PUBLIC.json written although PROOF.json could not be');
  assert.deepEqual(listing(d), [], 'files left behind');
});

test('zk-prove: usage errors (wrong argument count, bad --threads) exit 2', () => {
  expectStatus(zk('zk-prove', []), UNUSABLE, 'no arguments');
  expectStatus(zk('zk-prove', ['a', 'b', 'c']), UNUSABLE, 'three arguments');
  for (const t of ['0', '-1', 'x', ''])
    expectStatus(zk('zk-prove', ['--threads', t, 'a', 'b', 'c', 'd']), UNUSABLE, `--threads '${t}'`);
});

// ---------------------------------------------------------------- bad inputs: zk-verify

function verifyMustFail(vk, pub, proof, want, names, what) {
  const r = zk('zk-verify', [vk, pub, proof]);
  expectFailure(r, want, names, what);
  return r;
}

test('zk-verify: a verification key with a point off the curve is refused (exit 2, names the key)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('vk-offcurve');
  const cases = [
    ['vk_alpha_1 y + 1', (v) => { v.vk_alpha_1[1] = String((BigInt(v.vk_alpha_1[1]) + 1n) % Q); }],
    ['IC[1] x + 1', (v) => { v.IC[1][0] = String((BigInt(v.IC[1][0]) + 1n) % Q); }],
    ['vk_beta_2 x.c0 + 1', (v) => { v.vk_beta_2[0][0] = String((BigInt(v.vk_beta_2[0][0]) + 1n) % Q); }],
  ];
  for (const [what, change] of cases) {
    const vk = readJson(c.vk);
    change(vk);
    const f = join(d, `${what.replace(/\W+/g, '_')}.json`);
    writeJson(f, vk);
    verifyMustFail(f, c.proofs[0].public, c.proofs[0].proof, UNUSABLE, f, what);
  }
});

test('zk-verify: a verification key with a G2 point on the twist but outside G2 is refused (exit 2)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('vk-subgroup');
  const bad = twistPointNotInG2();
  assert.ok(onTwist(bad), 'the constructed point is on the twist');
  for (const member of ['vk_delta_2', 'vk_gamma_2', 'vk_beta_2']) {
    const vk = readJson(c.vk);
    vk[member] = bad;
    const f = join(d, `${member}.json`);
    writeJson(f, vk);
    verifyMustFail(f, c.proofs[0].public, c.proofs[0].proof, UNUSABLE, f, `${member} not in G2`);
  }
});

test('zk-verify: a proof with pi_b on the twist but outside G2 is rejected', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('proof-subgroup');
  const proof = readJson(c.proofs[0].proof);
  proof.pi_b = twistPointNotInG2();
  const f = join(d, 'proof.json');
  writeJson(f, proof);
  expectStatus(zk('zk-verify', [c.vk, c.proofs[0].public, f]), REJECTED, 'pi_b not in G2');
});

test('zk-verify: a proof coordinate >= q (x + q, the same point not reduced) is rejected', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('proof-range');
  const proof = readJson(c.proofs[0].proof);
  proof.pi_a[0] = String(BigInt(proof.pi_a[0]) + Q);
  const f = join(d, 'proof.json');
  writeJson(f, proof);
  expectStatus(zk('zk-verify', [c.vk, c.proofs[0].public, f]), REJECTED, 'pi_a x + q');
});

test('zk-verify: JSON that is not a Groth16 proof ({}, [], a PLONK proof, a verification key) is refused (exit 2)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('not-a-proof');
  const plonk = readJson(c.plonkProof);
  assert.equal(plonk.protocol, 'plonk');
  const cases = [['empty object', {}], ['array', []], ['plonk proof', plonk], ['verification key', readJson(c.vk)],
    ['number', 42], ['groth16 proof without pi_c', (() => { const p = readJson(c.proofs[0].proof); delete p.pi_c; return p; })()]];
  for (const [what, v] of cases) {
    const f = join(d, `${what.replace(/\W+/g, '_')}.json`);
    writeJson(f, v);
    verifyMustFail(c.vk, c.proofs[0].public, f, UNUSABLE, f, what);
  }
  const garbage = join(d, 'garbage.json');
  writeFileSync(garbage, '{"pi_a": [1, 2');
  verifyMustFail(c.vk, c.proofs[0].public, garbage, UNUSABLE, garbage, 'truncated JSON');
});

test('zk-verify: public signals that are not a list of decimal strings are refused', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('bad-public');
  const pub = readJson(c.proofs[0].public);
  for (const [what, v, want] of [['object', { a: 1 }, UNUSABLE], ['not a number', ['x', ...pub.slice(1)], UNUSABLE],
    ['negative', ['-1', ...pub.slice(1)], REJECTED], ['hex garbage', ['0xzz', ...pub.slice(1)], UNUSABLE]]) {
    const f = join(d, `${what.replace(/\W+/g, '_')}.json`);
    writeJson(f, v);
    verifyMustFail(c.vk, f, c.proofs[0].proof, want, f, what);
  }
});

test('zk-verify: a verification key that is not one ({}, a proof, a PLONK key shape) is refused (exit 2)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('not-a-vk');
  const vk = readJson(c.vk);
  const plonkish = { ...vk, protocol: 'plonk' };
  for (const [what, v] of [['empty object', {}], ['proof', readJson(c.proofs[0].proof)], ['protocol plonk', plonkish],
    ['IC missing', (() => { const x = readJson(c.vk); delete x.IC; return x; })()]]) {
    const f = join(d, `${what.replace(/\W+/g, '_')}.json`);
    writeJson(f, v);
    verifyMustFail(f, c.proofs[0].public, c.proofs[0].proof, UNUSABLE, f, what);
  }
});

test('zk-verify: the verification key of another circuit does not accept a proof', async () => {
  const fx = await fixtures();
  const t = fx.circuits.tiny, m = fx.circuits.many_public;
  expectStatus(zk('zk-verify', [m.vk, t.proofs[0].public, t.proofs[0].proof]), REJECTED, 'many_public vk, tiny proof');
  expectStatus(zk('zk-verify', [t.vk, m.proofs[0].public, m.proofs[0].proof]), REJECTED, 'tiny vk, many_public proof');
});

test('zk-verify: missing files are refused (exit 2, names the file)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('verify-missing');
  const n = join(d, 'no-such.json');
  verifyMustFail(n, c.proofs[0].public, c.proofs[0].proof, UNUSABLE, n, 'missing vk');
  verifyMustFail(c.vk, n, c.proofs[0].proof, UNUSABLE, n, 'missing public');
  verifyMustFail(c.vk, c.proofs[0].public, n, UNUSABLE, n, 'missing proof');
  expectStatus(zk('zk-verify', [c.vk, c.proofs[0].public]), UNUSABLE, 'two arguments');
});

// ---------------------------------------------------------------- bad inputs: zk-setup

/* zk-setup expecting a failure: the output file must not appear (or keep
 * its old content), nothing may be left in its folder. */
function setupMustFail(args, out, want, names, what) {
  const d = dirname(out);
  const had = existsSync(out) ? readFileSync(out) : null;
  const before = listing(d);
  const r = zk('zk-setup', args);
  expectFailure(r, want, names, what);
  assert.deepEqual(listing(d), before, `${what}: files left behind`);
  if (had !== null) assert.ok(readFileSync(out).equals(had), `${what}: existing output overwritten`);
  return r;
}

test('zk-setup groth16: an unprepared ptau, a ptau too small, a truncated ptau are refused (exit 2, no key written)', async () => {
  const fx = await fixtures();
  const c = fx.circuits.tiny;
  const d = scratch('setup-ptau');
  const out = join(d, 'out.zkey');
  if (fx.ptauRaw) setupMustFail(['groth16', c.r1cs, fx.ptauRaw, out], out, UNUSABLE, fx.ptauRaw, 'unprepared ptau');
  const small = join(scratch('small-ptau'), 'p3.ptau');
  await makeTestPtau(3, small); // tiny needs 2^4
  setupMustFail(['groth16', c.r1cs, small, out], out, UNUSABLE, small, 'ptau 2^3 for a 2^4 circuit');
  const cut = join(scratch('cut-ptau'), 'cut.ptau');
  writeFileSync(cut, readFileSync(fx.ptau).subarray(0, 100000));
  setupMustFail(['groth16', c.r1cs, cut, out], out, UNUSABLE, cut, 'truncated ptau');
});

test('zk-setup groth16: a truncated .r1cs is refused and an existing key is not overwritten', async () => {
  const fx = await fixtures();
  const c = fx.circuits.many_public;
  const d = scratch('setup-r1cs');
  const cut = join(d, 'cut.r1cs');
  writeFileSync(cut, readFileSync(c.r1cs).subarray(0, 200));
  const outDir = scratch('setup-r1cs-out');
  const out = join(outDir, 'existing.zkey');
  writeFileSync(out, 'sentinel');
  setupMustFail(['groth16', cut, fx.ptau, out], out, UNUSABLE, cut, 'truncated r1cs');
  const out2 = join(outDir, 'dev.zkey');
  setupMustFail(['groth16', '--dev', cut, out2], out2, UNUSABLE, cut, 'truncated r1cs, --dev');
});

test('zk-setup vk and contribute: a truncated .zkey is refused (exit 2, no output left)', async () => {
  const c = (await fixtures()).circuits.tiny;
  const d = scratch('setup-zkey');
  const cut = join(d, 'cut.zkey');
  writeFileSync(cut, readFileSync(c.zkey).subarray(0, readFileSync(c.zkey).length >> 1));
  const outDir = scratch('setup-zkey-out');
  setupMustFail(['vk', cut, join(outDir, 'vk.json')], join(outDir, 'vk.json'), UNUSABLE, cut, 'vk of a truncated key');
  setupMustFail(['contribute', cut, join(outDir, 'c.zkey')], join(outDir, 'c.zkey'), UNUSABLE, cut, 'contribute to a truncated key');
  const missing = join(d, 'no-such.zkey');
  setupMustFail(['vk', missing, join(outDir, 'vk.json')], join(outDir, 'vk.json'), UNUSABLE, missing, 'vk of a missing key');
});

test('zk-setup: usage errors (no command, unknown command, wrong argument count) exit 2', () => {
  expectStatus(zk('zk-setup', []), UNUSABLE, 'no command');
  expectStatus(zk('zk-setup', ['plonk', 'a', 'b', 'c']), UNUSABLE, 'unknown command');
  expectStatus(zk('zk-setup', ['groth16', 'a']), UNUSABLE, 'groth16 with one argument');
  expectStatus(zk('zk-setup', ['vk', 'a']), UNUSABLE, 'vk with one argument');
});

// ---------------------------------------------------------------- --help, --version

for (const name of ['zk-prove', 'zk-verify', 'zk-setup']) {
  test(`${name}: --help and --version exit 0 with text on stdout`, () => {
    const h = zk(name, ['--help']);
    expectStatus(h, OK, `${name} --help`);
    assert.match(h.stdout, /usage/i);
    const v = zk(name, ['--version']);
    expectStatus(v, OK, `${name} --version`);
    assert.match(v.stdout, /\d+\.\d+/);
  });
}
