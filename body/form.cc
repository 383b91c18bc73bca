#include "body/form.h"

#include "body/percent_decoding.h"

namespace gatehouse::body {

FormParseResult ParseForm(std::string_view input, TextArena& arena, std::vector<FormField>& fields,
                          char separator) {
  FormParseResult result;
  std::size_t start = 0;
  // ModSecurity splits with std::getline: a separator at the very end opens no further piece.
  while (start < input.size()) {
    std::size_t end = input.find(separator, start);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view piece = input.substr(start, end - start);
    const std::size_t equals = piece.find('=');
    const std::string_view raw_name = piece.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : piece.substr(equals + 1);
    const PercentDecoded name = PercentDecode(raw_name, PlusSign::kSpace, arena);
    const PercentDecoded value = PercentDecode(raw_value, PlusSign::kSpace, arena);
    result.invalid_encoding = result.invalid_encoding || name.invalid || value.invalid;
    fields.push_back(FormField{name.text, value.text});
    start = end + 1;
  }
  return result;
}

}  // namespace gatehouse::body
