#include "common/grpc_client_tls.h"

#include "common/tls_files.h"
#include "grpcpp/security/credentials.h"

namespace gatehouse {

absl::StatusOr<ClientTls> ClientTls::Load(const ClientTlsFlags& flags) {
  ClientTls out;
  if (flags.cert.empty() != flags.key.empty()) {
    return absl::InvalidArgumentError("--" + flags.cert_flag + " and --" + flags.key_flag +
                                      " go together");
  }
  if (!flags.cert.empty() && flags.ca.empty()) {
    // A client certificate over a channel whose server is not verified would hand the
    // credential to whoever answers.
    return absl::InvalidArgumentError("--" + flags.cert_flag + " needs --" + flags.ca_flag +
                                      ": the CA that signed the server's certificate");
  }
  if (flags.ca.empty()) return out;
  auto ca = ReadPemCertificates(flags.ca_flag, flags.ca);
  if (!ca.ok()) return ca.status();
  out.ca_pem_ = *std::move(ca);
  out.mode_ = Mode::kTls;
  if (!flags.cert.empty()) {
    auto pair = ReadPemKeyPair(flags.cert_flag, flags.cert, flags.key_flag, flags.key);
    if (!pair.ok()) return pair.status();
    out.cert_pem_ = std::move(pair->cert_pem);
    out.key_pem_ = std::move(pair->key_pem);
    out.mode_ = Mode::kMutualTls;
  }
  return out;
}

std::string_view ClientTls::mode_name() const {
  switch (mode_) {
    case Mode::kPlaintext:
      return "plaintext";
    case Mode::kTls:
      return "tls";
    case Mode::kMutualTls:
      return "mtls";
  }
  return "plaintext";
}

std::shared_ptr<grpc::ChannelCredentials> ClientTls::Credentials() const {
  if (mode_ == Mode::kPlaintext) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca_pem_;
  ssl.pem_private_key = key_pem_;
  ssl.pem_cert_chain = cert_pem_;
  return grpc::SslCredentials(ssl);
}

}  // namespace gatehouse
