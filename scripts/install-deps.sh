#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install every Debian package that the build, the tests and the demo lab need.
# Idempotent: packages already present are left alone, apt is only asked when
# something is missing.
set -euo pipefail

PKGS=(
	# build
	cmake make pkg-config gcc clang llvm bpftool clang-format cppcheck
	libclang-rt-14-dev  # libFuzzer and sanitizer runtimes (tests/fuzz)
	libbpf-dev libelf-dev zlib1g-dev linux-libc-dev
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libevent-dev
	libprotobuf-c-dev protobuf-c-compiler
	libjson-c-dev  # xdp-routerctl and the control socket
	libnftnl-dev libmnl-dev  # the plan follows nftables, tc, xfrm; kernel/nft_stateful.c
	# control plane
	frr
	# tests and demo
	python3 python3-scapy python3-yaml iproute2 iputils-ping traceroute tcpdump
	ethtool procps psmisc
	conntrack nftables  # tests/bpf/test_conntrack.py: entries, a helper
	iptables  # tests/e2e/test_transparency.py: iptables-legacy
	pmacct nfdump  # tests/e2e/test_flow_export.py: sfacctd reads our sFlow, nfcapd our IPFIX
	# benchmarks (tests/bench): the plot in docs/performance.md
	gnuplot-nox
	# FRR 10.3 offload-feedback test: a debootstrapped trixie tree
	debootstrap
	# the .deb (tests/image/test_package.py: cpack runs dpkg-shlibdeps)
	dpkg-dev
	# systemd_unit_security: systemd-analyze security --offline (>= 250)
	systemd
)

. "$(dirname "$0")/apt-install.sh"
install_missing install-deps "${PKGS[@]}"
[ "$INSTALLED" = 1 ] || exit 0
# FRR's package enables its service; the labs start their own daemons.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
	systemctl disable --now frr >/dev/null 2>&1 || true
fi
