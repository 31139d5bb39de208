#!/usr/bin/env bash
# Build everything and run the demo.
#
# For now zkpar is the library core (in progress) and its tests; the tools
# (zk-partition, zk-prove, zk-aggregate, zk-verify, zk-setup, zk-wallet) and
# the end-to-end demo pipeline are not written yet.  So the demo builds the
# library with benchmarks enabled and runs the `make bench` smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

scripts/setup-deps.sh
zk_bootstrap
zk_configure subset --enable-benchmark
make -j"${JOBS:-2}"

echo "==> make bench"
make bench
echo "demo: built lib/libzkpar.la; the proving pipeline demo (zk-partition -> zk-prove -> zk-aggregate -> zk-verify) is in progress"
