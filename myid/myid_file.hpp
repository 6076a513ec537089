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

// Given the file's current content (nullopt: absent), the id we computed and whether
// --force-myid was given: write it, keep it (it already says this id), or refuse. A pod must
// never join under another member's identity, so a different id is an error unless forced.
result<myid_action> decide(const std::optional<std::string>& existing, std::uint32_t id, bool force,
                           std::string_view id_source, std::string_view path);

std::string render(std::uint32_t id);
std::string path_in(std::string_view data_dir);

}  // namespace zkagent::myid
