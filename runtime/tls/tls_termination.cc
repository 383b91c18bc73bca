#include "runtime/tls/tls_termination.h"

#include "runtime/tls/sni_selection.h"

namespace gatehouse::runtime::tls {

TlsTermination::TlsTermination(const TlsTerminationOptions& options)
    : ticket_keys_(options.ticket_rotation, options.ticket_keys_kept) {
  settings_.ciphers = options.ciphers;
  settings_.ciphersuites = options.ciphersuites;
  settings_.ticket_keys = &ticket_keys_;
  if (options.http2) settings_.alpn = {"h2", "http/1.1"};
}

absl::StatusOr<std::unique_ptr<TlsTermination>> TlsTermination::Create(
    TlsTerminationOptions options) {
  std::unique_ptr<TlsTermination> termination(new TlsTermination(options));
  auto base = NewServerContext(termination->settings_);
  if (!base.ok()) return base.status();
  termination->base_ = *std::move(base);
  InstallCertificateSelection(termination->base_.get());
  termination->contexts_ =
      std::make_unique<CertificateContexts>(termination->settings_, options.default_zone);
  return termination;
}

}  // namespace gatehouse::runtime::tls
