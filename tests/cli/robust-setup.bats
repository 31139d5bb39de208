#!/usr/bin/env bats
# zk-setup and zk-wallet in the wild (small keys: K = 1, D = 4, T = 1):
# exit status 75 for what a retry may fix (a full file system or device,
# no memory, no threads) and 2 for what it cannot (a read-only file system,
# a missing directory or input), each with its message and no file or
# temporary file left; devices and FIFOs as outputs (lib/io/atomic.c and
# zk-wallet through cli.c): /dev/null and /dev/full are written in place and
# stay character devices, a FIFO receives the bytes that a regular file
# would hold (through atomic.h's spool for the binary formats, which
# seek).  The full and read-only file systems need unshare(1) with user
# namespaces (those tests skip without).  Run through `make check`
# (top_builddir).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" F="$BATS_FILE_TMPDIR"
    "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$F/keys"
    "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 --seed rs \
        -o "$F/state.json" --keys "$F/keys.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" --count 2 \
        --seed rs -o "$F/batch.json"
    "$B/zk-wallet" keygen --seed rs -o "$F/key.json"
    printf '{"type": "transfer", "from": 1, "to": 2, "amount": "7", "fee": "1", "nonce": 0}\n' \
        >"$F/tx.json"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$F/out" \
        "$F/batch.json"
    export C0="$F/out/chunk-0000.json"
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

load fs

# The temporary files (atomic.h: "NAME.tmp.XXXXXX") in directory $1.
temps() {
    find "$1" -maxdepth 1 -name '*.tmp.*' | sort
}

# Run "${@:3}" in in_fs at $T/fs; expect exit status $1 and the message $2
# (a substring of the output), and that no file was left.
expect_fs() {
    local want=$1 msg=$2
    shift 2
    run in_fs "$T/fs" "$@"
    echo "$*: $status: $output"
    [ "$status" -eq "$want" ]
    [[ "$output" == *"$msg"* ]]
    [[ "$output" == *"left:" ]]
}

# Run "${@:3}"; expect exit status $1 and the message $2 in its output.
expect() {
    local want=$1 msg=$2
    shift 2
    run "$@"
    echo "$*: $status: $output"
    [ "$status" -eq "$want" ]
    [[ "$output" == *"$msg"* ]]
}

@test "exit 75: a full file system, and nothing left (zk-setup)" {
    need_unshare
    local nospc="No space left on device" d="$T/fs"
    expect_fs 75 "$d/k/chunk.r1cs: cannot write: $nospc" \
        "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$d/k"
    expect_fs 75 "$d/k/srs.bin: cannot write: $nospc" \
        "$B/zk-setup" -q srs --max 4 --dev -o "$d/k"
    expect_fs 75 "$d/g.zkey: cannot write: $nospc" \
        "$B/zk-setup" -q groth16 --dev "$F/keys/chunk.r1cs" "$d/g.zkey"
    expect_fs 75 "$d/p.ptau: cannot write: $nospc" \
        "$B/zk-setup" -q ptau --dev 3 "$d/p.ptau"
    expect_fs 75 "$d/vk.json: cannot write: $nospc" \
        "$B/zk-setup" vk "$F/keys/chunk.zkey" "$d/vk.json"
}

@test "exit 75: a full file system, and nothing left (zk-wallet)" {
    need_unshare
    local nospc="No space left on device" d="$T/fs"
    expect_fs 75 "$d/s.json: cannot write: $nospc" \
        "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 --seed rs \
        -o "$d/s.json" --keys "$d/k.json"
    expect_fs 75 "$d/b.json: cannot write: $nospc" \
        "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" --count 2 \
        --seed rs -o "$d/b.json" --keys-out "$d/k2.json"
    expect_fs 75 "$d/key.json: cannot write: $nospc" \
        "$B/zk-wallet" keygen -o "$d/key.json"
    expect_fs 75 "$d/signed.json: cannot write: $nospc" \
        "$B/zk-wallet" sign --key "$F/key.json" -o "$d/signed.json" "$F/tx.json"
}

@test "exit 2: a read-only file system, nothing written" {
    need_unshare
    export RO=1
    local rofs="Read-only file system" d="$T/fs"
    expect_fs 2 "$d/k: cannot create the keys directory: $rofs" \
        "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$d/k"
    expect_fs 2 "$d/d/chunk.r1cs: cannot write: $rofs" \
        "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$d/d"
    expect_fs 2 "$d/d/srs.bin: cannot write: $rofs" \
        "$B/zk-setup" -q srs --max 4 --dev -o "$d/d"
    expect_fs 2 "$d/g.zkey: cannot write: $rofs" \
        "$B/zk-setup" -q groth16 --dev "$F/keys/chunk.r1cs" "$d/g.zkey"
    expect_fs 2 "$d/p.ptau: cannot write: $rofs" \
        "$B/zk-setup" -q ptau --dev 3 "$d/p.ptau"
    expect_fs 2 "$d/vk.json: cannot create: $rofs" \
        "$B/zk-setup" vk "$F/keys/chunk.zkey" "$d/vk.json"
    expect_fs 2 "$d/s.json: cannot create: $rofs" \
        "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 --seed rs \
        -o "$d/s.json" --keys "$d/k.json"
    expect_fs 2 "$d/key.json: cannot create: $rofs" "$B/zk-wallet" keygen -o "$d/key.json"
    expect_fs 2 "$d/signed.json: cannot create: $rofs" \
        "$B/zk-wallet" sign --key "$F/key.json" -o "$d/signed.json" "$F/tx.json"
}

