// The real zkagent binary's `ready`, `live` and `status` against scripted servers on 127.0.0.1:0,
// for what a real ZooKeeper cannot be made to do: accept and never answer, answer one byte per
// second, answer garbage, reset before, during and after the reply, close at once; and a refused
// port. Each run must give the right verdict and exit code, print exactly one line naming the
// command, the address and the reason, and end within its --timeout plus 100 ms of wall time.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fake_server.hpp"
#include "probe_support.hpp"
#include "test_support.hpp"

namespace {

namespace zt = zkagent::testing;
using namespace std::chrono_literals;
using zt::ms;
using zt::one_verdict_line;
using zt::probe;

constexpr auto overrun_allowed = 100ms;  // the bound past --timeout

std::string srvr_reply() { return zt::read_file(std::string(ZKAGENT_GOLDEN_DIR) + "/replies/srvr_standalone.txt"); }

// ZooKeeper's answer to the command the probe sent.
std::string reply_for(const std::string& command) {
  if (command == "srvr") return srvr_reply();
  if (command == "ruok") return "imok";
  return "";
}

struct expectation {
  int exit_code;
  std::vector<std::string> reasons;  // one of them
};

struct scenario {
  std::string name;
  zt::fake_script script;  // nullptr: a refused port
  ms timeout;
  expectation ready;
  expectation live;
};

std::vector<scenario> scenarios() {
  return {
      {"accepts and never answers",
       [](zt::fake_connection& c) {
         c.read(4);
         c.pause(60s);
       },
       500ms,
       {1, {"no reply before the deadline"}},
       {1, {"no reply before the deadline"}}},
      {"answers one byte per second",
       [](zt::fake_connection& c) {
         const auto reply = reply_for(c.read(4));
         for (const char byte : reply) {
           if (!c.send(std::string(1, byte)) || !c.pause(1s)) return;
         }
       },
       1500ms,
       {1, {"reply incomplete at the deadline: 'Zo'"}},
       {1, {"reply incomplete at the deadline: 'im'"}}},
      {"answers garbage",
       [](zt::fake_connection& c) {
         c.read(4);
         c.send(std::string("\x16\x03\x01\x02\x00garbage\xff", 13));
         c.close();
       },
       500ms,
       {1, {"unexpected reply to srvr: '\\x16\\x03\\x01\\x02\\x00garbage\\xff'"}},
       {1, {"unexpected reply to ruok: '\\x16\\x03\\x01\\x02\\x00garbage\\xff'"}}},
      {"resets before the reply",
       [](zt::fake_connection& c) {
         c.read(4);
         c.reset();
       },
       500ms,
       {1, {"connection reset before any reply"}},
       {1, {"connection reset before any reply"}}},
      {"resets during the reply",
       [](zt::fake_connection& c) {
         const auto reply = reply_for(c.read(4));
         c.send(reply.substr(0, reply.size() / 2));
         c.wait_delivered();
         c.reset();
       },
       500ms,
       {1, {"srvr reply cut short by a connection reset: 'Zookeeper version"}},
       {1, {"ruok reply cut short by a connection reset: 'im'"}}},
      {"resets after a complete reply",
       [](zt::fake_connection& c) {
         c.send(reply_for(c.read(4)));
         c.wait_delivered();
         c.reset();
       },
       500ms,
       {0, {"serving as standalone, zxid 0x0"}},
       {0, {"imok"}}},
      {"closes after the command without a reply",
       [](zt::fake_connection& c) {
         c.read(4);
         c.close();
       },
       500ms,
       {1, {"connection closed without a reply"}},
       {1, {"connection closed without a reply"}}},
      // Closed before the command arrived: the kernel answers the command with a reset, which may
      // reach the probe before or after the FIN.
      {"closes at once", [](zt::fake_connection& c) { c.close(); }, 500ms,
       {1, {"connection closed without a reply", "connection reset before any reply"}},
       {1, {"connection closed without a reply", "connection reset before any reply"}}},
      {"refused port", nullptr, 500ms, {1, {"connection refused: nothing listens there"}},
       {1, {"connection refused: nothing listens there"}}},
  };
}

TEST(fakes, every_scenario_gives_its_verdict_in_one_line_within_the_deadline) {
  for (const auto& s : scenarios()) {
    for (const bool ready : {true, false}) {
      const auto& expected = ready ? s.ready : s.live;
      const std::string probe_name = ready ? "ready" : "live";
      const std::string command = ready ? "srvr" : "ruok";
      SCOPED_TRACE(s.name + ": zkagent " + probe_name);
      std::unique_ptr<zt::fake_server> server;
      if (s.script) server = std::make_unique<zt::fake_server>(s.script);
      const auto port = server ? server->port() : zt::refused_port();

      const auto run = probe({probe_name, "--port=" + std::to_string(port), "--timeout=" + std::to_string(s.timeout.count()) + "ms"});
      EXPECT_EQ(run.result.exit_code, expected.exit_code) << run.result.out << run.result.err;
      EXPECT_LT(run.wall, s.timeout + overrun_allowed) << run.result.out;
      bool matched = false;
      for (const auto& reason : expected.reasons) {
        matched = matched || one_verdict_line(run, probe_name, command, port, expected.exit_code == 0, reason);
      }
      EXPECT_TRUE(matched) << one_verdict_line(run, probe_name, command, port, expected.exit_code == 0,
                                               expected.reasons.front())
                                  .message();
      if (server) {
        EXPECT_EQ(server->connections(), 1);
      }
    }
  }
}

// ZooKeeper reads 4 bytes and closes: anything more (a newline) makes it reset the connection and
// lose the reply (REFERENCE.md 3). The probe sends exactly the command.
TEST(fakes, the_probe_sends_exactly_the_command) {
  for (const auto& [args, command] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"ready"}, "srvr"}, {{"live"}, "ruok"}, {{"status"}, "srvr"}, {{"status", "--json"}, "srvr"}}) {
    SCOPED_TRACE(args.front());
    std::string received;
    auto server = std::make_unique<zt::fake_server>([&](zt::fake_connection& c) {
      received = c.read(64, 300ms);  // more than 4 bytes, if more came
      c.send(reply_for(received));
    });
    auto full = args;
    full.push_back("--port=" + std::to_string(server->port()));
    const auto run = probe(full);
    server.reset();  // joins its thread: `received` is settled
    EXPECT_EQ(received, command);
    EXPECT_EQ(run.result.exit_code, 0) << run.result.out << run.result.err;
  }
}

