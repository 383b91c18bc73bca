#include "engine/request_state.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "common/http_syntax.h"

namespace gatehouse::engine {

RequestState::RequestState(const plan::ZonePlan& zone, const rules::RequestData& request,
                           std::string_view ray_id, std::string_view client_ip,
                           rules::Scratch& scratch)
    : zone_(zone),
      scratch_(scratch),
      data_(request),
      ray_id_(ray_id),
      client_ip_(client_ip),
      target_(request.raw_target) {
  request_headers_.Reset(request.headers);
  data_.raw_target = target_;
  data_.headers = &request_headers_.get();
  data_.has_response = false;
  data_.response_headers = &response_headers_.get();
}

rules::Evaluation& RequestState::evaluation() {
  if (evaluation_ == nullptr) evaluation_ = scratch_.AcquireEvaluation(data_);
  return *evaluation_;
}

std::string_view RequestState::path() const {
  return std::string_view(target_).substr(0, target_.find('?'));
}

std::string_view RequestState::query() const {
  const size_t mark = target_.find('?');
  return mark == std::string::npos ? std::string_view() : std::string_view(target_).substr(mark + 1);
}

bool RequestState::Refuse(const plan::CompiledRule* rule, std::string_view reason) {
  refused_values_.push_back({rule, reason});
  return false;
}

bool RequestState::CheckHeader(std::string_view name, std::string_view value,
                               const plan::CompiledRule* rule) {
  SyntaxViolation violation;
  if (FindFieldNameViolation(name, &violation) || FindFieldValueViolation(value, &violation)) {
    return Refuse(rule, violation.reason);
  }
  return true;
}

bool RequestState::RewritePath(std::string path, const plan::CompiledRule* rule) {
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  SyntaxViolation violation;
  if (FindPathViolation(path, &violation)) return Refuse(rule, violation.reason);
  request_rewritten_ = true;
  const size_t mark = target_.find('?');
  target_ = mark == std::string::npos ? path : path + target_.substr(mark);
  data_.raw_target = target_;
  Invalidate();
  return true;
}

bool RequestState::RewriteQuery(std::string query, const plan::CompiledRule* rule) {
  if (!query.empty() && query.front() == '?') query.erase(0, 1);
  SyntaxViolation violation;
  if (FindQueryViolation(query, &violation)) return Refuse(rule, violation.reason);
  request_rewritten_ = true;
  std::string path(this->path());
  target_ = query.empty() ? path : path + "?" + query;
  data_.raw_target = target_;
  Invalidate();
  return true;
}

std::string_view RequestState::Own(std::string value) {
  owned_.push_front(std::move(value));
  return owned_.front();
}

void RequestState::EditHeaders(rules::HeaderList& headers, std::string_view name,
                               std::optional<std::string_view> value, bool replace) {
  if (replace || !value.has_value()) {
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [&](const rules::HeaderField& field) {
                                   return absl::EqualsIgnoreCase(
                                       absl::string_view(field.first.data(), field.first.size()),
                                       absl::string_view(name.data(), name.size()));
                                 }),
                  headers.end());
  }
  if (value.has_value()) headers.emplace_back(name, *value);
}

bool RequestState::SetRequestHeader(std::string_view name, std::string value,
                                    const plan::CompiledRule* rule) {
  if (!CheckHeader(name, value, rule)) return false;
  request_rewritten_ = true;
  EditHeaders(EditRequestHeaders(), Own(std::string(name)), Own(std::move(value)), true);
  Invalidate();
  return true;
}

bool RequestState::AddRequestHeader(std::string_view name, std::string value,
                                    const plan::CompiledRule* rule) {
  if (!CheckHeader(name, value, rule)) return false;
  request_rewritten_ = true;
  EditHeaders(EditRequestHeaders(), Own(std::string(name)), Own(std::move(value)), false);
  Invalidate();
  return true;
}

void RequestState::RemoveRequestHeader(std::string_view name) {
  request_rewritten_ = true;
  EditHeaders(EditRequestHeaders(), name, std::nullopt, false);
  Invalidate();
}

rules::HeaderList& RequestState::EditRequestHeaders() {
  rules::HeaderList& headers = request_headers_.Mutable();
  data_.headers = &headers;
  return headers;
}

rules::HeaderList& RequestState::EditResponseHeaders() {
  rules::HeaderList& headers = response_headers_.Mutable();
  data_.response_headers = &headers;
  return headers;
}

void RequestState::BeginResponse(int status, const rules::HeaderList& headers) {
  data_.has_response = true;
  data_.response_code = status;
  response_headers_.Reset(&headers);
  data_.response_headers = &headers;
  response_headers_changed_ = false;
  Invalidate();
}

bool RequestState::SetResponseHeader(std::string_view name, std::string value,
                                     const plan::CompiledRule* rule) {
  if (!CheckHeader(name, value, rule)) return false;
  EditHeaders(EditResponseHeaders(), Own(std::string(name)), Own(std::move(value)), true);
  response_headers_changed_ = true;
  Invalidate();
  return true;
}

bool RequestState::AddResponseHeader(std::string_view name, std::string value,
                                     const plan::CompiledRule* rule) {
  if (!CheckHeader(name, value, rule)) return false;
  EditHeaders(EditResponseHeaders(), Own(std::string(name)), Own(std::move(value)), false);
  response_headers_changed_ = true;
  Invalidate();
  return true;
}

void RequestState::RemoveResponseHeader(std::string_view name) {
  EditHeaders(EditResponseHeaders(), name, std::nullopt, false);
  response_headers_changed_ = true;
  Invalidate();
}

bool RequestState::Respond(LocalResponse response, const plan::CompiledRule* rule) {
  // A redirect's Location is computed from the request: a CR/LF there would split the response.
  if (!CheckHeader("Content-Type", response.content_type, rule)) return false;
  for (const auto& [name, value] : response.headers) {
    if (!CheckHeader(name, value, rule)) return false;
  }
  if (data_.has_response) {
    // A response phase replaced the response: later response phases see the new one.
    data_.response_code = response.status;
    rules::HeaderList& headers = EditResponseHeaders();
    headers.clear();
    headers.emplace_back(Own("Content-Type"), Own(response.content_type));
    for (const auto& [name, value] : response.headers) headers.emplace_back(Own(name), Own(value));
    response_headers_changed_ = true;
    Invalidate();
  }
  local_response_ = std::move(response);
  deciding_rule_ = rule;
  return true;
}

void RequestState::SkipManagedRules(std::string_view ruleset,
                                    std::span<const std::string> rule_ids) {
  auto it = std::find_if(skipped_managed_rules_.begin(), skipped_managed_rules_.end(),
                         [&](const auto& entry) { return entry.first == ruleset; });
  if (it == skipped_managed_rules_.end()) {
    it = skipped_managed_rules_.insert(it, {std::string(ruleset), {}});
  }
  it->second.insert(it->second.end(), rule_ids.begin(), rule_ids.end());
}

std::span<const std::string> RequestState::SkippedManagedRules(std::string_view ruleset) const {
  for (const auto& [id, rule_ids] : skipped_managed_rules_) {
    if (id == ruleset) return rule_ids;
  }
  return {};
}

bool RequestState::IsProductSkipped(std::string_view product) const {
  return std::find(skipped_products_.begin(), skipped_products_.end(), product) !=
         skipped_products_.end();
}

}  // namespace gatehouse::engine
