#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gatehouse {

// A small command-line flag parser shared by every binary: `--name=value` or `--name value`,
// `--bool` / `--nobool`, and `--help`, which documents every flag with its default.
class FlagSet {
 public:
  FlagSet(std::string program, std::string usage, std::string summary);

  void AddString(std::string name, std::string* target, std::string help);
  void AddInt(std::string name, int64_t* target, std::string help);
  void AddBool(std::string name, bool* target, std::string help);
  // A flag that may be given several times; each value is appended.
  void AddRepeated(std::string name, std::vector<std::string>* target, std::string help);
  // Sets `*given` when the flag `name` (added before) is on the command line, for a command
  // whose behaviour depends on whether a flag was given rather than on its value.
  void TrackGiven(const std::string& name, bool* given);

  // Parses argv[1..]. On --help prints the help and exits 0; on a bad flag prints the reason
  // and the usage line and exits 2. Returns the positional arguments in order.
  std::vector<std::string> ParseOrExit(int argc, char** argv) const;

  std::string Help() const;

 private:
  enum class Kind { kString, kInt, kBool, kRepeated };
  struct Flag {
    std::string name;
    Kind kind;
    void* target;
    std::string help;
    std::string default_text;
    bool* given = nullptr;
  };

  const Flag* Find(const std::string& name) const;
  // Returns an empty string on success, else the reason.
  std::string Assign(const Flag& flag, const std::string& value) const;

  std::string program_;
  std::string usage_;
  std::string summary_;
  std::vector<Flag> flags_;
};

}  // namespace gatehouse
