// myid: the ordinal in a StatefulSet pod name, and what to do with an existing myid file.
// Both are pure (decide() is given the file's content), so every case is a row.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/text.hpp"
#include "myid/myid_file.hpp"
#include "myid/ordinal.hpp"

namespace zkagent::myid {
namespace {

TEST(myid_parse_ordinal, follows_the_start_zookeeper_rule) {
  struct ordinal_case {
    std::string host;
    std::optional<ordinal_name> expected;
  };
  const std::vector<ordinal_case> cases{
      {"zk-0", ordinal_name{"zk", 0}},
      {"zk-1", ordinal_name{"zk", 1}},
      {"zk-254", ordinal_name{"zk", 254}},
      {"my-zk-12", ordinal_name{"my-zk", 12}},
      {"a-b-c-3", ordinal_name{"a-b-c", 3}},
      {"zookeeper-999999999", ordinal_name{"zookeeper", 999'999'999}},
      {"zk", std::nullopt},
      {"zk-", std::nullopt},
      {"-3", std::nullopt},
      {"-", std::nullopt},
      {"", std::nullopt},
      {"zk-a", std::nullopt},
      {"zk-1a", std::nullopt},
      {"zk-+1", std::nullopt},
      {"zk--1", ordinal_name{"zk-", 1}},  // the base is whatever stands before the last dash
      {"zk-1234567890", std::nullopt},    // more than nine digits is no pod ordinal
      {"zk-99999999999999999999999", std::nullopt},
      {"zookeeper", std::nullopt},
      {"zk-1.zk-hs", std::nullopt},  // a short host name has no dots; the last dash is in the domain
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("host name: " + text::quote(c.host));
    const auto got = parse_ordinal(c.host);
    ASSERT_EQ(got.has_value(), c.expected.has_value());
    if (got) {
      EXPECT_EQ(got->base, c.expected->base);
      EXPECT_EQ(got->ordinal, c.expected->ordinal);
    }
  }
}

TEST(myid_render, is_the_id_and_a_newline) {
  EXPECT_EQ(render(1), "1\n");
  EXPECT_EQ(render(255), "255\n");
  EXPECT_EQ(path_in("/data"), "/data/myid");
  EXPECT_EQ(path_in("/data/"), "/data/myid");
  EXPECT_EQ(path_in("/var/lib/zookeeper/data"), "/var/lib/zookeeper/data/myid");
}

TEST(myid_id_as_zookeeper_reads, is_the_first_line_as_long_parse_long_reads_it) {
  struct read_case {
    std::string content;
    std::optional<long long> expected;
  };
  const std::vector<read_case> cases{
      {"1", 1},
      {"1\n", 1},
      {"1\r\n", 1},
      {"1\r", 1},                // readLine ends a line at a lone \r too
      {"1\ngarbage", 1},         // only the first line is read
      {"1\n\xd9\xa1", 1},       // whatever follows it
      {"+1", 1},
      {"01", 1},
      {"0", 0},
      {"256", 256},
      {"-5", -5},
      {"9223372036854775807", 9223372036854775807LL},
      {"-9223372036854775808", -9223372036854775807LL - 1},
      {"", std::nullopt},         // no line at all
      {"\n1", std::nullopt},      // the first line is empty
      {" 1", std::nullopt},
      {"1 ", std::nullopt},
      {"\t1", std::nullopt},
      {"-1", std::nullopt},       // ZooKeeper's "unset": "myid file is missing"
      {"+", std::nullopt},
      {"-", std::nullopt},
      {"+-1", std::nullopt},
      {"++1", std::nullopt},
      {"1.0", std::nullopt},
      {"0x1", std::nullopt},
      {"1e2", std::nullopt},
      {"9223372036854775808", std::nullopt},
      {"99999999999999999999", std::nullopt},
      {"\xd9\xa1", std::nullopt},  // U+0661 ARABIC-INDIC DIGIT ONE: charset-dependent, so refused
      {"\xef\xbc\x91", std::nullopt},  // U+FF11 FULLWIDTH DIGIT ONE
      {std::string("1\0", 2), std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("content: " + text::quote(c.content));
    EXPECT_EQ(id_as_zookeeper_reads(c.content), c.expected);
  }
}

TEST(myid_decide, writes_when_absent_and_keeps_what_zookeeper_reads_as_the_same_id) {
  struct keep_case {
    std::optional<std::string> existing;
    std::uint32_t id;
    bool force;
    myid_action expected;
  };
  const std::vector<keep_case> cases{
      {std::nullopt, 2, false, myid_action::write},
      {std::nullopt, 2, true, myid_action::write},
      {"2", 2, false, myid_action::keep},
      {"2\n", 2, false, myid_action::keep},
      {"2\r\n", 2, false, myid_action::keep},
      {"2\r", 2, false, myid_action::keep},
      {"2\nanything", 2, false, myid_action::keep},
      {"+2", 2, false, myid_action::keep},
      {"02\n", 2, false, myid_action::keep},
      {"255\n", 255, false, myid_action::keep},
      {"2\n", 2, true, myid_action::keep},  // forcing never rewrites a file that is already right
      {"3\n", 2, true, myid_action::write},
      {"garbage", 2, true, myid_action::write},
      {"", 2, true, myid_action::write},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("existing: " + (c.existing ? text::quote(*c.existing) : std::string("(absent)")) + ", id " +
                 std::to_string(c.id) + (c.force ? ", forced" : ""));
    const auto got = decide(c.existing, c.id, c.force, "ZOO_MY_ID", "/data/myid");
    ASSERT_TRUE(got.ok()) << got.err().message;
    EXPECT_EQ(got.value(), c.expected);
  }
}

TEST(myid_decide, refuses_another_members_id_naming_everything_needed_to_fix_it) {
  const auto got = decide(std::string("3\n"), 2, false, "host name zk-1 (ordinal 1 + offset 1)", "/data/myid");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.err().kind, error_kind::identity);
  const auto& message = got.err().message;
  for (const auto* part : {"/data/myid", "id 3", "id 2", "host name zk-1 (ordinal 1 + offset 1)", "--force-myid"}) {
    SCOPED_TRACE(part);
    EXPECT_NE(message.find(part), std::string::npos) << message;
  }
}

// Spaces around the id were once trimmed and the file kept: ZooKeeper refuses " 2", so it is now
// refused here too (a deliberate change), as is every content ZooKeeper would not start on.
TEST(myid_decide, refuses_content_zookeeper_cannot_read) {
  const std::vector<std::string> unreadable{"", "\n", "\n2", " 2", "2 ", "  2  \n", "\t2\t", "abc", "-1", "1 2",
                                            "1.0", "one", "2x\n", "99999999999999999999", "\xd9\xa2"};
  for (const auto& content : unreadable) {
    SCOPED_TRACE("existing: " + text::quote(content));
    const auto got = decide(content, 2, false, "ZOO_MY_ID", "/var/lib/zookeeper/data/myid");
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.err().kind, error_kind::identity);
    const auto& message = got.err().message;
    EXPECT_NE(message.find("/var/lib/zookeeper/data/myid"), std::string::npos) << message;
    EXPECT_NE(message.find("unreadable content " + text::quote(content) + " (ZooKeeper reads its first line"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("ZOO_MY_ID"), std::string::npos) << message;
    EXPECT_NE(message.find("--force-myid"), std::string::npos) << message;
  }
}

TEST(myid_decide, refuses_an_id_zookeeper_reads_but_that_is_not_ours) {
  for (const auto& [content, found] : std::vector<std::pair<std::string, std::string>>{
           {"0", "id 0"}, {"256", "id 256"}, {"-5", "id -5"}, {"3\n2", "id 3"}, {"+02", "id 2"}}) {
    SCOPED_TRACE("existing: " + text::quote(content));
    const auto got = decide(content, content == "+02" ? 3 : 2, false, "ZOO_MY_ID", "/data/myid");
    ASSERT_FALSE(got.ok());
    EXPECT_NE(got.err().message.find("holds " + found + " but"), std::string::npos) << got.err().message;
  }
}

}  // namespace
}  // namespace zkagent::myid
