#pragma once

#include "boost/asio/awaitable.hpp"

namespace gatehouse::runtime {

namespace asio = boost::asio;

// Resumes the calling coroutine after the handlers already queued on its executor: those of the
// other connections the worker's last turn of its event loop found ready. Placed before and
// after a request's heavy phases, it makes the phases of the requests a worker read together run
// one after another, with no system call between them. Where every system call empties the TLB
// (page-table isolation without PCID, as on this project's bench machine), a managed ruleset's
// pages are then walked again once per batch instead of once per request.
asio::awaitable<void> AfterReadyHandlers();

}  // namespace gatehouse::runtime
