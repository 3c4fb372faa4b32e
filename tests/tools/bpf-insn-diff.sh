#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Is the XDP program of two revisions the same instructions? Builds
# bpf/xdp_router.bpf.o at each (in temporary worktrees) and compares their
# disassembly with jump offsets and addresses left out, so code that only
# moved reads as equal. A refactor that claims "the program cost is
# unchanged" shows it here without a noisy timing.
#   tests/tools/bpf-insn-diff.sh REV_A REV_B  (exit 0 identical, 1 not)
set -eu
[ $# = 2 ] || { echo "usage: $0 REV_A REV_B" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'for w in "$tmp"/wt-*; do git -C "$root" worktree remove --force "$w" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT

insns() { # REV OUT
	w="$tmp/wt-$(git -C "$root" rev-parse --short "$1")"
	git -C "$root" worktree add --detach "$w" "$1" >/dev/null 2>&1
	cmake -S "$w" -B "$w/b" >/dev/null
	cmake --build "$w/b" --target xdp_router_bpf >/dev/null
	llvm-objdump -d --no-show-raw-insn "$w/b/bpf/xdp_router.bpf.o" |
		sed -n 's/^ *[0-9a-f]*:[[:space:]]*//p' |
		sed 's/goto [+-][0-9]*/goto L/; s/ <[^>]*>$//' >"$2"
}
insns "$1" "$tmp/a"
insns "$2" "$tmp/b"
echo "$1: $(wc -l <"$tmp/a") instructions, $2: $(wc -l <"$tmp/b")"
if diff -u "$tmp/a" "$tmp/b"; then
	echo "identical instructions"
else
	exit 1
fi
