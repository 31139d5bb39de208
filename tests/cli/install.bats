#!/usr/bin/env bats
# A phase-2 ceremony for the chunk key (K = 1, D = 4, T = 1, a development
# ptau of power 14): `zk-setup chunk --ptau` makes the directory with one
# contribution, `zk-setup contribute` adds more, `zk-setup chunk --install`
# checks the final key against the circuit of params.json and the ptau and
# makes it the directory's key (chunk.zkey, chunk.vk.json, params.json's
# key id).  Refused, with nothing changed: a key from another ptau, a
# development key, a file that is not a key, a directory without
# params.json, and the options that do not go with --install.  Run
# through `make check` (top_builddir).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" F="$BATS_FILE_TMPDIR"
    "$B/zk-setup" -q ptau --dev 14 "$F/pot.ptau"
    "$B/zk-setup" -q ptau --dev 14 "$F/other.ptau"
    "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --ptau "$F/pot.ptau" \
        -o "$F/keys"
    "$B/zk-setup" -q contribute --name alice "$F/keys/chunk.zkey" "$F/c2.zkey"
    "$B/zk-setup" -q contribute --name bob "$F/c2.zkey" "$F/c3.zkey"
    "$B/zk-wallet" genesis --accounts 4 --depth 4 --tokens 1 --seed inst \
        -o "$F/state.json" --keys "$F/keys.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" --count 1 \
        --seed inst -o "$F/batch.json"
}

setup() {
    T="$BATS_TEST_TMPDIR"
    cp -r "$F/keys" "$T/keys"
}

# The directory's files, hashed, for "nothing changed".
digest() {
    (cd "$1" && sha256sum chunk.zkey chunk.vk.json params.json chunk.r1cs)
}

@test "--install: the final key checked and installed; shares of it verify, of the old key not" {
    "$B/zk-partition" -q --keys "$T/keys" --state "$F/state.json" -o "$T/out" "$F/batch.json"
    "$B/zk-prove" -q --keys "$T/keys" -o "$T/old.share" "$T/out/chunk-0000.json"
    old_key=$(jq -r .key "$T/keys/params.json")
    run "$B/zk-setup" chunk --install "$F/c3.zkey" --ptau "$F/pot.ptau" -o "$T/keys"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"c3.zkey: 3 contributions checked"* ]]
    cmp "$F/c3.zkey" "$T/keys/chunk.zkey"
    new_key=$(jq -r .key "$T/keys/params.json")
    [ "$new_key" != "$old_key" ]
    # chunk.vk.json is the new key's
    "$B/zk-setup" vk "$F/c3.zkey" "$T/vk.json"
    cmp "$T/vk.json" "$T/keys/chunk.vk.json"
    run "$B/zk-setup" verify "$T/keys/chunk.r1cs" "$F/pot.ptau" "$T/keys/chunk.zkey"
    [[ "$output" == *"3 contributions"* ]]
    # the pipeline runs on the installed key
    "$B/zk-partition" -q --keys "$T/keys" --state "$F/state.json" -o "$T/out2" "$F/batch.json"
    "$B/zk-prove" -q --keys "$T/keys" -o "$T/new.share" "$T/out2/chunk-0000.json"
    run "$B/zk-verify" --keys "$T/keys" "$T/new.share"
    [ "$status" -eq 0 ]
    # a share of the replaced key is another key's
    run "$B/zk-verify" --keys "$T/keys" "$T/old.share"
    [ "$status" -eq 1 ]
}

@test "--install refuses a key from another ptau, exit 1, nothing changed" {
    "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --ptau "$F/other.ptau" \
        -o "$T/otherkeys"
    before=$(digest "$T/keys")
    run "$B/zk-setup" chunk --install "$T/otherkeys/chunk.zkey" --ptau "$F/pot.ptau" \
        -o "$T/keys"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"otherkeys/chunk.zkey: not installed:"* ]]
    [ "$(digest "$T/keys")" = "$before" ]
    [ -z "$(find "$T/keys" -name '*.tmp.*')" ]
}

@test "--install refuses a development key and a file that is not a key" {
    "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$T/devkeys"
    before=$(digest "$T/keys")
    run "$B/zk-setup" chunk --install "$T/devkeys/chunk.zkey" --ptau "$F/pot.ptau" \
        -o "$T/keys"
    [ "$status" -eq 1 ]
    [[ "$output" == *"not installed:"* ]]
    run "$B/zk-setup" chunk --install "$F/state.json" --ptau "$F/pot.ptau" -o "$T/keys"
    [ "$status" -eq 2 ]
    [[ "$output" == *"state.json"* ]]
    run "$B/zk-setup" chunk --install "$T/missing.zkey" --ptau "$F/pot.ptau" -o "$T/keys"
    [ "$status" -eq 2 ]
    [[ "$output" == *"missing.zkey"* ]]
    [ "$(digest "$T/keys")" = "$before" ]
}

@test "--install: usage errors (exit 2): the options that do not go with it, no params.json" {
    run "$B/zk-setup" chunk --install "$F/c3.zkey" --dev -o "$T/keys"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" chunk --install "$F/c3.zkey" --ptau "$F/pot.ptau" --chunk-size 1 \
        -o "$T/keys"
    [ "$status" -eq 2 ]
    [[ "$output" == *"no --dev, --chunk-size, --depth or --tokens"* ]]
    run "$B/zk-setup" chunk --install "$F/c3.zkey" -o "$T/keys"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" contribute --install "$F/c3.zkey" "$F/c2.zkey" "$T/x.zkey"
    [ "$status" -eq 2 ]
    [[ "$output" == *"options of 'chunk' only"* ]]
    mkdir "$T/empty"
    run "$B/zk-setup" chunk --install "$F/c3.zkey" --ptau "$F/pot.ptau" -o "$T/empty"
    [ "$status" -eq 2 ]
    [[ "$output" == *"params.json"* ]]
    [ -z "$(ls "$T/empty")" ]
    echo '{"format": "zkpar-params"}' >"$T/keys/params.json"
    run "$B/zk-setup" chunk --install "$F/c3.zkey" --ptau "$F/pot.ptau" -o "$T/keys"
    [ "$status" -eq 2 ]
    [[ "$output" == *"params.json"* ]]
}

@test "--install refuses an initial key (no contribution: delta = 1)" {
    "$B/zk-setup" -q groth16 "$T/keys/chunk.r1cs" "$F/pot.ptau" "$T/init.zkey"
    before=$(digest "$T/keys")
    run "$B/zk-setup" chunk --install "$T/init.zkey" --ptau "$F/pot.ptau" -o "$T/keys"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"init.zkey: not installed: no phase-2 contribution"* ]]
    [ "$(digest "$T/keys")" = "$before" ]
}

@test "--install that cannot write chunk.vk.json leaves the working key in place" {
    before=$(sha256sum <"$T/keys/chunk.zkey")
    rm "$T/keys/chunk.vk.json"
    mkdir "$T/keys/chunk.vk.json" # in the way: the rename fails
    run "$B/zk-setup" chunk --install "$F/c3.zkey" --ptau "$F/pot.ptau" -o "$T/keys"
    echo "$output"
    [ "$status" -eq 2 ]
    [ "$(sha256sum <"$T/keys/chunk.zkey")" = "$before" ]
    [ ! -e "$T/keys/chunk.zkey.install" ]
    [ -z "$(find "$T/keys" -name '*.tmp.*')" ]
}
