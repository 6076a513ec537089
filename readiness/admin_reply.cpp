#include "readiness/admin_reply.hpp"

#include <cinttypes>
#include <cstdio>

#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>

#include "common/text.hpp"

namespace zkagent::readiness {
namespace {

using json_document = nlohmann::json;

constexpr std::size_t max_header_bytes = 64 * 1024;

error usage(std::string message) { return error{error_kind::usage, std::move(message)}; }

bool is_numeric_address(const std::string& address) {
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(address, ec);
  return !ec;
}

std::optional<std::uint64_t> hex_number(std::string_view digits) {
  if (digits.empty() || digits.size() > 15) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : digits) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return std::nullopt;
    value = value * 16 + static_cast<std::uint64_t>(digit);
  }
  return value;
}

// The body of a chunked message starting at `data`; incomplete until the last chunk and the
// trailer's empty line are there.
http_reply dechunk(std::string_view data, http_reply out) {
  std::string body;
  std::size_t at = 0;
  for (;;) {
    const auto line_end = data.find("\r\n", at);
    if (line_end == std::string_view::npos) return out;  // incomplete
    auto size_text = data.substr(at, line_end - at);
    size_text = text::trim(size_text.substr(0, size_text.find(';')));
    const auto size = hex_number(size_text);
    if (!size) {
      out.status = http_reply::state::bad;
      out.problem = "bad chunk size " + text::quote(size_text);
      return out;
    }
    at = line_end + 2;
    if (*size == 0) {
      // Trailer lines, then an empty line.
      for (;;) {
        const auto trailer_end = data.find("\r\n", at);
        if (trailer_end == std::string_view::npos) return out;
        if (trailer_end == at) {
          out.status = http_reply::state::complete;
          out.body = std::move(body);
          return out;
        }
        at = trailer_end + 2;
      }
    }
    if (data.size() - at < *size + 2) return out;
    body.append(data.substr(at, *size));
    if (data.substr(at + *size, 2) != "\r\n") {
      out.status = http_reply::state::bad;
      out.problem = "chunk not followed by CRLF";
      return out;
    }
    at += *size + 2;
  }
}

// The problem with a JSON text's size or nesting, before any parser sees it: a reply nested 100,000
// deep is refused in one pass over its bytes, whatever the parser would do with it.
std::optional<std::string> json_shape_problem(std::string_view json) {
  if (json.size() > max_admin_json_bytes) {
    return "JSON of " + std::to_string(json.size()) + " bytes, more than the " +
           std::to_string(max_admin_json_bytes / 1024) + " KiB an AdminServer reply needs";
  }
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : json) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_admin_json_depth) {
        return "JSON nested deeper than " + std::to_string(max_admin_json_depth) + " levels";
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

// The JSON document, or nullopt with the problem. nlohmann-json parses without recursing on the
// input; the shape check bounds it anyway.
std::optional<json_document> read_json(std::string_view text_value, std::string& problem) {
  if (auto shape = json_shape_problem(text_value)) {
    problem = std::move(*shape);
    return std::nullopt;
  }
  auto document = json_document::parse(text_value, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    problem = "not JSON: " + excerpt(text_value);
    return std::nullopt;
  }
  return document;
}

// A scalar field's text by a dotted path ("server_stats.server_state"): a string's value, a number
// as JSON writes it, true/false, "null". Objects and arrays have no text: nullopt, as a missing field.
std::optional<std::string> field(const json_document& tree, std::string_view path) {
  const json_document* at = &tree;
  for (;;) {
    const auto dot = path.find('.');
    const auto key = path.substr(0, dot);
    if (!at->is_object()) return std::nullopt;
    const auto it = at->find(key);
    if (it == at->end()) return std::nullopt;
    at = &*it;
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_structured()) return std::nullopt;
  return at->dump();
}

std::optional<std::uint64_t> number_field(const json_document& tree, std::string_view path) {
  const auto value = field(tree, path);
  if (!value) return std::nullopt;
  return text::parse_uint(*value, 0, UINT64_MAX);
}

// The JSON's "error": nullopt when null.
std::optional<std::string> error_text(const json_document& tree) {
  auto value = field(tree, "error");
  if (!value || *value == "null") return std::nullopt;
  return value;
}

bool is_not_serving(std::string_view error_value) { return text::trim(error_value).starts_with(not_serving_text); }

// The HTTP layer shared by both judges: the body of a complete 200 reply, or the failing verdict.
std::optional<verdict> http_failure(const exchange& ex, http_reply& reply) {
  const bool got_reply =
      ex.outcome == transport_outcome::complete || ex.outcome == transport_outcome::reset_after_reply;
  if (!got_reply) return verdict{false, describe_failure(ex), std::nullopt};
  if (ex.reply.empty()) return verdict{false, "connection closed without a reply", std::nullopt};
  reply = parse_http_reply(ex.reply, ex.outcome == transport_outcome::complete);
  switch (reply.status) {
    case http_reply::state::bad: return verdict{false, "not an HTTP reply: " + reply.problem, std::nullopt};
    case http_reply::state::incomplete: {
      const std::string_view reset = ex.outcome == transport_outcome::reset_after_reply ? " by a connection reset" : "";
      return verdict{false, "HTTP reply cut short" + std::string(reset) + ": " + excerpt(ex.reply), std::nullopt};
    }
    case http_reply::state::complete: break;
  }
  if (reply.code != 200) {
    return verdict{false, "HTTP " + std::to_string(reply.code) + " from the AdminServer: " + excerpt(reply.body),
                   std::nullopt};
  }
  return std::nullopt;
}

}  // namespace

