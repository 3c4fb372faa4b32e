# SPDX-License-Identifier: GPL-2.0-only
# Flow sampling in the program: the sampled frames in the ring with their
# metadata, and, off, the program the kernel runs is the build without the
# feature (bpf/: xdp_router_nosample.bpf.o, XR_FLOW_SAMPLE_BUILD=0).
add_test(NAME bpf_flow_sample
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_flow_sample.py
		$<TARGET_FILE:xr-dpctl>
		${PROJECT_BINARY_DIR}/bpf/xdp_router_nosample.bpf.o)
set_tests_properties(bpf_flow_sample PROPERTIES LABELS "bpf;quick"
	TIMEOUT 120)
