// myid: the ordinal in a StatefulSet pod name, and what to do with an existing myid file.
// Both are pure (decide() is given the file's content), so every case is a row.
#include <gtest/gtest.h>

#include <optional>
#include <string>
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

TEST(myid_decide, writes_when_absent_and_keeps_the_same_id_however_it_is_spaced) {
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
      {"  2  \n", 2, false, myid_action::keep},
      {"\t2\t", 2, false, myid_action::keep},
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

TEST(myid_decide, refuses_content_that_is_no_id) {
  const std::vector<std::string> garbage{"", "\n", "abc", "0", "256", "-1", "1 2", "1.0", "one", "2x\n",
                                         "99999999999999999999"};
  for (const auto& content : garbage) {
    SCOPED_TRACE("existing: " + text::quote(content));
    const auto got = decide(content, 2, false, "ZOO_MY_ID", "/var/lib/zookeeper/data/myid");
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.err().kind, error_kind::identity);
    const auto& message = got.err().message;
    EXPECT_NE(message.find("/var/lib/zookeeper/data/myid"), std::string::npos) << message;
    EXPECT_NE(message.find("unreadable content " + text::quote(text::trim(content))), std::string::npos) << message;
    EXPECT_NE(message.find("ZOO_MY_ID"), std::string::npos) << message;
    EXPECT_NE(message.find("--force-myid"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace zkagent::myid
