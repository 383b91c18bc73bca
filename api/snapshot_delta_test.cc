#include "api/snapshot_delta.h"

#include "api/proxy_registry.h"
#include "gtest/gtest.h"

namespace gatehouse::api {
namespace {

std::shared_ptr<const snapshot::v1::CompiledZone> Zone(const std::string& name, uint64_t version) {
  auto zone = std::make_shared<snapshot::v1::CompiledZone>();
  zone->set_zone(name);
  zone->set_version(version);
  zone->set_config_hash("h" + std::to_string(version));
  return zone;
}

TEST(SnapshotDeltaTest, FreshProxyGetsTheFullSnapshot) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  v1::SnapshotUpdate update;
  ASSERT_TRUE(InitialUpdate(*publisher.Current(), 0, {}, {}, nullptr, &update));
  ASSERT_TRUE(update.has_snapshot());
  EXPECT_EQ(update.snapshot().version(), 2u);
  EXPECT_EQ(update.snapshot().zones_size(), 2);
  EXPECT_EQ(update.snapshot().content_hash(), publisher.Current()->content_hash);
}

std::shared_ptr<const compiler::ManagedRulesets> Crs(const std::string& digest) {
  auto rulesets = std::make_shared<compiler::ManagedRulesets>();
  snapshot::v1::ManagedRuleset& crs = rulesets->emplace_back();
  crs.set_id("owasp-crs");
  crs.set_version("OWASP_CRS/3.3.4");
  crs.set_digest(digest);
  return rulesets;
}

TEST(SnapshotDeltaTest, ManagedRulesetsTravelOnlyInFullSnapshots) {
  SnapshotPublisher publisher("lineage", Crs("d1"));
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "a.com", Zone("a.com", 2));
  const auto state = publisher.Current();
  // The content hash covers the rulesets.
  EXPECT_NE(state->content_hash, compiler::SnapshotContentHash(state->zones));
  EXPECT_EQ(state->content_hash, compiler::SnapshotContentHash(state->zones, Crs("d1").get()));
  EXPECT_NE(state->content_hash, compiler::SnapshotContentHash(state->zones, Crs("d2").get()));

  v1::SnapshotUpdate update;
  ASSERT_TRUE(InitialUpdate(*state, 0, {}, {}, nullptr, &update));
  ASSERT_TRUE(update.has_snapshot());
  ASSERT_EQ(update.snapshot().managed_rulesets_size(), 1);
  EXPECT_EQ(update.snapshot().managed_rulesets(0).digest(), "d1");
  EXPECT_EQ(update.snapshot().content_hash(), state->content_hash);

  // A proxy holding the same rulesets gets a delta, without them.
  ASSERT_TRUE(InitialUpdate(*state, 1, {{"a.com", 1}}, {}, nullptr, &update,
                            {{"owasp-crs", "d1"}}));
  EXPECT_FALSE(update.has_snapshot());
  EXPECT_EQ(update.changed_zones_size(), 1);
  // One holding another digest, or none (a proxy from before managed rulesets), gets them in
  // the full snapshot.
  for (const std::map<std::string, std::string>& held :
       {std::map<std::string, std::string>{{"owasp-crs", "d0"}},
        std::map<std::string, std::string>{}}) {
    ASSERT_TRUE(InitialUpdate(*state, 2, {{"a.com", 2}}, {}, nullptr, &update, held));
    ASSERT_TRUE(update.has_snapshot());
    EXPECT_EQ(update.snapshot().managed_rulesets_size(), 1);
  }
  // Deltas between states with the same rulesets carry none.
  publisher.Publish(3, "b.com", Zone("b.com", 1));
  ASSERT_TRUE(DeltaUpdate(*state, *publisher.Current(), nullptr, &update));
  EXPECT_FALSE(update.has_snapshot());
  EXPECT_EQ(update.changed_zones_size(), 1);
  // Between states whose rulesets differ: the full snapshot.
  PublishedState other = *publisher.Current();
  other.managed_rulesets = Crs("d2");
  ASSERT_TRUE(DeltaUpdate(*state, other, nullptr, &update));
  ASSERT_TRUE(update.has_snapshot());
  EXPECT_EQ(update.snapshot().managed_rulesets(0).digest(), "d2");
}

TEST(SnapshotDeltaTest, ReconnectingProxyGetsOnlyWhatChanged) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  publisher.Publish(3, "a.com", Zone("a.com", 2));
  publisher.Publish(4, "c.com", Zone("c.com", 1));
  v1::SnapshotUpdate update;
  // Holds a@1, b@1 and a zone that is gone.
  ASSERT_TRUE(InitialUpdate(*publisher.Current(), 2, {{"a.com", 1}, {"b.com", 1}, {"old.com", 3}},
                            {}, nullptr, &update));
  EXPECT_FALSE(update.has_snapshot());
  EXPECT_EQ(update.version(), 4u);
  ASSERT_EQ(update.changed_zones_size(), 2);
  EXPECT_EQ(update.changed_zones(0).zone(), "a.com");
  EXPECT_EQ(update.changed_zones(1).zone(), "c.com");
  ASSERT_EQ(update.removed_zones_size(), 1);
  EXPECT_EQ(update.removed_zones(0), "old.com");
}

