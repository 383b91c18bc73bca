#include "api/gatectl/compile_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>

#include "api/gatectl/command.h"
#include "api/gatectl/config_file.h"
#include "api/gatectl/managed_rulesets.h"
#include "api/zone_certificate_check.h"
#include "common/host_ownership.h"
#include "compiler/snapshot_assembly.h"
#include "compiler/zone_compiler.h"
#include "compiler/zone_config_json.h"
#include "plan/snapshot_file.h"

namespace gatehouse::gatectl {
namespace {

// Every compile's versions are Unix milliseconds, comparable with one another and with nothing
// else: one lineage for all of them.
constexpr char kCompileLineage[] = "gatectl-compile";

constexpr char kUsage[] =
    "usage: gatectl compile ZONE.json [MORE.json ...] -o SNAPSHOT [-v VERSION] "
    "[--cert ZONE=CHAIN.pem,KEY.pem]...";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gatectl compile: %s\n%s\n", message.c_str(), kUsage);
  return kExitUsage;
}

// A --cert flag: ZONE=CHAIN.pem,KEY.pem.
struct CertificateFiles {
  std::string zone;
  std::string chain;
  std::string key;
};

std::optional<CertificateFiles> ParseCertificateFlag(const std::string& flag) {
  const size_t equals = flag.find('=');
  const size_t comma = flag.find(',', equals == std::string::npos ? 0 : equals);
  if (equals == 0 || equals == std::string::npos || comma == std::string::npos ||
      comma == equals + 1 || comma + 1 == flag.size()) {
    return std::nullopt;
  }
  return CertificateFiles{flag.substr(0, equals), flag.substr(equals + 1, comma - equals - 1),
                          flag.substr(comma + 1)};
}

// Checks each certificate of `files` against `zone` and puts it in, sorted by fingerprint.
// Returns false (having said why) when one is refused or unreadable.
bool AddCertificates(const std::vector<CertificateFiles>& files, snapshot::v1::CompiledZone* zone) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const std::vector<std::string> hostnames(zone->config().hostnames().begin(),
                                           zone->config().hostnames().end());
  std::map<std::string, snapshot::v1::ZoneCertificate> by_fingerprint;
  bool ok = true;
  for (const CertificateFiles& file : files) {
    std::string chain, key;
    if (!ReadFile(file.chain, &chain) || !ReadFile(file.key, &key)) {
      std::fprintf(stderr, "gatectl compile: cannot read --cert %s=%s,%s\n", file.zone.c_str(),
                   file.chain.c_str(), file.key.c_str());
      ok = false;
      continue;
    }
    auto checked = api::CheckZoneCertificate(zone->zone(), hostnames, chain, key, now);
    if (!checked.ok()) {
      std::fprintf(stderr, "gatectl compile: --cert %s=%s,%s: %s\n", file.zone.c_str(),
                   file.chain.c_str(), file.key.c_str(),
                   std::string(checked.status().message()).c_str());
      ok = false;
      continue;
    }
    const std::string warning = api::CertificateExpiryWarning(zone->zone(), checked->fingerprint(),
                                                              checked->not_after_unix(), now);
    if (!warning.empty()) std::fprintf(stderr, "gatectl compile: warning: %s\n", warning.c_str());
    by_fingerprint[checked->fingerprint()] = *std::move(checked);
  }
  for (auto& [fingerprint, certificate] : by_fingerprint) {
    *zone->add_certificates() = std::move(certificate);
  }
  return ok;
}

}  // namespace

