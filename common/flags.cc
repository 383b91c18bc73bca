#include "common/flags.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "common/logging.h"

namespace gatehouse {

FlagSet::FlagSet(std::string program, std::string usage, std::string summary)
    : program_(std::move(program)), usage_(std::move(usage)), summary_(std::move(summary)) {}

void FlagSet::AddString(std::string name, std::string* target, std::string help) {
  flags_.push_back({std::move(name), Kind::kString, target, std::move(help),
                    target->empty() ? "\"\"" : "\"" + *target + "\""});
}

void FlagSet::AddInt(std::string name, int64_t* target, std::string help) {
  flags_.push_back(
      {std::move(name), Kind::kInt, target, std::move(help), std::to_string(*target)});
}

void FlagSet::AddBool(std::string name, bool* target, std::string help) {
  flags_.push_back(
      {std::move(name), Kind::kBool, target, std::move(help), *target ? "true" : "false"});
}

void FlagSet::AddRepeated(std::string name, std::vector<std::string>* target, std::string help) {
  flags_.push_back({std::move(name), Kind::kRepeated, target, std::move(help), "none"});
}

void FlagSet::TrackGiven(const std::string& name, bool* given) {
  for (Flag& flag : flags_) {
    if (flag.name == name) flag.given = given;
  }
}

const FlagSet::Flag* FlagSet::Find(const std::string& name) const {
  for (const Flag& flag : flags_) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

std::string FlagSet::Assign(const Flag& flag, const std::string& value) const {
  if (flag.given != nullptr) *flag.given = true;
  switch (flag.kind) {
    case Kind::kString:
      *static_cast<std::string*>(flag.target) = value;
      return "";
    case Kind::kRepeated:
      static_cast<std::vector<std::string>*>(flag.target)->push_back(value);
      return "";
    case Kind::kInt: {
      int64_t parsed = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (error != std::errc() || end != value.data() + value.size()) {
        return "--" + flag.name + " wants an integer, got \"" + value + "\"";
      }
      *static_cast<int64_t*>(flag.target) = parsed;
      return "";
    }
    case Kind::kBool:
      if (value == "true" || value == "1" || value == "yes") {
        *static_cast<bool*>(flag.target) = true;
      } else if (value == "false" || value == "0" || value == "no") {
        *static_cast<bool*>(flag.target) = false;
      } else {
        return "--" + flag.name + " wants true or false, got \"" + value + "\"";
      }
      return "";
  }
  return "unknown flag kind";
}

std::vector<std::string> FlagSet::ParseOrExit(int argc, char** argv) const {
  std::vector<std::string> positional;
  auto fail = [&](const std::string& reason) {
    // One line: what is wrong and where to look; the whole usage is for --help (which is the
    // command's output, on stdout, below).
    GH_LOG(ERROR) << reason << "; try '" << program_ << " --help'";
    std::exit(2);
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) positional.emplace_back(argv[i]);
      break;
    }
    if (arg == "--help" || arg == "-h") {
      std::fputs(Help().c_str(), stdout);
      std::exit(0);
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      positional.push_back(std::move(arg));
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    const Flag* flag = Find(name);
    if (flag == nullptr && !has_value && name.compare(0, 2, "no") == 0) {
      const Flag* negated = Find(name.substr(2));
      if (negated != nullptr && negated->kind == Kind::kBool) {
        *static_cast<bool*>(negated->target) = false;
        if (negated->given != nullptr) *negated->given = true;
        continue;
      }
    }
    if (flag == nullptr) fail("unknown flag --" + name);
    if (!has_value) {
      if (flag->kind == Kind::kBool) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        fail("--" + name + " needs a value");
      }
    }
    if (std::string error = Assign(*flag, value); !error.empty()) fail(error);
  }
  return positional;
}

std::string FlagSet::Help() const {
  std::string out = "usage: " + usage_ + "\n\n" + summary_ + "\n\nFlags:\n";
  for (const Flag& flag : flags_) {
    out += "  --" + flag.name;
    if (flag.kind != Kind::kBool) out += " VALUE";
    out += "\n      " + flag.help + " (default: " + flag.default_text + ")\n";
  }
  out += "  --help\n      Print this help and exit.\n";
  return out;
}

}  // namespace gatehouse
