# SPDX-License-Identifier: GPL-2.0-only
# Against real zebra, on both IPv4 lookup structures.
foreach(fib dir24 lpm)
	add_test(NAME e2e_daemon_${fib}
		COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_daemon.py
			$<TARGET_FILE:xdp-routerd> $<TARGET_FILE:xr-dpctl> ${fib})
	set_tests_properties(e2e_daemon_${fib} PROPERTIES LABELS "e2e"
		TIMEOUT 400 RUN_SERIAL TRUE)
endforeach()
