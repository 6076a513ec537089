#include "myid/myid_file.hpp"

#include "common/text.hpp"
#include "myid/ordinal.hpp"

namespace zkagent::myid {

std::string render(std::uint32_t id) { return std::to_string(id) + "\n"; }

std::string path_in(std::string_view data_dir) {
  std::string path(data_dir);
  if (path.empty() || path.back() != '/') path += '/';
  return path + "myid";
}

result<myid_action> decide(const std::optional<std::string>& existing, std::uint32_t id, bool force,
                           std::string_view id_source, std::string_view path) {
  if (!existing) return myid_action::write;
  const auto current = text::trim(*existing);
  const auto parsed = text::parse_uint(current, min_id, max_id);
  if (parsed && *parsed == id) return myid_action::keep;
  if (force) return myid_action::write;
  const std::string found = parsed ? "id " + std::to_string(*parsed) : "the unreadable content " + text::quote(current);
  return error{error_kind::identity,
               std::string(path) + " holds " + found + " but this member is id " + std::to_string(id) + " (from " +
                   std::string(id_source) +
                   "). Starting would join the ensemble under another member's identity. If this volume really "
                   "belongs to this member now (a restore, a re-numbered pod), pass --force-myid; otherwise "
                   "attach the right volume."};
}

}  // namespace zkagent::myid
