#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/support/fuzz_driver.h"

// libFuzzer entry point for the request-body parsers (body/): url-encoded forms, multipart,
// JSON and XML, which read attacker-chosen bytes on every request the managed WAF inspects. The
// first byte picks the parser (0 form, 1 multipart, 2 JSON, 3 XML, modulo 4); for multipart the
// next line is the Content-Type. Each parser reads the input whole and as a prefix cut at the
// inspection limit. Aborts when an invariant breaks:
//   - every view a parser hands out lies inside the input or inside its arena;
//   - parsing twice gives the same result (no state leaks between requests);
//   - a cut prefix is never a parse error merely for being cut, and a document read whole
//     without error reads the same when marked as cut;
//   - form: one field per separator at most, plus one; %-decoding only shrinks;
//   - multipart: the flags are consistent (MULTIPART_CRLF_LF_LINES needs both line endings,
//     MULTIPART_STRICT_ERROR follows its flags); a part's content lies inside the input and its
//     field value is no longer; fields are reported whenever the reading succeeded;
//   - JSON: every name starts with "json" and nests no deeper than the limit allows;
//   - XML: attribute values and the root text come only with a root element.
// Memory errors abort under --config=asan.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace gatehouse::testing {
// Each parser as its own target, with its syntax as mutation tokens, for the bounded driver and
// the replay tests (each has a corpus in tests/fuzz/body_corpus/<name>).
FuzzTarget FormFuzzTarget();
FuzzTarget MultipartFuzzTarget();
FuzzTarget JsonFuzzTarget();
FuzzTarget XmlFuzzTarget();
// "form", "multipart", "json" or "xml"; a target with no run for another name.
FuzzTarget BodyFuzzTargetByName(std::string_view name);
}  // namespace gatehouse::testing
