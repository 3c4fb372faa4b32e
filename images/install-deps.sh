#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian packages the appliance images need (not the default build/test run,
# see scripts/install-deps.sh for those): the package build, the debootstrap
# trees, the OCI image, the ISO and its qemu boot test. Idempotent.
set -euo pipefail

PKGS=(
	# the .deb (CPack runs dpkg-shlibdeps) and the debootstrapped trees
	dpkg-dev debootstrap
	# images/container: rootfs -> OCI layout -> docker-archive, no daemon
	umoci skopeo
	# images/iso: squashfs root, hybrid BIOS+UEFI ISO
	squashfs-tools xorriso grub-pc-bin grub-efi-amd64-bin grub-common mtools
	dosfstools
	# tests/image: boot under qemu (TCG), log in over the serial console
	qemu-system-x86 ovmf python3-pexpect
)

. "$(dirname "$0")/../scripts/apt-install.sh"
install_missing images/install-deps "${PKGS[@]}"
