#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# One command: a bootable hybrid (BIOS + UEFI) live ISO of xdp-router from
# Debian packages only: debootstrap (cached) + Debian 13's kernel, systemd,
# live-boot, FRR 10.3 and our .deb -> squashfs -> grub-mkrescue.
#   images/iso/build.sh          -> $XR_BUILD_DIR/images/xdp-router.iso
# Serial console on ttyS0 (115200). First login: root / xdp-router
# (docs/appliance.md). FRR is wired to xdp-routerd; both are enabled.
# Why Debian 13 (trixie): FRR 10.3 (offload feedback, --asic-offload;
# Debian 12 has FRR 8.4), kernel 6.12 (virtio_net/veth XDP with frags).
# Idempotent; the tree is rebuilt from the cached base each run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/images/lib.sh"
SUITE=${XR_SUITE:-trixie}
BUILD=$(build_dir "$ROOT")
OUT=$BUILD/images
TREE=$XR_CACHE/iso-rootfs
STAGE=$OUT/iso-stage
ISO=$OUT/xdp-router.iso
PASSWORD=${XR_ROOT_PASSWORD:-xdp-router}
command -v grub-mkrescue >/dev/null && command -v mksquashfs >/dev/null ||
	"$ROOT/images/install-deps.sh" >&2
mkdir -p "$OUT"
t0=$(date +%s)

deb=$(XR_BUILD_DIR=$BUILD "$ROOT/images/build-deb.sh")
base=$(base_tree "$SUITE")
log "rootfs from $base"
copy_tree "$base" "$TREE.tmp"
cp "$deb" "$TREE.tmp/tmp/xdp-router.deb"
# no initramfs until live-boot is in
chroot_run "$TREE.tmp" apt-get -qq install -y --no-install-recommends \
	systemd-sysv udev kmod live-boot initramfs-tools zstd \
	linux-image-amd64 frr iproute2 ethtool procps iputils-ping bpftool \
	less nano ca-certificates /tmp/xdp-router.deb >&2

# the appliance's identity and first login
echo xdp-router > "$TREE.tmp/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\txdp-router\n' > "$TREE.tmp/etc/hosts"
echo "root:$PASSWORD" | chroot "$TREE.tmp" chpasswd
cat > "$TREE.tmp/etc/issue" <<ISSUE
xdp-router live (Debian $SUITE) \\n \\l
First login: root / $PASSWORD  (docs: /usr/share/doc/xdp-router/appliance.md)

ISSUE
cat > "$TREE.tmp/etc/sysctl.d/90-xdp-router.conf" <<SYSCTL
# a router forwards
net.ipv4.ip_forward = 1
net.ipv6.conf.all.forwarding = 1
SYSCTL
# nf_conntrack at boot (systemd-modules-load, before sysinit.target and so
# before xdp-routerd): the program's conntrack kfuncs are the module's and
# resolve only if it is loaded when the program is (bpf/conntrack.h), and
# the edge ruleset's ct state needs it anyway.
printf '# xdp-router: stateful acceleration (bpf/conntrack.h)\nnf_conntrack\n' \
	> "$TREE.tmp/etc/modules-load.d/xdp-router.conf"
# FRR wired to xdp-routerd; both services enabled
chroot_run "$TREE.tmp" xdp-router-frr-setup --yes --no-restart >&2
chroot_run "$TREE.tmp" systemctl enable frr.service xdp-routerd.service >&2
chroot_run "$TREE.tmp" systemctl set-default multi-user.target >&2
rm -f "$TREE.tmp/usr/sbin/policy-rc.d" "$TREE.tmp/etc/xdp-router-suite" \
	"$TREE.tmp/tmp/"* "$TREE.tmp/var/lib/apt/lists/"*_Packages* \
	"$TREE.tmp/var/log/"*.log
rm -rf "$TREE.tmp/usr/share/locale/"* "$TREE.tmp/usr/share/info"
find "$TREE.tmp/usr/share/doc" -mindepth 1 -maxdepth 1 ! -name xdp-router \
	-exec rm -rf {} +
rm -rf "$TREE"
mv "$TREE.tmp" "$TREE"

log "squashfs"
rm -rf "$STAGE"
mkdir -p "$STAGE/live" "$STAGE/boot/grub"
cp "$TREE"/boot/vmlinuz-* "$STAGE/live/vmlinuz"
cp "$TREE"/boot/initrd.img-* "$STAGE/live/initrd.img"
mksquashfs "$TREE" "$STAGE/live/filesystem.squashfs" -comp zstd \
	-e boot -noappend -quiet >&2
cp "$HERE/grub.cfg" "$STAGE/boot/grub/grub.cfg"
log "grub-mkrescue (BIOS i386-pc + UEFI x86_64-efi)"
grub-mkrescue -o "$ISO.tmp" "$STAGE" -- -volid XDP_ROUTER >&2 2>/dev/null ||
	grub-mkrescue -o "$ISO.tmp" "$STAGE" >&2
mv "$ISO.tmp" "$ISO"
rm -rf "$STAGE"
log "done in $(( $(date +%s) - t0 )) s: $ISO $(du -h "$ISO" | cut -f1)"
echo "$ISO"
