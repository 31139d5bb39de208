#!/usr/bin/env bats
# The examples of examples/ end to end at K = 2, D = 8, T = 2: the Makefile
# (make -j2 from another directory on the demo's inputs, then nothing left
# to do, then a touched chunk redoes only its share, the aggregate and the
# stamp; the same file copied into a job directory with KEYS, STATE and
# BATCH and the tools on PATH), xargs.sh (a rerun proves only the shares
# that are missing or bad) and pipeline.sh (the shares streamed from
# xargs -P to zk-aggregate and the aggregate to zk-verify -); a prover that
# fails makes each of them fail without an aggregate.  Needs jq and GNU
# make.  Run through `make check` (top_builddir, top_srcdir).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" F="$BATS_FILE_TMPDIR" X="$top_srcdir/examples"
    "$B/zk-wallet" genesis --accounts 30 --depth 8 --tokens 2 --seed examples \
        -o "$F/state.json" --keys "$F/wallet.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/wallet.json" \
        --count 12 --seed examples -o "$F/batch.json"
    "$B/zk-setup" -q chunk --chunk-size 2 --depth 8 --tokens 2 --dev -o "$F/keys"
    "$B/zk-setup" -q srs --max 8 --dev -o "$F/keys"
    # tools whose zk-prove fails on chunk 1 (exit 2, nothing written)
    mkdir "$F/broken"
    for t in zk-partition zk-aggregate zk-verify; do
        ln -s "$B/$t" "$F/broken/$t"
    done
    cat >"$F/broken/zk-prove" <<EOF
#!/bin/sh
for a in "\$@"; do
    case \$a in *chunk-0001.json) echo "zk-prove: \$a: broken for the test" >&2; exit 2 ;; esac
done
exec "$B/zk-prove" "\$@"
EOF
    chmod +x "$F/broken/zk-prove"
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# The modification times of files $@, one a line.
mtimes() {
    stat -c '%n %.9Y' "$@"
}

@test "Makefile: make -j2 -f examples/Makefile on the demo, from another directory" {
    mkdir "$T/job" && cd "$T/job"
    run make -f "$X/Makefile" -j2 ZKPAR_BIN="$B" THREADS=1 DEMO_TXS=8
    echo "$output"
    [ "$status" -eq 0 ]
    # the demo's inputs were made here, with a development key and SRS
    [ -s state.json ] && [ -s batch.json ] && [ -s keys/chunk.zkey ] && [ -s keys/srs.bin ]
    [ "$(jq .chunks chunks/manifest.json)" -eq 4 ]
    [ "$(grep -c '/zk-prove ' <<<"$output")" -eq 4 ]
    [ "$(ls chunks/chunk-*.share.json | wc -l)" -eq 4 ]
    run "$B/zk-verify" --keys keys chunks/chunk-*.share.json
    [ "$status" -eq 0 ]
    # the stamp holds zk-verify's verdict
    grep -q '^aggregate.json: valid: batch .*, 8 txs in 4 chunks$' verified
    run "$B/zk-verify" --keys keys aggregate.json
    [ "$status" -eq 0 ]
    # nothing left to do
    run make -f "$X/Makefile" -q ZKPAR_BIN="$B" DEMO_TXS=8
    [ "$status" -eq 0 ]
    run make -f "$X/Makefile" ZKPAR_BIN="$B" DEMO_TXS=8
    [ "$status" -eq 0 ]
    [[ "$output" == *"Nothing to be done for 'all'"* ]]
    [[ "$output" != *zk-* ]]
    # one chunk newer than its share: only that share, the aggregate and
    # the stamp are made again
    find . -type f -exec touch -d '2 hours ago' {} +
    touch chunks/chunk-0002.json
    before=$(mtimes chunks/chunk-000[013].share.json chunks/manifest.json)
    run make -f "$X/Makefile" -q ZKPAR_BIN="$B" DEMO_TXS=8
    [ "$status" -eq 1 ]
    run make -f "$X/Makefile" -j2 ZKPAR_BIN="$B" DEMO_TXS=8
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(grep -c '/zk-' <<<"$output")" -eq 3 ]
    [[ "$output" == *"zk-prove --keys keys -o chunks/chunk-0002.share.json chunks/chunk-0002.json"* ]]
    [[ "$output" == *"/zk-aggregate "* ]] && [[ "$output" == *"/zk-verify "* ]]
    [ "$(mtimes chunks/chunk-000[013].share.json chunks/manifest.json)" = "$before" ]
    [ chunks/chunk-0002.share.json -nt chunks/chunk-0002.json ]
    run make -f "$X/Makefile" -q ZKPAR_BIN="$B" DEMO_TXS=8
    [ "$status" -eq 0 ]
    # a missing share: only it (and what follows) is made
    rm chunks/chunk-0003.share.json
    run make -f "$X/Makefile" ZKPAR_BIN="$B" DEMO_TXS=8
    [ "$status" -eq 0 ]
    [ "$(grep -c '/zk-prove ' <<<"$output")" -eq 1 ]
    [[ "$output" == *"chunks/chunk-0003.share.json chunks/chunk-0003.json"* ]]
    # clean leaves the inputs; distclean removes the demo's too
    run make -f "$X/Makefile" clean
    [ "$status" -eq 0 ]
    [ ! -e chunks ] && [ ! -e aggregate.json ] && [ ! -e verified ]
    [ -s state.json ] && [ -d keys ]
    run make -f "$X/Makefile" distclean
    [ "$status" -eq 0 ]
    [ -z "$(ls)" ]
}

