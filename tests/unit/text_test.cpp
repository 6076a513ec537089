// common/text: the small parsers every setting goes through. Each case is a row in a table.
#include "common/text.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zkagent::text {
namespace {

struct uint_case {
  std::string input;
  std::uint64_t min;
  std::uint64_t max;
  std::optional<std::uint64_t> expected;
};

TEST(text_parse_uint, accepts_whole_numbers_within_bounds_only) {
  const std::vector<uint_case> cases{
      {"0", 0, 10, 0},
      {"10", 0, 10, 10},
      {"11", 0, 10, std::nullopt},
      {"0", 1, 10, std::nullopt},
      {"1", 1, 1, 1},
      {"2181", 1, 65535, 2181},
      {"65535", 1, 65535, 65535},
      {"65536", 1, 65535, std::nullopt},
      {"007", 0, 10, 7},  // leading zeros are still a whole number
      {"9999999999999999999", 0, UINT64_MAX, 9'999'999'999'999'999'999ULL},
      // Too long to be a number we ever want, even where it would fit.
      {"18446744073709551615", 0, UINT64_MAX, std::nullopt},
      {"99999999999999999999999999", 0, UINT64_MAX, std::nullopt},
      // Garbage.
      {"", 0, 10, std::nullopt},
      {" 1", 0, 10, std::nullopt},
      {"1 ", 0, 10, std::nullopt},
      {"+1", 0, 10, std::nullopt},
      {"-1", 0, 10, std::nullopt},
      {"1a", 0, 10, std::nullopt},
      {"a1", 0, 10, std::nullopt},
      {"0x10", 0, 100, std::nullopt},
      {"1.0", 0, 10, std::nullopt},
      {"1e3", 0, 10000, std::nullopt},
      {"1\n", 0, 10, std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("input: " + quote(c.input) + " in [" + std::to_string(c.min) + ", " + std::to_string(c.max) + "]");
    EXPECT_EQ(parse_uint(c.input, c.min, c.max), c.expected);
  }
}

TEST(text_parse_bool, accepts_the_usual_spellings_in_any_case) {
  const std::vector<std::pair<std::string, std::optional<bool>>> cases{
      {"true", true},   {"True", true},   {"TRUE", true},    {"yes", true},    {"YES", true},
      {"1", true},      {"on", true},     {"On", true},      {"false", false}, {"False", false},
      {"no", false},    {"NO", false},    {"0", false},      {"off", false},   {"OFF", false},
      {"", std::nullopt}, {"maybe", std::nullopt}, {"2", std::nullopt}, {"t", std::nullopt},
      {"y", std::nullopt}, {" true", std::nullopt}, {"true\n", std::nullopt}, {"enabled", std::nullopt},
  };
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE("input: " + quote(input));
    EXPECT_EQ(parse_bool(input), expected);
  }
}

TEST(text_find_control_char, finds_the_first_character_that_could_inject_lines) {
  const std::vector<std::pair<std::string, std::optional<char>>> cases{
      {"", std::nullopt},
      {"plain value with spaces", std::nullopt},
      {"/var/lib/zookeeper", std::nullopt},
      {"caf\xc3\xa9", std::nullopt},  // UTF-8 bytes are not control characters
      {"a\nb", '\n'},
      {"a\rb", '\r'},
      {"tab\there", '\t'},
      {std::string("nul\0x", 5), '\0'},
      {"del\x7f", '\x7f'},
      {"esc\x1b[0m", '\x1b'},
      {"first\x01then\n", '\x01'},
  };
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE("input: " + quote(input));
    EXPECT_EQ(find_control_char(input), expected);
  }
}

