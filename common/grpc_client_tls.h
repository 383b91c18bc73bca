#pragma once

// The channel security of a gRPC client of the control plane (the proxy, gatectl), from its
// flags: plaintext, TLS that verifies the server against a CA, or mutual TLS with a client
// certificate as well. One place, so both clients check the same files the same way.

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace grpc {
class ChannelCredentials;
}

namespace gatehouse {

// The files, as given on the command line, and the names of their flags for error messages.
struct ClientTlsFlags {
  std::string ca;    // PEM CA certificate(s) the server's certificate must chain to; TLS on
  std::string cert;  // PEM client certificate chain (mutual TLS); needs `key` and `ca`
  std::string key;   // its PEM private key
  std::string ca_flag = "tls-ca";
  std::string cert_flag = "tls-cert";
  std::string key_flag = "tls-key";
};

class ClientTls {
 public:
  enum class Mode { kPlaintext, kTls, kMutualTls };

  // Plaintext.
  ClientTls() = default;
  // Reads and checks the files (InvalidArgument naming the flag and file on any problem).
  static absl::StatusOr<ClientTls> Load(const ClientTlsFlags& flags);

  Mode mode() const { return mode_; }
  // "plaintext", "tls" or "mtls", as logs and /readyz say it.
  std::string_view mode_name() const;
  // For grpc::CreateCustomChannel.
  std::shared_ptr<grpc::ChannelCredentials> Credentials() const;

 private:
  Mode mode_ = Mode::kPlaintext;
  std::string ca_pem_;
  std::string cert_pem_;
  std::string key_pem_;
};

}  // namespace gatehouse
