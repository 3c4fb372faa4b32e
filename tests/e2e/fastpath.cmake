# SPDX-License-Identifier: GPL-2.0-only
add_test(NAME e2e_fastpath
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_fastpath.py
		$<TARGET_FILE:xr-dpctl>)
set_tests_properties(e2e_fastpath PROPERTIES LABELS "e2e;quick" TIMEOUT 300)
