#!/bin/sh
# scaling.sh -- how the time of a batch scales with the number of provers.
# Measures each stage of one batch once -- zk-partition, one chunk's proof
# with one thread, zk-aggregate, zk-verify of the aggregate -- and models
# the time with W workers (one chunk at a time each, one thread each):
#
#   T(W) = partition + ceil(n / W) * chunk + aggregate + verify
#
# for W = 1, 2, 4, ... 64, next to the time measured for W = 1 and 2 (the
# same n chunks proven with `xargs -P W zk-prove -t 1`, the other stages as
# measured).  The model assumes a core a worker and nothing shared between
# workers; the measured rows show what that leaves out on this machine
# (two provers sharing its memory bandwidth and caches).
#
#   bench/scaling.sh [TXS [K]]            (default: 256 transactions, K = 16)
#
#   SCALING_D (8), SCALING_T (2): the tree depths; SCALING_MEASURE ("1 2"):
#   the worker counts to measure (no more than the cores); SCALING_MAX (64):
#   the largest modelled W; BENCH_RUNS (1): proofs of the timed chunk (the
#   best is kept).  ZKPAR_BIN: where the tools are (default: ./tools when
#   run from the build directory, else the source tree's tools/).
#
# Development keys (zk-setup chunk --dev, zk-setup srs --dev): no ptau.
# One JSON object per line on stdout:
#   {"bench":"scaling_stages","txs":M,"k":K,"chunks":n,"depth":D,"tokens":T,
#    "constraints":N,"cores":C,"setup_s":S,"partition_s":S,"chunk_s":S,
#    "aggregate_s":S,"verify_s":S,"load_start":L,"load_end":L}
#     setup_s: the chunk key (once per deployment, not in the model);
#     chunk_s: zk-prove -t 1 of chunk 0, the whole process; load_start,
#     load_end: the 1-minute load average before and after (null where
#     /proc/loadavg is missing): more than the cores means other work
#     shared them, and the figures are not this machine's.
#   {"bench":"scaling","workers":W,"chunks":n,"rounds":ceil(n/W),
#    "model_s":S,"speedup_model":X,"prove_s":S|null,"measured_s":S|null,
#    "speedup_measured":X|null}
#     prove_s: the measured proving stage (xargs -P W); measured_s: it plus
#     the other measured stages; the speed-ups are against W = 1.
# and the same as a table on stderr.
set -eu
txs=${1:-256}
k=${2:-16}
D=${SCALING_D:-8}
T=${SCALING_T:-2}
measure=${SCALING_MEASURE:-1 2}
wmax=${SCALING_MAX:-64}
runs=${BENCH_RUNS:-1}
if [ -n "${ZKPAR_BIN:-}" ]; then
    bin=$ZKPAR_BIN
elif [ -x tools/zk-prove ]; then
    bin=$PWD/tools
else
    bin=$(cd "$(dirname "$0")/.." && pwd)/tools
fi
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
dir=$(mktemp -d "${TMPDIR:-/tmp}/zkpar-bench-scaling.XXXXXX")
trap 'rm -rf "$dir"' EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
say() { printf '%s\n' "$*" >&2; }
load() { if [ -r /proc/loadavg ]; then cut -d' ' -f1 /proc/loadavg; else echo null; fi; }

load_start=$(load)
say "scaling: $txs transactions, K = $k, D = $D, T = $T, $cores cores (in $dir)"
"$bin/zk-wallet" genesis --accounts 64 --depth "$D" --tokens "$T" --seed scaling \
    -o "$dir/state.json" --keys "$dir/keys.json"
"$bin/zk-wallet" batch --state "$dir/state.json" --keys "$dir/keys.json" --count "$txs" \
    --seed scaling -o "$dir/batch.json"
t0=$(now)
"$bin/zk-setup" -q chunk --chunk-size "$k" --depth "$D" --tokens "$T" --dev -o "$dir/keys"
setup_s=$(since "$t0")
constraints=$(sed -n 's/.*"constraints": *\([0-9]*\).*/\1/p' "$dir/keys/params.json")

# partition
t0=$(now)
"$bin/zk-partition" -q --keys "$dir/keys" --state "$dir/state.json" -o "$dir/out" \
    "$dir/batch.json"