std::optional<int> RunCompileCommand(const std::vector<std::string>& args,
                                     const std::vector<std::string>& certs) {
  if (args.empty() || args[0] != "compile") return std::nullopt;
  std::vector<std::string> inputs;
  std::string output;
  uint64_t version = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "-o" || args[i] == "-v") {
      if (i + 1 == args.size()) return UsageError(args[i] + " needs a value");
      if (args[i] == "-o") {
        output = args[++i];
      } else {
        char* end = nullptr;
        version = std::strtoull(args[++i].c_str(), &end, 10);
        if (*end != '\0' || version == 0) return UsageError("-v wants a positive integer");
      }
    } else {
      inputs.push_back(args[i]);
    }
  }
  if (inputs.empty()) return UsageError("no zone config given");
  if (output.empty()) return UsageError("no output file given (-o)");
  std::map<std::string, std::vector<CertificateFiles>> certificate_files;  // by zone
  for (const std::string& flag : certs) {
    auto files = ParseCertificateFlag(flag);
    if (!files.has_value()) return UsageError("--cert wants ZONE=CHAIN.pem,KEY.pem, not " + flag);
    certificate_files[files->zone].push_back(*std::move(files));
  }

  compiler::ZoneSet::Editor zones;
  HostClaims claims;                // the control plane's rule: no overlaps
  std::map<std::string, std::string> source;  // zone -> the file that holds it
  bool failed = false;
  for (const std::string& path : inputs) {
    std::string json;
    if (!ReadZoneConfigFile(path, &json)) return kExitUsage;
    auto config = compiler::ParseZoneConfigJson(json);
    if (!config.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), std::string(config.status().message()).c_str());
      failed = true;
      continue;
    }
    // The same validation the control plane runs before it accepts a config.
    const compiler::ZoneCompileResult compiled = compiler::CompileZone(*config, LocalCompileOptions());
    if (!compiled.ok()) {
      std::fprintf(stderr, "%s:\n%s", path.c_str(), compiled.RenderedDiagnostics().c_str());
      failed = true;
      continue;
    }
    if (zones.Find(config->zone()) != nullptr) {
      std::fprintf(stderr, "%s: zone %s is given twice\n", path.c_str(), config->zone().c_str());
      failed = true;
      continue;
    }
    for (const auto& conflict : claims.Conflicts(config->zone(), compiled.plan->hostnames)) {
      std::fprintf(stderr, "%s: host name %s overlaps %s of zone %s (%s): a host name belongs to "
                   "one zone\n", path.c_str(), conflict.claim.c_str(),
                   conflict.other_claim.c_str(), conflict.other_zone.c_str(),
                   source[conflict.other_zone].c_str());
      failed = true;
    }
    claims.Set(config->zone(), compiled.plan->hostnames);
    source[config->zone()] = path;
    auto zone = std::make_shared<snapshot::v1::CompiledZone>();
    zone->set_zone(config->zone());
    zone->set_version(version);
    zone->set_config_hash(compiled.plan->config_hash);
    *zone->mutable_config() = *config;
    *zone->mutable_program() = compiled.program;
    if (const auto files = certificate_files.find(config->zone());
        files != certificate_files.end() && !AddCertificates(files->second, zone.get())) {
      failed = true;
    }
    zones.Set(config->zone(), std::move(zone));
  }
  for (const auto& [zone, files] : certificate_files) {
    if (zones.Find(zone) == nullptr) {
      std::fprintf(stderr, "gatectl compile: --cert names zone %s, which no config given has\n",
                   zone.c_str());
      failed = true;
    }
  }
  if (failed) return kExitInvalid;
  const compiler::ZoneSet all = std::move(zones).Finish();
  // The managed rulesets the zones execute, once each.
  compiler::ManagedRulesets managed;
  for (const auto& ruleset : *ManagedRulesets().compiled) {
    const bool used = std::any_of(all.begin(), all.end(), [&](const auto& zone) {
      const auto& uses = zone.second->program().managed_rulesets();
      return std::any_of(uses.begin(), uses.end(),
                         [&](const auto& use) { return use.id() == ruleset.id(); });
    });
    if (used) managed.push_back(ruleset);
  }
  const snapshot::v1::Snapshot snapshot =
      compiler::AssembleSnapshot(version, all, kCompileLineage, &managed);
  if (auto status = plan::WriteSnapshotFileAtomic(output, snapshot); !status.ok()) {
    std::fprintf(stderr, "gatectl compile: %s\n", std::string(status.message()).c_str());
    return kExitUsage;
  }
  std::string rulesets;
  for (const auto& ruleset : managed) {
    rulesets += ", managed ruleset " + ruleset.id() + " " + ruleset.version();
  }
  size_t certificates = 0;
  for (const auto& zone : snapshot.zones()) certificates += zone.certificates_size();
  if (certificates > 0) rulesets += ", " + std::to_string(certificates) + " certificate(s)";
  std::printf("snapshot %llu: %zu zone(s)%s -> %s\n", static_cast<unsigned long long>(version),
              zones.size(), rulesets.c_str(), output.c_str());
  return kExitOk;
}

}  // namespace gatehouse::gatectl
