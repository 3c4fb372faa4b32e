# SPDX-License-Identifier: GPL-2.0-only
# Real zebra + staticd in a namespace, differential check of the decoded RIB.
add_test(NAME fpm_zebra_e2e
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/fpm_zebra_e2e.py
		$<TARGET_FILE:fpm-record>)
set_tests_properties(fpm_zebra_e2e PROPERTIES
	LABELS e2e TIMEOUT 300 SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