result<admin_url> parse_admin_url(std::string_view text_value) {
  constexpr std::string_view scheme = "http://";
  if (text::starts_with_ci(text_value, "https://")) {
    return usage("https is not supported: zkagent has no TLS stack; use the AdminServer's http port");
  }
  if (!text::starts_with_ci(text_value, scheme)) return usage("expected http://ADDR:PORT");
  auto rest = text_value.substr(scheme.size());
  if (text::find_control_char(rest) || rest.find_first_of(" ?#@") != std::string_view::npos) {
    return usage("expected http://ADDR:PORT[/PATH], without spaces, user, query or fragment");
  }
  const auto slash = rest.find('/');
  const auto host_port = rest.substr(0, slash);
  auto path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  admin_url out;
  std::optional<std::string_view> port_text;
  if (host_port.starts_with('[')) {
    const auto close = host_port.find(']');
    if (close == std::string_view::npos) return usage("unclosed [ in the address");
    out.address = std::string(host_port.substr(1, close - 1));
    const auto after = host_port.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return usage("expected :PORT after the ]");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const auto colon = host_port.find(':');
    if (colon != std::string_view::npos && host_port.find(':', colon + 1) != std::string_view::npos) {
      return usage("an IPv6 address goes in brackets: http://[::1]:8080");
    }
    out.address = std::string(host_port.substr(0, colon));
    if (colon != std::string_view::npos) port_text = host_port.substr(colon + 1);
  }
  if (out.address.empty()) return usage("no address");
  if (!is_numeric_address(out.address)) {
    return usage(text::quote(out.address) + " is not a numeric IPv4 or IPv6 address (zkagent does not resolve names)");
  }
  if (port_text) {
    const auto port = text::parse_uint(*port_text, 1, 65535);
    if (!port) return usage("expected a port number from 1 to 65535 after the address");
    out.port = static_cast<std::uint16_t>(*port);
  }
  while (path.ends_with('/')) path.remove_suffix(1);
  if (!path.empty()) out.base_path = std::string(path);
  return out;
}

std::string authority(const admin_url& url) {
  const bool v6 = url.address.find(':') != std::string::npos;
  return (v6 ? "[" + url.address + "]" : url.address) + ":" + std::to_string(url.port);
}

std::string admin_target(const admin_url& url, std::string_view command) {
  return url.base_path + "/" + std::string(command);
}

std::string admin_request(const admin_url& url, std::string_view command) {
  return "GET " + admin_target(url, command) + " HTTP/1.1\r\nHost: " + authority(url) +
         "\r\nAccept: application/json\r\nUser-Agent: zkagent\r\nConnection: close\r\n\r\n";
}

http_reply parse_http_reply(std::string_view bytes, bool at_eof) {
  http_reply out;
  const auto bad = [&out](std::string problem) {
    out.status = http_reply::state::bad;
    out.problem = std::move(problem);
    return out;
  };
  constexpr std::string_view version_prefix = "HTTP/1.";
  if (!version_prefix.starts_with(bytes.substr(0, version_prefix.size()))) return bad(excerpt(bytes));
  const auto header_end = bytes.find("\r\n\r\n");
  if (header_end == std::string_view::npos) {
    if (bytes.size() > max_header_bytes) return bad("headers longer than 64 KiB");
    return out;  // incomplete
  }
  const auto lines = text::split(bytes.substr(0, header_end), "\r\n", true);
  // "HTTP/1.1 200 OK"
  const auto& status_line = lines.front();
  const auto code = status_line.size() >= 12 && status_line[8] == ' '
                        ? text::parse_uint(std::string_view(status_line).substr(9, 3), 100, 599)
                        : std::nullopt;
  if (!code || (status_line.size() > 12 && status_line[12] != ' ')) return bad("bad status line " + text::quote(status_line));
  out.code = static_cast<int>(*code);
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto colon = lines[i].find(':');
    if (colon == std::string::npos) return bad("bad header line " + text::quote(lines[i]));
    const auto name = text::to_lower(text::trim(std::string_view(lines[i]).substr(0, colon)));
    const auto value = text::trim(std::string_view(lines[i]).substr(colon + 1));
    if (name == "content-length") {
      content_length = text::parse_uint(value, 0, UINT32_MAX);
      if (!content_length) return bad("bad Content-Length " + text::quote(value));
    } else if (name == "transfer-encoding") {
      chunked = text::to_lower(value).find("chunked") != std::string::npos;
    }
  }
  const auto body = bytes.substr(header_end + 4);
  if (out.code < 200 || out.code == 204 || out.code == 304) {
    out.status = http_reply::state::complete;
    return out;
  }
  if (chunked) return dechunk(body, std::move(out));
  if (content_length) {
    if (body.size() < *content_length) return out;
    out.body = std::string(body.substr(0, *content_length));
    out.status = http_reply::state::complete;
    return out;
  }
  if (!at_eof) return out;  // the body runs to EOF
  out.body = std::string(body);
  out.status = http_reply::state::complete;
  return out;
}

