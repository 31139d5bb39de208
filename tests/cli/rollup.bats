#!/usr/bin/env bats
# The rollup pipeline end to end at small sizes (K = 2, D = 8, T = 2):
# zk-wallet genesis and batch, zk-setup chunk --dev, zk-partition, zk-prove
# --keys in parallel with xargs -P2, zk-verify --keys; then every rejection:
# invalid transactions refused by zk-partition with their index and rule,
# hand-edited chunks refused by zk-prove, tampered shares by zk-verify, and
# snarkjs accepting a chunk proof (when the interop npm packages are
# installed).  Needs jq.  Run through `make check` (top_builddir,
# top_srcdir).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" F="$BATS_FILE_TMPDIR"
    export SNARKJS="$top_srcdir/tests/interop/node_modules/snarkjs/cli.js"
    if [ ! -f "$SNARKJS" ]; then
        SNARKJS="$top_builddir/tests/interop/node_modules/snarkjs/cli.js"
    fi
    "$B/zk-wallet" genesis --accounts 12 --depth 8 --tokens 2 --seed bats \
        -o "$F/state.json" --keys "$F/keys.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" \
        --count 5 --seed bats -o "$F/batch.json"
    "$B/zk-setup" -q chunk --chunk-size 2 --depth 8 --tokens 2 --dev -o "$F/keys"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" \
        --state-out "$F/post.json" -o "$F/out" "$F/batch.json"
    ls "$F"/out/chunk-*.json | xargs -P2 -I{} "$B/zk-prove" --keys "$F/keys" -o {}.share {}
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# A zkpar-key file for account $1 of keys.json, to $2.
key_of() {
    jq --argjson i "$1" '{format: "zkpar-key", version: 1} +
        (.keys[] | select(.index == $i) | {secret, pubkey})' "$F/keys.json" >"$2"
}

# Write a one-transaction batch holding the JSON tx $1 (on state.json) to $2.
batch_of() {
    jq --argjson tx "$1" '.transactions = [$tx]' "$F/batch.json" >"$2"
}

# A transfer signed by account $1: from $1 to $2, token $3, amount $4, fee
# $5, nonce $6.
signed_transfer() {
    key_of "$1" "$T/k$1.json"
    printf '{"type":"transfer","from":%s,"to":%s,"token":%s,"amount":"%s","fee":"%s","nonce":%s}' \
        "$1" "$2" "$3" "$4" "$5" "$6" |
        "$B/zk-wallet" sign --key "$T/k$1.json" -
}

@test "setup chunk writes the key directory" {
    for f in chunk.r1cs chunk.zkey chunk.vk.json params.json; do
        [ -s "$F/keys/$f" ]
    done
    [ "$(jq -r .format "$F/keys/params.json")" = zkpar-params ]
    [ "$(jq .chunk_size "$F/keys/params.json")" -eq 2 ]
    [ "$(jq .nPublic "$F/keys/chunk.vk.json")" -eq 3 ]
    [ "$(jq -r .key "$F/keys/params.json" | tr -d '0-9a-f' | wc -c)" -eq 1 ]
}

@test "partition: 5 transactions in 3 chunks of 2, the roots chained" {
    [ -f "$F/out/chunk-0000.json" ] && [ -f "$F/out/chunk-0002.json" ]
    [ ! -e "$F/out/chunk-0003.json" ]
    m="$F/out/manifest.json"
    [ "$(jq .chunks "$m")" -eq 3 ]
    [ "$(jq .transactions "$m")" -eq 5 ]
    [ "$(jq '.roots | length' "$m")" -eq 4 ]
    for i in 0 1 2; do
        c="$F/out/chunk-000$i.json"
        [ "$(jq -r .old_root "$c")" = "$(jq -r ".roots[$i]" "$m")" ]
        [ "$(jq -r .new_root "$c")" = "$(jq -r ".roots[$((i + 1))]" "$m")" ]
        [ "$(jq -r .batch "$c")" = "$(jq -r .batch "$m")" ]
    done
    # the last chunk holds one transaction and a no-op pad
    [ "$(jq .transactions "$F/out/chunk-0002.json")" -eq 1 ]
    [ "$(jq -r '.records[1].tx.type' "$F/out/chunk-0002.json")" = noop ]
    # the post-state's root is the last root
    [ "$(jq -r .root "$F/post.json")" = "$(jq -r '.roots[3]' "$m")" ]
    [ "$(jq -r .root "$F/post.json")" != "$(jq -r .root "$F/state.json")" ]
}

@test "partition is deterministic" {
    run "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" \
        --state-out "$T/post.json" -o "$T/out" "$F/batch.json"
    [ "$status" -eq 0 ]
    for f in chunk-0000.json chunk-0001.json chunk-0002.json manifest.json; do
        cmp "$F/out/$f" "$T/out/$f"
    done
    cmp "$F/post.json" "$T/post.json"
}

