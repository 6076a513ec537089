#include "myid/myid_file.hpp"

#include <charconv>
#include <system_error>

#include "common/text.hpp"
#include "myid/ordinal.hpp"

namespace zkagent::myid {

std::string render(std::uint32_t id) { return std::to_string(id) + "\n"; }

std::string path_in(std::string_view data_dir) {
  std::string path(data_dir);
  if (path.empty() || path.back() != '/') path += '/';
  return path + "myid";
}

std::optional<long long> id_as_zookeeper_reads(std::string_view content) {
  if (content.empty()) return std::nullopt;  // readLine() gives null, parseLong(null) throws
  const auto line = content.substr(0, content.find_first_of("\r\n"));
  std::string_view digits = line;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  if (digits.empty()) return std::nullopt;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;  // non-ASCII bytes too: see the header
  }
  // from_chars takes a '-' but not a '+', and refuses what does not fit, as parseLong does.
  const auto number = line.front() == '+' ? line.substr(1) : line;
  long long value = 0;
  const auto [end, err] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (err != std::errc{} || end != number.data() + number.size()) return std::nullopt;
  constexpr long long unset_server_id = -1;  // QuorumPeerConfig.UNSET_SERVERID
  if (value == unset_server_id) return std::nullopt;
  return value;
}

result<myid_action> decide(const std::optional<std::string>& existing, std::uint32_t id, bool force,
                           std::string_view id_source, std::string_view path) {
  if (!existing) return myid_action::write;
  const auto read = id_as_zookeeper_reads(*existing);
  if (read && *read == static_cast<long long>(id)) return myid_action::keep;
  if (force) return myid_action::write;
  const std::string found = read ? "id " + std::to_string(*read)
                                 : "the unreadable content " + text::quote(*existing) +
                                       " (ZooKeeper reads its first line as a whole number, nothing around it)";
  return error{error_kind::identity,
               std::string(path) + " holds " + found + " but this member is id " + std::to_string(id) + " (from " +
                   std::string(id_source) +
                   "). Starting would join the ensemble under another member's identity. If this volume really "
                   "belongs to this member now (a restore, a re-numbered pod), pass --force-myid; otherwise "
                   "attach the right volume."};
}

}  // namespace zkagent::myid
