#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/gatectl/command.h"

namespace gatehouse::gatectl {

// Account-level lists: `lists create NAME --kind ip|int|bytes [--file ITEMS] [--zone Z]...`,
// `lists replace NAME --file ITEMS`, `lists add NAME ITEM... | --file ITEMS`,
// `lists remove NAME ITEM... | --file ITEMS`, `lists delete NAME`, `lists list`,
// `lists get NAME` (the items, one a line). Item files hold one item a line; blank lines and
// lines starting with '#' are skipped. Returns the exit code, or nullopt when `args` is not a
// lists command.
std::optional<int> RunListCommand(const std::vector<std::string>& args,
                                  const GlobalOptions& options, const CommandOptions& command);

// The items of an item file's text: one a line, trimmed; blank and '#' lines skipped.
std::vector<std::string> ParseListItems(const std::string& text);

}  // namespace gatehouse::gatectl
