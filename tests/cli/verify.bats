#!/usr/bin/env bats
# zk-verify on a snarkjs-made proof (tests/vectors/groth16: a 4088-constraint
# random circuit, snarkjs 0.7.6 key with one contribution, `snarkjs groth16
# prove` proof): exit codes 0 / 1 / 2, messages, stdin.  Run through
# `make check` (top_builddir, top_srcdir).

setup() {
    : "${top_builddir:?run this through make check}"
    V="$top_builddir/tools/zk-verify"
    D="$top_srcdir/tests/vectors/groth16"
    T="$BATS_TEST_TMPDIR"
    # public[0] of the fixture, plus one, and plus r (the group order)
    P0=11293062526822869323255888951196187648301005870340521008701171233594530483552
    P0_PLUS_1=11293062526822869323255888951196187648301005870340521008701171233594530483553
    P0_PLUS_R=33181305398662144545502294696453462736849370270756555352399375420170338979169
}

# The fixtures have snarkjs's layout, one value per line, so sed and awk
# can edit them (no jq, python or bc needed).

# FILE1 and FILE2 differ.  (A bare `! cmp` would not fail a test: set -e
# ignores negated commands; a function returning non-zero does fail it.)
differ() {
    ! cmp -s "$1" "$2"
}

@test "valid snarkjs proof: exit 0, 'valid'" {
    run "$V" "$D/vk.json" "$D/public.json" "$D/proof.json"
    [ "$status" -eq 0 ]
    [ "$output" = "valid" ]
}

@test "-q: exit 0 and nothing printed" {
    run "$V" -q "$D/vk.json" "$D/public.json" "$D/proof.json"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "proof from stdin" {
    run sh -c '"$1" "$2" "$3" - <"$4"' sh "$V" "$D/vk.json" "$D/public.json" "$D/proof.json"
    [ "$status" -eq 0 ]
    [ "$output" = "valid" ]
}

@test "public signal changed by one: exit 1, invalid" {
    sed "s/\"$P0\"/\"$P0_PLUS_1\"/" "$D/public.json" >"$T/p.json"
    differ "$D/public.json" "$T/p.json"
    run "$V" "$D/vk.json" "$T/p.json" "$D/proof.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"invalid"* ]]
}

@test "public signal + r (>= r): rejected, not reduced" {
    sed "s/\"$P0\"/\"$P0_PLUS_R\"/" "$D/public.json" >"$T/p.json"
    run "$V" "$D/vk.json" "$T/p.json" "$D/proof.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"public[0]"* ]]
    [[ "$output" == *"out of range"* ]]
}

@test "one public signal missing: exit 1, names the counts" {
    sed '2d' "$D/public.json" >"$T/p.json"
    run "$V" "$D/vk.json" "$T/p.json" "$D/proof.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"2 public signals, but"*"expects 3"* ]]
}

@test "pi_a replaced by the generator (a valid point): exit 1" {
    awk 'BEGIN{n=0} /"pi_a"/{a=1} a&&/"[0-9]+"/&&n<2{sub(/"[0-9]+"/, n==0?"\"1\"":"\"2\""); n++} {print}' \
        "$D/proof.json" >"$T/proof.json"
    differ "$D/proof.json" "$T/proof.json"
    run "$V" "$D/vk.json" "$D/public.json" "$T/proof.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"does not verify"* ]]
}

@test "pi_c off the curve: exit 1, names pi_c" {
    awk '/"pi_c"/{a=1} a&&/"[0-9]+"/&&!d{sub(/"[0-9]+"/, "\"5\""); d=1} {print}' \
        "$D/proof.json" >"$T/proof.json"
    run "$V" "$D/vk.json" "$D/public.json" "$T/proof.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"pi_c"* ]]
    [[ "$output" == *"not on the curve"* ]] || [[ "$output" == *"curve"* ]]
}

@test "pi_b on the twist but outside G2: exit 1" {
    # x = 7 + 11400714819323198486 u, a point of E'(Fp2) outside G2
    awk '
        /"pi_b"/ { b = 1 }
        b && /"[0-9]+"/ && n < 4 {
            n++
            v = n == 1 ? "7" : n == 2 ? "11400714819323198486" : \
                n == 3 ? "355727424254540183933140950592936124628008476887897179671305810913172709516" : \
                         "11029350929571658857442622326175318757328417081442199283176309601875468763385"
            sub(/"[0-9]+"/, "\"" v "\"")
        }
        { print }' "$D/proof.json" >"$T/proof.json"
    grep -q 11400714819323198486 "$T/proof.json"
    run "$V" "$D/vk.json" "$D/public.json" "$T/proof.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"pi_b"* ]]
}

@test "vk with IC[0] off the curve: exit 2 (unusable key)" {
    awk '/"IC"/{a=1} a&&/"[0-9]+"/&&!d{sub(/"[0-9]+"/, "\"5\""); d=1} {print}' \
        "$D/vk.json" >"$T/vk.json"
    run "$V" "$T/vk.json" "$D/public.json" "$D/proof.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"vk.json"* ]]
    [[ "$output" == *"IC"* ]]
}

@test "vk with a wrong vk_alphabeta_12: exit 2" {
    awk '/"vk_alphabeta_12"/{a=1} a&&/"[0-9]+"/&&!d{sub(/"[0-9]+"/, "\"5\""); d=1} {print}' \
        "$D/vk.json" >"$T/vk.json"
    differ "$D/vk.json" "$T/vk.json"
    run "$V" "$T/vk.json" "$D/public.json" "$D/proof.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"vk_alphabeta_12"* ]]
}

@test "proof.json that is not JSON: exit 2 with the line" {
    printf '{"pi_a": [1, 2\n' >"$T/proof.json"
    run "$V" "$D/vk.json" "$D/public.json" "$T/proof.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"proof.json: line"* ]]
}

@test "JSON that is not a proof ({}, a list): exit 2" {
    echo '{}' >"$T/a.json"
    run "$V" "$D/vk.json" "$D/public.json" "$T/a.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"not a Groth16 proof"* ]]
    echo '[1, 2, 3]' >"$T/b.json"
    run "$V" "$D/vk.json" "$D/public.json" "$T/b.json"
    [ "$status" -eq 2 ]
}

@test "a proof given as the key: exit 2" {
    run "$V" "$D/proof.json" "$D/public.json" "$D/proof.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"not a Groth16 verification key"* ]]
}

@test "missing file: exit 2, names it" {
    run "$V" "$D/vk.json" "$D/public.json" "$T/nope.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"nope.json"* ]]
}

@test "usage: wrong argument count, two stdins, unknown option: exit 2" {
    run "$V" "$D/vk.json" "$D/public.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"Usage:"* ]]
    run "$V" "$D/vk.json" - -
    [ "$status" -eq 2 ]
    run "$V" --frobnicate "$D/vk.json" "$D/public.json" "$D/proof.json"
    [ "$status" -eq 2 ]
}

@test "--help and --version: exit 0" {
    run "$V" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"VERIFICATION_KEY.json PUBLIC.json PROOF.json"* ]]
    run "$V" --version
    [ "$status" -eq 0 ]
    [ "$output" = "zk-verify (zkpar) $PACKAGE_VERSION" ]
}
