#pragma once
// The myid file in the data folder: what is there decides whether we may write.
// Pure: the config writer reads the file, asks decide() and writes through common/atomic_file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace zkagent::myid {

enum class myid_action { write, keep };

// The server id ZooKeeper 3.8 takes from a myid file with this content, or nullopt when it would
// refuse to start on it. QuorumPeerConfig.setupMyId reads the first line (BufferedReader.readLine:
// up to \n, \r or \r\n) and Long.parseLong()s it: an optional + or -, then decimal digits, nothing
// else (no spaces), within a signed 64-bit long. An empty file (no line) is refused, and so is -1:
// it is ZooKeeper's "unset" value, "myid file is missing" in an ensemble.
// Non-ASCII bytes make the line unreadable here although Long.parseLong accepts every Unicode
// decimal digit: what the JVM decodes them to depends on its default charset (Java 17: the locale;
// "\u0661" is 1 under a UTF-8 locale and refused under C), so such a file is never judged unchanged.
// Ids outside 1..255 are read as they are: it is decide() that compares them.
std::optional<long long> id_as_zookeeper_reads(std::string_view content);

// Given the file's current content (nullopt: absent), the id we computed and whether
// --force-myid was given: write it, keep it (ZooKeeper reads exactly this id from it, see
// id_as_zookeeper_reads), or refuse. A pod must never join under another member's identity, so a
// different id, or content ZooKeeper would refuse, is an error unless forced.
result<myid_action> decide(const std::optional<std::string>& existing, std::uint32_t id, bool force,
                           std::string_view id_source, std::string_view path);

std::string render(std::uint32_t id);
std::string path_in(std::string_view data_dir);

}  // namespace zkagent::myid
