# SPDX-License-Identifier: GPL-2.0-only
# What an allowed but hostile FPM peer can cost: caps, frame timeout, stall.
add_test(NAME e2e_fpm_bounds
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_fpm_bounds.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>)
set_tests_properties(e2e_fpm_bounds PROPERTIES LABELS "e2e" TIMEOUT 180)
