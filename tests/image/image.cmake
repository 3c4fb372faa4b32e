# SPDX-License-Identifier: GPL-2.0-only
# The appliance's tests (issue 9; docs/appliance.md).
#
# image_package: the .deb (cpack in this build dir) installed with dpkg
#   into fresh debootstrapped Debian 13 and 12 trees (cached in
#   /var/cache/xdp-router), the daemon started there with the unit's
#   capabilities and the packaged FRR connected. ~2 min with the trees
#   cached, so it is in the default run (label e2e); skipped (77) if the
#   trees are not cached and Debian's mirror is out of reach.
#
# The image tests build images and boot a VM (TCG): minutes, so they are
# not in the default run. Their own command: tests/image/run.sh (sets
# -DXR_IMAGE_TESTS=ON and runs `ctest -L image`).
option(XR_IMAGE_TESTS "Register the slow image tests (label image)" OFF)
set(XR_IMG_DIR ${CMAKE_CURRENT_LIST_DIR})

add_test(NAME image_package
	COMMAND /usr/bin/python3 ${XR_IMG_DIR}/test_package.py
		--build-dir ${CMAKE_BINARY_DIR} trixie bookworm)
set_tests_properties(image_package PROPERTIES LABELS "e2e;package"
	TIMEOUT 1200 SKIP_RETURN_CODE 77 RUN_SERIAL ON)

if(XR_IMAGE_TESTS)
	set(XR_IMG_OUT ${CMAKE_BINARY_DIR}/images)
	add_test(NAME image_container_build
		COMMAND ${CMAKE_COMMAND} -E env XR_BUILD_DIR=${CMAKE_BINARY_DIR}
			${PROJECT_SOURCE_DIR}/images/container/build.sh)
	add_test(NAME image_container
		COMMAND /usr/bin/python3 ${XR_IMG_DIR}/test_container.py
			${XR_IMG_OUT}/xdp-router-oci)
	add_test(NAME image_iso_build
		COMMAND ${CMAKE_COMMAND} -E env XR_BUILD_DIR=${CMAKE_BINARY_DIR}
			${PROJECT_SOURCE_DIR}/images/iso/build.sh)
	add_test(NAME image_iso_boot
		COMMAND /usr/bin/python3 ${XR_IMG_DIR}/test_iso.py
			${XR_IMG_OUT}/xdp-router.iso)
	set_tests_properties(image_container_build PROPERTIES
		FIXTURES_SETUP xr_oci LABELS image TIMEOUT 1800 RUN_SERIAL ON)
	set_tests_properties(image_container PROPERTIES
		FIXTURES_REQUIRED xr_oci LABELS image TIMEOUT 600
		SKIP_RETURN_CODE 77)
	set_tests_properties(image_iso_build PROPERTIES
		FIXTURES_SETUP xr_iso LABELS image TIMEOUT 3600 RUN_SERIAL ON)
	set_tests_properties(image_iso_boot PROPERTIES
		FIXTURES_REQUIRED xr_iso LABELS image TIMEOUT 1800 RUN_SERIAL ON
		SKIP_RETURN_CODE 77)
endif()

# 802.1Q in the appliance VM (tests/image/test_iso_vlan.py): two VLANs of
# one trunk routed by XDP, and the same pings with XDP detached.
if(XR_IMAGE_TESTS)
	add_test(NAME image_iso_vlan
		COMMAND /usr/bin/python3 ${XR_IMG_DIR}/test_iso_vlan.py
			${XR_IMG_OUT}/xdp-router.iso)
	set_tests_properties(image_iso_vlan PROPERTIES
		FIXTURES_REQUIRED xr_iso LABELS image TIMEOUT 1800 RUN_SERIAL ON
		SKIP_RETURN_CODE 77)
endif()
