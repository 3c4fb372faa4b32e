# SPDX-License-Identifier: GPL-2.0-only
# add_bpf_object(NAME SOURCE [DEFINES D=V...] [DEPENDS headers...])
# Compiles SOURCE (with -DD=V for each of DEFINES: one source, several
# builds) with clang for the BPF target into NAME.bpf.o and generates
# NAME.skel.h with bpftool. Both land in the current binary dir; the target
# NAME_skel is an INTERFACE library that adds that dir to the include path.
find_program(BPF_CLANG clang REQUIRED)
find_program(BPFTOOL bpftool PATHS /usr/sbin /usr/local/sbin REQUIRED)

execute_process(COMMAND uname -m OUTPUT_VARIABLE XR_ARCH
	OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REPLACE "x86_64" "x86" XR_BPF_ARCH "${XR_ARCH}")
string(REPLACE "aarch64" "arm64" XR_BPF_ARCH "${XR_BPF_ARCH}")

function(add_bpf_object name source)
	cmake_parse_arguments(ARG "" "" "DEFINES;DEPENDS" ${ARGN})
	list(TRANSFORM ARG_DEFINES PREPEND -D)
	set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.bpf.o)
	set(skel ${CMAKE_CURRENT_BINARY_DIR}/${name}.skel.h)
	add_custom_command(OUTPUT ${obj}
		COMMAND ${BPF_CLANG} -target bpf -O2 -g -Wall -Werror
			-D__TARGET_ARCH_${XR_BPF_ARCH} ${ARG_DEFINES}
			-I/usr/include/${XR_ARCH}-linux-gnu
			-I${CMAKE_SOURCE_DIR}/bpf
			-c ${CMAKE_CURRENT_SOURCE_DIR}/${source} -o ${obj}
		DEPENDS ${source} ${ARG_DEPENDS}
		COMMENT "BPF ${name}.bpf.o")
	add_custom_command(OUTPUT ${skel}
		COMMAND ${BPFTOOL} gen skeleton ${obj} name ${name} > ${skel}
		DEPENDS ${obj}
		COMMENT "skeleton ${name}.skel.h")
	add_custom_target(${name}_bpf DEPENDS ${obj} ${skel})
	add_library(${name}_skel INTERFACE)
	add_dependencies(${name}_skel ${name}_bpf)
	target_include_directories(${name}_skel INTERFACE
		${CMAKE_CURRENT_BINARY_DIR} ${CMAKE_SOURCE_DIR}/bpf)
endfunction()
