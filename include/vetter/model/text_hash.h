// One 64-bit hash for short text keys, shared by the flat tables on the per-event path (the
// identity and enrichment TextTables, the rules' shared texts and correlation groups).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace vetter::model {

// A fast 64-bit hash of short text: one multiply per 8 bytes and a final avalanche. Not keyed:
// the tables using it are filled from the run's own inputs and only probed with event text.
inline std::uint64_t text_hash(std::string_view text) {
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ULL;
  const auto load64 = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  const auto load32 = [](const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return std::uint64_t{w};
  };
  const auto mix = [](std::uint64_t h, std::uint64_t w) {
    h = (h ^ w) * kMul;
    return h ^ (h >> 29);
  };
  const char* p = text.data();
  std::size_t n = text.size();
  std::uint64_t h = (n + 1) * kMul;
  if (n > 8) {
    for (; n > 8; p += 8, n -= 8)
      h = mix(h, load64(p));
    h = mix(h, load64(p + n - 8));  // the last 8 bytes, overlapping the loop's when n < 8
  } else if (n >= 4) {
    h = mix(h, (load32(p) << 32) | load32(p + n - 4));
  } else if (n > 0) {
    const auto byte = [&](std::size_t i) {
      return std::uint64_t{static_cast<unsigned char>(p[i])};
    };
    h = mix(h, (byte(0) << 16) | (byte(n >> 1) << 8) | byte(n - 1));
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

}  // namespace vetter::model
