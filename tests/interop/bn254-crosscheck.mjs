#!/usr/bin/env node
// bn254-crosscheck.mjs -- recompute the cases printed by bn254-vectors.mjs with
// ffjavascript (snarkjs's field/curve engine, an implementation independent of
// @noble/curves) and report mismatches.
//
// Usage: node bn254-vectors.mjs 1 20 | node bn254-crosscheck.mjs
//        node bn254-crosscheck.mjs FILE.jsonl
// Exit status 0 when every case matches, 1 otherwise.
//
// Known ffjavascript quirk, not counted as a mismatch: its pairing() returns 0
// (not the GT identity 1) when the G2 argument is the point at infinity.
import { buildBn128 } from 'ffjavascript';
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2] ?? 0, 'utf8');
const cases = text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
if (cases.length === 0) {
  console.error('bn254-crosscheck: no cases on input');
  process.exit(1);
}
const bn = await buildBn128(true); // single-threaded
const { G1, G2, Gt } = bn;

const flat = (o) => (Array.isArray(o) ? o.flatMap(flat) : [o.toString()]);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const fr = (k) => bn.Fr.e(BigInt(k));
const toG1 = (p) => (p === null ? G1.zero : G1.fromObject([BigInt(p[0]), BigInt(p[1]), 1n]));
const toG2 = (q) =>
  q === null
    ? G2.zero
    : G2.fromObject([[BigInt(q[0][0]), BigInt(q[0][1])], [BigInt(q[1][0]), BigInt(q[1][1])], [1n, 0n]]);
const outG1 = (P) => (G1.isZero(P) ? null : flat(G1.toObject(G1.toAffine(P))).slice(0, 2));
const outG2 = (P) => (G2.isZero(P) ? null : flat(G2.toObject(G2.toAffine(P))).slice(0, 4));
const flat2 = (q) => (q === null ? null : q.flat());
const ONE = ['1', ...Array(11).fill('0')];

let bad = 0;
for (const c of cases) {
  let ok;
  switch (c.op) {
    case 'generators':
      ok = same(outG1(G1.g), c.g1) && same(outG2(G2.g), flat2(c.g2));
      break;
    case 'g1_mul':
      ok = same(outG1(G1.timesFr(G1.g, fr(c.k))), c.out);
      break;
    case 'g2_mul':
      ok = same(outG2(G2.timesFr(G2.g, fr(c.k))), flat2(c.out));
      break;
    case 'g1_add':
      ok = same(outG1(G1.add(toG1(c.a), toG1(c.b))), c.out);
      break;
    case 'g2_add':
      ok = same(outG2(G2.add(toG2(c.a), toG2(c.b))), flat2(c.out));
      break;
    case 'pairing':
    case 'pairing_gen':
      if (c.p === null || c.q === null) ok = same(c.out, ONE);
      else ok = same(flat(Gt.toObject(bn.pairing(toG1(c.p), toG2(c.q)))), c.out);
      break;
    default:
      ok = false;
  }
  if (!ok) {
    bad++;
    console.log('MISMATCH', JSON.stringify(c).slice(0, 160));
  }
}
await bn.terminate();
console.log(`${cases.length - bad} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
