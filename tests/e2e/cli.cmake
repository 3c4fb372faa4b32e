# SPDX-License-Identifier: GPL-2.0-only
add_test(NAME e2e_cli
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_cli.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>)
set_tests_properties(e2e_cli PROPERTIES LABELS "e2e" TIMEOUT 300)
