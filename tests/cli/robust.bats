#!/usr/bin/env bats
# The tools in the wild (K = 2, D = 8, T = 2): exit status 2 for what a
# retry cannot fix (a directory given as a file, a missing file, a
# read-only file system) and 75 for what it may (a full device or file
# system, no memory, no threads); zk-prove --resume; outputs that are
# absent or complete whenever a tool is killed (SIGKILL at random moments
# of zk-prove, zk-aggregate, zk-partition); the temporary files of killed
# writers removed by the next writer unless a live one holds them;
# --json and --progress.  Needs jq; the full and read-only file systems
# need unshare(1) with user namespaces, the locks flock(1), the terminal
# script(1) (each test skips without).  Run through `make check`
# (top_builddir, top_srcdir).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" F="$BATS_FILE_TMPDIR"
    "$B/zk-wallet" genesis --accounts 12 --depth 8 --tokens 2 --seed bats \
        -o "$F/state.json" --keys "$F/keys.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" \
        --count 7 --seed bats -o "$F/batch.json"
    "$B/zk-setup" -q chunk --chunk-size 2 --depth 8 --tokens 2 --dev -o "$F/keys"
    "$B/zk-setup" -q srs --max 8 --dev -o "$F/keys"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$F/out" \
        "$F/batch.json"
    ls "$F"/out/chunk-*.json | xargs -P2 -I{} "$B/zk-prove" -q -t 1 --keys "$F/keys" -o {}.share {}
    "$B/zk-aggregate" -q --keys "$F/keys" -o "$F/agg.json" "$F"/out/chunk-*.json.share
    export C0="$F/out/chunk-0000.json" C1="$F/out/chunk-0001.json"
    export S0="$C0.share" S1="$C1.share"
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# The temporary files (atomic.h: "NAME.tmp.XXXXXX") in directory $1.
temps() {
    find "$1" -maxdepth 1 -name '*.tmp.*' | sort
}

# Run "$@" with its stderr in $T/err and stdout in $T/out; status in $st.
capture() {
    st=0
    "$@" >"$T/out" 2>"$T/err" || st=$?
}

load fs

@test "exit 2: a directory given as an input file or as an output, a missing file" {
    mkdir "$T/d"
    for cmd in "zk-prove --keys $F/keys -o $T/s.json $T/d" \
        "zk-aggregate --keys $F/keys -o $T/a.json $S0 $T/d" \
        "zk-verify --keys $F/keys $T/d" \
        "zk-partition --keys $F/keys --state $F/state.json -o $T/p $T/d" \
        "zk-partition --keys $F/keys --state $T/d -o $T/p $F/batch.json"; do
        run $B/$cmd
        echo "$cmd: $status: $output"
        [ "$status" -eq 2 ]
        [[ "$output" == *"$T/d: cannot read: Is a directory"* ]]
    done
    [ ! -e "$T/s.json" ] && [ ! -e "$T/a.json" ] && [ ! -e "$T/p" ]
    # a directory where the output goes
    run "$B/zk-prove" -t 1 --keys "$F/keys" -o "$T/d" "$C0"
    [ "$status" -eq 2 ]
    [[ "$output" == *"$T/d: cannot write: Is a directory"* ]]
    [ -z "$(temps "$T")" ]
    # missing: the input, the output's directory, the keys
    run "$B/zk-prove" --keys "$F/keys" -o "$T/s.json" "$T/none.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"none.json: cannot read: No such file or directory"* ]]
    run "$B/zk-prove" -t 1 --keys "$F/keys" -o "$T/no/s.json" "$C0"
    [ "$status" -eq 2 ]
    [[ "$output" == *"no/s.json: cannot create: No such file or directory"* ]]
    run "$B/zk-aggregate" --keys "$T/none" -o "$T/a.json" "$S0"
    [ "$status" -eq 2 ]
    # text that is not JSON, a truncated share: named, exit 2, nothing written
    head -c 200 "$S1" >"$T/trunc.json"
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$T/trunc.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"trunc.json: line "*" column "* ]]
    [ ! -e "$T/a.json" ]
}

