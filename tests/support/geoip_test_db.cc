#include "tests/support/geoip_test_db.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "tests/support/subprocess.h"

namespace gatehouse::testing {

absl::Status WriteGeoIpDatabase(const std::string& path, const std::string& database_type,
                                const std::string& records_json) {
  const std::string records = path + ".json";
  WriteFile(records, records_json);
  const CommandResult result =
      RunCommand({"/bin/sh", "-c", "exec perl tests/support/write_mmdb.pl \"$0\" \"$1\" < \"$2\"",
                  path, database_type, records},
                 std::chrono::seconds(20));
  if (result.exit_code != 0 || result.timed_out) {
    return absl::InternalError(
        absl::StrCat("write_mmdb.pl failed (", result.exit_code, "): ", result.err));
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::testing
