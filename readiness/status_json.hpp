#pragma once
// The `zkagent status --json` document, also served at GET /status: a srvr verdict -> one line of
// JSON. Pure. Written by hand: keys in a fixed order, every key always present (null when srvr did
// not say), strings escaped (invalid UTF-8 becomes U+FFFD), no trailing newline.
//
// {"ok":true,"reason":"serving as standalone, zxid 0x0","address":"127.0.0.1:2181",
//  "mode":"standalone","version":"3.8.0-...","zxid":"0x0","connections":1,"outstanding":0,
//  "received":2,"sent":1,"latency_ms":{"min":0,"avg":0.0,"max":0},"node_count":5,"took_ms":3}
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "readiness/four_letter.hpp"

namespace zkagent::readiness {

struct status_context {
  std::string address;                            // "127.0.0.1:2181"; null when empty
  std::optional<std::chrono::milliseconds> took;  // how long the probe took; null when unknown
};

std::string render_status_json(const verdict& v, const status_context& ctx = {});

// s as a JSON string literal, quotes included.
std::string json_string(std::string_view s);

}  // namespace zkagent::readiness
