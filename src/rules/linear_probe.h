// Deletion from the rules' open-addressing tables (linear probing, a power-of-two slot count).
#pragma once

#include <cstddef>
#include <vector>

namespace vetter::rules {

// Empties slot `hole` without tombstones (backward-shift deletion): each later entry of the run is
// moved into the gap when the gap lies between that entry's home slot and where it sits, so every
// entry stays reachable from its home. `occupied(slot)` says whether a slot holds an entry,
// `home(slot)` gives the hash bits its probe starts from (masked here).
template <typename Slot, typename Occupied, typename Home>
void erase_shifting(std::vector<Slot>& slots, std::size_t hole, Occupied occupied, Home home) {
  const std::size_t mask = slots.size() - 1;
  for (std::size_t j = (hole + 1) & mask; occupied(slots[j]); j = (j + 1) & mask) {
    const std::size_t from = static_cast<std::size_t>(home(slots[j])) & mask;
    if (((j - from) & mask) >= ((j - hole) & mask)) {
      slots[hole] = slots[j];
      hole = j;
    }
  }
  slots[hole] = Slot{};
}

}  // namespace vetter::rules
