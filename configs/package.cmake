# SPDX-License-Identifier: GPL-2.0-only
# The Debian package: `cpack -G DEB` in a build dir (images/build-deb.sh).
# Installs the binaries and the CLI's man page (their own install() rules),
# and from here the daemon's man page, the unit, the daemon's config (a
# conffile), the FRR wiring as examples plus the helper that applies it
# when the operator asks, and the operator docs. Nothing in /etc/frr.
set(XR_CONFIGS ${CMAKE_CURRENT_LIST_DIR})
set(XR_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/xdp-router)

install(FILES ${XR_CONFIGS}/xdp-router.conf DESTINATION /etc/xdp-router)
install(FILES ${XR_CONFIGS}/systemd/xdp-routerd.service
	DESTINATION lib/systemd/system)
install(FILES ${XR_CONFIGS}/systemd/xdp-router.tmpfiles
	DESTINATION lib/tmpfiles.d RENAME xdp-router.conf)
install(PROGRAMS ${XR_CONFIGS}/frr/xdp-router-frr-setup
	DESTINATION ${CMAKE_INSTALL_SBINDIR})
install(FILES ${XR_CONFIGS}/man/xdp-routerd.8
	${XR_CONFIGS}/man/xdp-router-frr-setup.8
	DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${XR_CONFIGS}/frr/daemons.xdp-router
	${XR_CONFIGS}/frr/frr.conf.example
	${XR_CONFIGS}/xdp-router.conf
	DESTINATION ${XR_DOCDIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/docs/appliance.md
	${PROJECT_SOURCE_DIR}/docs/operations.md
	${PROJECT_SOURCE_DIR}/docs/architecture.md
	${XR_CONFIGS}/deb/copyright
	DESTINATION ${XR_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME xdp-router)
set(CPACK_PACKAGE_VENDOR xdp-router)
set(CPACK_PACKAGE_CONTACT "xdp-router maintainers <xdp-router@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
	"XDP/eBPF software router with FRRouting as its control plane")
# The summary above is the first line; this is the extended description.
set(CPACK_PACKAGE_DESCRIPTION
	"zebra streams its FIB over FPM to xdp-routerd, which compiles it with the
kernel's neighbours into pinned BPF maps read by an XDP program. What the
fast path cannot forward goes to the Linux stack, which keeps every route.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/xdp-router/xdp-router")
# dpkg-shlibdeps names the shared libraries' packages as Debian ships them
# (libbpf1, libnl-3-200, libnl-route-3-200, libnl-genl-3-200,
# libevent-2.1-7 (trixie's libevent-2.1-7t64 provides it), libprotobuf-c1,
# libjson-c5, libc6); the rest is the control plane and what the unit and
# the helper run.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "frr (>= 8.1), iproute2, mount")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bpftool, ethtool")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
	${XR_CONFIGS}/deb/conffiles
	${XR_CONFIGS}/deb/postinst
	${XR_CONFIGS}/deb/prerm
	${XR_CONFIGS}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
