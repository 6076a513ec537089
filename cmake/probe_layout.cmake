# How the static zkagent is laid out on disk, for the exec probes (`zkagent live`/`ready`, a new process
# every few seconds). On the VMs measured, each page fault costs 15-25 µs, and a probe's startup takes
# most of its excess over a bare C client in faults (BENCHMARKS.md):
#
#   ZKAGENT_STRIP=ON      the Release binary is linked stripped (-s): the one binary built is the one
#                         shipped (image, install, bench), and it takes fewer faults than with its symbol
#                         tables (measured: 84 against 95 for `live`). Debug, RelWithDebInfo and sanitizer
#                         builds keep their symbols.
#   probe_order.txt       with lld, the functions a probe runs are placed together at the front of .text
#                         (--symbol-ordering-file), so startup touches fewer 64 KiB windows of code (74
#                         faults against 84 with GNU ld). Regenerate with scripts/probe-order after changes
#                         to the probe path; a stale list costs speed, never correctness. Without lld the
#                         link falls back to the default linker.
option(ZKAGENT_STRIP "Link the static Release binary stripped (the shipped artefact)" ON)

include(CheckLinkerFlag)
check_linker_flag(CXX "-fuse-ld=lld" ZKAGENT_HAVE_LLD)

# Applies the layout to the executable `target` (static builds only).
function(zkagent_probe_layout target)
  if(NOT ZKAGENT_STATIC)
    return()
  endif()
  if(ZKAGENT_STRIP)
    target_link_options(${target} PRIVATE $<$<CONFIG:Release,MinSizeRel>:-s>)
  endif()
  if(ZKAGENT_HAVE_LLD)
    set(order ${PROJECT_SOURCE_DIR}/cli/probe_order.txt)
    target_link_options(${target} PRIVATE -fuse-ld=lld -Wl,--symbol-ordering-file=${order}
      -Wl,--no-warn-symbol-ordering)
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${order})
  else()
    message(STATUS "lld not found: zkagent is linked without the probe layout (slower exec probes)")
  endif()
endfunction()
