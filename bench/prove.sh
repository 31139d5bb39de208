#!/bin/sh
# prove.sh -- zk-prove on random circuits (bench/gen_circuit) with development
# keys: no node, no snarkjs, a few seconds; `make bench` runs it.  The
# comparison with snarkjs and rapidsnark on circom circuits is
# bench/groth16-vs-snarkjs.sh.
#
#   bench/prove.sh [LOG_N ...]      (default: 14; BENCH_RUNS=3)
#
# One JSON object per line: {"bench":"zk_prove","log_n":N,"constraints":C,
# "threads":T,"wall_s":S,"max_rss_mb":M} with the best wall time of the runs
# and its peak resident set (GNU time; max_rss_mb is null without it).
# Run from the build directory (tools/zk-prove, bench/gen_circuit).
set -eu
runs=${BENCH_RUNS:-3}
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
[ "$#" -gt 0 ] || set -- 14
dir=$(mktemp -d "${TMPDIR:-/tmp}/zkpar-bench-prove.XXXXXX")
trap 'rm -rf "$dir"' EXIT
gnu_time=
if /usr/bin/time -f %M true >/dev/null 2>&1; then gnu_time=/usr/bin/time; fi

for log_n in "$@"; do
    bench/gen_circuit "$log_n" "$dir" 1
    tools/zk-setup -q groth16 --dev "$dir/circuit.r1cs" "$dir/k.zkey"
    constraints=$(( (1 << log_n) - 8 ))
    for threads in 1 "$ncpu"; do
        best= best_rss=null
        i=0
        while [ "$i" -lt "$runs" ]; do
            i=$((i + 1))
            if [ -n "$gnu_time" ]; then
                "$gnu_time" -f '%e %M' -o "$dir/t" tools/zk-prove -t "$threads" \
                    "$dir/k.zkey" "$dir/witness-0000.wtns" "$dir/p.json" "$dir/x.json"
                read -r s kb <"$dir/t"
            else
                t0=$(date +%s.%N)
                tools/zk-prove -t "$threads" "$dir/k.zkey" "$dir/witness-0000.wtns" \
                    "$dir/p.json" "$dir/x.json"
                s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
                kb=
            fi
            if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
                best=$s
                [ -n "$kb" ] && best_rss=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
            fi
        done
        printf '{"bench":"zk_prove","log_n":%s,"constraints":%s,"threads":%s,"wall_s":%s,"max_rss_mb":%s}\n' \
            "$log_n" "$constraints" "$threads" "$best" "$best_rss"
        [ "$threads" = "$ncpu" ] && break
    done
done
