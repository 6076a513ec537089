#pragma once
// The one duration syntax of every command and setting: "800ms", "2s", "2.5s", "1.5m", "1h", and a bare
// number of seconds ("3", as Kubernetes' timeoutSeconds). Digits with at most one inner dot: no
// sign, exponent, hex, spaces, inf or nan. Each caller applies its own bounds. Pure.
#include <chrono>
#include <optional>
#include <string_view>

namespace zkagent::text {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace zkagent::text
