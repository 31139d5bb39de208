#!/usr/bin/env bats
# zk-setup (groth16 --dev, vk, contribute), zk-prove and zk-verify together
# on random circuits from bench/gen_circuit: no node or snarkjs needed (the
# snarkjs round trips are in tests/interop/groth16.test.mjs).  Run through
# `make check` (top_builddir, top_srcdir, PACKAGE_VERSION).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" G="$top_builddir/bench/gen_circuit"
    export F="$BATS_FILE_TMPDIR"
    "$G" -s 7 8 "$F" 3
    "$B/zk-setup" -q groth16 --dev "$F/circuit.r1cs" "$F/dev.zkey"
    "$B/zk-setup" vk "$F/dev.zkey" "$F/vk.json"
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# Add 1 (mod 256) to the byte at OFFSET of FILE, in place.
bump_byte() {
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\$(printf '%03o' $(((b + 1) % 256)))" |
        dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# FILE1 and FILE2 differ.  (A bare `! cmp` would not fail a test: set -e
# ignores negated commands; a function returning non-zero does fail it.)
differ() {
    ! cmp -s "$1" "$2"
}

@test "dev key: prove and verify three witnesses" {
    for i in 0000 0001 0002; do
        run "$B/zk-prove" "$F/dev.zkey" "$F/witness-$i.wtns" "$T/p$i.json" "$T/x$i.json"
        [ "$status" -eq 0 ]
        [ -z "$output" ]
        run "$B/zk-verify" "$F/vk.json" "$T/x$i.json" "$T/p$i.json"
        [ "$status" -eq 0 ]
        [ "$output" = valid ]
    done
    # the public signals differ between witnesses, and proofs don't swap
    differ "$T/x0000.json" "$T/x0001.json"
    run "$B/zk-verify" "$F/vk.json" "$T/x0000.json" "$T/p0001.json"
    [ "$status" -eq 1 ]
}

@test "--dev prints a loud warning, -q silences it" {
    run "$B/zk-setup" groth16 --dev "$F/circuit.r1cs" "$T/k.zkey"
    [ "$status" -eq 0 ]
    [[ "$output" == *"WARNING"*"DEVELOPMENT key"* ]]
    run "$B/zk-setup" -q groth16 --dev "$F/circuit.r1cs" "$T/k2.zkey"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    # two dev keys differ (fresh toxic waste)
    differ "$T/k.zkey" "$T/k2.zkey"
}

@test "--threads 1 and 2, --progress names every phase" {
    run "$B/zk-prove" --threads 1 "$F/dev.zkey" "$F/witness-0000.wtns" "$T/p1.json" "$T/x1.json"
    [ "$status" -eq 0 ]
    run "$B/zk-prove" -t 2 --progress "$F/dev.zkey" "$F/witness-0000.wtns" "$T/p2.json" "$T/x2.json"
    [ "$status" -eq 0 ]
    for phase in read_zkey read_wtns matvec ntt msm_h msm_a msm_b1 msm_b2 msm_c blind check write; do
        [[ "$output" == *"zk-prove: $phase "* ]]
    done
    cmp "$T/x1.json" "$T/x2.json"
    differ "$T/p1.json" "$T/p2.json"   # fresh blinding
    "$B/zk-verify" -q "$F/vk.json" "$T/x1.json" "$T/p1.json"
    "$B/zk-verify" -q "$F/vk.json" "$T/x2.json" "$T/p2.json"
}

@test "witness from stdin, proof to stdout" {
    run sh -c '"$1/zk-prove" "$2" - - "$3" <"$4" >"$5"' sh "$B" "$F/dev.zkey" "$T/x.json" \
        "$F/witness-0001.wtns" "$T/p.json"
    [ "$status" -eq 0 ]
    run "$B/zk-verify" "$F/vk.json" "$T/x.json" "$T/p.json"
    [ "$status" -eq 0 ]
}

@test "a contribution keeps the key working; the old vk no longer verifies" {
    run "$B/zk-setup" contribute --name carol "$F/dev.zkey" "$T/c.zkey"
    [ "$status" -eq 0 ]
    [[ "$output" == *"contribution #1 hash:"* ]]
    "$B/zk-setup" vk "$T/c.zkey" "$T/cvk.json"
    "$B/zk-prove" "$T/c.zkey" "$F/witness-0002.wtns" "$T/p.json" "$T/x.json"
    run "$B/zk-verify" "$T/cvk.json" "$T/x.json" "$T/p.json"
    [ "$status" -eq 0 ]
    run "$B/zk-verify" "$F/vk.json" "$T/x.json" "$T/p.json"
    [ "$status" -eq 1 ]
}

@test "witness of another circuit: exit 2, names both files, no output" {
    "$G" -s 8 9 "$T" 1
    run "$B/zk-prove" "$F/dev.zkey" "$T/witness-0000.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"witness-0000.wtns: the witness has"*"dev.zkey expects"* ]]
    [ ! -e "$T/p.json" ]
    [ ! -e "$T/x.json" ]
    [ -z "$(ls "$T" | grep tmp)" ]
}

@test "witness that does not satisfy: exit 1, existing outputs untouched" {
    # the last wire's value is at the end of the file: flip a bit of it
    cp "$F/witness-0000.wtns" "$T/w.wtns"
    size=$(wc -c <"$T/w.wtns")
    bump_byte "$T/w.wtns" $((size - 32))
    differ "$F/witness-0000.wtns" "$T/w.wtns"
    echo old >"$T/p.json"
    echo old >"$T/x.json"
    run "$B/zk-prove" "$F/dev.zkey" "$T/w.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"does not satisfy"* ]]
    [ "$(cat "$T/p.json")" = old ]
    [ "$(cat "$T/x.json")" = old ]
}

@test "wtns with another prime: exit 2" {
    cp "$F/witness-0000.wtns" "$T/w.wtns"
    # the prime starts at byte 12 (header) + 12 (section header) + 4 (n8)
    bump_byte "$T/w.wtns" 28
    run "$B/zk-prove" "$F/dev.zkey" "$T/w.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"w.wtns"* ]]
    [ ! -e "$T/p.json" ]
}

@test "truncated zkey: exit 2, names the file" {
    head -c 5000 "$F/dev.zkey" >"$T/t.zkey"
    run "$B/zk-prove" "$T/t.zkey" "$F/witness-0000.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"t.zkey"* ]]
    run "$B/zk-setup" vk "$T/t.zkey" "$T/vk.json"
    [ "$status" -eq 2 ]
    [ ! -e "$T/vk.json" ]
}

@test "zkey with a point off the curve: exit 1, names section and index" {
    cp "$F/dev.zkey" "$T/z.zkey"
    # alpha1 is the first point of section 2: 12 + 12 + 4 + 12 + 4+32+4+32+12 bytes in
    bump_byte "$T/z.zkey" 124
    differ "$F/dev.zkey" "$T/z.zkey"
    run "$B/zk-prove" "$T/z.zkey" "$F/witness-0000.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"z.zkey: header 0"* ]]
}

@test "a file that is not a zkey / not an r1cs: exit 2" {
    run "$B/zk-prove" "$F/witness-0000.wtns" "$F/witness-0000.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"witness-0000.wtns"* ]]
    run "$B/zk-setup" groth16 --dev "$F/dev.zkey" "$T/k.zkey"
    [ "$status" -eq 2 ]
    [[ "$output" == *"dev.zkey"*"r1cs"* ]]
}

@test "output directory missing: exit 2, no file" {
    run "$B/zk-prove" "$F/dev.zkey" "$F/witness-0000.wtns" "$T/no/p.json" "$T/x.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"no/p.json"* ]]
    [ ! -e "$T/x.json" ]
}

@test "usage errors: exit 2" {
    run "$B/zk-prove" "$F/dev.zkey" "$F/witness-0000.wtns" "$T/p.json"
    [ "$status" -eq 2 ]
    run "$B/zk-prove" --threads 0 "$F/dev.zkey" "$F/witness-0000.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--threads"* ]]
    run "$B/zk-prove" "$F/dev.zkey" "$F/witness-0000.wtns" - -
    [ "$status" -eq 2 ]
    run "$B/zk-setup" frobnicate
    [ "$status" -eq 2 ]
    run "$B/zk-setup" vk --dev "$F/dev.zkey" "$T/v.json"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" groth16 --dev "$F/circuit.r1cs"
    [ "$status" -eq 2 ]
    run "$B/zk-setup"
    [ "$status" -eq 2 ]
}

