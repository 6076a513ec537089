#pragma once
// ZooKeeper's AdminServer (HTTP, /commands/<name>, JSON) -> the same verdicts as the four-letter
// words, for installs that turned those off. Pure: the URL text, the reply bytes and the transport
// outcome in; a verdict with a one-line reason out. The AdminServer answers 200 also when the server
// does not serve (the JSON's "error" says so), so the JSON decides, never the status code alone.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "readiness/four_letter.hpp"

namespace zkagent::readiness {

// Where the AdminServer listens: http only (zkagent has no TLS stack), a numeric address (the
// static binary resolves no names), the port (default 8080) and admin.commandURL (default /commands).
struct admin_url {
  std::string address;  // without brackets: "127.0.0.1", "::1"
  std::uint16_t port = 8080;
  std::string base_path = "/commands";
};

// "http://127.0.0.1:8080", "http://[::1]:8080/commands"; anything else is a usage error naming why.
result<admin_url> parse_admin_url(std::string_view text);
// "127.0.0.1:8080", "[::1]:8080": the Host header, and the address the probe's line names.
std::string authority(const admin_url& url);
// The request path of a command: "/commands/srvr".
std::string admin_target(const admin_url& url, std::string_view command);
// The whole GET request (HTTP/1.1, Host, Connection: close): what the client sends.
std::string admin_request(const admin_url& url, std::string_view command);

// An HTTP response as far as it has been read, the way a parser for a byte stream sees it.
struct http_reply {
  enum class state { complete, incomplete, bad };
  state status = state::incomplete;
  int code = 0;          // the status code, once the status line is there
  std::string body;      // the whole body, when complete (chunked encoding undone)
  std::string problem;   // why it is bad
};
// at_eof: the server closed cleanly after these bytes, which ends a body without a length.
http_reply parse_http_reply(std::string_view bytes, bool at_eof);

// A JSON reply larger or nested deeper than these is refused before it is parsed: srvr's is about
// 1 KiB and 3 levels deep.
inline constexpr std::size_t max_admin_json_bytes = 256 * 1024;
inline constexpr std::size_t max_admin_json_depth = 32;

// What /commands/srvr's JSON says: the facts in srvr's form (zxid in hex, latency "min/avg/max"),
// or the server's error text ("This ZooKeeper instance is not currently serving requests"), or
// neither, with the problem, when the body is not such a reply.
struct admin_srvr {
  std::optional<srvr_facts> facts;
  std::optional<std::string> error;
  std::string problem;
};
admin_srvr parse_admin_srvr(std::string_view json);

// Ready over the AdminServer: /commands/srvr. Same verdicts as judge_ready.
verdict judge_admin_ready(const exchange& ex, bool allow_read_only);
// Live over the AdminServer: /commands/ruok answered by the server, with or without quorum
// (ruok's JSON carries the not-serving error there: the process answers all the same).
verdict judge_admin_live(const exchange& ex);

}  // namespace zkagent::readiness
