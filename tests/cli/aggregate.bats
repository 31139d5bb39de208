#!/usr/bin/env bats
# SnarkPack aggregation of a rollup batch end to end (K = 2, D = 8, T = 2):
# a batch of 7 transactions cut into 4 chunks, proven with xargs -P2,
# folded by zk-aggregate and checked by zk-verify --keys with only
# chunk.vk.json, srs.vk.json and params.json; then every rejection of
# zk-aggregate (shares missing, twice, of another batch or key, changed,
# with another's proof) and of zk-verify (each member of the aggregate
# changed, another batch's rows, another key, another SRS), and
# zk-setup srs (usage, two dev ptau files, one file twice).  Needs jq.
# Run through `make check` (top_builddir, top_srcdir).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" F="$BATS_FILE_TMPDIR"
    "$B/zk-wallet" genesis --accounts 12 --depth 8 --tokens 2 --seed bats \
        -o "$F/state.json" --keys "$F/keys.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" \
        --count 7 --seed bats -o "$F/batch.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" \
        --count 7 --seed other -o "$F/batch2.json"
    "$B/zk-setup" -q chunk --chunk-size 2 --depth 8 --tokens 2 --dev -o "$F/keys"
    "$B/zk-setup" -q srs --max 8 --dev -o "$F/keys"
    # another key directory for the same K, D, T (the same SRS)
    "$B/zk-setup" -q chunk --chunk-size 2 --depth 8 --tokens 2 --dev -o "$F/keys2"
    cp "$F/keys/srs.bin" "$F/keys/srs.vk.json" "$F/keys2/"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$F/out" \
        "$F/batch.json"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$F/out2" \
        "$F/batch2.json"
    "$B/zk-partition" -q --keys "$F/keys2" --state "$F/state.json" -o "$F/outk" \
        "$F/batch.json"
    printf '%s\n' "$F"/out/chunk-*.json "$F/out2/chunk-0001.json" "$F/out2/chunk-0002.json" |
        xargs -P2 -I{} "$B/zk-prove" --keys "$F/keys" -o {}.share {}
    "$B/zk-prove" --keys "$F/keys2" -o "$F/outk/chunk-0001.json.share" \
        "$F/outk/chunk-0001.json"
    for i in 0 1 2 3; do
        export S$i="$F/out/chunk-000$i.json.share"
    done
    "$B/zk-aggregate" -q --keys "$F/keys" -o "$F/agg.json" "$F"/out/chunk-*.json.share
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# zk-verify --keys $F/keys of the aggregate edited by the jq filter $1:
# status 1 and $2 in the output.
reject() {
    jq "$1" "$F/agg.json" >"$T/a.json"
    run "$B/zk-verify" --keys "$F/keys" "$T/a.json"
    echo "$1: $status: $output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"a.json: invalid: "*"$2"* ]]
}

@test "setup srs adds srs.bin and srs.vk.json to the keys directory" {
    [ -s "$F/keys/srs.bin" ] && [ -s "$F/keys/srs.vk.json" ] && [ -s "$F/keys/chunk.zkey" ]
    [ "$(jq -r .protocol "$F/keys/srs.vk.json")" = snarkpack ]
    [ "$(jq .n_max "$F/keys/srs.vk.json")" -eq 8 ]
    # --max rounds up to a power of two, at least 2; the dev warning
    run "$B/zk-setup" srs --max 5 --dev -o "$T/k"
    [ "$status" -eq 0 ]
    [[ "$output" == *WARNING*DEVELOPMENT* ]]
    [ "$(jq .n_max "$T/k/srs.vk.json")" -eq 8 ]
    "$B/zk-setup" -q srs --max 1 --dev -o "$T/k"
    [ "$(jq .n_max "$T/k/srs.vk.json")" -eq 2 ]
    [ ! -e "$T/k/chunk.zkey" ]
}