TEST(fakes, status_reports_the_facts_and_fails_in_one_line) {
  zt::fake_server serving([](zt::fake_connection& c) {
    c.send(reply_for(c.read(4)));
    c.wait_delivered();
    c.reset();  // a reset after the complete reply changes nothing
  });
  const auto ok = probe({"status", "--port=" + std::to_string(serving.port())});
  EXPECT_EQ(ok.result.exit_code, 0) << ok.result.out << ok.result.err;
  ASSERT_FALSE(ok.lines.empty());
  EXPECT_EQ(ok.lines.front(), "Mode: standalone");
  EXPECT_NE(ok.result.out.find("\nZxid: 0x0\n"), std::string::npos) << ok.result.out;
  EXPECT_NE(ok.result.out.find("\nNode count: 5\n"), std::string::npos) << ok.result.out;

  zt::fake_server silent([](zt::fake_connection& c) {
    c.read(4);
    c.pause(60s);
  });
  const auto failed = probe({"status", "--port=" + std::to_string(silent.port()), "--timeout=300ms"});
  EXPECT_EQ(failed.result.exit_code, 1);
  EXPECT_LT(failed.wall, 300ms + overrun_allowed);
  EXPECT_TRUE(one_verdict_line(failed, "status", "srvr", silent.port(), false, "no reply before the deadline"));
}

