#!/bin/sh
# Generate configure and Makefile.in (needs autoconf, automake, libtool,
# pkg-config; scripts/setup-deps.sh installs them on Debian).
set -e
cd "$(dirname "$0")"
mkdir -p build-aux/m4
exec autoreconf -fi "$@"
