# reel_add_unit_test(<name> SOURCES ... LIBS ...): a GoogleTest executable whose cases ctest
# runs one by one, labelled "unit".
function(reel_add_unit_test name)
  if(NOT REEL_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        reel::warnings)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
endfunction()
