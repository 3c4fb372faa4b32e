# SPDX-License-Identifier: GPL-2.0-only
# Transparency (issue 17): the kernel's sysctls and an operator's own XDP
# program, under real zebra + staticd + xdp-routerd.
add_bpf_object(foreign_filter foreign_filter.bpf.c)
add_test(NAME e2e_transparency_sysctl
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_transparency_sysctl.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>
		${CMAKE_CURRENT_BINARY_DIR}/foreign_filter.bpf.o)
set_tests_properties(e2e_transparency_sysctl PROPERTIES LABELS "e2e"
	TIMEOUT 300)
add_custom_target(e2e_transparency_objects ALL DEPENDS foreign_filter_bpf)

# nftables, iptables-legacy, qdiscs and xfrm.
add_test(NAME e2e_transparency
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_transparency.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>
		$<TARGET_FILE:xr-dpctl>)
set_tests_properties(e2e_transparency PROPERTIES LABELS "e2e" TIMEOUT 300)

# The lab's nftables/qdisc configurations: every one the kernel takes.
add_test(NAME lab_kconfig_nft
	COMMAND ${XR_PYTHON} ${CMAKE_SOURCE_DIR}/tests/lab/kconfig_nft.py 60 5)
set_tests_properties(lab_kconfig_nft PROPERTIES LABELS "e2e;quick" TIMEOUT 120)

# The lab's ip-rule configurations: every one the kernel takes, and each
# removal leaves the defaults.
add_test(NAME lab_kconfig_rules
	COMMAND ${XR_PYTHON} ${CMAKE_SOURCE_DIR}/tests/lab/kconfig_rules.py 60 5)
set_tests_properties(lab_kconfig_rules PROPERTIES LABELS "e2e;quick" TIMEOUT 120)
