#pragma once

#include <string>

namespace gatehouse::gatectl {

// Reads a zone config file for a command. When it cannot be read, or is plainly not a JSON zone
// config (a snapshot file from `gatectl compile`, binary data), prints one line saying what it
// is and what to do on stderr and returns false (the command exits kExitUsage).
bool ReadZoneConfigFile(const std::string& path, std::string* json);

}  // namespace gatehouse::gatectl
