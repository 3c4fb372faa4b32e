#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The README demo: installs what is missing, builds, and brings up the
# 'edge' lab (host - router - upstream) with FRR and the XDP fast path.
#   scripts/demo.sh        bring it up, send traffic, print the counters
#   scripts/demo.sh down   tear it down
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-up}" = down ]; then
	exec /usr/bin/python3 tests/lab/edge_demo.py down
fi
[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root" >&2; exit 1; }
./scripts/install-deps.sh
./scripts/build.sh
exec /usr/bin/python3 tests/lab/edge_demo.py up "${XR_BUILD_DIR:-build}"
