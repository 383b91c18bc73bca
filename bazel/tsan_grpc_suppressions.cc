// Debian's gRPC is not built with ThreadSanitizer, but its callback API lives partly in headers
// that are compiled into our code with -fsanitize=thread: gRPC's call objects (and the std and
// atomic code inlined into them) are made on one thread and used on another, and the hand-over
// (gRPC core's completion queue) is invisible to TSan, so every callback call reports races
// inside gRPC. Ignored: races with a gRPC-internal frame in either stack, which includes our
// reactors' callbacks as gRPC runs them; that is why a reactor keeps all its state under one
// mutex taken first in every callback. Races elsewhere are reported as before. Only TSan reads
// this.
extern "C" const char* __tsan_default_suppressions() {
  return "race:grpc::internal::\n"
         "race_top:/usr/include/grpcpp/\n";
}
