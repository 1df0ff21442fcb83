# Runs one libFuzzer target for SECONDS over CORPUS, seeded from TORTURE_DIR and SEED_DIR.
# cmake -DFUZZER=... -DCORPUS=... -DTORTURE_DIR=... -DSEED_DIR=... -DSECONDS=15 -P run_fuzzer.cmake
foreach(var FUZZER CORPUS TORTURE_DIR SEED_DIR SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzzer.cmake: ${var} is not set")
  endif()
endforeach()

if(NOT EXISTS "${FUZZER}")
  message(FATAL_ERROR "${FUZZER} is not built (cmake --build <dir> --target <fuzz target>)")
endif()

file(GLOB torture_files "${TORTURE_DIR}/*.dat")
if(NOT IS_DIRECTORY "${TORTURE_DIR}" OR NOT torture_files)
  message(FATAL_ERROR
    "RFC 4475 torture messages not found in ${TORTURE_DIR}: the fuzz corpus is seeded from "
    "shared/torture/rfc4475 beside the project root (set CCSIP_TORTURE_DIR to move it)")
endif()

# The corpus lives in the build dir: libFuzzer adds the inputs it finds interesting to it, so
# later runs start from where earlier ones stopped.
file(MAKE_DIRECTORY "${CORPUS}")
file(COPY ${torture_files} DESTINATION "${CORPUS}")
file(GLOB seed_files "${SEED_DIR}/*")
if(seed_files)
  file(COPY ${seed_files} DESTINATION "${CORPUS}")
endif()

get_filename_component(name "${FUZZER}" NAME)
get_filename_component(work "${CORPUS}" DIRECTORY)
execute_process(
  COMMAND "${FUZZER}" "${CORPUS}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
          -max_len=8192 -print_final_stats=1 -artifact_prefix=${work}/${name}-
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${name} failed (exit ${result}); the crashing input is in ${work}/${name}-*")
endif()
