# All dependencies come from Debian packages; nothing is fetched at configure time.
set(Boost_USE_STATIC_LIBS ON)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(Threads REQUIRED)

# c-ares (static libcares.a): the DNS resolver for `start --dns-wait`; see cmake/FindCares.cmake.
list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR})
find_package(Cares 1.18 REQUIRED)

# nlohmann-json (header-only): the AdminServer's JSON replies, parsed without recursing on the input.
find_package(nlohmann_json 3.11 REQUIRED)

# Debian ships spdlog and fmt without static archives, and its spdlog::spdlog_header_only
# target drags in the shared libfmt. Use both header-only so the binary stays static.
find_path(SPDLOG_INCLUDE_DIR spdlog/spdlog.h REQUIRED)
find_path(FMT_INCLUDE_DIR fmt/format.h REQUIRED)
add_library(zkagent_logging INTERFACE)
target_include_directories(zkagent_logging SYSTEM INTERFACE ${SPDLOG_INCLUDE_DIR} ${FMT_INCLUDE_DIR})
target_compile_definitions(zkagent_logging INTERFACE FMT_HEADER_ONLY=1 SPDLOG_FMT_EXTERNAL=1)

if(ZKAGENT_BUILD_TESTS)
  find_package(GTest 1.12 REQUIRED)
endif()