@test "exit 2: no permission to read (as a user other than root)" {
    [ "$(id -u)" -ne 0 ] || skip "root reads any file"
    cp "$C0" "$T/c.json"
    chmod 000 "$T/c.json"
    run "$B/zk-prove" --keys "$F/keys" -o "$T/s.json" "$T/c.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"c.json: cannot read: Permission denied"* ]]
}

@test "exit 75: standard output on a full device (/dev/full)" {
    capture "$B/zk-prove" -q -t 1 --keys "$F/keys" "$C0"
    [ "$st" -eq 0 ] && [ -s "$T/out" ]
    st=0
    "$B/zk-prove" -q -t 1 --keys "$F/keys" "$C0" >/dev/full 2>"$T/err" || st=$?
    cat "$T/err"
    [ "$st" -eq 75 ]
    grep -q '(stdout): cannot write: No space left on device' "$T/err"
    st=0
    "$B/zk-aggregate" -q --keys "$F/keys" "$F"/out/*.share >/dev/full 2>"$T/err" || st=$?
    [ "$st" -eq 75 ]
}

@test "an existing FIFO as the output is written in place, not replaced" {
    mkfifo "$T/fifo"
    cat "$T/fifo" >"$T/got" &
    reader=$!
    "$B/zk-prove" -q -t 1 --keys "$F/keys" -o "$T/fifo" "$C0"
    wait "$reader"
    [ -p "$T/fifo" ]
    run "$B/zk-verify" --keys "$F/keys" "$T/got"
    [ "$status" -eq 0 ] && [[ "$output" == *"chunk 0/4"* ]]
    [ -z "$(temps "$T")" ]
}

@test "exit 75: a full file system; exit 2: a read-only one; nothing left either way" {
    need_unshare
    run in_fs "$T/full" "$B/zk-prove" -q -t 1 --keys "$F/keys" -o "$T/full/s.json" "$C0"
    echo "$status: $output"
    [ "$status" -eq 75 ]
    [[ "$output" == *"full/s.json: cannot write: No space left on device"* ]]
    [[ "$output" == *"left:" ]] # no share, no temporary file
    run in_fs "$T/full" "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" \
        -o "$T/full/out" "$F/batch.json"
    echo "$status: $output"
    [ "$status" -eq 75 ]
    [[ "$output" == *"No space left on device"* ]]
    [[ "$output" == *"left:" ]] # no chunk, no manifest, no temporary file
    run in_fs "$T/full" "$B/zk-aggregate" -q --keys "$F/keys" -o "$T/full/a.json" \
        "$F"/out/*.share
    [ "$status" -eq 75 ]
    [[ "$output" == *"left:" ]]
    # read-only: no retry helps
    run in_fs "$T/full" bash -c 'mount -o remount,ro "$1" && shift && "$@"' _ \
        "$T/full" "$B/zk-prove" -q -t 1 --keys "$F/keys" -o "$T/full/s.json" "$C0"
    echo "$status: $output"
    [ "$status" -eq 2 ]
    [[ "$output" == *"full/s.json: cannot create: Read-only file system"* ]]
}

@test "exit 75: out of memory, or no memory for the threads (ulimit -v)" {
    (ulimit -v 20000 && "$B/zk-prove" --version) >/dev/null 2>&1 ||
        skip "zk-prove does not start under ulimit -v (a sanitizer build?)"
    # the limits fail different allocations: the witness, the key's mapping
    # or sections, the prover's buffers
    for kb in 12000 20000 28000 36000; do
        run bash -c 'ulimit -v "$1" && shift && exec "$@"' _ "$kb" \
            "$B/zk-prove" -t 1 --json --keys "$F/keys" -o "$T/s.json" "$C0"
        echo "$kb: $status: $output"
        [ "$status" -eq 75 ]
        [[ "$output" == *"out of memory"* || "$output" == *"Cannot allocate memory"* ]]
        [ "$(tail -n 1 <<<"$output" | jq .status)" -eq 75 ]
        [ ! -e "$T/s.json" ] && [ -z "$(temps "$T")" ]
    done
    run bash -c 'ulimit -v "$1" && shift && exec "$@"' _ 200000 \
        "$B/zk-prove" -t 1024 --keys "$F/keys" -o "$T/s.json" "$C0"
    echo "$status: $output"
    [ "$status" -eq 75 ]
    [[ "$output" == *"cannot start 1024 threads"* ]]
    [ ! -e "$T/s.json" ]
}

@test "--resume keeps a share that verifies and redoes any other" {
    run "$B/zk-prove" -t 1 --resume --keys "$F/keys" -o "$T/s.json" "$C1"
    [ "$status" -eq 0 ]
    [[ "$output" != *skipped* ]]
    cp "$T/s.json" "$T/first.json"
    run "$B/zk-prove" -t 1 --resume --keys "$F/keys" -o "$T/s.json" "$C1"
    [ "$status" -eq 0 ]
    [ "$output" = "zk-prove: $T/s.json: exists and verifies, skipped" ]
    cmp "$T/s.json" "$T/first.json"
    run "$B/zk-prove" -q -t 1 --resume --keys "$F/keys" -o "$T/s.json" "$C1"
    [ "$status" -eq 0 ] && [ -z "$output" ]
    cmp "$T/s.json" "$T/first.json"
    # truncated, another chunk's share, another proof, a changed input: each
    # is said and proven again (a new proof: new blinding, new bytes)
    head -c 300 "$T/first.json" >"$T/trunc.json"
    jq '.proof.pi_a = input.proof.pi_a' "$T/first.json" "$S0" >"$T/badproof.json"
    jq '.public[2] = "1"' "$T/first.json" >"$T/badpub.json"
    cp "$S0" "$T/other.json"
    for f in trunc other badproof badpub; do
        cp "$T/$f.json" "$T/s.json"
        run "$B/zk-prove" -t 1 --resume --keys "$F/keys" -o "$T/s.json" "$C1"
        echo "$f: $status: $output"
        [ "$status" -eq 0 ]
        [[ "$output" == *"$T/s.json: "*", proving the chunk again" ]]
        ! cmp -s "$T/s.json" "$T/$f.json"
        ! cmp -s "$T/s.json" "$T/first.json"
        run "$B/zk-verify" --keys "$F/keys" "$T/s.json"
        [ "$status" -eq 0 ]
        [[ "$output" == *"chunk 1/4"* ]]
    done
    # a directory in the way is not a share: proving it again fails to write
    rm "$T/s.json" && mkdir "$T/s.json"
    run "$B/zk-prove" -t 1 --resume --keys "$F/keys" -o "$T/s.json" "$C1"
    [ "$status" -eq 2 ]
    # --resume needs a file
    run "$B/zk-prove" --resume --keys "$F/keys" "$C1"
    [ "$status" -eq 2 ] && [[ "$output" == *"--resume needs -o"* ]]
    run "$B/zk-prove" --resume --keys "$F/keys" -o - "$C1"
    [ "$status" -eq 2 ]
    run "$B/zk-prove" --resume a.zkey b.wtns p.json q.json
    [ "$status" -eq 2 ] && [[ "$output" == *"rollup mode (--keys) only"* ]]
}

@test "--resume: a keys directory whose chunk.vk.json is not its key" {
    mkdir "$T/k"
    cp "$F/keys/params.json" "$F/keys/chunk.zkey" "$T/k/"
    jq '.IC[0] = .IC[1]' "$F/keys/chunk.vk.json" >"$T/k/chunk.vk.json"
    run "$B/zk-prove" -t 1 --resume --keys "$T/k" -o "$T/s.json" "$C0"
    [ "$status" -eq 0 ] # no share yet: chunk.vk.json is not needed
    run "$B/zk-prove" -t 1 --resume --keys "$T/k" -o "$T/s.json" "$C0"
    [ "$status" -eq 1 ]
    [[ "$output" == *"chunk.vk.json: key id "*", but params.json says "* ]]
    rm "$T/k/chunk.vk.json"
    run "$B/zk-prove" -t 1 --resume --keys "$T/k" -o "$T/s.json" "$C0"
    [ "$status" -eq 2 ]
    [[ "$output" == *"chunk.vk.json: cannot read: No such file or directory"* ]]
}

# Kill "$@" (which writes the files checked by the function $check) with
# SIGKILL $1 times, after random delays spread from 0 to 1.6 times its run
# time (the i-th in the i-th of $1 equal slices); each time, $check sees
# absent or complete files.  Prints the counts.
kill_loop() {
    local n=$1 i t0 dur delay pid
    shift
    t0=$EPOCHREALTIME
    "$@" 2>/dev/null
    dur=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
    $check present || return 1
    killed_before=0 killed_after=0
    for ((i = 0; i < n; i++)); do
        $reset
        delay=$(awk -v d="$dur" -v r="$RANDOM" -v i="$i" -v n="$n" \
            'BEGIN { printf "%.3f", d * 1.6 * (i + r / 32768) / n }')
        "$@" 2>/dev/null &
        pid=$!
        sleep "$delay"
        kill -KILL "$pid" 2>/dev/null || true
        { wait "$pid"; } 2>/dev/null || true
        $check any || { echo "iteration $i, after $delay s: $check failed"; return 1; }
    done
    echo "run time ${dur}s; $n kills: $killed_before left nothing, $killed_after a complete output"
}

@test "SIGKILL at random moments: zk-prove leaves no share or one that verifies" {
    mkdir "$T/p"
    reset() { rm -f "$T/p/share.json"; }
    check() {
        if [ -e "$T/p/share.json" ]; then
            "$B/zk-verify" -q --keys "$F/keys" "$T/p/share.json" || return 1
            [ "$(jq .index "$T/p/share.json")" -eq 1 ] || return 1
            killed_after=$((killed_after + 1))
        else
            [ "$1" = any ] || return 1
            killed_before=$((killed_before + 1))
        fi
        # anything else is a temporary file, never under the final name
        for f in "$T"/p/*; do
            [ -e "$f" ] || continue
            [ "$f" = "$T/p/share.json" ] || [[ "$f" == "$T/p/share.json.tmp."?????? ]] ||
                return 1
        done
    }
    check=check reset=reset
    kill_loop 20 "$B/zk-prove" -q -t 1 --keys "$F/keys" -o "$T/p/share.json" "$C1"
    # a run to the end leaves the share and no temporary file of anyone
    "$B/zk-prove" -q -t 1 --keys "$F/keys" -o "$T/p/share.json" "$C1"
    [ "$(ls -A "$T/p")" = share.json ]
}

@test "SIGKILL at random moments: zk-aggregate leaves no aggregate or the whole one" {
    mkdir "$T/a"
    reset() { rm -f "$T/a/agg.json"; }
    check() {
        if [ -e "$T/a/agg.json" ]; then
            cmp -s "$T/a/agg.json" "$F/agg.json" || return 1 # deterministic
            killed_after=$((killed_after + 1))
        else
            [ "$1" = any ] || return 1
            killed_before=$((killed_before + 1))
        fi
        for f in "$T"/a/*; do
            [ -e "$f" ] || continue
            [ "$f" = "$T/a/agg.json" ] || [[ "$f" == "$T/a/agg.json.tmp."?????? ]] || return 1
        done
    }
    check=check reset=reset
    kill_loop 8 "$B/zk-aggregate" -q -t 1 --keys "$F/keys" -o "$T/a/agg.json" "$F"/out/*.share
    "$B/zk-aggregate" -q -t 1 --keys "$F/keys" -o "$T/a/agg.json" "$F"/out/*.share
    [ "$(ls -A "$T/a")" = agg.json ]
}

@test "SIGKILL at random moments: zk-partition leaves whole files, the manifest last" {
    reset() { rm -rf "$T/o"; }
    check() {
        local f n=0
        if [ -e "$T/o/manifest.json" ]; then
            killed_after=$((killed_after + 1))
            for f in "$F"/out/chunk-????.json; do # every chunk is there
                [ -e "$T/o/${f##*/}" ] || return 1
            done
        else
            [ "$1" = any ] || return 1
            killed_before=$((killed_before + 1))
        fi
        # each file is absent or has the bytes of an uninterrupted run
        for f in "$T"/o/*; do
            [ -e "$f" ] || continue
            case $f in
            *.tmp.??????) ;;
            *) cmp -s "$f" "$F/out/${f##*/}" || return 1 ;;
            esac
        done
    }
    check=check reset=reset
    kill_loop 8 "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$T/o" \
        "$F/batch.json"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$T/o" "$F/batch.json"
    [ -z "$(temps "$T/o")" ]
    [ "$(ls "$T/o" | wc -l)" -eq 5 ]
}

