#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "../cti/cti_test_support.h"

namespace ccsip::http::test {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Every complete response in `data` (a keep-alive connection's whole read side). `heads`
// marks which ones answer a HEAD (no body follows their Content-Length).
inline std::vector<HttpResponse> parseResponses(std::string_view data,
                                                const std::vector<bool>& heads = {}) {
  std::vector<HttpResponse> out;
  while (!data.empty()) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.eager(true);
    if (out.size() < heads.size() && heads[out.size()]) parser.skip(true);
    boost::system::error_code ec;
    const auto used = parser.put(boost::asio::buffer(data.data(), data.size()), ec);
    if (ec || !parser.is_done()) break;
    out.push_back(parser.release());
    data.remove_prefix(used);
  }
  return out;
}

}  // namespace ccsip::http::test
