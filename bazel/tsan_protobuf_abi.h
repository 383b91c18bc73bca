// Force-included into every C++ file Gatehouse compiles under --config=tsan (bazel/cc.bzl,
// bazel/proto.bzl); nothing includes it by name.
//
// Debian's libprotobuf is not built with ThreadSanitizer, and protobuf's map_field.h gives
// MapFieldBase two more members when __SANITIZE_THREAD__ is defined. Code compiled here would
// then lay out every message that holds a map (google.protobuf.Struct, and so a zone config's
// action_parameters) differently from the library that builds and serialises them: a cached
// size is read from the wrong place and serialising a zone config aborts ("Byte size calculation
// and serialization were inconsistent"). map_field.h is read once, first, with the macro hidden,
// so every file sees the library's layout; everything else (libstdc++ first of all) still sees
// TSan.
#pragma once

#include <cstddef>  // libstdc++'s configuration, before the macro is hidden

#pragma push_macro("__SANITIZE_THREAD__")
#undef __SANITIZE_THREAD__
#include <google/protobuf/map_field.h>
#pragma pop_macro("__SANITIZE_THREAD__")
