# Redis Streams driver (the cluster's default): consumer groups, one member per partition at a
# time through leases, dead letters in a stream per group. Over kit/redis's client.
add_library(reel_kit_bus_redis redis_stream_bus.cpp)
add_library(reel::kit_bus_redis ALIAS reel_kit_bus_redis)
target_link_libraries(reel_kit_bus_redis PUBLIC reel::kit_bus reel::kit_redis
                                         PRIVATE reel::kit_log reel::warnings)
# Against the suite's redis-server (fixture "redis"); the fault tests run servers of their own.
if(REEL_TESTS)
  reel_add_unit_test(reel_kit_bus_redis_tests ENGINE redis
    SOURCES redis_stream_bus_test.cpp redis_stream_bus_fault_test.cpp
    LIBS reel::kit_bus_redis reel::kit_redis_testing)
endif()
