// A stand-in for a new proxy instance in upgrade_test: takes the inherited listeners, then
// behaves as argv[1] says: "serve" (report ready, answer one connection with "hello"),
// "fail" (exit 3 before ready), "silent" (never report).
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "runtime/restart/upgrade.h"

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "serve";
  auto inherited = gatehouse::runtime::TakeInheritedListeners();
  if (!inherited.ok() || !inherited->has_value() || (*inherited)->fds.empty()) return 2;
  if (mode == "fail") return 3;
  if (mode == "silent") {
    std::this_thread::sleep_for(std::chrono::seconds(60));
    return 0;
  }
  if (!gatehouse::runtime::ReportReady(**inherited).ok()) return 4;
  const int client = accept((*inherited)->fds[0], nullptr, nullptr);
  if (client < 0) return 5;
  (void)!write(client, "hello", 5);
  close(client);
  return 0;
}
