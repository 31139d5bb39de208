#!/usr/bin/env bash
# Install what zkpar needs to build and test on Debian 12 (bookworm), and only
# what is missing.  Quiet when everything is present; safe to run again.
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail

packages=(build-essential autoconf automake libtool pkg-config
          libgmp-dev libsodium-dev libjansson-dev bats parallel
          jq openssh-server openssh-client rsync util-linux)

# Node: a node and npm already on PATH (nodesource, nvm, ...) are used as
# they are; the Debian packages would conflict with some of them.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-deps: not a Debian system; install these yourself: ${packages[*]}" >&2
    exit 0
fi

installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "setup-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
fi

echo "setup-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
