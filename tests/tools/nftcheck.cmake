# SPDX-License-Identifier: GPL-2.0-only
add_executable(xr-nftcheck ${CMAKE_CURRENT_LIST_DIR}/xr-nftcheck.c)
target_link_libraries(xr-nftcheck PRIVATE xr_dataplane)
