# reel_add_unit_test(<name> SOURCES ... LIBS ...): a GoogleTest executable whose cases ctest
# runs one by one, labelled "unit". `ninja unit_tests` builds them all and nothing else (the
# asan preset builds only these).
if(REEL_TESTS AND NOT TARGET unit_tests)
  add_custom_target(unit_tests)
endif()
function(reel_add_unit_test name)
  if(NOT REEL_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        reel::warnings)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
  add_dependencies(unit_tests ${name})
endfunction()
