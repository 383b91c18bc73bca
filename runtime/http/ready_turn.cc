#include "runtime/http/ready_turn.h"

#include "boost/asio/post.hpp"
#include "boost/asio/use_awaitable.hpp"

namespace gatehouse::runtime {

asio::awaitable<void> AfterReadyHandlers() {
  // A post from inside the executor's own thread queues behind what is already queued.
  co_await asio::post(asio::use_awaitable);
}

}  // namespace gatehouse::runtime
