#pragma once

// The storage behind a Message: the received bytes (parsed messages) and an arena for text
// added by edits. Both live on the heap, owned through Message::storage_, so every view into
// them survives moves of the Message. Internal to src/sip.

#include <cstddef>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message.h"

namespace ccsip::sip {

// Bump allocator: text is never freed before the Message, so edits never invalidate views.
class TextArena {
 public:
  char* allocate(std::size_t n) {
    if (n > left_) {
      std::size_t size = n > kBlock ? n : kBlock;
      blocks_.push_back(std::make_unique<char[]>(size));
      cur_ = blocks_.back().get();
      left_ = size;
    }
    char* out = cur_;
    cur_ += n;
    left_ -= n;
    return out;
  }

  std::string_view copy(std::string_view text) {
    if (text.empty()) return {};
    char* p = allocate(text.size());
    std::memcpy(p, text.data(), text.size());
    return {p, text.size()};
  }

  // Makes the next allocations of up to n octets come from one block.
  void reserve(std::size_t n) {
    if (n > left_) {
      blocks_.push_back(std::make_unique<char[]>(n));
      cur_ = blocks_.back().get();
      left_ = n;
    }
  }

 private:
  static constexpr std::size_t kBlock = 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cur_ = nullptr;
  std::size_t left_ = 0;
};

struct Message::Storage {
  // Room for 18 fields and one Via: a typical request parses with no allocation beyond the
  // buffer and this Storage. More spill over to the heap through `lists`.
  static constexpr std::size_t kFieldRoom = 18;
  static constexpr std::size_t kRoom = kFieldRoom * sizeof(HeaderField) + sizeof(Via);

  std::string buffer;  // the received message, unfolded in place
  TextArena arena;
  alignas(std::max_align_t) std::byte room[kRoom];
  // Backs Message::headers_ and vias_. Never frees before the Storage goes: a list that grows
  // leaves its old block unused, at most as much again as the list itself.
  std::pmr::monotonic_buffer_resource lists{room, sizeof room, std::pmr::new_delete_resource()};
};
// Within glibc's per-thread cache of small blocks (up to 1032 octets with its header), the
// cheapest malloc there is.
static_assert(sizeof(Message::Storage) <= 1024);

// Access for the parser and response builder to Message internals.
struct MessageAccess {
  static std::string_view copyText(Message& m, std::string_view text) { return m.copyText(text); }
  // Appends a copy of a field of another message (sameLine kept).
  static void appendCopy(Message& m, const HeaderField& field);
  static void reindex(Message& m, HeaderId id) { m.reindex(id); }
};

}  // namespace ccsip::sip
