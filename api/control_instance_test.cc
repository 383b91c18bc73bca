#include "api/control_instance.h"

#include <chrono>
#include <thread>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {
namespace {

ControlOptions LoopbackOptions() {
  ControlOptions options;
  options.listen = HostPort{"127.0.0.1", 0};
  return options;  // in memory, authentication off (loopback development)
}

TEST(ControlInstanceTest, ServesWatchAndShutdownEndsTheStreams) {
  auto instance = ControlInstance::Start(LoopbackOptions());
  ASSERT_TRUE(instance.ok()) << instance.status();
  ASSERT_NE((*instance)->bound().port, 0);

  auto stub = v1::SnapshotService::NewStub(grpc::CreateChannel(
      (*instance)->bound().ToString(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::WatchRequest request;
  request.set_node_id("node");
  auto reader = stub->Watch(&context, request);
  v1::SnapshotUpdate update;
  ASSERT_TRUE(reader->Read(&update));
  EXPECT_TRUE(update.has_snapshot());  // the full snapshot first, empty here

  std::thread shutdown([&] { (*instance)->Shutdown(); });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(reader->Read(&update));
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  shutdown.join();
}

TEST(ControlInstanceTest, ABusyPortIsAnError) {
  auto first = ControlInstance::Start(LoopbackOptions());
  ASSERT_TRUE(first.ok()) << first.status();
  ControlOptions options = LoopbackOptions();
  options.listen.port = (*first)->bound().port;
  auto second = ControlInstance::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("cannot listen on"), std::string::npos)
      << second.status();
}

}  // namespace
}  // namespace gatehouse::api
