#include "runtime/http/ready_turn.h"

#include <string>
#include <vector>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

// Two requests a worker read in the same turn: each runs its phases between two
// AfterReadyHandlers, then sends. The phases run back to back, before either send.
asio::awaitable<void> Request(std::string name, std::vector<std::string>* log, bool batched) {
  log->push_back(name + " read");
  if (batched) co_await AfterReadyHandlers();
  log->push_back(name + " phases");
  if (batched) co_await AfterReadyHandlers();
  log->push_back(name + " send");
}

std::vector<std::string> RunTwoRequests(bool batched) {
  asio::io_context io;
  std::vector<std::string> log;
  asio::co_spawn(io, Request("a", &log, batched), asio::detached);
  asio::co_spawn(io, Request("b", &log, batched), asio::detached);
  io.run();
  return log;
}

TEST(ReadyTurnTest, PhasesOfRequestsReadTogetherRunTogether) {
  EXPECT_EQ(RunTwoRequests(true), (std::vector<std::string>{"a read", "b read", "a phases",
                                                            "b phases", "a send", "b send"}));
  // Without it, each request runs its phases and sends before the next is looked at.
  EXPECT_EQ(RunTwoRequests(false), (std::vector<std::string>{"a read", "a phases", "a send",
                                                             "b read", "b phases", "b send"}));
}

}  // namespace
}  // namespace gatehouse::runtime
