#include "runtime/admin/admin_endpoints.h"

#include <chrono>

#include "common/json_string.h"
#include "runtime/tls/certificate_report.h"

namespace gatehouse::runtime {
namespace {

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A zone's certificates as /snapshot lists them: no PEM, never a key, only whether one came.
std::string CertificatesJson(const LinkedZone& zone, int64_t now_unix) {
  std::string out = "[";
  for (const snapshot::v1::ZoneCertificate& certificate : zone.certificates) {
    if (out.size() > 1) out += ", ";
    out += "{\"fingerprint\": " + JsonString(certificate.fingerprint()) + ", \"names\": [";
    for (int i = 0; i < certificate.names_size(); ++i) {
      out += (i > 0 ? ", " : "") + JsonString(certificate.names(i));
    }
    out += "], \"not_after\": " + std::to_string(certificate.not_after_unix()) +
           ", \"expiry\": " + JsonString(tls::ExpiryState(certificate, now_unix)) +
           ", \"key\": " + (certificate.key_pem().empty() ? "false" : "true") + "}";
  }
  return out + "]";
}

// The /readyz line for certificates that cannot be served; empty when there are none.
std::string KeylessLine(const LinkedSnapshot& snapshot) {
  const tls::CertificateReport report = tls::ReportCertificates(snapshot, NowUnix());
  if (report.zones_without_keys.empty()) return "";
  std::string zones;
  for (const std::string& zone : report.zones_without_keys) {
    zones += (zones.empty() ? "" : ",") + zone;
  }
  return "certificates_without_keys: " + zones +
         " (zones came without private keys: the control channel is not TLS)\n";
}

HttpResponse Text(http::status status, std::string body,
                  std::string_view content_type = "text/plain") {
  HttpResponse response(status, 11);
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

}  // namespace

std::string SnapshotSummaryJson(const LinkedSnapshot* snapshot,
                                const SnapshotStore::Refusals& refusals) {
  // A proxy that keeps refusing updates says so here too, whatever it serves.
  const std::string refused = "\"refused_updates_in_a_row\": " +
                              std::to_string(refusals.in_a_row) +
                              ", \"last_refusal\": " + JsonString(refusals.last);
  if (snapshot == nullptr) return "{\"loaded\": false, " + refused + "}\n";
  std::string out = "{\"loaded\": true, \"version\": " + std::to_string(snapshot->version()) +
                    ", \"lineage\": " + JsonString(snapshot->lineage()) + ", " + refused +
                    ", \"content_hash\": " + JsonString(snapshot->content_hash()) +
                    ", \"zones\": [";
  bool first = true;
  const int64_t now = NowUnix();
  for (const auto* entry : snapshot->zones().Sorted()) {
    const auto& [name, zone] = *entry;
    if (!first) out += ", ";
    first = false;
    out += "{\"zone\": " + JsonString(name) + ", \"version\": " + std::to_string(zone->version) +
           ", \"config_hash\": " + JsonString(zone->plan->config_hash);
    if (!zone->certificates.empty()) out += ", \"certificates\": " + CertificatesJson(*zone, now);
    out += "}";
  }
  const tls::CertificateReport report = tls::ReportCertificates(*snapshot, now);
  out += "], \"certificates\": {\"total\": " + std::to_string(report.certificates) +
         ", \"expiring_soon\": " + std::to_string(report.expiring_soon) +
         ", \"expired\": " + std::to_string(report.expired) + ", \"zones_without_keys\": [";
  for (size_t i = 0; i < report.zones_without_keys.size(); ++i) {
    out += (i > 0 ? ", " : "") + JsonString(report.zones_without_keys[i]);
  }
  return out + "]}}\n";
}

SimpleHttpServer::Handler MakeAdminHandler(const SnapshotStore& store,
                                           const ProxyMetrics& metrics,
                                           const ShadowLedger& shadow,
                                           std::string control_channel) {
  // Appended to every /readyz answer; the first line stays what it was, for existing probes.
  const std::string channel_line =
      control_channel.empty() ? "" : "control_channel: " + control_channel + "\n";
  return [&store, &metrics, &shadow, channel_line](
             HttpRequest& request) -> asio::awaitable<HttpResponse> {
    const std::string_view target = request.target();
    const std::string_view path = target.substr(0, target.find('?'));
    if (path == "/metrics") {
      co_return Text(http::status::ok, metrics.RenderPrometheus(),
                     "text/plain; version=0.0.4");
    }
    if (path == "/shadow") co_return Text(http::status::ok, shadow.SummaryJson(), "application/json");
    if (path == "/healthz") co_return Text(http::status::ok, "ok\n");
    if (path == "/readyz") {
      // Ready once every worker serves a snapshot, not as soon as one is swapped in.
      if (store.Served() == nullptr) {
        co_return Text(http::status::service_unavailable, "no snapshot loaded\n" + channel_line);
      }
      const SnapshotStore::Refusals refusals = store.refusals();
      if (refusals.in_a_row >= SnapshotStore::kRefusalsBeforeUnready) {
        co_return Text(http::status::service_unavailable,
                       "refusing snapshot updates: " + std::to_string(refusals.in_a_row) +
                           " in a row, the last: " + refusals.last + "\n" + channel_line);
      }
      co_return Text(http::status::ok,
                     "ready\n" + channel_line + KeylessLine(*store.Served()));
    }
    if (path == "/snapshot") {
      co_return Text(http::status::ok,
                     SnapshotSummaryJson(store.Served().get(), store.refusals()),
                     "application/json");
    }
    co_return Text(http::status::not_found, "not found\n");
  };
}

}  // namespace gatehouse::runtime