@test "the aggregate of the 4 shares of 7 transactions verifies" {
    a="$F/agg.json"
    [ "$(jq -r .format "$a")" = zkpar-aggregate ]
    [ "$(jq .chunks "$a")" -eq 4 ] && [ "$(jq .transactions "$a")" -eq 7 ]
    [ "$(jq -r .batch "$a")" = "$(jq -r .batch "$F/out/manifest.json")" ]
    [ "$(jq -r .key "$a")" = "$(jq -r .key "$F/keys/params.json")" ]
    [ "$(jq -c '[.public[][0]] + [.public[3][1]]' "$a")" = "$(jq -c .roots "$F/out/manifest.json")" ]
    [ "$(jq -c '[.public[][2]]' "$a")" = "$(jq -c .commitments "$F/out/manifest.json")" ]
    [ "$(jq -r .old_root "$a")" = "$(jq -r '.roots[0]' "$F/out/manifest.json")" ]
    [ "$(jq -r .new_root "$a")" = "$(jq -r '.roots[4]' "$F/out/manifest.json")" ]
    run "$B/zk-verify" --keys "$F/keys" "$a"
    [ "$status" -eq 0 ]
    [[ "$output" == *"agg.json: valid: batch $(jq -r .batch "$a" | cut -c1-16): 0x"*"... -> 0x"*"..., 7 txs in 4 chunks" ]]
    # shares and aggregates mixed on one command line, each by its kind
    run "$B/zk-verify" --keys "$F/keys" "$S0" "$a" "$S3"
    [ "$status" -eq 0 ]
    [ "$(grep -c ': valid: batch ' <<<"$output")" -eq 3 ]
    # -q: nothing printed
    run "$B/zk-verify" -q --keys "$F/keys" "$a"
    [ "$status" -eq 0 ] && [ -z "$output" ]
}

@test "zk-verify needs only chunk.vk.json, srs.vk.json and params.json" {
    mkdir "$T/v"
    cp "$F/keys/chunk.vk.json" "$F/keys/srs.vk.json" "$F/keys/params.json" "$T/v/"
    run "$B/zk-verify" --keys "$T/v" "$F/agg.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"7 txs in 4 chunks"* ]]
    # without srs.vk.json an aggregate cannot be checked (a share still can)
    rm "$T/v/srs.vk.json"
    run "$B/zk-verify" --keys "$T/v" "$F/agg.json"
    [ "$status" -eq 2 ]
    [[ "$output" == *srs.vk.json* ]]
    run "$B/zk-verify" --keys "$T/v" "$S1"
    [ "$status" -eq 0 ]
}

@test "shares from stdin: JSON lines, concatenated documents, any order" {
    jq -c . "$S2" "$S0" "$S3" "$S1" | "$B/zk-aggregate" -q --keys "$F/keys" >"$T/a.json"
    run "$B/zk-verify" --keys "$F/keys" "$T/a.json"
    [ "$status" -eq 0 ]
    cat "$S0" "$S1" "$S2" "$S3" | "$B/zk-aggregate" -q --keys "$F/keys" -o "$T/b.json" -
    run "$B/zk-verify" --keys "$F/keys" "$T/b.json"
    [ "$status" -eq 0 ]
    # the rows are in index order, whatever the input order
    [ "$(jq -c .public "$T/a.json")" = "$(jq -c .public "$F/agg.json")" ]
    # a malformed document is named by its line
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/c.json" < <(jq -c . "$S0" "$S1"; echo '{"x":')
    [ "$status" -eq 2 ]
    [[ "$output" == *"(stdin) line 3: not JSON"* ]]
    [ ! -e "$T/c.json" ]
    run "$B/zk-aggregate" --keys "$F/keys" </dev/null
    [ "$status" -eq 2 ]
}

@test "--progress times the phases" {
    run "$B/zk-aggregate" --progress --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$S2" "$S3"
    [ "$status" -eq 0 ]
    for p in read checks read_srs aggregate self_verify write; do
        [[ "$output" == *"zk-aggregate: $p "*" s"* ]]
    done
}