@test "Makefile: copied into a job directory, KEYS STATE BATCH given, tools on PATH" {
    mkdir "$T/job" && cp "$X/Makefile" "$T/job/" && cd "$T/job"
    export PATH="$B:$PATH"
    run make -j2 KEYS="$F/keys" STATE="$F/state.json" BATCH="$F/batch.json" THREADS=1
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(grep -c '^zk-prove ' <<<"$output")" -eq 6 ]
    grep -q ', 12 txs in 6 chunks$' verified
    # the given inputs are never made or changed; no demo file appears
    [ ! -e state.json ] && [ ! -e batch.json ] && [ ! -e keys ] && [ ! -e wallet.json ]
    run make -q KEYS="$F/keys" STATE="$F/state.json" BATCH="$F/batch.json"
    [ "$status" -eq 0 ]
    # a newer batch: partition, every share, the aggregate again
    touch "$T/b.json" && cp "$F/batch.json" "$T/b.json"
    run make -j2 KEYS="$F/keys" STATE="$F/state.json" BATCH="$T/b.json" THREADS=1
    [ "$status" -eq 0 ]
    [ "$(grep -c '^zk-partition ' <<<"$output")" -eq 1 ]
    [ "$(grep -c '^zk-prove ' <<<"$output")" -eq 6 ]
    # a given input that is missing: make says so, nothing is made
    run make KEYS="$F/keys" STATE="$F/state.json" BATCH="$T/none.json" OUT=other
    [ "$status" -ne 0 ]
    [[ "$output" == *"none.json"* ]]
    [ ! -e other ]
}

@test "Makefile: a prover that fails stops the job before the aggregate" {
    mkdir "$T/job" && cd "$T/job"
    run make -f "$X/Makefile" -k ZKPAR_BIN="$F/broken" KEYS="$F/keys" \
        STATE="$F/state.json" BATCH="$F/batch.json"
    [ "$status" -ne 0 ]
    [[ "$output" == *"chunk-0001.json: broken for the test"* ]]
    [ -s chunks/chunk-0000.share.json ] && [ ! -e chunks/chunk-0001.share.json ]
    [ ! -e aggregate.json ] && [ ! -e verified ]
}

