#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole test suite: lint (format, cppcheck), build, then every ctest
# test (unit, bpf, e2e, package, bench smoke), the unit tests again under
# ASan/UBSan, and the fuzzers (FPM decoder, control requests, config file)
# for a bounded time each in a clang build.
#   scripts/test.sh            everything
#   scripts/test.sh --quick    the 'quick' label only, no fuzzing
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test.sh: run as root (namespaces, XDP)" >&2; exit 1; }
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
./scripts/lint.sh
./scripts/build.sh
BUILD=${XR_BUILD_DIR:-build}
if [ "${1:-}" = --quick ]; then
	exec ctest --test-dir "$BUILD" -L 'unit|quick' --output-on-failure
fi
# The tests of a label in a build dir, found by ctest, never listed by hand:
# a C test's target is named as its test, so a new one is built here (and a
# test without its target fails the build instead of being skipped).
label_tests() {
	ctest --test-dir "$1" -N -L "$2" | sed -n 's/^ *Test *#[0-9]*: //p'
}
status=0
ctest --test-dir "$BUILD" --output-on-failure || status=1
# The unit tests again under AddressSanitizer and UBSan.
ASAN=${BUILD}-asan
cmake -S . -B "$ASAN" -DXR_SANITIZE=ON >/dev/null
# shellcheck disable=SC2046 # one target a word
cmake --build "$ASAN" -j"$(nproc)" --target $(label_tests "$ASAN" unit)
ctest --test-dir "$ASAN" -L unit --output-on-failure || status=1
# Fuzzing needs clang's libFuzzer and sanitizers: a build of its own.
FUZZ=${BUILD}-fuzz
CC=clang cmake -S . -B "$FUZZ" -DXR_FUZZ=ON \
	-DXR_FUZZ_SECONDS="${XR_FUZZ_SECONDS:-60}" >/dev/null
# shellcheck disable=SC2046
cmake --build "$FUZZ" -j"$(nproc)" --target $(label_tests "$FUZZ" fuzz)

ctest --test-dir "$FUZZ" -L fuzz --output-on-failure || status=1
exit $status