@test "zk-aggregate: a share missing or given twice" {
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"chunk index 2 of 4 is missing"* ]]
    [ ! -e "$T/a.json" ]
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$S2" "$S1" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"chunk index 1 given twice"* ]]
    [ ! -e "$T/a.json" ]
    # a share of index 2 that claims a count of 3
    jq '.count = 3' "$S2" >"$T/c.json"
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$T/c.json" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"c.json: count 3"* ]]
}

@test "zk-aggregate: shares of another batch mixed in" {
    o1="$F/out2/chunk-0001.json.share" o2="$F/out2/chunk-0002.json.share"
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$o1" "$o2" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"chunk-0001.json.share: batch "*"not the batch of the other shares"* ]]
    [[ "$output" == *"chunk-0002.json.share: batch "* ]]
    [ ! -e "$T/a.json" ]
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$o1" "$S2" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"out2/chunk-0001.json.share: batch"* ]]
    # relabelled as ours: the roots no longer chain
    jq --arg b "$(jq -r .batch "$S1")" '.batch = $b' "$o1" >"$T/r.json"
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$T/r.json" "$S2" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"r.json: chunk 1's old root (public[0]) is not the new root"* ]]
}

@test "zk-aggregate: a changed public input, with and without --check" {
    jq '.public[2] = "12345"' "$S2" >"$T/bad.json"
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$T/bad.json" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"public inputs give batch"* ]]
    [ ! -e "$T/a.json" ]
    run "$B/zk-aggregate" --check --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$T/bad.json" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"bad.json: chunk 2: the proof does not verify"* ]]
    [ ! -e "$T/a.json" ]
}

@test "zk-aggregate: a share with another share's proof (self-verification)" {
    jq --argjson p "$(jq .proof "$S1")" '.proof = $p' "$S2" >"$T/sw.json"
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$T/sw.json" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"share(s) do not verify; run with --check to find which"* ]]
    [ ! -e "$T/a.json" ]
    run "$B/zk-aggregate" --check --keys "$F/keys" -o "$T/a.json" "$S0" "$S1" "$T/sw.json" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"sw.json: chunk 2: the proof does not verify"* ]]
    [[ "$output" != *"chunk-0001.json.share: chunk"* ]]
}

@test "zk-aggregate: a share from another key directory; unusable input" {
    k="$F/outk/chunk-0001.json.share"
    run "$B/zk-aggregate" --keys "$F/keys" -o "$T/a.json" "$S0" "$k" "$S2" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"outk/chunk-0001.json.share: made for key"* ]]
    [ ! -e "$T/a.json" ]
    # the other directory's key refuses ours
    run "$B/zk-aggregate" --keys "$F/keys2" -o "$T/a.json" "$S0" "$S1" "$S2" "$S3"
    [ "$status" -eq 1 ]
    # no srs.bin, no such share, not a share, no --keys
    mkdir "$T/nosrs"
    cp "$F/keys/chunk.vk.json" "$F/keys/params.json" "$T/nosrs/"
    run "$B/zk-aggregate" --keys "$T/nosrs" "$S0" "$S1" "$S2" "$S3"
    [ "$status" -eq 2 ]
    [[ "$output" == *srs.bin* ]]
    run "$B/zk-aggregate" --keys "$F/keys" "$S0" "$T/none.json"
    [ "$status" -eq 2 ]
    run "$B/zk-aggregate" --keys "$F/keys" "$S0" "$F/state.json"
    [ "$status" -eq 2 ]
    run "$B/zk-aggregate" "$S0"
    [ "$status" -eq 2 ]
    # more chunks than the SRS serves
    "$B/zk-setup" -q srs --max 2 --dev -o "$T/small"
    cp "$F/keys/chunk.vk.json" "$F/keys/params.json" "$T/small/"
    run "$B/zk-aggregate" --keys "$T/small" "$S0" "$S1" "$S2" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"serves at most 2 proofs"* ]]
}

