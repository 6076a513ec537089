#pragma once
// The myid file in the data folder: what is there decides whether we may write.
// decide() is pure; read and write touch the file system.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/atomic_file.hpp"
#include "common/result.hpp"

namespace zkagent::myid {

enum class myid_action { write, keep };

// Given the file's current content (nullopt: absent), the id we computed and whether
// --force-myid was given: write it, keep it (it already says this id), or refuse. A pod must
// never join under another member's identity, so a different id is an error unless forced.
result<myid_action> decide(const std::optional<std::string>& existing, std::uint32_t id, bool force,
                           std::string_view id_source, std::string_view path);

std::string render(std::uint32_t id);
std::string path_in(std::string_view data_dir);

// Reads, decides and writes. Returns what it did, for the summary.
result<files::write_outcome> ensure(std::string_view data_dir, std::uint32_t id, bool force,
                                    std::string_view id_source);

}  // namespace zkagent::myid