@test "exit 2: a missing output directory or input, nothing written" {
    local none="No such file or directory" n="$T/none"
    expect 2 "$n/k: cannot create the keys directory: $none" \
        "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$n/k"
    expect 2 "$n/g.zkey: cannot write: $none" \
        "$B/zk-setup" -q groth16 --dev "$F/keys/chunk.r1cs" "$n/g.zkey"
    expect 2 "$n/p.ptau: cannot write: $none" "$B/zk-setup" -q ptau --dev 3 "$n/p.ptau"
    expect 2 "$n/vk.json: cannot create: $none" \
        "$B/zk-setup" vk "$F/keys/chunk.zkey" "$n/vk.json"
    expect 2 "$n/s.json: cannot create: $none" \
        "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 --seed rs \
        -o "$n/s.json" --keys "$T/k.json"
    expect 2 "$n/key.json: cannot create: $none" "$B/zk-wallet" keygen -o "$n/key.json"
    expect 2 "$n/b.json: cannot create: $none" \
        "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" --count 2 \
        --seed rs -o "$n/b.json"
    [ ! -e "$n" ] && [ ! -e "$T/k.json" ] && [ -z "$(temps "$T")" ]
    # missing inputs
    expect 2 "$n.r1cs: cannot read: $none" \
        "$B/zk-setup" -q groth16 --dev "$n.r1cs" "$T/g.zkey"
    expect 2 "$n.zkey: cannot read: $none" "$B/zk-setup" vk "$n.zkey" "$T/vk.json"
    expect 2 "$n.json: cannot read: $none" \
        "$B/zk-wallet" batch --state "$F/state.json" --keys "$n.json" --count 2 \
        --seed rs -o "$T/b.json"
    expect 2 "$n.json: cannot read: $none" \
        "$B/zk-wallet" sign --key "$n.json" -o "$T/signed.json" "$F/tx.json"
    expect 2 "$n.json: cannot read: $none" "$B/zk-wallet" show --state "$n.json"
    [ -z "$(ls "$T")" ]
}

@test "exit 75: /dev/full as an output or standard output; nothing else left" {
    local nospc="No space left on device" full=/dev/full
    [ -c "$full" ] || skip "no /dev/full"
    expect 75 "$full: cannot write: $nospc" \
        "$B/zk-setup" -q groth16 --dev "$F/keys/chunk.r1cs" "$full"
    expect 75 "$full: cannot write: $nospc" "$B/zk-setup" -q ptau --dev 3 "$full"
    expect 75 "$full: cannot write: $nospc" "$B/zk-setup" vk "$F/keys/chunk.zkey" "$full"
    # a device inside KEYS_DIR: its other files are written, params.json is not
    mkdir "$T/k" && ln -s "$full" "$T/k/chunk.zkey"
    expect 75 "$T/k/chunk.zkey: cannot write: $nospc" \
        "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$T/k"
    [ -L "$T/k/chunk.zkey" ] && [ ! -e "$T/k/params.json" ] && [ -z "$(temps "$T/k")" ]
    rm -r "$T/k"
    expect 75 "$full: cannot write: $nospc" \
        "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 --seed rs \
        -o "$full" --keys "$T/k.json"
    expect 75 "$full: cannot write: $nospc" \
        "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 --seed rs \
        -o "$T/s.json" --keys "$full"
    expect 75 "$full: cannot write: $nospc" \
        "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/keys.json" --count 2 \
        --seed rs -o "$full"
    expect 75 "$full: cannot write: $nospc" "$B/zk-wallet" keygen -o "$full"
    expect 75 "$full: cannot write: $nospc" \
        "$B/zk-wallet" sign --key "$F/key.json" -o "$full" "$F/tx.json"
    [ -z "$(ls "$T")" ] # all or none: no state without its keys, nor the reverse
    [ -c "$full" ]
    # standard output
    for cmd in "zk-setup vk $F/keys/chunk.zkey -" "zk-wallet keygen" \
        "zk-wallet sign --key $F/key.json $F/tx.json" "zk-wallet show --state $F/state.json"; do
        st=0
        $B/$cmd >"$full" 2>"$T/err" || st=$?
        echo "$cmd: $st: $(cat "$T/err")"
        [ "$st" -eq 75 ]
        grep -qF "(stdout): cannot write: $nospc" "$T/err"
    done
}

