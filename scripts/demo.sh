#!/usr/bin/env bash
# Build everything and run the demo: a rollup batch partitioned, its chunks
# proven in parallel, the proof shares folded into one SnarkPack aggregate
# and verified, with timings; then the `make bench` figures.
#
# A state of 64 accounts (account tree depth 16, 4 tokens) and a batch of
# 32 signed transfers, deposits and withdrawals (zk-wallet), chunks of 4
# transactions (zk-setup chunk --dev: a DEVELOPMENT key), zk-partition, one
# zk-prove per chunk with `xargs -P`, zk-aggregate (with a DEVELOPMENT SRS),
# zk-verify of the aggregate.
# DEMO_TXS, DEMO_K, DEMO_DEPTH and DEMO_TOKENS change the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

scripts/setup-deps.sh
zk_bootstrap
zk_configure subset --enable-benchmark
make -j"${JOBS:-2}"

txs=${DEMO_TXS:-32}
k=${DEMO_K:-4}
depth=${DEMO_DEPTH:-16}
tokens=${DEMO_TOKENS:-2}
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
dir=$(mktemp -d "${TMPDIR:-/tmp}/zkpar-demo.XXXXXX")
trap 'rm -rf "$dir"' EXIT
PATH=$PWD/tools:$PATH

now() { date +%s.%N; }
lap() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }

echo "==> demo in $dir: $txs transactions, chunks of $k, depth $depth, 2^$tokens tokens"
t=$(now)
zk-wallet genesis --accounts 64 --depth "$depth" --tokens "$tokens" --seed demo \
    -o "$dir/state.json" --keys "$dir/keys.json"
zk-wallet batch --state "$dir/state.json" --keys "$dir/keys.json" --count "$txs" \
    --seed demo -o "$dir/batch.json"
echo "    state and signed batch ($(lap "$t"))"

t=$(now)
zk-setup -q chunk --chunk-size "$k" --depth "$depth" --tokens "$tokens" --dev -o "$dir/keys"
zk-setup -q srs --max "$(( (txs + k - 1) / k ))" --dev -o "$dir/keys"
echo "    chunk circuit of $(sed -n 's/.*"constraints": *\([0-9]*\).*/\1/p' "$dir/keys/params.json") constraints, its development key and SRS ($(lap "$t"))"

t=$(now)
zk-partition -q --keys "$dir/keys" --state "$dir/state.json" --state-out "$dir/post.json" \
    -o "$dir/chunks" "$dir/batch.json"
n=$(ls "$dir"/chunks/chunk-*.json | wc -l)
echo "    partitioned into $n self-contained chunks ($(lap "$t"))"

t=$(now)
ls "$dir"/chunks/chunk-*.json | xargs -P "$jobs" -I{} \
    zk-prove -t 1 --keys "$dir/keys" -o {}.share {}
prove_s=$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
echo "    $n chunks proven with xargs -P $jobs ($prove_s s, $(awk -v n="$n" -v s="$prove_s" 'BEGIN { printf "%.2f", n / s }') chunks/s)"

t=$(now)
zk-aggregate -q --keys "$dir/keys" -o "$dir/aggregate.json" "$dir"/chunks/chunk-*.json.share
echo "    $n shares aggregated into one SnarkPack proof ($(lap "$t"))"

t=$(now)
zk-verify --keys "$dir/keys" "$dir/aggregate.json" | sed 's|^.*/||; s/^/    /'
echo "    the aggregate verified ($(lap "$t"))"

echo "==> one chunk with every thread, phase by phase"
zk-prove --progress --keys "$dir/keys" -o "$dir/s.json" "$dir/chunks/chunk-0000.json"

echo "==> make bench"
make bench
echo "demo: done"
