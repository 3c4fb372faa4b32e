# SPDX-License-Identifier: GPL-2.0-only
# Shared by the image scripts (sourced, bash): cached debootstrap trees and
# chroots whose mounts vanish with the command.
XR_CACHE=${XR_CACHE:-/var/cache/xdp-router}
XR_MIRROR=${XR_MIRROR:-http://deb.debian.org/debian}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# build_dir ROOT: $XR_BUILD_DIR as an absolute path; a relative one is
# under ROOT, an absolute one (ctest passes ${CMAKE_BINARY_DIR}) is kept
# as it is, never prefixed with ROOT again.
build_dir() {
	local dir=${XR_BUILD_DIR:-build-img}
	case $dir in
	/*) realpath -m "$dir" ;;
	*) realpath -m "$1/$dir" ;;
	esac
}

# chroot_run TREE CMD...: CMD in TREE with /proc, /sys, /dev and the apt
# archive cache (downloaded .debs kept across builds) mounted in a private
# mount namespace, so nothing stays mounted when it returns.
chroot_run() {
	local tree=$1; shift
	local suite
	suite=$(cat "$tree/etc/xdp-router-suite" 2>/dev/null || echo any)
	mkdir -p "$XR_CACHE/apt-$suite"
	unshare --mount --propagation private -- /bin/sh -c '
		set -e; t=$1; a=$2; shift 2
		mount -t proc proc "$t/proc"
		mount -t sysfs sysfs "$t/sys"
		mount --rbind /dev "$t/dev"
		mount --bind "$a" "$t/var/cache/apt/archives"
		exec chroot "$t" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"' \
		- "$tree" "$XR_CACHE/apt-$suite" "$@"
}

# base_tree SUITE: prints the path of a cached, pristine debootstrap
# (minbase) of Debian SUITE with its apt lists (main, updates, security)
# and a policy-rc.d that keeps services from starting inside the tree.
# Built once (a few minutes); copy or overlay it, never change it.
base_tree() {
	local suite=$1 tree="$XR_CACHE/base-$1"
	if [ -e "$tree/etc/xdp-router-suite" ]; then
		echo "$tree"; return 0
	fi
	mkdir -p "$XR_CACHE"
	if [ ! -e "$tree.tmp/.debootstrap-done" ]; then
		rm -rf "$tree.tmp"
		log "debootstrap $suite into $tree (once)"
		debootstrap --variant=minbase "$suite" "$tree.tmp" "$XR_MIRROR" >&2
		touch "$tree.tmp/.debootstrap-done"
	fi
	cat > "$tree.tmp/etc/apt/sources.list" <<SOURCES
deb $XR_MIRROR $suite main
deb $XR_MIRROR $suite-updates main
deb http://security.debian.org/debian-security $suite-security main
SOURCES
	printf '#!/bin/sh\nexit 101\n' > "$tree.tmp/usr/sbin/policy-rc.d"
	chmod 755 "$tree.tmp/usr/sbin/policy-rc.d"
	echo "$suite" > "$tree.tmp/etc/xdp-router-suite"
	chroot_run "$tree.tmp" apt-get -qq update >&2
	rm -f "$tree.tmp/.debootstrap-done"
	mv "$tree.tmp" "$tree"
	echo "$tree"
}

# copy_tree SRC DST: a fresh copy (hard links are not safe: apt rewrites
# files in place)
copy_tree() {
	rm -rf "$2"
	cp -a "$1" "$2"
}
