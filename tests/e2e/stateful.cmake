# SPDX-License-Identifier: GPL-2.0-only
# A stateful edge firewall at XDP speed (issue 18): the edge ruleset on the
# router, established flows through XDP, the TCP window gate, under real
# zebra + staticd + xdp-routerd.
add_test(NAME e2e_stateful
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_stateful.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>
		$<TARGET_FILE:xr-dpctl>)
set_tests_properties(e2e_stateful PROPERTIES LABELS "e2e" TIMEOUT 120)