@test "zk-verify: each member of the aggregate changed" {
    reject '.batch = "0" * 64' 'batch 0000000000000000000000000000000000000000000000000000000000000000 is not the batch id'
    reject '.batch |= (.[0:63] + (if .[63:] == "0" then "1" else "0" end))' 'is not the batch id'
    reject ".key = \"$(jq -r .key "$F/keys2/params.json")\"" 'made for key'
    reject '.chunks = 3' 'public: 4 rows, but chunks says 3'
    reject '.chunks = 9' 'chunks: 9, but srs.vk.json serves 1 to 8'
    reject '.chunk_size = 4' 'made for K=4 D=8 T=2'
    reject '.old_root = "1"' 'old_root is not public[0][0]'
    reject '.new_root = .old_root' 'new_root is not public[3][1]'
    reject '.public[1][0] = "7"' 'public[1][0] is not public[0][1]'
    reject '.public[2][2] = "7"' 'is not the batch id of its public rows'
    reject '.public = .public[0:3] | .chunks = 3 | .new_root = .public[2][1]' 'is not the batch id'
    reject '.public[0][2] = "21888242871839275222246405745257275088548364400416034343698204186575808495617"' \
        'public[0][2]: a value >= r'
    # a byte of the proof changed (a few places), the proof cut short
    for at in 40 5000 12000; do
        reject ".proof |= (.[0:$at] + (if .[$at:$at+1] == \"0\" then \"1\" else \"0\" end) + .[$at+1:])" \
            'proof'
    done
    reject '.proof |= .[0:-2]' 'proof: not an aggregate proof'
    # the header: the round count (byte 5), the proof count (bytes 6 to 13)
    reject '.proof |= .[0:10] + "03" + .[12:]' 'proof: not an aggregate proof'
    reject '.proof |= .[0:12] + "05" + .[14:]' 'proof: not an aggregate proof'
    reject '.proof |= .[0:12] + "03" + .[14:]' 'proof: made for 3 proofs in 2 rounds, not 4'
    # transactions is a label: the proof does not cover it (zk-aggregate(1))
    jq '.transactions = 99' "$F/agg.json" >"$T/t.json"
    run "$B/zk-verify" --keys "$F/keys" "$T/t.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"99 txs in 4 chunks"* ]]
    # malformed: exit 2
    for f in '.proof = "xyz0"' '.proof = 5' 'del(.old_root)' '.extra = 1' '.version = 2' \
        '.public[1] = "1"' '.batch = "ABC"'; do
        jq "$f" "$F/agg.json" >"$T/m.json"
        run "$B/zk-verify" --keys "$F/keys" "$T/m.json"
        echo "$f: $status $output"
        [ "$status" -eq 2 ]
    done
}

@test "zk-verify: another batch's rows, another key, another SRS" {
    # every label consistent with batch 2: only the proof tells
    jq --slurpfile m "$F/out2/manifest.json" '.batch = $m[0].batch |
        .public = [range(4) as $i | [$m[0].roots[$i], $m[0].roots[$i + 1], $m[0].commitments[$i]]] |
        .old_root = $m[0].roots[0] | .new_root = $m[0].roots[4]' "$F/agg.json" >"$T/b2.json"
    run "$B/zk-verify" --keys "$F/keys" "$T/b2.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"b2.json: invalid: the aggregate proof does not verify"* ]]
    # another key directory (same K, D, T and SRS): the key id, then the proof
    run "$B/zk-verify" --keys "$F/keys2" "$F/agg.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"made for key"* ]]
    jq --arg k "$(jq -r .key "$F/keys2/params.json")" '.key = $k' "$F/agg.json" >"$T/k2.json"
    run "$B/zk-verify" --keys "$F/keys2" "$T/k2.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"k2.json: invalid: the aggregate proof does not verify"* ]]
    # another SRS for the same chunk keys
    mkdir "$T/s"
    cp "$F/keys/chunk.vk.json" "$F/keys/params.json" "$T/s/"
    "$B/zk-setup" -q srs --max 8 --dev -o "$T/s"
    run "$B/zk-verify" --keys "$T/s" "$F/agg.json"
    [ "$status" -eq 1 ]
    [[ "$output" == *"agg.json: invalid: the aggregate proof does not verify"* ]]
    # srs.bin and srs.vk.json of different SRSs: zk-aggregate refuses
    cp "$F/keys/srs.bin" "$T/s/"
    run "$B/zk-aggregate" --keys "$T/s" "$S0" "$S1" "$S2" "$S3"
    [ "$status" -eq 1 ]
    [[ "$output" == *"srs.vk.json: not the verifier key"* ]]
}

