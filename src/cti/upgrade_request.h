#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace ccsip::cti {

// The HTTP request that asked for a WebSocket upgrade on `/cti`, read by the HTTP server and
// handed over with its socket (CtiServer::acceptWebSocket).
using UpgradeRequest = boost::beast::http::request<boost::beast::http::string_body>;

}  // namespace ccsip::cti
