# SPDX-License-Identifier: GPL-2.0-only
# The stateful ruleset analysis over rulesets loaded with nft in a namespace.
add_test(NAME kernel_nft_stateful
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_nft_stateful.py
		$<TARGET_FILE:xr-nftcheck>)
set_tests_properties(kernel_nft_stateful PROPERTIES
	LABELS "kernel;quick" TIMEOUT 60)
