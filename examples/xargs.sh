#!/usr/bin/env bash
# examples/xargs.sh -- a zkpar batch on one machine with xargs -P.
#
#   xargs.sh [-j JOBS] [-t THREADS] -k KEYS -s STATE.json -o OUT BATCH.json
#
# zk-partition cuts BATCH.json into OUT/chunk-NNNN.json; `xargs -P JOBS`
# runs one zk-prove --keys a chunk, JOBS at a time, each writing
# OUT/chunk-NNNN.share.json; zk-aggregate folds the shares into
# OUT/aggregate.json (when KEYS holds srs.bin) and zk-verify checks it.
#
# Run it again on the same OUT and it resumes, as make would: the partition
# is redone only when OUT/manifest.json is missing or older than the state,
# the batch or KEYS/params.json, and a chunk whose share exists, is newer
# than the chunk and verifies is not proven again.  Every file appears whole
# or not at all (the tools write a temporary file and rename it), so an
# interrupted run leaves nothing half-written to trip on.
#
# The chunk list comes from the manifest's count, not from a listing of
# OUT: a listing would also find an earlier, longer batch's chunks.
#
# Tools: from PATH, or from the directory ZKPAR_BIN names.
# Exit status: 0 the aggregate verified (or, without srs.bin, every share
# did); 1 a share or the aggregate was rejected; 2 usage; others: the
# failing tool's.
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

m=$out/manifest.json
if [ ! -f "$m" ] || [ "$state" -nt "$m" ] || [ "$batch" -nt "$m" ] ||
    [ "$keys/params.json" -nt "$m" ]; then
    "${zk}zk-partition" -q --keys "$keys" --state "$state" --state-out "$out/post.json" \
        -o "$out" "$batch"
fi
n=$(sed -n 's/^ *"chunks": *\([0-9][0-9]*\),*$/\1/p' "$m")
[ -n "$n" ] || { echo "${0##*/}: $m: no chunk count" >&2; exit 2; }

# Every chunk as OUT/chunk-NNNN (no extension), one a line.
chunks() {
    local i=0
    while [ "$i" -lt "$n" ]; do
        printf '%s/chunk-%04d\n' "$out" "$i"
        i=$((i + 1))
    done
}

# The chunks still to prove: no share, a share older than its chunk, or one
# that does not verify.
todo() {
    local c
    chunks | while read -r c; do
        if [ "$c.share.json" -nt "$c.json" ] &&
            "${zk}zk-verify" -q --keys "$keys" "$c.share.json" </dev/null 2>/dev/null; then
            continue
        fi
        printf '%s\n' "$c"
    done
}

# -I{} runs one zk-prove per line; -P runs JOBS of them at once.  With
# -I, xargs stops at the first prover that exits 255 only; any other
# failure is reported by its exit status 123 at the end.
todo | xargs -P "$jobs" -I{} \
    "${zk}zk-prove" -q ${threads:+-t "$threads"} --keys "$keys" -o {}.share.json {}.json

mapfile -t shares < <(chunks | sed 's/$/.share.json/')
if [ ! -f "$keys/srs.bin" ]; then
    exec "${zk}zk-verify" --keys "$keys" "${shares[@]}"
fi
"${zk}zk-aggregate" -q --keys "$keys" -o "$out/aggregate.json" "${shares[@]}"
"${zk}zk-verify" --keys "$keys" "$out/aggregate.json"
