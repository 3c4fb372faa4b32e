# SPDX-License-Identifier: GPL-2.0-only
# fpm-record: capture and decode tool for zebra's FPM stream (docs/fpm.md).
add_executable(fpm-record
	${CMAKE_CURRENT_LIST_DIR}/fpm_record.c
	${CMAKE_CURRENT_LIST_DIR}/fpm_record_rib.c)
target_link_libraries(fpm-record PRIVATE xr_fpm)

# The decode benchmark lives in tests/bench/ but has no CMakeLists of its
# own; it is built here, never run as a test.
add_executable(fpm_decode_bench
	${CMAKE_CURRENT_LIST_DIR}/../bench/fpm_decode_bench.c)
target_link_libraries(fpm_decode_bench PRIVATE xr_fpm)
