#include "geoip/maxmind_database.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>

#include "absl/strings/str_cat.h"

namespace gatehouse::geoip {
namespace {

// The value at `path` in the entry, if it is of `type`.
bool Get(MMDB_entry_s& entry, std::initializer_list<const char*> path, uint32_t type,
         MMDB_entry_data_s& data) {
  const char* keys[8] = {};
  size_t n = 0;
  for (const char* key : path) keys[n++] = key;
  return MMDB_aget_value(&entry, &data, keys) == MMDB_SUCCESS && data.has_data && data.type == type;
}

// Sets `out` to the string at `path`, if there is one.
void GetText(MMDB_entry_s& entry, std::initializer_list<const char*> path, std::string& out) {
  MMDB_entry_data_s data;
  if (Get(entry, path, MMDB_DATA_TYPE_UTF8_STRING, data)) {
    out.assign(data.utf8_string, data.data_size);
  }
}

// "GB-ENG": Cloudflare composes subdivision codes with the country.
void GetSubdivision(MMDB_entry_s& entry, const char* index, const std::string& country,
                    std::string& out) {
  std::string code;
  GetText(entry, {"subdivisions", index, "iso_code"}, code);
  if (!code.empty() && !country.empty()) out = absl::StrCat(country, "-", code);
}

// libmaxminddb maps the file. A file rewritten in place (not renamed over) would change, or
// with a truncation fault (SIGBUS), under the lookups; so a private copy is mapped, unlinked at
// once, which no later write to `path` can touch.
absl::StatusOr<std::string> PrivateCopy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("MaxMind DB ", path, ": cannot be read"));
  const char* dir = std::getenv("TMPDIR");
  std::string copy =
      absl::StrCat(dir != nullptr && *dir != '\0' ? dir : "/tmp", "/gatehouse-mmdb-XXXXXX");
  const int fd = ::mkstemp(copy.data());
  if (fd < 0)
    return absl::InternalError(absl::StrCat("mkstemp ", copy, ": ", std::strerror(errno)));
  ::close(fd);
  std::ofstream out(copy, std::ios::binary | std::ios::trunc);
  out << in.rdbuf();
  out.close();
  if (!out || in.bad()) {
    ::unlink(copy.c_str());
    return absl::InternalError(absl::StrCat("MaxMind DB ", path, ": cannot copy to ", copy));
  }
  return copy;
}

}  // namespace

MaxMindDatabase::MaxMindDatabase(std::string path, std::unique_ptr<MMDB_s> mmdb)
    : path_(std::move(path)), mmdb_(std::move(mmdb)) {}

MaxMindDatabase::~MaxMindDatabase() { MMDB_close(mmdb_.get()); }

absl::StatusOr<std::unique_ptr<const MaxMindDatabase>> MaxMindDatabase::Open(
    const std::string& path) {
  absl::StatusOr<std::string> copy = PrivateCopy(path);
  if (!copy.ok()) return copy.status();
  auto mmdb = std::make_unique<MMDB_s>();
  const int status = MMDB_open(copy->c_str(), MMDB_MODE_MMAP, mmdb.get());
  ::unlink(copy->c_str());  // the mapping stays; the name goes
  if (status != MMDB_SUCCESS) {
    std::string why = MMDB_strerror(status);
    if (status == MMDB_IO_ERROR) absl::StrAppend(&why, ": ", std::strerror(errno));
    return absl::InvalidArgumentError(absl::StrCat("MaxMind DB ", path, ": ", why));
  }
  return std::unique_ptr<const MaxMindDatabase>(new MaxMindDatabase(path, std::move(mmdb)));
}

void MaxMindDatabase::Fill(const rules::IpAddress& ip, rules::GeoLocation& out) const {
  sockaddr_storage storage{};
  if (ip.is_v4) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    std::memcpy(&v4->sin_addr, ip.bytes.data() + 12, 4);
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    std::memcpy(&v6->sin6_addr, ip.bytes.data(), 16);
  }
  int error = MMDB_SUCCESS;
  MMDB_lookup_result_s result =
      MMDB_lookup_sockaddr(mmdb_.get(), reinterpret_cast<const sockaddr*>(&storage), &error);
  // An IPv6 address in an IPv4-only database, or a corrupt file: nothing is known.
  if (error != MMDB_SUCCESS || !result.found_entry) return;
  MMDB_entry_s& entry = result.entry;
  MMDB_entry_data_s data;

  // The country the address is in; for addresses without one (anycast, satellite), the country
  // it is registered in.
  const char* country_key = "country";
  GetText(entry, {"country", "iso_code"}, out.country);
  if (out.country.empty()) {
    country_key = "registered_country";
    GetText(entry, {country_key, "iso_code"}, out.country);
  }
  if (Get(entry, {country_key, "is_in_european_union"}, MMDB_DATA_TYPE_BOOLEAN, data)) {
    out.is_in_european_union = data.boolean;
  }
  GetText(entry, {"continent", "code"}, out.continent);
  GetText(entry, {"city", "names", "en"}, out.city);
  GetText(entry, {"postal", "code"}, out.postal_code);
  GetText(entry, {"subdivisions", "0", "names", "en"}, out.region);
  GetText(entry, {"subdivisions", "0", "iso_code"}, out.region_code);
  GetSubdivision(entry, "0", out.country, out.subdivision_1_iso_code);
  GetSubdivision(entry, "1", out.country, out.subdivision_2_iso_code);
  if (Get(entry, {"location", "latitude"}, MMDB_DATA_TYPE_DOUBLE, data)) {
    out.lat = absl::StrCat(data.double_value);
  }
  if (Get(entry, {"location", "longitude"}, MMDB_DATA_TYPE_DOUBLE, data)) {
    out.lon = absl::StrCat(data.double_value);
  }
  GetText(entry, {"location", "time_zone"}, out.timezone_name);
  if (Get(entry, {"location", "metro_code"}, MMDB_DATA_TYPE_UINT16, data)) {
    out.metro_code = absl::StrCat(data.uint16);
  }
  if (Get(entry, {"autonomous_system_number"}, MMDB_DATA_TYPE_UINT32, data)) {
    out.asnum = data.uint32;
  }
}

}  // namespace gatehouse::geoip