partition_s=$(since "$t0")
n=$(printf '%s\n' "$dir"/out/chunk-*.json | wc -l)
"$bin/zk-setup" -q srs --max "$n" --dev -o "$dir/keys"

# one chunk, one thread (best of $runs)
chunk_s=
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    t0=$(now)
    "$bin/zk-prove" -t 1 --keys "$dir/keys" -o "$dir/one.share" "$dir/out/chunk-0000.json"
    s=$(since "$t0")
    if [ -z "$chunk_s" ] || awk -v a="$s" -v b="$chunk_s" 'BEGIN { exit !(a < b) }'; then
        chunk_s=$s
    fi
done

# the proving stage with W workers, for each measured W
for w in $measure; do
    rm -f "$dir"/out/*.share
    t0=$(now)
    printf '%s\n' "$dir"/out/chunk-*.json |
        xargs -P "$w" -I{} "$bin/zk-prove" -q -t 1 --keys "$dir/keys" -o {}.share {}
    eval "prove_$w=$(since "$t0")"
    say "  proved $n chunks with $w worker(s): $(eval echo "\$prove_$w") s"
done

# aggregation and verification (of the last measured run's shares)
t0=$(now)
"$bin/zk-aggregate" -q --keys "$dir/keys" -o "$dir/aggregate.json" "$dir"/out/*.share
aggregate_s=$(since "$t0")
t0=$(now)
"$bin/zk-verify" -q --keys "$dir/keys" "$dir/aggregate.json"
verify_s=$(since "$t0")
load_end=$(load)

printf '{"bench":"scaling_stages","txs":%s,"k":%s,"chunks":%s,"depth":%s,"tokens":%s,"constraints":%s,"cores":%s,"setup_s":%s,"partition_s":%s,"chunk_s":%s,"aggregate_s":%s,"verify_s":%s,"load_start":%s,"load_end":%s}\n' \
    "$txs" "$k" "$n" "$D" "$T" "$constraints" "$cores" "$setup_s" "$partition_s" \
    "$chunk_s" "$aggregate_s" "$verify_s" "$load_start" "$load_end"

say ""
say "load average $load_start before, $load_end after ($cores cores)"
say "stages: partition $partition_s s, one chunk (1 thread) $chunk_s s, aggregate $aggregate_s s, verify $verify_s s"
say "$(printf '%8s %7s %12s %9s %12s %9s' workers rounds 'model (s)' speed-up 'measured (s)' speed-up)"
fixed=$(awk -v p="$partition_s" -v a="$aggregate_s" -v v="$verify_s" 'BEGIN { printf "%.3f", p + a + v }')
model1=$(awk -v f="$fixed" -v n="$n" -v c="$chunk_s" 'BEGIN { printf "%.3f", f + n * c }')
measured1=
w=1
while [ "$w" -le "$wmax" ]; do
    rounds=$(( (n + w - 1) / w ))
    model=$(awk -v f="$fixed" -v r="$rounds" -v c="$chunk_s" 'BEGIN { printf "%.3f", f + r * c }')
    su_model=$(awk -v a="$model1" -v b="$model" 'BEGIN { printf "%.2f", a / b }')
    prove=null measured=null su_measured=null
    case " $measure " in
        *" $w "*)
            prove=$(eval echo "\$prove_$w")
            measured=$(awk -v f="$fixed" -v p="$prove" 'BEGIN { printf "%.3f", f + p }')
            [ "$w" -eq 1 ] && measured1=$measured
            if [ -n "$measured1" ]; then
                su_measured=$(awk -v a="$measured1" -v b="$measured" 'BEGIN { printf "%.2f", a / b }')
            fi
            ;;
    esac
    printf '{"bench":"scaling","workers":%s,"chunks":%s,"rounds":%s,"model_s":%s,"speedup_model":%s,"prove_s":%s,"measured_s":%s,"speedup_measured":%s}\n' \
        "$w" "$n" "$rounds" "$model" "$su_model" "$prove" "$measured" "$su_measured"
    say "$(printf '%8s %7s %12s %8sx %12s %9s' "$w" "$rounds" "$model" "$su_model" \
        "$( [ "$measured" = null ] && echo - || echo "$measured")" \
        "$( [ "$su_measured" = null ] && echo - || echo "${su_measured}x")")"
    w=$((w * 2))
done