@test "temporary files of killed writers: removed by the next write, unless locked" {
    command -v flock >/dev/null || skip "no flock(1)"
    mkdir "$T/w"
    # left by a killed writer (no lock), held by a live one (flock), not ours
    echo '{"partial' >"$T/w/s.json.tmp.Dead01"
    echo '{"partial' >"$T/w/s.json.tmp.Live01"
    echo x >"$T/w/t.json.tmp.Dead02"
    echo x >"$T/w/s.json.tmp.toolong"
    # the holder: a process with the lock on its own descriptor
    bash -c 'exec 9<>"$1" && flock 9 && exec sleep 60' _ "$T/w/s.json.tmp.Live01" \
        >/dev/null 2>&1 3>&- &
    holder=$!
    while flock -n "$T/w/s.json.tmp.Live01" true; do sleep 0.05; done
    run "$B/zk-prove" -q -t 1 --keys "$F/keys" -o "$T/w/s.json" "$C0"
    kill "$holder"
    [ "$status" -eq 0 ]
    [ ! -e "$T/w/s.json.tmp.Dead01" ]
    [ -e "$T/w/s.json.tmp.Live01" ] && [ -e "$T/w/t.json.tmp.Dead02" ]
    [ -e "$T/w/s.json.tmp.toolong" ] && [ -s "$T/w/s.json" ]
    # --resume skips the proof and cleans up all the same
    wait "$holder" || true
    run "$B/zk-prove" -q -t 1 --resume --keys "$F/keys" -o "$T/w/s.json" "$C0"
    [ "$status" -eq 0 ]
    [ ! -e "$T/w/s.json.tmp.Live01" ]
    # one write of many files: zk-partition
    mkdir "$T/o"
    touch "$T/o/chunk-0002.json.tmp.abcDEF" "$T/o/manifest.json.tmp.123456"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$T/o" "$F/batch.json"
    [ -z "$(temps "$T/o")" ]
}

