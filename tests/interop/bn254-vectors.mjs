#!/usr/bin/env node
// bn254-vectors.mjs -- deterministic BN254 (alt_bn128) reference cases from @noble/curves.
//
// Usage: node bn254-vectors.mjs SEED COUNT
//
//   SEED   any string; all randomness is derived from it (SHA-256 counter mode).
//   COUNT  number of random cases per operation (g1_mul, g1_add, g2_mul, g2_add,
//          pairing). Fixed edge cases are always printed in addition.
//
// Output: one JSON object per line, all numbers as decimal strings.
//   {"op":"generators","g1":[x,y],"g2":[[x0,x1],[y0,y1]]}        (first line)
//   {"op":"g1_mul","k":K,"out":[x,y]}                             out = K*G1
//   {"op":"g1_add","a":[x,y],"b":[x,y],"out":[x,y]}
//   {"op":"g2_mul","k":K,"out":[[x0,x1],[y0,y1]]}                 out = K*G2
//   {"op":"g2_add","a":..,"b":..,"out":..}
//   {"op":"pairing_gen","p":G1,"q":G2,"out":[12 decimals]}        e(G1,G2)
//   {"op":"pairing","a":K1,"b":K2,"p":[x,y],"q":[[..],[..]],"out":[12 decimals]}
//                                         p = K1*G1, q = K2*G2, out = e(p,q)
// Points are affine. The point at infinity is written as null.
// Fp2 element c0 + c1*u is written [c0, c1] (real part first). NOTE: the EVM
// precompiles (EIP-197) encode G2 coordinates imaginary part first (c1, c0).
//
// Fp12 TOWER: noble's bn254 tower IS the expected one, no conversion is done:
//   Fp2  = Fp[u]  / (u^2 + 1)
//   Fp6  = Fp2[v] / (v^3 - (9 + u))
//   Fp12 = Fp6[w] / (w^2 - v)
// (read in node_modules/@noble/curves/src of version 2.4.0:
//  bn254.ts lines 49-52 (tower doc comment) and 145-147 (FP2_NONRESIDUE: [9, 1]);
//  abstract/tower.ts lines 38-67 (element types c0 + c1*u, c0 + c1*v + c2*v^2,
//  c0 + c1*w), 420-431 (Fp2.mul: u^2 = -1), 543-555 (Fp2.mulByNonresidue:
//  multiply by 9 + u), 789-792 (Fp6.mulByNonresidue: v^3 = 9 + u),
//  946-958 (Fp12.mul: c0 = t1 + t2*v, so w^2 = v).)
// This script also checks that layout numerically (checkTower below) against an
// independent schoolbook multiplication in Fp2[w]/(w^6 - (9+u)), with w^2 = v.
// "out" of a pairing is written in the order
//   c0.c0.c0, c0.c0.c1, c0.c1.c0, c0.c1.c1, c0.c2.c0, c0.c2.c1,
//   c1.c0.c0, c1.c0.c1, c1.c1.c0, c1.c1.c1, c1.c2.c0, c1.c2.c1
// (Fp12 = c0 + c1*w, Fp6 = c0 + c1*v + c2*v^2, Fp2 = c0 + c1*u).
// The pairing is noble's optimal ate pairing with final exponentiation (EIP-197
// compatible). noble refuses the point at infinity in pairing(); for a pairing
// case with a zero scalar the output is written as 1 (the GT identity) by
// definition, e(O,Q) = e(P,O) = 1.
//
// Self-checks (assert, before anything is printed): generators equal the
// EIP-196/197 ones; Fp12 tower layout; e(G1,G2) != 1 and e(G1,G2)^r == 1;
// bilinearity e(aP,Q) == e(P,Q)^a, e(P,bQ) == e(P,Q)^b, e(aP,bQ) == e(P,Q)^(ab).

import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { bn254 } from '@noble/curves/bn254.js';

const { G1, G2, fields } = bn254;
const { Fp, Fp12 } = fields;
const P_MOD = Fp.ORDER;
const R = G1.Point.Fn.ORDER; // group order r
const G1B = G1.Point.BASE;
const G2B = G2.Point.BASE;

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
if (args.length !== 2 || !/^\d+$/.test(args[1])) {
  process.stderr.write('usage: node bn254-vectors.mjs SEED COUNT\n');
  process.exit(2);
}
const SEED = args[0];
const COUNT = Number(args[1]);

