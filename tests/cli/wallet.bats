#!/usr/bin/env bats
# zk-wallet: deterministic genesis and batches, keys files 0600, keygen,
# sign, show, and its exit codes (0 / 1 rejected content / 2 usage or
# unreadable input).  The files have one value per line (cli_json_dump's
# layout), so grep, sed and awk can read and edit them: no jq or python.
# Run through `make check` (top_builddir, PACKAGE_VERSION).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export W="$top_builddir/tools/zk-wallet"
    export F="$BATS_FILE_TMPDIR"
    "$W" genesis --accounts 12 --depth 8 --tokens 2 --seed alpha -o "$F/s.json" --keys "$F/k.json"
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# The permission string of a file ("-rw-------").
perms() {
    ls -l "$1" | cut -c1-10
}

# FILE1 and FILE2 differ.  (A bare `! cmp` would not fail a test: set -e
# ignores negated commands; a function returning non-zero does fail it.)
differ() {
    ! cmp -s "$1" "$2"
}

# Number of lines of FILE matching the fixed string PATTERN.
count() {
    grep -cF -- "$2" "$1" || true
}

@test "genesis: same seed, same bytes; another seed, other bytes" {
    run "$W" genesis --accounts 12 --depth 8 --tokens 2 --seed alpha -o "$T/s.json" --keys "$T/k.json"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    cmp "$F/s.json" "$T/s.json"
    cmp "$F/k.json" "$T/k.json"
    "$W" genesis --accounts 12 --depth 8 --tokens 2 --seed beta -o "$T/s2.json" --keys "$T/k2.json"
    differ "$F/s.json" "$T/s2.json"
    differ "$F/k.json" "$T/k2.json"
    # options in another order: the same files
    "$W" genesis --keys "$T/k3.json" -o "$T/s3.json" --seed alpha --tokens 2 --depth 8 --accounts 12
    cmp "$F/s.json" "$T/s3.json"
    cmp "$F/k.json" "$T/k3.json"
}

@test "genesis: formats, counts, balances in [10^9, 10^12), 2^T per account" {
    [ "$(count "$F/s.json" '"format": "zkpar-state"')" -eq 1 ]
    [ "$(count "$F/k.json" '"format": "zkpar-keys"')" -eq 1 ]
    [ "$(count "$F/s.json" '"index":')" -eq 12 ]
    [ "$(count "$F/k.json" '"secret":')" -eq 12 ]
    run "$W" show --state "$F/s.json"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 12 ]
    for ((i = 0; i < 12; i++)); do
        set -- ${lines[$i]}
        [ "$1" -eq "$i" ]   # index
        [ "$2" -eq 0 ]      # nonce
        [ "$#" -eq 6 ]      # and 4 balances
        shift 2
        for b in "$@"; do
            [ "${#b}" -ge 10 ]
            [ "${#b}" -le 12 ]
        done
    done
    "$W" genesis --accounts 3 --depth 2 --tokens 0 --seed x --balance 1000 -o "$T/s.json" --keys "$T/k.json"
    run "$W" show --state "$T/s.json" 0 1 2 3
    [ "${lines[3]}" = "3 empty" ]
    for ((i = 0; i < 3; i++)); do
        set -- ${lines[$i]}
        [ "$#" -eq 3 ]
        [ "$3" -ge 1 ]
        [ "$3" -lt 1000 ]
    done
}

@test "keys files are 0600 (even with a lax umask), state files 0644" {
    [ "$(perms "$F/k.json")" = "-rw-------" ]
    [ "$(perms "$F/s.json")" = "-rw-r--r--" ]
    (umask 000 && "$W" genesis --accounts 2 --depth 1 --tokens 0 --seed u -o "$T/s.json" --keys "$T/k.json")
    [ "$(perms "$T/k.json")" = "-rw-------" ]
    # an existing world-readable keys file is replaced by a private one
    echo old >"$T/k2.json"
    chmod 644 "$T/k2.json"
    "$W" keygen --seed u -o "$T/k2.json"
    [ "$(perms "$T/k2.json")" = "-rw-------" ]
    "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 20 --seed u -o "$T/b.json" \
        --keys-out "$T/k3.json"
    [ "$(perms "$T/k3.json")" = "-rw-------" ]
    [ -z "$(ls "$T" | grep tmp)" ]
}

