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
