// --keep-config: the folders zkagent prepares follow the kept zoo.cfg (entrypoint/kept_config).
#include "entrypoint/kept_config.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace zkagent::entrypoint {
namespace {

TEST(kept_config_value, reads_a_key_as_properties_does_for_plain_lines) {
  struct row {
    std::string text;
    std::optional<std::string> expected;
  };
  const std::vector<row> rows{
      {"dataDir=/var/lib/zookeeper\n", "/var/lib/zookeeper"},
      {"tickTime=2000\ndataDir = /data \ninitLimit=5\n", "/data"},
      {"dataDir:/data\n", "/data"},
      {"dataDir /data\n", "/data"},
      {"\tdataDir=/data\r\n", "/data"},
      {"dataDir=/first\ndataDir=/second\n", "/second"},  // the last one wins
      {"dataDir=\n", ""},
      {"# dataDir=/commented\n", std::nullopt},
      {"! dataDir=/commented\n", std::nullopt},
      {"dataDirX=/other\n", std::nullopt},
      {"xdataDir=/other\n", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.text);
    EXPECT_EQ(zoo_cfg_value(r.text, "dataDir"), r.expected);
  }
}

settings with_folders() {
  settings s;
  s.data_dir = "/data";
  s.data_log_dir = "/datalog";
  return s;
}

TEST(kept_config_folders, follow_the_kept_files_data_dir_and_data_log_dir) {
  auto s = with_folders();
  const auto notes = adopt_kept_folders(s, "dataDir=/var/lib/zk\ndataLogDir=/var/lib/zk-log\n");
  EXPECT_EQ(s.data_dir, "/var/lib/zk");
  EXPECT_EQ(s.data_log_dir, "/var/lib/zk-log");
  ASSERT_EQ(notes.size(), 2U);
  EXPECT_EQ(notes[0], "--keep-config: myid goes to /var/lib/zk (the kept zoo.cfg's dataDir), not /data");
  EXPECT_EQ(notes[1], "--keep-config: the transaction log folder is /var/lib/zk-log (the kept zoo.cfg's dataLogDir), not /datalog");
}

TEST(kept_config_folders, the_log_folder_defaults_to_data_dir_as_in_zookeeper) {
  auto s = with_folders();
  const auto notes = adopt_kept_folders(s, "dataDir=/var/lib/zk\n");
  EXPECT_EQ(s.data_dir, "/var/lib/zk");
  EXPECT_EQ(s.data_log_dir, "/var/lib/zk");
  ASSERT_EQ(notes.size(), 2U);
  EXPECT_NE(notes[1].find("(the kept zoo.cfg's dataDir)"), std::string::npos) << notes[1];
}

TEST(kept_config_folders, the_same_folders_change_nothing_and_say_nothing) {
  auto s = with_folders();
  EXPECT_TRUE(adopt_kept_folders(s, "dataDir=/data\ndataLogDir=/datalog\n").empty());
  EXPECT_EQ(s.data_dir, "/data");
  EXPECT_EQ(s.data_log_dir, "/datalog");
}

TEST(kept_config_folders, no_absolute_data_dir_keeps_the_settings_and_says_so) {
  for (const auto* text : {"tickTime=2000\n", "dataDir=relative/zk\n", "dataDir=\n"}) {
    SCOPED_TRACE(text);
    auto s = with_folders();
    const auto notes = adopt_kept_folders(s, text);
    EXPECT_EQ(s.data_dir, "/data");
    EXPECT_EQ(s.data_log_dir, "/datalog");
    ASSERT_EQ(notes.size(), 1U);
    EXPECT_NE(notes[0].find("names no absolute dataDir"), std::string::npos) << notes[0];
    EXPECT_NE(notes[0].find("myid goes to /data (--data-dir)"), std::string::npos) << notes[0];
  }
}

}  // namespace
}  // namespace zkagent::entrypoint
