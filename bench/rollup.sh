#!/bin/sh
# rollup.sh -- the rollup pipeline's figures: the chunk circuit's size, and
# partition, witness and prove times per chunk, for chunk sizes K at depth
# D and token depth T; optionally a whole batch end to end.
#
#   bench/rollup.sh [K ...]                     (default: 4)
#   bench/rollup.sh --batch M K                 M transactions, chunks of K
#
#   ROLLUP_D (24) ROLLUP_T (4): the tree depths; BENCH_RUNS (1): proofs per
#   chunk size (the best is kept).  SNARKJS=path/to/snarkjs/cli.js and
#   RAPIDSNARK=path/to/prover also time `snarkjs groth16 prove` and
#   rapidsnark on the same chunk.zkey and witness (zk-prove --wtns), and
#   check their proofs with zk-verify.
#
# One JSON object per line:
#   {"bench":"rollup_chunk","k":K,"depth":D,"tokens":T,"constraints":N,
#    "constraints_per_tx":N/K,"setup_s":S,"partition_s":S,"witness_s":S,
#    "prove_s":S,"max_rss_mb":M,"snarkjs_s":S,"rapidsnark_s":S}
#     prove_s: zk-prove --keys on one full chunk, every thread, whole process
#     (read, rules, witness, proof, write); witness_s: its witness phase.
#   {"bench":"rollup_batch","txs":M,"k":K,"chunks":n,"depth":D,"tokens":T,
#    "partition_s":S,"prove_1x2_s":S,"prove_2x1_s":S,"verify_s":S,
#    "speedup":X}
#     prove_1x2_s: the chunks one after another, each with 2 threads;
#     prove_2x1_s: xargs -P2, one thread each (the same work in parallel).
# Development keys (zk-setup chunk --dev): no ptau needed.  Run from the
# build directory.
set -eu
D=${ROLLUP_D:-24}
T=${ROLLUP_T:-4}
runs=${BENCH_RUNS:-1}
dir=$(mktemp -d "${TMPDIR:-/tmp}/zkpar-bench-rollup.XXXXXX")
trap 'rm -rf "$dir"' EXIT
gnu_time=
if /usr/bin/time -f %M true >/dev/null 2>&1; then gnu_time=/usr/bin/time; fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# genesis with 64 accounts (the batch generator needs senders) and keys of
# chunk size $1 in $dir/k$1
setup_keys() {
    [ -f "$dir/state.json" ] ||
        tools/zk-wallet genesis --accounts 64 --depth "$D" --tokens "$T" --seed bench \
            -o "$dir/state.json" --keys "$dir/keys.json"
    t0=$(now)
    tools/zk-setup -q chunk --chunk-size "$1" --depth "$D" --tokens "$T" --dev -o "$dir/k$1"
    setup_s=$(since "$t0")
}

if [ "${1:-}" = --batch ]; then
    m=$2 k=$3
    setup_keys "$k"
    tools/zk-wallet batch --state "$dir/state.json" --keys "$dir/keys.json" --count "$m" \
        --seed bench -o "$dir/batch.json"
    t0=$(now)
    tools/zk-partition -q --keys "$dir/k$k" --state "$dir/state.json" -o "$dir/out" \
        "$dir/batch.json"
    part_s=$(since "$t0")
    n=$(ls "$dir"/out/chunk-*.json | wc -l)
    t0=$(now)
    ls "$dir"/out/chunk-*.json | xargs -P1 -I{} tools/zk-prove -t 2 --keys "$dir/k$k" -o {}.a {}
    p1=$(since "$t0")
    t0=$(now)
    ls "$dir"/out/chunk-*.json | xargs -P2 -I{} tools/zk-prove -t 1 --keys "$dir/k$k" -o {}.b {}
    p2=$(since "$t0")
    t0=$(now)
    tools/zk-verify -q --keys "$dir/k$k" "$dir"/out/chunk-*.json.b
    v=$(since "$t0")
    printf '{"bench":"rollup_batch","txs":%s,"k":%s,"chunks":%s,"depth":%s,"tokens":%s,"partition_s":%s,"prove_1x2_s":%s,"prove_2x1_s":%s,"verify_s":%s,"speedup":%s}\n' \
        "$m" "$k" "$n" "$D" "$T" "$part_s" "$p1" "$p2" "$v" \
        "$(awk -v a="$p1" -v b="$p2" 'BEGIN { printf "%.2f", a / b }')"
    exit 0