TEST(fakes, the_default_deadline_ends_a_silent_server_under_the_kubelets_one_second) {
  zt::fake_server silent([](zt::fake_connection& c) {
    c.read(4);
    c.pause(60s);
  });
  for (const auto* name : {"ready", "live"}) {
    SCOPED_TRACE(name);
    const auto run = probe({name, "--port=" + std::to_string(silent.port())});
    EXPECT_EQ(run.result.exit_code, 1);
    EXPECT_GE(run.wall, 800ms) << "the default deadline is 800 ms: " << run.result.out;
    EXPECT_LT(run.wall, 900ms) << run.result.out;
    EXPECT_TRUE(one_verdict_line(run, name, std::string(name) == "ready" ? "srvr" : "ruok", silent.port(), false,
                                 "no reply before the deadline (8"));  // (8xx ms)
  }
}

TEST(fakes, deadlines_in_every_form_hold) {
  zt::fake_server silent([](zt::fake_connection& c) {
    c.read(4);
    c.pause(60s);
  });
  for (const auto& [flag, deadline] : std::vector<std::pair<std::string, ms>>{
           {"--timeout=50ms", 50ms}, {"--timeout=0.3s", 300ms}, {"--timeout=1", 1000ms}, {"--timeout", 200ms}}) {
    SCOPED_TRACE(flag);
    std::vector<std::string> args{"live", "--port=" + std::to_string(silent.port()), flag};
    if (flag == "--timeout") args.emplace_back("200ms");  // the space form
    const auto run = probe(args);
    EXPECT_EQ(run.result.exit_code, 1) << run.result.out << run.result.err;
    EXPECT_GE(run.wall, deadline);
    EXPECT_LT(run.wall, deadline + overrun_allowed) << run.result.out;
  }
}

