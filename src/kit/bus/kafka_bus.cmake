# Kafka driver of the bus (librdkafka's C API); its tests run against librdkafka's own mock
# cluster (rdkafka_mock.h), so they need no broker.
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
add_library(reel_kit_bus_kafka kafka_bus.cpp)
add_library(reel::kit_bus_kafka ALIAS reel_kit_bus_kafka)
target_link_libraries(reel_kit_bus_kafka PUBLIC reel::kit_bus
                                         PRIVATE PkgConfig::RDKAFKA reel::kit_log reel::warnings)
if(REEL_TESTS)
  reel_add_unit_test(reel_kit_bus_kafka_tests
    SOURCES kafka_bus_test.cpp
    LIBS reel::kit_bus_kafka PkgConfig::RDKAFKA)
endif()
