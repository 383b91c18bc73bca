#include "body/multipart.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "body/ascii.h"
#include "body/multipart_disposition.h"

namespace gatehouse::body {

bool MultipartFlags::strict_error() const {
  return error || boundary_quoted || boundary_whitespace || data_before || data_after ||
         header_folding || lf_line || missing_semicolon || invalid_quoting || invalid_part ||
         invalid_header_folding || file_limit_exceeded;
}

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// libmodsecurity's chomp: trailing CRs and LFs go, unless the text is nothing else.
std::string_view Chomp(std::string_view text) {
  const std::size_t last = text.find_last_not_of("\r\n");
  return last == std::string_view::npos ? text : text.substr(0, last + 1);
}

struct PartHeader {
  std::string_view name;
  std::string_view value;
};

// The part being read: libmodsecurity's MultipartPart (m_mpp).
struct OpenPart {
  bool in_data = false;  // past the blank line (m_mpp_state 1)
  std::vector<PartHeader> headers;
  std::vector<std::string_view> lines;  // MULTIPART_PART_HEADERS, once the part completes
  // The latest header line (rewritten by its continuations): it joins `lines` when the next
  // header line or the blank line comes, not before.
  std::string_view pending_line;
  std::string_view last_header_name;    // the header a continuation line extends
  ContentDisposition disposition;
  bool is_file = false;
  std::size_t content_start = 0;
  std::size_t content_end = 0;
  int data_lines = 0;
  // The ARGS_POST value: one slice while it is one, then built in `joined`.
  std::string_view value;
  std::string joined;
  bool value_is_joined = false;

  void Reset() {
    in_data = false;
    headers.clear();
    lines.clear();
    pending_line = std::string_view();
    last_header_name = std::string_view();
    disposition = ContentDisposition();
    is_file = false;
    content_start = content_end = 0;
    data_lines = 0;
    value = std::string_view();
    joined.clear();
    value_is_joined = false;
  }

  const PartHeader* Find(std::string_view name) const {
    for (const PartHeader& header : headers) {
      if (EqualsIgnoreAsciiCase(header.name, name)) return &header;
    }
    return nullptr;
  }
};

// libmodsecurity's line machine (Multipart::process and its helpers) over one buffered body.
class MultipartReader {
 public:
  MultipartReader(std::string_view input, std::string_view boundary, BodyExtent extent,
                  TextArena& arena, MultipartBody& body)
      : input_(input), boundary_(boundary), extent_(extent), arena_(arena), body_(body) {}

  void Run();
  const std::string& last_error() const { return last_error_; }

 private:
  // Returns false on a fatal error, which ends the reading.
  bool HandleLine(std::size_t start, std::size_t length, bool at_line_limit);
  bool LooksLikeBoundaryLine(std::string_view line, std::size_t length) const;
  void HeaderLine(std::string_view line);
  void BlankLineAfterHeaders();
  void FoldedHeaderLine(std::string_view line);
  void NewHeaderLine(std::string_view line);
  void DataLine(std::size_t start, std::size_t length);
  void CloseAndOpenPart(bool last);
  void CommitPendingLine() {
    if (!part_.pending_line.empty()) part_.lines.push_back(part_.pending_line);
    part_.pending_line = std::string_view();
  }
  // The line ending before a boundary belongs to it: a bare LF there is flagged too.
  void FlagLineEndingBefore(std::size_t boundary_start) {
    if (boundary_start >= 1 && input_[boundary_start - 1] == '\n' &&
        (boundary_start < 2 || input_[boundary_start - 2] != '\r')) {
      body_.flags.lf_line = true;
    }
  }
  void Finish(std::size_t leftover_start, std::size_t leftover_length);

  void Error(std::string message) { last_error_ = std::move(message); }
  bool Fatal(std::string message) {
    body_.flags.error = true;
    Error(std::move(message));
    return false;
  }
  // A byte of the line as libmodsecurity's NUL-terminated buffer holds it.
  static char At(std::string_view line, std::size_t i) { return i < line.size() ? line[i] : '\0'; }
  // strncmp(line + at, boundary, size)
  bool BoundaryAt(std::string_view line, std::size_t at) const {
    for (std::size_t k = 0; k < boundary_.size(); ++k) {
      if (At(line, at + k) != boundary_[k]) return false;
    }
    return true;
  }

  std::string_view input_;
  std::string_view boundary_;
  BodyExtent extent_;
  TextArena& arena_;
  MultipartBody& body_;
  std::string last_error_;