@test "--help and --version of zk-prove and zk-setup" {
    run "$B/zk-prove" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"CIRCUIT.zkey WITNESS.wtns PROOF.json PUBLIC.json"* ]]
    run "$B/zk-setup" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"groth16 --dev"* ]]
    run "$B/zk-prove" --version
    [ "$output" = "zk-prove (zkpar) $PACKAGE_VERSION" ]
    run "$B/zk-setup" --version
    [ "$output" = "zk-setup (zkpar) $PACKAGE_VERSION" ]
}

@test "ptau --dev -> groth16 -> contribute -> verify -> prove -> verify" {
    run "$B/zk-setup" ptau --dev 9 "$T/p.ptau"
    [ "$status" -eq 0 ]
    [[ "$output" == *"DEVELOPMENT powers of tau"* ]]
    "$B/zk-setup" -q groth16 "$F/circuit.r1cs" "$T/p.ptau" "$T/k0.zkey"
    "$B/zk-setup" -q contribute "$T/k0.zkey" "$T/k1.zkey"
    run "$B/zk-setup" verify "$F/circuit.r1cs" "$T/p.ptau" "$T/k1.zkey"
    [ "$status" -eq 0 ]
    [[ "$output" == "valid: "*"1 contribution" ]]
    # a key of another circuit does not match this one
    run "$B/zk-setup" verify "$F/circuit.r1cs" "$T/p.ptau" "$F/dev.zkey"
    [ "$status" -eq 1 ]
    [[ "$output" == "invalid: "* ]]
    "$B/zk-setup" vk "$T/k1.zkey" "$T/vk.json"
    "$B/zk-prove" "$T/k1.zkey" "$F/witness-0000.wtns" "$T/pr.json" "$T/x.json"
    run "$B/zk-verify" "$T/vk.json" "$T/x.json" "$T/pr.json"
    [ "$status" -eq 0 ]
}

@test "ptau: too small for the circuit, or without --dev: exit 2" {
    "$B/zk-setup" -q ptau --dev 4 "$T/small.ptau"
    run "$B/zk-setup" groth16 "$F/circuit.r1cs" "$T/small.ptau" "$T/k.zkey"
    [ "$status" -eq 2 ]
    [[ "$output" == *"small.ptau: power 4 is too small"*"needs a domain of 2^8"* ]]
    [ ! -e "$T/k.zkey" ]
    run "$B/zk-setup" ptau 9 "$T/x.ptau"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" ptau --dev 28 "$T/x.ptau"
    [ "$status" -eq 2 ]
    [ ! -e "$T/x.ptau" ]
}
