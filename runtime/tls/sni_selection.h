#pragma once

#include <openssl/types.h>

#include <memory>

#include "runtime/tls/certificate_index.h"

namespace gatehouse::runtime::tls {

// The index a connection selects its certificate from: its worker's, read when the client's
// hello arrives, so a handshake uses the snapshot current then, and a swap changes only the
// handshakes that follow it.
using CurrentIndex = std::shared_ptr<const CertificateIndex>;

// Installs on `base` (the context connections start with) the SNI callback: it switches the
// connection to the context of the certificate selected for the client's server name
// (CertificateIndex::Select), or fails the handshake with an alert (unrecognized_name for a
// name, handshake_failure without one) when there is none.
void InstallCertificateSelection(SSL_CTX* base);

// Binds `ssl` to the index slot `current` (its worker's; must outlive the handshake).
void BindCertificateIndex(SSL* ssl, const CurrentIndex* current);

}  // namespace gatehouse::runtime::tls
