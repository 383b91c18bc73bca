#pragma once

// A client protocol that frames responses itself (HTTP/2): the response encoder hands it each
// head as fields and says where the body ends, and writes the body's bytes unframed. No
// HTTP/1.1 head is written for such a client, nor parsed again.

#include <cstddef>

#include "runtime/http/wire_format.h"

namespace gatehouse::runtime {

class FramedResponseSink {
 public:
  virtual ~FramedResponseSink() = default;

  // A head: an interim (1xx) one, or the final one. Called before any body byte is written;
  // `head`'s views are valid only during the call.
  virtual void SubmitHead(const ResponseFields& head) = 0;
  // The body ends once `bytes` more bytes have been written (0: it ends now).
  virtual void EndBodyAfter(size_t bytes) = 0;
};

}  // namespace gatehouse::runtime