  bool part_open_ = false;
  OpenPart part_;
  std::size_t line_end_ = 0;  // where the line being handled ends in the input
  bool line_start_ = true;  // the buffer starts a line (m_buf_contains_line)
  bool complete_ = false;
  int boundary_count_ = 0;
};

void MultipartReader::Run() {
  std::size_t pos = 0;
  std::size_t line_start = 0;
  std::size_t length = 0;
  bool stopped = false;
  while (pos < input_.size()) {
    const char c = input_[pos];
    // libmodsecurity does not take a CR as the buffer's last byte: it reads the buffer first.
    const bool cr_at_limit = c == '\r' && length == kMultipartLineLimit - 1;
    if (!cr_at_limit) {
      ++length;
      ++pos;
    }
    if (c == '\n' || length == kMultipartLineLimit || cr_at_limit) {
      const bool at_limit = length == kMultipartLineLimit || cr_at_limit;
      if (!HandleLine(line_start, length, at_limit)) {
        stopped = true;
        break;
      }
      line_start += length;
      length = 0;
      line_start_ = c == '\n';
    }
    if (complete_ && pos < input_.size()) {
      body_.flags.data_after = true;
      break;
    }
  }
  if (stopped) {
    // The failing line stays in libmodsecurity's buffer: it is not a final boundary.
    Finish(line_start, 0);
  } else {
    Finish(line_start, complete_ ? 0 : length);
  }
}

bool MultipartReader::LooksLikeBoundaryLine(std::string_view line, std::size_t length) const {
  return line_start_ && length > 3 && line[0] == '-' && line[1] == '-';
}

bool MultipartReader::HandleLine(std::size_t start, std::size_t length, bool at_line_limit) {
  const std::string_view line = input_.substr(start, length);
  line_end_ = start + length;
  // libmodsecurity's string functions stop at a NUL byte.
  const std::size_t c_length = std::min(line.find('\0'), line.size());
  bool was_boundary = false;
  if (LooksLikeBoundaryLine(line, c_length)) {
    if (c_length >= boundary_.size() + 2 && BoundaryAt(line, 2)) {
      FlagLineEndingBefore(start);
      if (part_open_ && (!part_.in_data || part_.data_lines == 0)) {
        // 3.0.8's fix: a boundary is one only after a data line of the part it ends (whose line
        // ending belongs to the boundary); inside the headers, or right after them, the line is
        // read as what the part expects next.
        body_.flags.invalid_part = true;
      } else {
        if (boundary_count_ > 0) body_.flags.unmatched_boundary = 2;
        std::size_t end = 2 + boundary_.size();
        bool is_final = false;
        if (At(line, end) == '-' && At(line, end + 1) == '-') {
          is_final = true;
          end += 2;
          if (complete_) return Fatal("Multipart: Invalid boundary (final duplicate).");
        }
        const bool crlf = At(line, end) == '\r' && At(line, end + 1) == '\n' && end + 2 == c_length;
        const bool lf = At(line, end) == '\n' && end + 1 == c_length;
        if (!crlf && !lf) {
          return Fatal("Multipart: Invalid boundary: " + std::string(line.substr(0, c_length)));
        }
        (lf ? body_.flags.lf_line : body_.flags.crlf_line) = true;
        CloseAndOpenPart(is_final);
        if (is_final) complete_ = true;
        was_boundary = true;
        ++boundary_count_;
      }
    } else {
      if (body_.flags.boundary_quoted && c_length >= boundary_.size() + 3 && line[2] == '"' &&
          BoundaryAt(line, 3)) {
        return Fatal("Multipart: Invalid boundary (quotes).");
      }
      std::size_t p = 2;
      while (IsCSpace(At(line, p))) ++p;
      if (p != 2 && BoundaryAt(line, p)) return Fatal("Multipart: Invalid boundary (whitespace).");
      body_.flags.unmatched_boundary = 1;
    }
  } else if (line_start_) {
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
      if (line[i] == '-' && line[i + 1] == '-' && BoundaryAt(line, i + 2)) {
        body_.flags.unmatched_boundary = 1;
        break;
      }
    }
  }
  if (was_boundary) return true;
  if (!part_open_) {
    body_.flags.data_before = true;
  } else if (!part_.in_data) {
    if (at_line_limit) {
      return Fatal("Multipart: Part header line over " + std::to_string(kMultipartLineLimit) +
                   " bytes long");
    }
    HeaderLine(line);
  } else {
    DataLine(start, length);
  }
  return true;
}

