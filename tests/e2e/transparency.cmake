# SPDX-License-Identifier: GPL-2.0-only
add_test(NAME e2e_transparency
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_transparency.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>
		$<TARGET_FILE:xr-dpctl>)
set_tests_properties(e2e_transparency PROPERTIES LABELS "e2e" TIMEOUT 300)