@test "/dev/null as an output: written in place, still a character device" {
    local null=/dev/null
    [ -c "$null" ] || skip "no /dev/null"
    expect 0 "" "$B/zk-setup" -q groth16 --dev "$F/keys/chunk.r1cs" "$null"
    expect 0 "" "$B/zk-setup" -q ptau --dev 3 "$null"
    expect 0 "" "$B/zk-setup" vk "$F/keys/chunk.zkey" "$null"
    expect 0 "" "$B/zk-prove" -q -t 1 --keys "$F/keys" --wtns "$null" -o "$T/s.json" "$C0"
    # a link to it inside KEYS_DIR: the other files are written
    mkdir "$T/k" && ln -s "$null" "$T/k/chunk.zkey"
    expect 0 "" "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$T/k"
    [ -L "$T/k/chunk.zkey" ] && [ -s "$T/k/params.json" ] && [ -z "$(temps "$T/k")" ]
    cmp "$T/k/chunk.r1cs" "$F/keys/chunk.r1cs"
    expect 0 "" "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 --seed rs \
        -o "$null" --keys "$T/k.json"
    cmp "$T/k.json" "$F/keys.json"
    expect 0 "" "$B/zk-wallet" keygen -o "$null"
    expect 0 "" "$B/zk-wallet" sign --key "$F/key.json" -o "$null" "$F/tx.json"
    [ -c "$null" ] && [ ! -s "$null" ]
    [ -z "$(temps /dev)" ] && [ -z "$(temps "$T")" ]
}

# Run "${@:2}" with the FIFO $T/fifo in place of an output, read by cat
# into $T/got; then $1 (a regular file written by the same command) and
# $T/got are the same bytes and the FIFO is still one.  The reader gives
# up after 20 s (a writer that never opened the FIFO).
through_fifo() {
    local want=$1
    shift
    rm -f "$T/fifo" "$T/got"
    mkfifo "$T/fifo"
    timeout 20 cat "$T/fifo" >"$T/got" &
    local reader=$! st=0
    "$@" || st=$?
    wait "$reader"
    echo "$*: $st"
    [ "$st" -eq 0 ] && [ -p "$T/fifo" ]
    cmp "$want" "$T/got"
}

@test "a FIFO as an output receives the bytes of the regular file" {
    # binary formats (they seek: spooled, then copied)
    mkdir "$T/k"
    mkfifo "$T/k/chunk.r1cs"
    timeout 20 cat "$T/k/chunk.r1cs" >"$T/got.r1cs" &
    reader=$!
    "$B/zk-setup" -q chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$T/k"
    wait "$reader"
    [ -p "$T/k/chunk.r1cs" ] && [ -s "$T/k/params.json" ]
    cmp "$T/got.r1cs" "$F/keys/chunk.r1cs"
    "$B/zk-prove" -q -t 1 --keys "$F/keys" --wtns "$T/w.wtns" -o "$T/s.json" "$C0"
    through_fifo "$T/w.wtns" \
        "$B/zk-prove" -q -t 1 --keys "$F/keys" --wtns "$T/fifo" -o "$T/s2.json" "$C0"
    # JSON
    "$B/zk-setup" vk "$F/keys/chunk.zkey" "$T/vk.json"
    through_fifo "$T/vk.json" "$B/zk-setup" vk "$F/keys/chunk.zkey" "$T/fifo"
    through_fifo "$F/state.json" "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 \
        --seed rs -o "$T/fifo" --keys "$T/k.json"
    through_fifo "$F/keys.json" "$B/zk-wallet" genesis --accounts 6 --depth 4 --tokens 1 \
        --seed rs -o "$T/s.json" --keys "$T/fifo"
    through_fifo "$F/key.json" "$B/zk-wallet" keygen --seed rs -o "$T/fifo"
    [ -z "$(temps "$T")" ] && [ -z "$(temps "$T/k")" ]
}

