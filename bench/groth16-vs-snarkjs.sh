#!/bin/sh
# groth16-vs-snarkjs.sh -- Groth16 proving, zk-prove against snarkjs (and
# rapidsnark when given), on the same .zkey and .wtns: a circom Poseidon
# chain (tests/interop/circuits/lib/poseidon_chain.circom) sized to a
# 2^LOG2 evaluation domain.
#
#   bench/groth16-vs-snarkjs.sh [LOG2 ...]        (default: 16 18)
#
# One JSON object per line on stdout, one per run:
#   {"bench":"groth16_prove","impl":"zkpar"|"snarkjs"|"rapidsnark",
#    "constraints":N,"domain":D,"threads":T,"run":I,"wall_s":S,
#    "max_rss_mb":M,"verified":true}
# wall_s and max_rss_mb are GNU time's (/usr/bin/time -v) elapsed time and
# peak resident set of the whole process (node included for snarkjs).
# "verified": the proof of that run passes snarkjs groth16 verify.  Notes go
# to stderr.  An implementation that is not there is skipped with a note.
#
# Environment:
#   RUNS=3              runs per implementation and size
#   THREADS=N           zk-prove --threads (default: every CPU; snarkjs and
#                       rapidsnark use every CPU, or OMP_NUM_THREADS)
#   ZK_PROVE=PATH       zk-prove (default: from PATH, else
#                       $ZKPAR_BUILDDIR/tools/zk-prove)
#   RAPIDSNARK=PATH     rapidsnark's prover binary (ZKEY WTNS PROOF PUBLIC)
#   NODE_MEM_MB=16384   node --max-old-space-size for snarkjs
#   ZKPAR_BENCH_DIR     where the fixtures are built and kept (default:
#                       $ZKPAR_BUILDDIR/bench/groth16-cache, else
#                       <tmpdir>/zkpar-bench-groth16): DIR/chain-LOG2/ holds
#                       the circuit, witness and keys, DIR/ptau/ the test
#                       powers of tau, both reused by later runs
#   ZKPAR_BENCH_PTAU    a prepared ptau of at least 2^LOG2 to use instead of a
#                       test ptau (e.g. Hermez's powersOfTau28_hez_final_18.ptau)
#
# Fixture cost, cold, on 2 busy cores (done once, then reused): the test
# ptau (tests/interop/groth16-fixtures.mjs makeTestPtau, same bytes as
# `snarkjs powersoftau prepare phase2` would give for the same secrets)
# takes 15 s at 2^14, 57 s at 2^16 and (estimated) 4-5 minutes at 2^18;
# `snarkjs powersoftau prepare phase2` itself needs about 7 minutes at 2^14
# and hours at 2^18, hence the test ptau.  snarkjs groth16 setup, one
# contribution and the witness take 25 s at 2^14, 42 s at 2^16 and
# (estimated) 3-4 minutes at 2^18; circom2 (WASM) a few seconds.  Measured
# 2^16 end to end, RUNS=1: 110 s cold, 7 s warm.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${ZKPAR_SRCDIR:-$(cd "$here/.." && pwd)}
interop=$srcdir/tests/interop
fixtures=$interop/groth16-fixtures.mjs
snarkjs_cli=$interop/node_modules/snarkjs/build/cli.cjs

runs=${RUNS:-3}
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 1)
threads=${THREADS:-$ncpu}
node_mem=${NODE_MEM_MB:-16384}
if [ -n "${ZKPAR_BENCH_DIR:-}" ]; then
    dir=$ZKPAR_BENCH_DIR
elif [ -n "${ZKPAR_BUILDDIR:-}" ]; then
    dir=$ZKPAR_BUILDDIR/bench/groth16-cache
else
    dir=${TMPDIR:-/tmp}/zkpar-bench-groth16
fi

note() { echo "groth16-vs-snarkjs: $*" >&2; }
die() { note "$*"; exit 2; }

[ "$#" -gt 0 ] || set -- 16 18
for k in "$@"; do
    case $k in
        [0-9] | [12][0-9]) ;;
        *) die "LOG2 must be a number from 10 to 28, not '$k'" ;;
    esac
    [ "$k" -ge 10 ] && [ "$k" -le 28 ] || die "LOG2 must be from 10 to 28, not $k"
done
case $runs in '' | *[!0-9]* | 0) die "RUNS must be a positive number" ;; esac

command -v node >/dev/null 2>&1 || die "node not found"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found: apt-get install time"
[ -f "$snarkjs_cli" ] || die "snarkjs is not installed: run tests/interop/run.sh --install-only"

zk_prove=${ZK_PROVE:-}
if [ -z "$zk_prove" ]; then
    zk_prove=$(command -v zk-prove 2>/dev/null || true)
    if [ -z "$zk_prove" ] && [ -x "${ZKPAR_BUILDDIR:-.}/tools/zk-prove" ]; then
        zk_prove=${ZKPAR_BUILDDIR:-.}/tools/zk-prove
    fi
