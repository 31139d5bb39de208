#!/usr/bin/env bash
# Build everything and run the demo.
#
# The rollup pipeline (zk-partition -> zk-prove -> zk-aggregate -> zk-verify)
# is not written yet, so for now the demo is its proving stage: a random
# circuit of 2^14 constraints with a development key, eight witnesses proven
# in parallel with `xargs -P`, every proof verified, with timings; then the
# `make bench` figures.  DEMO_LOG_N=16 and DEMO_PROOFS=16 make it bigger.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

scripts/setup-deps.sh
zk_bootstrap
zk_configure subset --enable-benchmark
make -j"${JOBS:-2}"

log_n=${DEMO_LOG_N:-14}
nproofs=${DEMO_PROOFS:-8}
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
dir=$(mktemp -d "${TMPDIR:-/tmp}/zkpar-demo.XXXXXX")
trap 'rm -rf "$dir"' EXIT
PATH=$PWD/tools:$PATH

now() { date +%s.%N; }
lap() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }

echo "==> demo in $dir: a random circuit of 2^$log_n constraints, $nproofs witnesses"
t=$(now)
bench/gen_circuit "$log_n" "$dir" "$nproofs"
echo "    circuit and witnesses written ($(lap "$t"))"

t=$(now)
zk-setup -q groth16 --dev "$dir/circuit.r1cs" "$dir/circuit.zkey"
zk-setup vk "$dir/circuit.zkey" "$dir/vk.json"
echo "    development key ($(lap "$t")); a real deployment uses a .ptau and contributions"

t=$(now)
# one single-threaded prover per core, each proof on its own
ls "$dir"/witness-*.wtns | xargs -P "$jobs" -I{} \
    zk-prove -t 1 "$dir/circuit.zkey" {} {}.proof.json {}.public.json
echo "    $nproofs proofs with xargs -P $jobs ($(lap "$t"))"

t=$(now)
for w in "$dir"/witness-*.wtns; do
    zk-verify -q "$dir/vk.json" "$w.public.json" "$w.proof.json"
done
echo "    $nproofs proofs verified ($(lap "$t"))"

echo "==> one proof with every thread, phase by phase"
zk-prove --progress "$dir/circuit.zkey" "$dir/witness-0000.wtns" "$dir/p.json" "$dir/x.json"
zk-verify "$dir/vk.json" "$dir/x.json" "$dir/p.json"

echo "==> make bench"
make bench
echo "demo: done (the rollup pipeline, partition -> prove -> aggregate -> verify, is in progress)"
