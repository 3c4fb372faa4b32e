#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the Debian package: xdp-router_<version>_amd64.deb in $XR_BUILD_DIR
# (build-img). Prints the path. Built on the Debian 12 host; dpkg-shlibdeps
# names Debian's library packages, which Debian 13 provides too.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${XR_BUILD_DIR:-build-img}
command -v dpkg-shlibdeps >/dev/null || images/install-deps.sh >&2
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >&2
(cd "$BUILD" && cpack -G DEB >&2)
deb=$(ls -t "$BUILD"/xdp-router_*_amd64.deb | head -n 1)
echo "$(realpath "$deb")"
