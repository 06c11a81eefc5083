# reel_add_proto(<target> <file.proto relative to proto/>) generates the message and gRPC
# code for one proto package into its own static library target, reel::proto_<name>.
find_package(Protobuf REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(GRPCPP REQUIRED IMPORTED_TARGET grpc++)
find_program(REEL_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

function(reel_add_proto target proto_rel)
  set(proto_root ${PROJECT_SOURCE_DIR}/proto)
  set(out_dir ${PROJECT_BINARY_DIR}/gen)
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
endfunction()