admin_srvr parse_admin_srvr(std::string_view json) {
  admin_srvr out;
  const auto tree = read_json(json, out.problem);
  if (!tree) return out;
  if (!field(*tree, "command") || !field(*tree, "error")) {
    out.problem = "not an AdminServer reply (no command and error fields): " + excerpt(json);
    return out;
  }
  out.error = error_text(*tree);
  if (out.error) return out;
  const auto state = field(*tree, "server_stats.server_state");
  const auto mode = state ? parse_mode(*state) : std::nullopt;
  const auto version = field(*tree, "version");
  const auto node_count = number_field(*tree, "node_count");
  if (!mode || !version || !node_count) {
    out.problem = state && !mode ? "unknown server_state " + text::quote(*state)
                                 : "no server_stats.server_state, version or node_count: " + excerpt(json);
    return out;
  }
  srvr_facts facts;
  facts.version = *version;
  facts.mode = *mode;
  facts.node_count = node_count;
  if (const auto zxid = number_field(*tree, "server_stats.last_processed_zxid")) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%" PRIx64, *zxid);
    facts.zxid = hex;
  }
  const auto min = field(*tree, "server_stats.min_latency");
  const auto avg = field(*tree, "server_stats.avg_latency");
  const auto max = field(*tree, "server_stats.max_latency");
  if (min && avg && max) facts.latency = *min + "/" + *avg + "/" + *max;
  // JSON can carry control bytes (\u001b): they would reach `zkagent status` and the terminal.
  if (text::find_control_char(facts.version) || text::find_control_char(facts.latency)) {
    out.problem = "control characters in version or latency: " + excerpt(json);
    return out;
  }
  facts.received = number_field(*tree, "server_stats.packets_received");
  facts.sent = number_field(*tree, "server_stats.packets_sent");
  facts.connections = number_field(*tree, "server_stats.num_alive_client_connections");
  facts.outstanding = number_field(*tree, "server_stats.outstanding_requests");
  out.facts = std::move(facts);
  return out;
}

verdict judge_admin_ready(const exchange& ex, bool allow_read_only) {
  http_reply reply;
  if (auto failed = http_failure(ex, reply)) return std::move(*failed);
  auto srvr = parse_admin_srvr(reply.body);
  if (srvr.facts) return judge_serving(std::move(*srvr.facts), allow_read_only);
  if (srvr.error && is_not_serving(*srvr.error)) return {false, std::string(not_serving_reason), std::nullopt};
  if (srvr.error) return {false, "AdminServer error for srvr: " + text::quote(*srvr.error), std::nullopt};
  return {false, "unexpected reply to srvr: " + srvr.problem, std::nullopt};
}

verdict judge_admin_live(const exchange& ex) {
  http_reply reply;
  if (auto failed = http_failure(ex, reply)) return std::move(*failed);
  std::string problem;
  const auto tree = read_json(reply.body, problem);
  if (!tree) return {false, "unexpected reply to ruok: " + problem, std::nullopt};
  if (field(*tree, "command") != "ruok" || !field(*tree, "error")) {
    return {false, "unexpected reply to ruok: " + excerpt(reply.body), std::nullopt};
  }
  const auto error_value = error_text(*tree);
  if (!error_value) return {true, "the AdminServer answers ruok", std::nullopt};
  // ruok over HTTP reports "not serving" without quorum, where the four-letter ruok says imok: the
  // process answers either way, and liveness must not depend on quorum.
  if (is_not_serving(*error_value)) {
    return {true, "the server answers, not serving requests (no quorum yet, or still starting): live all the same",
            std::nullopt};
  }
  return {false, "AdminServer error for ruok: " + text::quote(*error_value), std::nullopt};
}

}  // namespace zkagent::readiness