fi

[ "$#" -gt 0 ] || set -- 4
for k in "$@"; do
    setup_keys "$k"
    constraints=$(sed -n 's/.*"constraints": *\([0-9]*\).*/\1/p' "$dir/k$k/params.json")
    tools/zk-wallet batch --state "$dir/state.json" --keys "$dir/keys.json" --count "$k" \
        --seed "bench$k" -o "$dir/batch$k.json"
    t0=$(now)
    tools/zk-partition -q --keys "$dir/k$k" --state "$dir/state.json" -o "$dir/out$k" \
        "$dir/batch$k.json"
    part_s=$(since "$t0")
    best= best_rss=null wit=
    i=0
    while [ "$i" -lt "$runs" ]; do
        i=$((i + 1))
        t0=$(now)
        if [ -n "$gnu_time" ]; then
            "$gnu_time" -f '%M' -o "$dir/rss" tools/zk-prove --progress --keys "$dir/k$k" \
                --wtns "$dir/w.wtns" -o "$dir/s.json" "$dir/out$k/chunk-0000.json" \
                2>"$dir/progress"
        else
            tools/zk-prove --progress --keys "$dir/k$k" --wtns "$dir/w.wtns" \
                -o "$dir/s.json" "$dir/out$k/chunk-0000.json" 2>"$dir/progress"
        fi
        s=$(since "$t0")
        if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$s
            wit=$(awk '$2 == "witness" { print $3 }' "$dir/progress")
            [ -n "$gnu_time" ] &&
                best_rss=$(awk '{ printf "%.1f", $1 / 1024 }' "$dir/rss")
        fi
    done
    tools/zk-verify -q --keys "$dir/k$k" "$dir/s.json"
    # other provers on the same key and witness (whole process, as zk-prove)
    sj=null rs=null
    if [ -n "${SNARKJS:-}" ]; then
        tools/zk-setup -q vk "$dir/k$k/chunk.zkey" "$dir/vk.json"
        t0=$(now)
        node "$SNARKJS" groth16 prove "$dir/k$k/chunk.zkey" "$dir/w.wtns" "$dir/p.json" \
            "$dir/x.json"
        sj=$(since "$t0")
        tools/zk-verify -q "$dir/vk.json" "$dir/x.json" "$dir/p.json"
    fi
    if [ -n "${RAPIDSNARK:-}" ]; then
        tools/zk-setup -q vk "$dir/k$k/chunk.zkey" "$dir/vk.json"
        t0=$(now)
        "$RAPIDSNARK" "$dir/k$k/chunk.zkey" "$dir/w.wtns" "$dir/p.json" "$dir/x.json"
        rs=$(since "$t0")
        tools/zk-verify -q "$dir/vk.json" "$dir/x.json" "$dir/p.json"
    fi
    printf '{"bench":"rollup_chunk","k":%s,"depth":%s,"tokens":%s,"constraints":%s,"constraints_per_tx":%s,"setup_s":%s,"partition_s":%s,"witness_s":%s,"prove_s":%s,"max_rss_mb":%s,"snarkjs_s":%s,"rapidsnark_s":%s}\n' \
        "$k" "$D" "$T" "$constraints" "$((constraints / k))" "$setup_s" "$part_s" \
        "$wit" "$best" "$best_rss" "$sj" "$rs"
done
