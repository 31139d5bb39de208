#!/usr/bin/env bash
# examples/pipeline.sh -- a zkpar batch as one Unix pipeline.
#
#   pipeline.sh [-j JOBS] [-t THREADS] -k KEYS -s STATE.json -o OUT BATCH.json
#
# zk-partition writes files (one chunk a file, so that any host can take
# any chunk); from there on the data streams:
#
#   zk-partition -q --keys KEYS --state STATE.json -o OUT BATCH.json
#   ls OUT/chunk-*.json |                            # (the manifest's list)
#       xargs -P JOBS -n 1 zk-prove --keys KEYS |    # one share each, stdout
#       jq -c . |                                    # JSON lines (optional)
#       zk-aggregate -q --keys KEYS |                # shares on stdin
#       zk-verify --keys KEYS -                      # the aggregate on stdin
#
# Why the shares can share one pipe: each zk-prove writes its share (about
# 1.4 kB, whatever the chunk size or depths) to standard output in one
# write(2), and a write of at most PIPE_BUF (4096) bytes to a pipe is never
# interleaved with another, so the stream is a sequence of whole JSON
# documents in completion order.  zk-aggregate reads such a stream (JSON
# lines, or documents one after another) and takes the shares in any order;
# `jq -c .` only makes it one share a line, for a log or a reader (it is
# left out when jq is not installed).
#
# The aggregate is also kept: tee writes it to a temporary file, renamed
# to OUT/aggregate.json once zk-verify has accepted it.  Nothing else is
# written but the partition's files: the shares only exist in the pipe (use
# xargs.sh or the Makefile to keep them and resume).
#
# Tools: from PATH, or from the directory ZKPAR_BIN names.
# Exit status: 0 the aggregate verified; otherwise that of the first stage
# that failed (a prover's failure shows as xargs' 123), with its name on
# standard error.
set -euo pipefail

usage() {
    echo "usage: ${0##*/} [-j JOBS] [-t THREADS] -k KEYS -s STATE.json -o OUT BATCH.json" >&2
    exit 2
}

jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
threads='' keys='' state='' out=''
while getopts j:t:k:s:o:h opt; do
    case $opt in
        j) jobs=$OPTARG ;;
        t) threads=$OPTARG ;;
        k) keys=$OPTARG ;;
        s) state=$OPTARG ;;
        o) out=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] && [ -n "$keys" ] && [ -n "$state" ] && [ -n "$out" ] || usage
batch=$1
zk=${ZKPAR_BIN:+${ZKPAR_BIN%/}/}

"${zk}zk-partition" -q --keys "$keys" --state "$state" -o "$out" "$batch"
n=$(sed -n 's/^ *"chunks": *\([0-9][0-9]*\),*$/\1/p' "$out/manifest.json")
[ -n "$n" ] || { echo "${0##*/}: $out/manifest.json: no chunk count" >&2; exit 2; }

# The manifest's chunks, one a line (a listing of OUT would also find an
# earlier, longer batch's chunks, or shares written there by other means).
chunks() {
    local i=0
    while [ "$i" -lt "$n" ]; do
        printf '%s/chunk-%04d.json\n' "$out" "$i"
        i=$((i + 1))
    done
}

json_lines() {
    if command -v jq >/dev/null 2>&1; then jq -c .; else cat; fi
}

tmp=$(mktemp "$out/aggregate.json.tmp.XXXXXX")
trap 'rm -f "$tmp"' EXIT
set +e
chunks |
    xargs -P "$jobs" -n 1 "${zk}zk-prove" -q ${threads:+-t "$threads"} --keys "$keys" |
    json_lines |
    "${zk}zk-aggregate" -q --keys "$keys" |
    tee "$tmp" |
    "${zk}zk-verify" --keys "$keys" -
st=("${PIPESTATUS[@]}")
set -e
names=(list "xargs zk-prove" "jq -c" zk-aggregate tee zk-verify)
for i in "${!st[@]}"; do
    if [ "${st[$i]}" -ne 0 ]; then
        echo "${0##*/}: ${names[$i]} failed (exit status ${st[$i]})" >&2
        exit "${st[$i]}"
    fi
done
mv "$tmp" "$out/aggregate.json"
trap - EXIT
