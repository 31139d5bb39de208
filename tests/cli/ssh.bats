#!/usr/bin/env bats
# examples/parallel-ssh.sh across real SSH hosts on this machine: three
# sshd (Debian openssh-server), run as the current user on their own
# loopback addresses 127.0.0.2, .3 and .4, each with its own host key and
# authorized_keys made here, and GNU parallel sending chunks to them and
# bringing the shares back over ssh and rsync, exactly as to remote
# machines.  A batch of 32 transactions in 16 chunks (K = 2, D = 8, T = 2)
# is proven across them, aggregated and verified; then again with one host
# killed in the middle (its sshd, its sessions and its provers, after the
# first shares came back); then a run resumed after damage, first against
# a host that is down; then a chunk that zk-prove rejects everywhere.  No
# traffic leaves 127.0.0.0/8: ssh reads only the config written here (-F),
# whose hosts are loopback addresses.
#
# Each host has its own home and working directory, as separate machines
# would: all three log in as the same user, so each sshd sets HOME to its
# host's directory (SetEnv; the login shell's startup files are not the
# user's), and the ssh command of each sshlogin is a small wrapper (zkssh
# DIR) that runs the remote command, parallel's or rsync's, in that
# directory rather than in the user's home.
#
# Skips, saying why, when sshd, ssh, rsync or GNU parallel is missing, or
# sshd cannot listen here or be logged in to.  Needs jq.  Run through `make check`.

# The reason the hosts are not usable, empty when they are.
no_hosts() {
    cat "$F/skip" 2>/dev/null
}