@test "batch: deterministic in its inputs" {
    "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 40 --seed b -o "$T/b1.json"
    "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 40 --seed b -o "$T/b2.json"
    cmp "$T/b1.json" "$T/b2.json"
    "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 40 --seed c -o "$T/b3.json"
    differ "$T/b1.json" "$T/b3.json"
    "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 40 --seed b --invalid 0.5 -o "$T/b4.json"
    "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 40 --seed b --invalid 0.5 -o "$T/b5.json"
    cmp "$T/b4.json" "$T/b5.json"
    differ "$T/b1.json" "$T/b4.json"
}

@test "batch of 50 with --invalid 0: 50 valid transactions of the three kinds on the state's root" {
    run "$W" batch --progress --state "$F/s.json" --keys "$F/k.json" --count 50 --seed v \
        --invalid 0 -o "$T/b.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"zk-wallet: 50 transactions: "*" transfers, "*" withdrawals, 0 invalid"* ]]
    [ "$(count "$T/b.json" '"format": "zkpar-batch"')" -eq 1 ]
    [ "$(count "$T/b.json" '"type": ')" -eq 50 ]
    [ "$(count "$T/b.json" '"type": "transfer"')" -gt 0 ]
    [ "$(count "$T/b.json" '"type": "deposit"')" -gt 0 ]
    [ "$(count "$T/b.json" '"type": "withdraw"')" -gt 0 ]
    [ "$(count "$T/b.json" '"l1_recipient": "0x')" -eq "$(count "$T/b.json" '"type": "withdraw"')" ]
    root=$(grep -F '"root":' "$F/s.json" | sed 's/.*"root": //')
    grep -qF "\"state_root\": $root" "$T/b.json"
    # without --progress: quiet
    run "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 50 --seed v -o "$T/b2.json"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    cmp "$T/b.json" "$T/b2.json"
}

@test "batch --invalid 1: every transaction invalid; --keys-out extends the keys" {
    run "$W" batch --progress --state "$F/s.json" --keys "$F/k.json" --count 30 --seed i \
        --invalid 1 -o "$T/b.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"30 transactions: 0 transfers, 0 deposits (0 new accounts), 0 withdrawals, 30 invalid"* ]]
    run "$W" batch --progress --state "$F/s.json" --keys "$F/k.json" --count 60 --seed n \
        -o "$T/b2.json" --keys-out "$T/k2.json"
    [ "$status" -eq 0 ]
    new=$(echo "$output" | sed -n 's/.*deposits (\([0-9]*\) new accounts).*/\1/p')
    [ "$new" -gt 0 ]
    [ "$(count "$T/k2.json" '"secret":')" -eq $((12 + new)) ]
    # the input keys come first, unchanged
    head -n "$(($(wc -l <"$F/k.json") - 2))" "$F/k.json" >"$T/prefix"
    head -n "$(wc -l <"$T/prefix")" "$T/k2.json" | cmp - "$T/prefix"
    # the extended file is a valid keys file for the same state
    "$W" batch --state "$F/s.json" --keys "$T/k2.json" --count 5 --seed n -o "$T/b3.json"
}

@test "batch -o - writes to stdout" {
    run "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 3 --seed o -o -
    [ "$status" -eq 0 ]
    [[ "${lines[1]}" == *'"format": "zkpar-batch"'* ]]
}

@test "keygen: random twice differs, seeded twice is the same" {
    run "$W" keygen
    [ "$status" -eq 0 ]
    a="$output"
    [[ "$a" == *'"format": "zkpar-key"'* ]]
    run "$W" keygen
    [ "$output" != "$a" ]
    "$W" keygen --seed s -o "$T/a.json"
    "$W" keygen --seed s -o "$T/b.json"
    cmp "$T/a.json" "$T/b.json"
    [ "$(perms "$T/a.json")" = "-rw-------" ]
    "$W" keygen --seed t -o "$T/c.json"
    differ "$T/a.json" "$T/c.json"
    # the seeded key is not genesis key 0 of the same seed (another label)
    "$W" genesis --accounts 1 --depth 1 --tokens 0 --seed s -o "$T/s.json" --keys "$T/k.json"
    sec=$(grep -F '"secret":' "$T/a.json" | sed 's/.*: //; s/,$//')
    [ "$(count "$T/k.json" "$sec")" -eq 0 ]
}

@test "sign: file and stdin give the same signature; re-signing is idempotent" {
    "$W" keygen --seed signer -o "$T/key.json"
    printf '{"type": "transfer", "from": 1, "to": 2, "amount": "100", "fee": "1", "nonce": 4}\n' \
        >"$T/tx.json"
    run "$W" sign --key "$T/key.json" "$T/tx.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *'"signature": {'* ]]
    [[ "$output" != *'"S": "0"'* ]]
    printf '%s' "$output" >"$T/signed1.json"   # files have no final newline
    "$W" sign --key "$T/key.json" -o "$T/signed2.json" <"$T/tx.json"
    cmp "$T/signed1.json" "$T/signed2.json"
    "$W" sign --key "$T/key.json" -o "$T/signed3.json" "$T/signed2.json"
    cmp "$T/signed2.json" "$T/signed3.json"
    # another key, another signature
    "$W" keygen --seed other -o "$T/key2.json"
    "$W" sign --key "$T/key2.json" -o "$T/signed4.json" "$T/tx.json"
    differ "$T/signed2.json" "$T/signed4.json"
    # a withdrawal is signed too
    printf '{"type": "withdraw", "from": 3, "amount": "5", "l1_recipient": "0xabc"}\n' |
        "$W" sign --key "$T/key.json" -o "$T/w.json"
    grep -qF '"l1_recipient": "0x0000000000000000000000000000000000000abc"' "$T/w.json"
}

@test "sign refuses unsigned types (exit 1) and malformed transactions (exit 2)" {
    "$W" keygen --seed signer -o "$T/key.json"
    run sh -c 'echo "{\"type\": \"deposit\", \"to\": 1, \"amount\": \"5\"}" | "$1" sign --key "$2"' \
        sh "$W" "$T/key.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"(stdin): type: a deposit is not signed"* ]]
    run sh -c 'echo "{\"type\": \"noop\"}" | "$1" sign --key "$2"' sh "$W" "$T/key.json"
    [ "$status" -eq 1 ]
    run sh -c 'echo "{\"type\": \"transfer\", \"amuont\": \"5\"}" | "$1" sign --key "$2"' \
        sh "$W" "$T/key.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"(stdin): amuont: "* ]]
    run "$W" sign --key "$F/k.json" "$T/key.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"k.json: format: "* ]]
}

@test "usage errors: exit 2" {
    run "$W" genesis --accounts 3 --depth 2 --tokens 0 -o "$T/s.json" --keys "$T/k.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--seed is required"* ]]
    run "$W" genesis --accounts 3 --tokens 0 --seed a -o "$T/s.json" --keys "$T/k.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--depth is required"* ]]
    run "$W" genesis --accounts 5 --depth 2 --tokens 0 --seed a -o "$T/s.json" --keys "$T/k.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--accounts"* ]]
    run "$W" genesis --accounts 0 --depth 2 --tokens 0 --seed a -o "$T/s.json" --keys "$T/k.json"
    [ "$status" -eq 2 ]
    for d in 0 33 x -1 ""; do
        run "$W" genesis --accounts 1 --depth "$d" --tokens 0 --seed a -o "$T/s.json" --keys "$T/k.json"
        [ "$status" -eq 2 ]
    done
    run "$W" genesis --accounts 1 --depth 1 --tokens 9 --seed a -o "$T/s.json" --keys "$T/k.json"
    [ "$status" -eq 2 ]
    run "$W" genesis --accounts 1 --depth 1 --tokens 0 --seed a -o - --keys -
    [ "$status" -eq 2 ]
    run "$W" genesis --accounts 1 --depth 1 --tokens 0 --seed a --count 3 -o "$T/s.json" --keys "$T/k.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--count is not an option"* ]]
    run "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 3 -o "$T/b.json"
    [ "$status" -eq 2 ]
    for f in 1.5 -0.1 x nan; do
        run "$W" batch --state "$F/s.json" --keys "$F/k.json" --count 3 --seed a --invalid "$f" -o "$T/b.json"
        [ "$status" -eq 2 ]
    done
    run "$W" sign "$T/tx.json"
    [ "$status" -eq 2 ]
    run "$W" frobnicate
    [ "$status" -eq 2 ]
    run "$W"
    [ "$status" -eq 2 ]
    run "$W" --threads 0 keygen
    [ "$status" -eq 2 ]
    [ ! -e "$T/s.json" ]
    [ ! -e "$T/b.json" ]
}

