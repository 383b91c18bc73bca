#pragma once

// ClientStream and TlsStream by name only, for headers that pass them by reference without
// bringing in Asio's SSL (client_stream.h does).

#include "boost/beast/core/tcp_stream.hpp"

namespace boost::asio::ssl {
template <typename Stream>
class stream;
}  // namespace boost::asio::ssl

namespace gatehouse::runtime {

class ClientStream;
using TlsStream = boost::asio::ssl::stream<boost::beast::tcp_stream>;

}  // namespace gatehouse::runtime
