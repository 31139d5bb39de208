#!/bin/sh
# Run each benchmark program given as an argument (paths relative to the
# build directory) and pass on its output: one JSON object per line.
# Called by `make bench`.  Exits non-zero if any program failed.
if [ "$#" -eq 0 ]; then
    echo "bench: no benchmark programs yet (bench_programs in Makefile.am is empty)" >&2
    exit 0
fi
status=0
for prog in "$@"; do
    case $prog in
        /*) ;;
        *) prog=./$prog ;;
    esac
    if ! "$prog"; then
        echo "bench: $prog failed" >&2
        status=1
    fi
done
exit "$status"
