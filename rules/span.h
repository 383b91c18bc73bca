#pragma once

#include <cstddef>

namespace gatehouse::rules {

// A half-open byte range [offset, offset + length) of an expression's source text. Kept apart
// from diagnostics so the tree (ast.h) can carry positions without the front end; a tree linked
// from IR has none (every span is the default).
struct Span {
  size_t offset = 0;
  size_t length = 1;
};

}  // namespace gatehouse::rules