@test "xargs.sh: partition, xargs -P2 proofs, aggregate, verify; a rerun redoes only bad shares" {
    run env ZKPAR_BIN="$B" "$X/xargs.sh" -j 2 -t 1 -k "$F/keys" -s "$F/state.json" \
        -o "$T/out" "$F/batch.json"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == "$T/out/aggregate.json: valid: batch "*", 12 txs in 6 chunks" ]]
    [ "$(ls "$T"/out/chunk-*.share.json | wc -l)" -eq 6 ]
    run "$B/zk-verify" --keys "$F/keys" "$T"/out/chunk-*.share.json
    [ "$status" -eq 0 ]
    [ "$(jq -r .batch "$T/out/aggregate.json")" = "$(jq -r .batch "$T/out/manifest.json")" ]
    # a rerun: a share cut short and one removed are made again, nothing else
    head -c 200 "$T/out/chunk-0004.share.json" >"$T/cut" && mv "$T/cut" "$T/out/chunk-0004.share.json"
    rm "$T/out/chunk-0002.share.json"
    before=$(mtimes "$T"/out/chunk-000[0135].share.json "$T/out/manifest.json")
    run env ZKPAR_BIN="$B" "$X/xargs.sh" -j 2 -t 1 -k "$F/keys" -s "$F/state.json" \
        -o "$T/out" "$F/batch.json"
    [ "$status" -eq 0 ]
    [ "$(mtimes "$T"/out/chunk-000[0135].share.json "$T/out/manifest.json")" = "$before" ]
    run "$B/zk-verify" --keys "$F/keys" "$T"/out/chunk-*.share.json
    [ "$status" -eq 0 ]
    [ "$(grep -c ': valid' <<<"$output")" -eq 6 ]
    # a prover that fails: no aggregate
    run env ZKPAR_BIN="$F/broken" "$X/xargs.sh" -j 2 -k "$F/keys" -s "$F/state.json" \
        -o "$T/bad" "$F/batch.json"
    [ "$status" -ne 0 ]
    [[ "$output" == *"broken for the test"* ]]
    [ ! -e "$T/bad/aggregate.json" ]
    # usage
    run "$X/xargs.sh" -k "$F/keys" "$F/batch.json"
    [ "$status" -eq 2 ]
    [[ "$output" == usage:* ]]
}

@test "pipeline.sh: xargs -P2 zk-prove | jq -c | zk-aggregate | zk-verify -" {
    run env ZKPAR_BIN="$B" "$X/pipeline.sh" -j 2 -t 1 -k "$F/keys" -s "$F/state.json" \
        -o "$T/out" "$F/batch.json"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == "(stdin): valid: batch "*", 12 txs in 6 chunks" ]]
    # the aggregate was kept; the shares only went through the pipe
    run "$B/zk-verify" --keys "$F/keys" "$T/out/aggregate.json"
    [ "$status" -eq 0 ]
    [ "$(jq -r .batch "$T/out/aggregate.json")" = "$(jq -r .batch "$T/out/manifest.json")" ]
    [ -z "$(ls "$T/out" | grep -v '^chunk-[0-9]*\.json$' | grep -v '^manifest\.json$' |
        grep -v '^aggregate\.json$')" ]
    # the same stream by hand, as the script's comment shows it
    run bash -o pipefail -c "ls '$T'/out/chunk-*.json | xargs -P 2 -n 1 '$B/zk-prove' -q -t 1 \
        --keys '$F/keys' | jq -c . | tee '$T/lines' | '$B/zk-aggregate' -q --keys '$F/keys' |
        '$B/zk-verify' --keys '$F/keys' -"
    [ "$status" -eq 0 ]
    [ "$(wc -l <"$T/lines")" -eq 6 ]
    [ "$(jq -s 'map(.index) | sort | join(",")' -r "$T/lines")" = 0,1,2,3,4,5 ]
    # a prover that fails: the stage is named, no aggregate is kept
    run env ZKPAR_BIN="$F/broken" "$X/pipeline.sh" -j 2 -k "$F/keys" -s "$F/state.json" \
        -o "$T/bad" "$F/batch.json"
    echo "$output"
    [ "$status" -eq 123 ]
    [[ "$output" == *"broken for the test"* ]]
    [[ "$output" == *"pipeline.sh: xargs zk-prove failed (exit status 123)"* ]]
    [ ! -e "$T/bad/aggregate.json" ]
    [ -z "$(ls "$T/bad" | grep aggregate)" ]
}
