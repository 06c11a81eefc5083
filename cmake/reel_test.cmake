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
# The e2e-engines run's pair (fixture "mariadb-pair"): a primary and a replica replicating
# from it, as `scripts/cluster start --engines` runs them, in the layout --engines-from
# reads (<dir>/mariadb-primary, <dir>/mariadb-replica). Every cluster test uses it with a
# database prefix of its own (tests/e2e/reel_server.cpp).
set(REEL_TEST_MARIADB_PAIR_DIR "${CMAKE_BINARY_DIR}/test-engines/pair")
# The suite's Redis (fixture "redis"), the same way: for the tests that ask for it
# (reel_add_unit_test(... ENGINE redis)); they find it through REEL_TEST_REDIS_DIR
# (kit/redis/testing/test_redis.hpp).
set(REEL_TEST_REDIS_DIR "${CMAKE_BINARY_DIR}/test-engines/redis")
set(REEL_TEST_REDIS_PROPERTIES FIXTURES_REQUIRED redis
    ENVIRONMENT "REEL_TEST_REDIS_DIR=${REEL_TEST_REDIS_DIR}")
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

  set(pair "${REEL_TEST_MARIADB_PAIR_DIR}")
  set(engines "${PROJECT_SOURCE_DIR}/scripts/engines")
  add_test(NAME engines.mariadb-pair.start
           COMMAND sh -c "'${engines}' mariadb start '${pair}/mariadb-primary' && '${engines}' mariadb start '${pair}/mariadb-replica' --replica-of '${pair}/mariadb-primary'")
  set_tests_properties(engines.mariadb-pair.start PROPERTIES FIXTURES_SETUP mariadb-pair
                       LABELS engines TIMEOUT 120)
  add_test(NAME engines.mariadb-pair.stop
           COMMAND sh -c "'${engines}' mariadb stop '${pair}/mariadb-replica'; '${engines}' mariadb stop '${pair}/mariadb-primary' && rm -rf '${pair}'")
  set_tests_properties(engines.mariadb-pair.stop PROPERTIES FIXTURES_CLEANUP mariadb-pair
                       LABELS engines)

  add_test(NAME engines.redis.start
           COMMAND ${engines} redis start ${REEL_TEST_REDIS_DIR})
  set_tests_properties(engines.redis.start PROPERTIES FIXTURES_SETUP redis LABELS engines)
  add_test(NAME engines.redis.stop
           COMMAND sh -c "'${engines}' redis stop '${REEL_TEST_REDIS_DIR}' && rm -rf '${REEL_TEST_REDIS_DIR}'")
  set_tests_properties(engines.redis.stop PROPERTIES FIXTURES_CLEANUP redis LABELS engines)
endfunction()
# ENGINE names the suite server the tests need: mariadb (the default) or redis. One only:
# gtest_discover_tests flattens list-valued properties, so two fixtures or two ENVIRONMENT
# entries would reach set_tests_properties as stray arguments.
function(reel_add_unit_test name)
  if(NOT REEL_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "ENGINE" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_ENGINE OR ARG_ENGINE STREQUAL "mariadb")
    set(engine_properties ${REEL_TEST_MARIADB_PROPERTIES})
  elseif(ARG_ENGINE STREQUAL "redis")
    set(engine_properties ${REEL_TEST_REDIS_PROPERTIES})
  else()
    message(FATAL_ERROR "reel_add_unit_test(${name}): unknown ENGINE ${ARG_ENGINE}")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        reel::warnings)
  gtest_discover_tests(${name} PROPERTIES LABELS unit ${engine_properties}
                       DISCOVERY_TIMEOUT 30)
  add_dependencies(unit_tests ${name})
endfunction()

# The suite's S3 server (scripts/engines s3: s3rver), as the ctest fixture "s3". Unlike the
# MariaDB fixture it is not given to every unit test: only tests added with
# reel_add_s3_test() require it, and find it through REEL_TEST_S3_DIR (port, bucket,
# credentials).
set(REEL_TEST_S3_DIR "${CMAKE_BINARY_DIR}/test-engines/s3")
function(reel_add_s3_fixture)
  if(NOT REEL_TESTS)
    return()
  endif()
  set(engines "${PROJECT_SOURCE_DIR}/scripts/engines")
  add_test(NAME engines.s3.start COMMAND ${engines} s3 start ${REEL_TEST_S3_DIR})
  set_tests_properties(engines.s3.start PROPERTIES FIXTURES_SETUP s3 LABELS engines TIMEOUT 120)
  add_test(NAME engines.s3.stop
           COMMAND sh -c "'${engines}' s3 stop '${REEL_TEST_S3_DIR}' && rm -rf '${REEL_TEST_S3_DIR}'")
  set_tests_properties(engines.s3.stop PROPERTIES FIXTURES_CLEANUP s3 LABELS engines)
endfunction()

# reel_add_s3_test(<name> SOURCES ... LIBS ...): a GoogleTest executable, labelled "unit",
# whose cases run against the suite's s3rver (fixture "s3").
function(reel_add_s3_test name)
  if(NOT REEL_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        reel::warnings)
  gtest_discover_tests(${name} PROPERTIES LABELS unit FIXTURES_REQUIRED s3
                       ENVIRONMENT "REEL_TEST_S3_DIR=${REEL_TEST_S3_DIR}" DISCOVERY_TIMEOUT 30)
  add_dependencies(unit_tests ${name})
endfunction()