@test "zk-setup srs: usage errors" {
    run "$B/zk-setup" srs --dev -o "$T/k"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max 4 -o "$T/k"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max 4 --dev
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max 0 --dev -o "$T/k"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max 1048577 --dev -o "$T/k"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max x --dev -o "$T/k"
    [ "$status" -eq 2 ]
    "$B/zk-setup" -q ptau --dev 3 "$T/a.ptau"
    run "$B/zk-setup" srs --max 4 --dev --ptau "$T/a.ptau" -o "$T/k"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max 4 --ptau "$T/a.ptau" -o "$T/k"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max 4 --ptau "$T/a.ptau" --ptau "$T/a.ptau" --ptau "$T/a.ptau" -o "$T/k"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max 4 --dev -o "$T/k" extra
    [ "$status" -eq 2 ]
    # --max is srs's; chunk takes one --ptau
    run "$B/zk-setup" chunk --max 4 --chunk-size 2 --depth 8 --tokens 2 --dev -o "$T/k"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" chunk --chunk-size 2 --depth 8 --tokens 2 --ptau "$T/a.ptau" \
        --ptau "$T/a.ptau" -o "$T/k"
    [ "$status" -eq 2 ]
    [[ "$output" == *"takes one"* ]]
    [ ! -e "$T/k" ]
}

@test "zk-setup srs from two dev ptau files; one file twice is refused" {
    "$B/zk-setup" -q ptau --dev 4 "$T/a.ptau"
    "$B/zk-setup" -q ptau --dev 4 "$T/b.ptau"
    run "$B/zk-setup" srs --max 4 --ptau "$T/a.ptau" --ptau "$T/b.ptau" -o "$T/k"
    [ "$status" -eq 0 ]
    [[ "$output" != *WARNING* ]]
    [ "$(jq .n_max "$T/k/srs.vk.json")" -eq 4 ] && [ -s "$T/k/srs.bin" ]
    # it aggregates: the chunk keys copied beside it
    cp "$F/keys/chunk.vk.json" "$F/keys/params.json" "$T/k/"
    "$B/zk-aggregate" -q --keys "$T/k" -o "$T/a.json" "$S0" "$S1" "$S2" "$S3"
    run "$B/zk-verify" --keys "$T/k" "$T/a.json"
    [ "$status" -eq 0 ]
    run "$B/zk-setup" srs --max 4 --ptau "$T/a.ptau" --ptau "$T/a.ptau" -o "$T/k2"
    [ "$status" -eq 1 ]
    [[ "$output" == *"same tau"* ]]
    [ ! -e "$T/k2" ]
    # too small for --max; not a ptau; missing
    run "$B/zk-setup" srs --max 64 --ptau "$T/a.ptau" --ptau "$T/b.ptau" -o "$T/k2"
    [ "$status" -eq 1 ]
    [[ "$output" == *"a.ptau: refused: power 4 is too small"* ]]
    run "$B/zk-setup" srs --max 4 --ptau "$T/a.ptau" --ptau "$F/keys/srs.bin" -o "$T/k2"
    [ "$status" -eq 2 ]
    run "$B/zk-setup" srs --max 4 --ptau "$T/none.ptau" --ptau "$T/b.ptau" -o "$T/k2"
    [ "$status" -eq 2 ]
    [[ "$output" == *"none.ptau: cannot read"* ]]
}
