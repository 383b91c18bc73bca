#pragma once

// ClientStream and TlsStream by name only, for headers that pass them by reference without
// bringing in OpenSSL and Asio's composed operations (client_stream.h does).

namespace gatehouse::runtime {

class ClientStream;
class TlsStream;

}  // namespace gatehouse::runtime
