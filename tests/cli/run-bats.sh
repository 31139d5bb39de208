#!/bin/sh
# Run one bats file with TAP output for Automake's TAP driver; without bats,
# report the whole file as skipped rather than failed.
bats=${BATS:-}
if [ -z "$bats" ]; then
    bats=$(command -v bats 2>/dev/null) || bats=
fi
if [ -z "$bats" ]; then
    echo "1..0 # SKIP bats not installed (Debian: apt-get install bats)"
    exit 0
fi
exec "$bats" --tap "$@"
