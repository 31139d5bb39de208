#!/usr/bin/env bats
# Checks on what the build produced: the pkg-config file and the exported
# symbols of the shared library.  Run through `make check`, which exports
# top_builddir, top_srcdir, PACKAGE_VERSION, NM and PKG_CONFIG.

setup() {
    : "${top_builddir:?run this through make check}"
    : "${PACKAGE_VERSION:?run this through make check}"
}

pc() {
    PKG_CONFIG_PATH="$top_builddir" "${PKG_CONFIG:-pkg-config}" "$@"
}

@test "zkpar.pc carries the configured version" {
    run pc --modversion zkpar
    [ "$status" -eq 0 ]
    [ "$output" = "$PACKAGE_VERSION" ]
}

@test "zkpar.pc links -lzkpar and points at the zkpar include dir" {
    run pc --libs zkpar
    [ "$status" -eq 0 ]
    [[ " $output " == *" -lzkpar "* ]]
    includedir=$(pc --variable=includedir zkpar)
    run pc --cflags zkpar
    [ "$status" -eq 0 ]
    [[ " $output " == *" -I$includedir/zkpar "* ]]
}

@test "libzkpar exports only zk_* symbols" {
    lib="$top_builddir/lib/.libs/libzkpar.so"
    [ -f "$lib" ] || skip "no shared library built ($lib)"
    # shellcheck disable=SC2086 # NM may carry options (libtool: "nm -B")
    run ${NM:-nm} -D --defined-only "$lib"
    [ "$status" -eq 0 ]
    # Global defined symbols of any kind but absolute ones (A); a few older
    # linkers still export their own section markers.
    bad=$(printf '%s\n' "$output" | awk '
        NF >= 3 && $2 ~ /^[BDGRSTVWiu]$/ && $3 !~ /^zk_/ &&
        $3 !~ /^(_init|_fini|_edata|_end|__bss_start)$/ { print $3 }')
    if [ -n "$bad" ]; then
        echo "exported symbols without the zk_ prefix:" >&2
        echo "$bad" >&2
        return 1
    fi
    # And it does export something.
    printf '%s\n' "$output" | grep -q ' zk_strerror$'
}
