#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Style and static checks, run by scripts/test.sh before the tests:
# every C file formatted by .clang-format, every include of dataplane/
# pointing down its rooms (scripts/check_rooms.sh), and cppcheck on the
# userspace code. Fix a format complaint with: clang-format -i FILE
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
unformatted=$(git ls-files '*.c' '*.h' | while read -r f; do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
done)
if [ -n "$unformatted" ]; then
	echo "lint: not formatted (clang-format -i FILE):" $unformatted >&2
	status=1
fi
./scripts/check_rooms.sh >/dev/null || status=1
cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	--enable=warning,portability,performance \
	--suppress=missingIncludeSystem \
	--suppress=unknownMacro:cli/cmd_status.c \
	-I bpf -I dataplane -I fpm-client -I cli \
	dataplane cli fpm-client tests/tools || status=1
[ $status = 0 ] && echo "lint: clang-format, rooms and cppcheck clean"
exit $status
