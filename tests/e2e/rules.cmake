# SPDX-License-Identifier: GPL-2.0-only
# ip rules (issue 17): `ip rule` and FRR's pbrd under real zebra + staticd
# + xdp-routerd, the stream at the upstream Linux would choose.
add_test(NAME e2e_rules
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_rules.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>)
set_tests_properties(e2e_rules PROPERTIES LABELS "e2e" TIMEOUT 120)