@test "--json: one line on stderr with the status, the phases and the run's fields" {
    capture "$B/zk-prove" --json -t 1 --keys "$F/keys" "$C1"
    [ "$st" -eq 0 ]
    [ "$(wc -l <"$T/err")" -eq 1 ]
    j=$(cat "$T/err")
    [ "$(jq -r .tool <<<"$j")" = zk-prove ]
    [ "$(jq .status <<<"$j")" -eq 0 ]
    jq -e '.wall_s > 0 and (.error | not)' <<<"$j"
    jq -e '.phases | [.read_chunk, .rules, .witness, .read_zkey, .msm_h, .check, .write] |
        all(. >= 0)' <<<"$j"
    jq -e '[.phases[]] | add <= ('"$(jq .wall_s <<<"$j")"' + 0.001)' <<<"$j"
    [ "$(jq .index <<<"$j")" -eq 1 ] && [ "$(jq .count <<<"$j")" -eq 4 ]
    [ "$(jq -r .batch <<<"$j")" = "$(jq -r .batch "$C1")" ]
    # the share is on stdout, untouched by the report
    [ "$(jq -r .format "$T/out")" = zkpar-share ]
    # --resume says whether it skipped
    "$B/zk-prove" -q -t 1 --keys "$F/keys" -o "$T/s.json" "$C1"
    capture "$B/zk-prove" --json --resume -t 1 --keys "$F/keys" -o "$T/s.json" "$C1"
    [ "$(tail -n 1 "$T/err" | jq .skipped)" = true ]
    [ "$(tail -n 1 "$T/err" | jq '.phases | has("msm_h")')" = false ]
    # failures: status and the first error, with what was known by then
    jq '.records[0].tx.amount = "1"' "$C1" >"$T/bad.json"
    capture "$B/zk-prove" --json -t 1 --keys "$F/keys" -o "$T/x.json" "$T/bad.json"
    j=$(tail -n 1 "$T/err")
    [ "$st" -eq 1 ] && [ "$(jq .status <<<"$j")" -eq 1 ]
    [[ "$(jq -r .error <<<"$j")" == "$T/bad.json: "* ]]
    capture "$B/zk-prove" --json --keys "$F/keys" "$T/none.json"
    j=$(tail -n 1 "$T/err")
    [ "$st" -eq 2 ] && [ "$(jq .status <<<"$j")" -eq 2 ]
    [ "$(jq -r .error <<<"$j")" = "$T/none.json: cannot read: No such file or directory" ]
    capture "$B/zk-prove" --json --bogus
    [ "$st" -eq 2 ] && [ "$(tail -n 1 "$T/err" | jq .status)" -eq 2 ]
    # zk-partition: chunks, transactions, batch
    capture "$B/zk-partition" -q --json --keys "$F/keys" --state "$F/state.json" \
        -o "$T/o" "$F/batch.json"
    [ "$st" -eq 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ]
    j=$(cat "$T/err")
    [ "$(jq -r .tool <<<"$j")" = zk-partition ]
    [ "$(jq .chunks <<<"$j")" -eq 4 ] && [ "$(jq .transactions <<<"$j")" -eq 7 ]
    [ "$(jq -r .batch <<<"$j")" = "$(jq -r .batch "$T/o/manifest.json")" ]
    jq -e '.phases | [.read, .apply, .write] | all(. >= 0)' <<<"$j"
    # zk-aggregate: chunks, batch; a missing share is status 1
    capture "$B/zk-aggregate" -q --json --keys "$F/keys" "$F"/out/*.share
    j=$(cat "$T/err")
    [ "$st" -eq 0 ] && [ "$(jq .status <<<"$j")" -eq 0 ] && [ "$(jq .chunks <<<"$j")" -eq 4 ]
    [ "$(jq -r .batch <<<"$j")" = "$(jq -r .batch "$F/agg.json")" ]
    jq -e '.phases | [.read, .checks, .read_srs, .aggregate, .self_verify, .write] |
        all(. >= 0)' <<<"$j"
    cmp "$T/out" <(cat "$F/agg.json"; echo)
    capture "$B/zk-aggregate" --json --keys "$F/keys" "$S0" "$S1"
    j=$(tail -n 1 "$T/err")
    [ "$st" -eq 1 ] && [ "$(jq .status <<<"$j")" -eq 1 ]
    [[ "$(jq -r .error <<<"$j")" == *"chunk index 2 of 4 is missing"* ]]
}

@test "--progress: one line a phase with its time; by default on a terminal only" {
    run "$B/zk-prove" --progress -t 1 --keys "$F/keys" -o "$T/s.json" "$C0"
    [ "$status" -eq 0 ]
    echo "$output"
    for p in read_chunk rules witness read_zkey matvec ntt msm_h msm_a msm_b1 msm_b2 msm_c \
        blind check write; do
        grep -Eqx "zk-prove: $p +[0-9]+\.[0-9]{3} s" <<<"$output"
    done
    # nothing else but the percentages of long phases (progress.bats)
    [ "$(grep -Ecvx 'zk-prove: [a-z0-9_]+ +([0-9]+\.[0-9]{3} s| *[0-9]+%)' <<<"$output")" -eq 0 ]
    run "$B/zk-partition" -q --progress --keys "$F/keys" --state "$F/state.json" \
        -o "$T/o" "$F/batch.json"
    [ "$(grep -Ecx 'zk-partition: (read|apply|write) +[0-9]+\.[0-9]{3} s' <<<"$output")" -eq 3 ]
    # not a terminal: quiet
    run "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$T/o" \
        "$F/batch.json"
    [ -z "$output" ]
    command -v script >/dev/null || skip "no script(1) for a terminal"
    script -qec "'$B/zk-partition' --keys '$F/keys' --state '$F/state.json' -o '$T/o' \
        '$F/batch.json'" /dev/null >"$T/tty" </dev/null
    grep -Eq 'zk-partition: apply +[0-9]+\.[0-9]{3} s' "$T/tty"
    script -qec "'$B/zk-partition' -q --keys '$F/keys' --state '$F/state.json' -o '$T/o' \
        '$F/batch.json'" /dev/null >"$T/tty" </dev/null
    ! grep -q 'zk-partition: apply' "$T/tty"
}
