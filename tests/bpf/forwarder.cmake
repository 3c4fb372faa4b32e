# SPDX-License-Identifier: GPL-2.0-only
# The same fixtures on both IPv4 lookup structures, and xdp-routerctl
# lookup checked against the program on them.
foreach(fib lpm dir24)
	add_test(NAME bpf_forwarder_${fib}
		COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_forwarder.py
			$<TARGET_FILE:xr-dpctl> ${fib}
			$<TARGET_FILE:xdp-routerctl>)
	set_tests_properties(bpf_forwarder_${fib} PROPERTIES
		LABELS "bpf;quick" TIMEOUT 300)
endforeach()
