# SPDX-License-Identifier: GPL-2.0-only
# The compiled FIBs (IPv4, IPv6) against the LPM trie and an oracle (1M
# addresses, under concurrent churn), and against the kernel's own answers.
add_executable(fib_diff ${CMAKE_CURRENT_LIST_DIR}/fib_diff.c)
target_link_libraries(fib_diff PRIVATE xr_dataplane pthread)
add_test(NAME bpf_fib_diff COMMAND fib_diff 100000 1000000)
add_test(NAME bpf_fib6_diff COMMAND fib_diff -6 100000 1000000)
add_test(NAME bpf_fib_kernel_diff
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/fib_kernel_diff.py
		$<TARGET_FILE:xr-dpctl> 50000 20000 4)
add_test(NAME bpf_fib6_kernel_diff
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/fib_kernel_diff.py
		$<TARGET_FILE:xr-dpctl> 50000 20000 6)
set_tests_properties(bpf_fib_diff bpf_fib6_diff bpf_fib_kernel_diff
	bpf_fib6_kernel_diff PROPERTIES LABELS "bpf" TIMEOUT 300)