@test "every share verifies (xargs -P2 proofs)" {
    run "$B/zk-verify" --keys "$F/keys" "$F"/out/chunk-*.json.share
    [ "$status" -eq 0 ]
    [ "$(grep -c ': valid: batch ' <<<"$output")" -eq 3 ]
    s="$F/out/chunk-0001.json.share"
    [ "$(jq -r .format "$s")" = zkpar-share ]
    [ "$(jq .index "$s")" -eq 1 ] && [ "$(jq .count "$s")" -eq 3 ]
    [ "$(jq -r '.public[0]' "$s")" = "$(jq -r '.roots[1]' "$F/out/manifest.json")" ]
}

@test "zk-prove reads the chunk from stdin and writes the share to stdout" {
    "$B/zk-prove" --keys "$F/keys" <"$F/out/chunk-0000.json" >"$T/s.json"
    run "$B/zk-verify" --keys "$F/keys" "$T/s.json"
    [ "$status" -eq 0 ]
}

@test "--wtns: the chunk's witness proves in the plain mode with chunk.zkey" {
    c="$F/out/chunk-0001.json"
    "$B/zk-prove" --keys "$F/keys" --wtns "$T/w.wtns" -o "$T/s.json" "$c"
    run "$B/zk-prove" "$F/keys/chunk.zkey" "$T/w.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 0 ]
    run "$B/zk-verify" "$F/keys/chunk.vk.json" "$T/x.json" "$T/p.json"
    [ "$status" -eq 0 ]
    # its public signals are the share's
    [ "$(jq -c . "$T/x.json")" = "$(jq -c .public "$T/s.json")" ]
    run "$B/zk-prove" --wtns "$T/w2.wtns" "$F/keys/chunk.zkey" "$T/w.wtns" "$T/p.json" "$T/x.json"
    [ "$status" -eq 2 ]
}

@test "zk-verify: a changed public input, a foreign key, a share of no kind" {
    s="$F/out/chunk-0000.json.share"
    jq '.public[1] = "12345"' "$s" >"$T/bad.json"
    run "$B/zk-verify" --keys "$F/keys" "$s" "$T/bad.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"bad.json: invalid: the proof does not verify"* ]]
    [[ "$output" == *"chunk-0000.json.share: valid"* ]]
    # old and new root swapped
    jq '.public = [.public[1], .public[0], .public[2]]' "$s" >"$T/swap.json"
    run "$B/zk-verify" --keys "$F/keys" "$T/swap.json"
    [ "$status" -eq 1 ]
    # another key directory for the same parameters
    "$B/zk-setup" -q chunk --chunk-size 2 --depth 8 --tokens 2 --dev -o "$T/keys2"
    run "$B/zk-verify" --keys "$T/keys2" "$s"
    [ "$status" -eq 1 ]
    [[ "$output" == *"made for key"* ]]
    # a public value >= r, a missing file, not a share
    jq '.public[2] = "21888242871839275222246405745257275088548364400416034343698204186575808495617"' \
        "$s" >"$T/big.json"
    run "$B/zk-verify" --keys "$F/keys" "$T/big.json"
    [ "$status" -eq 1 ]
    run "$B/zk-verify" --keys "$F/keys" "$T/missing.json"
    [ "$status" -eq 2 ]
    run "$B/zk-verify" --keys "$F/keys" "$F/state.json"
    [ "$status" -eq 2 ]
}

@test "zk-prove refuses hand-edited chunks" {
    c="$F/out/chunk-0000.json"
    # a changed amount: the data commitment no longer matches
    jq '.records[0].tx.amount = "1"' "$c" >"$T/amount.json"
    run "$B/zk-prove" --keys "$F/keys" -o "$T/s.json" "$T/amount.json"
    [ "$status" -eq 1 ]
    [ ! -e "$T/s.json" ]
    # a changed old root
    jq '.old_root = "1"' "$c" >"$T/root.json"
    run "$B/zk-prove" --keys "$F/keys" -o "$T/s.json" "$T/root.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *old_root* ]]
    # a changed Merkle path entry: the record no longer opens its root
    jq '.records[0].steps[1].account_path[3] = "7"' "$c" >"$T/path.json"
    run "$B/zk-prove" --keys "$F/keys" -o "$T/s.json" "$T/path.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"record 0"*bad-record* ]]
    # a changed signature on a signed transaction
    i=$(jq '[.records[].tx.type] | index("transfer") // index("withdraw")' "$c")
    if [ "$i" != null ]; then
        jq ".records[$i].tx.signature.S = \"12345\"" "$c" >"$T/sig.json"
        run "$B/zk-prove" --keys "$F/keys" -o "$T/s.json" "$T/sig.json"
        [ "$status" -eq 1 ]
        [[ "$output" == *bad-signature* ]]
    fi
    # a chunk for another key directory
    run "$B/zk-prove" --keys "$T/nokeys" -o "$T/s.json" "$c"
    [ "$status" -eq 2 ]
    [ ! -e "$T/s.json" ]
}

