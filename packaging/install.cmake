# What `cmake --install` puts in a prefix, and the .deb CPack makes of it
# (docs/design.md §5 has the layout):
#   bin/proclab
#   share/proclab/scenarios/           the shipped library, found from bin/ (runner/os/self_location.h)
#   share/doc/proclab/                 README.md and docs/
#   share/man/man1/proclab.1.gz        generated from the binary's own --help
#   share/bash-completion/completions/proclab
#   share/zsh/vendor-completions/_proclab
# The man page and completions are generated at build time by running the
# freshly built binary (packaging/generate), so they cannot drift from it.
include(GNUInstallDirs)

set(PROCLAB_GENERATED ${CMAKE_BINARY_DIR}/packaging)
set(PROCLAB_MAN_PAGE ${PROCLAB_GENERATED}/proclab.1.gz)
set(PROCLAB_BASH_COMPLETION ${PROCLAB_GENERATED}/bash-completion/proclab)
set(PROCLAB_ZSH_COMPLETION ${PROCLAB_GENERATED}/zsh/_proclab)
file(GLOB PROCLAB_GENERATOR_SOURCES CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/packaging/*.py ${PROJECT_SOURCE_DIR}/packaging/generate)
add_custom_command(
  OUTPUT ${PROCLAB_MAN_PAGE} ${PROCLAB_BASH_COMPLETION} ${PROCLAB_ZSH_COMPLETION}
  # A sanitized build's --help must not fail on LeakSanitizer's exit report.
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/packaging/generate
          --binary $<TARGET_FILE:proclab> --man ${PROCLAB_MAN_PAGE}
          --bash ${PROCLAB_BASH_COMPLETION} --zsh ${PROCLAB_ZSH_COMPLETION}
  DEPENDS proclab ${PROCLAB_GENERATOR_SOURCES}
  COMMENT "Generating the man page and shell completions from proclab --help")
add_custom_target(proclab_cli_docs ALL DEPENDS
  ${PROCLAB_MAN_PAGE} ${PROCLAB_BASH_COMPLETION} ${PROCLAB_ZSH_COMPLETION})

install(TARGETS proclab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/proclab/scenarios
  PATTERN __pycache__ EXCLUDE PATTERN "*.pyc" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
install(FILES ${PROCLAB_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROCLAB_BASH_COMPLETION}
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# Debian's zsh reads vendor-completions; for another prefix, add this folder
# to fpath.
install(FILES ${PROCLAB_ZSH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# `cpack -G DEB` in the build folder. Depends: the runtime libraries as
# dpkg-shlibdeps finds them in the binary (fmt, yaml, lua5.4, pcre2, pugixml,
# libarchive, libstdc++, libc), plus what the shipped library runs: a C
# compiler with libc headers (its .c programs are compiled at run time,
# runner/run/c_programs.h) and python3.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME proclab)
set(CPACK_PACKAGE_VENDOR proclab)
set(CPACK_PACKAGE_CONTACT "proclab developers <proclab@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "test lab for Unix process behaviour")
set(CPACK_PACKAGE_DESCRIPTION
  "proclab runs programs, or scenario files describing processes, stimuli and
expectations, against real forked processes. It records every fork, exec,
signal, output line, exit, reap and adoption in a timeline, and judges
expectations against that timeline. It ships a library of scenarios that
teach process behaviour, and grades classes of submissions.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "gcc | c-compiler, libc6-dev | libc-dev, python3")
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
include(CPack)
