// libFuzzer target: the CTI request path (docs/protocol.md "Framing", "Requests and answers").
// The input is what a client writes on the raw TCP port. It goes through the line framer, cut
// into chunks in several ways (the frames must not depend on the cut), and through a whole
// CtiServer on in-memory connections, once as a TCP byte stream and once as the WebSocket
// messages the same lines would be: the server must answer every message with exactly one
// event (EventError or the core's answer), never close the connection over bad input, and give
// both transports the same answers. Each pass runs with the default message limit and with a
// small one, so that "too large" is reached by small inputs.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>

#include "cti/client_connection.h"
#include "cti/codec.h"
#include "cti/cti_server.h"
#include "cti/line_framer.h"
#include "util/timer_service.h"

namespace {

namespace cti = ccsip::cti;
namespace json = boost::json;
namespace model = ccsip::model;
using cti::LineFramer;

[[noreturn]] void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "CTI request path invariant broken: %s\n--- detail ---\n%.*s\n---\n", what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// ---- framing ------------------------------------------------------------------------------

struct Frame {
  LineFramer::Kind kind;
  std::string text;
  bool operator==(const Frame&) const = default;
};

void drain(LineFramer& framer, std::size_t limit, std::vector<Frame>& out) {
  while (const auto frame = framer.next()) {
    if (frame->kind == LineFramer::Kind::Line) {
      if (frame->text.size() > limit) fail("line over the limit", frame->text);
      if (frame->text.find('\n') != std::string_view::npos) fail("newline inside a line");
      if (frame->text.find_first_not_of(" \t\r") == std::string_view::npos) fail("blank line");
    } else if (!frame->text.empty()) {
      fail("text on a TooLong frame");
    }
    out.push_back({frame->kind, std::string(frame->text)});
  }
  // Memory stays bounded however long a line is (one byte of slack for a `\r`).
  if (framer.bufferedBytes() > limit + 1) fail("framer holds more than one line");
}

// A small deterministic generator for chunk sizes, seeded from the input, so that a crash
// reproduces from the input alone and seed files stay plain protocol text.
std::uint64_t mix(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ull;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t seedOf(std::string_view input) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (const char c : input) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

std::vector<std::string_view> chunks(std::string_view input, std::uint64_t seed) {
  std::vector<std::string_view> out;
  while (!input.empty()) {
    const auto size = std::min<std::size_t>(input.size(), 1 + mix(seed) % 300);
    out.push_back(input.substr(0, size));
    input.remove_prefix(size);
  }
  return out;
}

std::vector<Frame> frameWhole(std::string_view input, std::size_t limit) {
  LineFramer framer(limit);
  std::vector<Frame> frames;
  framer.append(input);
  drain(framer, limit, frames);
  return frames;
}

void checkFraming(std::string_view input, std::size_t limit, const std::vector<Frame>& whole) {
  LineFramer bytewise(limit);
  std::vector<Frame> byByte;
  for (std::size_t i = 0; i < input.size(); ++i) {
    bytewise.append(input.substr(i, 1));
    drain(bytewise, limit, byByte);
  }
  if (byByte != whole) fail("frames differ when the stream comes byte by byte");

  LineFramer chunked(limit);
  std::vector<Frame> byChunk;
  for (const auto chunk : chunks(input, seedOf(input))) {
    chunked.append(chunk);
    drain(chunked, limit, byChunk);
  }
  if (byChunk != whole) fail("frames differ when the stream comes in chunks");
}

// ---- the server on in-memory connections -----------------------------------------------------

// A client connection without a socket: bytes in as on TcpClientConnection (line framing) or
// whole messages as on WebSocketClientConnection; writes complete on the next poll.
class MemoryConnection final : public cti::ClientConnection {
 public:
  MemoryConnection(cti::ClientId id, cti::ConnectionOwner& owner,
                   const cti::ConnectionLimits& limits, boost::asio::io_context& io)
      : ClientConnection(id, owner, limits), io_(io), framer_(limits.maxMessageBytes) {}

  void start() override {}
  std::string_view transportName() const override { return "memory"; }

  // As TcpClientConnection::onRead.
  void receiveBytes(std::string_view bytes) {
    if (!open()) return;
    framer_.append(bytes);
    while (open() && owner() != nullptr) {
      const auto frame = framer_.next();
      if (!frame) break;
      ++delivered;
      if (frame->kind == LineFramer::Kind::TooLong) {
        owner()->onMessageTooLarge(id());
      } else {
        owner()->onMessage(id(), frame->text);
      }
    }
  }

  // As WebSocketClientConnection::onRead once a message is complete.
  void receiveMessage(std::string_view message) {
    if (!open() || owner() == nullptr) return;
    ++delivered;
    if (message.size() > limits().maxMessageBytes) {
      owner()->onMessageTooLarge(id());
    } else {
      owner()->onMessage(id(), message);
    }
  }

  std::vector<std::string> written;
  std::size_t delivered = 0;

 private:
  void startWrite() override {
    setWriting(true);
    boost::asio::post(io_, [self = std::static_pointer_cast<MemoryConnection>(shared_from_this())] {
      if (!self->open()) return;
      const auto count = self->queue().size();
      for (const auto& text : self->queue()) self->written.push_back(*text);
      self->writeDone(count);
    });
  }
  void closeSocket() override {}
  boost::asio::any_io_executor executor() override { return io_.get_executor(); }

  boost::asio::io_context& io_;
  LineFramer framer_;
};

class Directory final : public cti::DnDirectory {
 public:
  bool hasDn(std::string_view dn) const override {
    return dn == "1000" || dn == "1001" || dn == "1002" || dn == "5000";
  }
};

std::string_view stringField(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return {};
  return {value->get_string().data(), value->get_string().size()};
}

// A stand-in for the call-control core: answers every request with one event to the client
// (through the model's event path for agent and call requests, privately for the others), or
// with an error. QueryServer with "disconnect" or "closeServer" exercises a handler that closes
// the client or the whole server.
class Core final : public cti::RequestHandler {
 public:
  cti::CtiServer* server = nullptr;
  bool closedSomething = false;

  model::Status onRequest(cti::ClientId client, const json::object& request) override {
    const auto name = stringField(request, "request");
    const auto thisDn = std::string(stringField(request, "thisDN"));
    const std::int64_t referenceId = request.at("referenceId").as_int64();
    if (stringField(request, "connId") == "0000000000000000") {
      return model::makeError(model::ErrorCode::UnknownCall, "0000000000000000");
    }
    model::TEvent event;
    event.fields = {{"referenceId", referenceId}, {"thisDN", thisDn}};
    event.dns = {thisDn};
    if (name == "AgentLogin" || name == "AgentLogout") {
      event.name = name == "AgentLogin" ? "EventAgentLogin" : "EventAgentLogout";
      std::string agentId(stringField(request, "agentId"));
      if (agentId.empty()) agentId = "agent-" + thisDn;
      event.fields["agentId"] = agentId;
      event.agentId = agentId;
      server->onEvent(event);
      return model::ok();
    }
    if (name == "MakeCall") {
      event.name = "EventDialing";
      event.fields["otherDN"] = stringField(request, "otherDN");
      event.dns.emplace_back(stringField(request, "otherDN"));
      server->onEvent(event);
      return model::ok();
    }
    if (name == "QueryServer" && request.contains("disconnect")) {
      closedSomething = true;
      server->disconnect(client);
      return model::ok();
    }
    if (name == "QueryServer" && request.contains("closeServer")) {
      closedSomething = true;
      server->close();
      return model::ok();
    }
    event.name = "EventAck";
    event.fields["request"] = name;
    server->sendTo(client, event);
    return model::ok();
  }
  void onClientClosed(cti::ClientId) override {}
};

void checkAnswer(const std::string& text) {
  boost::system::error_code ec;
  const auto value = json::parse(text, ec);
  if (ec || !value.is_object()) fail("an answer is not a JSON object", text);
  const auto& event = value.get_object();
  if (event.empty() || event.begin()->key() != "event" || !event.begin()->value().is_string()) {
    fail("an answer does not start with its event name", text);
  }
  if (const auto* reference = event.if_contains("referenceId")) {
    if (!reference->is_int64() || reference->get_int64() < 0 ||
        reference->get_int64() > cti::kMaxReferenceId) {
      fail("referenceId out of range in an answer", text);
    }
  }
  if (event.begin()->value().get_string() != "EventError") return;
  const auto* code = event.if_contains("errorCode");
  const auto* message = event.if_contains("errorMessage");
  if (code == nullptr || !code->is_int64() || code->get_int64() < 40 || code->get_int64() > 99) {
    fail("EventError without a valid errorCode", text);
  }
  if (message == nullptr || !message->is_string()) fail("EventError without a message", text);
}

enum class Transport { Tcp, WebSocket };

struct Outcome {
  std::vector<std::string> answers;
  bool stayedOpen = false;
};

// One server, one client fed `input` (TCP: bytes in chunks; WebSocket: the frames as messages),
// then the OpenSession timeout, then shutdown.
Outcome runServer(std::string_view input, const std::vector<Frame>& frames, std::size_t limit,
                  Transport transport) {
  boost::asio::io_context io;
  ccsip::util::ManualTimerService timers;
  Directory directory;
  Core core;
  cti::CtiOptions options;
  options.applicationTokens = {"s3cret", "demo"};
  options.limits.maxMessageBytes = limit;
  Outcome outcome;
  {
    cti::CtiServer server(cti::CtiServerServices{timers, core, directory}, options);
    core.server = &server;
    std::shared_ptr<MemoryConnection> connection;
    const auto id =
        server.addConnection("memory", [&](cti::ClientId clientId, cti::ConnectionOwner& owner,
                                           const cti::ConnectionLimits& limits) {
          connection = std::make_shared<MemoryConnection>(clientId, owner, limits, io);
          return connection;
        });
    if (!id || !connection) fail("the server refused the first client");

    if (transport == Transport::Tcp) {
      for (const auto chunk : chunks(input, seedOf(input) ^ 0x5555)) {
        connection->receiveBytes(chunk);
        io.poll();
        io.restart();
      }
    } else {
      const std::string oversized(limit + 1, 'x');
      for (const auto& frame : frames) {
        connection->receiveMessage(frame.kind == LineFramer::Kind::Line ? frame.text : oversized);
        io.poll();
        io.restart();
      }
    }
    outcome.stayedOpen = connection->open() && !core.closedSomething;
    if (outcome.stayedOpen && server.clientCount() != 1) fail("client lost without a close");
    if (outcome.stayedOpen && connection->delivered != frames.size()) {
      fail("the connection delivered another number of messages than the framer cut");
    }
    if (outcome.stayedOpen && connection->written.size() != connection->delivered) {
      fail("a message was not answered by exactly one event");
    }
    for (const auto& answer : connection->written) checkAnswer(answer);
    outcome.answers = connection->written;

    // The OpenSession timeout closes a client that never authenticated; the close is posted.
    timers.advance(std::chrono::minutes(1));
    io.poll();
    io.restart();
  }
  io.poll();
  return outcome;
}

void checkServer(std::string_view input, std::size_t limit, const std::vector<Frame>& frames) {
  const auto tcp = runServer(input, frames, limit, Transport::Tcp);
  const auto ws = runServer(input, frames, limit, Transport::WebSocket);
  if (tcp.stayedOpen != ws.stayedOpen) fail("one transport closed and the other did not");
  // A closed connection drops its unwritten answers, and how many were written before depends
  // on how the input was read: only open connections are compared.
  if (tcp.stayedOpen && tcp.answers != ws.answers) {
    fail("TCP and WebSocket clients got different answers to the same messages");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const std::size_t limit : {cti::kDefaultMaxMessageBytes, std::size_t{96}}) {
    const auto frames = frameWhole(input, limit);
    checkFraming(input, limit, frames);
    checkServer(input, limit, frames);
  }
  return 0;
}
