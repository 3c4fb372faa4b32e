# SPDX-License-Identifier: GPL-2.0-only
add_test(NAME e2e_transparency
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_transparency.py
		$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xdp-routerctl>
		$<TARGET_FILE:xr-dpctl>)
set_tests_properties(e2e_transparency PROPERTIES LABELS "e2e" TIMEOUT 300)

# The lab's nftables/qdisc configurations: every one the kernel takes.
add_test(NAME lab_kconfig_nft
	COMMAND ${XR_PYTHON} ${CMAKE_SOURCE_DIR}/tests/lab/kconfig_nft.py 60 5)
set_tests_properties(lab_kconfig_nft PROPERTIES LABELS "e2e;quick" TIMEOUT 120)
