#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Configure and build into ./build (or $XR_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${XR_BUILD_DIR:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
