#include "runtime/workers/workers.h"

#include <utility>

#include "boost/asio/post.hpp"

namespace gatehouse::runtime {

WorkerThreads::WorkerThreads(size_t count) {
  for (size_t i = 0; i < count; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->thread = std::thread([context = &loop->context] { context->run(); });
    loops_.push_back(std::move(loop));
  }
}

WorkerThreads::~WorkerThreads() { Stop(); }

void WorkerThreads::Post(size_t index, std::function<void()> task) {
  boost::asio::post(loops_[index]->context, std::move(task));
}

void WorkerThreads::Stop() {
  for (auto& loop : loops_) loop->context.stop();
  for (auto& loop : loops_) {
    if (loop->thread.joinable()) loop->thread.join();
  }
}

}  // namespace gatehouse::runtime