TEST(SnapshotDeltaTest, RejectedVersionIsNotResentUntilTheZoneChanges) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "a.com", Zone("a.com", 2));
  v1::SnapshotUpdate update;
  // Serves a@1, rejected a@2: nothing to send but the version.
  ASSERT_TRUE(InitialUpdate(*publisher.Current(), 1, {{"a.com", 1}}, {{"a.com", 2}}, nullptr,
                            &update));
  EXPECT_EQ(update.changed_zones_size(), 0);
  const auto before = publisher.Current();
  publisher.Publish(3, "a.com", Zone("a.com", 3));
  ASSERT_TRUE(DeltaUpdate(*before, *publisher.Current(), nullptr, &update));
  ASSERT_EQ(update.changed_zones_size(), 1);
  EXPECT_EQ(update.changed_zones(0).version(), 3u);
}

TEST(SnapshotDeltaTest, DeltaCarriesOnlyChangedZonesAndRespectsTheFilter) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  const auto s2 = publisher.Current();
  publisher.Publish(3, "b.com", Zone("b.com", 2));
  publisher.Publish(4, "a.com", nullptr);
  const auto s4 = publisher.Current();
  v1::SnapshotUpdate update;
  ASSERT_TRUE(DeltaUpdate(*s2, *s4, nullptr, &update));
  EXPECT_EQ(update.version(), 4u);
  ASSERT_EQ(update.changed_zones_size(), 1);
  EXPECT_EQ(update.changed_zones(0).zone(), "b.com");
  ASSERT_EQ(update.removed_zones_size(), 1);
  EXPECT_EQ(update.removed_zones(0), "a.com");
  // A stream scoped to a.com never hears of b.com.
  const ZoneFilter only_a = [](const std::string& zone) { return zone == "a.com"; };
  ASSERT_TRUE(DeltaUpdate(*s2, *s4, only_a, &update));
  EXPECT_EQ(update.changed_zones_size(), 0);
  EXPECT_EQ(update.removed_zones_size(), 1);
  v1::SnapshotUpdate full;
  ASSERT_TRUE(InitialUpdate(*s2, 0, {}, {}, only_a, &full));
  ASSERT_EQ(full.snapshot().zones_size(), 1);
  EXPECT_EQ(full.snapshot().zones(0).zone(), "a.com");
}

TEST(SnapshotDeltaTest, PublisherSharesUnchangedZones) {
  SnapshotPublisher publisher;
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  const auto before = publisher.Current();
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  EXPECT_EQ(before->zones.at("a.com"), publisher.Current()->zones.at("a.com"));
  // Versions never go back, even if asked to.
  publisher.Publish(1, "c.com", Zone("c.com", 1));
  EXPECT_EQ(publisher.Current()->version, 3u);
}

TEST(ProxyRegistryTest, TracksLiveAndRejectedVersionsPerZone) {
  ProxyRegistry registry;
  const ProxyKey p1{"fleet", "p1"};
  registry.StreamOpened(p1, {});
  v1::ApplyReport report;
  report.set_node_id("p1");
  report.set_version(5);
  report.set_applied(true);
  auto* a = report.add_zones();
  a->set_zone("a.com");
  a->set_version(2);
  a->set_applied(true);
  auto* b = report.add_zones();
  b->set_zone("b.com");
  b->set_version(7);
  b->set_error("does not compile");
  registry.Report(p1, report);
  EXPECT_EQ(registry.Rejected(p1), (std::map<std::string, uint64_t>{{"b.com", 7}}));
  auto list = registry.List(nullptr);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].connected());
  EXPECT_EQ(list[0].snapshot_version(), 5u);
  ASSERT_EQ(list[0].zones_size(), 2);
  EXPECT_EQ(list[0].zones(0).live_version(), 2u);
  EXPECT_EQ(list[0].zones(1).rejected_version(), 7u);
  // Filtered: only a.com.
  list = registry.List([](const std::string& zone) { return zone == "a.com"; });
  ASSERT_EQ(list[0].zones_size(), 1);
  registry.StreamClosed(p1);
  EXPECT_FALSE(registry.List(nullptr)[0].connected());
}

TEST(ProxyRegistryTest, FleetsAreApartAndHiddenFromOtherTenants) {
  ProxyRegistry registry;
  registry.StreamOpened({"fleet-a", "edge"}, {"a.com"});
  registry.StreamOpened({"fleet-b", "edge"}, {"b.com"});
  registry.StreamOpened({"fleet-all", "core"}, {});
  v1::ApplyReport removal;
  removal.set_node_id("edge");
  auto* zone = removal.add_zones();
  zone->set_zone("a.com");
  zone->set_error(std::string(100000, 'x'));
  registry.Report({"fleet-a", "edge"}, removal);
  EXPECT_FALSE(registry.Known({"fleet-c", "edge"}));
  // Tenant b sees its fleet and the fleet that serves every zone, not fleet a's proxies.
  const auto seen = registry.List([](const std::string& z) { return z == "b.com"; });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].fleet(), "fleet-all");
  EXPECT_EQ(seen[1].fleet(), "fleet-b");
  const auto all = registry.List(nullptr);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_LE(all[0].zones(0).error().size(), ProxyRegistry::kMaxErrorBytes + 32);
}

}  // namespace
}  // namespace gatehouse::api
