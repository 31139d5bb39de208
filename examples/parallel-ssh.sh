#!/usr/bin/env bash
# examples/parallel-ssh.sh -- prove a partitioned zkpar batch on SSH hosts
# with GNU parallel, then aggregate and verify here.
#
#   parallel-ssh.sh -S SSHLOGINFILE -k KEYS [-K REMOTE_KEYS] [-B REMOTE_BIN]
#                   [-t THREADS] [-r RETRIES] [-l JOBLOG] [-w WORKDIR] CHUNK_DIR
#
# CHUNK_DIR is zk-partition's output (manifest.json, chunk-NNNN.json).  For
# each chunk without a good share, GNU parallel sends the chunk to a host
# (--transferfile, rsync over ssh), runs zk-prove --keys there, brings
# chunk-NNNN.share.json back into CHUNK_DIR (--return) and removes both on
# the host (--cleanup).  Then, when KEYS holds srs.bin, zk-aggregate writes
# CHUNK_DIR/aggregate.json and zk-verify checks it.
#
# The hosts.  SSHLOGINFILE lists them, one a line, in parallel(1)'s
# --sshloginfile form: `4/user@host` runs 4 proofs at once on host (give
# -t THREADS so that jobs x threads is about the host's cores), `ssh -p 2222
# host` a login with its own ssh command, `:` this machine.  Each host needs:
#   - ssh by key, without a prompt (BatchMode), and rsync (parallel's
#     transfers use it);
#   - zk-prove on its PATH (or in REMOTE_BIN, the same path on every host);
#   - the chunk key: by default it is sent, KEYS/params.json and
#     KEYS/chunk.zkey, once per host per run (--basefile) into the work
#     directory, and removed at the end.  A key is big (hundreds of MB for a
#     production chunk size): install the keys directory on every host at
#     the same path instead and give it as -K REMOTE_KEYS.
# On the hosts everything happens in WORKDIR (relative to the login
# directory; default zkpar-BATCH, BATCH the first 16 digits of the batch
# id), so batches never meet.  The hosts need no shared file system, and
# nothing secret goes to them (zkpar(7): the wallet keys stay home).
#
# Failures.  A job whose host fails (ssh exits 255: the host is down, or
# died during the job) or whose prover fails is retried on another host, up
# to RETRIES (default 3) attempts in all (--retries); a host that is down
# keeps being offered jobs, each failing at once and going elsewhere
# (PARALLEL=--filter-hosts drops such hosts at the start).  JOBLOG (default
# CHUNK_DIR/parallel-ssh.joblog, appended to; --joblog) gets one row per
# job: its last attempt, with the host, times, bytes sent and received and
# the exit status.
#
# Resuming.  Run the script again and it proves only the chunks that still
# lack a share: missing, older than its chunk, or one that zk-verify
# rejects.  This is what --resume-failed does with a joblog, but decided by
# the files rather than by the log: parallel records the remote command's
# exit status, and a host that dies after its proof but before the share
# came back (--return) leaves a success in the joblog and no share here.
# A share is never half-written: zk-prove writes a temporary file and
# renames it, rsync does the same when it brings it back.
#
# Exit status: 0 every share is here (and the aggregate verified); 75
# (EX_TEMPFAIL) some chunks still lack a share, named on standard error:
# run again, with working hosts; 1 zk-prove rejected a chunk (exit status 1
# or 2 at its last attempt: the chunk, not the host, is at fault; named),
# or zk-aggregate or zk-verify rejected the result; 2 usage.  When every
# share came back, a non-zero status of parallel itself (say, the final
# --cleanup of a host that died) is reported and does not fail the run.
#
# More parallel(1) options go in the environment variable PARALLEL, which
# parallel reads: PARALLEL='--filter-hosts' drops the hosts that are down
# at the start; PARALLEL='--controlmaster' reuses one ssh connection per
# host (GNU parallel 20221122 needs sshloginfile lines without ssh options
# for it: put those in ~/.ssh/config).
#
# Tools here: from PATH, or from the directory ZKPAR_BIN names.
set -uo pipefail

prog=${0##*/}
usage() {
    echo "usage: $prog -S SSHLOGINFILE -k KEYS [-K REMOTE_KEYS] [-B REMOTE_BIN]" >&2
    echo "       [-t THREADS] [-r RETRIES] [-l JOBLOG] [-w WORKDIR] CHUNK_DIR" >&2
    exit 2
}
die() {
    echo "$prog: $*" >&2
    exit 2
}

slf='' keys='' rkeys='' rbin='' threads='' retries=3 joblog='' workdir=''
while getopts S:k:K:B:t:r:l:w:h opt; do
    case $opt in
        S) slf=$OPTARG ;;
        k) keys=$OPTARG ;;
        K) rkeys=$OPTARG ;;
        B) rbin=$OPTARG ;;
        t) threads=$OPTARG ;;
        r) retries=$OPTARG ;;
        l) joblog=$OPTARG ;;
        w) workdir=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] && [ -n "$slf" ] && [ -n "$keys" ] || usage
