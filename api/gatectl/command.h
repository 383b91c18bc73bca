#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/file_util.h"  // ReadFile, for every command
#include "common/grpc_client_tls.h"

namespace gatehouse::gatectl {

// Exit codes scripts can rely on.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;  // the config, expression or request was rejected;
                                        // for `diff`: the files differ
inline constexpr int kExitUsage = 2;    // bad command line or unreadable file
inline constexpr int kExitServer = 3;   // the server could not be reached or failed

// What every command may use: the global flags.
struct GlobalOptions {
  std::string addr;
  std::string token;
  int64_t timeout_ms = 10000;
  bool json = false;
  // PEM file of the CA that signed the control plane's certificate: connect with TLS.
  std::string tls_ca;
  // A client certificate and its key, for a control plane that asks for one (mutual TLS).
  std::string tls_cert;
  std::string tls_key;
  // The three files above, read and checked once the flags are parsed.
  ClientTls tls;
};

// Flags that only some commands read.
struct CommandOptions {
  int64_t expected_version = 0;     // push, rollback, delete
  bool transfer_hostnames = false;  // push (admin)
  std::vector<std::string> zones;   // tokens create, lists create, scope (with zones_list's)
  std::string zones_list;           // --zones a,b
  std::string permission;           // tokens create: read | edit | watch
  std::string description;          // tokens create
  bool follow = false;              // watch: repeat until interrupted
  int64_t interval_ms = 1000;       // watch --follow
  // certs upload: one chain file; compile: ZONE=CHAIN.pem,KEY.pem, repeatable.
  std::vector<std::string> certs;
  std::string key;  // certs upload
  std::string kind;  // lists create: ip | int | bytes
  std::string file;  // lists create, replace, add, remove: items, one a line
};

}  // namespace gatehouse::gatectl
