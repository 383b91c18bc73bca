"""Project C++ rule wrappers: one place for the flags every project target shares."""

# Warnings are errors on project code only; system headers are outside -Werror's reach.
GATEHOUSE_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wno-unused-parameter",
    "-Wno-missing-field-initializers",
    # GCC 12 at -O2 flags Asio's coroutine frame allocator (awaitable_frame_base's sized
    # operator delete) as mismatched: a known false positive.
    "-Wno-mismatched-new-delete",
    # GCC 12 at -O2 reports impossible -Wrestrict overlaps inside std::string's inlined copies
    # (GCC bug 105329): a known false positive.
    "-Wno-restrict",
]

# Under --config=tsan every file first reads bazel/tsan_protobuf_abi.h, which keeps protobuf's
# class layouts those of Debian's (uninstrumented) libprotobuf. Other builds are unchanged.
TSAN_COPTS = select({
    "//bazel:tsan_build": ["-include", "bazel/tsan_protobuf_abi.h"],
    "//conditions:default": [],
})

TSAN_DEPS = select({
    "//bazel:tsan_build": ["//bazel:tsan_protobuf_abi"],
    "//conditions:default": [],
})

def gh_cc_library(name, copts = [], deps = [], **kwargs):
    native.cc_library(
        name = name,
        copts = GATEHOUSE_COPTS + copts + TSAN_COPTS,
        deps = deps + TSAN_DEPS,
        **kwargs
    )

def gh_cc_binary(name, copts = [], deps = [], **kwargs):
    native.cc_binary(
        name = name,
        copts = GATEHOUSE_COPTS + copts + TSAN_COPTS,
        deps = deps + TSAN_DEPS,
        **kwargs
    )

def gh_cc_test(name, copts = [], deps = [], **kwargs):
    native.cc_test(
        name = name,
        copts = GATEHOUSE_COPTS + copts + TSAN_COPTS,
        deps = deps + ["//bazel:gtest_main"] + TSAN_DEPS,
        **kwargs
    )
