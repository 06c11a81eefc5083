# REEL_FUZZ=ON: a clang build of the libraries that parse requests, instrumented for
# libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer, plus the fuzz targets of
# tests/fuzz. Nothing else is configured (no services, no gRPC, no unit tests), so a clean
# build stays small. scripts/fuzz configures it in build/fuzz and runs the targets.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "REEL_FUZZ needs clang for libFuzzer: -DCMAKE_CXX_COMPILER=clang++")
endif()

set(REEL_TESTS OFF)
include(cmake/reel_test.cmake)

# Every object is instrumented (coverage for the fuzzer, ASan, UBSan); the targets add
# -fsanitize=fuzzer at link time (tests/fuzz/CMakeLists.txt). UBSan stops at its first
# report instead of printing and going on, so the fuzzer sees it as a crash.
add_compile_options(-O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
# Known harmless reports in third-party headers (each explained in the file).
add_compile_options(-fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/tests/fuzz/ubsan_ignorelist.txt)
# clang warns where rapidjson 1.1's iterators meet C++20's reversed comparison operators
# (iterating a document in our code); g++ does not, and the header is not ours to fix.
add_compile_options(-Wno-ambiguous-reversed-operator)

include(cmake/kit_dependencies.cmake)

add_subdirectory(src/kit)
# The server itself (Beast, C++20 coroutines) parses nothing the targets reach, and Boost
# 1.74's Asio does not enable coroutines under clang with libstdc++: leave it out.
get_target_property(reel_kit_http_sources reel_kit_http SOURCES)
list(FILTER reel_kit_http_sources EXCLUDE REGEX "(^|/)http/server\\.cpp$")
set_target_properties(reel_kit_http PROPERTIES SOURCES "${reel_kit_http_sources}")
add_subdirectory(src/feed)
add_subdirectory(tests/fuzz)
