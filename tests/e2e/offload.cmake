# SPDX-License-Identifier: GPL-2.0-only
# FRR 10.3 (Debian 13) from a debootstrapped tree: built on first run into
# /var/cache/xdp-router/trixie; skipped (77) only if the mirror is out of
# reach.
add_test(NAME e2e_offload_feedback
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_offload.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>)
set_tests_properties(e2e_offload_feedback PROPERTIES LABELS "e2e"
	TIMEOUT 1800 SKIP_RETURN_CODE 77)
