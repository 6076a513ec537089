// Chaos on a real ensemble: 3 (then 5) ZooKeeper members under `zkagent start` on loopback, a real
// client (kazoo, tests/chaos/chaos_client.py) writing sequential znodes and recording every write the
// ensemble acknowledged, and a fixed number of kills: SIGKILL of a member's JVM (a crash, an OOM
// kill; zkagent exits 137), SIGTERM to its zkagent (a pod stopped; 143), SIGKILL of zkagent and the
// JVM at once (a container killed), the leader two times in three, and twice a majority at once
// (quorum lost). Every killed member is restarted through zkagent with the same folders and
// arguments. Asserted:
//   - no acknowledged write is lost: at the end every member has every acknowledged znode with its value;
//   - a restarted member rejoins under the same myid (the file untouched) and serves (srvr);
//   - `zkagent ready` passes on every serving member and fails on members without quorum, and
//     `zkagent live` passes on every running member, also during elections and without quorum;
//   - the ensemble takes writes again after every kill.
// The counts go to stdout and to chaos-<n>-members.txt in the build folder. The run is bounded by
// the number of kills; every wait has a deadline; everything is killed when a test fails.
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zk_cluster.hpp"

namespace {

namespace zt = zkagent::testing;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using zt::zk_cluster;
using zt::zk_member;

const std::string python = "/usr/bin/python3";  // Debian's python3-kazoo is installed for this one only
std::string client_script() { return std::string(ZKAGENT_SOURCE_DIR) + "/tests/chaos/chaos_client.py"; }

constexpr auto quorum_deadline = 60s;       // survivors elect a leader and serve (measured: about 1 s)
constexpr auto quorum_loss_deadline = 30s;  // survivors of a majority kill stop serving (about 2 s)
constexpr auto rejoin_deadline = 60s;       // a restarted member serves again (about 2 s)
constexpr auto exit_deadline = 20s;         // a killed member's zkagent exits (about 0.5 s)
constexpr auto writes_deadline = 30s;       // the client's next acknowledged writes after a kill

struct chaos_counts {
  int members = 0;
  int kills = 0, jvm_sigkills = 0, sigterms = 0, both_sigkills = 0, leader_kills = 0, follower_kills = 0;
  int quorum_losses = 0, failovers = 0, restarts = 0, rejoined_same_myid = 0;
  std::size_t writes_acked = 0, writes_verified = 0;
  int members_verified = 0;
  int ready_pass = 0, ready_fail_no_quorum = 0, ready_fail_stopped = 0;
  int live_pass = 0, live_pass_no_quorum = 0, live_fail_stopped = 0;
  double seconds = 0;

