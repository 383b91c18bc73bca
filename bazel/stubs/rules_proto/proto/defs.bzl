"""Re-exports Bazel's native proto rules under the names rules_proto would provide."""

proto_library = native.proto_library
proto_lang_toolchain = native.proto_lang_toolchain
