#include "detect/corpus/corpus.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace gatehouse::detect::corpus {
namespace {

namespace fs = std::filesystem;

bool IsFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// This binary's path (Linux), or empty.
fs::path SelfExe() {
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path() : exe;
}

}  // namespace

std::vector<std::string> ReadCorpus(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  if (!in) return lines;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string::size_type start = 0;
  while (start < text.size()) {
    std::string::size_type end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.emplace_back(text, start, end - start);
    start = end + 1;
  }
  return lines;
}

std::string LocateDataFile(const std::string& workspace_path) {
  std::string workspace = Env("TEST_WORKSPACE");
  if (workspace.empty()) workspace = "gatehouse";
  std::vector<fs::path> candidates;
  for (const char* root : {"TEST_SRCDIR", "RUNFILES_DIR"}) {
    const std::string dir = Env(root);
    if (!dir.empty()) candidates.push_back(fs::path(dir) / workspace / workspace_path);
  }
  const fs::path exe = SelfExe();
  if (!exe.empty()) {
    candidates.push_back(fs::path(exe.string() + ".runfiles") / workspace / workspace_path);
  }
  candidates.push_back(fs::path(workspace_path));
  if (!exe.empty()) {
    candidates.push_back(exe.parent_path() / fs::path(workspace_path).filename());
  }
  for (const fs::path& candidate : candidates) {
    if (IsFile(candidate)) return candidate.string();
  }
  return workspace_path;
}

std::vector<std::string> ReadCorpusFile(const std::string& workspace_path) {
  return ReadCorpus(LocateDataFile(workspace_path));
}

}  // namespace gatehouse::detect::corpus
