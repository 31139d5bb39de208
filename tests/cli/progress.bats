#!/usr/bin/env bats
# --progress on long phases: the percentage of a metered phase (the
# prover's matvec, ntt and MSMs; setup; contribute; srs; read_srs) on
# stderr, one line each tenth in a log, one status line redrawn in place
# on a terminal (erased before the phase's time is printed); never on
# stdout, never without --progress off a terminal, never with -q.
# ZKPAR_PROGRESS_INTERVAL=0.001 samples every millisecond, so that the
# phases of these small circuits are long enough to be shown.  Needs
# script(1) for the terminal cases (they skip without).  Run through
# `make check` (top_builddir, top_srcdir).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" F="$BATS_FILE_TMPDIR"
    "$B/zk-wallet" genesis --accounts 8 --depth 8 --tokens 2 --seed progress \
        -o "$F/state.json" --keys "$F/keys.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" \
        --count 4 --seed progress -o "$F/batch.json"
    "$B/zk-setup" -q chunk --chunk-size 2 --depth 8 --tokens 2 --dev -o "$F/keys"
    "$B/zk-setup" -q srs --max 4 --dev -o "$F/keys"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$F/out" \
        "$F/batch.json"
    export C0="$F/out/chunk-0000.json" C1="$F/out/chunk-0001.json"
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# The percentage lines of tool $1 in file $2, as "phase pct".
pcts() {
    sed -nE "s/^$1: ([a-z0-9_]+) +([0-9]+)%\$/\\1 \\2/p" "$2"
}

# Check file $2 (tool $1's stderr): every percentage in 0..100; within a
# phase, in increasing tenths; each metered phase's percentages come
# before its time line.
check_log() {
    local tool=$1 log=$2 prev="" last=-1 phase pct
    while read -r phase pct; do
        [ "$pct" -ge 0 ] && [ "$pct" -le 100 ]
        if [ "$phase" = "$prev" ]; then
            [ $((pct / 10)) -gt $((last / 10)) ] || { echo "$phase: $last then $pct"; return 1; }
        fi
        prev=$phase last=$pct
    done < <(pcts "$tool" "$log")
    # no percentage after its phase's time line
    awk -v t="$tool:" '
        $1 == t && $3 ~ /%$/ { if (ended[$2]) { print "late: " $0; bad = 1 } }
        $1 == t && $4 == "s" { ended[$2] = 1 }
        END { exit bad }' "$log"
}

@test "zk-prove --progress in a log: the metered phases in tenths, then their times" {
    ZKPAR_PROGRESS_INTERVAL=0.001 "$B/zk-prove" --progress -t 2 --keys "$F/keys" \
        -o "$T/s.json" "$C0" 2>"$T/err" >"$T/out"
    cat "$T/err"
    [ ! -s "$T/out" ]
    "$B/zk-verify" -q --keys "$F/keys" "$T/s.json"
    check_log zk-prove "$T/err"
    # the MSMs are the long phases: each shows
    for p in msm_h msm_a msm_b1 msm_b2 msm_c; do
        pcts zk-prove "$T/err" | grep -q "^$p "
    done
    # only metered phases show a percentage
    ! pcts zk-prove "$T/err" | grep -Ev '^(matvec|ntt|msm_h|msm_a|msm_b1|msm_b2|msm_c) '
    # every line is a phase's time or a percentage
    [ "$(grep -Ecvx 'zk-prove: [a-z0-9_]+ +([0-9]+\.[0-9]{3} s| *[0-9]+%)' "$T/err")" -eq 0 ]
}

@test "the plain prover (.zkey + .wtns) shows the same percentages" {
    "$B/zk-prove" -q --keys "$F/keys" --wtns "$T/w.wtns" -o "$T/s.json" "$C1"
    ZKPAR_PROGRESS_INTERVAL=0.001 "$B/zk-prove" --progress "$F/keys/chunk.zkey" \
        "$T/w.wtns" "$T/p.json" "$T/pub.json" 2>"$T/err"
    cat "$T/err"
    check_log zk-prove "$T/err"
    pcts zk-prove "$T/err" | grep -q '^msm_b2 '
}

@test "zk-setup --progress: setup and contribute in tenths; srs" {
    ZKPAR_PROGRESS_INTERVAL=0.001 "$B/zk-setup" --progress chunk --chunk-size 1 --depth 8 \
        --tokens 2 --dev -o "$T/k" 2>"$T/err"
    cat "$T/err"
    check_log zk-setup "$T/err"
    [ "$(pcts zk-setup "$T/err" | grep -c '^setup ')" -ge 5 ]
    grep -Eq '^zk-setup: setup +[0-9]+\.[0-9]{3} s$' "$T/err"
    ZKPAR_PROGRESS_INTERVAL=0.001 "$B/zk-setup" --progress contribute --name bats \
        "$T/k/chunk.zkey" "$T/c.zkey" 2>"$T/err"
    cat "$T/err"
    check_log zk-setup "$T/err"
    pcts zk-setup "$T/err" | grep -q '^contribute '
    ZKPAR_PROGRESS_INTERVAL=0.001 "$B/zk-setup" --progress srs --max 256 --dev \
        -o "$T/k" 2>"$T/err"
    cat "$T/err"
    check_log zk-setup "$T/err"
    pcts zk-setup "$T/err" | grep -q '^srs '
}

@test "without --progress off a terminal, or with -q on one, no percentage" {
    ZKPAR_PROGRESS_INTERVAL=0.001 "$B/zk-prove" --keys "$F/keys" -o "$T/s.json" \
        "$C0" 2>"$T/err"
    [ ! -s "$T/err" ]
    command -v script >/dev/null || skip "no script(1) for a terminal"
    ZKPAR_PROGRESS_INTERVAL=0.001 script -qec "'$B/zk-prove' -q --keys '$F/keys' \
        -o '$T/s3.json' '$C0'" /dev/null >"$T/tty" </dev/null
    ! grep -q '%' "$T/tty"
}

@test "on a terminal: one status line redrawn in place, erased before each time" {
    command -v script >/dev/null || skip "no script(1) for a terminal"
    ZKPAR_PROGRESS_INTERVAL=0.001 script -qec "'$B/zk-prove' -t 2 --keys '$F/keys' \
        -o '$T/s.json' '$C0'" /dev/null >"$T/tty" </dev/null
    cat -v "$T/tty"
    "$B/zk-verify" -q --keys "$F/keys" "$T/s.json"
    # status lines: carriage return, erase to the end of the line, no newline
    grep -q $'\r\033\\[Kzk-prove: msm_h  *[0-9]*%' "$T/tty"
    # each phase's time line follows an erase when a status line was shown
    grep -q $'\r\033\\[Kzk-prove: msm_h  *[0-9]*\\.[0-9]* s' "$T/tty"
    # no status line is left at the end: the last line is the write time
    tail -n 1 "$T/tty" | tr -d '\r' | grep -Eqx 'zk-prove: write +[0-9]+\.[0-9]{3} s'
}

@test "a bad ZKPAR_PROGRESS_INTERVAL falls back to the default and still works" {
    for v in abc 0 -1 1e9 ''; do
        ZKPAR_PROGRESS_INTERVAL=$v "$B/zk-prove" --progress --keys "$F/keys" \
            -o "$T/s.json" "$C0" 2>"$T/err"
        grep -Eq '^zk-prove: write +[0-9]+\.[0-9]{3} s$' "$T/err"
        rm -f "$T/s.json"
    done
}
