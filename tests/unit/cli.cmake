# SPDX-License-Identifier: GPL-2.0-only
add_executable(cli_logic_test ${CMAKE_CURRENT_LIST_DIR}/cli_logic_test.c)
target_link_libraries(cli_logic_test PRIVATE xr_cli_logic)
target_include_directories(cli_logic_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME cli_logic_test COMMAND cli_logic_test)
set_tests_properties(cli_logic_test PROPERTIES LABELS "unit;quick"
	TIMEOUT 60)
