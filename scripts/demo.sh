#!/usr/bin/env bash
# Build everything and run the demo: a rollup batch of 256 transactions
# partitioned into 16 chunks, the chunks proven in parallel (one prover a
# core), the proof shares folded into one SnarkPack aggregate and verified,
# and the same chunks proven again with one worker, for the speed-up; a
# table of the stages; then the `make bench` figures.
#
# A state of 64 accounts (account tree depth 8, 4 tokens) and a batch of
# signed transfers, deposits and withdrawals (zk-wallet), chunks of 16
# transactions (zk-setup chunk --dev: a DEVELOPMENT key), zk-partition, one
# zk-prove -t 1 per chunk with `xargs -P` (as many workers as cores), then
# `xargs -P1`, zk-aggregate (with a DEVELOPMENT SRS), zk-verify of the
# aggregate.  About 2.5 minutes on two cores, without the build and
# `make bench`.
# DEMO_TXS (256), DEMO_K (16), DEMO_DEPTH (8), DEMO_TOKENS (2) change the
# sizes; DEMO_BENCH=0 leaves out `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

scripts/setup-deps.sh
zk_bootstrap
zk_configure subset --enable-benchmark
make -j"${JOBS:-2}"

txs=${DEMO_TXS:-256}
k=${DEMO_K:-16}
depth=${DEMO_DEPTH:-8}
tokens=${DEMO_TOKENS:-2}
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
dir=$(mktemp -d "${TMPDIR:-/tmp}/zkpar-demo.XXXXXX")
trap 'rm -rf "$dir"' EXIT
PATH=$PWD/tools:$PATH

now() { date +%s.%N; }
# seconds since $1, two decimals
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# $1 / $2 with two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "==> demo in $dir: $txs transactions, chunks of $k, depth $depth, 2^$tokens tokens, $jobs cores"
t=$(now)
zk-wallet genesis --accounts 64 --depth "$depth" --tokens "$tokens" --seed demo \
    -o "$dir/state.json" --keys "$dir/keys.json"
zk-wallet batch --state "$dir/state.json" --keys "$dir/keys.json" --count "$txs" \
    --seed demo -o "$dir/batch.json"
echo "    state and signed batch ($(since "$t") s)"

t=$(now)
zk-setup -q chunk --chunk-size "$k" --depth "$depth" --tokens "$tokens" --dev -o "$dir/keys"
zk-setup -q srs --max "$(( (txs + k - 1) / k ))" --dev -o "$dir/keys"
setup_s=$(since "$t")
echo "    chunk circuit of $(sed -n 's/.*"constraints": *\([0-9]*\).*/\1/p' "$dir/keys/params.json") constraints, its development key and SRS (${setup_s} s, once per deployment)"

t=$(now)
zk-partition -q --keys "$dir/keys" --state "$dir/state.json" --state-out "$dir/post.json" \
    -o "$dir/chunks" "$dir/batch.json"
part_s=$(since "$t")
n=$(printf '%s\n' "$dir"/chunks/chunk-*.json | wc -l)
echo "    partitioned into $n self-contained chunks ($part_s s)"

t=$(now)
printf '%s\n' "$dir"/chunks/chunk-*.json | xargs -P "$jobs" -I{} \
    zk-prove -q -t 1 --keys "$dir/keys" -o {}.share {}
prove_s=$(since "$t")
echo "    $n chunks proven with xargs -P $jobs ($prove_s s)"

t=$(now)
zk-aggregate -q --keys "$dir/keys" -o "$dir/aggregate.json" "$dir"/chunks/chunk-*.json.share
agg_s=$(since "$t")
echo "    $n shares aggregated into one SnarkPack proof ($agg_s s)"

t=$(now)
zk-verify --keys "$dir/keys" "$dir/aggregate.json" | sed 's|^.*/||; s/^/    /'
verify_s=$(since "$t")
echo "    the aggregate verified ($verify_s s)"

echo "==> the same $n chunks proven again with one worker (xargs -P 1), for comparison"
t=$(now)
printf '%s\n' "$dir"/chunks/chunk-*.json | xargs -P 1 -I{} \
    zk-prove -q -t 1 --keys "$dir/keys" -o {}.one {}
prove1_s=$(since "$t")
zk-verify -q --keys "$dir/keys" "$dir"/chunks/chunk-*.json.one
echo "    $n chunks proven one after another ($prove1_s s), every share verified"

total_s=$(awk -v a="$part_s" -v b="$prove_s" -v c="$agg_s" -v d="$verify_s" 'BEGIN { printf "%.2f", a + b + c + d }')
total1_s=$(awk -v a="$part_s" -v b="$prove1_s" -v c="$agg_s" -v d="$verify_s" 'BEGIN { printf "%.2f", a + b + c + d }')
echo
echo "    $txs transactions, $n chunks of $k (D = $depth, T = $tokens), $jobs cores"
printf '    %-36s %10s %10s %9s\n' stage "wall time" "chunks/s" speed-up
row() { printf '    %-36s %8s s %10s %9s\n' "$@"; }
row "zk-partition" "$part_s" "$(ratio "$n" "$part_s")" ""
row "zk-prove, 1 worker (xargs -P 1)" "$prove1_s" "$(ratio "$n" "$prove1_s")" "1.00x"
row "zk-prove, $jobs workers (xargs -P $jobs)" "$prove_s" "$(ratio "$n" "$prove_s")" \
    "$(ratio "$prove1_s" "$prove_s")x"
row "zk-aggregate" "$agg_s" "$(ratio "$n" "$agg_s")" ""
row "zk-verify (the aggregate)" "$verify_s" "" ""
row "batch, 1 worker" "$total1_s" "$(ratio "$n" "$total1_s")" "1.00x"
row "batch, $jobs workers" "$total_s" "$(ratio "$n" "$total_s")" "$(ratio "$total1_s" "$total_s")x"
echo "    (chunks/s: chunks over the stage's wall time; speed-up: against one worker;"
echo "    bench/scaling.sh models 1 to 64 workers from these stages)"

echo "==> one chunk with every thread, phase by phase"
zk-prove --progress --keys "$dir/keys" -o "$dir/s.json" "$dir/chunks/chunk-0000.json"

if [ "${DEMO_BENCH:-1}" != 0 ]; then
    echo "==> make bench"
    make bench
fi
echo "demo: done"
