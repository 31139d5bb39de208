#!/usr/bin/env node
// gadgets-circomlib.mjs -- constraint counts of circomlib's basic gadgets
// (bitify, comparators, aliascheck, compconstant, mux1, switcher) compiled
// with the pinned circom2 (a WASM build of circom 2.2.3) and --O2, for the
// comparison with lib/gadgets/bits.h in docs/BENCHMARKS.md.
//
//   node gadgets-circomlib.mjs [--json]
//
// Each gadget is compiled as the main component of a one-line circuit
// (`component main = LessThan(32);`), so the count is the template's own:
// with --O2 circom substitutes away every signal it can express linearly,
// private main inputs included, and what is left is the number of rank-1
// constraints a prover pays.  The count printed is the constraint count of
// the .r1cs header circom writes (checked against circom's own
// "non-linear constraints" + "linear constraints" summary).
//
// Output: one line per gadget, `name  constraints  (non-linear, linear)
// wires`, or with --json one JSON object per line:
//   {"gadget":"LessThan(32)","constraints":33,"nonlinear":33,"linear":0,
//    "wires":35,"circom":"2.2.3","circomlib":"2.0.5"}
// Exit 0 when every circuit compiled, 1 otherwise.  Files are written in a
// mkdtemp folder that is removed at the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const nodeModules = join(here, 'node_modules');
const json = process.argv.includes('--json');

// Baby Jubjub's prime subgroup order l, minus 1: EdDSAPoseidonVerifier's
// CompConstant(l - 1) check of S.
const L_MINUS_1 =
  '2736030358979909402780800718157159386076813972158567259200215660948447373040';

// [display name, include, main expression]
const GADGETS = [];
for (const n of [1, 8, 32, 64, 128, 252, 253])
  GADGETS.push([`Num2Bits(${n})`, 'bitify', `Num2Bits(${n})`]);
GADGETS.push(['Num2Bits_strict', 'bitify', 'Num2Bits_strict()']);
GADGETS.push(['Bits2Num_strict', 'bitify', 'Bits2Num_strict()']);
GADGETS.push(['AliasCheck', 'aliascheck', 'AliasCheck()']);
GADGETS.push(['CompConstant(l-1)', 'compconstant', `CompConstant(${L_MINUS_1})`]);
for (const n of [8, 32, 64, 128, 252]) {
  GADGETS.push([`LessThan(${n})`, 'comparators', `LessThan(${n})`]);
}
for (const t of ['LessEqThan', 'GreaterThan', 'GreaterEqThan'])
  for (const n of [32, 252]) GADGETS.push([`${t}(${n})`, 'comparators', `${t}(${n})`]);
GADGETS.push(['IsZero', 'comparators', 'IsZero()']);
GADGETS.push(['IsEqual', 'comparators', 'IsEqual()']);
GADGETS.push(['ForceEqualIfEnabled', 'comparators', 'ForceEqualIfEnabled()']);
GADGETS.push(['Mux1', 'mux1', 'Mux1()']);
GADGETS.push(['Switcher', 'switcher', 'Switcher()']);

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(nodeModules, pkg, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

// The header of an iden3 .r1cs file (section type 1).
function r1csHeader(buf) {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'r1cs')
    throw new Error('not an r1cs file');
  const nSec = buf.readUInt32LE(8);
  let p = 12;
  for (let i = 0; i < nSec; i++) {
    const type = buf.readUInt32LE(p);
    const size = Number(buf.readBigUInt64LE(p + 4));
    p += 12;
    if (type === 1) {
      const fs = buf.readUInt32LE(p);
      let q = p + 4 + fs;
      const nWires = buf.readUInt32LE(q);
      const nPubOut = buf.readUInt32LE(q + 4);
      const nPubIn = buf.readUInt32LE(q + 8);
      const nPrvIn = buf.readUInt32LE(q + 12);
      q += 16 + 8; // nLabels (u64)
      const nConstraints = buf.readUInt32LE(q);
      return { nWires, nPubOut, nPubIn, nPrvIn, nConstraints };
    }
    p += size;
  }
  throw new Error('r1cs header section missing');
}

function compile(dir, idx, include, expr) {
  const src = join(dir, `g${idx}.circom`);
  writeFileSync(src, `pragma circom 2.0.0;\n\ninclude "circomlib/circuits/${include}.circom";\n\n` +
    `component main = ${expr};\n`);
  // circom2 runs under WASI with the working directory's parents preopened;
  // -l node_modules resolves circomlib from tests/interop.
  const r = spawnSync(process.execPath,
    [join(nodeModules, 'circom2', 'cli.js'), src, '--r1cs', '--O2', '-o', dir, '-l', 'node_modules'],
    { cwd: here, encoding: 'utf8', maxBuffer: 16 << 20 });
  const out = (r.stdout || '') + (r.stderr || '');
  if (r.status !== 0)
    throw new Error(`circom2 failed on ${expr} (exit ${r.status}):\n${out}`);
  const hdr = r1csHeader(readFileSync(join(dir, `g${idx}.r1cs`)));
  const nl = /non-linear constraints:\s*(\d+)/.exec(out);
  const li = /(?:^|\n)linear constraints:\s*(\d+)/.exec(out);
  const nonlinear = nl ? Number(nl[1]) : null, linear = li ? Number(li[1]) : null;
  if (nonlinear !== null && linear !== null && nonlinear + linear !== hdr.nConstraints)
    throw new Error(`${expr}: circom says ${nonlinear} + ${linear}, the r1cs header ${hdr.nConstraints}`);
  return { constraints: hdr.nConstraints, nonlinear, linear, wires: hdr.nWires };
}

const circomVer = version('circom2'), libVer = version('circomlib');
if (!circomVer || !libVer) {
  console.error(`gadgets-circomlib: circom2 or circomlib missing under ${nodeModules} (npm ci)`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'zkpar-gadgets-'));
let failed = 0;
try {
  if (!json)
    console.log(`# circomlib ${libVer}, circom2 ${circomVer} (circom 2.2.3), --O2\n` +
      '# gadget                 constraints  (non-linear, linear)  wires');
  GADGETS.forEach(([name, include, expr], i) => {
    let c;
    try {
      c = compile(dir, i, include, expr);
    } catch (e) {
      failed++;
      console.error(`gadgets-circomlib: ${e.message}`);
      return;
    }
    if (json)
      console.log(JSON.stringify({ gadget: name, constraints: c.constraints, nonlinear: c.nonlinear,
        linear: c.linear, wires: c.wires, circom: '2.2.3', circomlib: libVer }));
    else
      console.log(`${name.padEnd(24)} ${String(c.constraints).padStart(11)}  ` +
        `(${c.nonlinear}, ${c.linear})`.padEnd(22) + String(c.wires).padStart(6));
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