  [[nodiscard]] int probe_verdicts() const {
    return ready_pass + ready_fail_no_quorum + ready_fail_stopped + live_pass + live_fail_stopped;
  }
  [[nodiscard]] std::string text() const {
    std::ostringstream out;
    out << "members: " << members << "\n"
        << "kills: " << kills << " (SIGKILL of the JVM: " << jvm_sigkills << ", SIGTERM to zkagent: " << sigterms
        << ", SIGKILL of zkagent and the JVM: " << both_sigkills << "; of the leader: " << leader_kills
        << ", of a follower: " << follower_kills << ")\n"
        << "quorum losses: " << quorum_losses << "\n"
        << "failovers (a new leader elected): " << failovers << "\n"
        << "restarts through zkagent: " << restarts << ", rejoined under the same myid: " << rejoined_same_myid << "\n"
        << "writes acknowledged: " << writes_acked << "\n"
        << "writes verified: " << writes_verified << " (every acknowledged znode on each of " << members_verified
        << " members), lost: 0\n"
        << "probe verdicts checked: " << probe_verdicts() << " (ready passed on serving members: " << ready_pass
        << ", ready failed without quorum: " << ready_fail_no_quorum << ", ready failed on stopped members: "
        << ready_fail_stopped << ", live passed on running members: " << live_pass << " (without quorum: "
        << live_pass_no_quorum << "), live failed on stopped members: " << live_fail_stopped << ")\n"
        << "duration: " << static_cast<int>(seconds + 0.5) << " s\n";
    return out.str();
  }
};

enum class kill_mode { jvm_sigkill, sigterm, both_sigkill };
constexpr std::array kill_modes{kill_mode::jvm_sigkill, kill_mode::sigterm, kill_mode::both_sigkill};

std::string describe(kill_mode mode) {
  switch (mode) {
    case kill_mode::jvm_sigkill: return "SIGKILL to the JVM";
    case kill_mode::sigterm: return "SIGTERM to zkagent";
    case kill_mode::both_sigkill: return "SIGKILL to zkagent and the JVM";
  }
  return "?";
}

struct probe_result {
  int code = -1;
  std::string line;
};

std::size_t complete_lines(const std::string& path) {
  if (!zt::exists(path)) return 0;
  const auto text = zt::read_file(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::optional<ino_t> inode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_ino;
}

class chaos : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto missing = zt::missing_zookeeper_prerequisites(); !missing.empty()) {
      FAIL() << "cannot run ZooKeeper: " << missing;
    }
    const auto kazoo = zt::run({python, "-c", "import kazoo.client"}, zt::minimal_env(), 30s);
    if (kazoo.exit_code != 0) FAIL() << "kazoo does not import under " << python << ": apt-get install python3-kazoo\n" << kazoo.err;
  }

  void TearDown() override {
    if (HasFailure()) {
      std::cout << cluster_.report(40);
      if (zt::exists(writer_log())) std::cout << "---- the writer's output\n" << zt::tail(zt::read_file(writer_log()), 20);
    }
    writer_.reset();  // SIGKILL and reap, if it still runs
    cluster_.kill_all();
  }

  [[nodiscard]] std::string ack_file() const { return root_ / "acknowledged.txt"; }
  [[nodiscard]] std::string stop_file() const { return root_ / "stop-writing"; }
  [[nodiscard]] std::string writer_log() const { return root_ / "writer.log"; }
  [[nodiscard]] std::size_t acked() const { return complete_lines(ack_file()); }

  // ---- probes through the real binary ----------------------------------------------------------
  static probe_result probe(const std::string& kind, const zk_member& m) {
    const auto r = zt::run({ZKAGENT_BINARY, kind, "--host=" + zt::loopback, "--port=" + std::to_string(m.client_port),
                            "--timeout=2s"},
                           zt::minimal_env(), 10s);
    auto line = r.out + r.err;
    while (!line.empty() && line.back() == '\n') line.pop_back();
    return {r.exit_code, m.name + ": " + line};
  }
  void expect_ready(const zk_member& m) {
    const auto p = probe("ready", m);
    EXPECT_EQ(p.code, 0) << "ready must pass on a serving member: " << p.line;
    ++counts_.ready_pass;
  }
  void expect_live(const zk_member& m, bool without_quorum = false) {
    const auto p = probe("live", m);
    EXPECT_EQ(p.code, 0) << "live must pass on a running member: " << p.line;
    ++counts_.live_pass;
    if (without_quorum) ++counts_.live_pass_no_quorum;
  }
  void expect_not_ready_without_quorum(const zk_member& m) {
    const auto p = probe("ready", m);
    EXPECT_EQ(p.code, 1) << "ready must fail on a member without quorum: " << p.line;
    EXPECT_NE(p.line.find("not serving"), std::string::npos) << p.line;
    ++counts_.ready_fail_no_quorum;
  }
  void expect_both_fail_when_stopped(const zk_member& m) {
    const auto ready = probe("ready", m);
    EXPECT_EQ(ready.code, 1) << "ready on a stopped member: " << ready.line;
    ++counts_.ready_fail_stopped;
    const auto live = probe("live", m);
    EXPECT_EQ(live.code, 1) << "live on a stopped member: " << live.line;
    ++counts_.live_fail_stopped;
  }

  // ---- the ensemble ----------------------------------------------------------------------------
  [[nodiscard]] std::vector<zk_member*> running() const {
    std::vector<zk_member*> out;
    for (auto* m : members_) {
      if (m->process->running()) out.push_back(m);
    }
    return out;
  }

  // Until every member of `set` serves and exactly one of them leads; that leader.
  std::optional<zk_member*> wait_for_quorum(const std::vector<zk_member*>& set, std::chrono::milliseconds deadline) {
    zk_member* leader = nullptr;
    const bool ok = zt::wait_until(
        [&] {
          leader = nullptr;
          int leaders = 0;
          for (auto* m : set) {
            const auto mode = zt::mode_of(m->client_port);
            if (!mode) return false;
            if (*mode == "leader") {
              ++leaders;
              leader = m;
            }
          }
          return leaders == 1;
        },
        deadline);
    if (!ok) return std::nullopt;
    return leader;
  }

  // Kills m. jvm_sigkill: the JVM dies (a crash), zkagent passes 137 on. sigterm: zkagent forwards
  // it and passes 143 on. both_sigkill: zkagent and the JVM die at once (a container killed).
  ::testing::AssertionResult kill_member(zk_member& m, kill_mode mode, bool leader) {
    const auto jvm = zk_cluster::jvm_of(m);
    if (!jvm) return ::testing::AssertionFailure() << m.name << ": no JVM under zkagent " << m.pid();
    int expected = 128 + SIGKILL;
    switch (mode) {
      case kill_mode::jvm_sigkill:
        ::kill(*jvm, SIGKILL);
        ++counts_.jvm_sigkills;
        break;
      case kill_mode::sigterm:
        m.process->signal(SIGTERM);
        expected = 128 + SIGTERM;
        ++counts_.sigterms;
        break;
      case kill_mode::both_sigkill:
        m.process->signal(SIGKILL);
        ::kill(*jvm, SIGKILL);
        ++counts_.both_sigkills;
        break;
    }
    ++counts_.kills;
    ++(leader ? counts_.leader_kills : counts_.follower_kills);
    const auto code = m.process->wait_exit(exit_deadline);
    if (!code) return ::testing::AssertionFailure() << m.name << ": zkagent still runs " << exit_deadline.count() << " s after the kill";
    if (*code != expected) {
      return ::testing::AssertionFailure() << m.name << ": zkagent exited " << *code << ", expected " << expected;
    }
    if (!zt::wait_until([&] { return zt::process_gone(*jvm); }, exit_deadline)) {
      return ::testing::AssertionFailure() << m.name << ": its JVM " << *jvm << " still runs";
    }
    return ::testing::AssertionSuccess();
  }

  // Restarts m through zkagent (same folders, arguments and environment): a restarted pod.
  void restart(zk_member& m) {
    log_offset_[m.name] = zt::read_file(m.log_path).size();
    cluster_.restart(m);
    ++counts_.restarts;
  }

  // Until a restarted m serves again; its myid file must be untouched (same content, same inode, and
  // zkagent reported it unchanged).
  ::testing::AssertionResult rejoins_as_itself(zk_member& m) {
    if (auto served = zk_cluster::serves(m, rejoin_deadline); !served) return served;
    const auto myid_path = m.data_dir() + "/myid";
    const auto text = zt::read_file(myid_path);
    if (text != myid_[m.name] || inode_of(myid_path) != myid_inode_[m.name]) {
      return ::testing::AssertionFailure() << m.name << ": myid is now '" << text << "' (inode "
                                           << inode_of(myid_path).value_or(0) << "), was '" << myid_[m.name] << "'";
    }
    const auto log_after = zt::read_file(m.log_path).substr(log_offset_[m.name]);
    if (log_after.find(myid_path + " unchanged") == std::string::npos) {
      return ::testing::AssertionFailure() << m.name << ": the restart did not report " << myid_path << " unchanged:\n"
                                           << zt::tail(log_after, 20);
    }
    ++counts_.rejoined_same_myid;
    return ::testing::AssertionSuccess();
  }

  ::testing::AssertionResult writes_resume(std::size_t since) {
    if (zt::wait_until([&] { return acked() >= since + 5; }, writes_deadline)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no new acknowledged write within " << writes_deadline.count()
                                         << " s (still " << acked() << ")";
  }

  // One member (the leader two kills in three), killed by sig, restarted, rejoined. `single` counts
  // these kills (it picks the victim), `step` all steps (for the log).
  void single_kill(int step, int single, kill_mode mode) {
    const auto all = running();
    auto before = wait_for_quorum(all, quorum_deadline);
    ASSERT_TRUE(before) << "no stable leader before step " << step;
    std::vector<zk_member*> followers;
    for (auto* m : all) {
      if (m != *before) followers.push_back(m);
    }
    const bool kill_leader = single % 3 != 2;
    zk_member& victim = kill_leader ? **before : *followers[static_cast<std::size_t>(single / 3) % followers.size()];
    const auto acked_at_kill = acked();
    const auto t0 = clock_type::now();
    ASSERT_TRUE(kill_member(victim, mode, kill_leader));

    auto survivors = running();
    for (auto* m : survivors) expect_live(*m);  // during the election too: live never depends on quorum
    expect_both_fail_when_stopped(victim);
    auto after = wait_for_quorum(survivors, quorum_deadline);
    ASSERT_TRUE(after) << "the survivors did not elect a leader within " << quorum_deadline.count() << " s";
    const auto elected = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t0);
    if (*after != *before) ++counts_.failovers;
    for (auto* m : survivors) {
      expect_ready(*m);
      expect_live(*m);
    }
    ASSERT_TRUE(writes_resume(acked_at_kill));

    const auto t1 = clock_type::now();
    restart(victim);
    ASSERT_TRUE(rejoins_as_itself(victim));
    ASSERT_TRUE(wait_for_quorum(running(), quorum_deadline)) << "no stable leader after " << victim.name << " rejoined";
    expect_ready(victim);
    expect_live(victim);
    std::cout << "step " << step << ": " << describe(mode) << " of "
              << (kill_leader ? "leader " : "follower ") << victim.name << "; leader " << (*after)->name << " after "
              << elected.count() << " ms; rejoined in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t1).count() << " ms; "
              << acked() << " writes acknowledged" << std::endl;
  }

  // A majority killed at once (the leader among them): the rest lose quorum. ready must fail there,
  // live must pass; then the majority is restarted and the ensemble serves again.
  void quorum_loss(int step) {
    const auto all = running();
    auto leader = wait_for_quorum(all, quorum_deadline);
    ASSERT_TRUE(leader) << "no stable leader before step " << step;
    const std::size_t majority = all.size() / 2 + 1;
    std::vector<zk_member*> victims{*leader};
    for (auto* m : all) {
      if (victims.size() < majority && m != *leader) victims.push_back(m);
    }
    for (std::size_t i = 0; i < victims.size(); ++i) {
      ASSERT_TRUE(kill_member(*victims[i], kill_modes[(i + static_cast<std::size_t>(counts_.quorum_losses)) % 3], i == 0));
    }
    ++counts_.quorum_losses;
    const auto survivors = running();
    ASSERT_EQ(survivors.size(), all.size() - majority);
    ASSERT_TRUE(zt::wait_until(
        [&] {
          return std::none_of(survivors.begin(), survivors.end(), [](const zk_member* m) { return zt::mode_of(m->client_port).has_value(); });
        },
        quorum_loss_deadline))
        << "the survivors still serve " << quorum_loss_deadline.count() << " s after a majority was killed";
    for (auto* m : survivors) {
      expect_not_ready_without_quorum(*m);
      expect_live(*m, true);
    }
    for (auto* m : victims) expect_both_fail_when_stopped(*m);
    const auto acked_at_restart = acked();
    for (auto* m : victims) restart(*m);  // together, as pods restarted at once
    for (auto* m : victims) ASSERT_TRUE(rejoins_as_itself(*m));
    auto back = wait_for_quorum(running(), quorum_deadline);
    ASSERT_TRUE(back) << "no stable leader after the majority rejoined";
    if (*back != *leader) ++counts_.failovers;
    for (auto* m : running()) {
      expect_ready(*m);
      expect_live(*m);
    }
    ASSERT_TRUE(writes_resume(acked_at_restart));
    std::cout << "step " << step << ": quorum lost (killed " << victims.size() << " of " << all.size()
              << ", the leader " << (*leader)->name << " among them), ready failed and live passed on the rest; "
              << "all rejoined, leader " << (*back)->name << "; " << acked() << " writes acknowledged" << std::endl;
  }

  void run_chaos(int n, int kill_budget) {
    const auto started = clock_type::now();
    counts_.members = n;
    const auto ensemble = zt::plan_ensemble(n);
    for (int id = 1; id <= n; ++id) members_.push_back(&cluster_.start_member(ensemble, id));
    ASSERT_TRUE(wait_for_quorum(members_, zt::election_deadline)) << n << " members did not elect a leader";
    for (auto* m : members_) {
      myid_[m->name] = zt::read_file(m->data_dir() + "/myid");
      myid_inode_[m->name] = inode_of(m->data_dir() + "/myid");
      ASSERT_EQ(myid_[m->name], m->name.substr(2) + "\n");
    }

    std::string hosts;
    for (auto* m : members_) hosts += (hosts.empty() ? "" : ",") + m->address();
    writer_ = std::make_unique<zt::background_process>(
        std::vector<std::string>{python, client_script(), "write", hosts, ack_file(), stop_file()}, zt::minimal_env(),
        writer_log());
    ASSERT_TRUE(zt::wait_until([&] { return acked() >= 20 || !writer_->running(); }, 60s) && writer_->running())
        << "the writer acknowledged " << acked() << " writes";

    // Two quorum losses (a majority each), after a third and after two thirds of the single kills;
    // the other kills one member at a time, the leader two times in three, the kill modes in turn.
    const int majority = n / 2 + 1;
    const int singles = kill_budget - 2 * majority;
    for (int step = 0, single = 0; counts_.kills < kill_budget; ++step) {
      const int losses_due = single >= (2 * singles) / 3 ? 2 : single >= singles / 3 ? 1 : 0;
      if (counts_.quorum_losses < losses_due || single == singles) {
        quorum_loss(step);
      } else {
        single_kill(step, single, kill_modes[static_cast<std::size_t>(single + single / 3) % 3]);
        ++single;
      }
      if (HasFatalFailure()) return;
    }
    ASSERT_EQ(counts_.kills, kill_budget);

    // Stop the writer between writes; then every member must hold every acknowledged znode.
    zt::write_file(stop_file(), "");
    const auto writer_exit = writer_->wait_exit(30s);
    ASSERT_EQ(writer_exit, 0) << zt::read_file(writer_log());
    counts_.writes_acked = acked();
    ASSERT_GT(counts_.writes_acked, 100U);
    for (auto* m : members_) {
      const auto r = zt::run({python, client_script(), "verify", m->address(), ack_file()}, zt::minimal_env(), 120s);
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      if (r.exit_code == 0) {
        counts_.writes_verified += counts_.writes_acked;
        ++counts_.members_verified;
      }
      std::cout << "verify " << r.out;
    }
    EXPECT_EQ(counts_.members_verified, n);
    counts_.seconds = std::chrono::duration<double>(clock_type::now() - started).count();

    const auto report = counts_.text();
    std::cout << "---- chaos with " << n << " members\n" << report << "writer: " << zt::read_file(writer_log());
    const auto results = std::string(ZKAGENT_CHAOS_RESULTS_DIR) + "/chaos-" + std::to_string(n) + "-members.txt";
    std::ofstream(results) << report;
    std::cout << "results: " << results << std::endl;
  }

  zt::temp_dir root_;  // first member: removed after every process is gone
  zt::zk_cluster cluster_{root_.path()};
  std::vector<zk_member*> members_;
  std::map<std::string, std::string> myid_;
  std::map<std::string, std::optional<ino_t>> myid_inode_;
  std::map<std::string, std::size_t> log_offset_;
  std::unique_ptr<zt::background_process> writer_;
  chaos_counts counts_;
};

// 24 kills: 20 single, 2 x 2 for the quorum losses. 16 kills: 10 single, 2 x 3. About 35 s each here.
TEST_F(chaos, three_members_survive_24_kills) { run_chaos(3, 24); }

TEST_F(chaos, five_members_survive_16_kills) { run_chaos(5, 16); }

}  // namespace