@test "exit 75: out of memory, or no memory for the threads (ulimit -v)" {
    (ulimit -v 20000 && "$B/zk-setup" --version && "$B/zk-wallet" --version) >/dev/null 2>&1 ||
        skip "the tools do not start under ulimit -v (a sanitizer build?)"
    # the limits fail different allocations: the circuit, the key
    for kb in 12000 20000; do
        run bash -c 'ulimit -v "$1" && shift && exec "$@"' _ "$kb" \
            "$B/zk-setup" -q -t 1 chunk --chunk-size 1 --depth 4 --tokens 1 --dev -o "$T/k"
        echo "$kb: $status: $output"
        [ "$status" -eq 75 ]
        [[ "$output" == *"out of memory"* ]]
        [ -z "$(ls -A "$T/k")" ]
    done
    run bash -c 'ulimit -v "$1" && shift && exec "$@"' _ 200000 \
        "$B/zk-setup" -q -t 1024 srs --max 4 --dev -o "$T/k"
    echo "$status: $output"
    [ "$status" -eq 75 ]
    [[ "$output" == *"cannot start 1024 threads"* ]]
    [ -z "$(ls -A "$T/k")" ]
    # the keys, the state, the files' text
    for kb in 6000 12000 20000; do
        run bash -c 'ulimit -v "$1" && shift && exec "$@"' _ "$kb" \
            "$B/zk-wallet" genesis --accounts 4000 --depth 12 --tokens 3 --seed rs \
            -o "$T/s.json" --keys "$T/k.json"
        echo "$kb: $status: $output"
        [ "$status" -eq 75 ]
        # no memory for the data, or for the threads that hash the state
        [[ "$output" == *"out of memory"* || "$output" == *"threads: Cannot allocate memory"* ]]
        [ ! -e "$T/s.json" ] && [ ! -e "$T/k.json" ] && [ -z "$(temps "$T")" ]
    done
}

@test "a symbolic link as output: its target replaced, the link kept; /dev/stdout left alone" {
    echo old >"$T/target"
    ln -s target "$T/link"
    # JSON (cli.c), a file of secrets (0600), a binary format (binfile.h)
    "$B/zk-wallet" genesis --accounts 2 --depth 4 --tokens 1 --seed ln -o "$T/link" \
        --keys "$T/keys.json"
    [ -L "$T/link" ]
    [ "$(readlink "$T/link")" = target ]
    "$B/zk-wallet" genesis --accounts 2 --depth 4 --tokens 1 --seed ln -o "$T/plain.json" \
        --keys "$T/k2.json"
    cmp "$T/target" "$T/plain.json"
    echo old >"$T/sk"
    ln -s sk "$T/sklink"
    "$B/zk-wallet" keygen --seed ln -o "$T/sklink"
    [ -L "$T/sklink" ]
    [ "$(stat -c %a "$T/sk")" = 600 ]
    grep -q pubkey "$T/sk"
    # a dangling link: its target is created
    ln -s w.wtns "$T/wlink"
    "$B/zk-prove" -q --keys "$F/keys" --wtns "$T/wlink" -o "$T/s.json" "$C0"
    [ -L "$T/wlink" ]
    [ -s "$T/w.wtns" ]
    [ -z "$(temps "$T")" ]
    # /dev/stdout when the shell sent it to a file: the file gets the bytes
    # (replaced), the link /dev/stdout stays a link
    "$B/zk-wallet" keygen --seed ln -o /dev/stdout >"$T/key.json"
    [ -L /dev/stdout ]
    grep -q pubkey "$T/key.json"
    "$B/zk-prove" -q --keys "$F/keys" --wtns /dev/stdout -o "$T/s2.json" "$C0" >"$T/w2.wtns"
    [ -L /dev/stdout ]
    cmp "$T/w.wtns" "$T/w2.wtns"
}

@test "symbolic links: a dangling chain creates its end; a link to a directory is one; /tmp's rule" {
    # A -> B -> sub/C, C missing: C is created, A and B stay links
    mkdir "$T/sub"
    ln -s B "$T/A"
    ln -s sub/C "$T/B"
    "$B/zk-wallet" keygen --seed ln -o "$T/A"
    [ -L "$T/A" ]
    [ -L "$T/B" ]
    [ -f "$T/sub/C" ]
    grep -q pubkey "$T/sub/C"
    # a link to a directory: refused as a directory is, nothing written
    ln -s sub "$T/dirlink"
    run "$B/zk-wallet" keygen --seed ln -o "$T/dirlink"
    [ "$status" -eq 2 ]
    [[ "$output" == *"dirlink: cannot create: Is a directory"* ]]
    [ "$(ls "$T/sub")" = C ]
    # in a sticky, world-writable directory a link of another user is not
    # followed (as the kernel's fs.protected_symlinks): it is replaced, the
    # file it names is left alone
    id -u 4242 >/dev/null 2>&1 && skip "uid 4242 exists here"
    [ "$(id -u)" -eq 0 ] || skip "needs root to give a link to another user"
    mkdir "$T/sticky"
    chmod 1777 "$T/sticky"
    echo precious >"$T/mine"
    ln -s ../mine "$T/sticky/evil"
    chown -h 4242 "$T/sticky/evil"
    "$B/zk-wallet" keygen --seed ln -o "$T/sticky/evil"
    [ "$(cat "$T/mine")" = precious ]
    [ ! -L "$T/sticky/evil" ]
    grep -q pubkey "$T/sticky/evil"
}
