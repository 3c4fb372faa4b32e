# SPDX-License-Identifier: GPL-2.0-only
# The shipped systemd unit's exposure score (docs/security.md records it).
set(XR_UNIT_EXPOSURE_MAX 1.8)
add_test(NAME systemd_unit_security
	COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/systemd_unit_security.sh
		${PROJECT_SOURCE_DIR}/configs/systemd/xdp-routerd.service
		${XR_UNIT_EXPOSURE_MAX})
# "quick", not "unit": scripts/test.sh builds every unit test's target again
# under ASan, and a script has none.
set_tests_properties(systemd_unit_security PROPERTIES LABELS quick
	TIMEOUT 60 SKIP_RETURN_CODE 77)
