#include "readiness/status_json.hpp"

#include <cstdint>

#include "common/text.hpp"

namespace zkagent::readiness {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  std::size_t n = 0;
  std::uint32_t min = 0;
  std::uint32_t code = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0U) == 0xC0U) {
    n = 2;
    min = 0x80;
    code = lead & 0x1FU;
  } else if ((lead & 0xF0U) == 0xE0U) {
    n = 3;
    min = 0x800;
    code = lead & 0x0FU;
  } else if ((lead & 0xF8U) == 0xF0U) {
    n = 4;
    min = 0x10000;
    code = lead & 0x07U;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0U) != 0x80U) return 0;
    code = (code << 6U) | (byte(i + k) & 0x3FU);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

// A JSON number as ZooKeeper prints them ("0", "0.0", "12.5"): digits, at most one dot inside.
bool is_plain_number(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  if (s.size() > 1 && s.front() == '0' && s[1] != '.') return false;
  bool dot = false;
  for (const char c : s) {
    if (c == '.') {
      if (dot) return false;
      dot = true;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::string number_or_null(const std::optional<std::uint64_t>& n) { return n ? std::to_string(*n) : "null"; }

std::string string_or_null(std::string_view s) { return s.empty() ? "null" : json_string(s); }

// "0/0.0/0" -> {"min":0,"avg":0.0,"max":0}; null unless all three are plain numbers.
std::string latency_object(std::string_view latency) {
  const auto parts = text::split(latency, "/", false);
  if (parts.size() != 3) return "null";
  for (const auto& p : parts) {
    if (!is_plain_number(p)) return "null";
  }
  return "{\"min\":" + parts[0] + ",\"avg\":" + parts[1] + ",\"max\":" + parts[2] + "}";
}

}  // namespace

std::string json_string(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  out.reserve(s.size() + 2);
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const auto n = utf8_length(s, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4U];
          out += hex[c & 0x0FU];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string render_status_json(const verdict& v, const status_context& ctx) {
  const srvr_facts* f = v.facts ? &*v.facts : nullptr;
  std::string out = "{";
  out += "\"ok\":" + std::string(v.ok ? "true" : "false");
  out += ",\"reason\":" + json_string(v.reason);
  out += ",\"address\":" + string_or_null(ctx.address);
  out += ",\"mode\":" + (f ? json_string(describe(f->mode)) : std::string("null"));
  out += ",\"version\":" + (f ? string_or_null(f->version) : std::string("null"));
  out += ",\"zxid\":" + (f ? string_or_null(f->zxid) : std::string("null"));
  out += ",\"connections\":" + (f ? number_or_null(f->connections) : std::string("null"));
  out += ",\"outstanding\":" + (f ? number_or_null(f->outstanding) : std::string("null"));
  out += ",\"received\":" + (f ? number_or_null(f->received) : std::string("null"));
  out += ",\"sent\":" + (f ? number_or_null(f->sent) : std::string("null"));
  out += ",\"latency_ms\":" + (f ? latency_object(f->latency) : std::string("null"));
  out += ",\"node_count\":" + (f ? number_or_null(f->node_count) : std::string("null"));
  out += ",\"took_ms\":" + (ctx.took ? std::to_string(ctx.took->count()) : std::string("null"));
  out += "}";
  return out;
}

}  // namespace zkagent::readiness