command -v parallel >/dev/null 2>&1 || die "GNU parallel is not installed"
zk=${ZKPAR_BIN:+${ZKPAR_BIN%/}/}
for t in zk-verify zk-aggregate; do
    command -v "$zk$t" >/dev/null 2>&1 || die "$zk$t: not found (set PATH or ZKPAR_BIN)"
done

# Everything below runs in CHUNK_DIR: parallel transfers relative names.
case $slf in /*) ;; *) [ "$slf" = - ] || [ "$slf" = .. ] || slf=$PWD/$slf ;; esac
case ${joblog:-x} in /*) ;; *) [ -z "$joblog" ] || joblog=$PWD/$joblog ;; esac
keys=$(cd "$keys" 2>/dev/null && pwd) || die "$keys: no such keys directory"
[ -f "$keys/params.json" ] || die "$keys/params.json: missing"
cd "$1" 2>/dev/null || die "$1: no such directory"
[ -f manifest.json ] || die "$1/manifest.json: missing (run zk-partition first)"
n=$(sed -n 's/^ *"chunks": *\([0-9][0-9]*\),*$/\1/p' manifest.json)
batch=$(sed -n 's/^ *"batch": *"\([0-9a-f]*\)",*$/\1/p' manifest.json)
[ -n "$n" ] && [ -n "$batch" ] || die "$1/manifest.json: no chunk count or batch id"
workdir=${workdir:-zkpar-${batch:0:16}}
joblog=${joblog:-$PWD/parallel-ssh.joblog}

# The chunks that lack a good share, one a line (chunk-NNNN.json).
todo() {
    local i=0 c
    while [ "$i" -lt "$n" ]; do
        c=$(printf 'chunk-%04d' "$i")
        i=$((i + 1))
        if [ "$c.share.json" -nt "$c.json" ] &&
            "${zk}zk-verify" -q --keys "$keys" "$c.share.json" </dev/null 2>/dev/null; then
            continue
        fi
        printf '%s.json\n' "$c"
    done
}

mapfile -t chunks < <(todo)
if [ "${#chunks[@]}" -gt 0 ]; then
    base=()
    if [ -z "$rkeys" ]; then
        # /./ tells parallel (rsync -R) where the remote relative path starts:
        # PARENT/./NAME/params.json lands as WORKDIR/NAME/params.json.
        for f in params.json chunk.zkey; do
            [ -f "$keys/$f" ] || die "$keys/$f: missing"
            base+=(--basefile "${keys%/*}/./${keys##*/}/$f")
        done
        rkeys=${keys##*/}
    fi
    # The remote command line, quoted for the remote shell.
    prove=$(printf '%q ' "${rbin:+${rbin%/}/}zk-prove" -q ${threads:+-t "$threads"} \
        --keys "$rkeys")
    echo "$prog: ${#chunks[@]} of $n chunks to prove on the hosts of $slf" >&2
    logged=$({ wc -l <"$joblog"; } 2>/dev/null || echo 0)
    parallel --sshloginfile "$slf" --workdir "$workdir" "${base[@]}" \
        --transferfile '{}' --return '{.}.share.json' --cleanup \
        --retries "$retries" --joblog "+$joblog" \
        "$prove -o {.}.share.json {}" ::: "${chunks[@]}"
    st=$?
    mapfile -t left < <(todo)
    if [ "${#left[@]}" -gt 0 ]; then
        # this run's rows of the joblog: a chunk whose last attempt zk-prove
        # refused (1: invalid, 2: unusable) is the chunk's fault
        rejected=$(tail -n +"$((logged + 1))" "$joblog" 2>/dev/null |
            awk -F'\t' '$1 ~ /^[0-9]+$/ && ($7 == 1 || $7 == 2) && $8 == 0 {
                n = split($NF, w, " "); print w[n] }' | sort -u)
        echo "$prog: ${#left[@]} chunk(s) still lack a share (run again to resume):" \
            "${left[*]}" >&2
        if [ -n "$rejected" ]; then
            echo "$prog: zk-prove rejected: ${rejected//$'\n'/ } (exit status in $joblog)" >&2
            exit 1
        fi
        exit 75
    fi
    if [ "$st" -ne 0 ]; then
        echo "$prog: parallel exited with status $st, but every share came back and verifies" >&2
    fi
fi

[ -f "$keys/srs.bin" ] || exit 0
shares=()
for ((i = 0; i < n; i++)); do
    shares+=("$(printf 'chunk-%04d.share.json' "$i")")
done
"${zk}zk-aggregate" -q --keys "$keys" -o aggregate.json "${shares[@]}" || exit
"${zk}zk-verify" --keys "$keys" aggregate.json
