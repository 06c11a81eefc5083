# reel_add_unit_test(<name> SOURCES ... LIBS ...): a GoogleTest executable whose cases ctest
# runs one by one, labelled "unit". `ninja unit_tests` builds them all and nothing else (the
# asan preset builds only these).
if(REEL_TESTS AND NOT TARGET unit_tests)
  add_custom_target(unit_tests)
endif()

# The suite's MariaDB (scripts/engines): started once per ctest run before the tests that
# need it and stopped after them, as the ctest fixture "mariadb". Store tests create a
# database of their own on it (kit/db/testing/test_database.hpp), so they run in parallel.
set(REEL_TEST_MARIADB_DIR "${CMAKE_BINARY_DIR}/test-engines/mariadb")
set(REEL_TEST_MARIADB_PROPERTIES FIXTURES_REQUIRED mariadb
    ENVIRONMENT "REEL_TEST_MYSQL_DIR=${REEL_TEST_MARIADB_DIR}")
function(reel_add_engine_fixtures)
  if(NOT REEL_TESTS)
    return()
  endif()
  add_test(NAME engines.mariadb.start
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/engines mariadb start ${REEL_TEST_MARIADB_DIR})
  set_tests_properties(engines.mariadb.start PROPERTIES FIXTURES_SETUP mariadb LABELS engines)
  add_test(NAME engines.mariadb.stop
           COMMAND sh -c "'${PROJECT_SOURCE_DIR}/scripts/engines' mariadb stop '${REEL_TEST_MARIADB_DIR}' && rm -rf '${REEL_TEST_MARIADB_DIR}'")
  set_tests_properties(engines.mariadb.stop PROPERTIES FIXTURES_CLEANUP mariadb LABELS engines)
endfunction()
function(reel_add_unit_test name)
  if(NOT REEL_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        reel::warnings)
  gtest_discover_tests(${name} PROPERTIES LABELS unit ${REEL_TEST_MARIADB_PROPERTIES}
                       DISCOVERY_TIMEOUT 30)
  add_dependencies(unit_tests ${name})
endfunction()
