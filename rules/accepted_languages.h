#pragma once

#include <string_view>
#include <vector>

namespace gatehouse::rules {

// The language ranges of an Accept-Language field value (http.request.accepted_languages):
// ordered by quality, highest first, ranges of equal quality in the order sent. A range with
// q=0 ("not acceptable") is left out, as is an empty one; a q that is not a number from 0 to 1
// with at most three decimals counts as the default, 1. Ranges are kept as sent ("en-GB", "*").
// Views point into `value`; appended to `out`.
void AppendAcceptedLanguages(std::string_view value, std::vector<std::string_view>& out);

}  // namespace gatehouse::rules