// ---------------------------------------------------------------- PRNG
// Block i = SHA-256("zkpar-bn254-vectors" || 0x00 || SEED || 0x00 || i as 8-byte BE).
// A scalar takes two blocks (512 bits) reduced mod r (bias < 2^-250).
let counter = 0n;
function nextBlock() {
  const ctr = Buffer.alloc(8);
  ctr.writeBigUInt64BE(counter++);
  return createHash('sha256')
    .update('zkpar-bn254-vectors\0')
    .update(SEED, 'utf8')
    .update('\0')
    .update(ctr)
    .digest();
}
function randScalar() {
  const buf = Buffer.concat([nextBlock(), nextBlock()]);
  return BigInt('0x' + buf.toString('hex')) % R;
}

// ---------------------------------------------------------------- helpers
const dec = (x) => x.toString(10);
const fp2 = (e) => [dec(e.c0), dec(e.c1)];
const g1 = (P) => (P.is0() ? null : ((a) => [dec(a.x), dec(a.y)])(P.toAffine()));
const g2 = (P) => (P.is0() ? null : ((a) => [fp2(a.x), fp2(a.y)])(P.toAffine()));
const fp12 = (f) => {
  const out = [];
  for (const c6 of [f.c0, f.c1]) for (const c2 of [c6.c0, c6.c1, c6.c2]) out.push(dec(c2.c0), dec(c2.c1));
  return out;
};
// k*P for any k in [0, r): noble's multiply() rejects 0, multiplyUnsafe accepts it.
const mul = (P, k) => (k === 0n ? P.multiplyUnsafe(0n) : P.multiply(k));
const pair = (P, Q) => (P.is0() || Q.is0() ? Fp12.ONE : bn254.pairing(P, Q));
const line = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
// Quietly stop when the reader goes away (e.g. `| head`).
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// ---------------------------------------------------------------- self-checks
// Generators: EIP-196 G1 = (1, 2); EIP-197 G2 (x = x1*i + x0, y = y1*i + y0).
function checkGenerators() {
  const a = G1B.toAffine();
  assert.equal(a.x, 1n);
  assert.equal(a.y, 2n);
  const b = G2B.toAffine();
  assert.equal(b.x.c0, 10857046999023057135944570762232829481370756359578518086990519993285655852781n);
  assert.equal(b.x.c1, 11559732032986387107991004021392285783925812861821192530917403151452391805634n);
  assert.equal(b.y.c0, 8495653923123431417604973247489272438418190587263600148770280649306958101930n);
  assert.equal(b.y.c1, 4082367875863433681332203403145435568316851327593401208105741076214120093531n);
  assert.equal(R, 21888242871839275222246405745257275088548364400416034343698204186575808495617n);
  assert.equal(P_MOD, 21888242871839275222246405745257275088696311157297823662689037894645226208583n);
}

// Independent Fp12 multiplication in the expected tower, on the flat basis
// 1, w, w^2=v, w^3=vw, w^4=v^2, w^5=v^2 w over Fp2 with w^6 = v^3 = 9 + u.
const m = (x) => ((x % P_MOD) + P_MOD) % P_MOD;
const f2mul = ([a0, a1], [b0, b1]) => [m(a0 * b0 - a1 * b1), m(a0 * b1 + a1 * b0)]; // u^2 = -1
const f2add = ([a0, a1], [b0, b1]) => [m(a0 + b0), m(a1 + b1)];
const XI = [9n, 1n];
// flat[i] = coefficient of w^i, taken from the 12-number "out" order.
const toFlat = (o) => {
  const c = (j) => [BigInt(o[2 * j]), BigInt(o[2 * j + 1])]; // j-th Fp2 in out order
  // out order: c0.c0, c0.c1, c0.c2, c1.c0, c1.c1, c1.c2 = w^0, w^2, w^4, w^1, w^3, w^5
  return [c(0), c(3), c(1), c(4), c(2), c(5)];
};
function flatMul(a, b) {
  const t = Array.from({ length: 11 }, () => [0n, 0n]);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) t[i + j] = f2add(t[i + j], f2mul(a[i], b[j]));
  for (let k = 10; k >= 6; k--) t[k - 6] = f2add(t[k - 6], f2mul(t[k], XI));
  return t.slice(0, 6);
}
function checkTower() {
  const rnd = () => randScalar();
  for (let n = 0; n < 3; n++) {
    const a = Fp12.fromBigTwelve(Array.from({ length: 12 }, rnd));
    const b = Fp12.fromBigTwelve(Array.from({ length: 12 }, rnd));
    const want = flatMul(toFlat(fp12(a)), toFlat(fp12(b)));
    const got = toFlat(fp12(Fp12.mul(a, b)));
    assert.deepEqual(got, want, 'noble Fp12 tower differs from Fp2[u]/(u^2+1), v^3=9+u, w^2=v');
  }
  // fromBigTwelve must take its 12 numbers in our "out" order (used above).
  const seq = Array.from({ length: 12 }, (_, i) => BigInt(i + 1));
  assert.deepEqual(fp12(Fp12.fromBigTwelve(seq)), seq.map(dec));
  // and the elements u, v, w themselves:
  const unit = (i) => Fp12.fromBigTwelve(Array.from({ length: 12 }, (_, j) => (j === i ? 1n : 0n)));
  const [u, v, w] = [unit(1), unit(2), unit(6)];
  assert.ok(Fp12.eql(Fp12.sqr(u), Fp12.neg(Fp12.ONE)), 'u^2 != -1');
  assert.ok(Fp12.eql(Fp12.sqr(w), v), 'w^2 != v');
  assert.ok(Fp12.eql(Fp12.mul(Fp12.sqr(v), v), Fp12.add(Fp12.mul(Fp12.ONE, 9n), u)), 'v^3 != 9+u');
}

