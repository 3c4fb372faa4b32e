# SPDX-License-Identifier: GPL-2.0-only
# 802.1Q sub-interfaces, with veths standing in for them (no 8021q needed).
foreach(fib lpm dir24)
	add_test(NAME bpf_vlan_${fib}
		COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_vlan.py
			$<TARGET_FILE:xr-dpctl> ${fib}
			$<TARGET_FILE:xdp-routerctl>)
	set_tests_properties(bpf_vlan_${fib} PROPERTIES
		LABELS "bpf;quick" TIMEOUT 120)
endforeach()
