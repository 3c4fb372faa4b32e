# SPDX-License-Identifier: GPL-2.0-only
# fpm-client unit tests: one executable per concern, each a ctest test.
foreach(t fpm_frame_test fpm_netlink_test fpm_protobuf_test fpm_replay_test
		fpm_server_test fpm_peer_test fpm_encode_test)
	add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
	target_link_libraries(${t} PRIVATE xr_fpm)
	target_include_directories(${t} PRIVATE ${CMAKE_CURRENT_LIST_DIR})
	target_compile_definitions(${t} PRIVATE
		XR_FPM_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data/fpm")
	add_test(NAME ${t} COMMAND ${t})
	set_tests_properties(${t} PROPERTIES LABELS unit TIMEOUT 60)
endforeach()
