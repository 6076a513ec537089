# Sanitizer and fuzzer builds: a separate configuration (ASan and -static do not mix), clang only.
#
#   ZKAGENT_SANITIZE=ON  every target compiled and linked with AddressSanitizer + UndefinedBehaviorSanitizer,
#                        UBSan halting on the first report; turns ZKAGENT_STATIC off.
#   ZKAGENT_FUZZ=ON      also the libFuzzer harnesses in tests/fuzz (implies ZKAGENT_SANITIZE): the libraries
#                        get coverage instrumentation (-fsanitize=fuzzer-no-link), the harnesses libFuzzer's main.
#
# One clang build directory serves both (scripts/sanitize and scripts/fuzz share build-clang).
# The flags travel on two INTERFACE targets: zkagent_sanitizers (on every target of the build, through
# link_libraries below) and zkagent_fuzzer (on the harnesses only).
option(ZKAGENT_SANITIZE "Build everything with ASan + UBSan (clang or GCC; not static)" OFF)
option(ZKAGENT_FUZZ "Build the libFuzzer harnesses in tests/fuzz (clang only; implies ZKAGENT_SANITIZE)" OFF)

if(ZKAGENT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ZKAGENT_FUZZ=ON needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(ZKAGENT_SANITIZE ON)
endif()

add_library(zkagent_sanitizers INTERFACE)
add_library(zkagent_fuzzer INTERFACE)

if(ZKAGENT_SANITIZE)
  if(ZKAGENT_STATIC)
    message(STATUS "ZKAGENT_SANITIZE=ON: ZKAGENT_STATIC turned off (ASan and -static do not mix)")
    set(ZKAGENT_STATIC OFF)  # for this configuration only; the cached choice stays as it was
  endif()
  set(sanitize_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(zkagent_sanitizers INTERFACE ${sanitize_flags} -g)
  target_link_options(zkagent_sanitizers INTERFACE ${sanitize_flags})
  if(ZKAGENT_FUZZ)
    # Coverage feedback from every library the harnesses call, not only from the harness itself.
    target_compile_options(zkagent_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
    target_compile_options(zkagent_fuzzer INTERFACE -fsanitize=fuzzer)
    target_link_options(zkagent_fuzzer INTERFACE -fsanitize=fuzzer)
  endif()
  # Every target created after this point (libraries, the binary, tests, helpers) carries the flags:
  # an uninstrumented library in an ASan process hides the bugs it has.
  link_libraries(zkagent_sanitizers)
endif()
