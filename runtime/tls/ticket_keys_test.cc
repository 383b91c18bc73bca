#include "runtime/tls/ticket_keys.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::runtime::tls {
namespace {

using std::chrono::hours;

struct FakeClock {
  TicketKeyRing::Clock::time_point now{};
  std::function<TicketKeyRing::Clock::time_point()> Function() {
    return [this] { return now; };
  }
};

TEST(TicketKeyRingTest, KeysAreRandomPerRing) {
  TicketKeyRing a(hours(1), 2), b(hours(1), 2);
  EXPECT_NE(a.Current().name, b.Current().name);
  EXPECT_NE(a.Current().aes_key, b.Current().aes_key);
}

TEST(TicketKeyRingTest, RotatesOnTimeAndKeepsTheLastKeysForDecryption) {
  FakeClock clock;
  TicketKeyRing ring(hours(1), 2, clock.Function());
  const TicketKey first = ring.Current();
  EXPECT_EQ(ring.Current().name, first.name);  // not yet due

  clock.now += hours(1);
  const TicketKey second = ring.Current();
  EXPECT_NE(second.name, first.name);
  EXPECT_EQ(ring.rotations(), 1u);
  bool current = true;
  // The first key still decrypts, as not current: the ticket is renewed.
  ASSERT_TRUE(ring.Find(first.name.data(), &current).has_value());
  EXPECT_FALSE(current);
  ASSERT_TRUE(ring.Find(second.name.data(), &current).has_value());
  EXPECT_TRUE(current);

  // A lookup rotates too: a ring nobody encrypts with still ages its keys out.
  clock.now += hours(1);
  EXPECT_FALSE(ring.Find(first.name.data(), &current).has_value());
  EXPECT_TRUE(ring.Find(second.name.data(), &current).has_value());
  EXPECT_FALSE(current);
  EXPECT_EQ(ring.rotations(), 2u);
}

TEST(TicketKeyRingTest, SharedByThreads) {
  TicketKeyRing ring(std::chrono::microseconds(50), 3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&ring] {
      for (int i = 0; i < 2000; ++i) {
        const TicketKey key = ring.Current();
        bool current = false;
        (void)ring.Find(key.name.data(), &current);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_GT(ring.rotations(), 0u);
}

}  // namespace
}  // namespace gatehouse::runtime::tls
