#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The shipped unit's exposure, as systemd-analyze scores it offline, is at
# most the recorded one (docs/security.md): hardening may improve, never
# regress. 77 (skip) without a systemd-analyze that knows --offline (>= 250).
#
# usage: systemd_unit_security.sh UNIT MAX_SCORE
unit=$1 max=$2
command -v systemd-analyze >/dev/null || { echo "no systemd-analyze"; exit 77; }
out=$(systemd-analyze security --offline=yes --no-pager "$unit" 2>&1)
case $out in
*"Overall exposure level"*) ;;
*) echo "systemd-analyze cannot score offline: $out"; exit 77 ;;
esac
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "$unit: exposure $score (recorded $max)"
printf '%s\n' "$out" | grep '✗'
awk -v s="$score" -v m="$max" 'BEGIN { exit !(s != "" && s + 0 <= m + 0) }' ||
	{ echo "FAIL: exposure $score is above $max"; exit 1; }
