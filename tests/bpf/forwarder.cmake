# SPDX-License-Identifier: GPL-2.0-only
add_test(NAME bpf_forwarder
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_forwarder.py
		$<TARGET_FILE:xr-dpctl>)
set_tests_properties(bpf_forwarder PROPERTIES LABELS "bpf;quick" TIMEOUT 300)
