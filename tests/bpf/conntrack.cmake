# SPDX-License-Identifier: GPL-2.0-only
# Stateful acceleration against real conntrack entries in a namespace.
add_test(NAME bpf_conntrack
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_conntrack.py
		$<TARGET_FILE:xr-dpctl>)
set_tests_properties(bpf_conntrack PROPERTIES LABELS "bpf;quick" TIMEOUT 120)
