#include "readiness/four_letter.hpp"

#include "common/text.hpp"

namespace zkagent::readiness {
namespace {

std::optional<std::uint64_t> number(std::string_view value) {
  return text::parse_uint(text::trim(value), 0, UINT64_MAX);
}

}  // namespace

std::string excerpt(std::string_view reply) {
  std::string ascii;
  for (const char c : text::trim(reply.substr(0, 80))) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      ascii += c;
      continue;
    }
    static constexpr char hex[] = "0123456789abcdef";
    ascii += "\\x";
    ascii += hex[u >> 4];
    ascii += hex[u & 0xf];
  }
  return text::quote(ascii);
}

std::string_view describe(server_mode mode) {
  switch (mode) {
    case server_mode::standalone: return "standalone";
    case server_mode::leader: return "leader";
    case server_mode::follower: return "follower";
    case server_mode::observer: return "observer";
    case server_mode::read_only: return "read-only";
  }
  return "unknown";
}

std::optional<server_mode> parse_mode(std::string_view word) {
  if (word == "standalone") return server_mode::standalone;
  if (word == "leader") return server_mode::leader;
  if (word == "follower") return server_mode::follower;
  if (word == "observer") return server_mode::observer;
  if (word == "read-only") return server_mode::read_only;
  return std::nullopt;
}

std::optional<srvr_facts> parse_srvr(std::string_view reply) {
  srvr_facts facts;
  bool has_mode = false;
  for (const auto& raw : text::split(reply, "\n", true)) {
    const auto line = text::trim(raw);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const auto key = line.substr(0, colon);
    const auto value = text::trim(line.substr(colon + 1));
    // ZooKeeper prints plain text: control bytes would reach the probe's line and the terminal.
    if (text::find_control_char(value)) return std::nullopt;
    if (key == "Zookeeper version") facts.version = std::string(value);
    else if (key == "Latency min/avg/max") facts.latency = std::string(value);
    else if (key == "Received") facts.received = number(value);
    else if (key == "Sent") facts.sent = number(value);
    else if (key == "Connections") facts.connections = number(value);
    else if (key == "Outstanding") facts.outstanding = number(value);
    else if (key == "Zxid") facts.zxid = std::string(value);
    else if (key == "Node count") facts.node_count = number(value);
    else if (key == "Mode") {
      const auto mode = parse_mode(value);
      if (!mode) return std::nullopt;
      facts.mode = *mode;
      has_mode = true;
    }
  }
  // srvr ends with the "Node count" line (a 3.6+ leader adds "Proposal sizes" after it, older
  // versions do not): without that line and its newline (or Mode) the reply was cut short
  // ("Node count: 1" of "Node count: 12\n" included) or is not srvr's.
  const auto count_at = reply.find("Node count:");
  if (!has_mode || facts.version.empty() || !facts.node_count || reply.find('\n', count_at) == std::string_view::npos) {
    return std::nullopt;
  }
  return facts;
}

std::vector<std::pair<std::string, std::string>> parse_mntr(std::string_view reply) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& raw : text::split(reply, "\n", true)) {
    const auto tab = raw.find('\t');
    if (tab == std::string::npos || tab == 0) continue;
    out.emplace_back(raw.substr(0, tab), std::string(text::trim(std::string_view(raw).substr(tab + 1))));
  }
  return out;
}

bool is_whitelist_refusal(std::string_view reply, std::string_view command) {
  const auto trimmed = text::trim(reply);
  return trimmed.starts_with(command) && trimmed.find("is not executed because it is not in the whitelist") !=
                                             std::string_view::npos;
}

std::string describe_failure(const exchange& ex) {
  const auto with_detail = [&](std::string text_value) {
    return ex.detail.empty() ? text_value : text_value + " (" + ex.detail + ")";
  };
  switch (ex.outcome) {
    case transport_outcome::refused: return "connection refused: nothing listens there";
    case transport_outcome::reset_before_reply: return "connection reset before any reply";
    case transport_outcome::timeout:
      return ex.reply.empty() ? "no reply before the deadline" : "reply incomplete at the deadline: " + excerpt(ex.reply);
    case transport_outcome::closed_without_reply: return "connection closed without a reply";
    case transport_outcome::failed: return with_detail("connection failed");
    case transport_outcome::complete:
    case transport_outcome::reset_after_reply: break;
  }
  return "unexpected reply: " + excerpt(ex.reply);
}

verdict judge_serving(srvr_facts facts, bool allow_read_only) {
  if (facts.mode == server_mode::read_only && !allow_read_only) {
    return {false, "read-only mode: serving reads without quorum (--allow-read-only accepts it)", std::move(facts)};
  }
  std::string reason = "serving as " + std::string(describe(facts.mode));
  if (!facts.zxid.empty()) reason += ", zxid " + facts.zxid;
  return {true, std::move(reason), std::move(facts)};
}

verdict judge_ready(const exchange& ex, bool allow_read_only) {
  const bool got_reply =
      ex.outcome == transport_outcome::complete || ex.outcome == transport_outcome::reset_after_reply;
  if (!got_reply) return {false, describe_failure(ex), std::nullopt};
  // What the server says first wins, in the order of the metrics' classify(): "not serving" and a
  // whitelist refusal are not ready, whatever srvr-like lines follow them.
  if (text::trim(ex.reply).starts_with(not_serving_text)) return {false, std::string(not_serving_reason), std::nullopt};
  if (is_whitelist_refusal(ex.reply, "srvr")) {
    return {false, "srvr is refused by 4lw.commands.whitelist: add srvr", std::nullopt};
  }
  // A reset after a complete reply still delivered it; an incomplete one fails below.
  if (auto facts = parse_srvr(ex.reply)) return judge_serving(std::move(*facts), allow_read_only);
  if (ex.reply.empty()) return {false, "connection closed without a reply", std::nullopt};
  const std::string_view reset = ex.outcome == transport_outcome::reset_after_reply ? " by a connection reset" : "";
  // srvr's first line, or a piece of it: the reply was cut short.
  constexpr std::string_view first_key = "Zookeeper version";
  if (const auto start = text::trim(ex.reply); start.starts_with(first_key) || (!start.empty() && first_key.starts_with(start))) {
    return {false, "srvr reply cut short" + std::string(reset) + ": " + excerpt(ex.reply), std::nullopt};
  }
  return {false, "unexpected reply to srvr: " + excerpt(ex.reply), std::nullopt};
}

verdict judge_live(const exchange& ex) {
  const bool got_reply =
      ex.outcome == transport_outcome::complete || ex.outcome == transport_outcome::reset_after_reply;
  if (got_reply && ex.reply == "imok") return {true, "imok", std::nullopt};
  if (got_reply && is_whitelist_refusal(ex.reply, "ruok")) {
    return {true, "the server answers, but ruok is not in 4lw.commands.whitelist: add ruok", std::nullopt};
  }
  if (!got_reply) return {false, describe_failure(ex), std::nullopt};
  if (ex.reply.empty()) return {false, "connection closed without a reply", std::nullopt};
  if (ex.outcome == transport_outcome::reset_after_reply && std::string_view("imok").starts_with(ex.reply)) {
    return {false, "ruok reply cut short by a connection reset: " + excerpt(ex.reply), std::nullopt};
  }
  return {false, "unexpected reply to ruok: " + excerpt(ex.reply), std::nullopt};
}

}  // namespace zkagent::readiness