function checkPairing() {
  const e = bn254.pairing(G1B, G2B);
  assert.ok(!Fp12.eql(e, Fp12.ONE), 'e(G1,G2) == 1');
  assert.ok(Fp12.eql(Fp12.pow(e, R), Fp12.ONE), 'e(G1,G2)^r != 1');
  const a = randScalar() || 1n;
  const b = randScalar() || 1n;
  const P = G1B.multiply(randScalar() || 1n);
  const Q = G2B.multiply(randScalar() || 1n);
  const ePQ = bn254.pairing(P, Q);
  assert.ok(Fp12.eql(bn254.pairing(P.multiply(a), Q), Fp12.pow(ePQ, a)), 'e(aP,Q) != e(P,Q)^a');
  assert.ok(Fp12.eql(bn254.pairing(P, Q.multiply(b)), Fp12.pow(ePQ, b)), 'e(P,bQ) != e(P,Q)^b');
  assert.ok(
    Fp12.eql(bn254.pairing(P.multiply(a), Q.multiply(b)), Fp12.pow(ePQ, (a * b) % R)),
    'e(aP,bQ) != e(P,Q)^(ab)'
  );
}

// Self-checks use their own PRNG stream so the printed cases depend only on SEED.
{
  const saved = counter;
  counter = 1n << 62n;
  checkGenerators();
  checkTower();
  checkPairing();
  counter = saved;
}

// ---------------------------------------------------------------- cases
const EDGE = [0n, 1n, 2n, R - 1n];

line({ op: 'generators', g1: g1(G1B), g2: g2(G2B) });

function mulCases(op, base, enc) {
  for (const k of EDGE) line({ op, k: dec(k), out: enc(mul(base, k)) });
  for (let i = 0; i < COUNT; i++) {
    const k = randScalar();
    line({ op, k: dec(k), out: enc(mul(base, k)) });
  }
}

function addCases(op, base, enc) {
  const add = (A, B) => line({ op, a: enc(A), b: enc(B), out: enc(A.add(B)) });
  const A = mul(base, randScalar());
  const B = mul(base, randScalar());
  add(A, A); // doubling
  add(A, A.negate()); // -> infinity
  add(A, mul(base, 0n)); // b = infinity
  add(mul(base, 0n), B); // a = infinity
  add(mul(base, 0n), mul(base, 0n));
  add(base, mul(base, R - 1n)); // G + (r-1)G = infinity
  add(base, base); // 2G
  for (let i = 0; i < COUNT; i++) add(mul(base, randScalar()), mul(base, randScalar()));
}

mulCases('g1_mul', G1B, g1);
addCases('g1_add', G1B, g1);
mulCases('g2_mul', G2B, g2);
addCases('g2_add', G2B, g2);

line({ op: 'pairing_gen', p: g1(G1B), q: g2(G2B), out: fp12(bn254.pairing(G1B, G2B)) });

function pairingCase(k1, k2) {
  const P = mul(G1B, k1);
  const Q = mul(G2B, k2);
  line({ op: 'pairing', a: dec(k1), b: dec(k2), p: g1(P), q: g2(Q), out: fp12(pair(P, Q)) });
}
for (const k1 of EDGE) for (const k2 of [1n, R - 1n]) pairingCase(k1, k2);
pairingCase(1n, 0n);
pairingCase(2n, 2n);
for (let i = 0; i < COUNT; i++) pairingCase(randScalar(), randScalar());
