// Necessary conditions of detection rules, and the per-event lookups that find candidates.
#include "prefilter.h"

#include <algorithm>
#include <array>
#include <optional>

namespace vetter::rules {
namespace {

inline char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

void words(const std::array<std::uint8_t, 16>& bytes, std::uint64_t& hi, std::uint64_t& lo) {
  hi = lo = 0;
  for (int i = 0; i < 8; ++i) {
    hi = hi << 8 | bytes[i];
    lo = lo << 8 | bytes[8 + i];
  }
}

inline std::uint16_t gram(char a, char b) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(lower(a)) << 8 |
                                    static_cast<unsigned char>(lower(b)));
}

struct Atom {
  enum class Kind : std::uint8_t { kExact, kSubstring, kCidr, kPresent };
  Kind kind = Kind::kExact;
  model::FieldId field = 0;
  std::string text;  // lower-cased
  model::Cidr cidr;
};

// A necessary condition: nullopt when none can be given (the rule must always be evaluated).
using Atoms = std::optional<std::vector<Atom>>;

// A guess at how many events an atom lets through; only used to choose between the sides of an
// `and`. Values that look like enumerations (flags, outcomes) are weak.
double cost(const Atom& a) {
  switch (a.kind) {
    case Atom::Kind::kExact:
      return a.text == "true" || a.text == "false" || a.text == "success" || a.text == "failure" ||
                     a.text == "unknown" || a.text.size() <= 2
                 ? 4
                 : 1;
    case Atom::Kind::kSubstring:
      return a.text.size() >= 4 ? 2 : 3;
    case Atom::Kind::kCidr:
      return 3;
    case Atom::Kind::kPresent:
      return 8;
  }
  return 8;
}

double cost(const std::vector<Atom>& atoms) {
  double sum = 0;
  for (const Atom& a : atoms)
    sum += cost(a);
  return sum;
}

// The literal every match of an RE2 pattern starts with: the leading run of plain characters
// (after a `^`), minus its last character when a quantifier follows. Empty when the pattern has
// an alternation anywhere (the run would then not be necessary) or starts with anything else.
std::string regex_literal(std::string_view p) {
  if (p.find('|') != std::string_view::npos) return {};
  std::size_t i = 0;
  if (i < p.size() && p[i] == '^') ++i;
  std::string run;
  constexpr std::string_view kMeta = "\\.^$|?*+()[]{}";
  for (; i < p.size(); ++i) {
    const char c = p[i];
    if (static_cast<unsigned char>(c) >= 0x80 || kMeta.find(c) != std::string_view::npos) break;
    run.push_back(lower(c));
  }
  if (i < p.size() && (p[i] == '?' || p[i] == '*' || p[i] == '{') && !run.empty()) run.pop_back();
  return run;
}

Atom present(model::FieldId field) {
  Atom a;
  a.kind = Atom::Kind::kPresent;
  a.field = field;
  return a;
}

Atom substring_or_present(model::FieldId field, std::string text) {
  if (text.size() < 2) return present(field);
  Atom a;
  a.kind = Atom::Kind::kSubstring;
  a.field = field;
  a.text = std::move(text);
  return a;
}

std::optional<Atom> atom_of(const ValueMatcher& m, model::FieldId field) {
  auto lowered = [](std::string s) {
    for (char& c : s)
      c = lower(c);
    return s;
  };
  switch (m.kind) {
    case MatchKind::kEquals: {
      Atom a;
      a.field = field;
      a.text = lowered(m.text);
      return a;
    }
    case MatchKind::kContains:
    case MatchKind::kStartsWith:
    case MatchKind::kEndsWith:
      return substring_or_present(field, lowered(m.text));
    case MatchKind::kGlob: {
      std::string best, run;
      for (std::size_t i = 0; i <= m.text.size(); ++i) {
        if (i < m.text.size() && m.glob[i] == 0) {
          run.push_back(lower(m.text[i]));
          continue;
        }
        if (run.size() > best.size()) best = run;
        run.clear();
      }
      return substring_or_present(field, best);
    }
    case MatchKind::kRegex:
      return substring_or_present(field, regex_literal(m.regex->pattern()));
    case MatchKind::kCidr: {
      Atom a;
      a.kind = Atom::Kind::kCidr;
      a.field = field;
      a.cidr = m.cidr;
      return a;
    }
    case MatchKind::kExists:
      if (!m.exists) return std::nullopt;
      return present(field);
    case MatchKind::kLt:
    case MatchKind::kLte:
    case MatchKind::kGt:
    case MatchKind::kGte:
    case MatchKind::kFieldRef:
      return present(field);
    case MatchKind::kNull:
    case MatchKind::kNumEquals:
      return std::nullopt;
  }
  return std::nullopt;
}

