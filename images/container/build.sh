#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the xdp-router container image without a container engine:
#   Debian 13 (trixie) debootstrap tree (cached) + frr + our .deb
#   -> rootfs -> OCI layout (umoci) -> docker-archive (skopeo)
# Outputs in $XR_BUILD_DIR/images (build-img/images):
#   xdp-router-oci/         OCI layout, tag "latest"
#   xdp-router-oci.tar      docker-archive, "xdp-router:latest" (docker load -i)
# The rootfs stays in /var/cache/xdp-router/container-rootfs for the tests.
# Idempotent: every run rebuilds the rootfs from the cached base tree (apt's
# downloads are cached too).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/images/lib.sh"
SUITE=${XR_SUITE:-trixie}
BUILD=$(build_dir "$ROOT")
OUT=$BUILD/images
ROOTFS=$XR_CACHE/container-rootfs
OCI=$OUT/xdp-router-oci
TAG=latest
command -v umoci >/dev/null && command -v skopeo >/dev/null ||
	"$ROOT/images/install-deps.sh" >&2
mkdir -p "$OUT"
t0=$(date +%s)

deb=$(XR_BUILD_DIR=$BUILD "$ROOT/images/build-deb.sh")
base=$(base_tree "$SUITE")

log "rootfs from $base"
copy_tree "$base" "$ROOTFS.tmp"
cp "$deb" "$ROOTFS.tmp/tmp/xdp-router.deb"
# nftables and conntrack: a router's firewall (the edge lab loads one) and
# the flows it tracks, which xdp-routerd accelerates once established
chroot_run "$ROOTFS.tmp" apt-get -qq install -y --no-install-recommends \
	frr iproute2 ethtool procps iputils-ping bpftool nftables conntrack \
	/tmp/xdp-router.deb >&2
# FRR wired to xdp-routerd by default (binds may replace both files)
chroot_run "$ROOTFS.tmp" xdp-router-frr-setup --yes --no-restart >&2
sed -i 's/^log syslog.*/log stdout informational/' "$ROOTFS.tmp/etc/frr/frr.conf"
install -m 755 "$HERE/entrypoint.sh" "$ROOTFS.tmp/usr/sbin/xdp-router-entrypoint"
# what a container does not need
rm -rf "$ROOTFS.tmp/tmp/"* "$ROOTFS.tmp/var/lib/apt/lists/"* \
	"$ROOTFS.tmp/usr/sbin/policy-rc.d" "$ROOTFS.tmp/etc/xdp-router-suite" \
	"$ROOTFS.tmp/usr/share/man" "$ROOTFS.tmp/usr/share/info" \
	"$ROOTFS.tmp/var/log/"*.log "$ROOTFS.tmp/var/cache/debconf/"*-old
find "$ROOTFS.tmp/usr/share/doc" -mindepth 1 -maxdepth 1 ! -name xdp-router \
	-exec rm -rf {} +
find "$ROOTFS.tmp/usr/share/locale" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
: > "$ROOTFS.tmp/etc/hostname"
rm -rf "$ROOTFS"
mv "$ROOTFS.tmp" "$ROOTFS"

log "OCI layout $OCI"
rm -rf "$OCI" "$OUT/bundle"
umoci init --layout "$OCI"
umoci new --image "$OCI:$TAG"
umoci unpack --image "$OCI:$TAG" "$OUT/bundle" >/dev/null
cp -a "$ROOTFS/." "$OUT/bundle/rootfs/"
umoci repack --image "$OCI:$TAG" "$OUT/bundle"
rm -rf "$OUT/bundle"
version=$(dpkg-deb -f "$deb" Version)
frr=$(chroot "$ROOTFS" dpkg-query -W -f '${Version}' frr)
umoci config --image "$OCI:$TAG" \
	--config.entrypoint /usr/sbin/xdp-router-entrypoint \
	--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	--config.stopsignal SIGTERM \
	--config.label "org.opencontainers.image.title=xdp-router" \
	--config.label "org.opencontainers.image.version=$version" \
	--config.label "org.opencontainers.image.description=xdp-router $version, FRR $frr, Debian $SUITE" \
	--architecture amd64 --os linux
umoci gc --layout "$OCI"
rm -f "$OUT/xdp-router-oci.tar"
skopeo copy --quiet "oci:$OCI:$TAG" \
	"docker-archive:$OUT/xdp-router-oci.tar:xdp-router:$TAG"

log "done in $(( $(date +%s) - t0 )) s: rootfs $(du -sh "$ROOTFS" | cut -f1)," \
	"OCI $(du -sh "$OCI" | cut -f1), docker-archive" \
	"$(du -h "$OUT/xdp-router-oci.tar" | cut -f1) (FRR $frr)"
echo "$OUT/xdp-router-oci.tar"
