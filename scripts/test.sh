#!/usr/bin/env bash
# Build zkpar and run every test suite: C unit tests and bats CLI tests
# (`make check`), then the node interop tests (`make check-interop`).
# Keeps going past failures, prints a per-suite table and, last, one line:
#   N passed, N failed[, N skipped]
# counting individual test points.  Exits non-zero if anything failed or if
# no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

jobs=${JOBS:-2}
interop_log=tests/interop/interop.log
build_ok=1
check_rc=0
interop_rc=0

if ! scripts/setup-deps.sh; then
    echo "test.sh: scripts/setup-deps.sh failed; trying to build anyway" >&2
fi

if zk_bootstrap && zk_configure exact --enable-werror --enable-benchmark &&
   make -j"$jobs"; then
    # Results of tests no longer in the lists must not be counted.
    find tests -name node_modules -prune -o -name '*.trs' -type f -exec rm -f {} +
    # The C tests read snarkjs-written files when the npm packages are there.
    sh tests/interop/run.sh --install-only || echo "test.sh: npm packages not installed; snarkjs checks in make check will skip" >&2
    make -j"$jobs" check || check_rc=$?
    if [ "$check_rc" -ne 0 ] && [ -f test-suite.log ]; then
        cat test-suite.log
    fi
    make check-interop 2>&1 | tee "$interop_log" || interop_rc=$?
else
    build_ok=0
fi

# Print "suite passed failed skipped" for each test log.
count_results() {
    if [ "$build_ok" -eq 0 ]; then
        echo "build 0 1 0"
        return
    fi
    # Automake's TAP driver writes one ":test-result: X" per test point.  A
    # file whose points all passed but which still errored (crash, wrong
    # plan, non-zero exit) counts as one failure.
    local trs rows
    rows=$(find tests -name node_modules -prune -o -name '*.trs' -type f -print | sort | while read -r trs; do
        suite=${trs#tests/}
        awk -v suite="${suite%%/*}" '
            $1 == ":test-result:" {
                if ($2 == "PASS" || $2 == "XFAIL") p++
                else if ($2 == "FAIL" || $2 == "XPASS") f++
                else if ($2 == "SKIP") s++
                else if ($2 == "ERROR") e++
            }
            END { if (f == 0 && e > 0) f = 1; print suite, p + 0, f + 0, s + 0 }
        ' "$trs"
    done)
    [ -z "$rows" ] || echo "$rows"
    # make check failed with no failing test point: a test did not build,
    # or the harness broke.
    if [ "$check_rc" -ne 0 ] && ! echo "$rows" | awk '$3 > 0 { f = 1 } END { exit !f }'; then
        echo "make-check 0 1 0"
    fi
    # node --test ends its TAP with "# pass N", "# fail N", ...
    awk -v rc="$interop_rc" '
        /^# pass [0-9]+$/      { p += $3 }
        /^# fail [0-9]+$/      { f += $3 }
        /^# cancelled [0-9]+$/ { f += $3 }
        /^# skipped [0-9]+$/   { s += $3 }
        /^# todo [0-9]+$/      { s += $3 }
        END { if (rc != 0 && f == 0) f = 1; print "interop", p + 0, f + 0, s + 0 }
    ' "$interop_log"
}

count_results | awk '
    !($1 in p) { order[n++] = $1 }
    { p[$1] += $2; f[$1] += $3; s[$1] += $4 }
    END {
        printf "\n%-12s %7s %7s %7s\n", "suite", "passed", "failed", "skipped"
        for (i = 0; i < n; i++) {
            k = order[i]
            printf "%-12s %7d %7d %7d\n", k, p[k], f[k], s[k]
            P += p[k]; F += f[k]; S += s[k]
        }
        line = P " passed, " F " failed"
        if (S > 0) line = line ", " S " skipped"
        print line
        exit (F > 0 || P + F == 0) ? 1 : 0
    }
'
