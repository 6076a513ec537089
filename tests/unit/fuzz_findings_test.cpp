// What the fuzzers (tests/fuzz) found, one table row per input, so each stays fixed. Every row names
// the harness and the promise it broke; the fixes are in the parsers and renderers themselves.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/options.hpp"
#include "common/text.hpp"
#include "entrypoint/config_writer.hpp"
#include "entrypoint/java_env.hpp"
#include "entrypoint/server_list.hpp"
#include "entrypoint/zoo_cfg.hpp"
#include "readiness/admin_reply.hpp"
#include "readiness/four_letter.hpp"

namespace zkagent {
namespace {

using namespace std::string_literals;

bool printable_line(std::string_view s) { return !text::find_control_char(s); }

std::vector<std::string> lines_of(const std::string& text_value) { return text::split(text_value, "\n", true); }

// fuzz_server_list, "an accepted list has members" and "a rendered entry parses again": a list of
// separators only was accepted as no list (a silent standalone start); a bracketed host held anything
// between its brackets, so "[::1]:2888" became a host and rendered a server line ZooKeeper misreads.
TEST(fuzz_findings, server_lists_that_must_be_refused) {
  struct row {
    std::string text;
    bool hosts_form;  // SERVERS=host,host instead of ZOO_SERVERS
    std::string message;
  };
  const std::vector<row> rows{
      {";", false, "names no member"},
      {" , ;, ", false, "names no member"},
      {"[::1]:2888:3\0\0888::1],[::2]:2888:3888"s, true, "is not a host"},
      {"[zoo1]:2888:3888", false, "is not a host"},
      {"[::1]:2888,zk2", true, "is not a host"},
      {"[a b]", true, "is not a host"},
      // inet_pton stops at a NUL: this passed as the IPv6 address C887:: and was echoed raw.
      {"C887::\0\0zoo1"s, true, "contains a control character"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(text::quote(r.text));
    diagnostics diag;
    (void)(r.hosts_form ? entrypoint::servers_from_hosts(r.text, "SERVERS", 2888, 3888, diag)
                                      : entrypoint::parse_server_list(r.text, "ZOO_SERVERS", diag));
    ASSERT_FALSE(diag.ok());
    EXPECT_NE(diag.errors.front().message.find(r.message), std::string::npos) << diag.errors.front().message;
  }
  // Bracketed IPv6 addresses still work, embedded IPv4 included.
  diagnostics diag;
  const auto ok = entrypoint::parse_server_list("[::1]:2888:3888,[::ffff:10.0.0.2]:2888:3888::2", "ZOO_SERVERS", diag);
  EXPECT_TRUE(diag.ok());
  ASSERT_EQ(ok.size(), 2U);
  EXPECT_EQ(ok[1].host, "[::ffff:10.0.0.2]");
}

// fuzz_settings and fuzz_cfg_text, "ZooKeeper reads the value zkagent decided": ZooKeeper reads zoo.cfg
// with java.util.Properties, where a trailing backslash joins the next line (a value ending in '\'
// swallowed the first server line), ':' or a space ends a key, '#' first makes a comment and a value's
// leading space is dropped. Keys and values are now escaped as Properties.store does.
TEST(fuzz_findings, zoo_cfg_reads_back_in_java_properties) {
  struct row {
    std::string key, value, line;
  };
  const std::vector<row> rows{
      {"metricsProvider.httpPort", "7000", "metricsProvider.httpPort=7000"},  // ordinary: unchanged
      {"ssl.keyStore.location", "/certs/a:b", "ssl.keyStore.location=/certs/a:b"},
      {"zzz", "C:\\dir\\", "zzz=C:\\\\dir\\\\"},
      {"a:b", "1", "a\\:b=1"},
      {"a=b", "1", "a\\=b=1"},
      {"a b", "1", "a\\ b=1"},
      {"#notacomment", "1", "\\#notacomment=1"},
      {"!notacomment", "1", "\\!notacomment=1"},
      {"lead", " space", "lead=\\ space"},
      {"cr", "a\rb", "cr=a\\rb"},
      {"tab", "a\tb", "tab=a\\tb"},
      {"u", "\\u12", "u=\\\\u12"},
  };
  entrypoint::settings s;
  s.data_dir = "/data";
  s.data_log_dir = "/datalog";
  s.servers = {{1, "zk-0", 2888, 3888, false, "", 2181}};
  for (const auto& r : rows) s.extra_cfg.emplace_back(r.key, r.value);
  const auto cfg = lines_of(entrypoint::render_zoo_cfg(s, "0.0.0").zoo_cfg);
  for (const auto& r : rows) {
    SCOPED_TRACE(text::quote(r.key) + "=" + text::quote(r.value));
    EXPECT_NE(std::find(cfg.begin(), cfg.end(), r.line), cfg.end());
  }
  // The member line is still a line of its own after a value ending in a backslash.
  EXPECT_NE(std::find(cfg.begin(), cfg.end(), "server.1=zk-0:2888:3888;2181"), cfg.end());
  s.data_dir = "/data\\x";
  const auto again = lines_of(entrypoint::render_zoo_cfg(s, "0.0.0").zoo_cfg);
  EXPECT_NE(std::find(again.begin(), again.end(), "dataDir=/data\\\\x"), again.end());
}

// fuzz_settings, "java.env expands nothing in a shell": java.env is for tools that source it, and
// JVMFLAGS='-Dzookeeper.x="$HOME"' ended the quoted string and expanded $HOME there.
TEST(fuzz_findings, java_env_quotes_for_the_shell_that_sources_it) {
  struct row {
    std::string flag, written;
  };
  const std::vector<row> rows{
      {"-Dplain=1", "-Dplain=1"},
      {"-Dx=\"$HOME\"", "-Dx=\\\"\\$HOME\\\""},
      {"-Dy=`id`", "-Dy=\\`id\\`"},
      {"-Dz=a\\b", "-Dz=a\\\\b"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.flag);
    entrypoint::settings s;
    s.conf_dir = "/conf";
    s.data_dir = "/data";
    s.jvm_flags = {"-Xmx1g", r.flag};
    const auto plan = entrypoint::make_plan(s, {}, "0.0.0", entrypoint::write_scope::everything);
    ASSERT_TRUE(plan.ok()) << plan.err().message;
    std::string java_env;
    for (const auto& f : plan.value().files) {
      if (f.path == "/conf/java.env") java_env = f.content;
    }
    EXPECT_NE(java_env.find("SERVER_JVMFLAGS=\"-Xmx1g " + r.written + "\"\n"), std::string::npos) << java_env;
  }
}

// fuzz_cfg_text, "a java.env warning is one line": a java.env of yours with a control byte in a name
// put that byte into the warning; names are quoted now.
TEST(fuzz_findings, java_env_warnings_are_one_line) {
  for (const auto* text_value : {"A\x01" "B=1\n", "\x1b[31mX=1\n", "E\rF=$HOME\n"}) {
    SCOPED_TRACE(text::quote(text_value));
    const auto parsed = entrypoint::parse_java_env(text_value, "/conf/java.env");
    ASSERT_FALSE(parsed.warnings.empty());
    for (const auto& w : parsed.warnings) EXPECT_TRUE(printable_line(w)) << text::quote(w);
  }
}

// fuzz_four_letter, "a reason is one printable line": a srvr reply with control bytes in Zxid put them
// into the probe's line ("serving as follower, zxid \x01..."), and `zkagent status` printed them. Such a
// reply is not ZooKeeper's: it is refused like any garbage.
TEST(fuzz_findings, srvr_replies_with_control_bytes_are_not_srvr) {
  const std::string good =
      "Zookeeper version: 3.8.0-x, built on 2024-12-29 17:54 UTC\nLatency min/avg/max: 0/0.0/0\nReceived: 3\n"
      "Sent: 2\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: follower\nNode count: 5\n";
  ASSERT_TRUE(readiness::parse_srvr(good));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"Zxid: 0x0", "Zxid: \x01\0\0N0x0"s}, {"3.8.0-x", "3.8.0\x1b[2J"}, {"0/0.0/0", "0/\x07" "0.0/0"}}) {
    auto reply = good;
    reply.replace(reply.find(from), from.size(), to);
    SCOPED_TRACE(text::quote(reply));
    EXPECT_FALSE(readiness::parse_srvr(reply));
    const auto v = readiness::judge_ready({readiness::transport_outcome::complete, reply, ""}, false);
    EXPECT_FALSE(v.ok);
    EXPECT_TRUE(printable_line(v.reason)) << text::quote(v.reason);
  }
}

