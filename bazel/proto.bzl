"""C++ code generation for protobuf and gRPC with the system protoc and grpc_cpp_plugin."""

load("//bazel:cc.bzl", "TSAN_COPTS", "TSAN_DEPS")

def gh_cc_proto(name, srcs, deps = [], grpc = False, visibility = None):
    """Generates and compiles C++ for `srcs` (paths relative to the package).

    Imports are resolved from the workspace root, so a .proto imports another as
    "schemas/config.proto". `deps` are other gh_cc_proto targets whose .proto files are imported.
    """
    pkg = native.package_name()
    outs = []
    for src in srcs:
        base = src[:-len(".proto")]
        outs += [base + ".pb.h", base + ".pb.cc"]
        if grpc:
            outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]
    proto_paths = " ".join(["$(location %s)" % s for s in srcs])
    grpc_flags = ""
    tools = []
    if grpc:
        grpc_flags = "--grpc_out=$(GENDIR) --plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin"
    dep_protos = [d + "_protos" for d in deps]
    native.filegroup(name = name + "_protos", srcs = srcs + dep_protos, visibility = visibility)
    native.genrule(
        name = name + "_gen",
        srcs = srcs + dep_protos,
        outs = outs,
        cmd = "/usr/bin/protoc -I. --cpp_out=$(GENDIR) %s %s" % (grpc_flags, proto_paths),
        tools = tools,
    )
    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        deps = deps + ["//bazel:protobuf"] + (["//bazel:grpc"] if grpc else []) + TSAN_DEPS,
        copts = TSAN_COPTS,
        visibility = visibility,
    )