@test "unreadable or malformed state: exit 2, no output" {
    run "$W" batch --state "$T/none.json" --keys "$F/k.json" --count 3 --seed a -o "$T/b.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"none.json"* ]]
    echo '{"format": "zkpar-state", "version": 1,' >"$T/trunc.json"
    run "$W" show --state "$T/trunc.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"trunc.json"* ]]
    run "$W" show --state "$F/k.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"k.json: format: "* ]]
    sed 's/"version": 1/"version": 2/' "$F/s.json" >"$T/v2.json"
    run "$W" show --state "$T/v2.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *"v2.json: version: "* ]]
    run "$W" batch --state "$F/s.json" --keys "$T/none.json" --count 3 --seed a -o "$T/b.json"
    [ "$status" -eq 2 ]
    [ ! -e "$T/b.json" ]
}

@test "tampered state: root mismatch exits 1" {
    # add one to the root's last digit (9 -> 0 changes the value too)
    r=$(sed -n 's/.*"root": "\([0-9]*\)".*/\1/p' "$F/s.json")
    r2="${r%?}$(((${r: -1} + 1) % 10))"
    sed "s/\"$r\"/\"$r2\"/" "$F/s.json" >"$T/t.json"
    differ "$F/s.json" "$T/t.json"
    run "$W" show --state "$T/t.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"t.json: root: "* ]]
    run "$W" batch --state "$T/t.json" --keys "$F/k.json" --count 3 --seed a -o "$T/b.json"
    [ "$status" -eq 1 ]
    [ ! -e "$T/b.json" ]
    # a changed nonce: the recomputed root differs
    awk '/"nonce": 0/ && !done { sub(/"nonce": 0/, "\"nonce\": 1"); done = 1 } { print }' \
        "$F/s.json" >"$T/n.json"
    run "$W" show --state "$T/n.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"n.json: root: "* ]]
    # a balance of 2^96 is out of range: exit 1 too
    awk '/"balances"/ { b = 1 } b && /"[0-9]+"/ && !done { sub(/"[0-9]+"/, "\"79228162514264337593543950336\""); done = 1 } { print }' \
        "$F/s.json" >"$T/big.json"
    run "$W" show --state "$T/big.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"big.json: accounts[0].balances[0]: "* ]]
}