Atoms atoms_of(const FieldTest& test) {
  if (test.time_part != TimePart::kNone) return std::nullopt;  // @timestamp falls back to time_us
  if (test.negate) return std::vector<Atom>{present(test.field)};
  std::vector<Atom> out;
  for (const ValueMatcher& m : test.values) {
    std::optional<Atom> a = atom_of(m, test.field);
    if (test.all) {
      // Every value must match: any one indexable value is necessary.
      if (a) return std::vector<Atom>{std::move(*a)};
      continue;
    }
    if (!a) return std::nullopt;
    out.push_back(std::move(*a));
  }
  if (test.all) return std::nullopt;
  return out;
}

Atoms cheaper(Atoms a, Atoms b) {
  if (!a) return b;
  if (!b) return a;
  return cost(*b) < cost(*a) ? std::move(b) : std::move(a);
}

Atoms atoms_of(const Selection& s) {
  std::vector<Atom> out;
  for (const std::vector<FieldTest>& branch : s.branches) {
    Atoms best;
    for (const FieldTest& test : branch)
      best = cheaper(std::move(best), atoms_of(test));
    if (!best) return std::nullopt;  // includes an empty branch, which always matches
    for (Atom& a : *best)
      out.push_back(std::move(a));
  }
  return out;
}

Atoms atoms_of(const DetectionBody& body, std::uint32_t node) {
  const ConditionNode& n = body.condition.nodes[node];
  switch (n.kind) {
    case ConditionNode::Kind::kSelection:
      return atoms_of(body.selections[n.selection]);
    case ConditionNode::Kind::kNot:
      return std::nullopt;
    case ConditionNode::Kind::kAnd: {
      Atoms best;
      for (std::uint32_t child : n.children)
        best = cheaper(std::move(best), atoms_of(body, child));
      return best;  // no children: always true, nullopt
    }
    case ConditionNode::Kind::kOr: {
      std::vector<Atom> out;
      for (std::uint32_t child : n.children) {
        Atoms a = atoms_of(body, child);
        if (!a) return std::nullopt;
        for (Atom& x : *a)
          out.push_back(std::move(x));
      }
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace

std::uint64_t exact_key(model::FieldId field, std::string_view text) {
  std::uint64_t h =
      14695981039346656037ULL ^ (static_cast<std::uint64_t>(field) * 0x9E3779B97F4A7C15ULL);
  for (char c : text) {
    h ^= static_cast<unsigned char>(lower(c));
    h *= 1099511628211ULL;
  }
  return h;
}

Prefilter::Prefilter(const std::vector<DetectionRule>& detections, bool index) {
  category_of_.resize(detections.size(), 0);
  auto field_index = [&](model::FieldId id) -> FieldIndex& {
    for (FieldIndex& f : fields_) {
      if (f.field == id) return f;
    }
    fields_.emplace_back();
    fields_.back().field = id;
    return fields_.back();
  };
  for (std::size_t d = 0; d < detections.size(); ++d) {
    const DetectionRule& rule = detections[d];
    const auto r = static_cast<std::uint32_t>(d);
    if (!rule.category.empty()) {
      auto it = std::find(categories_.begin(), categories_.end(), rule.category);
      if (it == categories_.end()) it = categories_.insert(categories_.end(), rule.category);
      category_of_[d] = static_cast<std::uint32_t>(it - categories_.begin()) + 1;
    }
    Atoms atoms = index ? atoms_of(rule.body, rule.body.condition.root) : std::nullopt;
    if (!atoms) {
      always_.push_back(r);
      continue;
    }
    ++indexed_;
    for (Atom& a : *atoms) {
      FieldIndex& f = field_index(a.field);
      switch (a.kind) {
        case Atom::Kind::kExact:
          f.has_exact = true;
          exact_.emplace_back(exact_key(a.field, a.text), r);
          break;
        case Atom::Kind::kSubstring:
          f.substrings.push_back({gram(a.text[0], a.text[1]), std::move(a.text), r});
          break;
        case Atom::Kind::kCidr: {
          Network n;
          n.rule = r;
          words(a.cidr.network.bytes, n.hi, n.lo);
          const int p = a.cidr.prefix;  // 0-128
          n.mask_hi = p <= 0 ? 0 : p >= 64 ? ~0ULL : ~0ULL << (64 - p);
          n.mask_lo = p <= 64 ? 0 : p >= 128 ? ~0ULL : ~0ULL << (128 - p);
          n.hi &= n.mask_hi;
          n.lo &= n.mask_lo;
          f.cidrs.push_back(n);
          break;
        }
        case Atom::Kind::kPresent:
          f.present.push_back(r);
          break;
      }
    }
  }
  std::sort(exact_.begin(), exact_.end());
  exact_.erase(std::unique(exact_.begin(), exact_.end()), exact_.end());
  for (FieldIndex& f : fields_) {
    std::stable_sort(f.substrings.begin(), f.substrings.end(),
                     [](const Substring& a, const Substring& b) { return a.gram < b.gram; });
    if (!f.substrings.empty()) {
      f.grams.assign(65536 / 64, 0);
      for (const Substring& s : f.substrings)
        f.grams[s.gram >> 6] |= 1ULL << (s.gram & 63);
    }
  }
}

void Prefilter::mark(std::uint32_t rule, std::size_t category, std::vector<std::uint32_t>& stamp,
                     std::uint32_t epoch, std::vector<std::uint32_t>& out) const {
  const std::uint32_t c = category_of_[rule];
  if (c != 0 && c != category + 1) return;
  if (stamp[rule] == epoch) return;
  stamp[rule] = epoch;
  out.push_back(rule);
}

void Prefilter::scan_text(const FieldIndex& f, std::string_view text, std::size_t category,
                          std::vector<std::uint32_t>& stamp, std::uint32_t epoch,
                          std::vector<std::uint32_t>& out) const {
  if (f.has_exact) {
    const std::uint64_t key = exact_key(f.field, text);
    auto it = std::lower_bound(exact_.begin(), exact_.end(), std::make_pair(key, std::uint32_t{0}));
    for (; it != exact_.end() && it->first == key; ++it)
      mark(it->second, category, stamp, epoch, out);
  }
  if (!f.grams.empty()) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      const std::uint16_t g = gram(text[i], text[i + 1]);
      if (!(f.grams[g >> 6] >> (g & 63) & 1)) continue;
      auto it = std::lower_bound(f.substrings.begin(), f.substrings.end(), g,
                                 [](const Substring& s, std::uint16_t v) { return s.gram < v; });
      for (; it != f.substrings.end() && it->gram == g; ++it) {
        const std::string& t = it->text;
        if (i + t.size() > text.size()) continue;
        std::size_t k = 2;
        while (k < t.size() && lower(text[i + k]) == t[k])
          ++k;
        if (k == t.size()) mark(it->rule, category, stamp, epoch, out);
      }
    }
  }
  if (!f.cidrs.empty()) {
    const std::optional<model::IpAddress>& ip = parsed_ip(text);
    if (ip) {
      std::uint64_t hi = 0, lo = 0;
      words(ip->bytes, hi, lo);
      for (const Network& n : f.cidrs) {
        if ((hi & n.mask_hi) == n.hi && (lo & n.mask_lo) == n.lo)
          mark(n.rule, category, stamp, epoch, out);
      }
    }
  }
}

void Prefilter::candidates(const model::Event& event, std::size_t category,
                           std::vector<std::uint32_t>& stamp, std::uint32_t epoch,
                           std::vector<std::uint32_t>& out) const {
  for (std::uint32_t rule : always_)
    mark(rule, category, stamp, epoch, out);
  for (const FieldIndex& f : fields_) {
    const model::Value& v = event.get(f.field);
    if (model::is_absent(v)) continue;
    for (std::uint32_t rule : f.present)
      mark(rule, category, stamp, epoch, out);
    if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
      for (const std::string& item : *list)
        scan_text(f, item, category, stamp, epoch, out);
      continue;
    }
    TextBuffer buf;
    scan_text(f, text_of(v, buf), category, stamp, epoch, out);
  }
  // Rules without a category first, then the category's: the order hits had before the index.
  std::sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) {
    const bool ca = category_of_[a] != 0, cb = category_of_[b] != 0;
    return ca != cb ? cb : a < b;
  });
}

}  // namespace vetter::rules
