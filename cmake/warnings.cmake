# Warnings travel on an INTERFACE target so every library opts in the same way.
add_library(zkagent_warnings INTERFACE)
target_compile_options(zkagent_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(ZKAGENT_WERROR)
  target_compile_options(zkagent_warnings INTERFACE -Werror)
endif()
# GCC 12 reports -Wrestrict false positives inside libstdc++ string concatenation at -O2
# (GCC bug 105329): not fatal there. -Wnull-dereference is left out: at -O2 it fires
# inside inlined Boost.Asio and Program_options code, never ours.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(zkagent_warnings INTERFACE -Wno-error=restrict)
endif()
