#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The slow appliance tests, not part of the default ctest run: builds the
# OCI image and the ISO (cached trees in /var/cache/xdp-router), runs the
# container lab and boots the ISO under qemu (TCG). CI: run it when images/,
# configs/ or tests/image/ change, or nightly.
#   tests/image/run.sh            all (label image)
#   tests/image/run.sh container  the OCI image and its lab only
#   tests/image/run.sh iso        the ISO and its boot test only
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "run.sh: run as root" >&2; exit 1; }
images/install-deps.sh
BUILD=${XR_BUILD_DIR:-build-img}
cmake -S . -B "$BUILD" -DXR_IMAGE_TESTS=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
case "${1:-all}" in
container) filter=(-R '^image_container') ;;
iso) filter=(-R '^image_iso') ;;
all) filter=() ;;
*) echo "usage: run.sh [container|iso]" >&2; exit 2 ;;
esac
log=$BUILD/image-tests.log
status=0
ctest --test-dir "$BUILD" -L image "${filter[@]}" --output-on-failure -V \
	2>&1 | tee "$log" || status=$?
# ctest counts a skip (77) among the passed: say which tools were missing
# (the only reason an image test may skip), so a green run cannot hide one.
if grep -q 'SKIP: missing tool' "$log"; then
	echo "run.sh: SKIPPED, install the missing tools and run again:"
	grep -o 'SKIP: missing tool.*' "$log" | sort -u | sed 's/^/  /'
fi
exit $status
