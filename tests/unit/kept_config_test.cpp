// --keep-config: the folders zkagent prepares follow the kept zoo.cfg (entrypoint/kept_config).
#include "entrypoint/kept_config.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace zkagent::entrypoint {
namespace {

TEST(kept_config_value, reads_a_key_as_properties_does_for_single_lines) {
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
      {"dataDir=/data/with\\\\backslash\n", "/data/with\\backslash"},  // as zkagent's zoo.cfg escapes it
      {"dataDir=C\\:/zk\n", "C:/zk"},
      {"data\\Dir=/escaped-key\n", "/escaped-key"},
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
  const auto kept = adopt_kept_folders(s, "dataDir=/var/lib/zk/\ndataLogDir=/var/lib/zk-log\n");
  EXPECT_EQ(s.data_dir, "/var/lib/zk");  // trailing slash dropped, as for --data-dir
  EXPECT_EQ(s.data_log_dir, "/var/lib/zk-log");
  EXPECT_EQ(kept.adopted, (std::vector<std::string>{"/var/lib/zk", "/var/lib/zk-log"}));
  ASSERT_EQ(kept.notes.size(), 2U);
  EXPECT_FALSE(kept.notes[0].warning);
  EXPECT_EQ(kept.notes[0].text, "--keep-config: myid goes to /var/lib/zk (the kept zoo.cfg's dataDir), not /data");
  EXPECT_EQ(kept.notes[1].text,
            "--keep-config: the transaction log folder is /var/lib/zk-log (the kept zoo.cfg's dataLogDir), not /datalog");
}

TEST(kept_config_folders, the_log_folder_defaults_to_data_dir_as_in_zookeeper) {
  auto s = with_folders();
  const auto kept = adopt_kept_folders(s, "dataDir=/var/lib/zk\n");
  EXPECT_EQ(s.data_dir, "/var/lib/zk");
  EXPECT_EQ(s.data_log_dir, "/var/lib/zk");
  EXPECT_EQ(kept.adopted, std::vector<std::string>{"/var/lib/zk"});
  ASSERT_EQ(kept.notes.size(), 2U);
  EXPECT_NE(kept.notes[1].text.find("(the kept zoo.cfg's dataDir)"), std::string::npos) << kept.notes[1].text;
}

TEST(kept_config_folders, the_same_folders_change_nothing_and_say_nothing) {
  for (const auto* text : {"dataDir=/data\ndataLogDir=/datalog\n", "dataDir=/data/\ndataLogDir=/datalog//\n"}) {
    SCOPED_TRACE(text);
    auto s = with_folders();
    const auto kept = adopt_kept_folders(s, text);
    EXPECT_TRUE(kept.notes.empty());
    EXPECT_TRUE(kept.adopted.empty());
    EXPECT_EQ(s.data_dir, "/data");
    EXPECT_EQ(s.data_log_dir, "/datalog");
  }
}

TEST(kept_config_folders, no_usable_data_dir_keeps_the_settings_and_warns) {
  // "." and ".." parts too: root compares the folder with its own by text, and ".." leads wherever the
  // folder before it was moved meanwhile.
  for (const auto* text : {"tickTime=2000\n", "dataDir=relative/zk\n", "dataDir=\n", "dataDir=/\n", "dataDir=//\n",
                           "dataDir=/data/a/..\n", "dataDir=/data/../etc\n", "dataDir=/data/./zk\n"}) {
    SCOPED_TRACE(text);
    auto s = with_folders();
    const auto kept = adopt_kept_folders(s, text);
    EXPECT_EQ(s.data_dir, "/data");
    EXPECT_EQ(s.data_log_dir, "/datalog");
    EXPECT_TRUE(kept.adopted.empty());
    ASSERT_EQ(kept.notes.size(), 1U);
    EXPECT_TRUE(kept.notes[0].warning);
    EXPECT_NE(kept.notes[0].text.find("names no usable dataDir"), std::string::npos) << kept.notes[0].text;
    EXPECT_NE(kept.notes[0].text.find("myid goes to /data (--data-dir), where ZooKeeper will not look for it"),
              std::string::npos)
        << kept.notes[0].text;
  }
}

TEST(kept_config_folders, a_relative_data_log_dir_warns_and_is_not_prepared) {
  auto s = with_folders();
  const auto kept = adopt_kept_folders(s, "dataDir=/zk\ndataLogDir=txlog\n");
  EXPECT_EQ(s.data_dir, "/zk");
  EXPECT_EQ(s.data_log_dir, "/zk");
  ASSERT_FALSE(kept.notes.empty());
  EXPECT_TRUE(kept.notes[0].warning);
  EXPECT_NE(kept.notes[0].text.find("dataLogDir 'txlog' is not an absolute folder"), std::string::npos)
      << kept.notes[0].text;
}

TEST(kept_config_folders, control_bytes_in_a_kept_value_are_shown_escaped) {
  auto s = with_folders();
  const auto kept = adopt_kept_folders(s, "dataDir=/zk\x1b[2J\n");
  ASSERT_FALSE(kept.notes.empty());
  for (const auto& note : kept.notes) EXPECT_EQ(note.text.find('\x1b'), std::string::npos) << note.text;
}

}  // namespace
}  // namespace zkagent::entrypoint