fi
if [ -z "$zk_prove" ] || [ ! -x "$zk_prove" ]; then
    note "zk-prove not found (build it with make, or set ZK_PROVE=path): skipping zkpar"
    zk_prove=
fi
rapidsnark=${RAPIDSNARK:-}
if [ -n "$rapidsnark" ] && [ ! -x "$rapidsnark" ]; then
    die "RAPIDSNARK=$rapidsnark is not an executable"
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# field NAME < JSON: a top-level member of the fixture's JSON line
field() {
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(String(v))})' "$1"
}

# verify VK PUBLIC PROOF: snarkjs groth16 verify (the JS API), exit 0 if valid
verify() {
    node --input-type=module -e '
        import { pathToFileURL } from "node:url";
        import { readFileSync } from "node:fs";
        const [main, vk, pub, proof] = process.argv.slice(1);
        const s = await import(pathToFileURL(main).href);
        const rd = (f) => JSON.parse(readFileSync(f, "utf8"));
        let ok = false;
        try { ok = await s.groth16.verify(rd(vk), rd(pub), rd(proof)); } catch (e) { console.error(String(e)); }
        process.exit(ok ? 0 : 1);
    ' "$interop/node_modules/snarkjs/main.js" "$1" "$2" "$3"
}

# measure IMPL THREADS CONSTRAINTS DOMAIN VK OUTDIR CMD...: RUNS timed runs
measure() {
    impl=$1 thr=$2 nc=$3 dom=$4 vk=$5 out=$6
    shift 6
    i=1
    while [ "$i" -le "$runs" ]; do
        rm -f "$out/proof.json" "$out/public.json"
        if ! /usr/bin/time -v -o "$out/time.txt" "$@" >"$out/stdout.txt" 2>"$out/stderr.txt"; then
            note "$impl failed (run $i):"
            cat "$out/stderr.txt" >&2
            return 1
        fi
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
                   n = split($2, t, ":"); s = 0
                   for (j = 1; j <= n; j++) s = s * 60 + t[j]
                   printf "%.2f", s }' "$out/time.txt")
        rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$out/time.txt")
        if verify "$vk" "$out/public.json" "$out/proof.json"; then
            ok=true
        else
            ok=false
            note "$impl: the proof of run $i does not verify in snarkjs"
        fi
        printf '{"bench":"groth16_prove","impl":"%s","constraints":%s,"domain":%s,"threads":%s,"run":%s,"wall_s":%s,"max_rss_mb":%s,"verified":%s}\n' \
            "$impl" "$nc" "$dom" "$thr" "$i" "$wall" "$rss" "$ok"
        i=$((i + 1))
    done
}

status=0
for k in "$@"; do
    # A step of the chain is ~518 constraints under circom's default --O1:
    # as many as fit below 2^k with room for the public inputs.
    steps=$(( ((1 << k) - 64) / 518 ))
    fdir=$dir/chain-$k
    ptau=${ZKPAR_BENCH_PTAU:-$dir/ptau/test_p$k.ptau}
    note "2^$k: fixture in $fdir (ptau $ptau) ..."
    json=$(node "$fixtures" chain "$fdir" "$steps" "$ptau") || die "could not build the 2^$k fixture"
    zkey=$(printf '%s' "$json" | field zkey)
    wtns=$(printf '%s' "$json" | field wtns)
    vk=$(printf '%s' "$json" | field vk)
    nc=$(printf '%s' "$json" | field nConstraints)
    dom=$(printf '%s' "$json" | field domainSize)
    note "2^$k: $nc constraints, domain $dom, $runs run(s) each"

    if [ -n "$zk_prove" ]; then
        out=$fdir/out-zkpar
        mkdir -p "$out"
        measure zkpar "$threads" "$nc" "$dom" "$vk" "$out" \
            "$zk_prove" --threads "$threads" "$zkey" "$wtns" "$out/proof.json" "$out/public.json" ||
            status=1
    fi

    out=$fdir/out-snarkjs
    mkdir -p "$out"
    measure snarkjs "$ncpu" "$nc" "$dom" "$vk" "$out" \
        node --max-old-space-size="$node_mem" "$snarkjs_cli" groth16 prove \
        "$zkey" "$wtns" "$out/proof.json" "$out/public.json" || status=1

    if [ -n "$rapidsnark" ]; then
        out=$fdir/out-rapidsnark
        mkdir -p "$out"
        measure rapidsnark "${OMP_NUM_THREADS:-$ncpu}" "$nc" "$dom" "$vk" "$out" \
            "$rapidsnark" "$zkey" "$wtns" "$out/proof.json" "$out/public.json" || status=1
    fi
done
exit "$status"
