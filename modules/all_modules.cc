#include "modules/all_modules.h"

#include "modules/custom_errors/custom_errors.h"
#include "modules/origin_routing/origin_routing.h"
#include "modules/redirects/redirects.h"
#include "modules/transforms/transforms.h"
#include "modules/waf_custom/waf_custom.h"

namespace gatehouse::modules {

std::vector<runtime::Module> AllModules() {
  std::vector<runtime::Module> modules;
  modules.push_back(RedirectsModule());
  modules.push_back(TransformsModule());
  modules.push_back(OriginRoutingModule());
  modules.push_back(WafCustomModule());
  modules.push_back(CustomErrorsModule());
  return modules;
}

}  // namespace gatehouse::modules