void MultipartReader::HeaderLine(std::string_view line) {
  if (line.find('\0') != std::string_view::npos) {
    Error("Multipart: Nul byte in part headers.");
    return;
  }
  if (line.size() > 1 && line[line.size() - 2] == '\r') {
    body_.flags.crlf_line = true;
  } else {
    body_.flags.lf_line = true;
  }
  if (line == "\r\n" || line == "\n") {
    CommitPendingLine();
    BlankLineAfterHeaders();
  } else if (IsCSpace(line[0])) {
    FoldedHeaderLine(line);
  } else {
    CommitPendingLine();
    NewHeaderLine(line);
  }
}

void MultipartReader::BlankLineAfterHeaders() {
  const PartHeader* disposition = part_.Find("Content-Disposition");
  if (disposition == nullptr) {
    Error("Multipart: Part missing Content-Disposition header.");
    return;
  }
  // A part keeps what an earlier, refused reading of its Content-Disposition found.
  const absl::Status status =
      ParseContentDisposition(disposition->value, arena_, part_.disposition);
  ContentDisposition& read = part_.disposition;
  body_.names_seen.insert(body_.names_seen.end(), read.names_seen.begin(), read.names_seen.end());
  body_.filenames_seen.insert(body_.filenames_seen.end(), read.filenames_seen.begin(),
                              read.filenames_seen.end());
  read.names_seen.clear();
  read.filenames_seen.clear();
  if (read.invalid_quoting) body_.flags.invalid_quoting = true;
  if (!status.ok()) {
    Error(std::string(status.message()));
    return;
  }
  if (read.name.empty()) {
    Error("Multipart: Content-Disposition header missing name field.");
    return;
  }
  if (!read.filename.empty()) {
    // A crude parser could see no file here: refuse what they would disagree on.
    if (disposition->value.find("filename=") == std::string_view::npos) {
      Error("Multipart: Invalid Content-Disposition header (filename).");
      return;
    }
    part_.is_file = true;
  } else {
    part_.is_file = false;
  }
  part_.in_data = true;
  part_.last_header_name = std::string_view();
  part_.content_start = part_.content_end = line_end_;
}

void MultipartReader::FoldedHeaderLine(std::string_view line) {
  body_.flags.header_folding = true;
  if (!IsBlank(line[0])) body_.flags.invalid_header_folding = true;
  if (part_.last_header_name.empty()) {
    Error("Multipart: Invalid part header (folding error).");
    return;
  }
  std::size_t i = 0;
  while (i < line.size() && IsCSpace(line[i])) {
    if (!IsBlank(line[i])) body_.flags.invalid_header_folding = true;
    ++i;
  }
  const std::string_view continuation = Chomp(line.substr(i));
  PartHeader* header = nullptr;
  for (PartHeader& candidate : part_.headers) {
    if (EqualsIgnoreAsciiCase(candidate.name, part_.last_header_name)) header = &candidate;
  }
  const std::size_t size = header->value.size() + 1 + continuation.size();
  char* joined = arena_.Allocate(size);
  std::memcpy(joined, header->value.data(), header->value.size());
  joined[header->value.size()] = ' ';
  std::memcpy(joined + header->value.size() + 1, continuation.data(), continuation.size());
  header->value = std::string_view(joined, size);

  // MULTIPART_PART_HEADERS shows the folded header as "Name: value".
  const std::size_t line_size = header->name.size() + 2 + size;
  char* rewritten = arena_.Allocate(line_size);
  std::memcpy(rewritten, header->name.data(), header->name.size());
  std::memcpy(rewritten + header->name.size(), ": ", 2);
  std::memcpy(rewritten + header->name.size() + 2, joined, size);
  part_.pending_line = std::string_view(rewritten, line_size);
  if (size > kMultipartLineLimit) Error("Multipart: Part header too long.");
}

void MultipartReader::NewHeaderLine(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    Error("Multipart: Invalid part header (colon missing): " + std::string(line));
    return;
  }
  if (colon == 0) {
    Error("Multipart: Invalid part header (header name missing).");
    return;
  }
  const std::string_view name = line.substr(0, colon);
  std::size_t i = colon + 1;
  while (i < line.size() && IsBlank(line[i])) ++i;
  const std::string_view value = Chomp(line.substr(i));
  if (part_.Find(name) != nullptr) return;  // ignored, without an error message
  part_.headers.push_back(PartHeader{name, value});
  part_.last_header_name = name;
  part_.pending_line = line;
}

