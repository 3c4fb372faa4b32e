# SPDX-License-Identifier: GPL-2.0-only
# Flow sampling in the program: the sampled frames in the ring with their
# metadata, and, off, the program the kernel runs is the one built without
# the feature (xdp_router_nosample.bpf.o, XR_FLOW_SAMPLE_BUILD=0).
set(nosample ${CMAKE_CURRENT_BINARY_DIR}/xdp_router_nosample.bpf.o)
# every header: a stale object would compare the program with an older one
file(GLOB bpf_headers ${PROJECT_SOURCE_DIR}/bpf/*.h)
add_custom_command(OUTPUT ${nosample}
	COMMAND ${BPF_CLANG} -target bpf -O2 -g -Wall -Werror
		-D__TARGET_ARCH_${XR_BPF_ARCH} -DXR_FLOW_SAMPLE_BUILD=0
		-I/usr/include/${XR_ARCH}-linux-gnu
		-I${PROJECT_SOURCE_DIR}/bpf
		-c ${PROJECT_SOURCE_DIR}/bpf/xdp_router.bpf.c -o ${nosample}
	DEPENDS ${PROJECT_SOURCE_DIR}/bpf/xdp_router.bpf.c ${bpf_headers}
	COMMENT "BPF xdp_router_nosample.bpf.o (flow sampling compiled out)")
add_custom_target(xdp_router_nosample ALL DEPENDS ${nosample})
add_test(NAME bpf_flow_sample
	COMMAND ${XR_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_flow_sample.py
		$<TARGET_FILE:xr-dpctl> ${PROJECT_BINARY_DIR}/bpf/xdp_router.bpf.o
		${nosample})
set_tests_properties(bpf_flow_sample PROPERTIES LABELS "bpf;quick"
	TIMEOUT 120)
