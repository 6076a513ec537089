// Help, version, dispatch errors, and the shape of the release binary.
#include <regex>
#include <set>

#include "cli_fixture.hpp"

namespace zkagent::cli_tests {
namespace {

using testing::read_file;

std::string project_version() {
  const auto cmake = read_file(std::string(ZKAGENT_SOURCE_DIR) + "/CMakeLists.txt");
  std::smatch m;
  const std::regex pattern(R"(project\s*\(\s*zkagent\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+))");
  if (!std::regex_search(cmake, m, pattern)) return "";
  return m[1].str();
}

struct spec_row {
  std::string name, env, alias;
};

// The rows of the setting table, read from its source: every `setting_spec{"name", "ENV", "ALIAS", ...`.
std::vector<spec_row> spec_rows() {
  const auto source = read_file(std::string(ZKAGENT_SOURCE_DIR) + "/entrypoint/setting_specs.cpp");
  const std::regex row(R"re(setting_spec\{"([^"]*)",\s*"([^"]*)",\s*"([^"]*)")re");
  std::vector<spec_row> rows;
  for (auto it = std::sregex_iterator(source.begin(), source.end(), row); it != std::sregex_iterator(); ++it) {
    rows.push_back({(*it)[1].str(), (*it)[2].str(), (*it)[3].str()});
  }
  return rows;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

// "  --name..." lines of a help text: option name -> the whole line.
std::map<std::string, std::string> option_lines(const std::string& help) {
  std::map<std::string, std::string> out;
  for (const auto& line : testing::lines_of(help)) {
    if (!line.starts_with("  --")) continue;
    const auto name_end = line.find_first_of("= ", 4);
    out[line.substr(4, name_end == std::string::npos ? std::string::npos : name_end - 4)] = line;
  }
  return out;
}

class help : public cli_test {};

TEST_F(help, VersionIsTheProjectVersion) {
  const auto version = project_version();
  ASSERT_FALSE(version.empty()) << "no project(zkagent VERSION x.y.z) in CMakeLists.txt";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--version"}, {"version"}, {"config", "--version"}}) {
    const auto r = zkagent(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "zkagent " + version + "\n");
  }
}

TEST_F(help, TheSpecTableIsReadCompletely) {
  const auto source = read_file(std::string(ZKAGENT_SOURCE_DIR) + "/entrypoint/setting_specs.cpp");
  const auto rows = spec_rows();
  EXPECT_EQ(rows.size(), count_of(source, "setting_spec{"));
  EXPECT_GE(rows.size(), 40U);
}

TEST_F(help, EveryOptionAppearsWithItsVariable) {
  const auto rows = spec_rows();
  ASSERT_FALSE(rows.empty());
  for (const auto* cmd : {"start", "config", "myid"}) {
    SCOPED_TRACE(cmd);
    const auto r = zkagent({cmd, "--help"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = option_lines(r.out);
    // Every row, and nothing but the rows and --help/--version.
    EXPECT_EQ(lines.size(), rows.size() + 2) << r.out;
    EXPECT_TRUE(lines.contains("help"));
    EXPECT_TRUE(lines.contains("version"));
    for (const auto& row : rows) {
      SCOPED_TRACE(row.name);
      ASSERT_TRUE(lines.contains(row.name)) << r.out;
      const auto& line = lines.at(row.name);
      if (!row.env.empty()) {
        EXPECT_TRUE(contains(line, "[" + row.env)) << line;
      }
      if (!row.alias.empty()) {
        EXPECT_TRUE(contains(line, row.alias)) << line;
      }
    }
  }
}

TEST_F(help, BitnamisNamesAppearOnTheirSettingsLines) {
  // The aliases table beside the rows: every `bitnami_alias{"setting", "VARIABLE"}`.
  const auto source = read_file(std::string(ZKAGENT_SOURCE_DIR) + "/entrypoint/setting_specs.cpp");
  const std::regex alias(R"re(bitnami_alias\{"([^"]*)",\s*"([^"]*)"\})re");
  std::vector<std::pair<std::string, std::string>> aliases;
  for (auto it = std::sregex_iterator(source.begin(), source.end(), alias); it != std::sregex_iterator(); ++it) {
    aliases.emplace_back((*it)[1].str(), (*it)[2].str());
  }
  ASSERT_EQ(aliases.size(), 7U);
  const auto r = zkagent({"start", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = option_lines(r.out);
  for (const auto& [setting, variable] : aliases) {
    SCOPED_TRACE(setting);
    ASSERT_TRUE(lines.contains(setting)) << r.out;
    EXPECT_TRUE(contains(lines.at(setting), ", " + variable + "]")) << lines.at(setting);
  }
  const auto docs = read_file(std::string(ZKAGENT_SOURCE_DIR) + "/docs/compatibility.md");
  for (const auto& [setting, variable] : aliases) {
    EXPECT_TRUE(contains(docs, "| `" + variable + "` |")) << variable << " is missing from docs/compatibility.md";
    EXPECT_TRUE(contains(docs, "`--" + setting + "`")) << setting << " is missing from docs/compatibility.md";
  }
}

TEST_F(help, EveryOptionNamedInHelpIsAccepted) {
  // A flag the help shows but the parser rejects would be a lie: each must parse (its value may
  // still be refused, but never as an unknown option).
  const auto rows = spec_rows();
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    const auto r = command("config", {"--hostname=zk-1", "--domain=example.internal", "--" + row.name + "=x"});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << r.exit_code << "\n" << r.err;
    EXPECT_FALSE(contains(r.err, "unknown option")) << r.err;
    EXPECT_FALSE(contains(r.err, "unexpected argument")) << r.err;
  }
}

TEST_F(help, TopLevelHelp) {
  for (const auto* arg : {"--help", "-h", "help"}) {
    const auto r = zkagent({arg});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "Usage: zkagent COMMAND")) << r.out;
    for (const auto* cmd : {"start", "config", "myid"}) {
      EXPECT_TRUE(contains(r.out, std::string("  ") + cmd)) << r.out;
    }
  }
}

TEST_F(help, NoSubcommandPrintsUsageAndExitsTwo) {
  const auto r = zkagent({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "Usage: zkagent COMMAND")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(help, UnknownSubcommandExitsTwo) {
  const auto r = zkagent({"strat"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "strat")) << r.err;
  EXPECT_TRUE(contains(r.err, "expected start, config, myid, ready, live")) << r.err;  // the command list
  EXPECT_EQ(r.out, "");
}

TEST_F(help, AFlagInPlaceOfTheSubcommandExitsTwo) {
  const auto r = zkagent({"--servers=3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--servers=3")) << r.err;
}

// The binary is linked as the build asked: statically for the release (ZKAGENT_STATIC, the default),
// dynamically in the sanitizer build (ASan and -static do not mix).
TEST_F(help, TheBinaryIsLinkedAsTheBuildAsked) {
  ASSERT_TRUE(testing::exists("/usr/bin/file")) << "file(1) is missing: scripts/install-deps installs it";
  const auto r = testing::run({"/usr/bin/file", "-L", ZKAGENT_BINARY});
  ASSERT_EQ(r.exit_code, 0) << r.err;
#if ZKAGENT_EXPECT_STATIC
  EXPECT_TRUE(contains(r.out, "statically linked")) << r.out;
  EXPECT_FALSE(contains(r.out, "dynamically linked")) << r.out;
#else
  EXPECT_TRUE(contains(r.out, "dynamically linked")) << r.out;
#endif
}

}  // namespace
}  // namespace zkagent::cli_tests
