#!/usr/bin/env bats
# The committed BN254 constants are exactly what their derivation prints.

setup() {
    : "${top_builddir:?run this through make check}"
    : "${top_srcdir:?run this through make check}"
}

@test "lib/field/constants.h is the output of gen_constants" {
    run "$top_builddir/lib/field/gen_constants"
    [ "$status" -eq 0 ]
    diff <(printf '%s\n' "$output") "$top_srcdir/lib/field/constants.h"
}

@test "gen_constants derives p and r from z and prints them" {
    run "$top_builddir/lib/field/gen_constants"
    [ "$status" -eq 0 ]
    [[ "$output" == *"0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL"* ]]
    [[ "$output" == *"0x43e1f593f0000001ULL, 0x2833e84879b97091ULL"* ]]
}
