#ifndef GATEHOUSE_WAF_INPUTS_REQUEST_COLLECTIONS_H_
#define GATEHOUSE_WAF_INPUTS_REQUEST_COLLECTIONS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "body/form.h"
#include "body/multipart.h"
#include "body/xml.h"
#include "body/text_arena.h"
#include "rules/request_data.h"
#include "waf_inputs/body_processor.h"
#include "waf_inputs/collection.h"
#include "waf_inputs/cookies.h"
#include "waf_inputs/key_selector.h"

namespace gatehouse::waf_inputs {

// One (key, value) of a collection. Views point into the RequestData the collections were built
// from or into the RequestCollections object, and stay valid until its next Build or Reset.
struct CollectionEntry {
  std::string_view key;
  std::string_view value;

  friend bool operator==(const CollectionEntry&, const CollectionEntry&) = default;
};

// The engine set-up the collections follow; the defaults are CRS's recommended modsecurity.conf.
struct RequestCollectionsOptions {
  char argument_separator = '&';    // SecArgumentSeparator
  std::size_t max_arguments = 1000;  // SecArgumentsLimit: later arguments are dropped
  int json_depth_limit = 512;        // SecRequestBodyJsonDepthLimit
  int xml_depth_limit = 257;         // deeper nesting is a parse error, as in libxml2
  std::size_t xml_max_nodes = 100000;  // elements, attributes and text runs; beyond: an error
};

// ModSecurity's request variables (see Collection) for one request, computed at once from a
// rules::RequestData and a body processor. Meant to be kept per worker and rebuilt for each
// request: Build() clears what the previous request left and reuses its memory.
//
//   RequestCollections collections;  // per worker
//   collections.Build(request, SelectBodyProcessor(*request.headers));
//   for (const CollectionEntry& arg : collections.Entries(Collection::kArgs)) ...
//
// When the body is only a prefix (request.body.size() < request.body_size), the processors read
// the prefix and do not report as a parse error what is only the cut (an unterminated JSON
// document, a missing final multipart boundary): body_truncated() says so.
class RequestCollections {
 public:
  RequestCollections() = default;
  RequestCollections(const RequestCollections&) = delete;
  RequestCollections& operator=(const RequestCollections&) = delete;

  // `request` (and what its views point to) must outlive the use of the collections.
  void Build(const rules::RequestData& request, BodyProcessor processor,
             const RequestCollectionsOptions& options = {});

  // Empties every collection, keeping the memory.
  void Reset();

  // The entries in request order. A scalar has exactly one entry, with an empty key.
  std::span<const CollectionEntry> Entries(Collection collection) const {
    return entries_[Index(collection)];
  }

  // A scalar's value ("" when libmodsecurity would not have set it).
  std::string_view Scalar(Collection collection) const;

  // The entries `selector` picks, in order: fn(const CollectionEntry&).
  template <typename Fn>
  void ForEach(Collection collection, const KeySelector& selector, Fn&& fn) const {
    for (const CollectionEntry& entry : Entries(collection)) {
      if (selector.Matches(entry.key)) fn(entry);
    }
  }

  // `&ARGS:id`: how many entries `selector` picks.
  std::size_t Count(Collection collection, const KeySelector& selector) const;

  BodyProcessor body_processor() const { return body_processor_; }
  bool body_truncated() const { return body_truncated_; }
  // REQBODY_ERROR: the body processor could not read the body.
  bool body_error() const { return Scalar(Collection::kReqbodyError) == "1"; }

 private:
  static std::size_t Index(Collection collection) { return static_cast<std::size_t>(collection); }

  void Append(Collection collection, std::string_view key, std::string_view value) {
    entries_[Index(collection)].push_back(CollectionEntry{key, value});
  }
  void SetScalar(Collection collection, std::string_view value);
  std::string_view FormatNumber(uint64_t number);

  void ReadRequestLine(const rules::RequestData& request);
  void ReadHeaders(const rules::HeaderList& headers);
  void ReadBody(const rules::RequestData& request, BodyProcessor processor);
  // ModSecurity's Transaction::addArgument: ARGS and ARGS_<origin>, the combined size and the
  // argument limit. Multipart fields bypass it, as in libmodsecurity.
  enum class ArgumentOrigin { kQuery, kBody, kJson };
  // False when the argument limit dropped it.
  bool AddArgument(ArgumentOrigin origin, std::string_view name, std::string_view value);
  void AddForm(ArgumentOrigin origin, std::string_view input);
  void ReadMultipart(const rules::RequestData& request);
  void ReadJson(const rules::RequestData& request);
  void ReadXml(const rules::RequestData& request);
  void FillNames();
  void SetBodyError(std::string_view message);
  void SetBodyError(std::string_view prefix, absl::string_view message);
  static std::string_view Flag(bool set);

  RequestCollectionsOptions options_;
  std::array<std::vector<CollectionEntry>, kCollectionCount> entries_;
  body::TextArena arena_;
  std::vector<body::FormField> form_fields_;
  std::vector<Cookie> cookies_;
  body::MultipartBody multipart_;
  body::XmlValues xml_;
  uint64_t combined_argument_size_ = 0;
  bool any_argument_counted_ = false;
  BodyProcessor body_processor_ = BodyProcessor::kNone;
  bool body_truncated_ = false;
};


}  // namespace gatehouse::waf_inputs

#endif  // GATEHOUSE_WAF_INPUTS_REQUEST_COLLECTIONS_H_
