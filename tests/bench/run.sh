#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Builds what the benchmark needs in its own build dir and runs it.
#   tests/bench/run.sh [--quick | --smoke]     (as root)
# Results: build-bench/bench/results-<profile>.{md,json}, pps-<profile>.png
# The FPM replay into xdp-routerd is separate (same build):
#   /usr/bin/python3 tests/bench/fpm_rate.py --build build-bench
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${XR_BENCH_BUILD:-$root/build-bench}
cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" --target bench -j2 >/dev/null
exec /usr/bin/python3 "$root/tests/bench/forwarding.py" --build "$build" "$@"