# Every descendant of process $1 (not $1), from one pass over /proc.
descendants() {
    local p stat
    declare -A kids=()
    for p in /proc/[0-9]*; do
        { read -r stat <"$p/stat"; } 2>/dev/null || continue
        stat=${stat##*) }
        stat=${stat#* }
        kids[${stat%% *}]+=" ${p#/proc/}"
    done
    local todo=("$1") q
    while [ "${#todo[@]}" -gt 0 ]; do
        q=${todo[0]}
        todo=("${todo[@]:1}")
        for p in ${kids[$q]-}; do
            echo "$p"
            todo+=("$p")
        done
    done
}

# Start host $1 (h2, h3 or h4: 127.0.0.2, ...) on a free high port.
start_host() {
    local h=$1 d="$F/hosts/$1.d" addr="127.0.0.${1#h}" port try
    mkdir -p "$d" "$F/hosts/$h"
    ssh-keygen -q -t ed25519 -N '' -C "$h" -f "$d/host_key" || return 1
    cp "$F/ssh/id.pub" "$d/authorized_keys"
    for try in 1 2 3 4 5; do
        port=$((20000 + (RANDOM % 30000)))
        cat >"$d/sshd_config" <<EOF
ListenAddress $addr:$port
HostKey $d/host_key
AuthorizedKeysFile $d/authorized_keys
PidFile none
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTTY no
PrintMotd no
MaxStartups 100:30:200
MaxSessions 50
SetEnv HOME=$F/hosts/$h
EOF
        # (disowned: this shell reaps it but does not report its kill)
        "$SSHD" -D -e -f "$d/sshd_config" >>"$d/log" 2>&1 3>&- &
        echo $! >"$d/pid"
        disown
        local i
        for i in $(seq 50); do
            grep -q "Server listening on $addr port $port" "$d/log" && break
            kill -0 "$(cat "$d/pid")" 2>/dev/null || break
            sleep 0.1
        done
        if grep -q "Server listening on $addr port $port" "$d/log"; then
            printf '[%s]:%s %s\n' "$addr" "$port" "$(cut -d' ' -f1-2 "$d/host_key.pub")" \
                >>"$F/ssh/known_hosts"
            printf 'Host %s\n  HostName %s\n  Port %s\n' "$h" "$addr" "$port" \
                >>"$F/ssh/hosts_config"
            return 0
        fi
        kill "$(cat "$d/pid")" 2>/dev/null
    done
    echo "sshd cannot listen on $addr here: $(tail -n 3 "$d/log" | tr '\n' ' ')" >"$F/skip"
    return 1
}

# Whether process $1 is a zk-prove (or its libtool wrapper).
is_prover() {
    { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -q zk-prove
}

# Stop host $1: its sshd (no new logins) and every process under it (the
# sessions, the shells, parallel's remote perl, the provers), by process
# id, a few rounds so that none can start another unseen.  Prints the
# stopped processes, the sshd first.
freeze_host() {
    local pid p tree round
    pid=$(cat "$F/hosts/$1.d/pid")
    kill -STOP "$pid"
    for round in 1 2 3; do
        tree=$(descendants "$pid")
        for p in $tree; do
            kill -STOP "$p" 2>/dev/null || true
        done
    done
    echo "$pid" $tree
}

# The chunks that the provers among processes $@ are proving, one a line.
proving() {
    local p
    for p in "$@"; do
        if is_prover "$p"; then
            { tr '\0' '\n' <"/proc/$p/cmdline"; } 2>/dev/null | tail -n 1
        fi
    done | sort -u
}

# An sshloginfile of hosts $@, one job slot each.
logins() {
    local h
    for h in "$@"; do
        printf '1/%s %s %s\n' "$F/bin/zkssh" "$F/hosts/$h" "$h"
    done
}

setup_file() {
    : "${top_builddir:?run this through make check}"
    export B="$top_builddir/tools" F="$BATS_FILE_TMPDIR"
    export EX="$top_srcdir/examples/parallel-ssh.sh" ZKPAR_BIN="$top_builddir/tools"
    # ssh and sshd only read what is written here
    export HOME="$F/home"
    mkdir -p "$HOME" "$F/ssh" "$F/hosts" "$F/bin"

    SSHD=$(command -v sshd || echo /usr/sbin/sshd)
    export SSHD
    local t
    for t in ssh ssh-keygen rsync parallel; do
        if ! command -v "$t" >/dev/null; then
            echo "$t is not installed (Debian: openssh-client, rsync, parallel)" >"$F/skip"
            return 0
        fi
    done
    if [ ! -x "$SSHD" ]; then
        echo "sshd is not installed (Debian: apt-get install openssh-server)" >"$F/skip"
        return 0
    fi
    # sshd run by root wants its privilege separation directory, which the
    # Debian package's tmpfiles.d entry makes at boot
    if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
        mkdir -p -m 0755 /run/sshd 2>/dev/null || {
            echo "sshd needs /run/sshd, which cannot be made" >"$F/skip"
            return 0
        }
    fi
    ssh-keygen -q -t ed25519 -N '' -C zkpar-test -f "$F/ssh/id"
    : >"$F/ssh/known_hosts"
    : >"$F/ssh/hosts_config"
    local h
    for h in h2 h3 h4; do
        start_host "$h" || return 0
    done
    # h5: a loopback address where nothing listens (a host that is down)
    printf 'Host h5\n  HostName 127.0.0.5\n  Port 9\n' >>"$F/ssh/hosts_config"
    mkdir -p "$F/hosts/h5"
    # (the key exchange: sntrup761's costs some 80 ms of CPU a connection,
    # and parallel opens six a chunk; curve25519 takes a millisecond)
    cat "$F/ssh/hosts_config" - >"$F/ssh/config" <<EOF
Host *
  User $(id -un)
  IdentityFile $F/ssh/id
  IdentitiesOnly yes
  UserKnownHostsFile $F/ssh/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5
  ControlMaster no
  ControlPath none
  ProxyCommand none
  LogLevel ERROR
  KexAlgorithms curve25519-sha256
EOF
    # zkssh DIR [ssh options] HOST [--] [COMMAND...]: ssh with the config
    # above, the command run in DIR (the host's own directory); each call
    # is logged to DIR.log.
    cat >"$F/bin/zkssh" <<EOF
#!/usr/bin/env bash
dir=\$1
shift
opts=()
while [ \$# -gt 0 ]; do
    case \$1 in
        -[BbcDEeFIiJLlmOoPpQRSWw]) opts+=("\$1" "\$2"); shift 2 ;;
        -*) opts+=("\$1"); shift ;;
        *) break ;;
    esac
done
host=\$1
shift
[ "\${1-}" = -- ] && shift
printf '%s\n' "\$*" >>"\$dir.log"
exec ssh -F "$F/ssh/config" "\${opts[@]}" "\$host" -- "cd '\$dir' && \$*"
EOF
    chmod +x "$F/bin/zkssh"
    for h in h2 h3 h4; do
        if ! "$F/bin/zkssh" "$F/hosts/$h" "$h" true; then
            echo "cannot log in to $h (127.0.0.${h#h}) with ssh: see $F/hosts/$h.d/log" >"$F/skip"
            return 0
        fi
    done
    rm -f "$F"/hosts/*.log

    # the batch: 32 transactions in 16 chunks of 2
    "$B/zk-wallet" genesis --accounts 40 --depth 8 --tokens 2 --seed ssh \
        -o "$F/state.json" --keys "$F/wallet.json"
    "$B/zk-wallet" batch --state "$F/state.json" --keys "$F/wallet.json" \
        --count 32 --seed ssh -o "$F/batch.json"
    "$B/zk-setup" -q chunk --chunk-size 2 --depth 8 --tokens 2 --dev -o "$F/keys"
    "$B/zk-setup" -q srs --max 16 --dev -o "$F/keys"
    "$B/zk-partition" -q --keys "$F/keys" --state "$F/state.json" -o "$F/chunks" \
        "$F/batch.json"
}

teardown_file() {
    local d p q
    for d in "$F"/hosts/*.d; do
        [ -f "$d/pid" ] || continue
        p=$(cat "$d/pid")
        for q in $(descendants "$p"); do
            kill -KILL "$q" 2>/dev/null || true
        done
        kill "$p" 2>/dev/null || true
    done
}

setup() {
    T="$BATS_TEST_TMPDIR"
    if [ -n "$(no_hosts)" ]; then
        skip "$(no_hosts)"
    fi
}

# The joblog $1's rows (parallel writes a header only to a new log).
rows() {
    awk -F'\t' '$1 ~ /^[0-9]+$/' "$1"
}

# Every share $@ verifies; prints nothing, fails naming the first that does not.
all_verify() {
    local s
    for s in "$@"; do
        "$B/zk-verify" -q --keys "$F/keys" "$s" || { echo "$s: does not verify"; return 1; }
    done
}

@test "ssh: GNU parallel proves 16 chunks on three hosts, sending chunks and key, returning shares" {
    cp -r "$F/chunks" "$F/run1"
    logins h2 h3 h4 >"$T/logins"
    run "$EX" -S "$T/logins" -k "$F/keys" -B "$B" -t 1 -l "$F/run1.joblog" "$F/run1"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"16 of 16 chunks to prove"* ]]
    [[ "$output" == *"aggregate.json: valid: batch "*", 32 txs in 16 chunks"* ]]
    # every share came back whole
    [ "$(ls "$F"/run1/chunk-*.share.json | wc -l)" -eq 16 ]
    all_verify "$F"/run1/chunk-*.share.json
    run "$B/zk-verify" --keys "$F/keys" "$F/run1/aggregate.json"
    [ "$status" -eq 0 ]
    # the joblog: 16 jobs, all succeeded, each sent a chunk and got a share
    # back; every host took some
    [ "$(rows "$F/run1.joblog" | wc -l)" -eq 16 ]
    [ "$(rows "$F/run1.joblog" | awk -F'\t' '$7 == 0 && $8 == 0 && $5 > 0 && $6 > 0' |
        wc -l)" -eq 16 ]
    for h in h2 h3 h4; do
        rows "$F/run1.joblog" | cut -f2 | grep -q " $h\$"
        # the key went there once (--basefile), the chunks and shares by rsync
        grep -q 'rsync --server' "$F/hosts/$h.log"
        grep -q 'rsync --server --sender' "$F/hosts/$h.log"
    done
    # --cleanup: no chunk, share or key is left on any host
    [ -z "$(find "$F/hosts/h2" "$F/hosts/h3" "$F/hosts/h4" -type f)" ]
    # a second run has nothing to do
    run "$EX" -S "$T/logins" -k "$F/keys" -B "$B" -t 1 -l "$F/run1.joblog" "$F/run1"
    [ "$status" -eq 0 ]
    [[ "$output" != *"chunks to prove"* ]]
    [ "$(rows "$F/run1.joblog" | wc -l)" -eq 16 ]
}

@test "ssh: one host killed in the middle: its chunks are proven elsewhere, the aggregate verifies" {
    cp -r "$F/chunks" "$T/run"
    logins h2 h3 h4 >"$T/logins"
    # the keys at the same path on every host (-K): not sent this time
    "$EX" -S "$T/logins" -k "$F/keys" -K "$F/keys" -B "$B" -t 1 -l "$T/joblog" "$T/run" \
        >"$T/out" 2>&1 3>&- &
    pid=$!
    # once the first shares came back, kill h2 while it is proving: stop it
    # with all its processes, look, and either kill them all or let it go
    # on and look again (a deadline, not a timing: the test fails if the
    # run never gets there)
    killed=
    for i in $(seq 1200); do
        n=$(ls "$T"/run/chunk-*.share.json 2>/dev/null | wc -l)
        if [ "$n" -ge 3 ]; then
            frozen=$(freeze_host h2)
            killed=$(proving $frozen)
            [ -n "$killed" ] && break
            kill -CONT $frozen 2>/dev/null || true
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "h2 killed proving: $killed, with $n shares back"
    [ -n "$killed" ] && [ "$n" -lt 16 ]
    kill -KILL $frozen 2>/dev/null || true
    status=0
    wait "$pid" || status=$?
    cat "$T/out"
    [ "$status" -eq 0 ]
    [[ "$(cat "$T/out")" == *"aggregate.json: valid: batch "*", 32 txs in 16 chunks"* ]]
    # every chunk has a share, each whole and valid
    [ "$(ls "$T"/run/chunk-*.share.json | wc -l)" -eq 16 ]
    all_verify "$T"/run/chunk-*.share.json
    # nothing half-written in the results: no temporary files of zk-prove
    # (NAME.tmp.XXXXXX) or of rsync (.NAME.XXXXXX)
    [ -z "$(find "$T/run" -name '*.tmp.*' -o -name '.*' -type f)" ]
    # on the dead host: any share left there is whole (the prover killed
    # mid-proof left at most a temporary file, never a share)
    mapfile -t left < <(find "$F/hosts/h2" -name 'chunk-*.share.json')
    all_verify "${left[@]}"
    # the joblog (one row a job: its last attempt): every chunk succeeded,
    # and the chunks h2 was proving when it died were proven by h3 or h4
    [ "$(rows "$T/joblog" | awk -F'\t' '$7 == 0 && $8 == 0 { print $NF }' |
        grep -o 'chunk-[0-9]*\.json' | sort -u | wc -l)" -eq 16 ]
    for c in $killed; do
        row=$(rows "$T/joblog" | grep -F " $c")
        echo "$c: $row"
        [ "$(echo "$row" | cut -f7)" -eq 0 ]
        [[ "$(echo "$row" | cut -f2)" == *" h3" || "$(echo "$row" | cut -f2)" == *" h4" ]]
    done
}

@test "ssh: a rerun resumes: only the damaged shares, first against a host that is down" {
    [ -f "$F/run1/aggregate.json" ] # made by the first test
    cp -rp "$F/run1" "$T/run"
    : >"$T/run/chunk-0005.share.json" # cut short (empty)
    head -c 300 "$F/run1/chunk-0009.share.json" >"$T/run/chunk-0009.share.json"
    rm "$T/run/chunk-0012.share.json" "$T/run/aggregate.json"
    # h5 is down: every attempt fails, the joblog says so, exit 75
    logins h5 >"$T/down"
    run "$EX" -S "$T/down" -k "$F/keys" -K "$F/keys" -B "$B" -r 2 -l "$T/joblog" "$T/run"
    echo "$output"
    [ "$status" -eq 75 ]
    [[ "$output" == *"3 of 16 chunks to prove"* ]]
    [[ "$output" == *"3 chunk(s) still lack a share (run again to resume): chunk-0005.json chunk-0009.json chunk-0012.json"* ]]
    [ ! -e "$T/run/aggregate.json" ]
    [ "$(rows "$T/joblog" | awk -F'\t' '$7 == 0' | wc -l)" -eq 0 ]
    [ "$(rows "$T/joblog" | wc -l)" -ge 3 ]
    before=$(rows "$T/joblog" | wc -l)
    # with working hosts (the keys at the same path on each, -K): those
    # three are proven, nothing else
    logins h3 h4 >"$T/up"
    run "$EX" -S "$T/up" -k "$F/keys" -K "$F/keys" -B "$B" -t 1 -l "$T/joblog" "$T/run"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"3 of 16 chunks to prove"* ]]
    [[ "$output" == *"32 txs in 16 chunks"* ]]
    [ "$(rows "$T/joblog" | wc -l)" -eq $((before + 3)) ]
    [ "$(rows "$T/joblog" | tail -n +"$((before + 1))" | awk -F'\t' '$7 == 0 { print $NF }' |
        grep -o 'chunk-[0-9]*\.json' | sort | tr '\n' ' ')" = \
        "chunk-0005.json chunk-0009.json chunk-0012.json " ]
    all_verify "$T"/run/chunk-*.share.json
    # the untouched shares are the first run's
    cmp "$T/run/chunk-0000.share.json" "$F/run1/chunk-0000.share.json"
}

@test "ssh: a chunk that zk-prove rejects is named, with exit status 1, after its retries" {
    [ -f "$F/run1/aggregate.json" ] # made by the first test
    cp -rp "$F/run1" "$T/run"
    rm "$T/run/chunk-0007.share.json" "$T/run/aggregate.json"
    jq '.new_root = "1"' "$F/run1/chunk-0007.json" >"$T/run/chunk-0007.json"
    logins h3 h4 >"$T/up"
    run "$EX" -S "$T/up" -k "$F/keys" -K "$F/keys" -B "$B" -r 2 -l "$T/joblog" "$T/run"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"1 of 16 chunks to prove"* ]]
    [[ "$output" == *"chunk-0007.json: "*"new_root"* ]]
    [[ "$output" == *"parallel-ssh.sh: zk-prove rejected: chunk-0007.json (exit status in $T/joblog)"* ]]
    [ "$(rows "$T/joblog" | cut -f7)" -eq 1 ]
    [ ! -e "$T/run/chunk-0007.share.json" ] && [ ! -e "$T/run/aggregate.json" ]
}
