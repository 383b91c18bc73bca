#include "bench/synthetic_requests.h"

#include <string_view>

namespace gatehouse::bench {

std::string SyntheticRequests::Word() {
  static constexpr std::string_view kWords[] = {
      "a",   "id",  "name", "x y", "O'Brien", "q\"t", "%41", "%zz", "+",     "%2b", "",
      "=",   "é",   "\xff", "<b>", "1e5",     "--",   "..",  "a\\b", "%00", "select", "&"};
  return std::string(Pick(kWords));
}

std::string SyntheticRequests::FormText() {
  std::string out;
  const int pairs = Below(5);
  for (int i = 0; i < pairs; ++i) {
    if (i > 0 || Chance(10)) out += Chance(90) ? "&" : "&&";
    out += Word();
    if (Chance(85)) out += "=" + Word() + (Chance(20) ? Word() : "");
  }
  if (Chance(10)) out += "&";
  return out;
}

std::string SyntheticRequests::Target() {
  static constexpr std::string_view kSegments[] = {
      "index.php", "a%2fb", "%3f", "x%23y", "a+b",  "%c0%af", "..",       "%2e%2E",
      "p%00q",     "",      "a\\b", "%zz",  "dir/", "file.txt", "%E2%82%AC", "~user"};
  std::string target;
  if (Chance(5)) target = Chance(50) ? "http://example.com" : "https://h:8080";
  const int segments = 1 + Below(3);
  for (int i = 0; i < segments; ++i) target += "/" + std::string(Pick(kSegments));
  if (Chance(60)) target += "?" + FormText();
  if (Chance(10)) target += "#frag" + (Chance(50) ? std::string("?x=1") : "");
  return target;
}

std::string SyntheticRequests::UrlEncoded() { return FormText(); }

std::string SyntheticRequests::CookieHeader() {
  static constexpr std::string_view kPieces[] = {"a=1", " b=2", "c", " =d", "e=f=g", "",
                                                 "  h ", "__utm=x", "s=\"q\"", "k=%41"};
  std::string out;
  const int pieces = 1 + Below(4);
  for (int i = 0; i < pieces; ++i) {
    if (i > 0) out += ";";
    out += Pick(kPieces);
  }
  if (Chance(20)) out += Chance(50) ? ";" : " ";
  return out;
}

std::string SyntheticRequests::ContentDisposition() {
  static constexpr std::string_view kDispositions[] = {
      "form-data; name=\"field\"",
      "form-data; name=\"file\"; filename=\"a.txt\"",
      "form-data; name=field2",
      "form-data; name='quoted'",
      "form-data; name=\"a\\\"b\\\\c\"",
      "form-data; name=\"f\"; filename=\"\"",
      "form-data; name=\"f\"; filename*=UTF-8''x.txt",
      "form-data; name=\"f\"; filename=\"y\"; filename*=UTF-8''x.txt",
      "form-data; name=\"f\"; filename = \"z\"",
      "form-data ; name = n",
      "form-data; name=\"a\"x",
      "form-data; name=\"a\"; name=\"b\"",
      "form-data; foo=\"bar\"",
      "form-data",
      "form-data;",
      "attachment; name=\"a\"",
      "form-data; name=\"unterminated",
      "form-data; name=\"_charset_\"",
      "form-data; name=\"f\"; filename=\"../../etc/passwd\"",
  };
  return std::string(Pick(kDispositions));
}

std::string SyntheticRequests::MultipartPart(const std::string& boundary, const std::string& eol) {
  std::string part;
  static constexpr std::string_view kOtherHeaders[] = {
      "Content-Type: text/plain", "Content-Type: application/xml", "X-Custom: v",
      "Content-Transfer-Encoding: base64", "NoColon", ": no name", "content-disposition: form-data; name=\"dup\""};
  if (Chance(92)) part += "Content-Disposition: " + ContentDisposition() + eol;
  const int others = Below(3);
  for (int i = 0; i < others; ++i) {
    part += std::string(Pick(kOtherHeaders)) + eol;
    if (Chance(15)) part += std::string(Chance(80) ? " " : (Chance(50) ? "\t" : "\v")) + "folded" + eol;
  }
  if (Chance(5)) part += "--" + boundary + eol;
  if (Chance(95)) part += eol;
  const int lines = Below(4);
  for (int i = 0; i < lines; ++i) {
    part += Word();
    if (Chance(8)) part += "--" + boundary;
    if (Chance(3)) part.push_back('\0');
    part += (Chance(85) ? eol : std::string("\n"));
  }
  return part;
}

void SyntheticRequests::Multipart(ProbeRequest& request) {
  static constexpr std::string_view kBoundaries[] = {
      "XX", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "a b", "=?x", "0000"};
  const std::string boundary(Pick(kBoundaries));
  std::string content_type = "multipart/form-data; boundary=" + boundary;
  switch (Below(12)) {
    case 0:
      content_type = "multipart/form-data; boundary=\"" + boundary + "\"";
      break;
    case 1:
      content_type = "multipart/form-data; boundary = " + boundary;
      break;
    case 2:
      content_type = "multipart/form-data boundary=" + boundary;
      break;
    case 3:
      content_type = "multipart/form-data; boundary=" + boundary + "; charset=utf-8";
      break;
    case 4:
      content_type = "Multipart/Form-Data; BOUNDARY=" + boundary;
      break;
    default:
      break;
  }
  request.headers.emplace_back("Content-Type", content_type);
  const std::string eol = Chance(85) ? "\r\n" : "\n";
  std::string body;
  if (Chance(8)) body += "preamble" + eol;
  const int parts = Below(4);
  for (int i = 0; i < parts; ++i) {
    body += "--" + boundary;
    if (Chance(3)) body += Chance(50) ? " " : "junk";
    body += Chance(90) ? eol : std::string(eol == "\n" ? "\r\n" : "\n");
    body += MultipartPart(boundary, eol);
  }
  const int ending = Below(10);
  if (ending < 7) {
    body += "--" + boundary + "--" + eol;
  } else if (ending < 9) {
    body += "--" + boundary + "--";
  }
  if (Chance(8)) body += "epilogue";
  request.body = Chance(10) ? Damage(body) : body;
}

std::string SyntheticRequests::JsonString() {
  static constexpr std::string_view kStrings[] = {
      "\"plain\"", "\"\"",          "\"a\\\"b\"",      "\"\\u00e9\"",   "\"\\ud83d\\ude00\"",
      "\"\\ud83dx\"", "\"\\udc00\"", "\"tab\\t\"",      "\"\\u0000z\"", "\"\xc3\xa9\"",
      "\"\xc0\xaf\"", "\"\\/\"",     "\"<script>\"",    "\"\\q\"",       "\"\x01\""};
  return std::string(Pick(kStrings));
}

std::string SyntheticRequests::Json(int depth) {
  const int kind = depth >= 4 ? Below(4) : Below(6);
  switch (kind) {
    case 0:
      return JsonString();
    case 1: {
      static constexpr std::string_view kNumbers[] = {"0", "-1", "1.5e+3", "01", "1.", "-", "1e5"};
      return std::string(Pick(kNumbers));
    }
    case 2: {
      static constexpr std::string_view kLiterals[] = {"true", "false", "null", "tru"};
      return std::string(Pick(kLiterals));
    }
    case 3:
      return Chance(50) ? "[]" : "{}";
    case 4: {
      std::string out = "[";
      const int items = Below(4);
      for (int i = 0; i < items; ++i) out += (i > 0 ? "," : "") + Json(depth + 1);
      return out + (Chance(5) ? ",]" : "]");
    }
    default: {
      std::string out = "{";
      const int members = Below(4);
      for (int i = 0; i < members; ++i) {
        static constexpr std::string_view kKeys[] = {"\"a\"", "\"\"", "\"k.l\"", "\"a\\u0041\"",
                                                      "\"a\""};
        out += (i > 0 ? "," : "") + std::string(Pick(kKeys)) + ":" + Json(depth + 1);
      }
      return out + "}";
    }
  }
}

std::string SyntheticRequests::XmlText() {
  static constexpr std::string_view kTexts[] = {
      "text", " ", "\n  ", "&amp;", "&lt;&gt;", "&#65;", "&#x42;", "&#0;", "&foo;", "a & b",
      "<![CDATA[<c>]]>", "<!-- c -->", "<?pi x?>", "]]>", "\xc3\xa9", "\xff", "\r\n", "\x01"};
  return std::string(Pick(kTexts));
}

std::string SyntheticRequests::XmlElement(int depth) {
  static constexpr std::string_view kNames[] = {"a", "b", "p:c", "xml-el", "_x", "\xc3\xa9l"};
  const std::string name(Pick(kNames));
  std::string out = "<" + name;
  const int attributes = Below(3);
  static constexpr std::string_view kAttributes[] = {
      " x=\"1\"", " y='2'", " z=\"a&amp;b\"", " t=\"1&#10;2\t3\r\n4\"", " xmlns=\"u\"",
      " xmlns:p=\"v\"", " p:q=\"w\"", " x=\"dup\"", " w=\"<\"", " v=noquote"};
  for (int i = 0; i < attributes; ++i) out += Pick(kAttributes);
  if (Chance(15)) return out + "/>";
  out += ">";
  const int children = depth >= 3 ? Below(2) : Below(4);
  for (int i = 0; i < children; ++i) {
    out += Chance(50) ? XmlText() : XmlElement(depth + 1);
  }
  return out + "</" + (Chance(3) ? std::string("wrong") : name) + ">";
}

std::string SyntheticRequests::Xml() {
  std::string out;
  switch (Below(8)) {
    case 0:
      out += "<?xml version=\"1.0\"?>\n";
      break;
    case 1:
      out += "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>";
      break;
    case 2:
      out += "<!DOCTYPE a SYSTEM \"a.dtd\">";
      break;
    case 3:
      out += "<!-- head -->";
      break;
    default:
      break;
  }
  out += XmlElement(0);
  if (Chance(10)) out += Chance(50) ? "\n<!-- tail -->\n" : "trailing";
  return out;
}

std::string SyntheticRequests::Damage(std::string text) {
  if (text.empty()) return text;
  const std::size_t at = static_cast<std::size_t>(Below(static_cast<int>(text.size())));
  switch (Below(4)) {
    case 0:
      return text.substr(0, at);  // cut
    case 1:
      return text.erase(at, 1);
    case 2: {
      static constexpr char kBytes[] = {'"', '\'', '<', '>', '&', '\n', '\r', ';', '=', '\\',
                                        '{', '}', '[', ']', ',', ':', '-', '\0', '\x80'};
      return text.insert(at, 1, Pick(kBytes));
    }
    default:
      return text.insert(at, text.substr(at / 2, 8));
  }
}

ProbeRequest SyntheticRequests::Next() {
  ProbeRequest request;
  request.version = "1.1";
  request.uri = Target();
  request.headers.emplace_back("Host", "localhost");
  if (Chance(30)) request.headers.emplace_back(Chance(80) ? "Cookie" : "cookie", CookieHeader());
  switch (Below(5)) {
    case 0:
      request.method = "GET";
      break;
    case 1:
      request.method = "POST";
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      request.body = UrlEncoded();
      break;
    case 2:
      request.method = "POST";
      Multipart(request);
      break;
    case 3:
      request.method = "POST";
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = Json(0);
      if (Chance(20)) request.body = Damage(request.body);
      break;
    default:
      request.method = "POST";
      request.headers.emplace_back("Content-Type", Chance(50) ? "application/xml" : "text/xml");
      request.body = Xml();
      if (Chance(25)) request.body = Damage(request.body);
      break;
  }
  if (!request.body.empty()) {
    request.headers.emplace_back("Content-Length", std::to_string(request.body.size()));
  }
  return request;
}

}  // namespace gatehouse::bench
