# SPDX-License-Identifier: GPL-2.0-only
# The FRR labs of images/containerlab, deployed from their clab files by
# tests/lab/clab.py (namespaces, veth, one FRR + xdp-routerd per router).
foreach(lab edge ospf_ring bgp_ecmp differential)
	add_test(NAME e2e_lab_${lab}
		COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_lab_${lab}.py
			${CMAKE_BINARY_DIR} $<TARGET_FILE:xr-dpctl>)
	set_tests_properties(e2e_lab_${lab} PROPERTIES LABELS "e2e;lab"
		TIMEOUT 240)
endforeach()

# The default draw puts nftables chains in most configurations, and they
# punt the traffic before a rule is evaluated: a few rules-only
# configurations keep the program's rule evaluation under the comparison
# (each of a broken `not`, blackhole and priority order fails it).
add_test(NAME e2e_lab_differential_rules
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_lab_differential.py
		${CMAKE_BINARY_DIR} $<TARGET_FILE:xr-dpctl>)
set_tests_properties(e2e_lab_differential_rules PROPERTIES LABELS "e2e;lab"
	TIMEOUT 240
	ENVIRONMENT "XR_KCONFIG_MODULES=rules;XR_KCONFIG_N=4")
