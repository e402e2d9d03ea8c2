// Which detection rules an event can possibly match, found by value lookups instead of evaluation.
//
// For every rule the compiler derives a necessary condition from its condition tree: a set of
// atoms of which at least one must hold for the rule to match. An atom is
//   exact      field's (lower-cased) text equals a value      (equals matchers)
//   substring  field's lower-cased text contains a literal    (contains, startswith, endswith,
//                                                              the longest literal of a glob, the
//                                                              literal a regex must start with)
//   cidr       field's address lies in a network              (cidr)
//   present    field has a value                              (lt/gt, fieldref, neq, exists: true,
//                                                              a too-short literal)
// `a and b` keeps the cheaper side's atoms, `a or b` needs both sides' atoms, `not` (and null,
// exists: false, time parts) cannot be indexed: such rules are evaluated for every event of their
// category. An atom that holds does not mean the rule matches; the engine evaluates every
// candidate in full, so a hash collision or a weak atom costs time, never a wrong answer.
//
// Per event: one folded hash and one binary search per field text, one pass over the text's
// character pairs (a 64 Kbit bitmap of atoms' first two characters) for substrings, one address
// parse per cidr field. No allocation once the candidate vector has grown to its size.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiled.h"
#include "vetter/model/ip.h"

namespace vetter::rules {

class Prefilter {
 public:
  // `index` false: no rule is indexed, every rule of the event's category is a candidate.
  Prefilter(const std::vector<DetectionRule>& detections, bool index = true);

  // Appends to `out` the detections (rules without a category first, each part ascending) that
  // `event` may match: the indexed rules with an atom that holds, plus every rule that could not be
  // indexed. `category` limits the result to rules without a logsource category or with that one
  // (an index into categories(), or npos when the event's category names none of them). `stamp` is
  // scratch of one entry per detection, owned by the caller and reused across events.
  void candidates(const model::Event& event, std::size_t category,
                  std::vector<std::uint32_t>& stamp, std::uint32_t epoch,
                  std::vector<std::uint32_t>& out) const;

  const std::vector<std::string>& categories() const { return categories_; }
  std::size_t indexed() const { return indexed_; }  // rules with a necessary condition

 private:
  struct Substring {
    std::uint16_t gram = 0;  // first two characters
    std::string text;        // lower-cased, at least two characters
    std::uint32_t rule = 0;
  };
  // A cidr as two masked 64-bit words (model::Cidr::contains compares bytes with memcmp, which
  // dominated profiles with many cidr rules).
  struct Network {
    std::uint64_t hi = 0, lo = 0, mask_hi = 0, mask_lo = 0;
    std::uint32_t rule = 0;
  };
  struct FieldIndex {
    model::FieldId field = 0;
    bool has_exact = false;
    std::vector<std::uint64_t> grams;   // 65536-bit set of Substring::gram, empty when none
    std::vector<Substring> substrings;  // sorted by gram
    std::vector<Network> cidrs;
    std::vector<std::uint32_t> present;
  };

  void mark(std::uint32_t rule, std::size_t category, std::vector<std::uint32_t>& stamp,
            std::uint32_t epoch, std::vector<std::uint32_t>& out) const;
  void scan_text(const FieldIndex& f, std::string_view text, std::size_t category,
                 std::vector<std::uint32_t>& stamp, std::uint32_t epoch,
                 std::vector<std::uint32_t>& out) const;

  std::vector<std::string> categories_;     // distinct logsource categories, lower-case
  std::vector<std::uint32_t> category_of_;  // per detection: 0 any, else 1 + categories_ index
  std::vector<FieldIndex> fields_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> exact_;  // (hash of field+text, rule)
  std::vector<std::uint32_t> always_;  // rules without a necessary condition
  std::size_t indexed_ = 0;
};

// FNV-1a over the field id and the ASCII-lower-cased text: the key of an exact atom.
std::uint64_t exact_key(model::FieldId field, std::string_view text);

}  // namespace vetter::rules
