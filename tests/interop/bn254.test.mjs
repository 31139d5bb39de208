// bn254.test.mjs -- zkpar's BN254 arithmetic against @noble/curves (and
// noble against ffjavascript, so the reference itself is cross-checked).
//
// A fresh seed each run: bn254-vectors.mjs prints G1/G2 multiplications,
// additions and pairings computed by @noble/curves; tests/unit/test_pairing
// recomputes every case with libzkpar.  Set ZKPAR_BN254_SEED to replay a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomInt } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const builddir = process.env.ZKPAR_BUILDDIR ?? join(here, '..', '..');
const srcdir = process.env.ZKPAR_SRCDIR ?? join(here, '..', '..');
const seed = process.env.ZKPAR_BN254_SEED ?? String(randomInt(1, 2 ** 47));

const dir = mkdtempSync(join(tmpdir(), 'zkpar-bn254-'));
const vectors = join(dir, 'noble.jsonl');

test.after(() => rmSync(dir, { recursive: true, force: true }));

test(`@noble/curves vectors (seed ${seed}) are generated and cross-checked with ffjavascript`, () => {
  const out = execFileSync('node', [join(here, 'bn254-vectors.mjs'), seed, '12'], {
    maxBuffer: 64 << 20,
  });
  writeFileSync(vectors, out);
  assert.ok(out.toString().split('\n').length > 80);
  // exits non-zero on any mismatch between the two references
  execFileSync('node', [join(here, 'bn254-crosscheck.mjs'), vectors], { stdio: 'pipe' });
});

test('libzkpar agrees with @noble/curves on every case', () => {
  const prog = join(builddir, 'tests', 'unit', 'test_pairing');
  let tap;
  try {
    tap = execFileSync(prog, [vectors], {
      env: { ...process.env, top_srcdir: srcdir },
      maxBuffer: 64 << 20,
    }).toString();
  } catch (e) {
    assert.fail(`test_pairing failed (seed ${seed}):\n${e.stdout}`);
  }
  assert.match(tap, /@noble\/curves pairing: (\d+) of \1 cases agree/);
  assert.doesNotMatch(tap, /^not ok/m);
});

test('the go-ethereum precompile vectors agree with @noble/curves', () => {
  execFileSync('node', [join(here, 'check-precompile-vectors.mjs')], {
    env: { ...process.env, ZKPAR_SRCDIR: srcdir },
    stdio: 'pipe',
  });
});
