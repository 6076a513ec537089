#pragma once
// Shared by the libFuzzer harnesses: turning fuzz bytes into structured inputs, and oracles that
// fail loudly (abort, so libFuzzer saves the input) when a parser's promise does not hold.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zkagent::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

// The oracle failed: say which promise broke, then abort so libFuzzer keeps the input.
[[noreturn]] inline void broken(std::string_view promise, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz oracle: %.*s\n%.*s\n", static_cast<int>(promise.size()), promise.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline void require(bool condition, std::string_view promise, std::string_view detail = {}) {
  if (!condition) broken(promise, detail);
}

// Lines split on '\n' (the last one may lack it).
inline std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

// A probe's reason, a log message: one line of text, no byte below 0x20 and no DEL.
inline bool one_printable_line(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

// What java.util.Properties.load (ZooKeeper's reader of zoo.cfg and the dynamic file) makes of a
// text: logical lines (a line ending in an odd number of backslashes continues), comments (#, !)
// and blank lines skipped, the key up to the first unescaped '=', ':' or white space, escapes
// undone. nullopt where Java throws (a malformed \uXXXX).
struct properties_entry {
  std::string key, value;
  std::size_t physical_lines = 1;  // how many lines of the file this entry took
};
inline std::optional<std::vector<properties_entry>> java_properties(std::string_view text) {
  const auto is_ws = [](char c) { return c == ' ' || c == '\t' || c == '\f'; };
  // Physical lines: \n, \r or \r\n end them.
  std::vector<std::string_view> physical;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      physical.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) physical.push_back(text.substr(start));

  std::vector<properties_entry> out;
  for (std::size_t n = 0; n < physical.size(); ++n) {
    std::string_view line = physical[n];
    while (!line.empty() && is_ws(line.front())) line.remove_prefix(1);
    if (line.empty() || line.front() == '#' || line.front() == '!') continue;
    std::string logical;
    std::size_t taken = 1;
    for (;;) {
      std::size_t backslashes = 0;
      while (backslashes < line.size() && line[line.size() - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0 || n + 1 >= physical.size()) {
        logical.append(line);
        if (backslashes % 2 == 1) logical.pop_back();  // a continuation at the end of the file
        break;
      }
      logical.append(line.substr(0, line.size() - 1));
      line = physical[++n];
      ++taken;
      while (!line.empty() && is_ws(line.front())) line.remove_prefix(1);
    }
    // Split: the key ends at an unescaped '=', ':' or white space.
    std::size_t at = 0;
    std::string raw_key;
    bool precede_backslash = false;
    for (; at < logical.size(); ++at) {
      const char c = logical[at];
      if (!precede_backslash && (c == '=' || c == ':' || is_ws(c))) break;
      precede_backslash = c == '\\' && !precede_backslash;
    }
    raw_key = logical.substr(0, at);
    while (at < logical.size() && is_ws(logical[at])) ++at;
    if (at < logical.size() && (logical[at] == '=' || logical[at] == ':')) ++at;
    while (at < logical.size() && is_ws(logical[at])) ++at;
    const std::string raw_value = logical.substr(at);

    const auto unescape = [](std::string_view s) -> std::optional<std::string> {
      std::string r;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
          r += s[i];
          continue;
        }
        if (++i >= s.size()) break;  // a lone trailing backslash is dropped
        switch (s[i]) {
          case 't': r += '\t'; break;
          case 'n': r += '\n'; break;
          case 'r': r += '\r'; break;
          case 'f': r += '\f'; break;
          case 'u': {
            if (s.size() - i - 1 < 4) return std::nullopt;
            unsigned code = 0;
            for (std::size_t k = 1; k <= 4; ++k) {
              const char h = s[i + k];
              code *= 16;
              if (h >= '0' && h <= '9') code += static_cast<unsigned>(h - '0');
              else if (h >= 'a' && h <= 'f') code += static_cast<unsigned>(h - 'a' + 10);
              else if (h >= 'A' && h <= 'F') code += static_cast<unsigned>(h - 'A' + 10);
              else return std::nullopt;
            }
            i += 4;
            r += code < 0x80 ? std::string(1, static_cast<char>(code)) : std::string("\xef\xbf\xbd");
            break;
          }
          default: r += s[i];
        }
      }
      return r;
    };
    auto key = unescape(raw_key);
    auto value = unescape(raw_value);
    if (!key || !value) return std::nullopt;
    out.push_back({std::move(*key), std::move(*value), taken});
  }
  return out;
}

// Whether s holds a control byte (what a message must never carry raw).
inline bool has_control(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Splits fuzz bytes into records at a separator byte: structured inputs from flat bytes.
inline std::vector<std::string_view> records(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto at = text.find(separator);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return out;
}

}  // namespace zkagent::fuzz
