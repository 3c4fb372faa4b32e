# SPDX-License-Identifier: GPL-2.0-only
# Who may program and read the fast path: real zebra, a refused nobody.
add_test(NAME e2e_security
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_security.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>)
set_tests_properties(e2e_security PROPERTIES LABELS "e2e" TIMEOUT 300)
