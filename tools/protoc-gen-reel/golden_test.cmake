# protoc-gen-reel's tests, run by ctest (see CMakeLists.txt):
#   cmake -DMODE=golden|refused -DPROTOC=<protoc> -DPLUGIN=<protoc-gen-reel>
#         -DTESTDATA=<testdata dir> -DOUT=<scratch dir> [-DUPDATE=ON] -P golden_test.cmake
# golden: the glue generated from shop/v1/shop.proto must equal expected/shop/api/*.golden
#   byte for byte; UPDATE=ON rewrites those files instead (read the diff before committing).
# refused: each proto in refused/ must make protoc fail, with the text its first line gives
#   after "// refused: " in the error, and write nothing.
foreach(var MODE PROTOC PLUGIN TESTDATA OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "golden_test.cmake needs -D${var}=...")
  endif()
endforeach()

file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})

function(run_plugin proto out_var err_var)
  execute_process(
    COMMAND ${PROTOC} --proto_path=${TESTDATA} --plugin=protoc-gen-reel=${PLUGIN}
            --reel_out=${OUT} ${TESTDATA}/${proto}
    RESULT_VARIABLE result ERROR_VARIABLE error)
  set(${out_var} ${result} PARENT_SCOPE)
  set(${err_var} "${error}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "golden")
  run_plugin(shop/v1/shop.proto result error)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "protoc-gen-reel failed on shop.proto (${result}):\n${error}")
  endif()
  set(failed "")
  foreach(name shop_client.hpp shop_grpc_service.hpp shop_grpc_service.cpp shop_grpc_client.hpp
               shop_grpc_client.cpp)
    set(actual ${OUT}/shop/api/${name})
    set(expected ${TESTDATA}/expected/shop/api/${name}.golden)
    if(UPDATE)
      file(COPY_FILE ${actual} ${expected})
      continue()
    endif()
    execute_process(COMMAND diff -u ${expected} ${actual} RESULT_VARIABLE differs
                    OUTPUT_VARIABLE diff)
    if(NOT differs EQUAL 0)
      message("${diff}")
      list(APPEND failed ${name})
    endif()
  endforeach()
  if(failed)
    message(FATAL_ERROR "generated glue differs from the golden files: ${failed}")
  endif()
elseif(MODE STREQUAL "refused")
  # Listed, not globbed: a new case is a new line here.
  foreach(proto no_service no_version service_name elsewhere two_services streaming idempotent)
    set(file ${TESTDATA}/refused/${proto}.proto)
    file(READ ${file} text)
    if(NOT text MATCHES "^// refused: ([^\n]+)")
      message(FATAL_ERROR "${proto}.proto does not start with // refused: <reason>")
    endif()
    set(reason "${CMAKE_MATCH_1}")
    run_plugin(refused/${proto}.proto result error)
    if(result EQUAL 0)
      message(FATAL_ERROR "${proto}.proto was not refused")
    endif()
    string(FIND "${error}" "${reason}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${proto}.proto: expected \"${reason}\" in the error, got:\n${error}")
    endif()
    file(GLOB_RECURSE written ${OUT}/*)
    if(written)
      message(FATAL_ERROR "${proto}.proto was refused but left files: ${written}")
    endif()
    message(STATUS "${proto}.proto refused: ${reason}")
  endforeach()
else()
  message(FATAL_ERROR "MODE must be golden or refused, not \"${MODE}\"")
endif()
