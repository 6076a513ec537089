# c-ares, the DNS resolver `zkagent start` waits for its own name with (entrypoint/dns_wait.cpp).
# The binary is static and static glibc cannot resolve names without NSS libraries at run time;
# c-ares reads /etc/resolv.conf and /etc/hosts itself and speaks DNS over its own sockets.
# Debian's libc-ares-dev 1.18 ships a static libcares.a (built position-independent, so test
# executables linked as PIE take it too) and no CMake package: this module finds the archive.
#
#   find_package(Cares 1.18 REQUIRED)  ->  Cares::cares (IMPORTED, the static archive)
#
# Linking it statically prints two glibc warnings, for getservbyname (ares_getaddrinfo, only with a
# service name) and getservbyport_r (ares_getnameinfo): zkagent passes no service name and calls no
# getnameinfo, so neither runs; they are harmless.
find_path(CARES_INCLUDE_DIR ares.h)
find_library(CARES_LIBRARY NAMES libcares.a)
if(CARES_INCLUDE_DIR AND EXISTS "${CARES_INCLUDE_DIR}/ares_version.h")
  file(STRINGS "${CARES_INCLUDE_DIR}/ares_version.h" _cares_version_line REGEX "^#define ARES_VERSION_STR \"[^\"]*\"")
  string(REGEX REPLACE "^#define ARES_VERSION_STR \"([^\"]*)\".*" "\\1" Cares_VERSION "${_cares_version_line}")
  unset(_cares_version_line)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Cares
  REQUIRED_VARS CARES_LIBRARY CARES_INCLUDE_DIR
  VERSION_VAR Cares_VERSION
  REASON_FAILURE_MESSAGE "install libc-ares-dev (scripts/install-deps): the static libcares.a is needed")
mark_as_advanced(CARES_INCLUDE_DIR CARES_LIBRARY)

if(Cares_FOUND AND NOT TARGET Cares::cares)
  add_library(Cares::cares STATIC IMPORTED)
  set_target_properties(Cares::cares PROPERTIES
    IMPORTED_LOCATION "${CARES_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CARES_INCLUDE_DIR}"
    # ares.h: the library is linked statically (no symbol decorations).
    INTERFACE_COMPILE_DEFINITIONS CARES_STATICLIB)
endif()
