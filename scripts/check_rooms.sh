#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# dataplane/ is in rooms by layer, each allowed to include only the rooms
# below it (docs/architecture.md draws them):
#   util <- maps <- fib <- rib <- kernel <- daemon;  maps <- loader <- kernel;
#   maps <- export <- daemon
# Fails on an include that points up or sideways, and on an include of a
# dataplane header that does not name its room ("maps/maps.h", not
# "maps.h"). cli/ reads the maps and speaks the control protocol only.
# Run by scripts/lint.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# room: the rooms it may include besides itself
declare -A below=(
	[util]=""
	[maps]="util"
	[fib]="util maps"
	[rib]="util maps fib"
	[loader]="util maps"
	[kernel]="util maps fib rib loader"
	[export]="util maps"
	[daemon]="util maps fib rib loader kernel export"
	[cli]="util maps daemon/control_protocol.h"
)

allowed() { # room target: is "target" (room/file.h) allowed from room?
	local room=$1 target=$2 r
	[ "${target%%/*}" = "$room" ] && return 0
	for r in ${below[$room]}; do
		case $r in
		*.h) [ "$target" = "$r" ] && return 0 ;;
		*) [ "${target%%/*}" = "$r" ] && return 0 ;;
		esac
	done
	return 1
}

status=0
while read -r f; do
	case $f in
	dataplane/*/*) room=${f#dataplane/}; room=${room%%/*} ;;
	cli/*) room=cli ;;
	*) continue ;;
	esac
	[ -n "${below[$room]+x}" ] || {
		echo "rooms: $f is in dataplane/$room/, a room scripts/check_rooms.sh does not know" >&2
		status=1
		continue
	}
	while IFS=: read -r line inc; do
		inc=${inc#*\"}
		inc=${inc%%\"*}
		if [ "${inc#*/}" = "$inc" ]; then
			# no room named: a dataplane header must name its room
			if compgen -G "dataplane/*/$inc" >/dev/null; then
				echo "rooms: $f:$line includes \"$inc\" without its room" >&2
				status=1
			fi
			continue
		fi
		[ -d "dataplane/${inc%%/*}" ] || continue
		if ! allowed "$room" "$inc"; then
			echo "rooms: $f:$line includes \"$inc\": $room/ may include only ${below[$room]:-nothing} (an include up the chain)" >&2
			status=1
		fi
	done < <(grep -n '^#include "' "$f" | sed 's/^\([0-9]*\):/\1:/')
done < <(git ls-files --cached --others --exclude-standard 'dataplane/*.c' 'dataplane/*.h' 'cli/*.c' 'cli/*.h')
[ $status = 0 ] && echo "rooms: every include points down"
exit $status
