#!/bin/sh
# Interop tests: every tests/interop/*.test.mjs under `node --test`, TAP on
# stdout.  npm packages (pinned in package.json / package-lock.json) are
# installed first when node_modules is missing or older than them.
# Run through `make check-interop`, which puts the built tools on PATH and
# exports ZKPAR_BUILDDIR and ZKPAR_SRCDIR.
# With --install-only it only installs the npm packages (scripts/test.sh
# does this before `make check`, whose C tests use snarkjs when present).
set -eu
cd "$(dirname "$0")"

install_only=0
if [ "${1:-}" = --install-only ]; then install_only=1; fi

set --
for f in ./*.test.mjs; do
    if [ -f "$f" ]; then set -- "$@" "$f"; fi
done
if [ "$#" -eq 0 ] && [ "$install_only" -eq 0 ]; then
    echo "1..0 # SKIP no tests/interop/*.test.mjs yet"
    exit 0
fi

for prog in node npm; do
    if ! command -v "$prog" >/dev/null 2>&1; then
        echo "tests/interop: $prog not found (scripts/setup-deps.sh installs it)" >&2
        exit 2
    fi
done
if [ ! -f package.json ]; then
    echo "tests/interop: package.json is missing" >&2
    exit 2
fi

# npm (7+) writes node_modules/.package-lock.json on every install.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] ||
   [ -n "$(find package.json package-lock.json -newer "$stamp" 2>/dev/null)" ]; then
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error >&2
    else
        npm install --no-audit --no-fund --loglevel=error >&2
    fi
fi

if [ "$install_only" -eq 1 ]; then exit 0; fi
exec node --test --test-reporter=tap "$@"
