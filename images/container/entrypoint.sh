#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# xdp-router container entrypoint (/usr/sbin/xdp-router-entrypoint):
# bpffs, FRR under watchfrr (frrinit.sh), xdp-routerd in the foreground.
# The container lives as long as xdp-routerd; SIGTERM stops both.
#
# containerlab: the node's links (MTU 9500) appear after the container
# starts; xdp-routerd's "interfaces = auto" attaches to each as it comes up
# with an address (frags-aware XDP: jumbo frames do not block the attach).
# FRR's config comes from the image (wired to xdp-routerd) or from binds of
# /etc/frr/daemons and /etc/frr/frr.conf, which are never edited here.
set -eu

log() { echo "xdp-router-entrypoint: $*" >&2; }

mountpoint -q /sys/fs/bpf 2>/dev/null || mount -t bpf bpf /sys/fs/bpf
# a router forwards (containerlab's exec: lines may say so again)
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 2>/dev/null ||
	log "cannot enable forwarding (read-only /proc/sys?)"
xdp-router-frr-setup --check ||
	log "warning: /etc/frr is not wired to xdp-routerd" \
	    "(zebra_options needs -M dplane_fpm_nl, frr.conf 'fpm address" \
	    "127.0.0.1'); the fast path stays empty"

xdp-routerd --foreground "$@" &
routerd=$!

stop() {
	trap - TERM INT
	log "stopping"
	/usr/lib/frr/frrinit.sh stop >/dev/null 2>&1 || true
	kill -TERM "$routerd" 2>/dev/null || true
}
trap stop TERM INT

# zebra connects when xdp-routerd listens; it retries if not yet
/usr/lib/frr/frrinit.sh start || log "frrinit.sh start failed"

rc=0
while kill -0 "$routerd" 2>/dev/null; do
	wait "$routerd" || rc=$?
done
/usr/lib/frr/frrinit.sh stop >/dev/null 2>&1 || true
exit "$rc"
