# reel_add_proto(<target> <file.proto relative to proto/> [GLUE] [PROTO_ROOT <dir>])
# generates the message and gRPC code for one proto package into its own static library
# target, reel::proto_<name>.
#
# GLUE: the file's service also gets reel's transport glue from tools/protoc-gen-reel, into
# the same tree under <svc>/api/ (so "user/api/user_client.hpp" is included as before):
#   - <svc>_client.hpp, the client interface, joins <target> (which then links kit_status);
#   - <svc>_grpc_service.* and <svc>_grpc_client.*, the gRPC adapters, make <target>_grpc.
# PROTO_ROOT: import root other than proto/ (the generator's tests); the output then goes
# under this directory's build tree instead of build/gen.
find_package(Protobuf REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(GRPCPP REQUIRED IMPORTED_TARGET grpc++)
find_program(REEL_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
# tools/protoc-gen-reel is built against protoc's own library.
if(NOT TARGET protobuf::libprotoc)
  message(FATAL_ERROR "libprotoc not found: install libprotoc-dev (scripts/lib/common.sh does)")
endif()

function(reel_add_proto target proto_rel)
  cmake_parse_arguments(ARG "GLUE" "PROTO_ROOT" "" ${ARGN})
  if(ARG_PROTO_ROOT)
    set(proto_root ${ARG_PROTO_ROOT})
    set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/gen)
  else()
    set(proto_root ${PROJECT_SOURCE_DIR}/proto)
    set(out_dir ${PROJECT_BINARY_DIR}/gen)
  endif()
  get_filename_component(stem ${proto_rel} NAME_WE)
  get_filename_component(rel_dir ${proto_rel} DIRECTORY)
  set(base ${out_dir}/${rel_dir}/${stem})
  set(outputs ${base}.pb.cc ${base}.pb.h ${base}.grpc.pb.cc ${base}.grpc.pb.h)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND protobuf::protoc --proto_path=${proto_root} --cpp_out=${out_dir}
            --grpc_out=${out_dir} --plugin=protoc-gen-grpc=${REEL_GRPC_CPP_PLUGIN}
            ${proto_root}/${proto_rel}
    DEPENDS ${proto_root}/${proto_rel} protobuf::protoc
    COMMENT "protoc ${proto_rel}"
    VERBATIM)
  add_library(${target} STATIC ${outputs})
  target_include_directories(${target} SYSTEM PUBLIC ${out_dir})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf PkgConfig::GRPCPP)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(NOT ARG_GLUE)
    return()
  endif()

  # The glue is named after the package's service segment (reel.user.v1 → user/api/user_*),
  # which by convention is the proto's directory.
  string(REGEX REPLACE "/.*" "" svc ${proto_rel})
  set(glue ${out_dir}/${svc}/api/${svc})
  set(client ${glue}_client.hpp)
  set(adapters ${glue}_grpc_service.hpp ${glue}_grpc_service.cpp ${glue}_grpc_client.hpp
               ${glue}_grpc_client.cpp)
  # A command of its own, so a change to the generator does not rebuild the messages.
  add_custom_command(
    OUTPUT ${client} ${adapters}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND protobuf::protoc --proto_path=${proto_root} --reel_out=${out_dir}
            --plugin=protoc-gen-reel=$<TARGET_FILE:protoc-gen-reel> ${proto_root}/${proto_rel}
    DEPENDS ${proto_root}/${proto_rel} protobuf::protoc protoc-gen-reel
    COMMENT "protoc-gen-reel ${proto_rel}"
    VERBATIM)
  target_sources(${target} PRIVATE ${client})
  target_link_libraries(${target} PUBLIC reel::kit_status)
  add_library(${target}_grpc STATIC ${adapters})
  target_link_libraries(${target}_grpc PUBLIC ${target} reel::kit_rpc PRIVATE reel::warnings)
endfunction()
