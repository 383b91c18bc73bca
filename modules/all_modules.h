#pragma once

#include <vector>

#include "runtime/engine/module_api.h"

namespace gatehouse::modules {

// Every product the proxy runs, in the order they are registered (which fixes the order of two
// modules that share a phase).
std::vector<runtime::Module> AllModules();

}  // namespace gatehouse::modules
