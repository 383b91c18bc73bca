#include "runtime/http/request_trace.h"

#include <charconv>

namespace gatehouse::runtime {
namespace {

std::string_view FormatVersion(uint64_t version, char (&storage)[24]) {
  const auto end = std::to_chars(storage, storage + sizeof(storage), version).ptr;
  return std::string_view(storage, static_cast<size_t>(end - storage));
}

}  // namespace

void NotePhaseOutcomes(const engine::RequestState& phases, RequestTrace& trace) {
  for (; trace.noted_matches < phases.matched().size(); ++trace.noted_matches) {
    const plan::CompiledRule* rule = phases.matched()[trace.noted_matches];
    trace.rules.emplace_back(rule->id, rule->action_name);
  }
  for (size_t i = trace.refused.size(); i < phases.refused_values().size(); ++i) {
    const engine::RequestState::RefusedValue& refused = phases.refused_values()[i];
    trace.refused.emplace_back(refused.rule != nullptr ? std::string_view(refused.rule->id) : "",
                               refused.reason);
  }
  for (size_t i = trace.managed.size(); i < phases.managed_matches().size(); ++i) {
    const engine::RequestState::ManagedMatches& found = phases.managed_matches()[i];
    trace.managed.push_back({found.ruleset, found.score, found.rule_ids});
  }
}

EdgeHeaders EdgeHeadersOf(const RequestTrace& trace, bool with_snapshot, VersionDigits& digits) {
  EdgeHeaders headers;
  headers.ray_id = trace.ray_id.view();
  if (trace.zone_version != 0) {
    headers.zone_version = FormatVersion(trace.zone_version, digits.zone);
  }
  if (trace.snapshot != nullptr && with_snapshot) {
    headers.snapshot_version = FormatVersion(trace.snapshot->version(), digits.snapshot);
  }
  return headers;
}

WorkerRecords RequestRecorder::AddWorker() {
  return {metrics_ != nullptr ? &metrics_->AddShard() : nullptr,
          access_log_ != nullptr ? &access_log_->AddShard() : nullptr};
}

std::string_view ProtocolName(bool http2, unsigned version) {
  if (http2) return "HTTP/2";
  return version == 10 ? "HTTP/1.0" : "HTTP/1.1";
}

void RequestRecorder::Start(const ClientInfo& client, RequestTrace& trace) {
  trace.started = RequestTrace::Clock::now();
  trace.ray_id = ray_ids_.Next();
  trace.client = client.address;
  trace.http2 = client.http2;
}

void RequestRecorder::Finish(const WorkerRecords& records, const http::request_header<>& request,
                             const RequestTrace& trace, int status) {
  const auto elapsed = RequestTrace::Clock::now() - trace.started;
  if (records.metrics != nullptr) {
    records.metrics->RecordRequest(trace.zone, status, trace.action,
                                   std::chrono::duration<double>(elapsed).count());
    for (const auto& [rule, reason] : trace.refused) {
      records.metrics->RecordRefusedValue(trace.zone, rule);
    }
    for (const ManagedLogEntry& managed : trace.managed) {
      for (const std::string& id : managed.rule_ids) {
        records.metrics->RecordManagedRuleMatch(trace.zone, managed.ruleset, id);
      }
    }
  }
  if (records.access_log != nullptr) {
    AccessLogEntry entry;
    entry.ray_id = trace.ray_id.view();
    entry.client_ip = trace.client.text();
    entry.zone = trace.zone;
    entry.method = request.method_string();
    entry.protocol = ProtocolName(trace.http2, request.version());
    entry.host = request[http::field::host];
    entry.target = request.target();
    entry.status = status;
    entry.action = trace.action;
    entry.snapshot_version = trace.snapshot != nullptr ? trace.snapshot->version() : 0;
    entry.request_body_bytes = trace.request_body_bytes;
    entry.response_body_bytes = trace.response_body_bytes;
    entry.duration_ms = std::chrono::duration<double, std::milli>(elapsed).count();
    entry.upstream_ms = std::chrono::duration<double, std::milli>(trace.upstream_time).count();
    entry.upstream = trace.upstream;
    entry.rules = &trace.rules;
    entry.refused = &trace.refused;
    entry.managed = &trace.managed;
    records.access_log->Record(entry);
  }
}

}  // namespace gatehouse::runtime