// fuzz_four_letter, "the srvr classifier agrees with ready": a reply starting with ZooKeeper's "not
// currently serving requests" but followed by srvr's lines was ready for `zkagent ready` and not
// serving for /metrics' classifier. It is not ready: what the server says first wins.
TEST(fuzz_findings, not_serving_wins_over_srvr_lines_after_it) {
  const std::string reply = std::string(readiness::not_serving_text) +
                            "Zookeeper version: 3.8.0\nMode: leader\nNode count: 5\n";
  for (const auto outcome : {readiness::transport_outcome::complete, readiness::transport_outcome::reset_after_reply}) {
    const auto v = readiness::judge_ready({outcome, reply, ""}, false);
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.reason, readiness::not_serving_reason);
  }
  // The same for a whitelist refusal of srvr followed by srvr's lines.
  const std::string refused = "srvr is not executed because it is not in the whitelist.\n"
                              "Zookeeper version: 3.8.0\nMode: leader\nNode count: 5\n";
  const auto v = readiness::judge_ready({readiness::transport_outcome::complete, refused, ""}, false);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("whitelist"), std::string::npos) << v.reason;
}

// fuzz_admin_reply, "the AdminServer's facts are printable": JSON escapes (\u001b) in version or the
// latencies reached `zkagent status`. Such a reply is not ZooKeeper's.
TEST(fuzz_findings, admin_srvr_with_control_bytes_is_refused) {
  const std::string json = R"({"version":"3.8.0\u001b[31m","server_stats":{"server_state":"leader","min_latency":0,)"
                           R"("avg_latency":0.0,"max_latency":0},"node_count":5,"command":"server_stats","error":null})";
  const auto parsed = readiness::parse_admin_srvr(json);
  EXPECT_FALSE(parsed.facts);
  EXPECT_NE(parsed.problem.find("control characters"), std::string::npos) << parsed.problem;
  EXPECT_TRUE(printable_line(parsed.problem)) << text::quote(parsed.problem);
}

// fuzz_settings, "an error is one line": the argv parser put an unknown option's name, and Boost's
// message about an argument, into the error as given, control bytes included.
TEST(fuzz_findings, argv_errors_are_one_line) {
  struct row {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<row> rows{
      {{"--myid-o\x01\x06set=1"}, "unknown option '--myid-o\\x01\\x06set'"},
      {{"--tick\x1b[2Jtim=1"}, "unknown option '--tick\\x1b[2Jtim'"},
      {{"--\b="}, "'the argument for option '--\\x08' should follow immediately after the equal sign'"},
      {{"--tick-tim=1"}, "unknown option --tick-tim; did you mean --tick-time?"},  // plain names stay unquoted
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(text::quote(r.args.front()));
    diagnostics diag;
    (void)cli::parse_flags(r.args, diag);
    ASSERT_FALSE(diag.ok());
    EXPECT_NE(diag.errors.front().message.find(r.message), std::string::npos) << diag.errors.front().message;
    for (const auto& e : diag.errors) EXPECT_TRUE(printable_line(e.message)) << text::quote(e.message);
  }
}

}  // namespace
}  // namespace zkagent