TEST(text_quote, escapes_control_characters_and_cuts_long_values) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "''"},
      {"abc", "'abc'"},
      {"with space", "'with space'"},
      {"a\nb", "'a\\nb'"},
      {"a\rb", "'a\\rb'"},
      {"a\tb", "'a\\tb'"},
      {"\x01", "'\\x01'"},
      {"\x1f", "'\\x1f'"},
      {"\x7f", "'\\x7f'"},
      {std::string("\0", 1), "'\\x00'"},
      {"it's", "'it's'"},
      {std::string(120, 'x'), "'" + std::string(120, 'x') + "'"},
      {std::string(121, 'x'), "'" + std::string(120, 'x') + "...'"},
      {std::string(500, 'y'), "'" + std::string(120, 'y') + "...'"},
  };
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE("input of " + std::to_string(input.size()) + " characters: " + expected);
    EXPECT_EQ(quote(input), expected);
  }
}

TEST(text_printable, names_stay_as_they_are_unless_a_control_byte_would_break_the_line) {
  EXPECT_EQ(printable("/etc/zk/zoo.cfg"), "/etc/zk/zoo.cfg");
  EXPECT_EQ(printable("zk-0"), "zk-0");
  EXPECT_EQ(printable(""), "");
  EXPECT_EQ(printable("zk-0\x1b[2J"), "'zk-0\\x1b[2J'");
  EXPECT_EQ(printable("a\nb"), "'a\\nb'");
}

TEST(text_edit_distance, counts_insertions_deletions_and_substitutions_ignoring_case) {
  struct distance_case {
    std::string a, b;
    std::size_t expected;
  };
  const std::vector<distance_case> cases{
      {"", "", 0},
      {"abc", "", 3},
      {"", "abc", 3},
      {"abc", "abc", 0},
      {"ABC", "abc", 0},
      {"kitten", "sitting", 3},
      {"purgeInteval", "purgeInterval", 1},
      {"autopurge.purgeInteval", "autopurge.purgeInterval", 1},
      {"Z00_MY_ID", "ZOO_MY_ID", 2},
      {"ZOO_MYID", "ZOO_MY_ID", 1},
      {"stta", "stat", 2},  // a transposition is two edits
      {"flaw", "lawn", 2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.a + " -> " + c.b);
    EXPECT_EQ(edit_distance(c.a, c.b), c.expected);
    EXPECT_EQ(edit_distance(c.b, c.a), c.expected);
  }
}

TEST(text_closest, suggests_only_words_within_a_typo_of_the_input) {
  constexpr std::array<std::string_view, 6> words{"ruok", "srvr", "mntr", "stat", "conf", "tickTime"};
  const std::vector<std::pair<std::string, std::optional<std::string>>> cases{
      {"ruok", "ruok"},
      {"srvrr", "srvr"},
      {"mtr", "mntr"},
      {"conff", "conf"},
      {"RUOK", "ruok"},
      {"tickTme", "tickTime"},
      {"tikTme", "tickTime"},
      {"xyzw", std::nullopt},  // short words allow one edit only
      {"ruxx", std::nullopt},
      {"", std::nullopt},
      {"somethingelse", std::nullopt},
  };
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE("input: " + quote(input));
    EXPECT_EQ(closest(input, words), expected);
  }
}

TEST(text_split_and_trim, keep_or_drop_empty_pieces_as_asked) {
  EXPECT_EQ(split("a,b,,c", ",", true), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split("a,b,,c", ",", false), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split(" a \t b ", " \t", true), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split("", ",", true), std::vector<std::string>{});
  EXPECT_EQ(split("", ",", false), std::vector<std::string>{""});
  EXPECT_EQ(split("2888:3888:", ":", false), (std::vector<std::string>{"2888", "3888", ""}));
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(trim("\n\n"), "");
  EXPECT_TRUE(starts_with_ci("ZOO_my_id", "zoo_"));
  EXPECT_FALSE(starts_with_ci("ZO", "zoo"));
  EXPECT_EQ(to_upper("zoo_My_id0"), "ZOO_MY_ID0");
  EXPECT_EQ(to_lower("RuOk"), "ruok");
}

}  // namespace
}  // namespace zkagent::text
