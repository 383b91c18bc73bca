#include "common/flags.h"

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

std::vector<std::string> Parse(const FlagSet& flags, std::vector<std::string> args) {
  std::vector<char*> argv;
  static std::string program = "prog";
  argv.push_back(program.data());
  for (auto& arg : args) argv.push_back(arg.data());
  return flags.ParseOrExit(static_cast<int>(argv.size()), argv.data());
}

TEST(FlagSetTest, ParsesEveryKindAndKeepsPositionals) {
  std::string listen = "127.0.0.1:0";
  int64_t workers = 1;
  bool verbose = true;
  std::vector<std::string> zones;
  FlagSet flags("prog", "prog [flags] FILE", "Does things.");
  flags.AddString("listen", &listen, "Address.");
  flags.AddInt("workers", &workers, "Threads.");
  flags.AddBool("verbose", &verbose, "Chatty.");
  flags.AddRepeated("zone", &zones, "Zones.");
  const auto rest = Parse(flags, {"--listen=1.2.3.4:5", "a.json", "--workers", "4", "--noverbose",
                                  "--zone", "x", "--zone=y", "--", "--not-a-flag"});
  EXPECT_EQ(listen, "1.2.3.4:5");
  EXPECT_EQ(workers, 4);
  EXPECT_FALSE(verbose);
  EXPECT_EQ(zones, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(rest, (std::vector<std::string>{"a.json", "--not-a-flag"}));
}

TEST(FlagSetTest, TracksWhichFlagsWereGiven) {
  std::string dir = "/default";
  std::string other = "x";
  bool off = false;
  bool dir_given = false;
  bool other_given = false;
  bool off_given = false;
  FlagSet flags("prog", "prog [flags]", "Summary.");
  flags.AddString("dir", &dir, "A folder.");
  flags.AddString("other", &other, "Another.");
  flags.AddBool("off", &off, "Off.");
  flags.TrackGiven("dir", &dir_given);
  flags.TrackGiven("other", &other_given);
  flags.TrackGiven("off", &off_given);
  Parse(flags, {"--dir=/default", "--nooff"});
  EXPECT_TRUE(dir_given);  // given, even with the default's value
  EXPECT_FALSE(other_given);
  EXPECT_TRUE(off_given);
}

TEST(FlagSetTest, ABadFlagIsLoggedAsAnErrorAndExitsTwo) {
  std::string listen;
  FlagSet flags("prog", "prog [flags]", "Summary line.");
  flags.AddString("listen", &listen, "Where to listen.");
  // Through common/logging: one line with the level, then where to look.
  EXPECT_EXIT(Parse(flags, {"--lisen=x"}), ::testing::ExitedWithCode(2),
              ": error: unknown flag --lisen; try 'prog --help'\n");
}

TEST(FlagSetTest, HelpDocumentsEveryFlagWithDefault) {
  std::string listen = "127.0.0.1:8080";
  int64_t workers = 2;
  FlagSet flags("prog", "prog [flags]", "Summary line.");
  flags.AddString("listen", &listen, "Where to listen.");
  flags.AddInt("workers", &workers, "Worker threads.");
  const std::string help = flags.Help();
  EXPECT_NE(help.find("--listen VALUE"), std::string::npos);
  EXPECT_NE(help.find("Where to listen. (default: \"127.0.0.1:8080\")"), std::string::npos);
  EXPECT_NE(help.find("Worker threads. (default: 2)"), std::string::npos);
}

TEST(FlagSetDeathTest, BadValueExitsWithUsage) {
  int64_t workers = 1;
  FlagSet flags("prog", "prog [flags]", "Summary.");
  flags.AddInt("workers", &workers, "Threads.");
  EXPECT_EXIT(Parse(flags, {"--workers=many"}), testing::ExitedWithCode(2), "wants an integer");
  EXPECT_EXIT(Parse(flags, {"--nope"}), testing::ExitedWithCode(2), "unknown flag --nope");
}

}  // namespace
}  // namespace gatehouse