@test "keys whose pubkey is not their secret's: exit 1" {
    s2=$(grep -F '"secret":' "$F/k.json" | sed -n 2p)
    awk -v s="$s2" '/"secret":/ && !done { print s; done = 1; next } { print }' "$F/k.json" >"$T/k.json"
    differ "$F/k.json" "$T/k.json"
    run "$W" batch --state "$F/s.json" --keys "$T/k.json" --count 3 --seed a -o "$T/b.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"k.json: keys[0].pubkey: "* ]]
    [ ! -e "$T/b.json" ]
    # a single key (sign)
    "$W" keygen --seed a -o "$T/a.json"
    "$W" keygen --seed b -o "$T/b.json"
    sb=$(grep -F '"secret":' "$T/b.json")
    awk -v s="$sb" '/"secret":/ { print s; next } { print }' "$T/a.json" >"$T/ab.json"
    printf '{"type": "transfer", "from": 1, "to": 2, "amount": "1"}\n' >"$T/tx.json"
    run "$W" sign --key "$T/ab.json" "$T/tx.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ab.json: pubkey: "* ]]
    # keys of another wallet for the same state's accounts
    "$W" genesis --accounts 12 --depth 8 --tokens 2 --seed gamma -o "$T/s2.json" --keys "$T/k2.json"
    run "$W" batch --state "$F/s.json" --keys "$T/k2.json" --count 3 --seed a -o "$T/b.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"keys[0]: not the key of account 0"* ]]
}

@test "show: chosen indices, empty slots, index outside the tree" {
    run "$W" show --state "$F/s.json" 11 12 255
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 3 ]
    [[ "${lines[0]}" == "11 0 "* ]]
    [ "${lines[1]}" = "12 empty" ]
    [ "${lines[2]}" = "255 empty" ]
    run "$W" show --state "$F/s.json" 256
    [ "$status" -eq 2 ]
    run "$W" show --state "$F/s.json" x
    [ "$status" -eq 2 ]
}

@test "--help and --version" {
    run "$W" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"genesis --accounts N --depth D --tokens T --seed S"* ]]
    [[ "$output" == *"token tree of depth T"* ]]
    run "$W" --version
    [ "$output" = "zk-wallet (zkpar) $PACKAGE_VERSION" ]
}
