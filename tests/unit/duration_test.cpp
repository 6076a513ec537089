// The one duration grammar every command and setting uses (probe --timeout, serve --timeout,
// --cache-window, --dns-wait): the forms it takes and the look-alikes it refuses.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/duration.hpp"

namespace zkagent::text {
namespace {

using namespace std::chrono_literals;

TEST(parse_duration, takes_milliseconds_seconds_minutes_and_plain_seconds) {
  const std::vector<std::pair<std::string, std::chrono::milliseconds>> cases{
      {"1s", 1000ms},      {"800ms", 800ms},  {"2.5s", 2500ms},  {"3", 3000ms},      {"0", 0ms},
      {"0ms", 0ms},        {"0.25", 250ms},   {"1.0005s", 1001ms}, {"2m", 120'000ms}, {"1.5m", 90'000ms},
      {"90s", 90'000ms},   {"1h", 3'600'000ms}, {"0.5h", 1'800'000ms},   {"007s", 7000ms},  {"99999m", 5'999'940'000ms}};
  for (const auto& [text_value, expected] : cases) {
    SCOPED_TRACE(text_value);
    EXPECT_EQ(parse_duration(text_value), expected);
  }
}

// The values issue 12 found accepted by one command and refused by another, and their kin.
TEST(parse_duration, refuses_signs_exponents_hex_spaces_and_bare_dots) {
  for (const std::string text_value :
       {"", "s", "ms", "m", "-1s", "+1s", "1 s", " 5", "5 ", ".5", ".5s", "5.s", "1.2.3s", "1e3ms", "1e2ms", "0x10",
        "0x10s", "inf", "nan", "infs", "1sms", "1ns", "1us", "9999999999999s", "1,5s", "5S", "5MS", "1mm", "1H", "1d", "1hm"}) {
    SCOPED_TRACE("'" + text_value + "'");
    EXPECT_EQ(parse_duration(text_value), std::nullopt);
  }
}

}  // namespace
}  // namespace zkagent::text
