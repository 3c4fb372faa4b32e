# SPDX-License-Identifier: GPL-2.0-only
add_executable(xr-dpctl ${CMAKE_CURRENT_LIST_DIR}/xr-dpctl.c)
target_link_libraries(xr-dpctl PRIVATE xr_dataplane)
