# reel_add_unit_test(<name> SOURCES ... LIBS ...): a GoogleTest executable whose cases ctest
# runs one by one, labelled "unit". `ninja unit_tests` builds them all and nothing else (the
# asan preset builds only these).
if(REEL_TESTS AND NOT TARGET unit_tests)
  add_custom_target(unit_tests)
endif()

# The suite's servers (scripts/engines), each started once per ctest run before the tests
# that need it and stopped after them, as a ctest fixture of the engine's name:
# - "mariadb": given to every unit test. Store tests create a database of their own on it
#   (kit/db/testing/test_database.hpp), so they run in parallel; found through
#   REEL_TEST_MYSQL_DIR.
# - "redis" and "s3": for the tests that ask (reel_add_unit_test(... ENGINE redis|s3)),
#   found through REEL_TEST_REDIS_DIR (kit/redis/testing/test_redis.hpp) and REEL_TEST_S3_DIR
#   (port, bucket, credentials).
# - "cluster-engines", the e2e-engines run's: what `scripts/cluster start --engines` runs (a
#   MariaDB primary and a replica replicating from it, Redis, s3rver), in the layout
#   --engines-from reads (<dir>/mariadb-primary, mariadb-replica, redis, s3). Every cluster
#   test uses them with a database prefix of its own (tests/e2e/reel_server.cpp), which also
#   separates its Redis keys and its media bucket.
set(REEL_TEST_MARIADB_DIR "${CMAKE_BINARY_DIR}/test-engines/mariadb")
set(REEL_TEST_MARIADB_PROPERTIES FIXTURES_REQUIRED mariadb
    ENVIRONMENT "REEL_TEST_MYSQL_DIR=${REEL_TEST_MARIADB_DIR}")
set(REEL_TEST_REDIS_DIR "${CMAKE_BINARY_DIR}/test-engines/redis")
set(REEL_TEST_REDIS_PROPERTIES FIXTURES_REQUIRED redis
    ENVIRONMENT "REEL_TEST_REDIS_DIR=${REEL_TEST_REDIS_DIR}")
set(REEL_TEST_S3_DIR "${CMAKE_BINARY_DIR}/test-engines/s3")
set(REEL_TEST_S3_PROPERTIES FIXTURES_REQUIRED s3
    ENVIRONMENT "REEL_TEST_S3_DIR=${REEL_TEST_S3_DIR}")
set(REEL_TEST_CLUSTER_ENGINES_DIR "${CMAKE_BINARY_DIR}/test-engines/cluster")

# engines.<engine>.start / .stop: one server of `engine` in `dir`, the fixture <engine>.
function(reel_add_engine_fixture engine dir)
  set(engines "${PROJECT_SOURCE_DIR}/scripts/engines")
  add_test(NAME engines.${engine}.start COMMAND ${engines} ${engine} start ${dir})
  set_tests_properties(engines.${engine}.start PROPERTIES FIXTURES_SETUP ${engine}
                       LABELS engines TIMEOUT 120)
  add_test(NAME engines.${engine}.stop
           COMMAND sh -c "'${engines}' ${engine} stop '${dir}' && rm -rf '${dir}'")
  set_tests_properties(engines.${engine}.stop PROPERTIES FIXTURES_CLEANUP ${engine}
                       LABELS engines)
endfunction()

function(reel_add_engine_fixtures)
  if(NOT REEL_TESTS)
    return()
  endif()
  reel_add_engine_fixture(mariadb "${REEL_TEST_MARIADB_DIR}")
  reel_add_engine_fixture(redis "${REEL_TEST_REDIS_DIR}")
  reel_add_engine_fixture(s3 "${REEL_TEST_S3_DIR}")

  set(dir "${REEL_TEST_CLUSTER_ENGINES_DIR}")
  set(engines "${PROJECT_SOURCE_DIR}/scripts/engines")
  add_test(NAME engines.cluster-engines.start
           COMMAND sh -c "'${engines}' mariadb start '${dir}/mariadb-primary' && '${engines}' mariadb start '${dir}/mariadb-replica' --replica-of '${dir}/mariadb-primary' && '${engines}' redis start '${dir}/redis' --durable && '${engines}' s3 start '${dir}/s3'")
  set_tests_properties(engines.cluster-engines.start PROPERTIES FIXTURES_SETUP cluster-engines
                       LABELS engines TIMEOUT 180)
  add_test(NAME engines.cluster-engines.stop
           COMMAND sh -c "'${engines}' s3 stop '${dir}/s3'; '${engines}' redis stop '${dir}/redis'; '${engines}' mariadb stop '${dir}/mariadb-replica'; '${engines}' mariadb stop '${dir}/mariadb-primary' && rm -rf '${dir}'")
  set_tests_properties(engines.cluster-engines.stop PROPERTIES FIXTURES_CLEANUP cluster-engines
                       LABELS engines)
endfunction()

# ENGINE names the suite server the tests need: mariadb (the default), redis or s3. One only:
# gtest_discover_tests flattens list-valued properties, so two fixtures or two ENVIRONMENT
# entries would reach set_tests_properties as stray arguments.
function(reel_add_unit_test name)
  if(NOT REEL_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "ENGINE" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_ENGINE)
    set(ARG_ENGINE mariadb)
  endif()
  string(TOUPPER "${ARG_ENGINE}" engine)
  if(NOT DEFINED REEL_TEST_${engine}_PROPERTIES)
    message(FATAL_ERROR "reel_add_unit_test(${name}): unknown ENGINE ${ARG_ENGINE}")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        reel::warnings)
  gtest_discover_tests(${name} PROPERTIES LABELS unit ${REEL_TEST_${engine}_PROPERTIES}
                       DISCOVERY_TIMEOUT 30)
  add_dependencies(unit_tests ${name})
endfunction()