void MultipartReader::DataLine(std::size_t start, std::size_t length) {
  const std::string_view line = input_.substr(start, length);
  // The line ending is held back: before a boundary it is not data. libmodsecurity adds it back
  // to a file's size but never to a field's value.
  std::size_t ending = 0;
  if (!line.empty() && line.back() == '\n') {
    ending = line.size() >= 2 && line[line.size() - 2] == '\r' ? 2 : 1;
  }
  part_.content_end = start + length - ending;
  ++part_.data_lines;
  if (part_.is_file) return;
  const std::string_view piece = line.substr(0, line.size() - ending);
  if (part_.value_is_joined) {
    part_.joined.append(piece);
  } else if (part_.value.empty()) {
    part_.value = piece;
  } else if (!piece.empty()) {
    part_.joined.assign(part_.value);
    part_.joined.append(piece);
    part_.value_is_joined = true;
  }
}

void MultipartReader::CloseAndOpenPart(bool last) {
  if (part_open_) {
    // Only reached without a data line by the final boundary at the very end (Finish).
    if (!part_.in_data || part_.data_lines == 0) body_.flags.invalid_part = true;
    const std::string_view name = part_.disposition.name;
    // MULTIPART_PART_HEADERS gets the lines of every part closed, named or not.
    for (std::string_view line : part_.lines) {
      body_.header_lines.push_back(MultipartHeaderLine{name, line});
    }
    if (!name.empty()) {
      MultipartPart done;
      done.name = name;
      done.is_file = part_.is_file;
      done.filename = part_.is_file ? part_.disposition.filename : std::string_view();
      if (const PartHeader* type = part_.Find("Content-Type")) done.content_type = type->value;
      if (const PartHeader* disposition = part_.Find("Content-Disposition")) {
        done.content_disposition = disposition->value;
      }
      if (const PartHeader* encoding = part_.Find("Content-Transfer-Encoding")) {
        done.content_transfer_encoding = encoding->value;
      }
      const std::size_t end = std::max(part_.content_end, part_.content_start);
      done.content = input_.substr(part_.content_start, end - part_.content_start);
      done.size = done.content.size();
      if (!part_.is_file) {
        done.value = part_.value_is_joined ? arena_.Copy(part_.joined) : part_.value;
      }
      body_.parts.push_back(done);
    } else {
      body_.flags.invalid_part = true;
    }
    part_open_ = false;
  }
  if (!last) {
    part_.Reset();
    part_open_ = true;
  }
}

void MultipartReader::Finish(std::size_t leftover_start, std::size_t leftover_length) {
  if (input_.empty() || complete_) {
    body_.parts_reported = true;
    return;
  }
  const std::string_view leftover = input_.substr(leftover_start, leftover_length);
  if (boundary_count_ > 0 && line_start_ && leftover.size() == boundary_.size() + 4 &&
      leftover.substr(0, 2) == "--" && leftover.substr(2, boundary_.size()) == boundary_ &&
      leftover.substr(2 + boundary_.size()) == "--") {
    // The final boundary without a line ending.
    FlagLineEndingBefore(leftover_start);
    CloseAndOpenPart(/*last=*/true);
    complete_ = true;
    body_.parts_reported = true;
    return;
  }
  if (extent_ == BodyExtent::kTruncated) {
    // Cut at the inspection limit: not being finished is no error (a fatal one stays), and
    // the part being read ends at the cut.
    if (body_.flags.error) return;
    if (part_open_ && part_.in_data && leftover_length > 0) {
      DataLine(leftover_start, leftover_length);
    }
    if (part_open_ && part_.in_data) CloseAndOpenPart(/*last=*/true);
    body_.parts_reported = true;
    return;
  }
  Error(boundary_count_ > 0 ? "Multipart: Final boundary missing."
                            : "Multipart: No boundaries found in payload.");
}

}  // namespace

absl::Status ParseMultipart(std::string_view content_type, std::string_view input,
                            BodyExtent extent, TextArena& arena, MultipartBody& body) {
  body.flags = MultipartFlags();
  body.read = false;
  body.parts.clear();
  body.parts_reported = false;
  body.header_lines.clear();
  body.names_seen.clear();
  body.filenames_seen.clear();

  MultipartBoundary boundary;
  const absl::Status read_status = ReadMultipartBoundary(content_type, boundary);
  body.flags.boundary_quoted = boundary.quoted;
  body.flags.boundary_whitespace = boundary.whitespace;
  body.flags.missing_semicolon = boundary.missing_semicolon;
  if (!read_status.ok()) {
    body.flags.error = true;
    return read_status;
  }
  if (boundary.refused) return absl::OkStatus();
  body.read = true;
  MultipartReader reader(input, boundary.boundary, extent, arena, body);
  reader.Run();
  if (reader.last_error().empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(reader.last_error());
}

}  // namespace gatehouse::body