@test "zk-partition refuses each invalid transaction with its index and rule" {
    m() { # expect rule $2 for the one-transaction batch holding tx $1
        batch_of "$1" "$T/b.json"
        run "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" \
            -o "$T/o" "$T/b.json"
        [ "$status" -eq 1 ]
        [[ "$output" == *"transaction 0 "*"$2"* ]]
        [ ! -e "$T/o/manifest.json" ]
    }
    good=$(signed_transfer 3 4 1 100 2 0)
    m "$(jq '.amount = "101"' <<<"$good")" bad-signature
    m "$(signed_transfer 3 4 1 100 2 1)" bad-nonce
    m "$(signed_transfer 3 4 1 100000000000000 2 0)" overdraft
    m "$(signed_transfer 3 200 1 100 2 0)" unknown-recipient
    m "$(signed_transfer 3 4 7 100 2 0)" unknown-token
    m '{"type":"deposit","to":4,"token":0,"amount":"79228162514264337593543950335"}' \
        recipient-overflow
    # a sender slot that is empty, signing with some key
    key_of 3 "$T/k3.json"
    tx=$(printf '{"type":"transfer","from":201,"to":4,"token":1,"amount":"1","fee":"0","nonce":0}' |
        "$B/zk-wallet" sign --key "$T/k3.json" -)
    m "$tx" unknown-sender
    # a replay: the same transfer twice
    jq --argjson tx "$good" '.transactions = [$tx, $tx]' "$F/batch.json" >"$T/b2.json"
    run "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$T/o" "$T/b2.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"transaction 1 "*bad-nonce* ]]
    # --skip-invalid drops it and lists it in the manifest
    run "$B/zk-partition" -q --skip-invalid --keys "$F/keys" --state "$F/state.json" \
        -o "$T/o" "$T/b2.json"
    [ "$status" -eq 0 ]
    [ "$(jq '.skipped | length' "$T/o/manifest.json")" -eq 1 ]
    [ "$(jq -r '.skipped[0].rule' "$T/o/manifest.json")" = bad-nonce ]
    [ "$(jq .transactions "$T/o/manifest.json")" -eq 1 ]
    # a full chunk, then only skipped transactions: no empty chunk after it
    good2=$(signed_transfer 3 4 1 100 2 1)
    jq --argjson a "$good" --argjson b "$good2" '.transactions = [$a, $b, $a]' \
        "$F/batch.json" >"$T/b3.json"
    run "$B/zk-partition" -q --skip-invalid --keys "$F/keys" --state "$F/state.json" \
        -o "$T/o3" "$T/b3.json"
    [ "$status" -eq 0 ]
    [ "$(jq .chunks "$T/o3/manifest.json")" -eq 1 ]
    [ ! -e "$T/o3/chunk-0001.json" ]
}

@test "zk-partition: a batch for another state, keys for other depths, usage" {
    jq '.state_root = "1"' "$F/batch.json" >"$T/b.json"
    run "$B/zk-partition" --keys "$F/keys" --state "$F/state.json" -o "$T/o" "$T/b.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"another state"* ]]
    "$B/zk-wallet" genesis --accounts 4 --depth 9 --tokens 2 --seed x \
        -o "$T/s9.json" --keys "$T/k9.json"
    run "$B/zk-partition" --keys "$F/keys" --state "$T/s9.json" -o "$T/o" "$F/batch.json"
    [ "$status" -eq 1 ]
    run "$B/zk-partition" --keys "$F/keys" -o "$T/o" "$F/batch.json"
    [ "$status" -eq 2 ]
    run "$B/zk-partition" --keys "$F/keys" --state "$T/none.json" -o "$T/o" "$F/batch.json"
    [ "$status" -eq 2 ]
    [ ! -e "$T/o" ] || [ -z "$(ls "$T/o")" ]
}

@test "snarkjs groth16 verify accepts a chunk proof" {
    [ -f "$SNARKJS" ] || skip "snarkjs not installed (tests/interop/run.sh --install-only)"
    s="$F/out/chunk-0001.json.share"
    jq .proof "$s" >"$T/proof.json"
    jq .public "$s" >"$T/public.json"
    run node "$SNARKJS" groth16 verify "$F/keys/chunk.vk.json" "$T/public.json" "$T/proof.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"OK"* ]]
    jq '.public[0] = "5"' "$s" | jq .public >"$T/public.json"
    run node "$SNARKJS" groth16 verify "$F/keys/chunk.vk.json" "$T/public.json" "$T/proof.json"
    [[ "$output" != *"OK!"* ]]
    # and snarkjs proves the chunk's witness with our key; we verify it
    "$B/zk-prove" --keys "$F/keys" --wtns "$T/w.wtns" -o "$T/s.json" "$F/out/chunk-0002.json"
    node "$SNARKJS" groth16 prove "$F/keys/chunk.zkey" "$T/w.wtns" "$T/sp.json" "$T/sx.json"
    run "$B/zk-verify" "$F/keys/chunk.vk.json" "$T/sx.json" "$T/sp.json"
    [ "$status" -eq 0 ]
}
