# SPDX-License-Identifier: GPL-2.0-only
add_executable(dataplane_logic_test
	${CMAKE_CURRENT_LIST_DIR}/dataplane_logic_test.c)
target_link_libraries(dataplane_logic_test PRIVATE xr_dataplane)
target_include_directories(dataplane_logic_test PRIVATE
	${CMAKE_CURRENT_LIST_DIR})
add_test(NAME dataplane_logic_test COMMAND dataplane_logic_test)
set_tests_properties(dataplane_logic_test PROPERTIES LABELS "unit;quick"
	TIMEOUT 60)

add_executable(id_slots_test ${CMAKE_CURRENT_LIST_DIR}/id_slots_test.c)
target_link_libraries(id_slots_test PRIVATE xr_dataplane)
target_include_directories(id_slots_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME id_slots_test COMMAND id_slots_test)
set_tests_properties(id_slots_test PROPERTIES LABELS "unit;quick" TIMEOUT 60)

# The RIB through a fake map writer (rib_map_ops): no root, no BPF.
add_executable(rib_test ${CMAKE_CURRENT_LIST_DIR}/rib_test.c)
target_link_libraries(rib_test PRIVATE xr_rib)
target_include_directories(rib_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME rib_test COMMAND rib_test)
set_tests_properties(rib_test PROPERTIES LABELS "unit;quick" TIMEOUT 60)

add_executable(plan_test ${CMAKE_CURRENT_LIST_DIR}/plan_test.c)
target_link_libraries(plan_test PRIVATE xr_dataplane)
target_include_directories(plan_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME plan_test COMMAND plan_test)
set_tests_properties(plan_test PROPERTIES LABELS "unit;quick" TIMEOUT 60)

add_executable(netconf_test ${CMAKE_CURRENT_LIST_DIR}/netconf_test.c)
target_link_libraries(netconf_test PRIVATE xr_dataplane)
target_include_directories(netconf_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME netconf_test COMMAND netconf_test)
set_tests_properties(netconf_test PROPERTIES LABELS "unit;quick" TIMEOUT 60)

add_executable(nft_plan_test ${CMAKE_CURRENT_LIST_DIR}/nft_plan_test.c)
target_link_libraries(nft_plan_test PRIVATE xr_dataplane)
target_include_directories(nft_plan_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME nft_plan_test COMMAND nft_plan_test)
set_tests_properties(nft_plan_test PROPERTIES LABELS "unit;quick" TIMEOUT 60)

add_executable(metrics_http_test ${CMAKE_CURRENT_LIST_DIR}/metrics_http_test.c)
target_link_libraries(metrics_http_test PRIVATE xr_daemon)
target_include_directories(metrics_http_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME metrics_http_test COMMAND metrics_http_test)
set_tests_properties(metrics_http_test PROPERTIES LABELS "unit;quick"
	TIMEOUT 60)

add_executable(ip_rules_test ${CMAKE_CURRENT_LIST_DIR}/ip_rules_test.c)
target_link_libraries(ip_rules_test PRIVATE xr_dataplane)
target_include_directories(ip_rules_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME ip_rules_test COMMAND ip_rules_test)
set_tests_properties(ip_rules_test PROPERTIES LABELS "unit;quick" TIMEOUT 60)

# sFlow v5 datagrams byte for byte against the spec's layout
add_executable(sflow_encode_test ${CMAKE_CURRENT_LIST_DIR}/sflow_encode_test.c)
target_link_libraries(sflow_encode_test PRIVATE xr_export)
target_include_directories(sflow_encode_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME sflow_encode_test COMMAND sflow_encode_test)
set_tests_properties(sflow_encode_test PROPERTIES LABELS "unit;quick"
	TIMEOUT 60)

# IPFIX messages byte for byte against RFC 7011, and the flow cache
add_executable(ipfix_test ${CMAKE_CURRENT_LIST_DIR}/ipfix_test.c)
target_link_libraries(ipfix_test PRIVATE xr_export)
target_include_directories(ipfix_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME ipfix_test COMMAND ipfix_test)
set_tests_properties(ipfix_test PROPERTIES LABELS "unit;quick" TIMEOUT 60)

add_executable(vlan_links_test ${CMAKE_CURRENT_LIST_DIR}/vlan_links_test.c)
target_link_libraries(vlan_links_test PRIVATE xr_dataplane)
target_include_directories(vlan_links_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME vlan_links_test COMMAND vlan_links_test)
set_tests_properties(vlan_links_test PROPERTIES LABELS "unit;quick"
	TIMEOUT 60)

# A table other than main against the fast path's VRF (kernel/route_table.c)
add_executable(ip_rules_table_test
	${CMAKE_CURRENT_LIST_DIR}/ip_rules_table_test.c)
target_link_libraries(ip_rules_table_test PRIVATE xr_dataplane)
target_include_directories(ip_rules_table_test PRIVATE
	${CMAKE_CURRENT_LIST_DIR})
add_test(NAME ip_rules_table_test COMMAND ip_rules_table_test)
set_tests_properties(ip_rules_table_test PROPERTIES LABELS "unit;quick"
	TIMEOUT 60)
