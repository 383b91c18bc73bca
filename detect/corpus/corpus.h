#ifndef GATEHOUSE_DETECT_CORPUS_CORPUS_H_
#define GATEHOUSE_DETECT_CORPUS_CORPUS_H_

#include <string>
#include <vector>

namespace gatehouse::detect::corpus {

// The corpora of detect/corpus (README.md there), as paths relative to the workspace root; a
// target reading one lists its filegroup (//detect/corpus:sqli_attacks, ...) as data.
inline constexpr char kSqliAttacks[] = "detect/corpus/sqli_attacks.txt";
inline constexpr char kXssAttacks[] = "detect/corpus/xss_attacks.txt";
inline constexpr char kBenign[] = "detect/corpus/benign.txt";

// The lines of the file at `path`, each without its '\n'. Nothing else is stripped (a '\r' or
// a trailing space stays part of its line); a last line without '\n' still counts. A file that
// cannot be read gives no lines, so callers check the size.
std::vector<std::string> ReadCorpus(const std::string& path);

// Where the data file `workspace_path` (relative to the workspace root, e.g. kSqliAttacks) is for
// this process. Tried in order, the first that exists wins:
//   $TEST_SRCDIR/<workspace>/<path>   (bazel test; <workspace> is $TEST_WORKSPACE or "gatehouse")
//   $RUNFILES_DIR/<workspace>/<path>  (a binary started by another with its runfiles)
//   <binary>.runfiles/<workspace>/<path>  (bazel-bin/... run by hand)
//   <path> from the working directory (bazel test and bazel run start in the runfiles tree; a
//     binary started from the workspace root finds the source file)
//   <directory of the binary>/<file name>  (the file copied next to the binary)
// Returns `workspace_path` unchanged when none exists, so opening it fails with that name.
std::string LocateDataFile(const std::string& workspace_path);

// ReadCorpus(LocateDataFile(workspace_path)).
std::vector<std::string> ReadCorpusFile(const std::string& workspace_path);

}  // namespace gatehouse::detect::corpus

#endif  // GATEHOUSE_DETECT_CORPUS_CORPUS_H_
