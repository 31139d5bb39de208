#!/bin/sh
# tests/fuzz/run.sh -- build the libFuzzer targets and run each for SECONDS
# (default 20) on a freshly generated seed corpus; prints TAP.
# Usage: tests/fuzz/run.sh [SECONDS]     (from anywhere; needs clang)
set -u

SECONDS_PER_TARGET=${1:-20}
CC=${FUZZ_CC:-clang}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

LIB_SRCS="lib/util/err.c lib/field/kernel.c lib/field/fp.c lib/field/fr.c
lib/field/fp2.c lib/field/fp6.c lib/field/fp12.c lib/curve/g1.c
lib/curve/g2.c lib/curve/pairing.c lib/io/binfile.c lib/io/wtns.c
lib/io/r1cs.c lib/io/json.c"
LIBS="-lgmp -lsodium -ljansson -lpthread"
CFLAGS_FUZZ="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Ilib"
TARGETS="fuzz_binfile fuzz_json fuzz_points"

work=$(mktemp -d "${TMPDIR:-/tmp}/zkpar-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

# Probe: clang with libFuzzer at all?
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$work/probe.c"
if ! command -v "$CC" >/dev/null 2>&1 ||
   ! "$CC" -fsanitize=fuzzer,address,undefined "$work/probe.c" -o "$work/probe" >/dev/null 2>&1; then
    echo "1..0 # SKIP clang with -fsanitize=fuzzer not available"
    exit 0
fi

cd "$top" || exit 1

# Library objects, built once (without -fsanitize=fuzzer's main, with its
# coverage instrumentation), then the seed generator and the targets.
mkdir -p "$work/obj"
objs=""
for src in $LIB_SRCS; do
    o="$work/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
    if ! $CC $CFLAGS_FUZZ -fsanitize=fuzzer-no-link -c "$src" -o "$o" \
            2>"$work/build.log"; then
        echo "1..3"
        echo "Bail out! cannot compile $src"
        sed 's/^/# /' "$work/build.log"
        exit 1
    fi
    objs="$objs $o"
done
bailout() {
    echo "1..3"
    echo "Bail out! $1"
    sed 's/^/# /' "$work/build.log"
    exit 1
}
# The seed generator runs once, so plain ASan/UBSan without libFuzzer.
$CC -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=address,undefined -Ilib \
    tests/fuzz/seedgen.c $LIB_SRCS $LIBS -o "$work/seedgen" \
    2>"$work/build.log" || bailout "cannot build seedgen"
for t in $TARGETS; do
    $CC $CFLAGS_FUZZ "tests/fuzz/$t.c" $objs $LIBS -o "$work/$t" \
        2>"$work/build.log" || bailout "cannot build $t"
done

mkdir -p "$work/seeds/binfile" "$work/seeds/json" "$work/seeds/points"
"$work/seedgen" "$work/seeds" 2>"$work/build.log" || bailout "seedgen failed"

crashdir="$here/crashes"
echo "1..3"
n=0
fail=0
for t in $TARGETS; do
    n=$((n + 1))
    seeds="$work/seeds/${t#fuzz_}"
    mkdir -p "$work/corpus-$t" "$work/art-$t"
    cp "$seeds"/* "$work/corpus-$t/"
    "$work/$t" -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 \
        -print_final_stats=1 -artifact_prefix="$work/art-$t/" \
        "$work/corpus-$t" >"$work/$t.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -n 1)
    [ -n "$runs" ] || runs="?"
    if [ "$rc" -eq 0 ] && ! ls "$work/art-$t"/* >/dev/null 2>&1; then
        echo "ok $n - $t: $runs runs, no crash"
    else
        fail=1
        echo "not ok $n - $t: exit $rc after $runs runs"
        mkdir -p "$crashdir"
        for a in "$work/art-$t"/*; do
            [ -f "$a" ] || continue
            cp "$a" "$crashdir/$t-$(basename "$a")"
            echo "# reproducer: tests/fuzz/crashes/$t-$(basename "$a")"
            echo "# hex: $(od -An -v -tx1 "$a" | tr -d ' \n')"
        done
        grep -E 'ERROR|SUMMARY|runtime error|^ *#[0-9]+ ' "$work/$t.log" | head -n 40 | sed 's/^/# /'
    fi
done
exit $fail
