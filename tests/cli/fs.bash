# fs.bash -- file systems for the robustness tests (robust.bats,
# robust-setup.bats load it): a full or read-only tmpfs in a new user and
# mount namespace, with no privilege.

# Skip unless unprivileged user and mount namespaces work here.
need_unshare() {
    unshare --user --map-root-user --mount true 2>/dev/null ||
        skip "unshare: no user namespaces here"
}

# In a new user and mount namespace, a tmpfs of one 4 KiB page at $1,
# full (a 3 kB file "pad") or, with RO=1, read-only with an empty
# directory "d"; there run "${@:2}", then print "left:" and the files it
# left.  The command's status is the function's.
in_fs() {
    local dir=$1
    shift
    mkdir -p "$dir"
    unshare --user --map-root-user --mount bash -c '
        mount -t tmpfs -o size=4k tmpfs "$1" || exit 99
        if [ "${RO:-0}" = 1 ]; then
            mkdir "$1/d" && mount -o remount,ro "$1" || exit 99
        else
            head -c 3000 /dev/zero >"$1/pad"
        fi
        d=$1
        shift
        st=0
        "$@" || st=$?
        echo "left:$(find "$d" -type f ! -name pad)"
        exit $st' _ "$dir" "$@"
}
