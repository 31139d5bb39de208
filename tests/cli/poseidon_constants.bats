#!/usr/bin/env bats
# The committed Poseidon constants are exactly what their derivation
# (lib/hash/gen_poseidon.c, the Grain LFSR procedure) prints.  That the
# values are circomlib's is tests/unit/test_poseidon's job.

setup() {
    : "${top_builddir:?run this through make check}"
    : "${top_srcdir:?run this through make check}"
    gen="$top_builddir/lib/hash/gen_poseidon"
}

# the per-width tables: everything from the first "/* t = 2" on, but the
# closing #endif
tables() {
    sed -n '/^\/\* t = 2, /,$p' | sed '/^#endif$/d'
}

@test "lib/hash/poseidon_constants.h is the output of gen_poseidon" {
    run "$gen"
    [ "$status" -eq 0 ]
    diff <(printf '%s\n' "$output") "$top_srcdir/lib/hash/poseidon_constants.h"
}

@test "gen_poseidon is deterministic" {
    a=$("$gen" | cksum)
    b=$("$gen" | cksum)
    [ "$a" = "$b" ]
}

@test "gen_poseidon declares widths 2..7 with circomlib's partial rounds" {
    run "$gen"
    [ "$status" -eq 0 ]
    [[ "$output" == *"#define ZK_POSEIDON_T_MAX 7"* ]]
    [[ "$output" == *"X(2, 56) X(3, 57) X(4, 56) X(5, 60) X(6, 60) X(7, 63)"* ]]
    [[ "$output" == *"ZK_POSEIDON_OS_T3[285]"* ]]
    [[ "$output" != *"_T8["* ]]
}

@test "gen_poseidon 17: every width of circomlib, the first six unchanged" {
    run "$gen" 17
    [ "$status" -eq 0 ]
    [[ "$output" == *"#define ZK_POSEIDON_T_MAX 17"* ]]
    [[ "$output" == *"X(16, 64) X(17, 68)"* ]]
    [[ "$output" == *"ZK_POSEIDON_C_T17[1292]"* ]]
    [[ "$output" == *"ZK_POSEIDON_OS_T17[2244]"* ]]
    small=$("$gen" | tables)
    wide=$(printf '%s\n' "$output" | tables)
    [ -n "$small" ]
    [ "${wide:0:${#small}}" = "$small" ]
    [ "${#wide}" -gt "${#small}" ]
}

@test "gen_poseidon 2: only width 2, the same tables" {
    run "$gen" 2
    [ "$status" -eq 0 ]
    [[ "$output" == *"X(2, 56)"* ]]
    [[ "$output" != *"_T3["* ]]
    two=$(printf '%s\n' "$output" | tables)
    all=$("$gen" | tables)
    [ "${all:0:${#two}}" = "$two" ]
}

@test "gen_poseidon rejects widths outside 2..17 and stray arguments" {
    for args in 1 18 0 -3 +5 x 3x "3 4"; do
        # shellcheck disable=SC2086 # "3 4" is meant as two arguments
        run "$gen" $args
        [ "$status" -eq 2 ]
        [[ "$output" == *"usage: gen_poseidon"* ]]
        [[ "$output" != *"#define"* ]]
    done
    run "$gen" ""
    [ "$status" -eq 2 ]
    [[ "$output" == *"usage: gen_poseidon"* ]]
}
