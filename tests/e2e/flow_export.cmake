# SPDX-License-Identifier: GPL-2.0-only
# sFlow v5 and IPFIX export (issue 19) read by sfacctd and nfcapd, under real zebra +
# staticd + xdp-routerd.
add_test(NAME e2e_flow_export
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_flow_export.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>)
set_tests_properties(e2e_flow_export PROPERTIES LABELS "e2e" TIMEOUT 120
	SKIP_RETURN_CODE 77)