// The AdminServer path against the same kinds of misbehaving servers: a hang, a reset mid-reply,
// and an HTTP server that keeps the connection open after a complete reply (the reply's own length
// ends the exchange, not EOF).
TEST(fakes, the_admin_path_keeps_its_deadline_and_reads_by_content_length) {
  const std::string body =
      zt::read_file(std::string(ZKAGENT_GOLDEN_DIR) + "/replies/admin_srvr_standalone.json");
  const std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string request;
  auto keeps_open = std::make_unique<zt::fake_server>([&](zt::fake_connection& c) {
    request = c.read(4096, 300ms);
    c.send(reply);
    c.pause(60s);
  });
  const auto port = keeps_open->port();
  const auto ok = probe({"ready", "--admin-url=http://127.0.0.1:" + std::to_string(port), "--timeout=2s"});
  keeps_open.reset();  // joins its thread: `request` is settled
  EXPECT_EQ(ok.result.exit_code, 0) << ok.result.out << ok.result.err;
  EXPECT_LT(ok.wall, 1s) << "the exchange waited for EOF: " << ok.result.out;
  EXPECT_TRUE(one_verdict_line(ok, "ready", "GET /commands/srvr", port, true, "serving as standalone, zxid 0x0"));
  EXPECT_EQ(request, "GET /commands/srvr HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                         "\r\nAccept: application/json\r\nUser-Agent: zkagent\r\nConnection: close\r\n\r\n");

  zt::fake_server silent([](zt::fake_connection& c) {
    c.read(4096, 300ms);
    c.pause(60s);
  });
  const auto hung = probe({"live", "--admin-url=http://127.0.0.1:" + std::to_string(silent.port()), "--timeout=500ms"});
  EXPECT_EQ(hung.result.exit_code, 1);
  EXPECT_LT(hung.wall, 500ms + overrun_allowed);
  EXPECT_TRUE(one_verdict_line(hung, "live", "GET /commands/ruok", silent.port(), false, "no reply before the deadline"));

  zt::fake_server cut([&](zt::fake_connection& c) {
    c.read(4096, 300ms);
    c.send(reply.substr(0, reply.size() / 2));
    c.wait_delivered();
    c.reset();
  });
  const auto cut_run = probe({"ready", "--admin-url=http://127.0.0.1:" + std::to_string(cut.port()), "--timeout=500ms"});
  EXPECT_EQ(cut_run.result.exit_code, 1);
  EXPECT_TRUE(one_verdict_line(cut_run, "ready", "GET /commands/srvr", cut.port(), false,
                               "HTTP reply cut short by a connection reset"));

  const auto refused = zt::refused_port();
  const auto refused_run = probe({"ready", "--admin-url=http://127.0.0.1:" + std::to_string(refused)});
  EXPECT_EQ(refused_run.result.exit_code, 1);
  EXPECT_TRUE(one_verdict_line(refused_run, "ready", "GET /commands/srvr", refused, false, "connection refused"));
}

// A hostile AdminServer: a JSON reply nested 100,000 deep (Boost.PropertyTree's recursive reader,
// used before, overflowed the stack on it) and one of 300 KiB. Each gets one line and exit 1, never
// a crash: both are refused before parsing.
TEST(fakes, the_admin_path_refuses_a_reply_nested_100000_deep_or_oversized_in_one_line) {
  const auto serving = [](std::string body) {
    return [body = std::move(body)](zt::fake_connection& c) {
      c.read(4096, 300ms);
      c.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n\r\n" + body);
      c.wait_delivered();
      c.close();
    };
  };
  const struct {
    std::string name;
    std::vector<std::string> args;
    std::string body;
    std::string command;
    std::string reason;
  } cases[] = {
      {"ready, arrays 100,000 deep", {"ready"}, std::string(100000, '[') + std::string(100000, ']'),
       "GET /commands/srvr", "unexpected reply to srvr: JSON nested deeper than 32 levels"},
      {"live, objects 40,000 deep", {"live"}, [] {
         std::string json;
         for (int i = 0; i < 40000; ++i) json += "{\"a\":";
         return json + "1" + std::string(40000, '}');
       }(),
       "GET /commands/ruok", "unexpected reply to ruok: JSON nested deeper than 32 levels"},
      {"status, 300 KiB", {"status"}, "{\"x\":\"" + std::string(300 * 1024, 'x') + "\"}", "GET /commands/srvr",
       "more than the 256 KiB an AdminServer reply needs"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    zt::fake_server hostile(serving(c.body));
    auto args = c.args;
    args.push_back("--admin-url=http://127.0.0.1:" + std::to_string(hostile.port()));
    args.push_back("--timeout=5s");
    const auto run = probe(args);
    EXPECT_EQ(run.result.exit_code, 1) << run.result.out << run.result.err;
    EXPECT_TRUE(one_verdict_line(run, c.args.front(), c.command, hostile.port(), false, c.reason));
  }
}

TEST(fakes, usage_errors_exit_2_and_name_the_flag) {
  const struct {
    std::vector<std::string> args;
    const char* message;
  } cases[] = {
      {{"ready", "--admin-url=https://127.0.0.1:8443"}, "https is not supported: zkagent has no TLS stack"},
      {{"live", "--admin-url=http://localhost:8080"}, "not a numeric IPv4 or IPv6 address"},
      {{"status", "--admin-url=http://127.0.0.1:8080", "--port=2181"}, "--admin-url replaces --host and --port"},
      {{"ready", "--timeout=0ms"}, "--timeout='0ms'"},
      {{"ready", "--port=0"}, "--port='0'"},
      {{"live", "--host=localhost"}, "--host='localhost'"},
      {{"live", "--allow-read-only"}, "allow-read-only"},
      {{"ready", "--json"}, "json"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args.front() + " " + c.args.back());
    const auto run = probe(c.args);
    EXPECT_EQ(run.result.exit_code, 2) << run.result.out << run.result.err;
    EXPECT_TRUE(run.result.out.empty()) << run.result.out;
    EXPECT_NE(run.result.err.find(c.message), std::string::npos) << run.result.err;
  }
}

// The port comes from the environment as `start` reads it; an environment that does not resolve
// (here a bad heap size) leaves it unknown, and the probe says so instead of silently using 2181.
TEST(fakes, an_environment_that_does_not_resolve_is_reported_on_stderr) {
  zt::fake_server server([](zt::fake_connection& c) { c.send(reply_for(c.read(4))); });
  auto env = zt::minimal_env();
  env["ZOO_CLIENT_PORT"] = std::to_string(server.port());
  const auto good = probe({"live", "--timeout=200ms"}, env);
  EXPECT_EQ(good.result.exit_code, 0);
  EXPECT_TRUE(one_verdict_line(good, "live", "ruok", server.port(), true, "imok"));

  env["ZOO_HEAP_SIZE"] = "lots";
  const auto bad = probe({"live", "--timeout=200ms"}, env);
  ASSERT_EQ(bad.lines.size(), 1u) << bad.result.out;
  EXPECT_NE(bad.lines.front().find(": ruok to 127.0.0.1:2181: "), std::string::npos) << bad.lines.front();
  EXPECT_NE(bad.result.err.find("ZOO_HEAP_SIZE='lots'"), std::string::npos) << bad.result.err;
  EXPECT_NE(bad.result.err.find("probing 2181 (--port gives it)"), std::string::npos) << bad.result.err;

  const auto with_port = probe({"live", "--timeout=200ms", "--port=" + std::to_string(server.port())}, env);
  EXPECT_EQ(with_port.result.exit_code, 0);
  EXPECT_TRUE(one_verdict_line(with_port, "live", "ruok", server.port(), true, "imok"));  // and no warning
}

// With the zoo.cfg `start` wrote, the probe needs only the folders from the environment: a setting
// it does not use (a bad heap size) neither stops it nor draws the warning above, and the port is
// zoo.cfg's, not the environment's.
TEST(fakes, with_a_zoo_cfg_only_the_folders_of_the_environment_matter) {
  zt::fake_server server([](zt::fake_connection& c) { c.send(reply_for(c.read(4))); });
  zt::temp_dir dir;
  zt::write_file(dir.path() + "/zoo.cfg", "clientPort=" + std::to_string(server.port()) +
                                               "\nclientPortAddress=127.0.0.1\ndataDir=" + dir.path() + "\n");
  auto env = zt::minimal_env();
  env["ZOO_CONF_DIR"] = dir.path();
  env["ZOO_HEAP_SIZE"] = "lots";
  env["ZOO_CLIENT_PORT"] = "1";
  const auto run = probe({"live", "--timeout=500ms"}, env);
  EXPECT_EQ(run.result.exit_code, 0) << run.result.out << run.result.err;
  EXPECT_TRUE(one_verdict_line(run, "live", "ruok", server.port(), true, "imok"));  // one line, nothing on stderr
  // A folder setting that does not resolve still counts: the probe cannot know where zoo.cfg is.
  env["ZOO_CONF_DIR"] = "relative/conf";
  const auto lost = probe({"live", "--timeout=200ms"}, env);
  EXPECT_NE(lost.result.err.find("ZOO_CONF_DIR='relative/conf'"), std::string::npos) << lost.result.err;
}

TEST(fakes, help_names_the_admin_path_and_that_https_is_not_supported) {
  for (const auto* name : {"ready", "live", "status"}) {
    SCOPED_TRACE(name);
    const auto run = probe({name, "--help"});
    EXPECT_EQ(run.result.exit_code, 0);
    EXPECT_NE(run.result.out.find("--admin-url=URL"), std::string::npos) << run.result.out;
    EXPECT_NE(run.result.out.find("https is not supported"), std::string::npos) << run.result.out;
  }
}

}  // namespace
