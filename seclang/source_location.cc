#include "seclang/source_location.h"

#include "seclang/text.h"

namespace gatehouse::seclang {

std::string SourceLocation::ToString() const { return Cat(file, ":", line, ":", column); }

}  // namespace gatehouse::seclang
