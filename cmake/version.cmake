# The version has one source: project(VERSION). It reaches the code through a generated header.
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.hpp.in ${PROJECT_BINARY_DIR}/generated/zkagent/version.hpp @ONLY)
add_library(zkagent_version INTERFACE)
target_include_directories(zkagent_version INTERFACE ${PROJECT_BINARY_DIR}/generated)
